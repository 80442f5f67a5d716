"""A well-formed CSV file read by pandas' C parser, with the editor line of each record.

The ``csv`` module reads a large table at about a third of a second per 100,000 rows, and gives
each cell its own string object, so that every later look-up hashes it again. pandas' C parser
reads the same file in less time and shares one string object among equal cells of a column, but
it is lenient: it pads short rows, accepts text after a closing quote and skips what it cannot
use, and it says nothing of lines. So it is used only on a file that both parsers would read
alike, which one pass of numpy over the bytes decides: every quote opens a cell, closes it or is
doubled inside it; no NUL, no byte-order mark, no carriage return but before a newline; every
record as wide as the header and none starting with a space or a tab. The same pass gives each
record's line. Any other file (and every file with a problem to report) is read by
``tables.records`` as before, so the problems and the lines they name stay the strict reader's.
"""

from __future__ import annotations

import csv
import io
import warnings

import numpy
import pandas as pd

QUOTE, NEWLINE, COMMA, RETURN = b'"'[0], b"\n"[0], b","[0], b"\r"[0]
#: Bytes the strict reader treats otherwise than pandas does, or that pandas may drop.
AWKWARD = (b"\x00", "\ufeff".encode())
#: By byte, whether it may be (or begin or end) a character that str.strip() removes: ASCII
#: whitespace, and every byte of a character beyond ASCII, some of which are spaces too. Line
#: breaks count only inside quotes: outside, they end the record.
MAY_BE_SPACE = numpy.zeros(256, dtype=bool)
MAY_BE_SPACE[list(b" \t\x0b\x0c\x1c\x1d\x1e\x1f") + list(range(0x80, 0x100))] = True
MAY_BE_SPACE_QUOTED = MAY_BE_SPACE.copy()
MAY_BE_SPACE_QUOTED[list(b"\r\n")] = True
#: Every byte but '<' (markup begins with it) and the control characters other than tab and line
#: breaks (invisible in an editor): what a file whose cells are all plain text may hold.
PLAIN_BYTES = bytes(sorted(set(range(256)) - {ord("<"), *range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F}))


def quick_records(raw: bytes) -> tuple[list[str], int, numpy.ndarray, numpy.ndarray, bool] | None:
    """The header, its line, the cells of the other records (one row each, as text, unstripped),
    their lines, and whether no cell begins or ends with a space, so that stripping would change
    nothing; None when the file is not simple enough for both parsers to agree on."""
    if holds_any(raw, AWKWARD):
        return None
    data = numpy.frombuffer(raw, dtype=numpy.uint8)
    size = len(data)
    quotes = numpy.flatnonzero(data == QUOTE)
    if len(quotes) % 2 or not quotes_well_formed(data, quotes):
        return None
    newlines = numpy.flatnonzero(data == NEWLINE)
    if b"\r" in raw and raw.count(b"\r") != (data[newlines[newlines > 0] - 1] == RETURN).sum():
        return None  # a carriage return ends a line only before a newline, as Windows writes it
    # Outside quotes an even number of quotes lies before a byte: there a newline ends a record
    # and a comma ends a cell.
    ends = newlines[numpy.searchsorted(quotes, newlines) % 2 == 0]
    commas = numpy.flatnonzero(data == COMMA)
    # (the commas inside quotes, found from the few quoted cells rather than from every comma)
    opened, closed = numpy.searchsorted(commas, quotes[0::2]), numpy.searchsorted(commas, quotes[1::2])
    depth = numpy.cumsum(numpy.bincount(opened, minlength=len(commas) + 1) - numpy.bincount(closed, minlength=len(commas) + 1))
    commas = commas[depth[:-1] == 0]
    starts = numpy.concatenate(([0], ends + 1))
    stops = numpy.concatenate((ends, [size]))
    filled = stops > starts  # an empty record is a blank line, which both parsers skip
    cells = numpy.diff(numpy.searchsorted(commas, stops), prepend=0) + 1
    starts, stops, cells = starts[filled], stops[filled], cells[filled]
    if len(starts) < 2:
        return None  # no data row: nothing to gain, and pandas would find no columns
    width = int(cells[0])
    if width < 2 or (cells != width).any() or numpy.isin(data[starts], (ord(" "), ord("\t"))).any():
        return None  # a row of another width, or one pandas might read as blank: the strict reader says
    lines = numpy.searchsorted(newlines, starts) + 1
    header = next(csv.reader(io.StringIO(raw[starts[0]:stops[0]].decode("utf-8"), newline=""), strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning means pandas read it otherwise: use the strict reader
        try:
            frame = pd.read_csv(io.BytesIO(raw[stops[0] + 1:]), header=None, dtype=object, na_filter=False,
                                engine="c", encoding="utf-8", skip_blank_lines=True, low_memory=False)
        except (ValueError, Warning):
            return None
    header_line, lines = int(lines[0]), lines[1:]
    rows = frame.to_numpy(dtype=object)
    if rows.shape != (len(lines), width) or len(header) != width:
        return None
    # A row of empty cells only (',,,'), which the strict reader skips as blank, is at most two
    # quotes a cell, the commas between them and a carriage return long: only such rows are looked at.
    short = numpy.flatnonzero(stops[1:] - starts[1:] <= 3 * width)
    blank = [at for at in short.tolist() if not any(rows[at])]
    if blank:
        keep = numpy.ones(len(rows), dtype=bool)
        keep[blank] = False
        rows, lines = rows[keep], lines[keep]
    return header, header_line, rows, lines, edges_plain(data, starts, stops, commas)


def plain_text(raw: bytes) -> bool:
    """Whether no cell of the file can hold markup or an invisible character, decided on its bytes:
    no '<', no control byte but tab and line breaks, and no byte-order mark (the one invisible
    character beyond ASCII). One pass of C over the file spares the rules a pass of Python over
    each column of free text, about 20 ms a column at 100,000 rows; a file that fails is checked
    cell by cell as usual."""
    return not holds_any(raw, AWKWARD[1:]) and not raw.translate(None, PLAIN_BYTES)


def holds_any(raw: bytes, needles) -> bool:
    """Whether any of the byte strings occurs in the file. A search for several bytes costs ten
    times a search for one (20 ms against 2 ms for 23 MB), so each is looked for whole only where
    its first byte occurs, which for the byte-order mark (0xEF) is rare."""
    return any(needle[:1] in raw and needle in raw for needle in needles)


def edges_plain(data: numpy.ndarray, starts: numpy.ndarray, stops: numpy.ndarray, commas: numpy.ndarray) -> bool:
    """Whether no cell's first or last character (inside its quotes, if quoted) may be whitespace,
    found from the bytes on either side of each comma and at each record's ends; a doubt (a
    character beyond ASCII there) says no, and the cells are stripped as usual."""
    edge = numpy.full(2, NEWLINE, dtype=numpy.uint8)
    padded = numpy.concatenate((edge, data, edge))  # two bytes either side: no index falls outside

    def plain(first: numpy.ndarray, inner: numpy.ndarray) -> bool:
        return not numpy.where(first == QUOTE, MAY_BE_SPACE_QUOTED[inner], MAY_BE_SPACE[first]).any()

    record_ends = stops - (data[stops - 1] == RETURN)  # a carriage return before the newline ends it too
    return (plain(padded[starts + 2], padded[starts + 3]) and plain(padded[commas + 3], padded[commas + 4])
            and plain(padded[record_ends + 1], padded[record_ends]) and plain(padded[commas + 1], padded[commas]))


def quotes_well_formed(data: numpy.ndarray, quotes: numpy.ndarray) -> bool:
    """Whether every quote opens a cell (at its start), closes it (before a comma, a line's end or
    the file's) or is one of a doubled pair inside it: then being inside a quoted cell is having passed an
    odd number of quotes, and the strict reader finds nothing to complain of."""
    if not len(quotes):
        return True
    size = len(data)
    opening, closing = quotes[0::2], quotes[1::2]
    before = numpy.where(opening > 0, data[numpy.maximum(opening - 1, 0)], NEWLINE)
    after = numpy.where(closing + 1 < size, data[numpy.minimum(closing + 1, size - 1)], NEWLINE)
    after[after == RETURN] = NEWLINE  # every carriage return comes before a newline
    # The second quote of a doubled pair sits where an opening one would, right after a closing one.
    doubled = numpy.zeros(len(opening), dtype=bool)
    doubled[1:] = opening[1:] == closing[:-1] + 1
    starts_cell = (before == COMMA) | (before == NEWLINE) | doubled
    ends_cell = (after == COMMA) | (after == NEWLINE) | numpy.append(doubled[1:], False)
    return bool(starts_cell.all() and ends_cell.all())
