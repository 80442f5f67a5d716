"""The validator finds every kind of problem, and says where it is as an editor would.

Each test lays one broken case of tests/bad_data/ over the fixture chronology and checks the
file, line and column of what is reported; the last tests run the real data.
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


def test_impossible_dates_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "impossible-dates")
    assert reported(problems, "events.csv:5: date:", "February 1954 has 28 days")
    assert reported(problems, "events.csv:11: date:", "month 13 does not exist")
    assert reported(problems, "actors.csv:6: nato_joined:", "'1955-13' is not a real date")


def test_malformed_dates_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "malformed-dates")
    assert reported(problems, "events.csv:2: date:", "'25 January 1954' is not a date of the form YYYY")
    assert reported(problems, "events.csv:7: paper_date:", "'1954/11/29'")


def test_date_in_other_digits_is_malformed_not_read(tmp_path):
    # Python's \d matches Arabic-Indic digits, and pandas read '١٩٥٤' as the year 1954
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "events.csv", "other-digits,١٩٥٤,,,reference,A note,statement,ussr,east,,,hotta2026,external,A note.")
    assert reported(relative(validate(folder), folder), f"events.csv:{line}: date:", "is not a date of the form YYYY")


def test_event_ending_before_it_begins_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "end-before-date")
    assert reported(problems, "events.csv:2: end_date:", "is before date '1954-01-25'")


def test_end_date_repeating_the_date_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "end-before-date")
    assert reported(problems, "events.csv:10: end_date:", "leave end_date empty")


def test_end_date_at_another_precision_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "precision-mixup")
    assert reported(problems, "events.csv:2: end_date:", "month-precise but date '1954-01-25' is day-precise")


def test_date_outside_the_papers_date_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "precision-mixup")
    assert reported(problems, "events.csv:5: paper_date:", "falls outside paper_date '1954-09'")


def test_date_coarser_than_the_papers_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "precision-mixup")
    assert reported(problems, "events.csv:11: paper_date:", "less precise than paper_date '1975-08-01'")


def test_paper_based_date_must_be_the_papers_own(tmp_path):
    problems = problems_of(tmp_path, "precision-mixup")
    assert reported(problems, "events.csv:6: paper_date:", "must equal date '1954-11-13', but it is '1954-11'")


def test_refining_a_papers_month_to_a_day_is_accepted(tmp_path):
    # edc-rejected: paper_date 1954-08, date 1954-08-30 from a reference: a refinement, not a contradiction
    assert not [p for p in problems_of(tmp_path) if "edc-rejected" in p]


# ---------------------------------------------------------------- links and ids


def test_unknown_actor_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "unknown-actors")
    assert reported(problems, "events.csv:6: actors:", "unknown actor 'soviet-union'")


def test_empty_and_repeated_list_items_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "unknown-actors")
    assert reported(problems, "events.csv:7: actors:", "empty item in the list 'usa;uk;;france'")
    assert reported(problems, "events.csv:8: actors:", "'uk' is listed twice")


def test_unknown_source_key_is_rejected_in_every_table(tmp_path):
    problems = problems_of(tmp_path, "unknown-source-keys")
    assert reported(problems, "events.csv:6: sources:", "unknown source key 'molotov1954'")
    assert reported(problems, "actors.csv:3: sources:", "'Hotta2026'")
    assert reported(problems, "agenda.csv:3: sources:", "'nosuch2000'")


def test_duplicate_ids_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "duplicate-ids")
    assert reported(problems, "events.csv:13: id:", "'soviet-note' appears more than once (first on line 6)")
    assert reported(problems, "actors.csv:10: id:", "(first on line 4)")


def test_duplicate_exchange_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "duplicate-ids")
    assert reported(problems, "exchanges.csv:6: from:", "(from, to) = ('soviet-note', 'western-reply')")


def test_repeated_pair_with_an_empty_cell_is_reported_as_empty_not_as_a_crash(tmp_path):
    folder = fixture_copy(tmp_path)
    first = append_row(folder, "exchanges.csv", ",western-reply,answers,No sender.")
    second = append_row(folder, "exchanges.csv", ",western-reply,answers,No sender.")
    assert relative(validate(folder), folder) == [
        f"exchanges.csv:{first}: from: required, but the cell is empty",
        f"exchanges.csv:{second}: from: required, but the cell is empty",
    ]


def test_links_to_missing_events_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "missing-events")
    assert reported(problems, "exchanges.csv:3: from:", "no row of events.csv has id = 'edc-rejectd'")
    assert reported(problems, "claims.csv:4: to_event:", "'western-rep'")
    assert reported(problems, "agenda.csv:2: event:", "'soviet-nte'")
    assert reported(problems, "participation.csv:2: event:", "'berlin'")


def test_section_is_required_when_the_paper_discusses_the_event(tmp_path):
    problems = problems_of(tmp_path, "section-missing")
    assert reported(problems, "events.csv:6: section:", "provenance is 'paper'")


# ---------------------------------------------------------------- exchanges


def test_response_dated_before_proposal_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "back-dated-response")
    assert reported(problems, "exchanges.csv:6: to:",
                    "'berlin-conference' (1954-01-25) is dated before 'western-reply' (1954-11-29)")


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


def test_cycle_of_exchanges_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "exchange-cycle")
    assert reported(problems, "exchanges.csv:6: to:",
                    "cycle: soviet-note -> western-reply -> edc-rejected -> soviet-note (lines 2, 3, 6)")


def test_cycle_of_same_day_events_is_rejected(tmp_path):
    # no link here is back-dated, so only the cycle check can catch it
    folder = fixture_copy(tmp_path)
    append_row(folder, "events.csv", "same-day-reply,1954-11-13,,,reference,A reply,response,usa,west,,,hotta2026,external,A reply.")
    append_row(folder, "exchanges.csv", "soviet-note,same-day-reply,answers,A reply.")
    closing = append_row(folder, "exchanges.csv", "same-day-reply,soviet-note,answers,And back.")
    problems = relative(validate(folder), folder)
    assert [p for p in problems if "dated before" in p] == []
    assert reported(problems, f"exchanges.csv:{closing}: to:", "exchanges form a cycle")


def test_event_linked_to_itself_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "exchange-cycle")
    assert reported(problems, "exchanges.csv:7: to:", "links the event 'soviet-note' to itself")


# ---------------------------------------------------------------- the file itself


def test_latin1_file_is_rejected_cell_by_cell(tmp_path):
    problems = problems_of(tmp_path, "latin-1")
    assert reported(problems, "events.csv:2: title:", "not valid UTF-8 (byte 0xE9")
    assert reported(problems, "events.csv:7: summary:", "byte 0xFC")


def test_utf16_file_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "utf-16")
    assert reported(problems, "exchanges.csv:1: file:", "UTF-16")


def test_damaged_byte_order_mark_is_named(tmp_path):
    problems = problems_of(tmp_path, "damaged-bom")
    assert reported(problems, "events.csv:1: header:", "damaged byte-order mark")
    assert reported(problems, "events.csv:1: id:", "missing from the header")


def test_stray_delimiters_are_rejected_not_padded(tmp_path):
    problems = problems_of(tmp_path, "stray-delimiters")
    assert reported(problems, "events.csv:8: row:", "has 15 cells but the header has 14")
    assert reported(problems, "periods.csv:3: row:", "has 4 cells but the header has 5")


def test_semicolon_or_tab_delimited_file_is_reported_once(tmp_path):
    # before: 27 problems (a header of one unknown column, every column missing, a stray ',' per row)
    problems = problems_of(tmp_path, "semicolon-delimiter")
    assert sorted(problems) == [
        "actors.csv:1: file: the file uses tabs as delimiter; save it with ',' (comma-separated values)",
        "events.csv:1: file: the file uses ';' as delimiter; save it with ',' (comma-separated values)",
    ]


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


def test_empty_file_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "empty-file")
    assert reported(problems, "conditions.csv:1: file:", "the file is empty")


def test_missing_column_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "missing-column")
    assert reported(problems, "events.csv:1: bloc:", "column is missing from the header")


def test_duplicated_and_unknown_header_columns_are_rejected(tmp_path):
    problems = problems_of(tmp_path, "header-problems")
    assert reported(problems, "events.csv:1: title:", "appears twice in the header (columns 6 and 15)")
    assert reported(problems, "events.csv:1: header:", "unexpected column 'colour'")


def test_html_in_title_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "html-in-text")
    assert reported(problems, "events.csv:6: title:", "contains HTML markup ('<script'")
    assert reported(problems, "events.csv:7: summary:", "('<b'")


def test_text_with_a_less_than_sign_is_accepted(tmp_path):
    folder = fixture_copy(tmp_path)
    append_row(folder, "events.csv", "small-gap,1954-11-14,,,reference,A gap of < 2 days,context,ussr,east,,,hotta2026,external,Less than (<) two days.")
    assert validate(folder) == []


def test_invisible_characters_are_rejected(tmp_path):
    folder = fixture_copy(tmp_path)
    line = append_row(folder, "events.csv",
                      "nul-event,1954-11-14,,,reference,A title\x07,context,ussr,east,,,hotta2026,external,Summary.")
    assert reported(relative(validate(folder), folder), f"events.csv:{line}: title:", "invisible character U+0007")


def test_broken_quotes_are_reported_and_reading_goes_on(tmp_path):
    problems = problems_of(tmp_path, "unreadable-quotes")
    assert reported(problems, "conditions.csv:2: row:", "cannot be read as CSV")
    assert reported(problems, "periods.csv:3: row:", "never closed")
    # the condition on line 3, after the broken line, was still read: proposal_conditions cite it
    assert not [p for p in problems if p.startswith("proposal_conditions.csv")]


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


def test_schema_constraints_are_enforced(tmp_path):
    problems = problems_of(tmp_path, "bad-cells")
    assert reported(problems, "events.csv:3: note:", "'four' is not a whole number")
    assert reported(problems, "events.csv:6: note:", "17 is above the maximum 16")
    assert reported(problems, "events.csv:9: bloc:", "'West' is not one of: east, west")
    assert reported(problems, "events.csv:12: title:", "at most 120")
    assert reported(problems, "events.csv:5: title:", "required, but the cell is empty")
    assert reported(problems, "participation.csv:2: count:", "below the minimum 1")


def test_claim_whose_span_runs_backwards_is_rejected(tmp_path):
    problems = problems_of(tmp_path, "bad-cells")
    assert reported(problems, "claims.csv:4: max_days:", "10 is less than min_days 14")


def test_bibtex_errors_are_reported_with_their_line(tmp_path):
    problems = problems_of(tmp_path, "bib-errors")
    assert reported(problems, "references.bib:9: bibtex:", "syntax error")
    assert reported(problems, "references.bib:20: key:", "'hotta2026' is used twice (first on line 3)")


def test_missing_comma_after_a_bibtex_key_is_reported(tmp_path):
    # pybtex reads the fields all the same, so the entry looked valid; BibTeX skips it
    problems = problems_of(tmp_path, "bib-missing-key-comma")
    assert problems == [
        "references.bib:27: bibtex: entry 'romano2009detente': missing comma after the key"
        " (BibTeX would skip the rest of the entry)",
        "references.bib:35: bibtex: entry 'trachtenberg1999constructed': missing comma after the key"
        " (BibTeX would skip the rest of the entry)",
    ]


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


def test_validation_reports_every_problem_not_just_the_first(tmp_path):
    assert len(problems_of(tmp_path, "bad-cells")) == len(expected("bad-cells")) >= 10


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
