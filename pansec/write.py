"""Rows appended to the data's CSV files, and taken back, so that a file is always whole.

A file is never written in place: its new bytes go to a temporary file in the same folder, which
is flushed to disk (fsync) and then renamed over the old one (``os.replace``, atomic on POSIX and
Windows). A reader, a crash or an interrupted kernel therefore finds the old file or the new
one, never a half-written one. Every existing byte is kept: the new rows follow the file's own
byte-order mark, line ending (CRLF or LF) and trailing newline, and are encoded as UTF-8.

Files changed together (an event in events.csv, the row of review.csv on its date and its links
in exchanges.csv) are renamed in the order given, the table that others point at first, so that
no row ever names an event that is not there; undoing goes in the reverse order for the same
reason. If a rename fails, the files already renamed get their old bytes back, and a Ctrl-C
(KeyboardInterrupt) that arrives while the files are being renamed is held until the last rename
(or the restoring) is done. Only a power cut or a killed process between two renames can leave
the first files changed and the others not: an event without its link or its review row, which
``python -m pansec validate`` then reports, never a half-written file.

Written with the standard library: ``atomicwrites``, the library for this, is archived by its
author, and none handles several files as one change.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TextFormat:
    """How a file writes its text: byte-order mark, line ending, and newline after its last line."""

    bom: bool
    newline: str
    final_newline: bool


def text_format(raw: bytes) -> TextFormat:
    """The file's own conventions; an empty or one-line file without line ending is taken as LF."""
    bom = raw.startswith(BOM)
    first = raw.find(b"\n")
    if first > 0 and raw[first - 1 : first] == b"\r":
        newline = "\r\n"
    elif first < 0 and b"\r" in raw:
        newline = "\r"
    else:
        newline = "\n"
    body = raw[len(BOM) :] if bom else raw
    return TextFormat(bom, newline, body.endswith((b"\n", b"\r")) or not body)


def csv_lines(rows: list[list[str]], newline: str) -> str:
    """Rows as CSV text, each ended by ``newline``, quoted only where a cell needs it (as the csv
    module and spreadsheets write: a comma, a quote or a line break)."""
    out = io.StringIO()
    csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return out.getvalue()


def appended(raw: bytes, rows: list[list[str]]) -> bytes:
    """The bytes of a CSV file with ``rows`` added at its end, every old byte kept.

    A file that did not end with a newline gets one before its new rows and none after them, so
    that it keeps its convention.
    """
    if not rows:
        return raw
    form = text_format(raw)
    text = csv_lines(rows, form.newline)
    if not form.final_newline:
        text = form.newline + text[: -len(form.newline)]
    return raw + text.encode("utf-8")


def appended_lines(raw: bytes) -> int:
    """The editor line a row appended to this file lands on (the header is line 1)."""
    form = text_format(raw)
    lines = raw.count(form.newline.encode("ascii"))
    return lines + (1 if form.final_newline else 2)


def replace_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` as the whole of ``path``, atomically: the old file or the new, never part.

    ``durable=False`` skips flushing to disk, for a file that can be made again (a cache): a power
    cut may then lose it, but a reader still never finds it half-written by this process.
    """
    staged = _stage(Path(path), data, durable=durable)
    try:
        os.replace(staged, path)
    except BaseException:
        _discard(staged)
        raise
    if durable:
        _sync_folder(Path(path).parent)


def replace_files(changes: list[tuple[Path, bytes]]) -> None:
    """Replace several files as one change, in the order given (see the module's docstring).

    Every new file is staged (written and synced beside its target) before any is renamed; if
    staging fails, nothing has changed. If a rename fails, the renamed files get their old bytes.
    """
    changes = [(Path(path), data) for path, data in changes if Path(path).read_bytes() != data]
    old = {path: path.read_bytes() for path, _ in changes}
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in changes:
            staged.append((_stage(path, data), path))
        with _interrupts_held():
            done: list[Path] = []
            try:
                for temporary, path in staged:
                    os.replace(temporary, path)
                    done.append(path)
            except BaseException:
                for path in reversed(done):
                    replace_file(path, old[path])
                raise
    finally:
        for temporary, _ in staged:
            _discard(temporary)
    for folder in {path.parent for path, _ in changes}:
        _sync_folder(folder)


def _stage(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """``data`` in a new file beside ``path``, synced to disk (if durable) and with ``path``'s permissions."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(staged, path.stat().st_mode & 0o7777)
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows opening a folder (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _interrupts_held():
    """Hold SIGINT (a kernel's interrupt, a Ctrl-C) until the block is done, then raise it.

    Signal handlers can be set only in the main thread; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *received: caught.append(received))
    except (ValueError, OSError):  # an embedded interpreter that owns its signals
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and previous is not signal.SIG_IGN:
            if callable(previous):
                previous(*caught[0])  # Python's own handler raises KeyboardInterrupt; a kernel's does its own
            else:
                raise KeyboardInterrupt
