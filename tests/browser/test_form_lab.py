"""The add-an-event form as a student uses it: the guide opened in the project's own JupyterLab, Run
All, the form cleared and filled in through its controls, an invalid event refused with the check's
messages and nothing written, a valid one written and then found by the chronology view run again in
the kernel, and the addition undone byte for byte.

The server runs on a throw-away copy of the working tree, and its kernels read that copy's data
(PANSEC_DATA): the repository's data/ is never touched."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from browser import lab as harness
from pansec import add

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.lab, pytest.mark.timeout(300)]

ROOT = harness.ROOT
GUIDE = "book/add-your-events.ipynb"
ARTEFACTS = ROOT / "tests" / "artefacts" / "lab"
TITLE = "United States note turning down the Rapacki Plan"
SUMMARY = "Washington answers that a zone without nuclear weapons would not make Europe safer."
# The guide's step 1, done by hand before the form runs: the note's source in references.bib.
SOURCE = """
@incollection{beam1958rapacki,
  author    = {Beam, Jacob D.},
  title     = {Note from the {American} Ambassador ({Beam}) to the {Polish} Deputy Foreign Minister, on the {Rapacki} Plan},
  booktitle = {Documents on {Germany}, 1944--1959},
  publisher = {U.S. Government Printing Office},
  year      = {1959},
}
"""

# A cell added below the last one and run, as a student would type it: the chronology view again.
_RUN_NEW_CELL = """async (source) => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    panel.content.activeCellIndex = panel.content.widgets.length - 1;
    await app.commands.execute('notebook:insert-cell-below');
    panel.content.activeCell.model.sharedModel.setSource(source);
    await app.commands.execute('notebook:run-cell');
}"""


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    tree = harness.copy_tree(tmp_path_factory.mktemp("form-lab-tree"))
    data = tree / "data"
    with open(data / "references.bib", "a", encoding="utf-8") as bib:
        bib.write(SOURCE)
    with harness.jupyter_lab(tree, tmp_path_factory.mktemp("form-lab-state"), env={"PANSEC_DATA": str(data)}) as server:
        yield server, data


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def label_of(options: list[tuple[str, str]], value: str) -> str:
    return next(label for label, v in options if v == value)


def test_a_student_fills_in_the_form_in_jupyterlab_and_adds_an_event(student_lab, browser):
    lab, data = student_lab
    offered = add.choices(data)
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, service_workers="block")
    refused = harness.block_outside(context)
    try:
        page = context.new_page()
        page.goto(lab.url(f"lab/workspaces/form-{int(time.time() * 1000)}/tree/{GUIDE}?reset"), wait_until="domcontentloaded")
        page.wait_for_function("window.jupyterapp !== undefined", timeout=60000)
        page.evaluate(harness._OPENED, GUIDE)
        page.evaluate(harness._RUN_ALL)
        assert harness._settle(page, deadline=time.monotonic() + 90), "Run All did not finish"
        form = page.locator(".jp-OutputArea-output", has=page.get_by_role("button", name="Check and add"))
        form.wait_for(timeout=30000)

        def field(label: str, kind: str):
            return form.locator(f".widget-{kind}", has=page.locator(".widget-label", has_text=re.compile(f"^{label}$"))).locator(
                {"text": "input", "textarea": "textarea", "dropdown": "select", "select-multiple": "select"}[kind]).first

        form.get_by_role("button", name="Clear the form").click()
        field("Date", "text").fill("1958-05-32")
        field("Title", "text").fill(TITLE)
        field("Kind", "dropdown").select_option(label="response")
        field("Bloc", "dropdown").select_option(label="west")
        field("Actors", "select-multiple").select_option(label=[label_of(offered.actors, "usa")])
        field("Sources", "select-multiple").select_option(label=[label_of(offered.sources, "beam1958rapacki")])
        field("Summary", "textarea").fill(SUMMARY)
        form.get_by_role("button", name="Add a link").click()
        field("Link", "dropdown").select_option(label="rejects")
        field("Other event", "dropdown").select_option(label=label_of(offered.events, "rapacki-plan"))
        field("Why", "text").fill("The United States turns down the Polish plan.")
        identity = "united-states-note-turning-down-the-rapacki-plan"
        page.wait_for_function(f"() => document.body.innerText.includes('{identity},1958-05-32')", timeout=10000)
        before = files(data)

        form.get_by_role("button", name="Check and add").click()
        message = form.locator(".pansec-form-message[role=status]")
        message.wait_for(timeout=20000)
        line = before["events.csv"].count(b"\n") + 1
        refusal = message.inner_text()
        assert "Nothing was written" in refusal
        assert f"events.csv:{line}: date: '1958-05-32' is not a real date" in refusal, refusal
        assert files(data) == before, "an invalid event must leave every file byte for byte as it was"

        assert "review.csv" in refusal and "locator" in refusal, "a date from a source needs its locator"
        field("Date", "text").fill("1958-05-03")
        field("Where in the source", "text").fill("not located")
        field("How you checked", "text").fill("The note's title dates it to 3 May 1958.")
        form.get_by_role("button", name="Check and add").click()
        page.wait_for_function("() => document.body.innerText.includes('The check passed')", timeout=20000)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        form.screenshot(path=str(ARTEFACTS / "add-your-events-form.png"))
        after = files(data)
        assert after["events.csv"].startswith(before["events.csv"])
        assert after["events.csv"][len(before["events.csv"]):].startswith(f"{identity},1958-05-03,".encode())
        assert after["exchanges.csv"][len(before["exchanges.csv"]):].startswith(f"rapacki-plan,{identity},rejects,".encode())
        assert after["review.csv"][len(before["review.csv"]):].startswith(
            f"{identity},date,beam1958rapacki,not located,,confirmed,".encode())

        page.evaluate(_RUN_NEW_CELL, "import pansec\npansec.explore.chronology_view(pansec.load_chronology(), "
                                     "period='towards-helsinki', bloc='west')")
        page.wait_for_function(f"() => [...document.querySelectorAll('.pansec-explorer-table')]"
                               f".some(t => t.innerText.includes({TITLE!r}))", timeout=30000)

        form.get_by_role("button", name="Undo last addition").click()
        page.wait_for_function("() => document.body.innerText.includes('Undone:')", timeout=20000)
        assert files(data) == before, "undo must give back the files byte for byte"
        assert not refused, f"JupyterLab asked for outside addresses: {refused}"
        page.evaluate(harness._SHUTDOWN)
    finally:
        context.close()
    assert time.monotonic() - started < 120
