"""The words chapters put into their prose keep the precision of the data."""

import pandas as pd
import pytest

from pansec import words


@pytest.mark.parametrize(
    ("iso", "said"),
    [("1954-11-13", "13 November 1954"), ("1954-11", "November 1954"), ("1954", "1954"), ("1955-05-05", "5 May 1955")],
)
def test_dates_are_said_at_their_precision(iso, said):
    assert words.say_date(iso) == said


def test_span_within_a_month_names_the_month_once():
    assert words.say_span("1955-05-11", "1955-05-14") == "11 to 14 May 1955"


def test_span_across_months_and_years():
    assert words.say_span("1954-11-29", "1954-12-02") == "29 November to 2 December 1954"
    assert words.say_span("1954-01", "1954-02") == "January 1954 to February 1954"


def test_one_day_event_has_no_span():
    assert words.say_span("1954-02-04", None) == "4 February 1954"
    assert words.say_span("1954-02-04", pd.NA) == "4 February 1954"


@pytest.mark.parametrize(
    ("lo", "hi", "said"),
    [
        (0, 0, "the same day"),
        (1, 1, "1 day"),
        (21, 21, "21 days"),
        (13, 43, "13 to 43 days"),
        (-7, 23, "\u22127 to +23 days"),
        (-31, 400, "\u221231 days to +13 months"),
        (2328, 2328, "6.4 years"),
        (1096, 1096, "3 years"),
        (200, 220, "about 7 months"),
        (300, 300, "10 months"),
        (-81, -81, "3 months before"),
    ],
)
def test_gaps_are_said_as_ranges_when_imprecise(lo, hi, said):
    assert words.say_gap(lo, hi) == said


def test_unknown_gap_is_said_unknown():
    assert words.say_gap(float("nan"), 3) == "unknown"


def test_small_numbers_are_words():
    assert words.say_number(8) == "eight"
    assert words.say_number(0) == "no"
    assert words.say_number(1234) == "1,234"


def test_markdown_table_escapes_pipes_and_cites_sources():
    table = pd.DataFrame({"Event": ["A | B"], "Sources": ["hotta2026, mastny2002nato"]})
    text = words.markdown_table(table, cite_column="Sources")
    lines = text.splitlines()
    assert lines[0] == "| Event | Sources |"
    assert "A \\| B" in lines[2]
    assert "{cite:t}`hotta2026`; {cite:t}`mastny2002nato`" in lines[2]


# ----------------------------------------------------------------------------- evidence tables


@pytest.fixture(scope="module")
def chron():
    from pansec.load import load_chronology

    return load_chronology()


def sources_of(table, title):
    row = table.frame[table.frame["Event"] == title]
    assert len(row) == 1, title
    return row["Sources"].iloc[0]


def test_the_evidence_table_lists_what_the_chapter_asked_about_beside_its_section():
    from pansec.load import load_chronology

    chron = load_chronology()
    chron.when("stalin-note")  # external, in no section of the report
    chron.gap("geneva-summit", "rapacki-plan")
    chron.drawn(["harmel-report"])
    shown = set(words.evidence_table(chron, section="2").frame["Event"])
    for event_id in ("stalin-note", "geneva-summit", "rapacki-plan", "harmel-report", "warsaw-treaty-signed"):
        assert chron.title(event_id) in shown
    assert chron.title("budapest-appeal") not in shown  # §3, never asked about


def test_a_new_chronology_has_asked_about_nothing(chron):
    from pansec.load import load_chronology

    fresh = load_chronology()
    assert list(fresh.asked) == []
    assert len(words.evidence_table(fresh, section="conclusion")) == int((fresh.events["section"] == "conclusion").sum())


def test_drawing_an_unknown_event_is_an_error(chron):
    with pytest.raises(KeyError, match="no-such-event"):
        chron.drawn(["no-such-event"])


def test_each_source_is_cited_with_the_place_that_bears_the_event(chron):
    table = words.evidence_table(chron, section="2")
    assert sources_of(table, chron.title("soviet-note-1954-11")) == [("hotta2026", "§2, note 6"), ("ussr1954note", "pp. 58–61")]
    markdown = table._repr_markdown_()
    assert "{cite:t}`hotta2026{§2, note 6}`; {cite:t}`ussr1954note{pp. 58–61}`" in markdown
    assert "hotta2026 (§2, note 6); ussr1954note (pp. 58–61)" in table._repr_html_()


def test_an_unseen_page_is_said_and_an_unpaginated_source_is_cited_plainly(chron):
    table = words.evidence_table(chron, ["council-of-republic-approves-paris", "warsaw-treaty-in-force"])
    assert ("fursdon1980edc", "page not seen") in sources_of(table, chron.title("council-of-republic-approves-paris"))
    assert ("prlib1955warsawpact", "") in sources_of(table, chron.title("warsaw-treaty-in-force"))


def test_with_no_ids_and_no_section_the_table_holds_every_event(chron):
    assert len(words.evidence_table(chron)) == len(chron.events)
