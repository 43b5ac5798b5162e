"""An attacker on a suppressed build, written independently of the build's own code.

It reads every file a build writes that carries a figure: the map pages (their
embedded figures and their HTML tables), the report (its tables, its summary
text and its charts' alt text), the chart SVGs, the CSV and GeoJSON downloads
and the GeoPackage's tables. Each figure gets one key, ``(measure, year,
level, name, sex)``; every place that shows it must show the same thing.

What the attacker knows besides the files (stated here, so a reader can judge
the test):

- the structure: which areas make up each NPU (``areas.csv``), that the
  force total is the sum of the areas, of the NPUs, of the sexes and of the
  age bands, that an area is the sum of its sexes, that the offences and the
  outcomes each add up to the crimes the answer states;
- the public grouping files (``data/reference/``): which offence titles and
  outcome codes make up each group;
- the number of crimes the answer's text states for each year;
- which figures are zero and which are not (the FOI lists only what
  happened), given as ``nonzero``; not for the per-area split by sex, which a
  suppressed build publishes in no form.

Zeros are published as zeros, so only a withheld figure pinned to a value of 1
or more counts as recovered.

With that it writes every sum as a linear constraint, every withheld figure as
a variable bounded by what the files say of it (1 to N-1 for "fewer than N",
otherwise 1 or more, with no upper bound but the sums), and asks linear
programming for the smallest and largest value each withheld figure can take.
"""

from __future__ import annotations

import base64
import csv
import json
import math
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"

SEX_WORDS = {"female": "F", "male": "M", "not recorded": "U"}
WIDE_SEX = {"female": "F", "male": "M", "sex_not_recorded": "U"}
WITHHELD = ("withheld",)
FEWER = ("fewer",)

# Report tables by caption: what each row is.
REPORT_TABLES = {
    "Crimes by offence group": ("crimes", "offence_group", "offences"),
    "Crimes by outcome": ("crimes", "outcome_group", "outcomes"),
    "Victims by sex": ("victims", "force_sex", "force"),
    "Victims by age band (whole force)": ("victims", "age_band", "force"),
}


def token(text: str, threshold: int) -> tuple:
    """What a reader learns from a figure's text: ``("value", n)``, FEWER or WITHHELD."""
    text = text.strip()
    if re.fullmatch(r"[\d,]+", text):
        return ("value", int(text.replace(",", "")))
    if text.lower() == f"fewer than {threshold}":
        return FEWER
    if text.startswith("withheld"):
        return WITHHELD
    if text.lower() == "none":
        return ("value", 0)
    raise AssertionError(f"unreadable figure text {text!r}")


def status_token(value: object, status: str) -> tuple:
    """A download's value and status column as a token."""
    if status == "fewer_than":
        assert value in ("", None), value
        return FEWER
    if status == "suppressed":
        assert value in ("", None), value
        return WITHHELD
    assert status in ("", None), status
    return ("value", int(value))


def key(measure: str, year: int, level: str, name: object = "", sex: str = "") -> tuple:
    return (measure, int(year), level, name, sex)


@dataclass
class Published:
    """Every figure seen, where it was seen, and the attacker's structural knowledge."""

    threshold: int
    seen: dict = field(default_factory=lambda: defaultdict(dict))
    npu_of: dict = field(default_factory=dict)  # (year, area) -> npu
    offence_group: dict = field(default_factory=dict)  # title -> group
    outcome_group: dict = field(default_factory=dict)  # code -> group

    def add(self, cell: tuple, tok: tuple, where: str) -> None:
        self.seen[cell][where] = tok

    def disagreements(self) -> list[str]:
        """Figures shown differently in two places."""
        bad = []
        for cell, places in self.seen.items():
            if len(set(places.values())) > 1:
                bad.append(f"{cell}: {places}")
        return bad

    def figures(self) -> dict[tuple, tuple]:
        """One token per figure (the files agree, see :meth:`disagreements`)."""
        return {cell: next(iter(places.values())) for cell, places in self.seen.items()}


# --------------------------------------------------------------------------
# Reading the files


class _Tables(HTMLParser):
    """Every ``<table>`` of a page: caption, and rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self._section = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"id": dict(attrs).get("id", ""), "caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append((self._section, self._row))
            self._row = None

    def handle_data(self, data):
        for buf in (self._cell, self._caption):
            if buf is not None:
                buf.append(data)


def html_tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _sex_split(text: str, threshold: int) -> dict[str, tuple] | None:
    """``female 0, male 7, not recorded 1`` → tokens; None when the split is withheld."""
    if text.startswith("withheld"):
        return None
    out = {}
    for part in text.split(", "):
        word = next(w for w in SEX_WORDS if part.startswith(w + " "))
        out[SEX_WORDS[word]] = token(part[len(word) + 1 :], threshold)
    return out


def column_values(column, rows: int | None = None) -> list:
    """Every row of a page-data column, as a reader's browser rebuilds it.

    A column is a plain list; distinct values ``v`` with each row's index ``i`` (no
    ``i``: each of the ``rows`` has the one value); or text shapes ``s`` with each
    row's index ``i`` and the rows' numbers ``n`` ("|" between), each "#" of a shape
    filled in turn.
    """
    if isinstance(column, list):
        return column
    if "s" not in column:
        if "i" not in column:
            assert rows is not None, "a column of one value needs its number of rows"
            return column["v"] * rows
        return [column["v"][i] for i in column["i"]]
    numbers = iter(column["n"].split("|"))
    rows = []
    for i in column["i"]:
        parts = column["s"][i].split("#")
        rows.append(parts[0] + "".join(next(numbers) + part for part in parts[1:]))
    return rows


_DECODED: dict[int, tuple[object, list]] = {}
"""Columns rebuilt once each, by identity (the column kept beside its rows)."""


def _cell(column, i: int) -> str:
    """Row ``i`` of a page-data column (see :func:`column_values`)."""
    if isinstance(column, list):
        return column[i]
    if "i" not in column and "s" not in column:
        return column["v"][0]
    if id(column) not in _DECODED or _DECODED[id(column)][0] is not column:
        _DECODED[id(column)] = (column, column_values(column))
    return _DECODED[id(column)][1][i]


def read_map_page(pub: Published, path: Path, year: int) -> None:
    html = path.read_text(encoding="utf-8")
    t = pub.threshold
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', html, re.S)[1])
    # Every year's figures come in the page's data (it switches year in place): the
    # table and tooltips of each year, the all-areas row and the parent units.
    columns, parent_columns = data["columns"], data["parentColumns"]
    where = f"{path.name} data"
    for shown in data["years"]:
        y = shown["year"]
        cells = dict(zip(columns, shown["cells"], strict=False))
        for i, name in enumerate(data["areas"]["names"]):
            pub.add(key("victims", y, "area", name), token(_cell(cells["Victims"], i), t), where)
            if "By sex" in cells:
                for sex, tok in (_sex_split(_cell(cells["By sex"], i), t) or {}).items():
                    pub.add(key("victims", y, "area", name, sex), tok, where)
        force = dict(zip(columns, shown["force"], strict=False))
        pub.add(key("victims", y, "force", ""), token(force["Victims"], t), where)
        for sex, tok in (_sex_split(force.get("By sex", "withheld"), t) or {}).items():
            pub.add(key("victims", y, "force", "", sex), tok, where)
        parent_cells = dict(zip(parent_columns, shown["parentCells"], strict=False))
        for i, name in enumerate(data["parents"]["names"]):
            pub.add(
                key("victims", y, "npu", name), token(_cell(parent_cells["Victims"], i), t), where
            )
    for table in html_tables(html):
        header = next(r for s, r in table["rows"] if s == "thead")
        col = {label: i for i, label in enumerate(header)}
        for section, row in table["rows"]:
            if section == "thead":
                continue
            where = f"{path.name} {table['id']} table"
            if table["id"] == "area-table":
                level = "force" if section == "tfoot" else "area"
                name = "" if level == "force" else row[0]
                pub.add(key("victims", year, level, name), token(row[col["Victims"]], t), where)
                for sex, tok in (_sex_split(row[col["By sex"]], t) or {}).items():
                    pub.add(key("victims", year, level, name, sex), tok, where)
            elif table["id"] == "parent-table" and section == "tbody":
                pub.add(key("victims", year, "npu", row[0]), token(row[col["Victims"]], t), where)


def _downloaded_row(pub: Published, row: dict, level: str, name_field: str, where: str) -> None:
    year = int(row["year"])
    name = row[name_field]
    pub.add(
        key("victims", year, level, name),
        status_token(row["victims"], row["victims_status"]),
        where,
    )
    for s in "FMU":
        if f"victims_{s}" in row:
            pub.add(
                key("victims", year, level, name, s),
                status_token(row[f"victims_{s}"], row[f"victims_{s}_status"]),
                where,
            )


def _wide_row(
    pub: Published, props: dict, level: str, name_field: str, years: list[int], where: str
) -> None:
    name = props[name_field]
    for y in years:
        pub.add(
            key("victims", y, level, name),
            status_token(props[f"victims_{y}"], props[f"victims_status_{y}"]),
            where,
        )
        for word, s in WIDE_SEX.items():
            if f"{word}_{y}" in props:
                pub.add(
                    key("victims", y, level, name, s),
                    status_token(props[f"{word}_{y}"], props[f"{word}_status_{y}"]),
                    where,
                )


def _item_row(pub: Published, row: dict, kind: str, where: str) -> None:
    name = row["offence"] if kind == "offence" else (row["outcome_code"] or "")
    pub.add(
        key("crimes", int(row["year"]), kind, name),
        status_token(row["count"], row["count_status"]),
        where,
    )


def read_csvs(pub: Published, downloads: Path) -> None:
    def rows(name):
        with open(downloads / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    for row in rows("areas.csv"):
        pub.npu_of[(int(row["year"]), row["area"])] = row["npu"]
        _downloaded_row(pub, row, "area", "area", "areas.csv")
    for row in rows("npus.csv"):
        _downloaded_row(pub, row, "npu", "npu", "npus.csv")
    for kind in ("offence", "outcome"):
        for row in rows(f"{kind}s.csv"):
            _item_row(pub, row, kind, f"{kind}s.csv")
    if (downloads / "change.csv").exists():
        for row in rows("change.csv"):
            _change_row(pub, row, "change.csv")
    if (downloads / "victims.csv").exists():
        for row in rows("victims.csv"):
            pub.add(
                key("victims", int(row["year"]), "area", row["area"], row["sex"]),
                ("value", int(row["count"])),
                "victims.csv",
            )


CHANGE_FIGURES = (
    "earlier_count",
    "later_count",
    "difference",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "p_value",
    "q_value",
)


def _change_row(pub: Published, row: dict, where: str) -> None:
    """A row of the change table: its counts are figures seen again, and the later count
    follows from the earlier one and the difference. A withheld row must show nothing."""
    level = row["level"] if row["level"] in ("force", "npu") else "area"
    name = "" if level == "force" else row["area"]
    if row["change_status"] != "":
        shown = [f for f in CHANGE_FIGURES if row[f] not in ("", None)]
        assert not shown, f"{where}: {name or 'force'} is withheld but shows {shown}"
        return
    earlier, later = int(row["earlier_year"]), int(row["later_year"])
    pub.add(key("victims", earlier, level, name), ("value", int(row["earlier_count"])), where)
    pub.add(key("victims", later, level, name), ("value", int(row["later_count"])), where)
    pub.add(
        key("victims", later, level, name),
        ("value", int(row["earlier_count"]) + int(row["difference"])),
        where + " (earlier + difference)",
    )


def read_geojson(pub: Published, downloads: Path, years: list[int]) -> None:
    for name, level, field_name in (("police_areas", "area", "area"), ("npus", "npu", "npu")):
        data = json.loads((downloads / f"{name}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            _wide_row(pub, feature["properties"], level, field_name, years, f"{name}.geojson")


def read_geopackage(pub: Published, gpkg: Path, years: list[int]) -> None:
    con = sqlite3.connect(gpkg)
    con.row_factory = sqlite3.Row
    try:

        def rows(table):
            return [
                {k: ("" if v is None else v) for k, v in zip(r.keys(), r, strict=True)}
                for r in con.execute(f'SELECT * FROM "{table}" ORDER BY fid')
            ]

        names = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
        for r in rows("police_area_figures"):
            _downloaded_row(pub, r, "area", "area", "gpkg police_area_figures")
        for r in rows("npu_figures"):
            _downloaded_row(pub, r, "npu", "npu", "gpkg npu_figures")
        for r in rows("police_areas"):
            _wide_row(pub, r, "area", "area", years, "gpkg police_areas")
        for r in rows("npus"):
            _wide_row(pub, r, "npu", "npu", years, "gpkg npus")
        for kind in ("offence", "outcome"):
            for r in rows(f"foi_{kind}s"):
                _item_row(pub, r, kind, f"gpkg foi_{kind}s")
        if "change" in names:
            for r in rows("change"):
                _change_row(pub, r, "gpkg change")
        if "foi_victims" in names:
            for r in rows("foi_victims"):
                pub.add(
                    key("victims", int(r["year"]), "area", r["area"], r["sex"]),
                    ("value", int(r["count"])),
                    "gpkg foi_victims",
                )
    finally:
        con.close()


def _report_cell(what: tuple, year: int, name: str) -> tuple:
    measure, level, total_level = what
    if name == "Total":
        return key(measure, year, total_level)
    if level == "force_sex":
        return key(measure, year, "force", "", SEX_WORDS[name])
    return key(measure, year, level, name)


def read_report(pub: Published, maps: Path) -> dict[str, Counter]:
    """The report's tables, alt text and summary; returns each chart's cell texts."""
    html = (maps / "report.html").read_text(encoding="utf-8")
    t = pub.threshold
    texts: dict[str, Counter] = {}
    for table in html_tables(html):
        what = REPORT_TABLES.get(table["caption"])
        if what is None:
            continue
        years = [int(y) for y in next(r for s, r in table["rows"] if s == "thead")[1:]]
        texts[table["caption"]] = Counter()
        for section, row in table["rows"]:
            if section == "thead":
                continue
            for year, text in zip(years, row[1:], strict=True):
                pub.add(_report_cell(what, year, row[0]), token(text, t), "report table")
                if row[0] != "Total":
                    texts[table["caption"]][text] += 1
    for alt in re.findall(r'<img [^>]*alt="Bar chart: ([^"]*)"', html):
        title, rest = alt.split(". ", 1)
        what = next(v for k, v in REPORT_TABLES.items() if k.lower() == title)
        for year, figures in re.findall(r"(\d{4}) \([^)]*\): (.*?)\.(?= \d{4} \(|$)", rest):
            for item in figures.split("; "):
                name, text = re.fullmatch(
                    r"(.+?) ((?:fewer than \d+)|(?:withheld \[c\])|[\d,]+)", item
                ).groups()
                name = "Total" if name == "total" else name
                pub.add(_report_cell(what, int(year), name), token(text, t), "report alt text")
    offences, outcomes = (
        REPORT_TABLES["Crimes by offence group"],
        REPORT_TABLES["Crimes by outcome"],
    )
    for para in re.findall(r'<p class="summary">(From [^<]*)</p>', html):
        year = int(re.search(r"(\d{4})", para)[1])
        m = re.search(r", ([^,]+?) crimes were recorded", para)
        pub.add(_report_cell(offences, year, "Total"), token(m[1], t), "report summary")
        m = re.search(r"largest group was ([^:]+): ([\d,]+) of ([\d,]+)", para)
        if m:
            group = next(g for g in set(pub.offence_group.values()) if g.lower() == m[1])
            pub.add(key("crimes", year, "offence_group", group), token(m[2], t), "report summary")
        m = re.search(r"(\w[\w ]*?) of the ([\w ,]+?) led to a charge", para)
        if m:
            pub.add(
                key("crimes", year, "outcome_group", "Charged or summonsed"),
                token(m[1], t),
                "report summary",
            )
            pub.add(_report_cell(outcomes, year, "Total"), token(m[2], t), "report summary")
    return texts


def svg_bar_labels(svg: str) -> Counter:
    """The figures written beside the bars of a chart (9 px text that reads as a figure)."""
    labels = Counter()
    for style, text in re.findall(r'<text style="([^"]*)"[^>]*>([^<]*)</text>', svg):
        if "font-size: 9px" in style and re.fullmatch(
            r"[\d,]+|fewer than \d+|withheld \[c\]", text
        ):
            labels[text] += 1
    return labels


def read_charts(maps: Path, report_texts: dict[str, Counter]) -> list[str]:
    """Charts whose bar labels differ from the report's table (the SVG file and the inline one)."""
    html = (maps / "report.html").read_text(encoding="utf-8")
    inline = re.findall(r'data:image/svg\+xml;base64,([^"]+)" alt="Bar chart: ([^.]*)\.', html)
    bad = []
    for b64, title in inline:
        caption = next(k for k in REPORT_TABLES if k.lower() == title)
        if svg_bar_labels(base64.b64decode(b64).decode("utf-8")) != report_texts[caption]:
            bad.append(f"inline chart {caption}")
    for path in sorted((maps / "charts").glob("*.svg")):
        labels = svg_bar_labels(path.read_text(encoding="utf-8"))
        if labels not in report_texts.values():
            bad.append(str(path.name))
    return bad


def read_reference(pub: Published) -> None:
    with open(REFERENCE / "offence_groups.csv", encoding="utf-8", newline="") as fh:
        pub.offence_group = {r["offence"]: r["group"] for r in csv.DictReader(fh)}
    with open(REFERENCE / "outcome_types.csv", encoding="utf-8", newline="") as fh:
        pub.outcome_group = {r["outcome_code"]: r["group"] for r in csv.DictReader(fh)}


def read_build(maps: Path, threshold: int) -> tuple[Published, list[str]]:
    """Everything a build published; also the charts whose labels disagree with their table."""
    pub = Published(threshold)
    read_reference(pub)
    years = sorted(int(p.stem.split("-")[1]) for p in maps.glob("map-*.html"))
    for y in years:
        read_map_page(pub, maps / f"map-{y}.html", y)
    read_csvs(pub, maps / "downloads")
    read_geojson(pub, maps / "downloads", years)
    read_geopackage(pub, maps / "downloads" / "hatecrime_maps.gpkg", years)
    texts = read_report(pub, maps)
    return pub, read_charts(maps, texts)


# --------------------------------------------------------------------------
# The attack


def sums(pub: Published, figures: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every sum the attacker knows to hold, over the figures it has seen."""
    out = []
    years = sorted({c[1] for c in figures})
    for y in years:
        areas = sorted(a for (yy, a) in pub.npu_of if yy == y)
        npus = sorted({pub.npu_of[(y, a)] for a in areas})
        force = key("victims", y, "force")
        out.append((force, [key("victims", y, "area", a) for a in areas]))
        out.append((force, [key("victims", y, "npu", n) for n in npus]))
        out.append((force, [key("victims", y, "force", "", s) for s in "FMU"]))
        bands = [c for c in figures if c[:3] == ("victims", y, "age_band")]
        out.append((force, bands))
        for n in npus:
            out.append(
                (
                    key("victims", y, "npu", n),
                    [key("victims", y, "area", a) for a in areas if pub.npu_of[(y, a)] == n],
                )
            )
        for a in areas:
            out.append(
                (key("victims", y, "area", a), [key("victims", y, "area", a, s) for s in "FMU"])
            )
        for s in "FMU":
            out.append(
                (
                    key("victims", y, "force", "", s),
                    [key("victims", y, "area", a, s) for a in areas],
                )
            )
        for kind, group_of in (("offence", pub.offence_group), ("outcome", pub.outcome_group)):
            total = key("crimes", y, f"{kind}s")
            items = [c for c in figures if c[:3] == ("crimes", y, kind)]
            groups = [c for c in figures if c[:3] == ("crimes", y, f"{kind}_group")]
            out.append((total, items))
            out.append((total, groups))
            out.append((key("crimes", y, "stated"), [total]))
            for g in groups:
                out.append((g, [c for c in items if group_of[c[3]] == g[3]]))
    # Keep only the sums every one of whose figures was published in some form.
    return [(t, p) for t, p in out if p and t in figures and all(c in figures for c in p)]


def recoverable(
    figures: dict, known_sums: list, nonzero: set, zero: set, threshold: int, stated: dict[int, int]
) -> dict[tuple, int]:
    """Withheld figures the attacker can pin to one whole number, with that number.

    ``nonzero`` and ``zero`` are the figures the attacker knows to be at least 1, or 0.
    """
    figures = dict(figures)
    for year, n in stated.items():
        figures[key("crimes", year, "stated")] = ("value", n)
    hidden = sorted((c for c, tok in figures.items() if tok[0] != "value"), key=repr)
    if not hidden:
        return {}
    index = {c: i for i, c in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in known_sums:
        row, rhs = np.zeros(len(hidden)), 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * figures[cell][1]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = []
    for c in hidden:
        high = threshold - 1 if figures[c] == FEWER else None
        bounds.append((0, 0) if c in zero else (1 if c in nonzero else 0, high))
    found = {}
    for cell in hidden:
        objective = np.zeros(len(hidden))
        objective[index[cell]] = 1
        lo = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        hi = linprog(
            -objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs"
        )
        assert lo.success and (hi.success or hi.status == 3), "figures contradict each other"
        if hi.status == 3:  # no upper bound: not pinned
            continue
        if math.ceil(lo.fun - 1e-6) >= math.floor(-hi.fun + 1e-6) and round(lo.fun) > 0:
            found[cell] = round(lo.fun)
    return found


def stated_totals(foi_text: str) -> dict[int, int]:
    """The number of crimes the answer's text states for each year."""
    return {
        int(y): int(n)
        for n, y in re.findall(
            r"There were (\d+) hate crimes that had taken place .*? for (\d{4})", foi_text
        )
    }
