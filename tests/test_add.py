"""An event added from the form lands in the data whole or not at all: the row appended, every other
byte kept (LF or CRLF, byte-order mark, last newline), nothing written when the book's validator
objects, an undo that gives back the very bytes, and no half-written file when the write is cut off."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from datacopies import PROBLEM_FORMAT, real_copy
from pansec import add, write
from pansec.load import load_chronology
from pansec.validate import validate

ROOT = Path(__file__).resolve().parents[1]

NOTE = add.Draft(
    id="us-rejects-rapacki-plan", date="1958-05-03", title="United States note turning down the Rapacki Plan",
    kind="response", actors=("usa",), bloc="west", sources=("hotta2026",),
    summary="Washington answers that a zone without nuclear weapons, but with no limits on other forces, "
            "would not make Europe safer.",
    locator="not located", checked="The note's title dates it to 3 May 1958.",
    links=(add.Link("rapacki-plan", "rejects", "The United States turns down the Polish plan."),),
)


@pytest.fixture
def data(tmp_path) -> Path:
    return real_copy(tmp_path)


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def as_crlf_with_bom(path: Path) -> bytes:
    raw = write.BOM + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(raw)
    return raw


def test_a_valid_event_is_appended_and_every_other_byte_kept(data):
    before = files(data)
    outcome, addition = add.add(NOTE, data)
    assert outcome.valid and addition is not None
    after = files(data)
    for name in ("events.csv", "review.csv", "exchanges.csv"):
        assert after[name].startswith(before[name])
        added = after[name][len(before[name]):].decode("utf-8")
        assert added.endswith("\n") and added.count("\n") == 1 and "\r" not in added
    assert {name for name in before if after[name] != before[name]} == {"events.csv", "review.csv", "exchanges.csv"}
    assert after["events.csv"][len(before["events.csv"]):].startswith(b"us-rejects-rapacki-plan,1958-05-03,,,reference,")
    # A date from a source is reviewed: the first source, the place in it, and the student's sentence.
    assert after["review.csv"][len(before["review.csv"]):] == (
        b"us-rejects-rapacki-plan,date,hotta2026,not located,,confirmed,The note's title dates it to 3 May 1958.\n")
    assert validate(data) == []
    chron = load_chronology(data)
    assert "us-rejects-rapacki-plan" in set(chron.events["id"])


def test_a_crlf_file_with_a_byte_order_mark_keeps_both(data):
    events, exchanges = data / "events.csv", data / "exchanges.csv"
    old_events, old_exchanges = as_crlf_with_bom(events), as_crlf_with_bom(exchanges)
    outcome, addition = add.add(NOTE, data)
    assert outcome.valid, outcome.problems
    for path, old in ((events, old_events), (exchanges, old_exchanges)):
        new = path.read_bytes()
        assert new.startswith(old) and new.startswith(write.BOM)
        tail = new[len(old):]
        assert tail.endswith(b"\r\n") and tail.count(b"\r\n") == 1 and tail.count(b"\n") == 1
    assert validate(data) == []


def test_a_file_without_a_last_newline_keeps_that_convention(data):
    events = data / "events.csv"
    old = events.read_bytes().rstrip(b"\n")
    events.write_bytes(old)
    outcome, _ = add.add(replace(NOTE, links=()), data)
    assert outcome.valid, outcome.problems
    new = events.read_bytes()
    assert new.startswith(old + b"\n") and not new.endswith(b"\n")
    assert new[len(old) + 1:].startswith(b"us-rejects-rapacki-plan,")
    assert outcome.changes[0].first_line == old.count(b"\n") + 2


def test_the_row_follows_the_files_own_order_of_columns(data):
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    import csv, io  # noqa: E401 - only this test reorders a file
    table = list(csv.reader(io.StringIO("".join(lines))))
    order = [table[0].index(c) for c in reversed(table[0])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[row[i] for i in order] for row in table])
    events.write_text(out.getvalue(), encoding="utf-8")
    outcome, _ = add.add(NOTE, data)
    assert outcome.valid, outcome.problems
    assert "us-rejects-rapacki-plan" in set(load_chronology(data).events["id"])


def test_an_invalid_event_is_never_written_and_its_messages_name_file_line_column(data):
    before = files(data)
    wrong = replace(NOTE, date="1958-05-32", sources=("beam1958rapaki",), kind="reply")
    outcome, addition = add.add(wrong, data, label="data")
    assert addition is None and not outcome.valid
    assert files(data) == before
    shown = [str(problem) for problem in outcome.problems]
    line = before["events.csv"].count(b"\n") + 1
    assert all(re.match(PROBLEM_FORMAT, text) for text in shown), shown
    assert f"data/events.csv:{line}: date: '1958-05-32' is not a real date" in "\n".join(shown)
    assert f"data/events.csv:{line}: sources: unknown source key 'beam1958rapaki'" in "\n".join(shown)
    assert any(text.startswith(f"data/events.csv:{line}: kind: ") for text in shown)
    assert not list(data.glob(".*.tmp")), "no staged file may be left behind"


def test_a_link_to_an_event_that_does_not_exist_blocks_both_files(data):
    before = files(data)
    outcome, addition = add.add(replace(NOTE, links=(add.Link("no-such-event", "rejects", "x"),)), data, label="data")
    assert addition is None
    assert any(p.file == "data/exchanges.csv" and p.column == "from" for p in outcome.problems), outcome.problems
    assert files(data) == before


def test_a_used_id_is_refused(data):
    outcome, addition = add.add(replace(NOTE, id="rapacki-plan", links=()), data)
    assert addition is None and any(p.column == "id" and "more than once" in p.message for p in outcome.problems)


def test_undo_gives_back_the_files_byte_for_byte(data):
    as_crlf_with_bom(data / "events.csv")
    before = files(data)
    _, first = add.add(NOTE, data)
    _, second = add.add(replace(NOTE, id="us-second-note", links=()), data)
    add.undo(second)
    add.undo(first)
    assert files(data) == before


def test_undo_refuses_when_the_file_was_edited_since(data):
    _, addition = add.add(NOTE, data)
    events = data / "events.csv"
    edited = events.read_bytes() + b"hand-made,1958,,,reference,x,context,usa,west,,,hotta2026,external,y\n"
    events.write_bytes(edited)
    with pytest.raises(add.FileChangedError):
        add.undo(addition)
    assert events.read_bytes() == edited


def test_the_check_writes_nothing_into_the_data_folder(data):
    before = files(data)
    add.check(NOTE, data)
    add.choices(data)
    assert files(data) == before


def test_an_interrupt_while_the_new_file_is_written_leaves_the_old_file(data, monkeypatch):
    before = files(data)

    def cut_off(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fsync", cut_off)
    with pytest.raises(KeyboardInterrupt):
        add.add(NOTE, data)
    monkeypatch.undo()
    assert files(data) == before, "the data must be untouched, with no staged file left"


def test_a_failure_between_the_two_renames_puts_the_first_file_back(data, monkeypatch):
    before = files(data)
    real = os.replace
    renamed = []

    def second_fails(source, target):  # the second rename fails, once; putting back may rename again
        renamed.append(target)
        if len(renamed) == 2:
            raise OSError("disk full")
        real(source, target)

    monkeypatch.setattr(write.os, "replace", second_fails)
    with pytest.raises(OSError):
        write.replace_files([(data / "events.csv", b"new events\n"), (data / "exchanges.csv", b"new links\n")])
    monkeypatch.undo()
    assert files(data) == before


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="no SIGINT")
def test_a_ctrl_c_during_the_renames_waits_until_both_files_are_written(data, monkeypatch):
    real = os.replace
    calls = []

    def interrupted(source, target):
        calls.append(target)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # let the signal arrive before the next rename
        real(source, target)

    monkeypatch.setattr(write.os, "replace", interrupted)
    # Python's own handler, as in a terminal: a test run started in the background inherits SIGINT ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            write.replace_files([(data / "events.csv", b"new events\n"), (data / "exchanges.csv", b"new links\n")])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (data / "events.csv").read_bytes() == b"new events\n"
    assert (data / "exchanges.csv").read_bytes() == b"new links\n"


KILLED_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pansec.write import replace_file
    path = Path(sys.argv[1])
    old, new = path.read_bytes(), (path.read_bytes() + b"x" * 4_000_000)
    print("ready", flush=True)
    while True:
        replace_file(path, new)
        replace_file(path, old)
""")


def test_a_process_killed_while_writing_leaves_the_old_file_or_the_new(data):
    path = data / "events.csv"
    old = path.read_bytes()
    new = old + b"x" * 4_000_000
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, env=env)
    try:
        assert child.stdout.readline().strip() == b"ready"
        seen = set()
        for _ in range(200):
            seen.add(path.read_bytes() in (old, new))
        time.sleep(0.2)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert seen == {True}, "a reader saw a partly written file"
    assert path.read_bytes() in (old, new)


def test_the_suggested_id_is_a_slug_not_yet_taken():
    assert add.suggest_id("Gomułka's speech at Łódź") == "gomulka-s-speech-at-lodz"
    assert add.suggest_id("Rapacki Plan", taken={"rapacki-plan"}) == "rapacki-plan-2"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", add.suggest_id("«Über» die Sicherheit Europas, 1954!"))


def test_the_form_offers_the_vocabularies_of_the_data(data):
    offered = add.choices(data)
    assert ("usa" in {value for _, value in offered.actors}) and ("hotta2026" in {v for _, v in offered.sources})
    assert [v for _, v in offered.of("kind")][:2] == ["proposal", "response"]
    assert ("(none)", "") in offered.of("section")
    assert "rejects" in [v for _, v in offered.of("relation", "exchanges")]
    assert "rapacki-plan" in {value for _, value in offered.events}


def test_the_table_of_the_form_names_every_field_its_column_and_the_drafts_value(data):
    table = add.fields_table(NOTE, add.choices(data)).frame
    assert len(table) == len(add.FIELDS) + len(add.LINK_FIELDS) * len(NOTE.links)
    by_field = dict(zip(table["Field (column)"], table["What to write, and the example"]))
    assert by_field["Date (date)"].endswith("In the example: 1958-05-03") and by_field["Actors (actors)"].endswith("In the example: usa")
    assert by_field["End date (end_date)"].endswith("In the example: left empty")
    assert by_field["Other event 1 (from or to)"].endswith("In the example: rapacki-plan")
    assert "one of proposal, response," in by_field["Kind (kind)"]
