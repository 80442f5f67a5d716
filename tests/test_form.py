"""The add-an-event form: its controls come from the fields of pansec.add and the data's vocabularies,
its preview is what gets written, and in a real kernel, driven by the messages a browser sends, it
adds a valid event, refuses an invalid one with the validator's messages, and undoes an addition."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest

from datacopies import real_copy
from pansec import add, explore

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = "Washington answers that a zone without nuclear weapons, but with no limits on other forces, would not make Europe safer."


@pytest.fixture
def data(tmp_path) -> Path:
    return real_copy(tmp_path)


def test_every_field_has_its_control_and_every_column_of_events_a_field(data):
    form = explore.event_form(data)
    events_header = add.headers(data)["events.csv"]
    assert set(form.controls) == {item.column for item in add.FIELDS} == set(events_header) | set(add.REVIEW_FIELDS)
    assert ("United States (usa)", "usa") in form.controls["actors"].options
    assert [value for _, value in form.controls["kind"].options][0] == "proposal"


def test_the_id_follows_the_title_until_the_student_types_one(data):
    form = explore.event_form(data)
    form.controls["title"].value = "The Rapacki Plan"
    assert form.controls["id"].value == "the-rapacki-plan"
    form.controls["id"].value = "my-own-id"
    form.controls["title"].value = "Something else"
    assert form.controls["id"].value == "my-own-id"


def test_the_preview_shows_the_line_that_is_then_written(data):
    draft = add.Draft(id="us-note", date="1958-05-03", title="United States note", kind="response", actors=("usa",),
                      bloc="west", sources=("hotta2026",), summary=SUMMARY, locator="p. 3", checked="It is dated.",
                      links=(add.Link("rapacki-plan", "rejects", "The note turns the plan down."),))
    form = explore.event_form(data, draft)
    before = (data / "events.csv").read_bytes()
    form.check_and_add()
    written = (data / "events.csv").read_bytes()[len(before):].decode("utf-8").strip()
    assert html.escape(written) in form.preview.value
    assert "rapacki-plan,us-note,rejects," in form.preview.value
    assert "The check passed" in form.message.value and not form.undo_button.disabled
    assert form.draft().links[0].other == "rapacki-plan", "a link keeps its event when the menus are refreshed"
    form.undo()
    assert (data / "events.csv").read_bytes() == before and form.undo_button.disabled


def test_clearing_the_form_empties_it(data):
    form = explore.event_form(data, add.Draft(title="x", links=(add.Link("rapacki-plan", "rejects", "y"),)))
    form.clear.click()
    draft = form.draft()
    assert (draft.title, draft.date, draft.actors, draft.links) == ("", "", (), ())
    assert (draft.date_basis, draft.provenance) == ("reference", "external")
    assert form.links == [] and "rapacki-plan" not in form.preview.value


# ----------------------------------------------------------------------------- in a real kernel


class Kernel:
    """A Python kernel driven as JupyterLab drives it: code in, widget messages both ways."""

    def __init__(self, env: dict):
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "book"), env=env)

    def evaluate(self, expression: str):
        reply = self.client.execute_interactive("", user_expressions={"x": expression}, timeout=120)
        found = reply["content"]["user_expressions"]["x"]
        assert found["status"] == "ok", found
        return eval(found["data"]["text/plain"])  # noqa: S307 - a repr of str, bool or tuples from our own kernel

    def run(self, code: str) -> list[dict]:
        messages = []
        reply = self.client.execute_interactive(code, output_hook=messages.append, timeout=300)
        assert reply["content"]["status"] == "ok", reply["content"]
        return messages

    def send(self, model_id: str, data: dict) -> list[dict]:
        """A message from the page to a widget; the kernel's answers, until it is idle again."""
        message = self.client.session.msg("comm_msg", {"comm_id": model_id, "data": data})
        self.client.shell_channel.send(message)
        answers = []
        while True:
            answer = self.client.get_iopub_msg(timeout=120)
            if answer["parent_header"].get("msg_id") != message["header"]["msg_id"]:
                continue
            if answer["msg_type"] == "status" and answer["content"]["execution_state"] == "idle":
                return answers
            answers.append(answer)

    def set(self, model_id: str, state: dict) -> list[dict]:
        return self.send(model_id, {"method": "update", "state": state, "buffer_paths": []})

    def click(self, model_id: str) -> list[dict]:
        return self.send(model_id, {"method": "custom", "content": {"event": "click"}})

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel_data(tmp_path_factory):
    """A copy of the data that the kernel's chapters read (PANSEC_DATA), never the repository's data/."""
    folder = real_copy(tmp_path_factory.mktemp("form-kernel"))
    env = {**os.environ, "PANSEC_DATA": str(folder),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    running = Kernel(env)
    running.run("from pansec import explore\nform = explore.event_form()\nform")
    yield running, folder
    running.close()


def ids(kernel: Kernel, names: list[str]) -> dict[str, str]:
    return {name: kernel.evaluate(f"form.controls[{name!r}].model_id") for name in names}


def index_of(kernel: Kernel, name: str, value: str) -> int:
    return kernel.evaluate(f"[v for _, v in form.controls[{name!r}].options].index({value!r})")


def fill_from_the_page(kernel: Kernel, date: str) -> None:
    control = ids(kernel, ["date", "title", "kind", "bloc", "actors", "sources", "summary", "locator", "checked"])
    kernel.set(control["date"], {"value": date})
    kernel.set(control["title"], {"value": "United States note turning down the Rapacki Plan"})
    kernel.set(control["kind"], {"index": index_of(kernel, "kind", "response")})
    kernel.set(control["bloc"], {"index": index_of(kernel, "bloc", "west")})
    kernel.set(control["actors"], {"index": [index_of(kernel, "actors", "usa")]})
    kernel.set(control["sources"], {"index": [index_of(kernel, "sources", "hotta2026")]})
    kernel.set(control["summary"], {"value": SUMMARY})
    kernel.set(control["locator"], {"value": "§3"})
    kernel.set(control["checked"], {"value": "The report dates the note in its third section."})


def test_in_a_kernel_an_invalid_event_shows_the_checks_messages_and_writes_nothing(kernel_data):
    kernel, folder = kernel_data
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    fill_from_the_page(kernel, "1958-05-32")
    answers = kernel.click(kernel.evaluate("form.submit.model_id"))
    assert not [a for a in answers if a["msg_type"] == "error"], answers
    shown = kernel.evaluate("form.message.value")
    line = before["events.csv"].count(b"\n") + 1
    assert f"events.csv:{line}: date: &#x27;1958-05-32&#x27; is not a real date" in shown, shown
    assert "Nothing was written" in shown
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_in_a_kernel_a_valid_event_is_added_shown_in_a_chapter_and_undone(kernel_data):
    kernel, folder = kernel_data
    before = (folder / "events.csv").read_bytes()
    fill_from_the_page(kernel, "1958-05-03")
    kernel.click(kernel.evaluate("form.submit.model_id"))
    shown = kernel.evaluate("form.message.value")
    assert "The check passed" in shown, shown
    assert b"united-states-note-turning-down-the-rapacki-plan,1958-05-03," in (folder / "events.csv").read_bytes()
    kernel.run("import pansec\nseen = pansec.explore.chronology_view(pansec.load_chronology(), period='towards-helsinki')")
    assert "united-states-note-turning-down-the-rapacki-plan" in kernel.evaluate("list(seen.rows['id'])")
    kernel.click(kernel.evaluate("form.undo_button.model_id"))
    assert (folder / "events.csv").read_bytes() == before
    assert "Undone" in kernel.evaluate("form.message.value")


def test_messages_name_the_repositorys_folder_as_the_guide_does(monkeypatch, data):
    monkeypatch.delenv("PANSEC_DATA", raising=False)
    assert explore.EventForm().label == "data", "read only: the form is made, nothing is pressed"
    assert explore.EventForm(data).label == str(data)
