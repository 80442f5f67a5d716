"""The teaching pages say what is true: the seminar page covers every chapter, and the guide's
example event, link and error messages are exactly what the data, the form and the check produce;
its form writes nothing when the page is run, as the book's build runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from book_toc import toc_entries
from pansec import add, explore
from pansec.derive import gap_days
from pansec.load import load_chronology

ROOT = Path(__file__).resolve().parents[1]
SEMINAR = (ROOT / "book" / "seminar.md").read_text(encoding="utf-8")
GUIDE_NOTEBOOK = nbformat.read(ROOT / "book" / "add-your-events.ipynb", as_version=4)
GUIDE = "\n\n".join(cell.source for cell in GUIDE_NOTEBOOK.cells if cell.cell_type == "markdown")


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


def guide_cell(start: str) -> str:
    (found,) = [c.source for c in GUIDE_NOTEBOOK.cells if c.cell_type == "code" and c.source.startswith(start)]
    return found


def guide_drafts() -> tuple[add.Draft, add.Draft]:
    """The example the guide fills the form with, and the mistaken one it checks, from its own cells."""
    names = {"add": add, "replace": replace}
    exec(guide_cell("example = "), names)  # noqa: S102 - the guide's own example
    exec(guide_cell("mistaken = ").splitlines()[0], names)  # noqa: S102
    return names["example"], names["mistaken"]


def validate(folder: Path) -> subprocess.CompletedProcess:
    """Run the command the guide tells students to run, from the folder that holds data/."""
    return subprocess.run(
        [sys.executable, "-m", "pansec", "validate", "data"], cwd=folder, capture_output=True, text=True,
        timeout=120,
    )


def with_the_guides_source(folder: Path) -> Path:
    """A copy of the repository's data with the guide's bibliography entry added, as step 1 says."""
    shutil.copytree(ROOT / "data", folder / "data")
    (bib,) = blocks("bibtex")
    with open(folder / "data" / "references.bib", "a", encoding="utf-8") as f:
        f.write("\n" + bib)
    return folder


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """The guide followed through the form: its source added, then its example added from the form's code."""
    folder = with_the_guides_source(tmp_path_factory.mktemp("student"))
    example, _ = guide_drafts()
    outcome, addition = add.add(example, folder / "data")
    assert addition is not None, outcome.problems
    return folder


def digits_as_n(text: str) -> str:
    return re.sub(r"\d+", "N", text.strip())


def test_the_guides_example_passes_the_check_with_the_output_it_shows(student):
    done = validate(student)
    assert done.returncode == 0, done.stderr
    shown = block_starting("data: valid")
    assert digits_as_n(done.stdout) == digits_as_n(shown)


def test_the_rows_typed_by_hand_are_the_rows_the_form_writes(student, tmp_path):
    """The manual route types the lines the page shows; the files must then be the form's, byte for byte."""
    folder = with_the_guides_source(tmp_path)
    example, _ = guide_drafts()
    added = add.rows(example, add.headers(folder / "data"))
    assert list(added) == ["events.csv", "review.csv", "exchanges.csv"]  # a date from a source is reviewed
    for name, lines in added.items():
        with open(folder / "data" / name, "a", encoding="utf-8", newline="") as f:
            f.write(add.csv_text(lines) + "\n")
        assert (folder / "data" / name).read_bytes() == (student / "data" / name).read_bytes()


def test_the_command_gives_the_messages_the_form_gives_then_their_count(tmp_path):
    folder = with_the_guides_source(tmp_path)
    _, mistaken = guide_drafts()
    outcome = add.check(mistaken, folder / "data", label="data")
    assert [p.column for p in outcome.problems] == ["date", "sources"], outcome.problems
    for change in outcome.changes:
        change.path.write_bytes(change.after)
    done = validate(folder)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [*map(str, outcome.problems), "2 problems in data"]
    assert "`2 problems in data`" in GUIDE


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


def test_only_the_skipped_cell_makes_the_form_and_no_cell_writes():
    """The book runs every cell but those tagged skip-execution: the form's cell is one, and no cell adds."""
    code = [cell for cell in GUIDE_NOTEBOOK.cells if cell.cell_type == "code"]
    live = [cell for cell in code if "event_form(" in cell.source]
    assert len(live) == 1 and "skip-execution" in live[0].metadata.get("tags", [])
    assert not [cell.source for cell in code if re.search(r"add\.(add|undo)\(|\.click\(|check_and_add", cell.source)]


def test_in_a_kernel_running_every_cell_of_the_guide_writes_nothing_to_the_data(tmp_path, monkeypatch):
    """Even with its form cell run too, as JupyterLab's Run All does, the page leaves the data as they were."""
    from nbclient import NotebookClient

    folder = with_the_guides_source(tmp_path) / "data"
    monkeypatch.setenv("PANSEC_DATA", str(folder))
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    notebook = nbformat.read(ROOT / "book" / "add-your-events.ipynb", as_version=4)
    # nbclient skips cells tagged skip-execution, as the book does; JupyterLab runs them all.
    NotebookClient(notebook, timeout=120, kernel_name="python3", skip_cells_with_tag="run-every-cell",
                   resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    (form,) = [cell for cell in notebook.cells if "event_form(" in cell.source]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in form.outputs)


def test_in_a_kernel_the_books_run_of_the_guide_leaves_no_widget_for_the_page_to_embed(tmp_path, monkeypatch):
    """Run as the book runs it (skip-execution honoured), the page holds no widget state: MyST-NB would
    otherwise load the widget manager from a CDN into the web page."""
    from nbclient import NotebookClient

    monkeypatch.setenv("PANSEC_DATA", str(with_the_guides_source(tmp_path) / "data"))
    notebook = nbformat.read(ROOT / "book" / "add-your-events.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    assert "widgets" not in notebook.metadata
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
