"""Templates with escaping built in: HTML pages, attributes, script data and Markdown.

Every page, snippet and generated README is made here, by Jinja with
autoescaping (HTML) or with every value escaped as Markdown, so text from an
input can format nothing and break nothing wherever it is written.
"""

from __future__ import annotations

import json
import re

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def json_for_script(data: object) -> str:
    """JSON that cannot end its ``<script>`` block or be read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def markdown_text(value: object) -> str:
    """A value as plain text in Markdown: it can neither format nor break the page.

    Backslash-escapes what would start emphasis, code, a link or a table
    cell, writes ``<`` and ``&`` as entities (Markdown passes HTML through),
    and folds line breaks, so a subject such as ``[x](javascript:…)`` or
    ``<img onerror=…>`` reads as typed. Numbers and plain words are unchanged.
    """
    text = " ".join(str(value).split()) if isinstance(value, str) else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(template: str, **context: object) -> str:
    """Render one of the package's Markdown templates (the generated READMEs).

    Every value is written through :func:`markdown_text`; a value that is
    Markdown by design is marked so in the template with ``|md``.
    """
    env = Environment(
        loader=PackageLoader("hatecrime_maps"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=lambda v: v if isinstance(v, _Markdown) else markdown_text(v),
    )
    env.filters["md"] = _Markdown
    return env.get_template(template).render(**context)


class _Markdown(str):
    """Text that is Markdown by design (the project's own), written as it is."""


def html_environment() -> Environment:
    """The Jinja environment of the HTML pages: autoescaped, strict, deterministic."""
    env = Environment(
        loader=PackageLoader("hatecrime_maps"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env
