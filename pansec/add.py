"""An event added to the chronology from a form, checked by the book's own validator first.

A :class:`Draft` holds what a student fills in; :func:`rows` turns it into the row of events.csv,
the rows of exchanges.csv it links to and, for a date taken from a source rather than from Hotta's
report, the row of review.csv that says where in the source the date stands (the data rule of
``pansec.rules.review``), each in the column order of the file's own header.
:func:`check` runs :func:`pansec.validate.examine` (the checks of ``python -m pansec validate``)
on a scratch copy of the data folder holding exactly the bytes that would be written, and reports
its problems as ``FILE:LINE: column: message`` under the real folder's name. :func:`add` writes
only data that pass, through :mod:`pansec.write` (atomic, every other byte kept), and returns an
:class:`Addition` that :func:`undo` takes back byte for byte.

Nothing here knows about widgets: ``pansec.explore.form`` puts :data:`FIELDS` on the screen, and
the book shows them as a table (:func:`fields_table`) where no kernel runs.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pansec import words
from pansec.load import References
from pansec.problems import Problem
from pansec.read.files import default_data_dir, label_of
from pansec.validate import examine
from pansec.write import appended, appended_lines, csv_lines, replace_files

EVENTS, EXCHANGES, REVIEW = "events.csv", "exchanges.csv", "review.csv"
#: The files an addition can change, in the order they are replaced: the table the others point at
#: first, so that between two renames the data stay valid (pansec.write).
FILES = (EVENTS, REVIEW, EXCHANGES)
#: The new event is the later one of a link (it answers the other) or the earlier (it is answered).
LATER, EARLIER = "to", "from"


@dataclass(frozen=True)
class Link:
    """A link between the new event and one already in events.csv (a row of exchanges.csv)."""

    other: str = ""
    relation: str = ""
    note: str = ""
    new_is: str = LATER


@dataclass(frozen=True)
class Draft:
    """One event as filled in: text for each column of events.csv, lists for actors and sources."""

    id: str = ""
    date: str = ""
    end_date: str = ""
    paper_date: str = ""
    date_basis: str = "reference"
    title: str = ""
    kind: str = ""
    actors: tuple[str, ...] = ()
    bloc: str = ""
    section: str = ""
    note: str = ""
    sources: tuple[str, ...] = ()
    provenance: str = "external"
    summary: str = ""
    locator: str = ""  # review.csv: where the first source gives the date
    checked: str = ""  # review.csv: how the date was checked, in the student's words
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Field:
    """One control of the form: the column it fills, its label, and what to write in it."""

    column: str
    label: str
    control: str  # "text", "choice" (one of a vocabulary), "choices" (several), "long" (a paragraph)
    help: str
    placeholder: str = ""


#: The form's fields, in the order a student fills them; the widgets and the book's table use these.
FIELDS = (
    Field("date", "Date", "text", "The day it began, as precisely as the source gives it", "YYYY-MM-DD, YYYY-MM or YYYY"),
    Field("end_date", "End date", "text", "The last day of an event lasting several days, at the same precision; "
          "empty for a one-day event", "empty for one day"),
    Field("title", "Title", "text", "A short name in your own words, at most 120 characters"),
    Field("id", "Id", "text", "A short name, unique in the file: lower-case letters, digits and hyphens. The form "
          "suggests one from the title", "made from the title"),
    Field("kind", "Kind", "choice", "What the event is"),
    Field("bloc", "Bloc", "choice", "The side the event came from"),
    Field("actors", "Actors", "choices", "Who acted, from data/actors.csv (hold Ctrl, or Cmd on a Mac, to pick several)"),
    Field("sources", "Sources", "choices", "The works that document it, from data/references.bib"),
    Field("date_basis", "Date from", "choice", "Where the date comes from: paper (Hotta's report), reference "
          "(another source) or relative (worked out from a phrase such as \"the following day\")"),
    Field("paper_date", "Report's date", "text", "The date as Hotta's report gives it; empty if the report does "
          "not mention the event", "empty if not in the report"),
    Field("provenance", "Provenance", "choice", "paper if Hotta's report discusses the event, external if you add "
          "it from elsewhere"),
    Field("section", "Section", "choice", "Where Hotta's report discusses it; empty if it does not"),
    Field("note", "Endnote", "text", "The number of the report's endnote that documents it, if any", "empty if none"),
    Field("summary", "Summary", "long", "One sentence in your own words"),
    Field("locator", "Where in the source", "text", "For a date from a source other than Hotta's report: where "
          "the first source gives it, a page (p. 85), pages (pp. 87-88), a document (Document 246), an article "
          "(Article 9) or a paragraph (paragraph 2); 'unpaginated' for a source without pages, 'not located' "
          "if you have not seen the page. Never guess a page", "p. 85, Document 246 or not located"),
    Field("checked", "How you checked", "text", "For a date from a source: one sentence on what the source "
          "says, for data/review.csv", "what the source says about the date"),
)
#: The fields that fill review.csv rather than events.csv.
REVIEW_FIELDS = ("locator", "checked")
#: The controls of one link, after the event's own.
LINK_FIELDS = (
    Field("relation", "Link", "choice", "How the two events are linked, from the vocabulary of data/exchanges.csv"),
    Field("other", "Other event", "choice", "An event already in data/events.csv"),
    Field("new_is", "Which is later", "choice", "Whether the new event answers the other (it is the later one) "
          "or is answered by it"),
    Field("note", "Why", "text", "Why the two events are linked, in your own words"),
)


@dataclass
class Choices:
    """The vocabularies the form offers, read from the data folder: (label, value) pairs."""

    enums: dict[tuple[str, str], list[str]]
    actors: list[tuple[str, str]]
    sources: list[tuple[str, str]]
    events: list[tuple[str, str]]
    taken: set[str] = field(default_factory=set)

    def of(self, column: str, table: str = "events") -> list[tuple[str, str]]:
        if table == "events" and column == "actors":
            return self.actors
        if table == "events" and column == "sources":
            return self.sources
        if table == "exchanges" and column == "other":
            return self.events
        if table == "exchanges" and column == "new_is":
            return [("the new event answers it (new is later)", LATER), ("it answers the new event (new is earlier)", EARLIER)]
        values = self.enums.get((table, column), [])
        empty = [] if (table, column) in REQUIRED_CHOICES else [("(none)", "")]
        return empty + [(value, value) for value in values]


REQUIRED_CHOICES = {("events", "kind"), ("events", "bloc"), ("events", "date_basis"), ("events", "provenance"),
                    ("exchanges", "relation")}


def choices(data_dir=None) -> Choices:
    """What the form lets a student pick, from the tables and bibliography as they are now."""
    found = examine(_folder(data_dir))
    enums = {
        (name, column.name): list(column.constraints["enum"])
        for name, table in found.tables.items()
        for column in table.fields
        if "enum" in column.constraints
    }

    def frame(name: str) -> pd.DataFrame:
        table = found.tables.get(name)
        return table.frame if table is not None else pd.DataFrame(columns=["id", "name", "date", "title"])

    actors = frame("actors").dropna(subset=["id"]).sort_values("name", key=lambda n: n.str.lower())
    events = frame("events").dropna(subset=["id"])
    works = References.from_bibliography(found.bibliography) if found.bibliography is not None else {}
    return Choices(
        enums=enums,
        actors=[(f"{name} ({actor})", actor) for actor, name in zip(actors["id"], actors["name"])],
        sources=sorted(((f"{work.short}: {_shorten(work.title, 60)} ({key})", key) for key, work in works.items()),
                       key=lambda pair: pair[0].lower()),
        events=[(f"{date}: {_shorten(title, 70)} ({event})", event)
                for event, date, title in zip(events["id"], events["date"], events["title"])],
        taken=set(events["id"]),
    )


def suggest_id(title: str, taken=()) -> str:
    """An id made from the title, not yet in use: python-slugify spells 'Łódź' as 'lodz', which
    Unicode normalisation alone would not."""
    from slugify import slugify

    base = slugify(title, max_length=60, word_boundary=True) or "event"
    found, number = base, 2
    while found in taken:
        found, number = f"{base}-{number}", number + 1
    return found


def rows(draft: Draft, headers: dict[str, list[str]]) -> dict[str, list[list[str]]]:
    """The rows the draft adds, by file name, each in its file's column order: its row of events.csv,
    its links in exchanges.csv, and, when its date comes from a source (date_basis 'reference' or
    provenance 'external'), a row of review.csv naming the first source and where in it the date stands.

    Cells are stripped, and a paragraph's line breaks become spaces: a row is one line of the file.
    A file that would gain no row is left out.
    """
    cells = {name: value for name, value in vars(draft).items() if name != "links" and name not in REVIEW_FIELDS}
    cells["actors"] = ";".join(item.strip() for item in draft.actors if item.strip())
    cells["sources"] = ";".join(item.strip() for item in draft.sources if item.strip())
    added = {EVENTS: [[_plain(cells.get(column, "")) for column in headers.get(EVENTS, [])]]}
    if draft.date_basis == "reference" or draft.provenance == "external":
        first = next((item.strip() for item in draft.sources if item.strip()), "")
        values = {"event": draft.id, "fact": "date", "reference": first, "locator": draft.locator,
                  "verdict": "confirmed", "note": draft.checked}
        added[REVIEW] = [[_plain(values.get(column, "")) for column in headers.get(REVIEW, [])]]
    links = []
    for link in draft.links:
        earlier, later = (link.other, draft.id) if link.new_is == LATER else (draft.id, link.other)
        values = {"from": earlier, "to": later, "relation": link.relation, "note": link.note}
        links.append([_plain(values.get(column, "")) for column in headers.get(EXCHANGES, [])])
    if links:
        added[EXCHANGES] = links
    return {name: added[name] for name in FILES if name in added}


@dataclass(frozen=True)
class Change:
    """One file's bytes before and after an addition."""

    path: Path
    before: bytes
    after: bytes
    first_line: int  # the editor line of the first new row


@dataclass(frozen=True)
class Outcome:
    """What the check found for a draft, and the change it would make."""

    draft: Draft
    problems: list[Problem]
    changes: list[Change]

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Addition:
    """An addition that was written, with what it replaced, so that it can be undone."""

    event: str
    changes: list[Change]

    def __str__(self) -> str:
        where = " and ".join(f"{c.path.name} (line {c.first_line})" for c in self.changes)
        return f"{self.event!r} was added to {where}"


def check(draft: Draft, data_dir=None, *, label=None) -> Outcome:
    """Run the book's validator on the data with the draft's rows added, writing nothing to the data.

    ``label`` is the folder as the problems name it (default: the folder as given).
    """
    folder = _folder(data_dir)
    label = Path(label) if label is not None else folder
    before = {name: (folder / name).read_bytes() if (folder / name).is_file() else b"" for name in FILES}
    added = rows(draft, {name: _header(raw) for name, raw in before.items()})
    changes = [Change(folder / name, before[name], appended(before[name], lines), appended_lines(before[name]))
               for name, lines in added.items()]
    with tempfile.TemporaryDirectory(prefix="pansec-check-") as scratch:
        copy = Path(scratch)
        for source in folder.iterdir():
            if source.is_file():
                shutil.copyfile(source, copy / source.name)
        for change in changes:
            (copy / change.path.name).write_bytes(change.after)
        found = examine(copy).problems
    problems = [replace(p, file=label_of(label, Path(p.file).name)) if Path(p.file).parent == copy else p for p in found]
    return Outcome(draft, problems, changes)


def add(draft: Draft, data_dir=None, *, label=None) -> tuple[Outcome, Addition | None]:
    """Check the draft and, only if the data with it are valid, write it; the Addition undoes it."""
    outcome = check(draft, data_dir, label=label)
    if not outcome.valid:
        return outcome, None
    for change in outcome.changes:
        if change.path.read_bytes() != change.before:
            raise FileChangedError(f"{change.path} changed while the event was being checked; nothing was written")
    replace_files([(change.path, change.after) for change in outcome.changes])
    return outcome, Addition(draft.id, outcome.changes)


def undo(addition: Addition) -> None:
    """Put back the files an addition changed, byte for byte, links first: never a link to a missing event.

    Refuses (FileChangedError) if a file has changed since, so an edit made by hand is never lost.
    """
    for change in addition.changes:
        if change.path.read_bytes() != change.after:
            raise FileChangedError(f"{change.path} has changed since {addition.event!r} was added: "
                                   "undo it by hand, or with git")
    replace_files([(change.path, change.before) for change in reversed(addition.changes)])


class FileChangedError(RuntimeError):
    """A file changed under the form: writing or undoing would lose someone's edit."""


def fields_table(draft: Draft, vocabulary: Choices, title: str = "The form, filled in") -> words.Table:
    """The form as a table for readers without a kernel: each control with the column it fills, then
    what to write and the draft's value. Two columns, so that it reads on a phone without scrolling."""
    entries = []
    for item in FIELDS:
        value = getattr(draft, item.column)
        shown = "; ".join(value) if isinstance(value, tuple) else str(value)
        entries.append((f"{item.label} ({item.column})", _what(item, vocabulary), shown))
    for number, link in enumerate(draft.links, 1):
        for item in LINK_FIELDS:
            value = getattr(link, item.column)
            if item.column == "new_is":
                value = dict((v, k) for k, v in vocabulary.of("new_is", "exchanges"))[value]
            column = "from or to" if item.column in ("other", "new_is") else item.column
            entries.append((f"{item.label} {number} ({column})", _what(item, vocabulary, "exchanges"), value))
    rows = [(field_, f"{what}. In the example: {value or 'left empty'}") for field_, what, value in entries]
    return words.Table(pd.DataFrame(rows, columns=["Field (column)", "What to write, and the example"]), title)


def _what(item: Field, vocabulary: Choices, table: str = "events") -> str:
    values = [value for _, value in vocabulary.of(item.column, table) if value]
    if item.control == "choice" and item.column not in ("other", "new_is") and not all(v in item.help for v in values):
        return f"{item.help}: one of {', '.join(values)}"
    return item.help


def headers(data_dir=None) -> dict[str, list[str]]:
    """The column names of each file an addition can change, as their header lines give them."""
    folder = _folder(data_dir)
    return {name: _header((folder / name).read_bytes()) if (folder / name).is_file() else [] for name in FILES}


def csv_text(lines: list[list[str]]) -> str:
    """Rows as the CSV lines a preview shows."""
    return csv_lines(lines, "\n").rstrip("\n")


def _header(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return [cell.strip() for cell in next(csv.reader(io.StringIO(text)), [])]


def _plain(value) -> str:
    return " ".join(str(value).split())


def _shorten(text: str, most: int) -> str:
    text = str(text)
    return text if len(text) <= most else text[: most - 1] + "…"


def _folder(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


__all__ = ["Addition", "Change", "Choices", "Draft", "FIELDS", "FILES", "Field", "FileChangedError", "LINK_FIELDS", "Link",
           "Outcome", "add", "check", "choices", "csv_text", "fields_table", "headers", "rows", "suggest_id", "undo"]
