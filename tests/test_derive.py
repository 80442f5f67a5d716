"""Delays are ranges where dates are imprecise, and the paper's phrases about time are judged fairly."""

from __future__ import annotations

import pandas as pd
import pytest
from datacopies import fixture_copy, write

from pansec import derive
from pansec.derive import VERDICTS, check_claims, downstream, exchange_delays, gap_days
from pansec.load import load_chronology


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return load_chronology(fixture_copy(tmp_path_factory.mktemp("fixture")))


@pytest.fixture(scope="module")
def claims(fixture):
    return check_claims(fixture).set_index("id")


# ---------------------------------------------------------------- gap_days


def test_gap_between_two_days_is_exact():
    assert gap_days("1954-11-13", "1954-11-29") == (16, 16)


def test_gap_from_a_month_to_a_day_is_a_range():
    # from the last day of October (18 days) or from its first (48 days)... to 13 November
    assert gap_days("1954-10", "1954-11-13") == (13, 43)


def test_gap_between_years_spans_both_years():
    assert gap_days("1964", "1966") == (366, 1095)


def test_gap_may_run_both_ways_when_the_order_is_uncertain():
    assert gap_days("1955-05-05", "1955-05") == (-4, 26)


def test_gap_counts_leap_days():
    assert gap_days("1956-02", "1956-03-01") == (1, 29)


def test_gap_of_a_date_to_itself_is_zero_only_for_days():
    assert gap_days("1954-11-13", "1954-11-13") == (0, 0)
    assert gap_days("1954-11", "1954-11") == (-29, 29)


@pytest.mark.parametrize("bad", ["1954-02-30", "1954-13", "13 November 1954", ""])
def test_gap_refuses_dates_that_do_not_exist(bad):
    with pytest.raises(ValueError):
        gap_days(bad, "1955")


# ---------------------------------------------------------------- exchanges


def test_one_delay_per_exchange_with_the_contract_columns(fixture):
    delays = exchange_delays(fixture)
    assert list(delays.columns) == ["from", "to", "relation", "from_title", "to_title", "from_date", "to_date",
                                    "min_days", "max_days", "exact"]
    assert len(delays) == len(fixture.exchanges)
    assert delays[["from", "to"]].values.tolist() == fixture.exchanges[["from", "to"]].values.tolist()


def test_delay_between_day_precise_events_is_exact(fixture):
    delays = exchange_delays(fixture).set_index(["from", "to"])
    reply = delays.loc[("soviet-note", "western-reply")]
    assert (reply["min_days"], reply["max_days"], reply["exact"]) == (16, 16, True)
    assert reply["to_title"] == "Western reply declining the conference"


def test_delay_to_a_month_precise_event_is_a_range_not_exact(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "exchanges.csv").read_text(encoding="utf-8")
    write(folder, "exchanges.csv", text + "western-reply,soviet-warning,counters,A warning after the reply.\n")
    delays = exchange_delays(load_chronology(folder)).set_index(["from", "to"])
    warning = delays.loc[("western-reply", "soviet-warning")]
    assert (warning["min_days"], warning["max_days"], warning["exact"]) == (2, 32, False)


def test_delay_is_derived_from_the_dates_never_stored(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "events.csv").read_text(encoding="utf-8")
    write(folder, "events.csv", text.replace("western-reply,1954-11-29,,1954-11-29", "western-reply,1954-12-01,,1954-12-01"))
    delays = exchange_delays(load_chronology(folder)).set_index(["from", "to"])
    assert delays.loc[("soviet-note", "western-reply"), "min_days"] == 18


# ---------------------------------------------------------------- the chain after an event


def test_chain_follows_each_answer_to_its_end_before_the_next(tmp_path):
    folder = fixture_copy(tmp_path)
    text = (folder / "exchanges.csv").read_text(encoding="utf-8")
    # edc-rejected is answered twice: by the note (November), whose reply follows, and by the warning (December)
    write(folder, "exchanges.csv", text + "edc-rejected,soviet-warning,counters,A warning.\n")
    chain = downstream(exchange_delays(load_chronology(folder)), "edc-rejected")
    assert list(zip(chain["to"], chain["depth"])) == [("soviet-note", 1), ("western-reply", 2), ("soviet-warning", 1)]


def test_chain_of_an_event_nothing_answered_is_empty(fixture):
    assert downstream(exchange_delays(fixture), "final-act").empty


def test_chain_meeting_itself_again_stops(fixture):
    delays = exchange_delays(fixture)
    looped = pd.concat([delays, delays.iloc[[0]].assign(**{"from": "western-reply", "to": "soviet-note"})],
                       ignore_index=True)
    chain = downstream(looped, "soviet-note")
    assert list(chain["to"]) == ["western-reply", "soviet-note"]


# ---------------------------------------------------------------- claims


def test_claim_within_its_span_is_borne_out(claims):
    assert claims.loc["within-weeks", "verdict"] == "borne out"
    assert claims.loc["following-week", ["gap_min", "gap_max"]].tolist() == [16, 16]


def test_claim_outside_its_span_is_contradicted(claims):
    # the reply came 16 days after the note, not 10 to 18 days before it
    assert claims.loc["fortnight", ["gap_min", "gap_max", "verdict"]].tolist() == [-16, -16, "contradicted"]


def test_claim_partly_inside_its_span_is_undecided(claims):
    # Stalin died in March 1953: 300 to 330 days before 25 January 1954, the span allows 310 to 400
    assert claims.loc["ten-months", ["gap_min", "gap_max", "verdict"]].tolist() == [300, 330, "undecided"]


def test_claim_resting_on_a_relative_date_is_circular(claims):
    assert claims.loc["next-day", "verdict"] == "circular"


def test_papers_own_dates_give_a_second_gap_and_verdict(claims):
    # the paper dates the Final Act only by its year: 7,354 to 7,718 days after the note
    row = claims.loc["twenty-years"]
    assert (row["gap_min"], row["verdict"]) == (7566, "contradicted")
    assert (row["paper_gap_min"], row["paper_gap_max"], row["paper_verdict"]) == (7354, 7718, "undecided")


def test_paper_gap_is_missing_where_the_paper_gives_no_date(claims):
    row = claims.loc["next-day"]
    assert pd.isna(row["paper_gap_min"]) and pd.isna(row["paper_gap_max"]) and pd.isna(row["paper_verdict"])


def test_claims_keep_their_own_columns_and_order(fixture, claims):
    assert claims.index.tolist() == fixture.claims["id"].tolist()
    for column in ["phrase", "section", "from_event", "to_event", "min_days", "max_days", "reading",
                   "gap_min", "gap_max", "paper_gap_min", "paper_gap_max", "verdict", "paper_verdict"]:
        assert column in claims.reset_index().columns


def test_every_claim_of_the_real_data_gets_a_verdict():
    checks = check_claims(load_chronology())
    assert checks["verdict"].isin(VERDICTS).all()
    assert (checks["gap_min"] <= checks["gap_max"]).all()


def test_no_exchange_of_the_real_data_certainly_runs_backwards():
    delays = exchange_delays(load_chronology())
    assert (delays["max_days"] >= 0).all()


def test_every_claim_is_judged_under_each_of_its_readings_with_ours_first():
    chron = load_chronology()
    readings = derive.claim_readings(chron)
    expected = len(chron.claims) + len(chron.readings)
    assert len(readings) == expected
    first = readings.drop_duplicates("claim")
    assert (first["reading"] == "ours").all() and first["default_anchor"].all()
    assert list(first["claim"]) == list(chron.claims["id"])


def test_a_reading_counted_from_another_event_measures_the_gap_from_that_event():
    chron = load_chronology()
    readings = derive.claim_readings(chron)
    nac = readings[(readings["claim"] == "fortnight") & (readings["anchor"] == "nac-invites-frg-1954")].iloc[0]
    assert not nac["default_anchor"]
    dates = chron.events.set_index("id")["date"]
    assert (nac["gap_min"], nac["gap_max"]) == derive.gap_days(dates["nac-invites-frg-1954"], dates["soviet-note-1954-11"])


def test_a_verdict_that_a_looser_reading_reverses_is_looser_than_stated_not_robust():
    chron = load_chronology()
    summary = derive.reading_summary(derive.claim_readings(chron)).set_index("claim")
    for claim, row in summary.iterrows():
        verdicts = set(derive.claim_readings(chron).query("claim == @claim")["verdict"])
        assert row["robust"] == (len(verdicts) == 1)
        assert row["looser_only"] == (row["verdict"] == "contradicted" and "borne out" in verdicts)


def test_events_named_by_a_few_ids_are_found_as_among_all_of_them(monkeypatch):
    """linked() indexes only the rows of a few ids; the rows it gives are those indexing every event gives,
    an id given twice standing for its first row, an unknown or missing id for a row of NA."""
    events = pd.DataFrame({"id": pd.Series([f"e{i}" for i in range(100)] + ["e3", None], dtype="str"),
                           "date": [f"19{50 + i % 40}" for i in range(102)]})
    asked = [pd.Series(["e3", "e7", "nowhere"], dtype="str"), pd.Series([None, "e0", "e39"], dtype="str")]
    few = derive.linked(events, *asked)
    monkeypatch.setattr(derive, "FEW_IDS", 10**9)  # never few: every event indexed
    for found, expected in zip(few, derive.linked(events, *asked)):
        pd.testing.assert_frame_equal(found, expected)
