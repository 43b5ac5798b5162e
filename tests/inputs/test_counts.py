"""Reading counts tables: any header order, encoding, delimiter, BOM and blank lines."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hatecrime_maps.errors import InputError
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.inputs import counts
from tests.conftest import ROOT

HEADER_LEVELS = Boundaries(ROOT / "boundaries").catalogue.header_levels()
"""The project's level words ("ward", "borough code"), as a build hands them to the reader."""


def read_counts(path, **options):
    """Read a counts table as a build on the project's boundaries does."""
    return counts.read_counts(path, header_levels=HEADER_LEVELS, **options)


AREA_NAMES = [
    "Aston",
    "Ladywood",
    "Nechells",
    "Bablake",
    "St Michael's",
    "Sparkbrook & Balsall Heath East",
]
AREA_HEADERS = ["area", "Area", "NAME", "Ward", "ward name"]
COUNT_HEADERS = {"count": "count", "Victims": "victims", "crimes": "crimes", "Offences": "crimes"}
SEX_WORDS = {"F": ["F", "Female", "female"], "M": ["M", "Male"], "U": ["U", "Unknown"]}


@st.composite
def tables(draw):
    """A random counts table as written by a spreadsheet, and the figures it holds."""
    names = draw(st.lists(st.sampled_from(AREA_NAMES), min_size=1, max_size=6, unique=True))
    years = draw(st.sampled_from([None, [2021], [2021, 2022]]))
    with_sex = draw(st.booleans())
    area_h = draw(st.sampled_from(AREA_HEADERS))
    count_h = draw(st.sampled_from(sorted(COUNT_HEADERS)))
    columns = [area_h, count_h] + (["Year"] if years else []) + (["Sex"] if with_sex else [])
    columns = draw(st.permutations(columns))
    figures, rows = [], []
    for name in names:
        for year in years or [None]:
            for sex in ("F", "M", "U") if with_sex else (None,):
                n = draw(st.integers(0, 5000))
                figures.append((name, year, sex, n))
                cell = {
                    area_h: name,
                    count_h: f"{n:,}" if draw(st.booleans()) else str(n),
                    "Year": str(year),
                    "Sex": draw(st.sampled_from(SEX_WORDS[sex])) if sex else "",
                }
                rows.append([cell[c] for c in columns])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    delimiter = draw(st.sampled_from([",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    blanks = draw(st.lists(st.integers(0, len(rows)), max_size=3))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    for i, row in enumerate(rows):
        for _ in range(blanks.count(i)):
            buf.write(newline)
        writer.writerow(row)
    return buf.getvalue().encode(encoding), figures, COUNT_HEADERS[count_h], with_sex


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tables())
def test_any_layout_reads_back_to_the_same_figures(tmp_path, table):
    data, figures, measure, with_sex = table
    path = tmp_path / "counts.csv"
    path.write_bytes(data)
    read = read_counts(path)
    assert [(r.area, r.year, r.sex, r.count) for r in read.rows] == figures
    assert read.measure == measure and read.has_sex == with_sex


def test_a_spreadsheet_reads_like_its_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Borough", "Year", "Female", "Male", "Unknown", "Total"])
    sheet.append(["Coventry", 2023, 3, 4, None, 7])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Dudley", 2023, 1, 0, 2, 3])
    book.save(tmp_path / "counts.xlsx")
    read = read_counts(tmp_path / "counts.xlsx")
    assert [(r.line, r.area, r.year, r.sex, r.count) for r in read.rows] == [
        (2, "Coventry", 2023, "F", 3),
        (2, "Coventry", 2023, "M", 4),
        (2, "Coventry", 2023, "U", 0),
        (4, "Dudley", 2023, "F", 1),
        (4, "Dudley", 2023, "M", 0),
        (4, "Dudley", 2023, "U", 2),
    ]
    assert read.has_sex and read.measure == "victims"


@pytest.mark.parametrize(
    "text,words",
    [
        ("area,count\nAston,3.5\n", "counts.csv:2: count '3.5' is not a whole number"),
        ("area,count\nAston,-2\n", "counts.csv:2: count '-2' is negative"),
        ("area,count\nAston,\n", "counts.csv:2: count is empty (write 0 for none)"),
        ("area,count\nAston,3\nASTON,4\n", "counts.csv:3: 'ASTON' is given twice (also on line 2)"),
        (
            "place,number\nAston,3\n",
            "counts.csv:1: no area column: no header is one of area, "
            "name, code (headers seen: 'place', 'number')",
        ),
        ("area,number\nAston,3\n", "counts.csv:1: no count column"),
        (
            "area,year,count\nAston,2016/17,3\n",
            "year '2016/17' is a financial year: label it by its first year (2016)",
        ),
        ("area,sex,count\nAston,X,3\n", "counts.csv:2: sex 'X' is not F, M or U"),
        (
            "area,count\nAston,3\nNechells,2\nTotal,6\n",
            "counts.csv:4: the Total row says 6 but the rows above add up to 5",
        ),
        (
            "area,F,M,U,Total\nAston,1,2,0,4\n",
            "counts.csv:2: Total 4 is not the sum of the sex columns (3)",
        ),
        ("area,count\nAston,3,9\n", "counts.csv:2: row has 3 cells but the header has 2"),
        ("ward,2019,2020\nAston,3,\n", "counts.csv:2: 2020 count is empty (write 0 for none)"),
        (
            "ward,2019/20,2020/21\nAston,3,4\n",
            "counts.csv:1: year '2019/20' is a financial year: label it by its first year (2019)",
        ),
        (
            "ward,count,2019\nAston,3,4\n",
            "counts.csv:1: has one column per year (2019) and a 'count' column",
        ),
        (
            "ward,year,2019,2020\nAston,2019,3,4\n",
            "counts.csv:1: has one column per year (2019, 2020) and a 'year' column",
        ),
        # A table of strands: one column per strand, each checked like the count.
        (
            "area,count,race,racial\nAston,3,2,1\n",
            "counts.csv:1: 'race' and 'racial' are both the race strand: give it once",
        ),
        (
            "ward,2019,2020,race\nAston,3,4,2\n",
            "counts.csv:1: has one column per strand (race) and one column per year",
        ),
        (
            "area,sex,count,religion\nAston,F,3,1\n",
            "counts.csv:1: has one column per strand (religion) and a split by sex",
        ),
        (
            "area,count,race\nAston,3,x\n",
            "counts.csv:2: race count 'x' is not a whole number",
        ),
        (
            "area,count,race\nAston,3,2\nNechells,2,1\nTotal,5,4\n",
            "counts.csv:4: the Total row says 4 for the race strand but the rows above add up to 3",
        ),
    ],
)
def test_bad_tables_are_refused_naming_the_line(tmp_path, text, words):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_counts(path)
    assert words in str(err.value).replace(str(tmp_path) + "/", "")


def test_columns_can_be_named(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("place,recorded,notes\nAston,3,x\n", encoding="utf-8")
    read = read_counts(path, area_column="place", count_column="Recorded")
    assert [(r.area, r.count) for r in read.rows] == [("Aston", 3)]
    with pytest.raises(InputError, match="--count-column 'tally' is not a column"):
        read_counts(path, area_column="place", count_column="tally")


def test_a_total_row_is_checked_not_mapped(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("area,count\nAston,3\nNechells,2\nTotal,5\n", encoding="utf-8")
    read = read_counts(path)
    assert [r.area for r in read.rows] == ["Aston", "Nechells"]
    assert [t.count for t in read.totals] == [5]


def _book(tmp_path, rows, name="counts.xlsx", hide=()):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    for r in hide:
        book.active.row_dimensions[r].hidden = True
    book.save(tmp_path / name)
    return tmp_path / name


WARD_ROWS = [("ward", "victims"), ("Aston", 5), ("Nechells", 3), ("Ladywood", 12)]


def test_rows_past_a_stale_used_range_are_read(tmp_path):
    import zipfile

    # Some writers store a wrong used range (<dimension>); every row is read all the same.
    good = _book(tmp_path, WARD_ROWS, "good.xlsx")
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(stale, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B4"' in data
                data = data.replace(b'<dimension ref="A1:B4"', b'<dimension ref="A1:B2"')
            zout.writestr(item, data)
    read = read_counts(stale)
    assert [(r.area, r.count) for r in read.rows] == [
        ("Aston", 5),
        ("Nechells", 3),
        ("Ladywood", 12),
    ]


def test_hidden_spreadsheet_rows_are_refused_by_row(tmp_path):
    path = _book(tmp_path, WARD_ROWS, hide=(3,))
    with pytest.raises(InputError) as err:
        read_counts(path)
    assert str(err.value).startswith(f"{path}:3: row 3 of sheet 'Sheet' is hidden")


def test_a_formula_with_no_saved_result_is_named_as_one(tmp_path):
    path = _book(tmp_path, [("ward", "victims"), ("Aston", 5), ("Nechells", "=B2*2")])
    with pytest.raises(InputError) as err:
        read_counts(path)
    assert str(err.value) == (
        f"{path}:3: cell B3 is a formula ('=B2*2') with no saved result; open and save the "
        "workbook in a spreadsheet program, or type the figure"
    )


def test_a_header_only_spreadsheet_says_what_the_csv_says(tmp_path):
    xlsx = _book(tmp_path, [("ward", "victims")])
    csv_path = tmp_path / "counts.csv"
    csv_path.write_text("ward,victims\n", encoding="utf-8")
    messages = []
    for path in (xlsx, csv_path):
        with pytest.raises(InputError) as err:
            read_counts(path)
        messages.append(err.value.message)
    assert messages == ["has a header but no rows of figures"] * 2


def test_a_very_long_cell_is_cut_in_the_message(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("area,count\nAston," + "9x" * 60_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_counts(path)
    assert len(str(err.value)) < 300
    assert "(120,000 characters)" in str(err.value)


@pytest.mark.parametrize(
    "rows,line,words",
    [
        # E05011121 is Aston: the name says Nechells, so the 3 cannot be put anywhere.
        (["Nechells,E05011121,3"], 2, "'E05011121' is 'Aston' but 'Nechells' is 'Nechells'"),
        (["Aston,E05011121,1", "Nowhere,E05011151,2"], 3, "'Nowhere' is no ward"),
    ],
)
def test_a_name_and_a_code_that_disagree_are_refused(tmp_path, rows, line, words):
    import hatecrime_maps as hm

    path = tmp_path / "counts.csv"
    path.write_text("ward name,ward code,victims\n" + "\n".join(rows) + "\n", encoding="utf-8")
    answer = hm.read_answer(path, periods={2021: "2021-01-01..2021-12-31"})
    with pytest.raises(hm.AreaError) as err:
        hm.published(answer)
    assert str(err.value).startswith(f"{path}:{line}: the name and the code disagree")
    assert words in str(err.value)


def test_a_name_and_a_code_that_agree_map_to_their_area(tmp_path):
    import hatecrime_maps as hm

    path = tmp_path / "counts.csv"
    path.write_text(
        "ward name,ward code,victims\nAston,E05011121,3\nLadywood,E05011151,2\n", encoding="utf-8"
    )
    answer = hm.read_answer(path, periods={2021: "2021-01-01..2021-12-31"})
    frame = hm.figures(answer, year=2021).set_index("ward_name")
    assert int(frame.loc["Aston", "victims"]) == 3 and int(frame.loc["Ladywood", "victims"]) == 2


def test_one_column_per_year_is_years_not_measures(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(
        "Ward,2019,2020,2021\nAston,3,5,0\nLadywood,1,0,12\nTotal,4,5,12\n", encoding="utf-8"
    )
    read = read_counts(path)
    assert read.years == [2019, 2020, 2021] and read.has_year and not read.has_sex
    assert [(r.line, r.area, r.year, r.count) for r in read.rows] == [
        (2, "Aston", 2019, 3),
        (2, "Aston", 2020, 5),
        (2, "Aston", 2021, 0),
        (3, "Ladywood", 2019, 1),
        (3, "Ladywood", 2020, 0),
        (3, "Ladywood", 2021, 12),
    ]
    assert [(t.year, t.count) for t in read.totals] == [(2019, 4), (2020, 5), (2021, 12)]
    # The same table written long reads to the same figures.
    long = tmp_path / "long.csv"
    long.write_text(
        "ward,year,count\n" + "".join(f"{r.area},{r.year},{r.count}\n" for r in read.rows),
        encoding="utf-8",
    )
    assert [(r.area, r.year, r.count) for r in read_counts(long).rows] == [
        (r.area, r.year, r.count) for r in read.rows
    ]
    path.write_text("Ward,2019,2020\nAston,3,5\nTotal,3,6\n", encoding="utf-8")
    with pytest.raises(InputError, match="the Total row says 6 but the rows above add up to 5"):
        read_counts(path)


@pytest.mark.parametrize(
    "header,measure,hint",
    [
        ("Council,Offences", "crimes", "borough"),
        ("District,Crimes", "crimes", "borough"),
        ("Local authority,Victims", "victims", "borough"),
        ("Ward,Incidents", "incidents", "ward"),
        ("Force,Reports", "reports", None),
        ("Division,Outcomes", "outcomes", None),
        ("CSP,Count", "count", None),
        ("Neighbourhood,Number of incidents", "incidents", None),
    ],
)
def test_headers_as_people_write_them(tmp_path, header, measure, hint):
    from hatecrime_maps.io import defaults

    path = tmp_path / "counts.csv"
    path.write_text(f"{header}\nSomewhere,3\n", encoding="utf-8")
    header_levels = Boundaries(defaults.BOUNDARIES).catalogue.header_levels()
    read = counts.read_counts(path, header_levels=header_levels)
    level = counts.level_of_header(read.level_hint, header_levels)
    assert read.measure == measure and level == hint
    assert [(r.area, r.count) for r in read.rows] == [("Somewhere", 3)]


def test_a_column_per_strand_is_a_figure_of_its_own(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(
        "force,year,offences,Race,Religion,Sexual orientation,Disability,Transgender\n"
        "Kent,2018,10,8,2,1,0,1\nTotal,2018,10,8,2,1,0,1\n",
        encoding="utf-8",
    )
    read = read_counts(path)
    assert read.measure == "crimes"
    assert read.measures == (
        "",
        "race",
        "religion",
        "sexual_orientation",
        "disability",
        "transgender",
    )
    by_strand = {r.strand: r.count for r in read.rows}
    # Strands overlap: 8 + 2 + 1 + 0 + 1 is more than the 10 offences, and that is no error.
    assert by_strand == {
        "": 10,
        "race": 8,
        "religion": 2,
        "sexual_orientation": 1,
        "disability": 0,
        "transgender": 1,
    }
    # A chosen count column is the one figure, whatever else the table holds.
    chosen = read_counts(path, count_column="race")
    assert chosen.measures == ("",) and [r.count for r in chosen.rows] == [8]


def test_strand_columns_alone_are_the_figures(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("council,race,religion\nCamden,5,3\n", encoding="utf-8")
    read = read_counts(path)
    assert read.measures == ("race", "religion")
    assert [(r.strand, r.count) for r in read.rows] == [("race", 5), ("religion", 3)]
