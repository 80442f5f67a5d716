"""Every problem in the data, each as ``FILE:LINE: column: message``.

LINE is the line an editor shows (the header is line 1, and a quoted cell that spans lines
counts all of them), so a student can jump straight to the cell. Nothing stops at the first
problem, and no row is ever dropped without a problem saying why.

How the work is split, and why:

* ``data/datapackage.json`` is the single source of truth. Frictionless reads it and checks the
  descriptor itself (field types, constraint syntax, keys).
* Cells are checked by a pandera schema generated from each Frictionless schema (required,
  pattern, enum, length, integer, minimum/maximum, unique and primary keys). We do not run
  Frictionless' own row validation: it works row by row in Python, and on a synthetic
  chronology of 100,000 events it took 8.6 s of CPU for the package (2.5 s for events.csv
  alone), before any rule between tables, against a budget of 5 s for the whole data layer;
  it also reports record numbers, not the editor lines we promise. pandera's vectorised
  checks do the same job in about 0.6 s.
* The CSV text is read with the standard ``csv`` module, strictly as UTF-8, so that each record
  keeps the physical line it starts on and a row with too many or too few cells is reported,
  not padded or shifted by a lenient parser.
* Rules no schema language states (dates at mixed precision, lists of ids, the bibliography,
  back-dated responses, cycles of exchanges) are vectorised pandas code below.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy
import pandas as pd

from pansec import dates
from pansec import descriptor as descriptors

DESCRIPTOR = "datapackage.json"
BIBLIOGRAPHY = "references.bib"
LIST_SEPARATOR = ";"
# What spreadsheets put between cells instead of ',' when told to save "CSV" in some locales.
OTHER_DELIMITERS = {";": "';'", "\t": "tabs"}
ISO_PATTERN = dates.ISO_DATE.pattern
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
# A tag, closing tag, comment or processing instruction: cells are plain text, and text from the
# data reaches HTML pages, so markup is refused at the door rather than trusted downstream.
MARKUP = r"<\s*[A-Za-z!/?]"
# Control characters and stray byte-order marks are invisible in an editor and break output.
INVISIBLE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]"
UNDECODABLE = r"[\udc80-\udcff]"
STRIP = numpy.frompyfunc(str.strip, 1, 1)
NOT_PLAIN = re.compile(f"{MARKUP}|{INVISIBLE}")
# Links no schema language can state: cells holding ';'-separated ids of another table.
LIST_LINKS = {("events", "actors"): ("actors", "id")}
SUPPORTED_TYPES = {"string", "integer"}
DATES = {"events": ("date", "end_date", "paper_date"), "periods": ("start", "end")}
# What the loader and delays rely on: the descriptor may add tables and fields, not drop these.
EXPECTED = {
    "events": ["id", "date", "end_date", "paper_date", "date_basis", "title", "actors", "sources"],
    "actors": ["id"],
    "exchanges": ["from", "to", "relation"],
    "periods": ["id", "start", "end"],
    "conditions": ["id"],
    "proposal_conditions": [],
    "participation": [],
    "agenda": [],
    "claims": ["id", "from_event", "to_event", "min_days", "max_days"],
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as an editor would show it."""

    file: str
    line: int
    column: str
    message: str

    def __post_init__(self):
        # one problem, one line: a message quoting a library's multi-line text is folded
        object.__setattr__(self, "message", " ".join(str(self.message).split()))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class DataError(ValueError):
    """The data cannot be loaded; the message lists every problem, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"the data has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *map(str, self.problems)]))


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
    lists: dict[str, list[list[str]]] = field(default_factory=dict)
    indexes: dict[str, pd.Index] = field(default_factory=dict)

    def get_field(self, name: str):
        return next(f for f in self.fields if f.name == name)


@dataclass
class Examination:
    """What one pass over a data folder found: the problems, and the parsed tables for the loader."""

    problems: list[Problem]
    tables: dict[str, Table]
    bibliography: object | None  # pybtex BibliographyData
    spans: dict[tuple[str, str], pd.DataFrame]


def show(value, limit: int = 50) -> str:
    """A cell value quoted for a one-line message: escapes, and truncates long text."""
    text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace") if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def validate(data_dir=None) -> list[Problem]:
    """Every problem in the data folder, in file and line order; empty when the data are valid."""
    return examine(data_dir).problems


def examine(data_dir=None) -> Examination:
    """Read and check every file once, so that loading costs no second pass over the CSV."""
    if data_dir is None:
        from pansec.load import default_data_dir

        data_dir = default_data_dir()
    folder = Path(data_dir)
    problems: list[Problem] = []
    package = read_descriptor(folder, problems)
    tables: dict[str, Table] = {}
    if package is not None:
        for resource in package.resources:
            table = read_table(folder, resource, problems)
            if table is not None:
                tables[table.name] = table
    bibliography = read_bibliography(folder, problems)
    spans: dict[tuple[str, str], pd.DataFrame] = {}
    for table in tables.values():
        check_dates(table, spans, problems)
        check_cells(table, spans, problems)
    check_events(tables, spans, problems)
    check_periods(tables, spans, problems)
    check_lists(tables, bibliography, label_of(folder, BIBLIOGRAPHY), problems)
    check_foreign_keys(tables, problems)
    check_exchanges(tables, spans, problems)
    check_claims(tables, problems)
    order = {DESCRIPTOR: 0, **{t.file: i + 1 for i, t in enumerate(tables.values())}}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.file, p.line))
    return Examination(problems, tables, bibliography, spans)


# ---------------------------------------------------------------------------------- reading


def label_of(folder: Path, name: str) -> str:
    return str(folder / name)


def read_text(path: Path, label: str, problems: list[Problem], what: str) -> tuple[str | None, bool]:
    """The file's text and whether it is valid UTF-8 (a leading byte-order mark is allowed).

    Undecodable bytes survive as lone surrogates, so that each cell holding one can be named.
    """
    if not path.is_file():
        problems.append(Problem(label, 1, "file", f"file not found; {what}"))
        return None, False
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(label, 1, "file", "the file is UTF-16 encoded: save it as UTF-8"))
        return None, False
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="surrogateescape"), False


def read_descriptor(folder: Path, problems: list[Problem]):
    """The Frictionless package, or None (with problems) if the descriptor is unusable."""
    label = label_of(folder, DESCRIPTOR)
    text, clean = read_text(folder / DESCRIPTOR, label, problems, "it describes every table")
    if text is None:
        return None
    if not clean:
        line = text[: re.search(UNDECODABLE, text).start()].count("\n") + 1
        problems.append(Problem(label, line, "descriptor", "not valid UTF-8: save the file as UTF-8"))
        return None
    try:
        package, errors = _package(text)
    except json.JSONDecodeError as err:
        problems.append(Problem(label, err.lineno, "descriptor", f"not valid JSON: {err.msg}"))
        return None
    for error in errors:
        # a problem with one resource points at the line that names it
        named = re.match(r"resource '([^']+)'", error)
        where = re.search(rf'"name"\s*:\s*"{re.escape(named.group(1))}"', text) if named else None
        line = text[: where.start()].count("\n") + 1 if where else 1
        problems.append(Problem(label, line, "descriptor", error))
    return None if errors else package


@lru_cache(maxsize=8)
def _package(text: str):
    """Parse and check a descriptor once per distinct text: chapters load the data many times, and
    Frictionless's own check runs only for a text it has not accepted before (pansec.descriptor)."""
    descriptor = json.loads(text)
    if not isinstance(descriptor, dict):
        return None, ["the descriptor must be a JSON object"]
    accepted_before = descriptors.checked_before(text)
    if not accepted_before:
        from frictionless import Package

        report = Package.validate_descriptor(descriptor)
        errors = [f"{e.note}" for e in report.errors]
        if errors:
            return None, errors
    package = descriptors.read(descriptor)
    errors = []
    names = {resource.name: resource for resource in package.resources}
    for name, needed in EXPECTED.items():
        if name not in names:
            errors.append(f"resource {name!r} is missing: pansec needs it")
        elif names[name].schema is not None:
            absent = [f for f in needed if f not in names[name].schema.field_names]
            if absent:
                errors.append(f"resource {name!r} lacks the field(s) {', '.join(absent)}: pansec needs them")
    for resource in package.resources:
        path = str(resource.path or "")
        if not path or "/" in path or "\\" in path or path.startswith("."):
            errors.append(f"resource {resource.name!r}: path {path!r} must be a plain file name in the data folder")
        if resource.schema is None or not resource.schema.fields:
            errors.append(f"resource {resource.name!r} has no schema: every table needs its fields described")
            continue
        for foreign in resource.schema.foreign_keys:
            target = names.get(foreign["reference"].get("resource") or resource.name)
            wanted = foreign["reference"]["fields"]
            wanted = wanted if isinstance(wanted, list) else [wanted]
            if target is None or target.schema is None or not set(wanted) <= set(target.schema.field_names):
                errors.append(f"resource {resource.name!r}: foreign key {foreign} points at no such resource or field")
        for schema_field in resource.schema.fields:
            pattern = schema_field.constraints.get("pattern")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as err:
                    errors.append(f"resource {resource.name!r}: field {schema_field.name!r} has an invalid pattern: {err}")
            if schema_field.type not in SUPPORTED_TYPES:
                errors.append(
                    f"resource {resource.name!r}: field {schema_field.name!r} has type {schema_field.type!r};"
                    f" pansec reads only {', '.join(sorted(SUPPORTED_TYPES))}"
                )
            if not re.fullmatch(r"[a-z_]+", schema_field.name):
                errors.append(f"resource {resource.name!r}: field name {schema_field.name!r} must be lower case letters and '_'")
    if not errors and not accepted_before:
        descriptors.remember(text)
    return (None if errors else package), errors


def read_table(folder: Path, resource, problems: list[Problem]) -> Table | None:
    """Parse one CSV file into string columns indexed by editor line, reporting what cannot be parsed."""
    label = label_of(folder, resource.path)
    text, clean = read_text(folder / resource.path, label, problems, f"{DESCRIPTOR} lists it")
    if text is None:
        return None
    schema = resource.schema
    names = [f.name for f in schema.fields]
    if not text.strip():
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
        except csv.Error as err:  # the reader resumes on the next line, so later rows are still checked
            why = str(err)
            if "unexpected end of data" in why:
                why = "a quoted cell that starts here is never closed, so the rest of the file could not be read"
            problems.append(Problem(label, end + 1, "row", f"cannot be read as CSV: {why}"))
            end = reader.line_num
    if not rows:
        problems.append(Problem(label, 1, "file", f"the file has no header line: it should start with {','.join(names)}"))
        return None
    header, header_line = [cell.strip() for cell in rows[0]], lines[0]
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        where = f"column {index + 1}"
        token = name if name in names else "header"
        if not name:
            problems.append(Problem(label, header_line, "header", f"{where} of the header has no name"))
        elif name in position:
            problems.append(
                Problem(label, header_line, token,
                        f"{show(name)} appears twice in the header (columns {position[name] + 1} and {index + 1})")
            )
        elif name not in names:
            hint = ""
            if re.search(UNDECODABLE, name):
                hint = "; the header is not valid UTF-8: save the file as UTF-8"
            elif name.startswith(("\ufeff", "ï»¿")):
                hint = "; it starts with a damaged byte-order mark: save the file as UTF-8"
            problems.append(
                Problem(label, header_line, token,
                        f"unexpected column {show(name)} in {where}: the schema in {DESCRIPTOR} has no such field{hint}")
            )
            position[name] = index
        else:
            position[name] = index
    for name in names:
        if name not in position:
            problems.append(Problem(label, header_line, name, "column is missing from the header"))
    width = len(header)
    good_rows, good_lines = [], []
    for row, line in zip(rows[1:], lines[1:]):
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
    present = {name for name in names if name in position}
    index = pd.Index(good_lines, name="line", dtype="int64")
    # One object array for the whole table, stripped in one pass: pandas' per-column string
    # methods cost several times more at 100,000 rows.
    cells = STRIP(numpy.array(good_rows, dtype=object).reshape(len(good_rows), width))
    cells[cells == ""] = None
    columns = {
        name: pd.Series(cells[:, position[name]] if name in present else None, index=index, dtype="str")
        for name in names
    }
    frame = pd.DataFrame(columns, index=index)
    table = Table(
        name=resource.name,
        file=label,
        fields=list(schema.fields),
        primary_key=list(schema.primary_key),
        foreign_keys=list(schema.foreign_keys),
        frame=frame,
        present=present,
        rows_read=len(good_rows),
    )
    if not clean:
        report_undecodable(table, problems)
    return table


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
            continue  # blank, as read_table skips it
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
        bad = column.str.contains(UNDECODABLE, regex=True, na=False)
        for line, value in column[bad].items():
            byte = ord(re.search(UNDECODABLE, value).group()) - 0xDC00
            problems.append(
                Problem(table.file, line, name,
                        f"not valid UTF-8 (byte 0x{byte:02X} in {show(value)}, shown as \ufffd): the file seems to be saved as "
                        "Latin-1 or Windows-1252; save it as UTF-8")
            )


def read_bibliography(folder: Path, problems: list[Problem]):
    """references.bib parsed by pybtex, every syntax error reported with its line; None if unreadable."""
    import pybtex.errors
    from pybtex.database.input.bibtex import Parser

    label = label_of(folder, BIBLIOGRAPHY)
    text, _ = read_text(folder / BIBLIOGRAPHY, label, problems, "every sources column cites its keys")
    if text is None:
        return None
    bad = [m.start() for m in re.finditer(UNDECODABLE, text)]
    for line in sorted({text[:start].count("\n") + 1 for start in bad}):
        problems.append(Problem(label, line, "bibtex", "not valid UTF-8: save the file as UTF-8"))
    if bad:
        return None
    try:
        starts, uncommaed = entry_keys(text)
        with pybtex.errors.capture() as errors:
            data = Parser().parse_string(text)
    except Exception as err:  # a parser crash must still read as a located problem, not a traceback
        problems.append(Problem(label, 1, "bibtex", f"cannot be parsed: {err}"))
        return None
    for key, line in uncommaed:
        problems.append(Problem(label, line, "bibtex",
                                f"entry {show(key)}: missing comma after the key (BibTeX would skip the rest of the entry)"))
    for error in errors:
        problems.append(bib_problem(label, error, text, starts))
    return data


@lru_cache(maxsize=8)
def entry_keys(text: str) -> tuple[tuple[tuple[str, int, int], ...], tuple[tuple[str, int], ...]]:
    """Each entry's key with the line it is on and the offset of its '@'; and the keys not followed
    by the comma BibTeX requires.

    pybtex reads the fields right after the key whether or not a comma separates them, so
    '@book{romano2009detente' with 'author = ...' on the next line parses as if the comma were
    there, while BibTeX itself stops there ("I was expecting a `,' or a `}'") and skips the entry.
    The check runs on pybtex's own scanner, so it agrees with the parser on what is an entry and
    what its key is (@string, @preamble, @comment and text between entries are not entries); it
    flags only a key directly followed by a field (NAME '='), other garbage being a syntax error
    that the parser itself reports.
    """
    from pybtex.database.input.bibtex import LowLevelParser

    keys: list[tuple[str, int, int]] = []
    uncommaed: list[tuple[str, int]] = []
    equals = re.compile(r"\s*=")

    class KeyScanner(LowLevelParser):
        def parse_entry_body(self, body_end):
            if not self.keyless_entries:
                pattern = self.KEY_PAREN if body_end == self.RPAREN else self.KEY_BRACE
                key = self.current_entry_key = self.required([pattern]).value
                line = self.lineno  # a key holds no white space, so this is the key's own line
                keys.append((key, line, self.command_start))
                self.eat_whitespace()
                name = self.NAME.match(self.text, self.pos)
                if name and equals.match(self.text, name.end()):
                    uncommaed.append((key, line))
            self.parse_entry_fields()

    for _ in KeyScanner(text, handle_error=lambda error: None):  # the parser proper reports errors
        pass
    return tuple(keys), tuple(uncommaed)


def bib_problem(label: str, error, text: str, starts) -> Problem:
    """Locate a pybtex error: syntax errors carry a line; repeated keys and fields are found in the text."""
    message = re.sub(r"^syntax error in line \d+: ", "syntax error: ", str(error))
    lineno = getattr(error, "lineno", None)
    if lineno:
        return Problem(label, int(lineno), "bibtex", message)
    repeated = re.match(r"repeated bibliography entry: (.+)", str(error))
    if repeated:
        lines = [line for key, line, _ in starts if key.lower() == repeated.group(1).lower()]
        return Problem(label, lines[-1] if lines else 1, "key",
                       f"the key {show(repeated.group(1))} is used twice (first on line {lines[0] if lines else '?'})")
    duplicate = re.match(r"entry with key (.+) has a duplicate (\S+) field", str(error))
    if duplicate:
        key, name = duplicate.groups()
        begins = [offset for k, _, offset in starts if k == key]
        line = 1
        if begins:
            after = list(re.finditer(rf"(?im)^\s*{re.escape(name)}\s*=", text[begins[0]:]))
            if len(after) > 1:
                line = text[: begins[0] + after[1].start()].count("\n") + 1 + (after[1].group().count("\n"))
        column = name.lower() if re.fullmatch(r"[a-z_]+", name.lower()) else "bibtex"
        return Problem(label, line, column, f"entry {show(key)} gives the field {name!r} twice")
    return Problem(label, 1, "bibtex", message)


# ---------------------------------------------------------------------------------- cells


def whole_numbers(column: pd.Series) -> pd.Series:
    """Integers from text, NA where a cell is empty or not a whole number of at most 15 digits."""
    valid = column.str.fullmatch(r"[+-]?\d{1,15}", na=False)
    return pd.to_numeric(column.where(valid), errors="coerce").astype("Int64")


def cell_schema(table: Table, spans=None):
    """A pandera schema for the columns present, generated from the Frictionless field constraints.

    Every check lets empty cells pass by itself (ignore_na=False): pandera would otherwise copy
    the column without its empty cells once per check, which at 100,000 rows costs more than the
    checks do. Empty required cells are still caught, once per column, by ``nullable``.
    """
    import pandera.pandas as pa

    def check(test, error):
        return pa.Check(test, error=error, ignore_na=False)

    columns = {}
    for schema_field in table.fields:
        if schema_field.name not in table.present:
            continue
        constraints = schema_field.constraints
        checks = []
        if schema_field.type == "integer":
            checks.append(check(lambda s: s.str.fullmatch(r"[+-]?\d{1,15}", na=True), "integer"))
            if "minimum" in constraints:
                low = constraints["minimum"]
                checks.append(check(lambda s, low=low: ~(whole_numbers(s) < low).fillna(False), "minimum"))
            if "maximum" in constraints:
                high = constraints["maximum"]
                checks.append(check(lambda s, high=high: ~(whole_numbers(s) > high).fillna(False), "maximum"))
        if "pattern" in constraints:
            pattern = constraints["pattern"]
            found = (spans or {}).get((table.name, schema_field.name))
            if pattern == ISO_PATTERN and found is not None:  # the date reader matched this very pattern
                checks.append(check(lambda s, formed=found["formed"]: formed | s.isna(), "pattern"))
            else:
                checks.append(check(lambda s, pattern=pattern: s.str.fullmatch(pattern, na=True), "pattern"))
        if "enum" in constraints:
            allowed = [*constraints["enum"], numpy.nan]
            checks.append(check(lambda s, allowed=allowed: s.isin(allowed), "enum"))
        if "maxLength" in constraints:
            longest = constraints["maxLength"]
            checks.append(check(lambda s, longest=longest: ~(s.str.len() > longest), "maxLength"))
        if "minLength" in constraints:
            shortest = constraints["minLength"]
            checks.append(check(lambda s, shortest=shortest: ~(s.str.len() < shortest), "minLength"))
        # Free text must be plain; list cells are not free text, each item must be a known id.
        listed = (table.name, schema_field.name) in LIST_LINKS or schema_field.name == "sources"
        if schema_field.type == "string" and not {"pattern", "enum"} & set(constraints) and not listed:
            checks.append(check(plain_text, "plain"))
        unique = bool(constraints.get("unique")) or table.primary_key == [schema_field.name]
        columns[schema_field.name] = pa.Column(
            None, nullable=not schema_field.required, unique=unique, report_duplicates="exclude_first", checks=checks
        )
    key = table.primary_key if len(table.primary_key) > 1 and set(table.primary_key) <= table.present else None
    return pa.DataFrameSchema(columns, unique=key, report_duplicates="exclude_first")


def plain_text(column: pd.Series) -> pd.Series:
    """True where a cell holds no markup and no invisible character.

    One search over the whole column joined first: a match inside any cell is a match in the
    joined text, so when the joined text is clean every cell is, at a tenth of the cost.
    """
    if not NOT_PLAIN.search("\n".join(column.dropna().tolist())):
        return pd.Series(True, index=column.index)
    return ~column.str.contains(NOT_PLAIN, regex=True, na=False)


def check_cells(table: Table, spans, problems: list[Problem]) -> None:
    """Apply the generated schema and turn each failure case into a located problem."""
    import pandera.pandas as pa

    if table.frame.empty:
        return
    try:
        cell_schema(table, spans).validate(table.frame, lazy=True)
        return
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    except pa.errors.SchemaError as error:  # pragma: no cover - lazy validation collects them all
        failures = error.failure_cases if isinstance(error.failure_cases, pd.DataFrame) else pd.DataFrame()
    seen_keys = set()
    first_lines = {}
    for case in failures.to_dict("records"):
        line, column, check = case["index"], str(case["column"]), str(case["check"])
        if line is None or pd.isna(line):
            problems.append(Problem(table.file, 1, column, f"could not be checked: {case['failure_case']}"))
            continue
        line = int(line)
        if check == "multiple_fields_uniqueness":
            if line not in seen_keys:
                seen_keys.add(line)
                problems.append(key_problem(table, line))
            continue
        if check == "field_uniqueness" and column not in first_lines:
            values = table.frame[column].dropna()
            first_lines[column] = dict(zip(values[~values.duplicated()], values.index[~values.duplicated()]))
        problems.append(Problem(table.file, line, column, cell_message(table, column, check, case["failure_case"], first_lines)))


def key_problem(table: Table, line: int) -> Problem:
    frame = table.frame
    key = table.primary_key
    values = tuple(frame.at[line, name] for name in key)
    same = (frame[key] == pd.Series(values, index=key)).all(axis=1)
    first = int(frame.index[same][0])
    shown = ", ".join(show(v) for v in values)
    return Problem(table.file, line, key[0],
                   f"the pair ({', '.join(key)}) = ({shown}) appears more than once (first on line {first})")


def cell_message(table: Table, column: str, check: str, value, first_lines) -> str:
    """The words for one failed check, in terms of the field's own constraint."""
    constraints = table.get_field(column).constraints
    if check == "not_nullable":
        return "required, but the cell is empty"
    if check == "field_uniqueness":
        first = first_lines[column].get(value, "?")
        return f"{show(value)} appears more than once (first on line {first}); ids must be unique"
    if check == "integer":
        return f"{show(value)} is not a whole number"
    if check == "minimum":
        return f"{value} is below the minimum {constraints['minimum']}"
    if check == "maximum":
        return f"{value} is above the maximum {constraints['maximum']}"
    if check == "pattern":
        if constraints["pattern"] == ISO_PATTERN:
            return f"{show(value)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
        if constraints["pattern"] == SLUG_PATTERN:
            return f"{show(value)} is not a valid id: use lower-case letters and digits, words joined by '-'"
        return f"{show(value)} does not match the pattern {constraints['pattern']}"
    if check == "enum":
        return f"{show(value)} is not one of: {', '.join(map(str, constraints['enum']))}"
    if check == "maxLength":
        return f"is {len(str(value))} characters long; at most {constraints['maxLength']} are allowed"
    if check == "minLength":
        return f"is {len(str(value))} characters long; at least {constraints['minLength']} are needed"
    if check == "plain":
        tag = re.search(MARKUP + r"[^\s>]*", str(value))
        if tag:
            return f"contains HTML markup ({show(tag.group())}); cells hold plain text, so write it without tags"
        char = re.search(INVISIBLE, str(value)).group()
        return f"contains the invisible character U+{ord(char):04X}; remove it"
    return f"fails the check {check}: {show(value)}"


# ---------------------------------------------------------------------------------- dates


def date_fields(table: Table) -> list[str]:
    """Fields holding ISO dates: those with the date pattern, and those the loader reads as dates."""
    always = DATES.get(table.name, ())
    return [f.name for f in table.fields
            if f.name in table.present and (f.constraints.get("pattern") == ISO_PATTERN or f.name in always)]


def check_dates(table: Table, spans, problems: list[Problem]) -> None:
    """Well-formed but impossible dates (2023-02-30, month 13); keeps each column's spans for later rules."""
    for name in date_fields(table):
        column = table.frame[name]
        found = dates.spans(column)
        spans[(table.name, name)] = found
        for line, value in column[found["formed"] & found["first"].isna()].items():
            problems.append(Problem(table.file, line, name, f"{show(value)} is not a real date: {dates.why_impossible(value)}"))


def check_events(tables, spans, problems: list[Problem]) -> None:
    """Rules between an event's own cells.

    * end_date must have the same precision as date (a span from a day to a month, such as
      '1954-11-29' to '1954-12', claims more than the source knows at one end and less at the
      other) and must come after it: equal is wrong too, since a one-day event leaves it empty.
    * paper_date is the paper's own, possibly coarser, date: date must lie within its span, and
      when date_basis is 'paper' the two must be the same text.
    * An event the paper discusses (provenance 'paper') must say in which section.
    """
    events = tables.get("events")
    if events is None or events.frame.empty:
        return
    frame = events.frame

    def say(line, column, message):
        problems.append(Problem(events.file, int(line), column, message))

    date = spans.get(("events", "date"))
    end = spans.get(("events", "end_date"))
    if date is not None and end is not None:
        both = date["first"].notna() & end["first"].notna()
        mixed = both & (date["precision"] != end["precision"])
        for line in frame.index[mixed]:
            say(line, "end_date",
                f"{show(frame.at[line, 'end_date'])} is {end.at[line, 'precision']}-precise but date "
                f"{show(frame.at[line, 'date'])} is {date.at[line, 'precision']}-precise: give both at the same precision")
        same = both & ~mixed
        for line in frame.index[same & (end["last"] < date["first"])]:
            say(line, "end_date",
                f"{show(frame.at[line, 'end_date'])} is before date {show(frame.at[line, 'date'])}: "
                "an event cannot end before it begins")
        for line in frame.index[same & (end["first"] == date["first"])]:
            say(line, "end_date",
                f"{show(frame.at[line, 'end_date'])} repeats date: leave end_date empty for an event "
                f"within one {date.at[line, 'precision']}")
    paper = spans.get(("events", "paper_date"))
    if paper is not None and "date" in events.present:
        stated = frame["date_basis"].eq("paper") if "date_basis" in events.present else pd.Series(False, index=frame.index)
        differs = stated & (frame["paper_date"].fillna("") != frame["date"].fillna(""))
        for line in frame.index[differs & frame["date"].notna()]:
            given = frame.at[line, "paper_date"]
            found = "it is empty" if pd.isna(given) else f"it is {show(given)}"
            say(line, "paper_date",
                f"date_basis is 'paper', so paper_date must equal date {show(frame.at[line, 'date'])}, but {found}")
        if date is not None:
            both = date["first"].notna() & paper["first"].notna() & ~stated
            outside = both & ((date["first"] < paper["first"]) | (date["last"] > paper["last"]))
            coarser = outside & (date["first"] <= paper["first"]) & (date["last"] >= paper["last"])
            for line in frame.index[outside]:
                given, stated_date = show(frame.at[line, "date"]), show(frame.at[line, "paper_date"])
                if coarser[line]:
                    say(line, "paper_date", f"date {given} is less precise than paper_date {stated_date}: "
                        "the data's date should be at least as precise as the paper's")
                else:
                    say(line, "paper_date", f"date {given} falls outside paper_date {stated_date}: "
                        "the data's date may refine the paper's but not contradict it")
    if {"provenance", "section"} <= events.present:
        sections = ", ".join(events.get_field("section").constraints.get("enum", []))
        unplaced = (frame["provenance"] == "paper") & frame["section"].isna()
        for line in frame.index[unplaced]:
            say(line, "section", f"empty, but provenance is 'paper': name the section that discusses the event ({sections})")


def check_periods(tables, spans, problems: list[Problem]) -> None:
    """A period cannot end before it starts; at mixed precision only when certainly so."""
    periods = tables.get("periods")
    start, end = spans.get(("periods", "start")), spans.get(("periods", "end"))
    if periods is None or start is None or end is None:
        return
    for line in periods.frame.index[end["last"] < start["first"]]:
        problems.append(Problem(periods.file, int(line), "end",
                                f"{show(periods.frame.at[line, 'end'])} is before start {show(periods.frame.at[line, 'start'])}"))


# ---------------------------------------------------------------------------------- links


def split_lists(table: Table, name: str) -> list[list[str]]:
    """Each cell of a ';'-list column as a list of stripped items ([] when empty), kept for the loader.

    Plain Python: at 100,000 rows it is several times faster than pandas' split and explode.
    """
    if name not in table.lists:
        table.lists[name] = [
            list(map(str.strip, cell.split(LIST_SEPARATOR))) if isinstance(cell, str) else []
            for cell in table.frame[name].to_numpy(dtype=object)
        ]
    return table.lists[name]


def check_list(table: Table, name: str, known: set[str], unknown, problems: list[Problem]) -> None:
    """Every item of a list cell must be known, named once, and not empty."""
    cells = table.frame[name].to_numpy(dtype=object)
    for line, cell, items in zip(table.frame.index.tolist(), cells, split_lists(table, name)):
        if not items or known.issuperset(items) and len(set(items)) == len(items) and "" not in items:
            continue
        seen = set()
        for item in items:
            if not item:
                problems.append(Problem(table.file, int(line), name, f"empty item in the list {show(cell)}: remove the extra ';'"))
            elif item in seen:
                problems.append(Problem(table.file, int(line), name, f"{show(item)} is listed twice"))
            elif item not in known:
                problems.append(Problem(table.file, int(line), name, unknown(item)))
            seen.add(item)


def check_lists(tables, bibliography, bib: str, problems: list[Problem]) -> None:
    """Ids inside ';'-lists: actors of events, and BibTeX keys in every sources column."""
    for (table_name, name), (target, key) in LIST_LINKS.items():
        table, referred = tables.get(table_name), tables.get(target)
        if table is None or referred is None or name not in table.present or key not in referred.present:
            continue
        known = set(referred.frame[key].dropna().to_numpy(dtype=object))
        check_list(table, name, known,
                   lambda item: f"unknown actor {show(item)}: no row of {Path(referred.file).name} has that {key}", problems)
    if bibliography is None:
        return
    keys = set(bibliography.entries.keys())
    for table in tables.values():
        if "sources" in table.present:
            check_list(table, "sources", keys,
                       lambda item: f"unknown source key {show(item)}: {Path(bib).name} has no entry with that key", problems)


def key_index(table: Table, name: str) -> pd.Index:
    """The distinct values of a key column as an Index, built once: its hash table is then shared
    by every link that points at the column (five tables point at events.id)."""
    if name not in table.indexes:
        table.indexes[name] = pd.Index(table.frame[name].dropna().unique())
    return table.indexes[name]


def check_foreign_keys(tables, problems: list[Problem]) -> None:
    """Links the schema declares (exchanges, claims, conditions, ...) must name existing rows."""
    for table in tables.values():
        for foreign in table.foreign_keys:
            names = foreign["fields"] if isinstance(foreign["fields"], list) else [foreign["fields"]]
            reference = foreign["reference"]
            target = tables.get(reference.get("resource") or table.name)
            targets = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
            if target is None or not set(names) <= table.present or not set(targets) <= target.present:
                continue
            if len(names) == 1:
                column = table.frame[names[0]]
                missing = column.notna() & (key_index(target, targets[0]).get_indexer(column) < 0)
                for line, value in column[missing].items():
                    problems.append(Problem(table.file, int(line), names[0],
                                            f"no row of {Path(target.file).name} has {targets[0]} = {show(value)}"))
            else:
                known = set(map(tuple, target.frame[targets].dropna().itertuples(index=False)))
                rows = table.frame[names].dropna()
                for line, values in zip(rows.index, rows.itertuples(index=False)):
                    if tuple(values) not in known:
                        problems.append(Problem(table.file, int(line), names[0],
                                                f"no row of {Path(target.file).name} has ({', '.join(targets)}) = {tuple(values)}"))


def check_exchanges(tables, spans, problems: list[Problem]) -> None:
    """An exchange runs forward in time: no self-links, no response dated before what it answers, no cycles.

    With imprecise dates a response is reported only when it is certainly earlier: when the last
    day its date may stand for falls before the first day of the date of the event it answers.
    """
    exchanges, events = tables.get("exchanges"), tables.get("events")
    if exchanges is None or events is None or not {"from", "to"} <= exchanges.present or "id" not in events.present:
        return
    links = exchanges.frame[["from", "to"]].dropna()
    for line in links.index[links["from"] == links["to"]]:
        problems.append(Problem(exchanges.file, int(line), "to", f"links the event {show(links.at[line, 'to'])} to itself"))
    date = spans.get(("events", "date"))
    if date is not None:
        known = pd.concat([events.frame[["id", "date"]], date[["first", "last"]]], axis=1)
        known = known.dropna(subset=["id"]).drop_duplicates("id").set_index("id")
        first = known.reindex(links["from"])
        second = known.reindex(links["to"])
        earlier = (second["last"].to_numpy() < first["first"].to_numpy())
        for line, a, b, when_a, when_b in zip(
            links.index[earlier], links["from"][earlier], links["to"][earlier],
            first["date"].to_numpy()[earlier], second["date"].to_numpy()[earlier],
        ):
            problems.append(Problem(
                exchanges.file, int(line), "to",
                f"{show(b)} ({when_b}) is dated before {show(a)} ({when_a}): an event cannot answer, "
                "implement or end one that comes after it",
            ))
    proper = links[links["from"] != links["to"]]
    edges = list(zip(proper["from"].tolist(), proper["to"].tolist(), proper.index.tolist()))
    for cycle, lines in find_cycles(edges):
        problems.append(Problem(
            exchanges.file, int(max(lines)), "to",
            f"exchanges form a cycle: {' -> '.join(cycle)} (lines {', '.join(map(str, sorted(lines)))}); "
            "a chain of responses cannot lead back to where it began",
        ))


def prune_acyclic(edges: list[tuple[str, str, int]], rounds: int = 50) -> list[tuple[str, str, int]]:
    """Drop links that cannot lie on a cycle (their source has no incoming link, or their target no
    outgoing one), a few vectorised rounds at a time; what remains, usually nothing, goes to Tarjan."""
    if not edges:
        return edges
    links = pd.DataFrame(edges, columns=["from", "to", "line"])
    for _ in range(rounds):
        keep = links["from"].isin(links["to"]) & links["to"].isin(links["from"])
        if keep.all():
            break
        links = links[keep]
    return list(zip(links["from"].tolist(), links["to"].tolist(), links["line"].tolist()))


def find_cycles(edges: list[tuple[str, str, int]]) -> list[tuple[list[str], list[int]]]:
    """One cycle per strongly connected group of events (Tarjan, iterative), with the lines it uses."""
    edges = prune_acyclic(edges)
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b, _ in edges:
        graph[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in list(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    found = []
    for group in groups:
        inside = [(a, b, line) for a, b, line in edges if a in group and b in group]
        a, b, line = min(inside, key=lambda edge: edge[2])
        line_of = {(x, y): n for x, y, n in reversed(inside)}
        # shortest way back from b to a inside the group closes the cycle
        previous = {b: None}
        queue = deque([b])
        while queue and a not in previous:
            node = queue.popleft()
            for successor in graph[node]:
                if successor in group and successor not in previous:
                    previous[successor] = node
                    queue.append(successor)
        path = [a]
        while path[-1] != b:
            path.append(previous[path[-1]])
        cycle = [a, *reversed(path)]
        lines = [line_of[(x, y)] for x, y in zip(cycle, cycle[1:])]
        found.append((cycle, lines))
    return found


def check_claims(tables, problems: list[Problem]) -> None:
    """A claim's span of days must run forward: min_days no larger than max_days."""
    claims = tables.get("claims")
    if claims is None or not {"min_days", "max_days"} <= claims.present:
        return
    low, high = whole_numbers(claims.frame["min_days"]), whole_numbers(claims.frame["max_days"])
    for line in claims.frame.index[(low > high).fillna(False)]:
        problems.append(Problem(claims.file, int(line), "max_days",
                                f"{high[line]} is less than min_days {low[line]}: the span runs backwards"))
