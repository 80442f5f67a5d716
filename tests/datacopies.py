"""Throw-away copies of the data for tests: the real data, the small fixture, or a broken case.

The schema always comes from data/datapackage.json, so the tests check the schema the book uses.
A case under tests/bad_data/<case>/ holds only the broken file(s); it is laid over the fixture.
Its expected.txt lists the problems it must produce: '# ' lines describe the case, every other
line is 'FILE:LINE: column: ' followed by the start of the message (or a fragment of it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DATA = TESTS.parent / "data"
FIXTURE = TESTS / "fixture_data"
BAD_DATA = TESTS / "bad_data"
CASES = sorted(p.name for p in BAD_DATA.iterdir() if p.is_dir())
PROBLEM_FORMAT = r"^[^:]+:\d+: [a-z_]+: .+"


def real_copy(tmp: Path) -> Path:
    """A copy of the repository's data, safe to break."""
    folder = Path(tmp) / "data"
    shutil.copytree(DATA, folder)
    return folder


def fixture_copy(tmp: Path, case: str | None = None) -> Path:
    """The fixture chronology (with the real schema), optionally with a broken case laid over it."""
    folder = Path(tmp) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for source in FIXTURE.iterdir():
        shutil.copy(source, folder / source.name)
    shutil.copy(DATA / "datapackage.json", folder / "datapackage.json")
    if case is not None:
        for source in (BAD_DATA / case).iterdir():
            if source.name != "expected.txt":
                shutil.copy(source, folder / source.name)
    return folder


def expected(case: str) -> list[str]:
    """The problems a case must produce, as 'FILE:LINE: column: message-start' lines."""
    text = (BAD_DATA / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def relative(problems, folder: Path) -> list[str]:
    """Problems as text with the temporary folder cut off: 'events.csv:5: date: ...'."""
    prefix = f"{folder}/"
    return [str(p)[len(prefix):] if str(p).startswith(prefix) else str(p) for p in problems]


def write(folder: Path, name: str, text: str) -> None:
    (Path(folder) / name).write_text(text, encoding="utf-8")


def append_row(folder: Path, name: str, row: str) -> int:
    """Add one line to a table; returns the editor line it lands on."""
    path = Path(folder) / name
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1
