"""Where the data live, and their text as an editor sees it.

Every file is read strictly as UTF-8: undecodable bytes survive as lone surrogates, so that the
checks can name each cell or line that holds one instead of failing on the first.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from pathlib import Path

from pansec.problems import Problem

DESCRIPTOR = "datapackage.json"
BIBLIOGRAPHY = "references.bib"
UNDECODABLE = re.compile(r"[\udc80-\udcff]")


def default_data_dir() -> Path:
    """The data folder: $PANSEC_DATA if set (to try an edited copy), else the repository's data/."""
    override = os.environ.get("PANSEC_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "data"


def label_of(folder: Path, name: str) -> str:
    """The file's name as problems print it: the folder as given, so an editor can open it."""
    return str(Path(folder) / name)


def line_at(text: str, offset: int) -> int:
    """The editor line (from 1) of a character offset."""
    return text.count("\n", 0, offset) + 1


def read_text(path: Path, label: str, problems: list[Problem], what: str) -> tuple[str | None, bool]:
    """The file's text and whether it is valid UTF-8 (a leading byte-order mark is allowed).

    ``what`` says why the file is needed, for the problem reported when it is missing.
    """
    _, text, clean = read_bytes_and_text(path, label, problems, what)
    return text, clean


def read_bytes_and_text(path: Path, label: str, problems: list[Problem], what: str) -> tuple[bytes | None, str | None, bool]:
    """As :func:`read_text`, with the bytes the text was decoded from (without a byte-order mark),
    for a parser that reads bytes."""
    if not path.is_file():
        problems.append(Problem(label, 1, "file", f"file not found; {what}"))
        return None, None, False
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(label, 1, "file", "the file is UTF-16 encoded: save it as UTF-8"))
        return None, None, False
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw, raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw, raw.decode("utf-8", errors="surrogateescape"), False


@contextlib.contextmanager
def collecting_later():
    """Hold Python's cyclic garbage collector back while a data folder is read.

    Reading 100,000 rows makes a few hundred thousand lists and strings and no reference cycles,
    and the collector, triggered by every few hundred new objects, would walk the growing heap
    again and again: a quarter of the loading time. It runs as usual once the tables are read.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
