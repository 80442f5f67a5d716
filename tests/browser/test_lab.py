"""Every notebook chapter as a student meets it: opened in the project's own JupyterLab (with
jupyterlab-myst), Run All, and read back from the page. The prose must show the values its {eval}
expressions compute (worked out independently in a kernel of the test's own), no role may be left
as raw text, no directive unknown, no cell may fail, and every figure a cell declares must be drawn.

A chapter downloaded on its own, away from its repository, must stop with a clear message naming
Binder and the repository instead of a traceback."""

from __future__ import annotations

import json
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from browser import lab as harness

# A chapter takes some 15 to 35 s (its own kernel, then the lab); the first also starts the server.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.lab, pytest.mark.timeout(300)]

ROOT = harness.ROOT
CHAPTERS = harness.notebook_chapters()
ARTEFACTS = ROOT / "tests" / "artefacts" / "lab"


def chapter_id(entry: str) -> str:
    return Path(entry).name


@pytest.fixture(scope="session")
def lab_tree(tmp_path_factory) -> Path:
    """A throw-away copy of the working tree for the server's root, taken once per session."""
    return harness.copy_tree(tmp_path_factory.mktemp("lab-tree"))


@pytest.fixture(scope="session")
def jupyterlab(lab_tree, tmp_path_factory):
    with harness.jupyter_lab(lab_tree, tmp_path_factory.mktemp("lab-state")) as server:
        yield server


@pytest.fixture(scope="session")
def runs(jupyterlab, browser, lab_tree):
    """Each chapter is run once in the browser and once in the test's own kernel, on first use.
    The test's kernel runs the next chapter in a thread while the browser runs this one, so that the
    machine's second core is not idle."""
    seen: dict[str, tuple[harness.Expected, harness.LabRun]] = {}
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="expected")
    expected: dict[str, Future] = {}

    def expect(entry: str) -> Future:
        if entry not in expected:
            expected[entry] = ahead.submit(harness.expected_values, lab_tree / f"{entry}.ipynb")
        return expected[entry]

    def run(entry: str):
        if entry not in seen:
            this = expect(entry)
            following = CHAPTERS[CHAPTERS.index(entry) + 1:]
            if following:
                expect(following[0])
            shot = ARTEFACTS / f"{chapter_id(entry)}.png"
            run_ = harness.run_all(browser, jupyterlab, f"{entry}.ipynb", screenshot=shot)
            seen[entry] = (this.result(), run_)
            _record(entry, *seen[entry])
        return seen[entry]

    yield run
    ahead.shutdown(wait=True, cancel_futures=True)


def _record(entry: str, expected: harness.Expected, run: harness.LabRun) -> None:
    """Keep what the run saw (timings, console, unresolved references) in tests/artefacts/lab/."""
    markdown = [cell for cell in run.cells if cell["type"] == "markdown"]
    summary = {
        "chapter": entry,
        "seconds": round(run.seconds, 1),
        "phases": run.phases,
        "settled": run.settled,
        "console_errors": sorted(set(run.console_errors)),
        "refused_requests": run.refused,
        "values_compared": sum(len(values) for values in expected.values.values()),
        "values_not_compared": [f"cell {index}: {expression}" for index, expression in expected.unpredictable],
        "kernel_failures": expected.failures,
        "figures": expected.figures,
        "stderr": [f"cell {cell['index']}: {text[:300]}" for cell in run.cells for text in cell["stderr"]],
        "unresolved_citations": sorted({key for cell in markdown for key in cell["unresolvedCitations"]}),
        "unresolved_cross_references": sorted({key for cell in markdown for key in cell["crossReferences"]}),
    }
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"{chapter_id(entry)}.json").write_text(json.dumps(summary, indent=2, sort_keys=True), encoding="utf-8")


def _cells(run: harness.LabRun, cell_type: str) -> list[dict]:
    return [cell for cell in run.cells if cell["type"] == cell_type]


@pytest.mark.parametrize("entry", CHAPTERS, ids=chapter_id)
def test_chapter_runs_in_jupyterlab(runs, entry):
    expected, run = runs(entry)
    assert run.kernel == "python3", f"{entry}: opened with kernel {run.kernel!r}"
    problems: list[str] = [f"cell {cell['index']}: not attached to the page" for cell in run.cells if not cell["attached"]]
    if not run.settled:
        problems.append(f"Run All did not finish (or inline expressions were never evaluated) in {run.seconds:.0f} s")

    for cell in _cells(run, "code"):
        where = f"cell {cell['index']}"
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(f"{where}: {output['ename']}: {output['evalue']}")
        for text in cell["stderr"]:
            if "Traceback" in text or "Error" in text:
                problems.append(f"{where}: shows an error on stderr: {text[:300]!r}")
        if cell["executionCount"] is None and cell["source"].strip():
            problems.append(f"{where}: was never run")

    for cell in _cells(run, "markdown"):
        where = f"markdown cell {cell['index']}"
        if not cell["rendered"]:
            problems.append(f"{where}: is not rendered")
        elif not cell["myst"]:
            problems.append(f"{where}: is not rendered by jupyterlab-myst")
        for role in harness.RAW_ROLES:
            if role in cell["text"]:
                problems.append(f"{where}: shows raw {role!r}: {cell['text'][:200]!r}")
        # jupyterlab-myst boxes an unknown directive ("name - Unknown Directive") but shows an
        # unknown role's text as if it were plain; both stay unprocessed in its parse.
        for box in cell["unknownDirectives"]:
            problems.append(f"{where}: {box}")
        for syntax in cell["unknownSyntax"]:
            problems.append(f"{where}: MyST in JupyterLab does not know {syntax}")
        if harness.eval_expressions(cell["source"]) and not cell["userExpressions"]:
            problems.append(f"{where}: its inline expressions were never evaluated")
        for span in cell["errorSpans"]:
            problems.append(f"{where}: an inline expression shows an error: {span!r}")

    if problems and expected.failures:
        problems += ["(and in a plain kernel of the test's own:)", *expected.failures]
    assert not problems, f"{entry} in JupyterLab:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", CHAPTERS, ids=chapter_id)
def test_prose_shows_the_computed_values(runs, entry):
    expected, run = runs(entry)
    assert not expected.failures, f"{entry}: fails in a plain kernel:\n" + "\n".join(expected.failures)
    by_index = {cell["index"]: cell for cell in run.cells}
    missing = []
    compared = 0
    for index, values in expected.values.items():
        cell = by_index.get(index)
        assert cell is not None and cell["type"] == "markdown", f"{entry}: cell {index} is not markdown in the lab"
        text = harness.squash(cell["text"])
        for expression, value in values:
            compared += 1
            if harness.squash(value) not in text:
                missing.append(f"cell {index}: {{eval}}`{expression}` should show {value!r}")
    sources = [c for c in run.cells if c["type"] == "markdown" and harness.eval_expressions(c["source"])]
    if sources:
        assert compared, f"{entry}: has {{eval}} expressions, but none could be compared"
    assert not missing, f"{entry}: the rendered prose lacks computed values:\n" + "\n".join(missing)


@pytest.mark.parametrize("entry", CHAPTERS, ids=chapter_id)
def test_every_declared_figure_is_drawn(runs, entry):
    expected, run = runs(entry)
    by_index = {cell["index"]: cell for cell in run.cells}
    problems = []
    for index, figure in expected.figures.items():
        cell = by_index.get(index)
        if cell is None or cell["type"] != "code":
            problems.append(f"{figure} (cell {index}): no such code cell in the lab")
            continue
        images = [image for image in cell["images"] if image["complete"] and image["width"] > 0]
        if not images:
            kinds = sorted({m for output in cell["outputs"] for m in output["mimetypes"]})
            problems.append(f"{figure} (cell {index}): no picture drawn; its outputs hold {kinds}")
    assert not problems, f"{entry}:\n" + "\n".join(problems)


# --- a chapter on its own ------------------------------------------------------------------------

# Make `import pansec` fail as it would where the package is not installed.
NO_PANSEC = '''import sys

class _NoPansec:
    """Stands for a Python without pansec installed."""
    def find_spec(self, name, path=None, target=None):
        if name == "pansec" or name.startswith("pansec."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, _NoPansec())
for _name in [n for n in sys.modules if n == "pansec" or n.startswith("pansec.")]:
    del sys.modules[_name]
'''


def repository_url() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["urls"]["Homepage"]


@pytest.mark.parametrize("entry", CHAPTERS, ids=chapter_id)
def test_chapter_alone_stops_with_a_clear_message(entry, tmp_path):
    """Downloaded on its own into an empty folder and run where pansec cannot be imported, the
    chapter stops at its setup cell with SystemExit naming Binder and the repository."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(ROOT / f"{entry}.ipynb", as_version=4)
    first_code = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(NO_PANSEC))
    alone = tmp_path / Path(entry).name
    alone.mkdir()
    client = NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(alone)}})
    with pytest.raises(CellExecutionError) as raised:
        client.execute()
    error = raised.value
    assert error.ename == "SystemExit", f"{entry}: stops with {error.ename}: {error.evalue}"
    url = repository_url()
    assert "Binder" in error.evalue and url in error.evalue, f"{entry}: the message must name Binder and {url}: {error.evalue!r}"
    # The setup cell is the one that stops, and it shows the message, not a stack of frames.
    stopped = [i for i, cell in enumerate(notebook.cells) if any(o.output_type == "error" for o in cell.get("outputs", []))]
    assert stopped == [first_code + 1], f"{entry}: stopped at cells {stopped}, not at the setup cell"
    (output,) = [o for o in notebook.cells[first_code + 1].outputs if o.output_type == "error"]
    shown = "\n".join(output.traceback)
    assert "Traceback (most recent call last)" not in shown and "---->" not in shown, f"{entry}: shows a traceback:\n{shown}"
    assert not any(cell.get("outputs") for cell in notebook.cells[first_code + 2 :]), f"{entry}: ran on after the setup cell"
