"""The teaching pages say what is true: the seminar page covers every chapter, and the guide's
example event, link and error messages are exactly what the data and the check produce."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from book_toc import toc_entries
from pansec import explore
from pansec.derive import gap_days
from pansec.load import load_chronology

ROOT = Path(__file__).resolve().parents[1]
SEMINAR = (ROOT / "book" / "seminar.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "book" / "add-your-events.md").read_text(encoding="utf-8")


def toc_files() -> list[str]:
    """Every page the seminar page should lead to: all but the landing page."""
    return toc_entries()[1:]


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE, re.S | re.M)


def block_starting(prefix: str) -> str:
    found = [b for b in blocks("text") if b.startswith(prefix)]
    assert len(found) == 1, f"expected one block starting {prefix!r} in the guide"
    return found[0]


# ----------------------------------------------------------------------------- seminar page


@pytest.mark.parametrize("path", [f for f in toc_files() if not f.endswith("/seminar")])
def test_seminar_page_links_every_page_of_the_book(path):
    name = path.split("/")[-1]
    assert f"{{doc}}`{name}`" in SEMINAR


@pytest.mark.parametrize(
    "chapter", ["introduction", "origins", "warsaw-pact", "towards-helsinki", "temporal-claims", "conclusion",
                "data-and-method"],
)
def test_seminar_page_has_discussion_questions_for_each_chapter(chapter):
    section = SEMINAR.split("## Questions for discussion", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### ", section, flags=re.M)
    mine = [p for p in parts if f"{{doc}}`{chapter}`" in p.split("\n- ", 1)[0]]
    assert len(mine) == 1, chapter
    assert mine[0].count("\n- ") >= 2, f"{chapter} needs at least two questions"


def test_the_session_plan_adds_up_to_90_minutes():
    plan = SEMINAR.split("## A 90-minute session", 1)[1].split("\n## ", 1)[0]
    spans = [(int(a), int(b)) for a, b in re.findall(r"^\| (\d+)-(\d+) \|", plan, re.M)]
    assert spans[0][0] == 0 and spans[-1][1] == 90
    assert all(prev[1] == nxt[0] for prev, nxt in zip(spans, spans[1:])), "steps should follow without gaps"


# ----------------------------------------------------------------------------- the guide's example


def validate(folder: Path) -> subprocess.CompletedProcess:
    """Run the command the guide tells students to run, from the folder that holds data/."""
    return subprocess.run(
        [sys.executable, "-m", "pansec", "validate", "data"], cwd=folder, capture_output=True, text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """A copy of the repository's data with the guide's entry, event and link added as it says."""
    folder = tmp_path_factory.mktemp("student")
    shutil.copytree(ROOT / "data", folder / "data")
    (bib,) = blocks("bibtex")
    with open(folder / "data" / "references.bib", "a", encoding="utf-8") as f:
        f.write("\n" + bib)
    with open(folder / "data" / "events.csv", "a", encoding="utf-8") as f:
        f.write(block_starting("us-rejects-rapacki-plan,1958-05-03"))
    with open(folder / "data" / "exchanges.csv", "a", encoding="utf-8") as f:
        f.write(block_starting("rapacki-plan,us-rejects-rapacki-plan"))
    with open(folder / "data" / "review.csv", "a", encoding="utf-8") as f:
        f.write(block_starting("us-rejects-rapacki-plan,date,"))
    return folder


def digits_as_n(text: str) -> str:
    return re.sub(r"\d+", "N", text.strip())


def test_the_guides_example_passes_the_check_with_the_output_it_shows(student):
    done = validate(student)
    assert done.returncode == 0, done.stderr
    shown = block_starting("data: valid")
    assert digits_as_n(done.stdout) == digits_as_n(shown)


def test_the_guides_mistakes_give_the_messages_it_shows(student, tmp_path):
    shutil.copytree(student / "data", tmp_path / "data")
    events = tmp_path / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = block_starting("us-rejects-rapacki-plan,1958-05-32")
    events.write_text("".join(lines[:-1]) + broken, encoding="utf-8")
    done = validate(tmp_path)
    assert done.returncode == 1
    expected = block_starting("data/events.csv:").strip().splitlines()
    line_number = len(lines)
    # The guide's line number depends on the size of events.csv when it was written.
    actual = [re.sub(r"^(data/events\.csv):\d+:", r"\1:N:", line) for line in done.stderr.strip().splitlines()]
    assert actual == [re.sub(r"^(data/events\.csv):\d+:", r"\1:N:", line) for line in expected]
    assert f"data/events.csv:{line_number}:" in done.stderr, "the line is the new row's, as an editor counts"


def test_the_guides_event_appears_in_the_explorers_with_no_code_change(student):
    chron = load_chronology(student / "data")
    western = explore.chronology_view(chron, period="towards-helsinki", bloc="west")
    assert "us-rejects-rapacki-plan" in set(western.rows["id"])
    assert "United States note turning down the Rapacki Plan" in western.table_html()
    chain = explore.proposal_view(chron, "rapacki-plan")
    assert "us-rejects-rapacki-plan" in set(chain.rows.loc[chain.rows["step"] == "followed", "to"])


def test_the_guides_example_of_a_range_is_what_the_book_computes():
    assert gap_days("1954-10", "1954-11-13") == (13, 43)
    assert "from 13 to 43 days" in GUIDE
