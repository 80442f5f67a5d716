"""One CSV file of the data package as text cells, each row indexed by the editor line it starts on.

The text is read with the standard ``csv`` module, strictly, so that each record keeps the physical
line it starts on and a row with too many or too few cells is reported, not padded or shifted by
a lenient parser. Nothing is dropped without a problem saying why, except blank lines. A file that
both readers are sure to read alike is read faster by pandas (``pansec.read.quick``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy
import pandas as pd

from pansec.problems import Problem, show
from pansec.read.columns import Column
from pansec.read.descriptor import DESCRIPTOR, LIST_SEPARATOR, Resource
from pansec.read.files import UNDECODABLE, label_of, read_bytes_and_text
from pansec.read.quick import plain_text, quick_records

# What spreadsheets put between cells instead of ',' when told to save "CSV" in some locales.
OTHER_DELIMITERS = {";": "';'", "\t": "tabs"}
STRIP = numpy.frompyfunc(str.strip, 1, 1)
#: The characters str.strip() removes that ASCII has; beyond ASCII there are more (U+00A0, U+2003, ...).
ASCII_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


@dataclass
class Table:
    """One CSV file as read: string cells (NaN when empty), indexed by the line each row starts on."""

    name: str
    file: str
    fields: list
    primary_key: list[str]
    foreign_keys: list[dict]
    frame: pd.DataFrame
    present: set[str] = field(default_factory=set)
    rows_read: int = 0
    columns: dict[str, Column] = field(default_factory=dict)
    lists: dict[str, tuple[numpy.ndarray, list[list[str]]]] = field(default_factory=dict)
    #: True when the file's bytes show that no cell holds markup or an invisible character.
    plain: bool = False

    def get_field(self, name: str):
        return next(f for f in self.fields if f.name == name)

    def column(self, name: str) -> Column:
        """The column as the rules read it, built once (read_table gives each column it read)."""
        if name not in self.columns:
            self.columns[name] = Column.of(self.frame[name])
        return self.columns[name]

    def lists_of(self, name: str) -> tuple[numpy.ndarray, list[list[str]]]:
        """A ';'-list column as each row's code (-1 when empty) and, by code, the distinct cells
        split into stripped items: split once, for the rules and the loader alike.

        A column of lists repeats itself (the same sources, the same few actors), so splitting its
        distinct cells is most of the work saved; what remains is plain Python, several times
        faster at 100,000 rows than pandas' split and explode.
        """
        if name not in self.lists:
            codes, distinct = self.column(name).codes
            self.lists[name] = (codes, split_lists(distinct.tolist()))
        return self.lists[name]

    def integers(self, name: str) -> pd.arrays.IntegerArray:
        """A column of whole numbers (as validation found them) as nullable integers, each distinct
        cell converted once: a column of note numbers repeats a few values, and pandas' to_numeric
        parses all 100,000 cells of it."""
        codes, distinct = self.column(name).codes
        numbers = numpy.array([int(cell) for cell in distinct.tolist()] + [0], dtype=numpy.int64)
        return pd.arrays.IntegerArray(numbers[codes], codes < 0)  # an empty cell's code, -1, takes the 0

    def items(self, name: str) -> list[list[str]]:
        """Each cell of a ';'-list column as its own list of stripped items ([] when empty)."""
        codes, split = self.lists_of(name)
        return [split[code].copy() if code >= 0 else [] for code in codes.tolist()]


def split_lists(cells: list[str]) -> list[list[str]]:
    """Each ';'-list cell split into its items, stripped. When no cell holds a character that
    stripping removes (ASCII text without spaces, found with a few scans of the cells joined), the
    items are taken as split, which halves the cost: 40,000 distinct cells of actors at 100,000 events."""
    joined = "".join(cells)
    if joined.isascii() and not any(space in joined for space in ASCII_SPACES):
        return [cell.split(LIST_SEPARATOR) for cell in cells]
    return [[item.strip() for item in cell.split(LIST_SEPARATOR)] for cell in cells]


def read_table(folder: Path, resource: Resource, problems: list[Problem]) -> Table | None:
    """Parse one CSV file into string columns indexed by editor line, reporting what cannot be parsed."""
    label = label_of(folder, resource.path)
    raw, text, clean = read_bytes_and_text(folder / resource.path, label, problems, f"{DESCRIPTOR} lists it")
    if text is None:
        return None
    schema = resource.schema
    names = [f.name for f in schema.fields]
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        problems.append(
            Problem(label, 1, "file", f"the file is empty: it needs at least the header line {','.join(names)}")
        )
        return None
    other = other_delimiter(text, names)
    if other is not None:  # every line would be one long cell or a cascade of stray ','s: say it once
        delimiter, line = other
        problems.append(Problem(label, line, "file", f"the file uses {OTHER_DELIMITERS[delimiter]} as delimiter; "
                                                     "save it with ',' (comma-separated values)"))
        return None
    quick = quick_records(raw) if clean else None
    if quick is not None:  # a well-formed file of whole rows: no problem of its shape to report
        header, header_line, cells, good_lines, edges_plain = quick
        position = header_positions([cell.strip() for cell in header], header_line, names, label, problems)
        width = len(header)
    else:
        rows, lines = records(text, label, problems)
        if not rows:
            problems.append(Problem(label, 1, "file", f"the file has no header line: it should start with {','.join(names)}"))
            return None
        position = header_positions([cell.strip() for cell in rows[0]], lines[0], names, label, problems)
        width = len(rows[0])
        good_rows, good_lines = whole_rows(rows[1:], lines[1:], width, label, problems)
        cells = numpy.fromiter(chain.from_iterable(good_rows), dtype=object, count=len(good_rows) * width)
        cells = cells.reshape(len(good_rows), width)
    present = {name for name in names if name in position}
    index = pd.Index(good_lines, name="line", dtype="int64")
    # One object array for the whole table, stripped in one pass (pandas' per-column string
    # methods cost several times more at 100,000 rows), unless no cell has a space to strip.
    if quick is None or not edges_plain:
        cells = STRIP(cells)
    empty = cells == ""
    cells[empty] = None
    columns = {
        name: pd.Series(cells[:, position[name]] if name in present else None, index=index, dtype="str")
        for name in names
    }
    table = Table(
        name=resource.name,
        file=label,
        fields=list(schema.fields),
        primary_key=list(schema.primary_key),
        foreign_keys=list(schema.foreign_keys),
        frame=pd.DataFrame(columns, index=index, copy=False),  # the columns are new: no need to copy them
        present=present,
        rows_read=len(cells),
        plain=quick is not None and plain_text(raw),
    )
    for name in present:
        table.columns[name] = Column(table.frame[name].to_numpy(dtype=object), empty[:, position[name]].copy())
    if not clean:
        report_undecodable(table, problems)
    return table


def whole_rows(rows: list[list[str]], lines: list[int], width: int, label: str,
               problems: list[Problem]) -> tuple[list[list[str]], list[int]]:
    """The rows with as many cells as the header, and their lines; every other row is reported."""
    if set(map(len, rows)) <= {width}:  # the usual case, found without a loop in Python
        return rows, lines
    good_rows, good_lines = [], []
    for row, line in zip(rows, lines):
        if len(row) == width:
            good_rows.append(row)
            good_lines.append(line)
            continue
        if len(row) > width:
            why = "a stray ',' or a comma in a cell that is not quoted"
        else:
            why = "a missing ',' or a line break in a cell that is not quoted"
        problems.append(
            Problem(label, line, "row", f"has {len(row)} cells but the header has {width}: {why}; the row was not read")
        )
    return good_rows, good_lines


def records(text: str, label: str, problems: list[Problem]) -> tuple[list[list[str]], list[int]]:
    """The non-blank records of a CSV text and the line each starts on.

    A record the csv module cannot read is reported, and reading resumes on the next line, so
    later rows are still checked.
    """
    rows, lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    while True:
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if not any(row) or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line holds no data, so skipping it loses nothing
                rows.append(row)
                lines.append(start)
            break
        except csv.Error as err:
            why = str(err)
            if "unexpected end of data" in why:
                why = "a quoted cell that starts here is never closed, so the rest of the file could not be read"
            problems.append(Problem(label, end + 1, "row", f"cannot be read as CSV: {why}"))
            end = reader.line_num
    return rows, lines


def header_positions(header: list[str], line: int, names: list[str], label: str, problems: list[Problem]) -> dict[str, int]:
    """Where each field of the schema is in the header; problems for names twice, unknown or absent."""
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        where = f"column {index + 1}"
        token = name if name in names else "header"
        if not name:
            problems.append(Problem(label, line, "header", f"{where} of the header has no name"))
        elif name in position:
            problems.append(
                Problem(label, line, token,
                        f"{show(name)} appears twice in the header (columns {position[name] + 1} and {index + 1})")
            )
        elif name not in names:
            hint = ""
            if UNDECODABLE.search(name):
                hint = "; the header is not valid UTF-8: save the file as UTF-8"
            elif name.startswith(("\ufeff", "ï»¿")):
                hint = "; it starts with a damaged byte-order mark: save the file as UTF-8"
            problems.append(
                Problem(label, line, token,
                        f"unexpected column {show(name)} in {where}: the schema in {DESCRIPTOR} has no such field{hint}")
            )
            position[name] = index
        else:
            position[name] = index
    for name in names:
        if name not in position:
            problems.append(Problem(label, line, name, "column is missing from the header"))
    return position


def other_delimiter(text: str, names: list[str]) -> tuple[str, int] | None:
    """The delimiter of a file saved with ';' (a spreadsheet's "CSV" in many European locales) or
    with tabs, and the line of its header; None for a comma-separated file.

    Decided on the header line alone, against the schema's field names, rather than guessed from
    the data's punctuation as csv.Sniffer does (';' also separates the ids in the list cells of a
    good file): the file is reported when splitting its header at ';' (or a tab) finds at least two
    of the schema's names, and more than splitting it at ',' does. A stray ';' in a comma-separated
    header is therefore left to the header checks.
    """
    def cells(line: str, delimiter: str) -> list[str]:
        try:
            return next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            return []

    for number, match in enumerate(re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text), 1):
        line = match.group().rstrip("\r\n")
        by_comma = cells(line, ",")
        if not any(by_comma) or (len(by_comma) == 1 and not by_comma[0].strip()):
            continue  # blank, as records() skips it
        wanted = set(names)
        commas = len({cell.strip() for cell in by_comma} & wanted)
        for delimiter in OTHER_DELIMITERS:
            found = len({cell.strip() for cell in cells(line, delimiter)} & wanted)
            if found >= 2 and found > commas:
                return delimiter, number
        return None
    return None


def report_undecodable(table: Table, problems: list[Problem]) -> None:
    """Name every cell holding bytes that are not UTF-8, so a Latin-1 file is fixed in one go."""
    for name in table.present:
        column = table.frame[name]
        bad = column.str.contains(UNDECODABLE.pattern, regex=True, na=False)
        for line, value in column[bad].items():
            byte = ord(UNDECODABLE.search(value).group()) - 0xDC00
            problems.append(
                Problem(table.file, line, name,
                        f"not valid UTF-8 (byte 0x{byte:02X} in {show(value)}, shown as \ufffd): the file seems to be saved as "
                        "Latin-1 or Windows-1252; save it as UTF-8")
            )
