"""The loader gives chapters typed frames, keeps every row, and keeps dates at their precision."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from datacopies import DATA, append_row, fixture_copy, write
from synthetic import write_chronology

from pansec import dates
from pansec.load import Chronology, default_data_dir, load_chronology
from pansec.validate import DataError

TABLES = ["events", "actors", "exchanges", "periods", "conditions", "proposal_conditions",
          "participation", "agenda", "claims"]


def records(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return load_chronology(fixture_copy(tmp_path_factory.mktemp("fixture")))


def event(chronology, event_id):
    return chronology.events.set_index("id").loc[event_id]


# ---------------------------------------------------------------- the real data


def test_real_chronology_loads_every_row():
    chronology = load_chronology()
    for name in TABLES:
        assert len(getattr(chronology, name)) == records(DATA / f"{name}.csv"), name


def test_default_data_dir_is_the_repositorys_data(monkeypatch):
    monkeypatch.delenv("PANSEC_DATA", raising=False)
    assert default_data_dir() == DATA


def test_pansec_data_points_the_loader_at_an_edited_copy(tmp_path, monkeypatch):
    folder = fixture_copy(tmp_path)
    monkeypatch.setenv("PANSEC_DATA", str(folder))
    assert default_data_dir() == folder
    assert len(load_chronology().events) == records(folder / "events.csv")


# ---------------------------------------------------------------- the shape of the frames


def test_chronology_is_a_frozen_set_of_frames(fixture):
    assert isinstance(fixture, Chronology)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fixture.events = None
    for name in TABLES:
        assert isinstance(getattr(fixture, name), pd.DataFrame)


def test_events_keep_their_columns_and_gain_the_derived_ones(fixture):
    with open(DATA / "events.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert list(fixture.events.columns) == header + ["precision", "start", "end", "year"]


def test_events_are_sorted_by_start_then_id(fixture):
    events = fixture.events
    assert events.index.tolist() == list(range(len(events)))
    assert events.sort_values(["start", "id"]).index.tolist() == events.index.tolist()
    assert events["id"].iloc[0] == "stalin-dies"


def test_dates_keep_their_precision(fixture):
    month = event(fixture, "soviet-warning")
    assert (month["precision"], month["start"], month["end"]) == (
        "month", pd.Timestamp("1954-12-01"), pd.Timestamp("1954-12-31"))
    day = event(fixture, "soviet-note")
    assert (day["precision"], day["start"], day["end"]) == ("day", pd.Timestamp("1954-11-13"), pd.Timestamp("1954-11-13"))


def test_multi_day_event_ends_on_its_end_date(fixture):
    berlin = event(fixture, "berlin-conference")
    assert (berlin["start"], berlin["end"], berlin["year"]) == (pd.Timestamp("1954-01-25"), pd.Timestamp("1954-02-18"), 1954)


def test_year_precision_spans_the_whole_year():
    assert dates.span("1964") == (pd.Timestamp("1964-01-01"), pd.Timestamp("1964-12-31"))
    assert dates.precision("1964") == "year"


def test_dates_are_timestamps_and_years_integers(fixture):
    events = fixture.events
    assert pd.api.types.is_datetime64_any_dtype(events["start"])
    assert pd.api.types.is_datetime64_any_dtype(events["end"])
    assert events["year"].dtype == "int64"


def test_list_columns_are_lists_of_stripped_ids(tmp_path):
    folder = fixture_copy(tmp_path)
    append_row(folder, "events.csv",
               "spaced,1954-11-14,,,reference,Spaced lists,context, ussr ; usa ,both,,, hotta2026 ;mastny2002nato,external,Spaces.")
    append_row(folder, "review.csv", "spaced,date,hotta2026,§2,the paper,confirmed,Spaces.")
    events = load_chronology(folder).events.set_index("id")
    assert events.loc["spaced", "actors"] == ["ussr", "usa"]
    assert events.loc["spaced", "sources"] == ["hotta2026", "mastny2002nato"]
    assert all(isinstance(value, list) for value in events["actors"])


def test_every_sources_column_is_a_list(fixture):
    for name in TABLES:
        frame = getattr(fixture, name)
        if "sources" in frame:
            assert all(isinstance(value, list) and value for value in frame["sources"]), name


def test_integers_are_integers_and_empty_cells_are_missing(fixture):
    assert fixture.events["note"].dtype == "Int64"
    assert event(fixture, "berlin-conference")["note"] is pd.NA
    assert event(fixture, "soviet-note")["note"] == 6
    assert fixture.participation["count"].dtype == "int64"
    assert fixture.claims["min_days"].dtype == "int64"
    assert pd.isna(event(fixture, "soviet-note")["end_date"])


def test_no_cell_reads_as_the_string_nan(fixture):
    for name in TABLES:
        frame = getattr(fixture, name)
        for column in frame.columns:
            if pd.api.types.is_string_dtype(frame[column]):
                assert not frame[column].isin(["nan", "NaN", "None", ""]).any(), (name, column)


def test_original_scripts_survive(fixture):
    molotov = fixture.actors.set_index("id").loc["molotov"]
    assert molotov["name_original"] == "Вячеслав Михайлович Молотов"


def test_references_give_short_citations(fixture):
    references = fixture.references
    assert set(references) == {"hotta2026", "ussr1954securitytreaty", "mastny2002nato"}
    assert references["hotta2026"].short == "Hotta 2026"
    assert str(references["mastny2002nato"]) == "Mastný and Byrne 2002"
    assert references["ussr1954securitytreaty"].short == "Folliot 1957"  # the editor stands in
    assert references["mastny2002nato"].title == "NATO in the Beholder's Eye"


def test_a_reference_is_decoded_only_when_asked_for(tmp_path, monkeypatch):
    from pansec import load

    decoded = []
    monkeypatch.setattr(load, "plain", lambda latex: decoded.append(latex) or latex)
    references = load_chronology(fixture_copy(tmp_path)).references
    assert len(references) == 3 and "hotta2026" in references and decoded == []
    assert references["hotta2026"].year == "2026"
    asked_once = list(decoded)
    assert references["hotta2026"] is references["hotta2026"]
    assert decoded == asked_once and "Hotta" in asked_once


# ---------------------------------------------------------------- what the loader accepts


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    folder = fixture_copy(tmp_path)
    path = folder / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_chronology(folder).events) == records(folder / "events.csv")


def test_column_order_does_not_matter(tmp_path):
    folder = fixture_copy(tmp_path)
    with open(folder / "exchanges.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with open(folder / "exchanges.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([row[::-1] for row in rows])
    exchanges = load_chronology(folder).exchanges
    assert list(exchanges.columns) == ["from", "to", "relation", "note"]
    assert exchanges.loc[0, "from"] == "soviet-note"


def test_table_with_only_a_header_is_empty_not_broken(tmp_path):
    folder = fixture_copy(tmp_path)
    write(folder, "agenda.csv", "topic,side,stance,position,event,section,sources\n")
    assert len(load_chronology(folder).agenda) == 0


def test_windows_line_endings_are_read(tmp_path):
    folder = fixture_copy(tmp_path)
    path = folder / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    summary = event(load_chronology(folder), "security-treaty-draft")["summary"]
    assert summary.startswith("Molotov proposes") and "\nwith the United States" in summary.replace("\r\n", "\n")


# ---------------------------------------------------------------- what it refuses


def test_loader_refuses_bad_data_listing_every_problem(tmp_path):
    folder = fixture_copy(tmp_path, "bad-cells")
    with pytest.raises(DataError) as raised:
        load_chronology(folder)
    assert len(raised.value.problems) >= 10
    for problem in raised.value.problems:
        assert str(problem) in str(raised.value)


def test_data_error_is_a_value_error_for_callers_that_catch_broadly(tmp_path):
    with pytest.raises(ValueError):
        load_chronology(fixture_copy(tmp_path, "empty-file"))


# ---------------------------------------------------------------- at scale


def test_large_synthetic_chronology_loses_no_rows(tmp_path):
    folder = write_chronology(tmp_path / "data", 10_000)
    chronology = load_chronology(folder)
    assert len(chronology.events) == records(folder / "events.csv") == 10_000
    assert len(chronology.exchanges) == records(folder / "exchanges.csv")
    assert chronology.events["summary"].str.contains("\n").sum() == 10_000 - records(DATA / "events.csv")


# ---------------------------------------------------------------- what chapters ask of it


def test_an_event_is_said_at_the_precision_of_its_dates(fixture):
    assert fixture.when("berlin-conference") == "25 January to 18 February 1954"
    assert fixture.began("berlin-conference") == "25 January 1954"
    assert fixture.when("soviet-warning") == "December 1954"
    assert fixture.gap("soviet-note", "western-reply") == "16 days"
    assert fixture.title("western-reply") == "Western reply declining the conference"


def test_a_mistyped_event_id_is_named(fixture):
    with pytest.raises(KeyError, match="no event with id 'soviet-nte' in events.csv"):
        fixture.event("soviet-nte")
