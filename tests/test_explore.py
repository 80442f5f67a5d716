"""The explorers: each control changes what its explorer shows, a student's new event appears in
the chronology explorer with no code change, and the book shows each explorer's opening view as a
plain figure, never as an empty widget."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pansec import explore
from pansec.charts.timelines import span_corners
from pansec.load import load_chronology

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "explore.ipynb"


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT / "data")


def event_marks(figure: Figure) -> int:
    """Events drawn on a timeline's main panel. charts.timeline draws them in bulk, one artist per
    kind and style with the gid 'event:point:...' or 'event:span:...': count the marks each draws."""
    drawn = [a for a in figure.findobj() if str(a.get_gid() or "").startswith(("event:point:", "event:span:"))]
    return sum(len(a.get_xdata()) if isinstance(a, Line2D) else len(span_corners(a)) for a in drawn)


def shown(explorer) -> tuple[str, bytes, str]:
    """What a reader sees of an explorer: caption, picture and table."""
    return explorer.caption.value, explorer.image.value, explorer.table.value


# ----------------------------------------------------------------------------- chronology


def test_choosing_a_bloc_narrows_the_table_and_redraws_the_timeline(chron):
    explorer = explore.chronology_explorer(chron)
    assert [explorer.controls[name].label for name in ("bloc", "actor")] == ["All sides", "Any actor"]
    before_rows, before = len(explorer.view.rows), shown(explorer)
    explorer.controls["bloc"].value = "west"
    after = shown(explorer)
    assert 0 < len(explorer.view.rows) < before_rows
    assert set(explorer.view.rows["bloc"]) == {"west"}
    assert all(a != b for a, b in zip(before, after)), "caption, figure and table should all change"
    assert explorer.table.value.count("<tr") == len(explorer.view.rows) + 1  # and the header
    explorer.controls["bloc"].value = explore.EVERY
    assert len(explorer.view.rows) == before_rows and explorer.caption.value == before[0]


def test_all_periods_show_every_event(chron):
    explorer = explore.chronology_explorer(chron)
    explorer.controls["period"].value = explore.EVERY
    assert len(explorer.view.rows) == len(chron.events)
    assert event_marks(explorer.view.figure) == len(chron.events)


def test_the_period_filter_keeps_events_that_begin_in_the_period(chron):
    explorer = explore.chronology_explorer(chron)
    explorer.controls["period"].value = "origins"
    starts = explorer.view.rows["start"]
    assert starts.min().year >= 1943 and starts.max() <= chron.events.set_index("id").loc["paris-agreements-signed", "end"]
    assert "soviet-note-1954-11" not in set(explorer.view.rows["id"])


def test_the_actor_filter_keeps_the_events_the_actor_took_part_in(chron):
    explorer = explore.chronology_explorer(chron)
    explorer.controls["period"].value = explore.EVERY
    explorer.controls["actor"].value = "finland"
    assert explorer.view.rows["actors"].map(lambda actors: "finland" in actors).all()
    assert "finnish-memorandum" in set(explorer.view.rows["id"])
    assert "Finland" in explorer.caption.value


def test_kinds_filter_and_an_empty_choice_says_so_instead_of_drawing(chron):
    explorer = explore.chronology_explorer(chron)
    explorer.controls["period"].value = explore.EVERY
    explorer.controls["kinds"].value = ("proposal",)
    assert set(explorer.view.rows["kind"]) == {"proposal"}
    explorer.controls["kinds"].value = ()
    assert explorer.view.figure is None and explorer.image.layout.display == "none"
    assert "No event matches" in explorer.caption.value
    assert explorer.table.value == ""


# ----------------------------------------------------------------------------- a student's own event

NEW_EVENT = (
    "malenkov-resigns,1955-02-08,,,reference,Malenkov resigns as Soviet premier & Bulganin succeeds him,context,"
    "ussr;bulganin,east,,,fursenko2006khrushchev,external,"
    "The change at the head of the Soviet government comes between the Moscow and Warsaw conferences.\n"
)
# A date from a reference names where the reference gives it (pansec/rules/review.py).
NEW_REVIEW = "malenkov-resigns,date,fursenko2006khrushchev,not located,,unconfirmed,A test row: the page was not seen.\n"


@pytest.fixture(scope="module")
def with_new_event(tmp_path_factory):
    copy = tmp_path_factory.mktemp("student") / "data"
    shutil.copytree(ROOT / "data", copy)
    with open(copy / "events.csv", "a", encoding="utf-8") as f:
        f.write(NEW_EVENT)
    with open(copy / "review.csv", "a", encoding="utf-8") as f:
        f.write(NEW_REVIEW)
    return copy


def test_a_new_event_appears_in_the_table_and_as_one_more_mark_on_the_timeline(chron, with_new_event):
    extended = load_chronology(with_new_event)
    before = explore.chronology_explorer(chron)
    after = explore.chronology_explorer(extended)
    assert len(after.view.rows) == len(before.view.rows) + 1
    assert "malenkov-resigns" in set(after.view.rows["id"])
    assert "Malenkov resigns as Soviet premier &amp; Bulganin succeeds him" in after.table.value  # escaped
    assert event_marks(after.view.figure) == event_marks(before.view.figure) + 1
    assert after.image.value != before.image.value


# ----------------------------------------------------------------------------- proposals


def test_proposal_explorer_opens_on_the_note_of_13_november_1954(chron):
    explorer = explore.proposal_explorer(chron)
    assert explorer.controls["proposal"].value == "soviet-note-1954-11"
    assert set(explorer.view.rows["to"]) >= {"western-reply-1954-11", "moscow-conference"}
    assert "13 November 1954" in explorer.caption.value


def test_picking_another_proposal_shows_its_own_chain_and_delays(chron):
    explorer = explore.proposal_explorer(chron)
    before = shown(explorer)
    explorer.controls["proposal"].value = "budapest-appeal"
    after = shown(explorer)
    assert all(a != b for a, b in zip(before, after))
    links = explorer.view.rows
    assert "helsinki-final-act" in set(links["to"]), "the chain should follow implementations to the Final Act"
    assert "finnish-memorandum" in set(links["to"])
    assert explorer.view.table["Delay"].str.len().gt(0).all()


def test_the_proposal_menu_lists_exactly_the_proposals_with_a_link(chron):
    explorer = explore.proposal_explorer(chron)
    offered = {value for _, value in explorer.controls["proposal"].options}
    linked = set(chron.exchanges["from"]) | set(chron.exchanges["to"])
    proposals = set(chron.events.loc[chron.events["kind"] == "proposal", "id"])
    assert offered == proposals & linked


# ----------------------------------------------------------------------------- conditions


def test_narrowing_the_years_keeps_only_the_proposals_of_those_years(chron):
    explorer = explore.conditions_explorer(chron)
    before = shown(explorer)
    explorer.controls["years"].value = (1969, 1969)
    after = shown(explorer)
    assert set(explorer.view.rows["year"]) == {1969}
    assert all(a != b for a, b in zip(before, after))


def test_choosing_conditions_narrows_the_matrix_and_its_evidence(chron):
    explorer = explore.conditions_explorer(chron)
    every = len(explorer.view.rows)
    explorer.controls["conditions"].value = ("us-exclusion", "frg-restrictions")
    assert set(explorer.view.rows["condition"]) == {"us-exclusion", "frg-restrictions"}
    assert len(explorer.view.rows) < every
    assert explorer.view.table["Evidence"].str.len().gt(0).all()


# ----------------------------------------------------------------------------- static pages


@pytest.mark.parametrize("view", [explore.chronology_view, explore.proposal_view, explore.conditions_view])
def test_each_opening_view_is_a_plain_figure_with_a_table(chron, view):
    opening = view(chron)
    assert isinstance(opening.figure, Figure)
    assert len(opening.table) > 0
    shown = opening.as_table("The opening view")
    assert "\n| " in shown._repr_markdown_() and "<td" in shown._repr_html_()


@pytest.mark.parametrize("make", [explore.chronology_explorer, explore.proposal_explorer, explore.conditions_explorer])
def test_where_widgets_cannot_show_an_explorer_reads_as_a_sentence(chron, make):
    bundle = make(chron)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert "running notebook" in text and "Box(" not in text


def test_the_chapter_executes_its_opening_views_but_never_creates_a_widget():
    """Executed notebooks keep widget state, and MyST-NB then loads widget scripts from a CDN: the
    chapter must show its opening views as plain figures and leave the live explorers to a running
    kernel."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "commit without outputs"
    live = [cell for cell in nb.cells if cell.cell_type == "code" and "_explorer(" in cell.source]
    assert len(live) == 3
    assert all("skip-execution" in cell.metadata.get("tags", []) for cell in live)

    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    assert "widgets" not in nb.metadata
    outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
    assert not any("application/vnd.jupyter.widget-view+json" in output.get("data", {}) for output in outputs)
    figures = {
        cell.metadata["mystnb"]["figure"]["name"]: cell.outputs
        for cell in nb.cells
        if "figure" in cell.metadata.get("mystnb", {})
    }
    assert set(figures) == {"fig-explore-chronology", "fig-explore-proposal", "fig-explore-conditions"}
    for name, shown in figures.items():
        assert [o for o in shown if "image/png" in o.get("data", {})], f"{name} is not drawn by its cell"


# ----------------------------------------------------------------------------- in a real kernel


class Kernel:
    """A Python kernel driven as a Jupyter front end drives it: code in, widget messages both ways."""

    def __init__(self):
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "book"))

    def evaluate(self, expression: str):
        reply = self.client.execute_interactive("", user_expressions={"x": expression}, timeout=120)
        found = reply["content"]["user_expressions"]["x"]
        assert found["status"] == "ok", found
        return eval(found["data"]["text/plain"])  # noqa: S307 - a repr of str or tuples from our own kernel

    def run(self, code: str) -> list[dict]:
        messages = []
        reply = self.client.execute_interactive(code, output_hook=messages.append, timeout=300)
        assert reply["content"]["status"] == "ok", reply["content"]
        return messages

    def send_from_page(self, model_id: str, state: dict) -> list[dict]:
        """What a browser sends when a reader moves a control; returns the kernel's messages back."""
        client = self.client
        message = client.session.msg("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}})
        client.shell_channel.send(message)
        answers = []
        while True:
            answer = client.get_iopub_msg(timeout=120)
            if answer["parent_header"].get("msg_id") != message["header"]["msg_id"]:
                continue
            if answer["msg_type"] == "status" and answer["content"]["execution_state"] == "idle":
                return answers
            answers.append(answer)

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel():
    running = Kernel()
    running.run(
        "from pansec import explore\nfrom pansec.load import load_chronology\nchron = load_chronology()\n"
        "explorers = {'chronology': explore.chronology_explorer(chron), 'proposal': explore.proposal_explorer(chron),"
        " 'conditions': explore.conditions_explorer(chron)}"
    )
    yield running
    running.close()


@pytest.mark.parametrize(
    "name, control, state",
    [
        ("chronology", "bloc", {"index": 2}),  # the menu's third entry, 'West'
        ("proposal", "proposal", {"index": 0}),  # the earliest proposal
        ("conditions", "years", {"value": [1969, 1969]}),
    ],
)
def test_in_a_kernel_a_control_moved_in_the_page_redraws_caption_figure_and_table(kernel, name, control, state):
    displayed = kernel.run(f"explorers[{name!r}]")
    bundles = [m["content"]["data"] for m in displayed if m["msg_type"] == "execute_result"]
    assert bundles and "application/vnd.jupyter.widget-view+json" in bundles[0]
    ids = kernel.evaluate(
        f"(explorers[{name!r}].controls[{control!r}].model_id, explorers[{name!r}].caption.model_id,"
        f" explorers[{name!r}].image.model_id, explorers[{name!r}].table.model_id)"
    )
    control_id, caption_id, image_id, table_id = ids
    before = kernel.evaluate(f"explorers[{name!r}].view.caption")
    answers = kernel.send_from_page(control_id, state)
    updated = {a["content"]["comm_id"] for a in answers if a["msg_type"] == "comm_msg"}
    assert {caption_id, image_id, table_id} <= updated, "the page must receive a new caption, figure and table"
    errors = [a["content"].get("text", "") for a in answers if a["msg_type"] in ("error", "stream")]
    assert not [text for text in errors if "Traceback" in text or "Error" in text], errors
    assert kernel.evaluate(f"explorers[{name!r}].view.caption") != before


def test_the_chapters_calls_without_controls_work_and_display_themselves(chron):
    """Live Code has no reliable widget support, so the chapter offers view calls instead: they must run."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    block = text.split(":::{admonition} Filters without controls", 1)[1].split(":::", 1)[0]
    calls = [line for line in re.search(r"```python\n(.*?)```", block, re.S).group(1).splitlines() if line.strip()]
    assert len(calls) == 3
    for call in calls:
        view = eval(call, {"explore": explore, "chron": chron})  # noqa: S307 - the chapter's own example
        page = view._repr_html_()
        assert view.figure is not None and '<img src="data:image/png;base64,' in page and "<table" in page
