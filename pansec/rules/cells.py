"""Each cell against its field in the descriptor: required, unique, integer, minimum, maximum,
pattern, enum, length, and plain text (no markup, no invisible characters).

Plain pandas and numpy, read straight from the descriptor's constraints: a rule that tests text
(a pattern, an enum) runs once per distinct value, since a column repeats its values, and the
problems are worded in the terms of the field's own constraint.
"""

from __future__ import annotations

import re

import numpy
import pandas as pd

from pansec import dates
from pansec.problems import Problem, show
from pansec.read.columns import Column
from pansec.read.descriptor import is_list
from pansec.read.tables import Table

ISO_PATTERN = dates.ISO_DATE.pattern
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
# Where in a reference a fact stands (review.csv's locator), as the reference itself is divided:
# pages or Hansard columns, a document number (FRUS), the paper's section or endnote, a treaty's
# article, a paragraph; or an explicit mark where no such place can be given.
LOCATOR_PART = r"(pp?\. \d+(-\d+)?|cols?\. \d+W?(-\d+W?)?|Document [0-9A-Z]+(-\d+)?|§\d+|note \d+|Article \d+|paragraph \d+)"
LOCATOR_MARKS = ("unpaginated", "not located")
LOCATOR_PATTERN = f"{LOCATOR_PART}(, {LOCATOR_PART})*|{'|'.join(LOCATOR_MARKS)}"
# ASCII digits only, as in dates: int() reads "١٢" as 12, but no spreadsheet writes it
WHOLE_NUMBER = re.compile(r"(?a)[+-]?\d{1,15}")
# A tag, closing tag, comment or processing instruction: cells are plain text, and text from the
# data reaches HTML pages, so markup is refused at the door rather than trusted downstream.
MARKUP = r"<\s*[A-Za-z!/?]"
# Control characters and stray byte-order marks are invisible in an editor and break output.
INVISIBLE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]"
NOT_PLAIN = re.compile(f"{MARKUP}|{INVISIBLE}")
#: The characters of slugs (SLUG_PATTERN), and the line break that joins them in all_slugs.
SLUG_CHARACTERS = b"abcdefghijklmnopqrstuvwxyz0123456789-\n"


def whole_numbers(column: pd.Series) -> pd.Series:
    """Integers from text, NA where a cell is empty or not a whole number of at most 15 digits."""
    valid = column.str.fullmatch(WHOLE_NUMBER.pattern, na=False)
    return pd.to_numeric(column.where(valid), errors="coerce").astype("Int64")


class Cells:
    """One column's cells, tested as text.

    A rule that tests text tests each distinct value once, and looks for the rows only when some
    value fails: a column repeats its values, and valid data (nearly always) then costs one pass
    over the column.
    """

    def __init__(self, column: Column):
        self.column = column
        self.values, self.empty, self.has_empty = column.values, column.empty, column.has_empty

    @property
    def distinct(self) -> set[str]:
        return self.column.distinct

    def holding(self, wrong: set[str]) -> numpy.ndarray:
        """Where a cell holds one of the given values."""
        return self.column.holding(wrong)

    def failing(self, passes) -> numpy.ndarray:
        """Where a filled cell fails a test of its text."""
        return self.holding({value for value in self.distinct if not passes(value)})

    def repeated(self) -> numpy.ndarray:
        """Filled cells whose value an earlier cell already holds."""
        if self.column.is_unique():
            return numpy.zeros(len(self.values), dtype=bool)
        return pd.Series(self.values).duplicated(keep="first").to_numpy() & ~self.empty

    def filled_values(self) -> list[str]:
        """The filled cells, for a test that needs no set of them (a set of 100,000 titles costs more
        than measuring each)."""
        return self.values[self.column.filled].tolist()

    def longer(self, most: int) -> set[str]:
        filled = self.filled_values()
        return {value for value in filled if len(value) > most} if max(map(len, filled), default=0) > most else set()

    def shorter(self, least: int) -> set[str]:
        filled = self.filled_values()
        return {value for value in filled if len(value) < least} if min(map(len, filled), default=least) < least else set()

    def plain(self) -> bool:
        """True when no cell can hold markup or an invisible character, decided on the column's text
        joined: a clean column (nearly always) costs a few passes of C over it and no regex."""
        text = "".join(self.distinct)
        if "<" in text and re.search(MARKUP, text):
            return False
        if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
            return True  # every invisible character is unprintable
        return not re.search(INVISIBLE, text)


def check_cells(table: Table, spans, problems: list[Problem]) -> None:
    """The table's key across several columns, then every constraint of every field present."""
    if table.frame.empty:
        return
    key = table.primary_key
    if len(key) > 1 and set(key) <= table.present:
        check_key(table, key, problems)
    for schema_field in table.fields:
        if schema_field.name in table.present:
            check_field(table, schema_field, spans.get((table.name, schema_field.name)), problems)


def check_field(table: Table, schema_field, found_dates, problems: list[Problem]) -> None:
    name, constraints = schema_field.name, schema_field.constraints
    cells = Cells(table.column(name))
    lines = table.frame.index.to_numpy()

    def say(bad, message) -> None:
        if bad.any():
            for line, value in zip(lines[bad], cells.values[bad]):
                problems.append(Problem(table.file, int(line), name, message(value)))

    if schema_field.required and cells.has_empty:
        say(cells.empty, lambda value: "required, but the cell is empty")
    if constraints.get("unique") or table.primary_key == [name]:
        repeated = cells.repeated()
        if repeated.any():
            first = {value: line for line, value in zip(lines[::-1], cells.values[::-1])}
            say(repeated, lambda value: f"{show(value)} appears more than once (first on line {first[value]}); ids must be unique")
    if schema_field.type == "integer":
        say(cells.failing(WHOLE_NUMBER.fullmatch), lambda value: f"{show(value)} is not a whole number")
        numbers = {value: int(value) for value in cells.distinct if WHOLE_NUMBER.fullmatch(value)}
        if "minimum" in constraints:
            low = constraints["minimum"]
            say(cells.holding({value for value, n in numbers.items() if n < low}),
                lambda value: f"{value} is below the minimum {low}")
        if "maximum" in constraints:
            high = constraints["maximum"]
            say(cells.holding({value for value, n in numbers.items() if n > high}),
                lambda value: f"{value} is above the maximum {high}")
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        if pattern == ISO_PATTERN and found_dates is not None:  # the date reader matched this very pattern
            bad = ~found_dates["formed"].to_numpy() & ~cells.empty
        elif pattern == SLUG_PATTERN and all_slugs(cells.filled_values()):
            bad = numpy.zeros(len(cells.values), dtype=bool)
        else:
            bad = cells.failing(re.compile(pattern).fullmatch)
        say(bad, lambda value: pattern_message(value, pattern))
    if "enum" in constraints:
        allowed = set(constraints["enum"])
        listed = ", ".join(map(str, constraints["enum"]))
        say(cells.failing(allowed.__contains__), lambda value: f"{show(value)} is not one of: {listed}")
    if "maxLength" in constraints:
        longest = constraints["maxLength"]
        say(cells.holding(cells.longer(longest)), lambda value: f"is {len(value)} characters long; at most {longest} are allowed")
    if "minLength" in constraints:
        shortest = constraints["minLength"]
        say(cells.holding(cells.shorter(shortest)), lambda value: f"is {len(value)} characters long; at least {shortest} are needed")
    # Free text must be plain; list cells are not free text, each item must be a known id.
    if schema_field.type == "string" and not {"pattern", "enum"} & set(constraints) and not is_list(table.name, name):
        if not table.plain and not cells.plain():
            say(cells.failing(lambda value: not NOT_PLAIN.search(value)), plain_message)


def all_slugs(values: list[str]) -> bool:
    """Whether every value matches SLUG_PATTERN, decided on the values joined by line breaks with a
    few scans of C: letters, digits and '-' only, no value empty, none beginning or ending with
    '-', none with '--'. A hundred thousand ids cost about 60 ms one regular expression at a time."""
    if not values:
        return True
    try:
        text = "\n".join(values)
    except TypeError:  # a cell that is not text: the pattern says how
        return False
    if not text.isascii():
        return False
    raw = text.encode("ascii")
    if raw.count(b"\n") != len(values) - 1 or raw.translate(None, SLUG_CHARACTERS):
        return False  # a line break inside a value, or a character no slug has
    ends = (b"-", b"\n")
    return (bool(raw) and not raw.startswith(ends) and not raw.endswith(ends)
            and not any(pair in raw for pair in (b"--", b"\n-", b"-\n", b"\n\n")))


def check_key(table: Table, key: list[str], problems: list[Problem]) -> None:
    """A key of several columns names each row once; rows with an empty key cell are left to 'required'."""
    rows = table.frame[key].dropna()
    repeated = rows.duplicated(keep="first")
    if not repeated.any():
        return
    first = {tuple(values): line for line, values in zip(rows.index[::-1], rows[::-1].itertuples(index=False))}
    for line, values in zip(rows.index[repeated], rows[repeated].itertuples(index=False)):
        shown = ", ".join(show(v) for v in values)
        problems.append(Problem(table.file, int(line), key[0],
                                f"the pair ({', '.join(key)}) = ({shown}) appears more than once "
                                f"(first on line {first[tuple(values)]})"))


def pattern_message(value: str, pattern: str) -> str:
    if pattern == ISO_PATTERN:
        return f"{show(value)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
    if pattern == SLUG_PATTERN:
        return f"{show(value)} is not a valid id: use lower-case letters and digits, words joined by '-'"
    if pattern == LOCATOR_PATTERN:
        return (f"{show(value)} is not a locator: give pages ('p. 12', 'pp. 12-14') or columns ('col. 144W'), "
                "a document, section, note, article or paragraph ('Document 352', '§2', 'note 6', 'Article 9', "
                "'paragraph 2'), several joined by ', ', or mark it 'unpaginated' or 'not located'")
    return f"{show(value)} does not match the pattern {pattern}"


def plain_message(value: str) -> str:
    tag = re.search(MARKUP + r"[^\s>]*", value)
    if tag:
        return f"contains HTML markup ({show(tag.group())}); cells hold plain text, so write it without tags"
    char = re.search(INVISIBLE, value).group()
    return f"contains the invisible character U+{ord(char):04X}; remove it"
