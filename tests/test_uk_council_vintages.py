"""Councils of every date since April 2016: each abolished council with its last day.

A table is joined to the councils in force over its period: Cumbria's six
districts for 2021/22, Cumberland and Westmorland and Furness from April 2023.
A council abolished in April 2019 is drawn from the approximate 2018 set, and
says so. Each build is opened in Chromium.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.io import defaults
from tests.outputs.test_accessibility import axe, axe_source  # noqa: F401
from tests.pagedata import page_data
from tests.test_uk_builds import build_counts, download_rows, run, write_csv

UK = Boundaries(defaults.UK_BOUNDARIES)
COUNCILS = UK.catalogue.units["council"]
BY_NAME = COUNCILS.set_index("area")
CUMBRIA = [["Allerdale", 12], ["Carlisle", 30], ["Eden", 4], ["South Lakeland", 9]]
CUMBRIA_DISTRICTS = [
    "Allerdale",
    "Barrow-in-Furness",
    "Carlisle",
    "Copeland",
    "Eden",
    "South Lakeland",
]


@pytest.fixture(scope="module")
def cumbria(tmp_path_factory) -> Path:
    """Four of Cumbria's districts for 2021/22, before they were merged in April 2023."""
    folder = tmp_path_factory.mktemp("cumbria")
    table = write_csv(folder / "districts.csv", [["District", "Crimes"], *CUMBRIA])
    return build_counts(
        table,
        folder / "maps",
        "--force",
        "Cumbria Constabulary",
        "--period",
        "2021=2021-04-01..2022-03-31",
    )


def test_every_council_since_2016_is_held_with_its_dates_and_boundary_set():
    current = COUNCILS[COUNCILS["valid_to"] == ""]
    gone = COUNCILS[COUNCILS["valid_to"] != ""]
    assert len(current) == 361 and len(gone) == 42
    assert BY_NAME.loc["Allerdale", "valid_to"] == "2023-03-31"
    assert BY_NAME.loc["Allerdale", "vintage"] == "December 2021"
    assert BY_NAME.loc["Aylesbury Vale", "valid_to"] == "2020-03-31"
    assert BY_NAME.loc["Aylesbury Vale", "vintage"] == "December 2019"
    assert BY_NAME.loc["Corby", "vintage"] == "December 2020"
    assert BY_NAME.loc["Bournemouth", "confidence"] == "approximate"
    assert BY_NAME.loc["Bournemouth", "vintage"] == "April 2018 (approximate)"
    assert BY_NAME.loc["Buckinghamshire", "valid_from"] == "2020-04-01"
    # Estimates are those held on the council's own code: none for a year it did not exist.
    assert not pd_isna(BY_NAME.loc["Allerdale", "pop_mid2020"])
    assert pd_isna(BY_NAME.loc["Aylesbury Vale", "pop_mid2020"])
    assert not pd_isna(BY_NAME.loc["Aylesbury Vale", "pop_mid2019"])
    # The abolished councils cover what their successors do.
    layer = UK.layer("councils").set_index("council")
    for old, new in (
        (CUMBRIA_DISTRICTS, ["Cumberland", "Westmorland and Furness"]),
        (["Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe"], ["Buckinghamshire"]),
    ):
        before = layer.loc[old].union_all()
        after = layer.loc[new].union_all()
        assert before.symmetric_difference(after).area < 0.01 * after.area


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_map_keeps_the_councils_in_force_on_the_figures_last_day():
    thames_valley = ["Oxford"]
    before = UK.within("council", thames_valley, on=date(2020, 3, 31)).catalogue.units["council"]
    after = UK.within("council", thames_valley, on=date(2021, 3, 31)).catalogue.units["council"]
    assert {"Aylesbury Vale", "Wycombe"} <= set(before["area"])
    assert "Buckinghamshire" not in set(before["area"])
    assert "Buckinghamshire" in set(after["area"]) and "Wycombe" not in set(after["area"])
    # A force map's council lines are those of its day: no council overlaps another.
    forces = list(UK.catalogue.units["force"]["area"])
    lines = UK.within("force", forces, on=date(2019, 3, 31)).layer("councils")
    assert {"Bournemouth", "Aylesbury Vale"} <= set(lines["council"])
    assert not {"Bournemouth, Christchurch and Poole", "Buckinghamshire"} & set(lines["council"])
    assert lines.union_all().area == pytest.approx(lines.area.sum(), rel=1e-4)


def test_a_table_of_districts_is_drawn_on_the_councils_of_its_period(
    open_page,
    cumbria,
    axe_source,  # noqa: F811
):
    html = (cumbria / "map-2021.html").read_text(encoding="utf-8")
    data = page_data(html)
    assert sorted(data["areas"]["names"]) == CUMBRIA_DISTRICTS
    assert "drawn here: the councils of December 2021: Allerdale, Barrow-in-Furness" in html
    p = open_page((cumbria / "map-2021.html").as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    for view in ("count", "rate", "parent"):
        page.check(f'input[name="view"][value="{view}"]')
        assert axe(page, axe_source) == [], view
    page.check('input[name="view"][value="count"]')
    assert page.locator("#map path.leaflet-interactive").count() == 6
    fills = page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == 2
    page.check('input[name="view"][value="rate"]')
    carlisle = page.locator("#area-table tbody tr", has_text="Carlisle").first.inner_text()
    assert "mid-2020" in carlisle and "(95% CI" in carlisle
    p.shot("uk-cumbria-districts-2021.png")
    rows = download_rows(cumbria, "councils", "council")
    assert sorted(rows) == CUMBRIA_DISTRICTS
    assert rows["Carlisle"]["valid_to"] == "2023-03-31"
    assert rows["Carlisle"]["vintage"] == "December 2021"


def test_councils_merged_in_2019_are_drawn_approximately_and_say_so(tmp_path):
    table = write_csv(
        tmp_path / "d.csv", [["council", "crimes"], ["Weymouth and Portland", 6], ["Poole", 9]]
    )
    out = build_counts(table, tmp_path / "maps", "--period", "2018=2018-04-01..2019-03-31")
    html = (out / "map-2018.html").read_text(encoding="utf-8")
    names = sorted(page_data(html)["areas"]["names"])
    assert "Bournemouth" in names and "Bournemouth, Christchurch and Poole" not in names
    assert "drawn here: the councils of April 2018 (approximate)" in html
    assert "Boundary approximate: a council merged in April 2019" in html
    rows = download_rows(out, "councils", "council")
    assert rows["Poole"]["confidence"] == "approximate"
    assert rows["Poole"]["population_year"] == "2017"  # the nearest held on Poole's code


@pytest.mark.parametrize(
    ("rows", "period", "said"),
    [
        (
            [["district", "crimes"], *CUMBRIA],
            "2022=2022-04-01..2024-03-31",
            "t.csv:2: 'Allerdale' is a council until 31 March 2023, but the figures cover 1 "
            "April 2022 to 31 March 2024: it did not exist for all of that period",
        ),
        (
            [["council", "crimes"], ["Aylesbury Vale", 3], ["Buckinghamshire", 8]],
            "2019=2019-04-01..2020-03-31",
            "t.csv:3: 'Buckinghamshire' is a council from 1 April 2020, but the figures cover "
            "1 April 2019 to 31 March 2020",
        ),
    ],
)
def test_a_council_named_for_a_period_it_did_not_wholly_exist_in_is_refused(
    tmp_path, rows, period, said
):
    table = write_csv(tmp_path / "t.csv", rows)
    out = tmp_path / "maps"
    result = run("build", "--counts", str(table), "--period", period, "--out", str(out))
    assert result.returncode == 2
    assert said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_published_figures_on_earlier_councils_draw_in_the_notebook(tmp_path):
    import hatecrime_maps as hm

    table = write_csv(tmp_path / "d.csv", [["district", "crimes"], *CUMBRIA])
    answer = hm.read_answer(table, periods={2021: "2021-04-01..2022-03-31"})
    rendered = hm.folium_map(hm.published(answer), 2021, tiles=None).get_root().render()
    assert "Allerdale" in rendered and "Cumberland" not in rendered


CUMBRIA_YEARS = (
    "--period",
    "2021=2021-04-01..2022-03-31",
    "--period",
    "2023=2023-04-01..2024-03-31",
)
CUMBRIA_2021 = {
    "Allerdale": 12,
    "Barrow-in-Furness": 7,
    "Carlisle": 30,
    "Copeland": 5,
    "Eden": 4,
    "South Lakeland": 9,
}


def cumbria_table(path: Path, districts: dict[str, int]) -> Path:
    """Cumbria's districts for 2021/22 and its two councils for 2023/24, in one table."""
    rows: list[list[object]] = [["council", "year", "crimes"]]
    rows += [[name, 2021, n] for name, n in districts.items()]
    rows += [["Cumberland", 2023, 51], ["Westmorland and Furness", 2023, 22]]
    return write_csv(path, rows)


def build_cumbria(folder: Path, districts: dict[str, int]) -> tuple[Path, str]:
    """The maps of :func:`cumbria_table`'s table, and the notes the build printed."""
    table = cumbria_table(folder / "cumbria.csv", districts)
    out = folder / "maps"
    result = run(
        "build", "--counts", str(table), *CUMBRIA_YEARS, "--tiles", "none", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    return out, result.stderr


def figures_by_year(out: Path, layer: str, key: str) -> dict[tuple[str, str], dict[str, str]]:
    import csv

    with (out / "downloads" / f"{layer}.csv").open(encoding="utf-8") as fh:
        return {(r[key], r["year"]): r for r in csv.DictReader(fh)}


def test_a_table_spanning_a_reorganisation_is_drawn_on_its_last_years_councils(
    tmp_path,
    open_page,
    axe_source,  # noqa: F811
):
    out, notes = build_cumbria(tmp_path, CUMBRIA_2021)
    assert (
        "note: the figures of Allerdale, Carlisle and Copeland for 2021/22 are summed into "
        "Cumberland, the council they became part of on 1 April 2023" in notes
    )
    # Both years are the same two councils, the earlier one summed from its districts.
    for year in ("2021", "2023"):
        html = (out / f"map-{year}.html").read_text(encoding="utf-8")
        assert sorted(page_data(html)["areas"]["names"]) == [
            "Cumberland",
            "Westmorland and Furness",
        ]
        assert "so that every year is drawn on the same councils" in html
        assert (
            "<li>Earlier councils: the figures of Allerdale, Carlisle and Copeland for 2021/22"
            in html
        )
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Earlier councils: the figures of Barrow-in-Furness, Eden and South Lakeland" in report
    rows = figures_by_year(out, "councils", "council")
    assert rows["Cumberland", "2021"]["victims"] == "47"  # 12 + 30 + 5
    assert rows["Westmorland and Furness", "2021"]["victims"] == "20"  # 7 + 4 + 9
    assert rows["Cumberland", "2023"]["victims"] == "51"
    assert not any(name in CUMBRIA_2021 for name, _ in rows)
    # A change between the years compares the same areas.
    changes = figures_by_year_change(out)
    assert changes["Cumberland"]["earlier_count"] == "47"
    assert changes["Cumberland"]["later_count"] == "51"
    p = open_page((out / "map-2021.html").as_uri())
    assert p.errors == [] and p.violations() == []
    assert p.page.locator("#map path.leaflet-interactive").count() == 2
    source = p.page.locator("#area-table tbody tr", has_text="Cumberland").first.inner_text()
    assert "47" in source


def figures_by_year_change(out: Path) -> dict[str, dict[str, str]]:
    import csv

    with (out / "downloads" / "change.csv").open(encoding="utf-8") as fh:
        return {r["area"]: r for r in csv.DictReader(fh) if r["level"] == "area"}


def test_a_successor_whose_earlier_councils_are_not_all_given_has_no_data_for_that_year(
    tmp_path,
):
    out, notes = build_cumbria(tmp_path, {k: v for k, v in CUMBRIA_2021.items() if k != "Copeland"})
    assert (
        "Cumberland has no data for 2021/22: it was made of Allerdale, Carlisle and Copeland "
        "then, and the table does not give them all" in notes
    )
    rows = figures_by_year(out, "councils", "council")
    assert rows["Cumberland", "2021"]["victims"] == ""
    assert rows["Cumberland", "2021"]["victims_status"] == "no_data"
    assert rows["Westmorland and Furness", "2021"]["victims"] == "20"
    changes = figures_by_year_change(out)
    assert changes["Cumberland"]["change_status"] == "no_data"
    assert changes["Cumberland"]["earlier_count"] == changes["Cumberland"]["later_count"] == ""
    # A population is a whole number of people, whether or not another row is empty.
    assert changes["Westmorland and Furness"]["earlier_population"] == "225385"


def test_a_successor_named_for_a_year_before_it_points_to_the_councils_it_replaced(tmp_path):
    table = write_csv(
        tmp_path / "t.csv",
        [["council", "year", "crimes"], ["Cumberland", 2021, 3], ["Cumberland", 2023, 4]],
    )
    result = run("build", "--counts", str(table), *CUMBRIA_YEARS, "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert (
        "t.csv:2: 'Cumberland' is a council from 1 April 2023, but the figures cover 1 April "
        "2021 to 31 March 2024: it did not exist for all of that period; figures from before "
        "it are of the councils it replaced (Allerdale, Carlisle and Copeland)"
    ) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "m").exists()


@pytest.mark.parametrize(
    ("later", "period", "into"),
    [
        ("Somerset West and Taunton", "2019=2019-04-01..2020-03-31", "Somerset West and Taunton"),
        ("Somerset", "2023=2023-04-01..2024-03-31", "Somerset"),
    ],
)
def test_figures_follow_the_chain_of_reorganisations_to_the_last_years_council(
    tmp_path, later, period, into
):
    import hatecrime_maps as hm

    rows = [["council", "year", "crimes"], ["Taunton Deane", 2018, 6], ["West Somerset", 2018, 2]]
    others = ["Mendip", "Sedgemoor", "South Somerset"] if into == "Somerset" else []
    rows += [[name, 2018, 1] for name in others]
    year = int(period[:4])
    rows += [[later, year, 9]]
    table = write_csv(tmp_path / "somerset.csv", rows)
    answer = hm.read_answer(table, periods={2018: "2018-04-01..2019-03-31", year: period[5:]})
    figures = hm.published(answer).areas.set_index(["area", "year"])
    assert figures.loc[(into, 2018), "victims"] == 8 + len(others)
    assert figures.loc[(into, year), "victims"] == 9
    assert "Taunton Deane" not in set(figures.index.get_level_values("area"))
