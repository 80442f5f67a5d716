"""The teaching material says what is true: every glossary link has an entry, the teacher's notes name
the answers the data give, the plan projects figures that exist, and every session has a worksheet
that prints."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from book_toc import markdown_of, toc_entries
from pansec import derive
from pansec.load import load_chronology

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
GLOSSARY = (BOOK / "glossary.md").read_text(encoding="utf-8")
SEMINAR = (BOOK / "seminar.md").read_text(encoding="utf-8")
NOTES = (BOOK / "teachers-notes.md").read_text(encoding="utf-8")
WORKSHEETS = sorted(BOOK.glob("worksheet-*.md"))
TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")


def glossary_terms() -> set[str]:
    """Every name of every entry (an entry may have several lines of names), as Sphinx matches them:
    without regard to case."""
    body = GLOSSARY.split(":::{glossary}", 1)[1].split("\n:::", 1)[0]
    return {line.strip().lower() for line in body.splitlines() if line and not line.startswith((" ", ":"))}


def sources() -> list[Path]:
    return sorted(BOOK.glob("*.ipynb")) + sorted(BOOK.glob("*.md"))


def figure_names() -> set[str]:
    names = set()
    for path in BOOK.glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if "name" in figure:
                names.add(figure["name"])
    return names


@pytest.fixture(scope="module")
def chron():
    return load_chronology()


# ----------------------------------------------------------------------------- the glossary


def test_every_glossary_link_has_an_entry():
    unknown = {(path.name, target or text) for path in sources()
               for text, target in TERM.findall(markdown_of(path)) if (target or text).strip().lower() not in glossary_terms()}
    assert not unknown, f"{{term}} links with no glossary entry: {sorted(unknown)}"


def test_the_glossary_explains_the_abbreviations_the_book_uses():
    for abbreviation in ["EDC", "NATO", "NAC", "CSCE", "MBFR", "FRG", "GDR", "PCC", "CPSU"]:
        assert abbreviation.lower() in glossary_terms(), abbreviation
    for name in ["Warsaw Pact", "Paris Agreements", "Bonn Convention", "Final Act", "Budapest Appeal"]:
        assert name.lower() in glossary_terms(), name


# What a chapter's first use of a name is not: another role, code, a heading, a directive's option, a link.
NOT_PROSE = re.compile(r"\{(?!term\})[\w:-]+\}`[^`]*`|(?<!\})`[^`]*`|^#.*$|^:[\w-]+:.*$|\[[^\]]*\]\([^)]*\)", re.M)
LINKED_FIRST = ["EDC", "NATO", "CSCE", "Warsaw Pact", "Paris Agreements", "Budapest Appeal", "Final Act"]


@pytest.mark.parametrize("chapter", [e.split("/")[-1] for e in toc_entries() if (ROOT / f"{e}.ipynb").exists()])
def test_each_chapter_links_its_first_use_of_a_name_to_the_glossary(chapter):
    prose = NOT_PROSE.sub(" ", markdown_of(BOOK / f"{chapter}.ipynb"))
    for name in LINKED_FIRST:
        first = re.search(rf"\{{term\}}`[^`]*\b{name}\b[^`]*`|\b{name}\b", prose)
        assert first is None or first.group(0).startswith("{term}"), f"{chapter}: the first {name} is not a glossary link"


# ----------------------------------------------------------------------------- the teacher's notes


def test_the_notes_name_the_bloc_that_proposed_most_in_1950_to_1954(chron):
    proposals = chron.events.query("kind == 'proposal' and 1950 <= year <= 1954")["bloc"].value_counts()
    assert proposals.idxmax() == "east"
    assert "The East made most of the proposals of those years" in NOTES


def test_the_notes_name_the_longest_link_of_the_delays_chart(chron):
    links = derive.exchange_delays(chron)
    charted = links[(links["from_date"] >= "1954") & (links["from_date"] < "1956")]
    longest = charted.sort_values("max_days", ascending=False).iloc[0]
    assert (longest["from"], longest["to"]) == ("nac-invites-frg-1954", "frg-joins-nato")
    assert "North\n  Atlantic Council's invitation to West Germany to its entry into NATO" in NOTES


def test_the_notes_name_what_the_budapest_appeal_dropped(chron):
    pc = chron.proposal_conditions
    dropped = set(pc[(pc["proposal"] == "budapest-appeal") & (pc["present"] == "no")]["condition"])
    assert dropped == {"us-exclusion", "frg-restrictions"}
    assert "keeping the United States out, and limits on West\n  Germany" in NOTES


def test_the_notes_name_the_phrases_the_data_contradict(chron):
    checks = derive.check_claims(chron).set_index("id")
    assert set(checks.index[checks["verdict"] == "contradicted"]) == {"fortnight", "immediately-statement"}


def test_a_fortnight_for_immediately_changes_one_verdict_as_the_notes_say(chron):
    checks = derive.check_claims(chron).set_index("id")
    for claim in ("immediately-statement", "immediately-annul"):
        assert checks.loc[claim, "gap_max"] <= 14, f"{claim} would not be borne out within a fortnight"
    assert checks.loc["immediately-annul", "verdict"] == "borne out"
    assert "changes to borne out" in NOTES


def test_the_notes_answer_every_question_of_the_seminar_page():
    asked = SEMINAR.split("## Questions for discussion", 1)[1].split("\n## ", 1)[0].count("\n- ")
    answered = len(re.findall(r"^: ", NOTES, re.M))
    exercises = sum(markdown_of(p).count(":::{exercise}") for p in BOOK.glob("*.ipynb"))
    assert answered >= asked, f"{asked} questions on the seminar page, {answered} answers in the notes"
    assert "The exercises" in NOTES and exercises


def test_the_notes_are_left_out_of_the_student_edition():
    # Everything after the introduction sits in one block the student edition drops (book/_ext/editions.py).
    body = NOTES.split("::::{only} not student\n", 1)
    assert len(body) == 2 and body[1].rstrip().endswith("::::")


# ----------------------------------------------------------------------------- the plan and the worksheets


def test_the_plan_projects_figures_by_number_that_exist():
    plan = SEMINAR.split("## A 90-minute session", 1)[1].split("\n## Questions", 1)[0]
    projected = re.findall(r"\{numref\}`([^`]+)`", plan)
    assert projected, "the plan names no figure to project"
    assert set(projected) <= figure_names()
    # The two-panel timeline of the whole chronology has too many unlabelled points for a room.
    assert "fig-intro-timeline" not in projected


def test_every_session_has_a_worksheet_in_the_book():
    assert [p.stem for p in WORKSHEETS] == ["worksheet-1", "worksheet-2"]
    for sheet in WORKSHEETS:
        assert f"book/{sheet.stem}" in toc_entries()
        assert f"{{doc}}`{sheet.stem}`" in SEMINAR
        text = sheet.read_text(encoding="utf-8")
        assert f'href="../_static/{sheet.stem}.pdf"' in text
        assert text.count("\\pansecanswer{") >= 5, "room to write under each task"
        assert set(re.findall(r"\{numref\}`([^`]+)`", text)) <= figure_names()


@pytest.mark.slow
def test_the_worksheets_print_as_pdfs_of_their_own(book_html, book_pdf):
    latex = book_pdf.parent
    for sheet in WORKSHEETS:
        pdf = latex / f"{sheet.stem}.pdf"
        assert pdf.exists(), f"make pdf wrote no {pdf.name}"
        assert (book_html / "_static" / pdf.name).read_bytes() == pdf.read_bytes()
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        title = re.search(r"^# (.+)$", sheet.read_text(encoding="utf-8"), re.M).group(1)
        assert " ".join(title.split()[:2]) in text
        assert "??" not in text, f"{pdf.name} has an unresolved reference"
        assert "Contents" not in text, f"{pdf.name} should start with its tasks, not the book's front matter"
