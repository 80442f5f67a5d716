"""references.bib read with pybtex, every syntax error located on its line.

pybtex is lenient where BibTeX is not (a key without its comma), and reports repeated keys and
fields without a line: both are found here in the text, so the student sees where to look.
"""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.database.input.bibtex import LowLevelParser, Parser, SkipEntry

from pansec.problems import Problem, show
from pansec.read.files import BIBLIOGRAPHY, UNDECODABLE, label_of, line_at, read_text


def read_bibliography(folder: Path, problems: list[Problem]):
    """references.bib as pybtex BibliographyData, every problem reported with its line; None if unreadable."""
    import pybtex.errors

    label = label_of(folder, BIBLIOGRAPHY)
    text, _ = read_text(folder / BIBLIOGRAPHY, label, problems, "every sources column cites its keys")
    if text is None:
        return None
    bad = [m.start() for m in UNDECODABLE.finditer(text)]
    for line in sorted({line_at(text, start) for start in bad}):
        problems.append(Problem(label, line, "bibtex", "not valid UTF-8: save the file as UTF-8"))
    if bad:
        return None
    parser = LocatingParser()
    try:
        with pybtex.errors.capture() as errors:
            data = parser.parse_string(text)
    except Exception as err:  # a parser crash must still read as a located problem, not a traceback
        problems.append(Problem(label, 1, "bibtex", f"cannot be parsed: {err}"))
        return None
    for key, line in parser.uncommaed:
        problems.append(Problem(label, line, "bibtex",
                                f"entry {show(key)}: missing comma after the key (BibTeX would skip the rest of the entry)"))
    for error in errors:
        problems.append(located(label, error, text, parser.keys))
    return data


class KeyScanner(LowLevelParser):
    """pybtex's scanner, noting each entry's key with its line and the offset of its '@', and the
    keys not followed by the comma BibTeX requires.

    pybtex reads the fields right after the key whether or not a comma separates them, so
    '@book{romano2009detente' with 'author = ...' on the next line parses as if the comma were
    there, while BibTeX itself stops there ("I was expecting a `,' or a `}'") and skips the entry.
    Noting keys in pybtex's own scanner makes it agree with the parser on what is an entry and what
    its key is (@string, @preamble, @comment and text between entries are not entries); only a key
    directly followed by a field (NAME '=') is flagged, other garbage being a syntax error that the
    parser itself reports.
    """

    EQUALS = re.compile(r"\s*=")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: list[tuple[str, int, int]] = []
        self.uncommaed: list[tuple[str, int]] = []

    def parse_entry_body(self, body_end):
        # LowLevelParser.parse_entry_body, noting the key on its way
        if not self.keyless_entries:
            pattern = self.KEY_PAREN if body_end == self.RPAREN else self.KEY_BRACE
            key = self.current_entry_key = self.required([pattern]).value
            line = self.lineno  # a key holds no white space, so this is the key's own line
            self.keys.append((key, line, self.command_start))
            self.eat_whitespace()
            name = self.NAME.match(self.text, self.pos)
            if name and self.EQUALS.match(self.text, name.end()):
                self.uncommaed.append((key, line))
        self.parse_entry_fields()
        if not self.want_current_entry():
            raise SkipEntry


class LocatingParser(Parser):
    """pybtex's Parser reading through :class:`KeyScanner`: one pass gives the entries and where
    each key stands (reading the file twice cost a chapter about 40 ms)."""

    keys: tuple[tuple[str, int, int], ...] = ()
    uncommaed: tuple[tuple[str, int], ...] = ()

    def parse_string(self, text):
        # Parser.parse_string, with KeyScanner as its scanner
        self.unnamed_entry_counter = 1
        self.command_start = 0
        scanner = KeyScanner(text, keyless_entries=self.keyless_entries, handle_error=self.handle_error,
                             want_entry=self.data.want_entry, filename=self.filename, macros=self.macros)
        try:
            for entry in scanner:
                entry_type = entry[0]
                if entry_type.lower() == "preamble":
                    self.process_preamble(*entry[1])
                elif entry_type.lower() != "string":
                    self.process_entry(entry_type, *entry[1])
        finally:
            self.keys, self.uncommaed = tuple(scanner.keys), tuple(scanner.uncommaed)
        return self.data


def located(label: str, error, text: str, starts) -> Problem:
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
                line = line_at(text, begins[0] + after[1].start()) + after[1].group().count("\n")
        column = name.lower() if re.fullmatch(r"[a-z_]+", name.lower()) else "bibtex"
        return Problem(label, line, column, f"entry {show(key)} gives the field {name!r} twice")
    return Problem(label, 1, "bibtex", message)
