"""Render tables as FOI answer text, the way West Midlands Police answers look.

Used by the property-based tests: whatever this writes, the parser must read
back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

FOOTER = "WEST MIDLANDS POLICE 1186A/20 ATTACHMENT"


@dataclass
class VictimsTable:
    year: int
    sex_columns: list[tuple[str, str]]  # (sex code, label as printed), in printed order
    areas: list[tuple[str, list[tuple[str, dict[str, int]]]]]  # name, [(age label, counts)]
    area_markup: bool
    age_markup: bool
    page_breaks: set[int]  # break before these data-row indexes; rows after are shifted


@dataclass
class ItemsTable:
    kind: str  # "offences" or "outcomes"
    year: int
    rows: list[tuple[str, int]]
    total_column: str  # "none", "filled" or "empty"
    markup: bool


def _i(text: str, on: bool) -> str:
    return f"<i>{text}</i>" if on else text


def render_victims(t: VictimsTable) -> list[str]:
    sexes = [label for _, label in t.sex_columns]
    pad = [""] * len(sexes)
    lines = [
        "\t".join(
            [
                "<i>Victims by Age, Sex and Towns, Cities and Villages</i>",
                "<i>Year/Gender</i>",
                *pad[1:],
                "<i>Total</i>",
            ]
        ),
        "\t".join(["", f"<i>{t.year}</i>", *pad[1:], ""]),
        "\t".join(["<i>Town/City</i>", *(f"<i>{s}</i>" for s in sexes), ""]),
    ]
    shifted = False
    index = 0

    def row(label: str, counts: dict[str, int], *, is_age: bool, markup: bool) -> str:
        values = [str(counts[c]) if counts.get(c) else "" for c, _ in t.sex_columns]
        total = str(sum(counts.values()))
        if shifted:
            lead = ["", label] if is_age else [label, ""]  # markup is lost after the break
            return "\t".join([*lead, *values, total])
        return "\t".join([_i(label, markup), *values, total])

    for area, ages in t.areas:
        for item in [(area, None), *ages]:
            if index in t.page_breaks:
                lines += ["", FOOTER, ""]
                shifted = True
            index += 1
            label, counts = item if item[1] is not None else (area, None)
            if counts is None:
                counts = {c: sum(a[1].get(c, 0) for a in ages) for c, _ in t.sex_columns}
                lines.append(row(label, counts, is_age=False, markup=t.area_markup))
            else:
                lines.append(
                    row(label, counts, is_age=True, markup=t.age_markup and not label.isdigit())
                )
    totals = {c: sum(a[1].get(c, 0) for _, ages in t.areas for a in ages) for c, _ in t.sex_columns}
    lines.append(row("Total", totals, is_age=False, markup=False))
    return lines


def render_items(t: ItemsTable) -> list[str]:
    first = "Offence" if t.kind == "offences" else "Clear up Code"
    extra = {"none": [], "filled": ["Total"], "empty": ["Total"]}[t.total_column]
    lines = [
        "\t".join([f"Number of hate crimes by {t.kind}", "", *[""] * len(extra)]),
        "\t".join([first, str(t.year), *extra]),
    ]
    for label, n in t.rows:
        tail = {"none": [], "filled": [str(n)], "empty": [""]}[t.total_column]
        lines.append("\t".join([_i(label, t.markup), str(n), *tail]))
    total = sum(n for _, n in t.rows)
    tail = {"none": [], "filled": [str(total)], "empty": [""]}[t.total_column]
    lines.append("\t".join(["Total", str(total), *tail]))
    return lines


def render_answer(
    victims: VictimsTable, offences: ItemsTable, outcomes: ItemsTable, newline: str
) -> str:
    total = sum(n for _, n in offences.rows)
    lines = [
        "",
        f"There were {total} hate crimes that had taken place in the force area for "
        f"{victims.year}.",
        "",
        *render_items(offences),
        "",
        "Can you provide any details of the victims?",
        "",
        *render_victims(victims),
        "",
        *render_items(outcomes),
        "",
        "Please note that the above figures are the outcomes of the crime.",
    ]
    return newline.join(lines) + newline
