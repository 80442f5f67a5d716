"""The validator finds every kind of problem, and says where it is as an editor would.

Each broken case of tests/bad_data/ is laid over the fixture chronology and must report exactly
the problems its expected.txt lists (test_broken_case_reports_exactly_its_expected_problems). The
other tests prove what no fixed case can: edits made on the fly, what must be accepted, the
descriptor as the source of the rules, and the real data.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from datacopies import CASES, PROBLEM_FORMAT, append_row, expected, fixture_copy, real_copy, relative, write

from pansec.validate import DataError, Problem, validate


def problems_of(tmp_path, case=None) -> list[str]:
    folder = fixture_copy(tmp_path, case)
    return relative(validate(folder), folder)


def reported(problems: list[str], where: str, fragment: str = "") -> bool:
    """True if some problem starts with 'FILE:LINE: column:' and contains the fragment."""
    return any(p.startswith(where + " ") and fragment in p for p in problems)


# ---------------------------------------------------------------- the format


def test_problem_prints_as_file_line_column_message():
    problem = Problem("data/events.csv", 12, "date", "'1954-02-30' is not a real date")
    assert str(problem) == "data/events.csv:12: date: '1954-02-30' is not a real date"


def test_data_error_lists_every_problem():
    problems = [Problem("a.csv", 2, "id", "first"), Problem("b.csv", 3, "to", "second")]
    text = str(DataError(problems))
    assert "a.csv:2: id: first" in text and "b.csv:3: to: second" in text
    assert text.splitlines()[0] == "the data has 2 problems:"


def test_fixture_data_are_valid(tmp_path):
    assert problems_of(tmp_path) == []


# ---------------------------------------------------------------- dates


def test_date_in_other_digits_is_malformed_not_read(tmp_path):
    # Python's \d matches Arabic-Indic digits, and pandas read '١٩٥٤' as the year 1954
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "events.csv", "other-digits,١٩٥٤,,,reference,A note,statement,ussr,east,,,hotta2026,external,A note.")
    assert reported(relative(validate(folder), folder), f"events.csv:{line}: date:", "is not a date of the form YYYY")


def test_refining_a_papers_month_to_a_day_is_accepted(tmp_path):
    # edc-rejected: paper_date 1954-08, date 1954-08-30 from a reference: a refinement, not a contradiction
    assert not [p for p in problems_of(tmp_path) if "edc-rejected" in p]


# ---------------------------------------------------------------- links and ids


def test_repeated_pair_with_an_empty_cell_is_reported_as_empty_not_as_a_crash(tmp_path):
    folder = fixture_copy(tmp_path)
    first = append_row(folder, "exchanges.csv", ",western-reply,answers,No sender.")
    second = append_row(folder, "exchanges.csv", ",western-reply,answers,No sender.")
    assert relative(validate(folder), folder) == [
        f"exchanges.csv:{first}: from: required, but the cell is empty",
        f"exchanges.csv:{second}: from: required, but the cell is empty",
    ]


# ---------------------------------------------------------------- exchanges


def test_imprecise_response_is_rejected_only_when_certainly_earlier(tmp_path):
    folder = fixture_copy(tmp_path)
    # soviet-warning is dated 1954-12: it may come after a reply of 1954-12-05, but not after one of 1955-01
    append_row(folder, "events.csv", "december-note,1954-12-05,,,reference,A note,statement,ussr,east,,,hotta2026,external,A note.")
    append_row(folder, "events.csv", "january-note,1955-01,,,reference,Another note,statement,ussr,east,,,hotta2026,external,A note.")
    possible = append_row(folder, "exchanges.csv", "december-note,soviet-warning,answers,Possibly later.")
    certain = append_row(folder, "exchanges.csv", "january-note,soviet-warning,answers,Certainly earlier.")
    problems = relative(validate(folder), folder)
    assert not reported(problems, f"exchanges.csv:{possible}: to:")
    assert reported(problems, f"exchanges.csv:{certain}: to:", "'soviet-warning' (1954-12) is dated before 'january-note' (1955-01)")


def test_cycle_of_same_day_events_is_rejected(tmp_path):
    # no link here is back-dated, so only the cycle check can catch it
    folder = fixture_copy(tmp_path)
    append_row(folder, "events.csv", "same-day-reply,1954-11-13,,,reference,A reply,response,usa,west,,,hotta2026,external,A reply.")
    append_row(folder, "exchanges.csv", "soviet-note,same-day-reply,answers,A reply.")
    closing = append_row(folder, "exchanges.csv", "same-day-reply,soviet-note,answers,And back.")
    problems = relative(validate(folder), folder)
    assert [p for p in problems if "dated before" in p] == []
    assert reported(problems, f"exchanges.csv:{closing}: to:", "exchanges form a cycle")


# ---------------------------------------------------------------- the file itself


def test_delimiter_is_read_from_the_header_after_blank_lines(tmp_path):
    folder = fixture_copy(tmp_path)
    lines = (folder / "periods.csv").read_text(encoding="utf-8").splitlines()
    write(folder, "periods.csv", "\n".join(["", ",,", *(line.replace(",", ";") for line in lines)]) + "\n")
    assert relative(validate(folder), folder) == [
        "periods.csv:3: file: the file uses ';' as delimiter; save it with ',' (comma-separated values)"
    ]


def test_stray_semicolon_in_a_comma_header_is_a_header_problem(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "periods.csv").read_text(encoding="utf-8")
    write(folder, "periods.csv", text.replace("start,end", "start;end", 1))
    problems = relative(validate(folder), folder)
    assert reported(problems, "periods.csv:1: header:", "unexpected column 'start;end'")
    assert not [p for p in problems if "delimiter" in p]


def test_text_with_a_less_than_sign_is_accepted(tmp_path):
    folder = fixture_copy(tmp_path)
    append_row(folder, "events.csv", "small-gap,1954-11-14,,,reference,A gap of < 2 days,context,ussr,east,,,hotta2026,external,Less than (<) two days.")
    append_row(folder, "review.csv", "small-gap,date,hotta2026,§2,the paper,confirmed,A date of < 2 days' distance.")
    assert validate(folder) == []


def test_invisible_characters_are_rejected(tmp_path):
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "events.csv",
                      "nul-event,1954-11-14,,,reference,A title\x07,context,ussr,east,,,hotta2026,external,Summary.")
    assert reported(relative(validate(folder), folder), f"events.csv:{line}: title:", "invisible character U+0007")


def test_quoted_line_breaks_count_as_editor_lines(tmp_path):
    # the fixture's second event spans lines 3 and 4, so the third starts on line 5
    folder = fixture_copy(tmp_path)
    text = (folder / "events.csv").read_text(encoding="utf-8")
    write(folder, "events.csv", text.replace("edc-rejected,1954-08-30,", "edc-rejected,1954-08-32,"))
    assert reported(relative(validate(folder), folder), "events.csv:5: date:", "'1954-08-32'")


def test_blank_lines_are_skipped_but_counted(tmp_path):
    folder = fixture_copy(tmp_path)
    lines = (folder / "periods.csv").read_text(encoding="utf-8").splitlines()
    broken = lines[2].replace("1954-11", "1954-00")
    write(folder, "periods.csv", "\n".join([lines[0], lines[1], "", " ", broken]) + "\n")
    problems = relative(validate(folder), folder)
    assert problems == ["periods.csv:5: start: '1954-00' is not a real date: month 00 does not exist"]


def test_period_ending_before_it_starts_is_rejected(tmp_path):
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "periods.csv", "backwards,Backwards,1960,1959-12,3")
    assert reported(relative(validate(folder), folder), f"periods.csv:{line}: end:", "before start '1960'")


def test_bibtex_key_with_its_comma_on_the_next_line_is_accepted(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "references.bib").read_text(encoding="utf-8")
    write(folder, "references.bib", text.replace("@article{mastny2002nato,", "@article{ mastny2002nato\n  ,")
          + "\n@misc{lonely}\n\n@comment{hotta2026 author = {not an entry}}\n")
    assert validate(folder) == []


def test_repeated_key_without_its_comma_is_located(tmp_path):
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "references.bib", "@misc{hotta2026\n  title = {Again},\n}")
    problems = relative(validate(folder), folder)
    assert reported(problems, f"references.bib:{line}: key:", "'hotta2026' is used twice (first on line 3)")
    assert reported(problems, f"references.bib:{line}: bibtex:", "missing comma after the key")
    assert len(problems) == 2


# ---------------------------------------------------------------- the schema drives the checks


def test_schema_is_the_single_source_of_truth(tmp_path):
    folder = fixture_copy(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    title = next(f for f in events["schema"]["fields"] if f["name"] == "title")
    title["constraints"]["maxLength"] = 20
    write(folder, "datapackage.json", json.dumps(descriptor))
    problems = relative(validate(folder), folder)
    assert reported(problems, "events.csv:2: title:", "at most 20 are allowed")


def test_broken_descriptor_is_reported_with_its_line(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "datapackage.json").read_text(encoding="utf-8")
    write(folder, "datapackage.json", text.replace('"resources": [', '"resources": [,', 1))
    problems = relative(validate(folder), folder)
    line = text[: text.index('"resources": [')].count("\n") + 1
    assert len(problems) == 1 and problems[0].startswith(f"datapackage.json:{line}: descriptor: not valid JSON")


def test_unsupported_field_type_in_descriptor_is_reported(tmp_path):
    folder = fixture_copy(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][-1]["type"] = "boolean"
    write(folder, "datapackage.json", json.dumps(descriptor))
    assert reported(relative(validate(folder), folder), "datapackage.json:1: descriptor:", "has type 'boolean'")


# ---------------------------------------------------------------- the whole corpus


@pytest.mark.parametrize("case", CASES)
def test_broken_case_reports_exactly_its_expected_problems(tmp_path, case):
    problems = problems_of(tmp_path, case)
    for problem in problems:
        assert re.match(PROBLEM_FORMAT, problem) and "\n" not in problem, problem
    wanted = expected(case)
    for line in wanted:
        where, fragment = re.match(r"^([^:]+:\d+: [a-z_]+:) (.*)$", line).groups()
        assert reported(problems, where, fragment), f"{case}: expected {line!r} among {problems}"
    assert len(problems) == len(wanted), f"{case}: unexpected extra problems in {problems}"


# ---------------------------------------------------------------- the real data


def test_real_data_are_valid():
    assert [str(p) for p in validate()] == []


def test_every_event_cites_a_source_in_the_bibliography():
    from pansec.load import load_chronology

    chronology = load_chronology()
    assert all(len(sources) >= 1 for sources in chronology.events["sources"])
    cited = {key for sources in chronology.events["sources"] for key in sources}
    assert cited <= set(chronology.references)


def test_broken_copy_of_real_data_is_located(tmp_path):
    folder = real_copy(tmp_path)
    with open(folder / "events.csv", encoding="utf-8", newline="") as f:
        first_id = next(csv.DictReader(f))["id"]
    line = append_row(folder, "events.csv",
                      f"{first_id},1955-05-14,1955-05-11,,reference,A broken row,conference,ussr;nobody,east,,,"
                      "hotta2026;nokey,external,Ends before it begins.")
    problems = relative(validate(folder), folder)
    assert reported(problems, f"events.csv:{line}: id:", f"'{first_id}' appears more than once (first on line 2)")
    assert reported(problems, f"events.csv:{line}: end_date:", "an event cannot end before it begins")
    assert reported(problems, f"events.csv:{line}: actors:", "unknown actor 'nobody'")
    assert reported(problems, f"events.csv:{line}: sources:", "unknown source key 'nokey'")
    assert len(problems) == 4


def test_descriptor_problem_points_at_the_resource_it_concerns(tmp_path):
    folder = fixture_copy(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    exchanges = next(r for r in descriptor["resources"] if r["name"] == "exchanges")
    exchanges["schema"]["foreignKeys"][0]["reference"]["resource"] = "proposals"
    text = json.dumps(descriptor, indent=2)
    write(folder, "datapackage.json", text)
    line = text[: text.index('"name": "exchanges"')].count("\n") + 1
    assert reported(relative(validate(folder), folder), f"datapackage.json:{line}: descriptor:",
                    "resource 'exchanges': foreign key")


def test_descriptor_must_describe_every_table_pansec_reads(tmp_path):
    folder = fixture_copy(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "claims"]
    write(folder, "datapackage.json", json.dumps(descriptor))
    assert reported(relative(validate(folder), folder), "datapackage.json:1: descriptor:", "resource 'claims' is missing")
