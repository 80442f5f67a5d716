"""Facts that a review of the chronology corrected, each guarded so that the error cannot come back.

Every test reads the real data through pansec.load_chronology(), as the chapters do; the few that
also read a chapter check the sentence the correction changed. The references for each fact are in
data/references.bib and are named in the test's docstring.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pansec import load_chronology
from pansec.derive import check_claims

BOOK = Path(__file__).resolve().parent.parent / "book"


@pytest.fixture(scope="module")
def chron():
    return load_chronology()


def event(chron, event_id: str) -> pd.Series:
    return chron.events.set_index("id").loc[event_id]


def markdown(name: str) -> str:
    """A chapter's prose: its markdown cells, joined."""
    cells = json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def paragraph_with(text: str, marker: str) -> str:
    found = [p for p in re.split(r"\n\s*\n", text) if marker in p]
    assert len(found) == 1, f"expected one paragraph with {marker!r}, found {len(found)}"
    return found[0]


# ----------------------------------------------------------------------------- 1. Albania and the Pact


def test_albania_left_the_warsaw_pact_on_13_september_1968(chron):
    """bpb1955warsawpakt: membership dormant from 1 February 1962, exit on 13 September 1968."""
    actors = chron.actors.set_index("id")
    assert actors.at["albania", "warsaw_joined"] == "1955-05-14"
    assert actors.at["albania", "warsaw_left"] == "1968-09-13"
    assert "bpb1955warsawpakt" in actors.at["albania", "sources"]


def test_albania_s_membership_is_dormant_from_1_february_1962(chron):
    """bpb1955warsawpakt: 'Die Mitgliedschaft ... Albanien ruht seit 1. 2. 1962'; the bloc rule reads the column."""
    actors = chron.actors.set_index("id")
    assert actors.at["albania", "warsaw_dormant"] == "1962-02-01"
    assert actors["warsaw_dormant"].dropna().index.tolist() == ["albania"]


def test_no_other_state_left_the_pact_in_the_period(chron):
    left = chron.actors.dropna(subset=["warsaw_left"])
    assert list(left["id"]) == ["albania"]
    assert left["warsaw_joined"].notna().all(), "a state can only leave the Pact after joining it"


def test_albania_acts_with_no_other_eastern_state_after_1961(chron):
    """Albania took no part in Warsaw Pact bodies after its break with Moscow in 1961 (albania1966note:
    not invited to Bucharest; press1969budapest: the Soviet Union and six allies in Budapest). Its one
    later event is its own withdrawal, in which it acts alone."""
    later = chron.events[chron.events["start"] >= pd.Timestamp("1962-01-01")]
    with_albania = {e: set(actors) for e, actors in zip(later["id"], later["actors"]) if "albania" in actors}
    assert with_albania == {"albania-leaves-warsaw-pact": {"albania"}}


def test_albania_s_withdrawal_is_dated_as_its_membership_ends(chron):
    """bpb1955warsawpakt: Albania left the Pact on 13 September 1968; the event and the actors table agree."""
    left = event(chron, "albania-leaves-warsaw-pact")
    assert left["date"] == chron.actors.set_index("id").at["albania", "warsaw_left"] == "1968-09-13"
    assert left["date_basis"] == "reference" and "bpb1955warsawpakt" in left["sources"]


@pytest.mark.parametrize("event_id", ["bucharest-declaration", "budapest-appeal"])
def test_the_declarations_of_1966_and_1969_name_the_seven_remaining_members(chron, event_id):
    states = set(event(chron, event_id)["actors"]) - {"warsaw-pact"}
    assert states == {"ussr", "bulgaria", "czechoslovakia", "gdr", "hungary", "poland", "romania"}


def test_no_actor_acts_in_the_pact_after_leaving_it(chron):
    left = chron.actors.dropna(subset=["warsaw_left"]).set_index("id")["warsaw_left"]
    pact = chron.events[chron.events["actors"].map(lambda actors: "warsaw-pact" in actors)]
    for actor, date in left.items():
        after = pact[(pact["start"] > pd.Timestamp(date)) & pact["actors"].map(lambda actors: actor in actors)]
        assert after.empty, f"{actor} left the Pact on {date} but is an actor of {list(after['id'])}"


# ----------------------------------------------------------------------------- 2. Article 9 of the Warsaw Treaty


def test_the_warsaw_treaty_did_not_keep_the_united_states_out(chron):
    """Article 9 (warsaw1955treaty) opens accession to other states whatever their social and political
    systems; the Warsaw Pact chapter's table says "Open to any state"."""
    pairs = chron.proposal_conditions.set_index(["proposal", "condition"])
    row = pairs.loc[("warsaw-treaty-signed", "us-exclusion")]
    assert row["present"] == "no"
    assert "Article 9" in row["note"]
    assert "European states only" not in row["note"]
    assert "Open to any state" in markdown("warsaw-pact")


# ----------------------------------------------------------------------------- 3. The Stalin note


def test_the_stalin_note_allowed_a_united_germany_its_own_forces(chron):
    """ussr1952note: the draft treaty's military provisions allow national forces for defence."""
    note = event(chron, "stalin-note")
    assert "ussr1952note" in note["sources"]
    assert not re.search(r"disarm|demilitari", note["summary"], re.IGNORECASE)
    assert "forces of its own" in note["summary"]


def test_the_origins_chapter_does_not_call_the_stalin_note_an_offer_of_a_disarmed_germany():
    prose = markdown("origins")
    assert "in exchange for a disarmed Germany" not in prose
    about_note = paragraph_with(prose, 'chron.when("stalin-note")')
    assert "national armed forces" in about_note and "ussr1952note" in about_note
    # the one sentence near the note that speaks of disarming says that the note did not ask for it
    disarming = re.findall(r"[^.]*\bdisarm[^.]*\.", about_note)
    assert len(disarming) == 1 and "did not ask for a disarmed Germany" in disarming[0]


# ----------------------------------------------------------------------------- 4. May 1955, dated from references


def test_west_germany_joined_nato_on_6_may_1955_by_reference(chron):
    """nato1954frgprotocol: a party on the day of deposit; erdmann2015nato: deposited 6 May 1955."""
    joined = event(chron, "frg-joins-nato")
    assert joined["date"] == "1955-05-06"
    assert joined["date_basis"] == "reference"
    assert pd.isna(joined["paper_date"]), "the report dates the entry only as 'the following day'"
    assert {"nato1954frgprotocol", "erdmann2015nato"} <= set(joined["sources"])
    assert chron.actors.set_index("id").at["frg", "nato_joined"] == joined["date"]


def test_moscow_annulled_its_treaties_with_britain_and_france_on_7_may_1955(chron):
    """ujszo1955annulment: TASS report of the Presidium's decision of 7 May 1955."""
    annulled = event(chron, "soviet-annuls-treaties")
    assert annulled["date"] == "1955-05-07"
    assert annulled["date_basis"] == "reference"
    assert pd.isna(annulled["paper_date"])
    assert "ujszo1955annulment" in annulled["sources"]


def test_no_claim_is_circular_any_more(chron):
    checks = check_claims(chron).set_index("id")
    assert (checks["verdict"] != "circular").all()
    assert checks.loc["following-day-nato", "verdict"] == "borne out"
    assert checks.loc["immediately-annul", "verdict"] == "borne out"
    # the report's own dates still cannot test either phrase
    assert checks.loc[["following-day-nato", "immediately-annul"], "paper_verdict"].isna().all()


def test_the_claims_chapter_no_longer_speaks_of_circular_cases():
    prose = markdown("temporal-claims")
    assert "The circular cases" not in prose
    assert "two cannot be tested at all" not in prose
    assert 'chron.when("frg-joins-nato")' in prose and 'chron.when("soviet-annuls-treaties")' in prose


# ----------------------------------------------------------------------------- 5. NATO's replies of 1969


def test_nato_first_answered_the_budapest_appeal_in_washington(chron):
    """nato1969washington, frus1969kissingermemo: the North Atlantic Council, 10-11 April 1969."""
    washington = event(chron, "nato-washington-communique-1969")
    assert (washington["date"], washington["end_date"]) == ("1969-04-10", "1969-04-11")
    assert washington["date_basis"] == "reference" and washington["bloc"] == "west"
    assert {"nato1969washington", "frus1969kissingermemo"} <= set(washington["sources"])
    links = set(zip(chron.exchanges["from"], chron.exchanges["to"], chron.exchanges["relation"]))
    assert ("budapest-appeal", "nato-washington-communique-1969", "answers") in links


def test_the_brussels_declaration_answers_prague_not_budapest(chron):
    links = set(zip(chron.exchanges["from"], chron.exchanges["to"], chron.exchanges["relation"]))
    assert ("prague-foreign-ministers-1969", "nato-brussels-declaration-1969", "answers") in links
    assert not [link for link in links if link[:2] == ("budapest-appeal", "nato-brussels-declaration-1969")]
    assert "nato1969brussels" in event(chron, "nato-brussels-declaration-1969")["sources"]


@pytest.mark.parametrize("name", ["towards-helsinki", "explore"])
def test_no_chapter_measures_nato_s_reply_to_budapest_by_the_brussels_declaration(name):
    prose = markdown(name)
    assert 'chron.gap("budapest-appeal", "nato-brussels-declaration-1969")' not in prose
    assert 'chron.gap("budapest-appeal", "nato-washington-communique-1969")' in prose


# ----------------------------------------------------------------------------- 6. The reply to Molotov's draft


def test_molotovs_berlin_draft_has_a_recorded_western_rejection(chron):
    """frus1954tripartitereply, frus1954notes: the Western reply of 7 May 1954 turned down the Berlin
    security proposals as well as the NATO offer."""
    links = set(zip(chron.exchanges["from"], chron.exchanges["to"], chron.exchanges["relation"]))
    assert ("molotov-security-treaty-draft", "western-rejection-nato-offer", "rejects") in links
    assert event(chron, "western-rejection-nato-offer")["bloc"] == "west"


def test_the_conclusion_lists_only_proposals_without_a_recorded_reply(chron):
    """The conclusion's computation, repeated: an Eastern proposal counts as answered when a Western or
    neutral event answers, rejects or counters it."""
    events, exchanges = chron.events, chron.exchanges
    eastern = events.query("kind == 'proposal' and bloc == 'east'")
    replies = exchanges.merge(events[["id", "bloc"]], left_on="to", right_on="id")
    from_outside = replies["relation"].isin(["answers", "rejects", "counters"]) & (replies["bloc"] != "east")
    unanswered = set(eastern["id"]) - set(replies.loc[from_outside, "from"])
    assert "molotov-security-treaty-draft" not in unanswered
    assert "budapest-appeal" not in unanswered and "prague-foreign-ministers-1969" not in unanswered
    noted = exchanges[exchanges["note"].str.contains("reject", case=False)]
    rejected = set(noted["from"]) & set(eastern["id"])
    assert not rejected & unanswered, f"notes record a rejection of {rejected & unanswered} but no link does"


# ----------------------------------------------------------------------------- 7. One dating policy, and the review kept as data

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_prague_declaration_is_dated_to_the_day_with_the_paper_s_month_kept(chron):
    """frus1950praguenote: the statement was issued at Prague on 21 October 1950; the report says October 1950."""
    prague = event(chron, "eastern-declaration-1950")
    assert (prague["date"], prague["paper_date"], prague["date_basis"]) == ("1950-10-21", "1950-10", "reference")
    assert "frus1950praguenote" in prague["sources"]


def test_a_deadline_is_not_stored_as_the_day_of_the_event(chron):
    """The report says the draft was ready 'by 31 December 1954': an upper bound, not a date."""
    draft = event(chron, "soviet-draft-alliance")
    assert draft["date"] != "1954-12-31" and pd.isna(draft["paper_date"])
    assert draft["date_basis"] == "relative"


def test_the_invasion_of_czechoslovakia_names_the_states_that_sent_troops(chron):
    """kscs1968provolani: troops of the Soviet Union, Poland, the GDR, Hungary and Bulgaria; not the Pact as such."""
    invasion = event(chron, "czechoslovakia-invaded")
    assert set(invasion["actors"]) == {"ussr", "poland", "gdr", "hungary", "bulgaria", "czechoslovakia"}
    assert invasion["date"] == "1968-08-20" and invasion["paper_date"] == "1968-08"


@pytest.mark.parametrize("event_id, date, end", [
    ("western-replies-1952", "1952-03-25", None),
    ("london-nine-power-conference", "1954-09-28", "1954-10-03"),
    ("nac-invites-frg-1954", "1954-10-22", None),
    ("geneva-foreign-ministers-1955", "1955-10-27", "1955-11-16"),
    ("rapacki-plan", "1957-10-02", None),
    ("karlovy-vary-conference", "1967-04-24", "1967-04-26"),
    ("harmel-report", "1967-12-13", "1967-12-14"),
    ("budapest-memorandum-1970", "1970-06-26", None),
    ("csce-final-recommendations", "1973-06-08", None),
])
def test_the_events_the_argument_needs_are_dated_from_references(chron, event_id, date, end):
    row = event(chron, event_id)
    assert row["date"] == date and (row["end_date"] if pd.notna(row["end_date"]) else None) == end
    assert row["date_basis"] == "reference" and row["provenance"] == "external" and pd.isna(row["section"])


def test_bibliography_years_are_those_of_the_volumes():
    """The paper's reference list: DIA 1952 printed 1955, DIA 1954 in 1957, DIA 1955 in 1958, A Cardboard Castle? in 2005."""
    from pybtex.database import parse_file

    volume_year = {"Documents on International Affairs, 1952": "1955", "Documents on International Affairs, 1954": "1957",
                   "Documents on International Affairs, 1955": "1958",
                   "A Cardboard Castle? An Inside History of the Warsaw Pact, 1955--1991": "2005"}
    for key, entry in parse_file(DATA / "references.bib").entries.items():
        booktitle = entry.fields.get("booktitle")
        if booktitle in volume_year:
            assert entry.fields["year"] == volume_year[booktitle], f"{key}: year {entry.fields['year']}"


def test_every_date_from_a_reference_was_reviewed(chron):
    """review.csv has a row on the date of every event dated from a reference, and names only known keys."""
    from pybtex.database import parse_file

    review = pd.read_csv(DATA / "review.csv", dtype=str)
    keys = set(parse_file(DATA / "references.bib").entries)
    assert set(review["reference"]) <= keys
    external = set(chron.events.loc[chron.events["date_basis"] == "reference", "id"])
    reviewed = set(review.loc[review["fact"] == "date", "event"])
    assert external <= reviewed, f"dates never reviewed: {sorted(external - reviewed)}"
