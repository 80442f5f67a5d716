"""Properties of the loader under random input: no valid row is ever lost, and no broken file ever
escapes as a traceback from inside pandas, frictionless or pybtex.

PANSEC_FUZZ_EXAMPLES raises the number of examples for a longer hunt (the default keeps the
file under half a minute).
"""

from __future__ import annotations

import csv
import io
import datetime
import os
import re
import tempfile
from pathlib import Path

from datacopies import PROBLEM_FORMAT, fixture_copy
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from pansec.load import load_chronology
from pansec.validate import DataError

EXAMPLES = int(os.environ.get("PANSEC_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# No bloc organisation: a random row naming NATO or the Warsaw Pact with states of the other side
# would break the membership rule, which tests/bad_data/bloc-membership checks on its own.
ACTORS = ["ussr", "usa", "uk", "france", "frg", "molotov"]
KEYS = ["hotta2026", "ussr1954securitytreaty", "mastny2002nato"]
TABLES = ["events.csv", "actors.csv", "exchanges.csv", "claims.csv", "periods.csv", "participation.csv",
          "references.bib", "datapackage.json"]

# Any printable text, line breaks, commas and quotes included; no markup and no invisible characters,
# which the validator rightly refuses.
text = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<\ufeff")
    | st.sampled_from([",", '"', ";", "\n", "\r\n", "'", " ", "\u00a0", "Молотов", "ł", "< 2"]),
    min_size=1,
    max_size=40,
).map("".join).filter(lambda value: value.strip())


@st.composite
def events(draw, number):
    """A valid event row, with a date at a random precision and the rules between its cells kept."""
    day = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2000, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    shape = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}[precision]
    date = day.strftime(shape)
    end_date = ""
    if precision == "day" and draw(st.booleans()):
        end_date = (day + datetime.timedelta(days=draw(st.integers(1, 40)))).strftime(shape)
    basis = draw(st.sampled_from(["paper", "reference", "relative"]))
    paper_date = {"paper": date, "relative": ""}.get(basis) or draw(st.sampled_from(["", date[:4], date[:7]]))
    provenance = draw(st.sampled_from(["paper", "external"]))
    section = draw(st.sampled_from(["introduction", "1", "2", "3", "conclusion"] + ([""] if provenance == "external" else [])))
    return [
        f"fuzz-{number}-" + draw(st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)),
        date, end_date, paper_date, basis,
        draw(text.filter(lambda value: len(value.strip()) <= 120)),
        draw(st.sampled_from(["proposal", "response", "declaration", "statement", "conference", "treaty",
                              "ratification", "context"])),
        ";".join(draw(st.lists(st.sampled_from(ACTORS), min_size=1, max_size=4, unique=True))),
        draw(st.sampled_from(["east", "west", "neutral", "both"])),
        section,
        draw(st.sampled_from(["", "1", "16", " 7 "])),
        ";".join(draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))),
        provenance,
        draw(text),
    ]


@st.composite
def event_rows(draw):
    count = draw(st.integers(1, 12))
    return [draw(events(number)) for number in range(count)]


def check_problems(error: DataError, folder: Path) -> None:
    for problem in error.problems:
        line = str(problem)
        assert re.match(PROBLEM_FORMAT, line), line
        assert "\n" not in line and "\r" not in line, line
        assert problem.line >= 1
        assert line.startswith(str(folder)), line
        line.encode("utf-8")  # printable on any UTF-8 terminal


@FUZZ
@given(rows=event_rows())
def test_valid_rows_are_never_lost(rows):
    with tempfile.TemporaryDirectory() as tmp:
        folder = fixture_copy(Path(tmp))
        with open(folder / "events.csv", encoding="utf-8", newline="") as f:
            before = sum(1 for _ in csv.DictReader(f))
        with open(folder / "events.csv", "a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        # A valid event dated from a reference also has its review row (pansec/rules/review.py).
        with open(folder / "review.csv", "a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(
                [row[0], "date", "hotta2026", "not located", "", "unconfirmed", "A fuzzed row."] for row in rows)
        events = load_chronology(folder).events.set_index("id")
    assert len(events) == before + len(rows)
    for row in rows:
        assert events.loc[row[0], "title"] == row[5].strip()
        assert events.loc[row[0], "summary"] == row[13].strip()
        assert events.loc[row[0], "actors"] == row[7].split(";")


TROUBLE = [b",", b'"', b"\n", b"\r", b"\xe9", b"\xff\xfe", b"\x00", b"<script>", b";", b"1954-02-30", b"\t",
           b"{", b"}", b"@", b"\xef\xbb\xbf", b"-", b"0", b"\xd0\x9c", b"\\", b"#"]

mutation = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(TROUBLE) | st.binary(min_size=1, max_size=6)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("duplicate-line"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("swap-lines"), st.floats(0, 1), st.floats(0, 1)),
)


def mutate(data: bytes, how) -> bytes:
    kind, where, what = how
    at = int(where * len(data))
    if kind == "insert":
        return data[:at] + what + data[at:]
    if kind == "delete":
        return data[:at] + data[at + what:]
    if kind == "truncate":
        return data[:at]
    lines = data.split(b"\n")
    first = min(int(where * len(lines)), len(lines) - 1)
    if kind == "duplicate-line":
        return b"\n".join(lines[: first + 1] + [lines[first]] + lines[first + 1:])
    second = min(int(what * len(lines)), len(lines) - 1)
    lines[first], lines[second] = lines[second], lines[first]
    return b"\n".join(lines)


@FUZZ
@given(table=st.sampled_from(TABLES), mutations=st.lists(mutation, min_size=1, max_size=3))
def test_corrupted_files_give_located_problems_never_tracebacks(table, mutations):
    with tempfile.TemporaryDirectory() as tmp:
        folder = fixture_copy(Path(tmp))
        path = folder / table
        data = path.read_bytes()
        for how in mutations:
            data = mutate(data, how)
        path.write_bytes(data)
        try:
            load_chronology(folder)
            event("still valid")
        except DataError as error:
            check_problems(error, folder)
            event("rejected")


breaking = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), st.just(b"\xff")),
    st.tuples(st.just("duplicate-row"), st.floats(0, 1), st.just(0)),
)


@FUZZ
@given(table=st.sampled_from([t for t in TABLES if t.endswith(".csv")]), how=breaking)
def test_certain_corruptions_are_always_caught_in_their_file(table, how):
    with tempfile.TemporaryDirectory() as tmp:
        folder = fixture_copy(Path(tmp))
        path = folder / table
        data = path.read_bytes()
        if how[0] == "duplicate-row":  # a data row twice breaks the table's key
            lines = data.rstrip(b"\n").split(b"\n")
            row = 1 + int(how[1] * (len(lines) - 1))
            row = min(row, len(lines) - 1)
            data = b"\n".join(lines + [lines[row]]) + b"\n"
        else:
            data = mutate(data, how)
        path.write_bytes(data)
        try:
            load_chronology(folder)
        except DataError as error:
            check_problems(error, folder)
            assert any(p.file == str(path) for p in error.problems), [str(p) for p in error.problems]
        else:
            raise AssertionError(f"{table} was accepted after {how}")


# Cells as a spreadsheet writes them (plain, or quoted with commas, quotes and line breaks inside)
# and now and then what a CSV reader can stumble on: stray quotes, carriage returns, NUL, byte-order
# marks, leading spaces, rows of another width, blank lines.
hazard = st.sampled_from(['"', ",", "\n", "\r\n", "\r", " ", "\t", "\x00", "\ufeff", "\n\n", "", "\x1f", "\u00a0"])
plain_cell = st.text(st.sampled_from("ab é-;Молотов"), max_size=6)
quoted_cell = st.lists(st.sampled_from(["a", "é", ",", '""', "\n", "\r\n", " ", ";", "\t"]), max_size=6).map(lambda parts: f'"{"".join(parts)}"')
csv_cell = st.one_of(plain_cell, plain_cell, quoted_cell, st.tuples(plain_cell, hazard, plain_cell).map("".join))
csv_row = st.one_of(st.lists(csv_cell, min_size=3, max_size=3), st.lists(csv_cell, min_size=3, max_size=3),
                    st.lists(csv_cell, max_size=4)).map(",".join)
csv_text = st.tuples(st.lists(csv_row, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"])).map(
    lambda rows_and_end: rows_and_end[1].join(rows_and_end[0]))


@settings(max_examples=max(EXAMPLES * 10, 400), deadline=None)
@given(head=st.sampled_from(["a,b,c\n", '"a","b",c\r\n', "\na,b,c\n"]), body=csv_text, end=st.sampled_from(["", "\n", "\r\n"]))
def test_the_quick_reader_reads_what_the_strict_reader_reads_or_leaves_it_to_it(head, body, end):
    """pandas' parser is used on a file only when it gives the strict reader's very cells and lines."""
    from pansec.read.quick import quick_records
    from pansec.read.tables import records, whole_rows

    text = head + body + end
    quick = quick_records(text.encode("utf-8"))
    event("read quickly" if quick is not None else "left to the strict reader")
    if quick is None:
        return
    problems = []
    rows, lines = records(text, "t.csv", problems)
    good_rows, good_lines = whole_rows(rows[1:], lines[1:], len(rows[0]), "t.csv", problems)
    header, header_line, cells, cell_lines, edges_plain = quick
    assert not problems
    assert (header, header_line) == (rows[0], lines[0])
    assert cells.tolist() == good_rows and cell_lines.tolist() == good_lines
    if edges_plain:
        assert all(cell == cell.strip() for row in good_rows for cell in row), "nothing to strip"


# Cells with what the plain-text rule looks for (markup, control characters, a stray byte-order
# mark) beside what it allows (tabs, line breaks, '<' before a space, characters beyond ASCII).
safe_text = st.lists(st.sampled_from(["a", "é", " ", "\t", ",", '"', "Молотов"]), max_size=4).map("".join)
rule_hazard = st.sampled_from(["<", "<b>", "< 2", "\x00", "\x07", "\x0b", "\x1f", "\x7f", "\ufeff", "\u200b", "\x85", "\n", "\r\n"])
byte_cell = st.one_of(safe_text, safe_text, st.tuples(safe_text, rule_hazard, safe_text).map("".join))


@settings(max_examples=max(EXAMPLES * 10, 400), deadline=None)
@given(rows=st.lists(st.lists(byte_cell, min_size=2, max_size=2), min_size=1, max_size=5))
def test_a_file_whose_bytes_are_plain_holds_no_cell_the_plain_text_rule_refuses(rows):
    """The rule's pass over each column is skipped only for a file whose bytes show that no cell can fail it."""
    from pansec.read.quick import plain_text
    from pansec.rules.cells import NOT_PLAIN

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["a", "b"], *rows])
    cells = [cell for row in rows for cell in row]
    if plain_text(buffer.getvalue().encode("utf-8")):
        event("plain by its bytes")
        assert not any(NOT_PLAIN.search(cell) for cell in cells)
    else:
        event("checked cell by cell")


@settings(max_examples=max(EXAMPLES * 10, 400), deadline=None)
@given(values=st.lists(st.one_of(*[st.from_regex(r"[a-z0-9]{1,3}(-[a-z0-9]{1,3}){0,2}", fullmatch=True)] * 6,
                                  st.text(st.sampled_from("a0-"), max_size=4), st.text(st.sampled_from("ab09-\nAé _"), max_size=5)),
                       max_size=6))
@example(["a-", "b"])
@example(["a", "-b"])
@example(["a--b"])
@example(["a\nb"])
@example(["a", ""])
@example([""])
def test_ids_checked_all_at_once_are_slugs_exactly_when_each_matches_the_pattern(values):
    """The slug rule's look at all the ids joined agrees with its regular expression on each."""
    from pansec.rules.cells import SLUG_PATTERN, all_slugs

    expected = all(re.fullmatch(SLUG_PATTERN, value) for value in values)
    event("all slugs" if expected else "not all slugs")
    assert all_slugs(values) == expected


@settings(max_examples=max(EXAMPLES * 5, 200), deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c"]), st.text(max_size=3)), max_size=8))
def test_a_column_known_to_be_unique_gets_the_codes_pandas_gives(cells):
    """A key column found unique skips pandas' factorize; its codes, first rows and look-ups stay pandas'."""
    import pandas as pd

    from pansec.read.columns import Column

    series = pd.Series(cells, dtype="str")
    general, keyed = Column.of(series), Column.of(series)
    unique = keyed.is_unique()
    event("unique" if unique else "a value twice")
    codes, distinct = general.codes
    assert unique == (len(distinct) == int(general.filled.sum()))
    keyed_codes, keyed_distinct = keyed.codes
    assert (keyed_codes.tolist(), keyed_distinct.tolist()) == (codes.tolist(), distinct.tolist())
    assert keyed.first_rows.tolist() == general.first_rows.tolist()
    assert keyed.index.tolist() == general.index.tolist()
    probe = Column.of(pd.Series(["a", None, "b", "zz", *cells[:2]], dtype="str"))
    assert probe.found_in(keyed).tolist() == probe.found_in(general).tolist()


@settings(max_examples=max(EXAMPLES * 10, 400), deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(["ussr", "uk", "", " ", "\t", "\u00a0", "\u2003", "é", "\n"]), min_size=1,
                               max_size=4).map(";".join), max_size=5))
@example(["ussr;uk", "uk; ussr"])
@example(["ussr;uk", "uk;ussr\u00a0"])
def test_list_cells_split_without_stripping_only_when_nothing_would_be_stripped(cells):
    """The list reader's shortcut (no strip where no cell has a space) gives the items stripping gives."""
    from pansec.read.tables import split_lists

    event("nothing to strip" if all(item == item.strip() for cell in cells for item in cell.split(";")) else "stripped")
    assert split_lists(cells) == [[item.strip() for item in cell.split(";")] for cell in cells]


@settings(max_examples=max(EXAMPLES * 5, 200), deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.from_regex(r"[+-]?[0-9]{1,15}", fullmatch=True), st.sampled_from(["1", "16", "-0"])),
                      max_size=8))
def test_whole_numbers_are_read_as_pandas_reads_them(cells):
    """The loader converts each distinct whole number once; the integers are those pandas' to_numeric gives."""
    import pandas as pd

    from pansec.read.tables import Table

    column = pd.Series(cells, dtype="str")
    table = Table("t", "t.csv", [], [], [], pd.DataFrame({"n": column}))
    expected = pd.to_numeric(column).astype("Int64")
    assert pd.Series(table.integers("n")).equals(expected)
