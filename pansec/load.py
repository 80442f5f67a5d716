"""Read the chronology into typed pandas frames, after validating it.

Chapters call :func:`load_chronology` and never read CSV themselves; the loader refuses bad data
with every problem listed, so a chart is never drawn from rows that were quietly dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import pandas as pd

from pansec import stored
from pansec.problems import DataError
from pansec.read.descriptor import EXPECTED, is_list
from pansec.read.files import collecting_later, default_data_dir

if TYPE_CHECKING:
    from pansec.read.tables import Table

__all__ = ["Chronology", "DataError", "Reference", "default_data_dir", "load_chronology"]

TABLES = tuple(EXPECTED)


@dataclass(frozen=True)
class Reference:
    """What a chart or table needs to name a work briefly; the full entry stays in references.bib."""

    key: str
    entry_type: str
    authors: tuple[str, ...]
    year: str
    title: str

    @property
    def short(self) -> str:
        """'Hotta 2026', 'Folliot 1957', 'Bange and Niedhart 2008', 'Zubok et al. 1996'."""
        if not self.authors:
            name = self.title
        elif len(self.authors) == 1:
            name = self.authors[0]
        elif len(self.authors) == 2:
            name = " and ".join(self.authors)
        else:
            name = f"{self.authors[0]} et al."
        return f"{name} {self.year}".strip()

    def __str__(self) -> str:
        return self.short


@dataclass(frozen=True)
class Chronology:
    """All tables of the data package as typed frames, plus the bibliography by key."""

    events: pd.DataFrame
    actors: pd.DataFrame
    exchanges: pd.DataFrame
    periods: pd.DataFrame
    conditions: pd.DataFrame
    proposal_conditions: pd.DataFrame
    participation: pd.DataFrame
    agenda: pd.DataFrame
    claims: pd.DataFrame
    readings: pd.DataFrame
    review: pd.DataFrame
    references: Mapping[str, Reference]
    #: The ids of the events a chapter has asked about, in the order it asked: through event(),
    #: when(), began(), gap() and title(), and those it named to drawn(). A chapter's evidence
    #: table (pansec.words.evidence_table) lists them, so that it is computed from the chapter.
    asked: dict[str, None] = field(default_factory=dict, compare=False, repr=False)

    # What a chapter's prose states, by event id, so that a sentence names what it states:
    # {eval}`chron.gap("paris-agreements-signed", "soviet-note-1954-11")` reads '21 days'.

    @cached_property
    def _events_by_id(self) -> pd.DataFrame:
        return self.events.drop_duplicates("id").set_index("id")

    def event(self, event_id: str) -> pd.Series:
        """One event's row, with a clear error for a mistyped id."""
        if event_id not in self._events_by_id.index:
            raise KeyError(f"no event with id {event_id!r} in events.csv")
        self.asked.setdefault(event_id, None)
        return self._events_by_id.loc[event_id]

    def drawn(self, *ids) -> list[str]:
        """Record the events a chart or table draws (ids, or columns of ids), for the evidence table;
        returns them as one list, so the chart can be given what was recorded."""
        found = [str(i) for column in ids for i in ([column] if isinstance(column, str) else column) if pd.notna(i)]
        unknown = sorted(set(found) - set(self._events_by_id.index))
        if unknown:
            raise KeyError(f"no event with id {', '.join(map(repr, unknown))} in events.csv")
        for event_id in found:
            self.asked.setdefault(event_id, None)
        return found

    def when(self, event_id: str) -> str:
        """The event's date in words, at the precision of the data: '29 November to 2 December 1954'."""
        from pansec.words import say_span

        row = self.event(event_id)
        return say_span(row["date"], row["end_date"])

    def began(self, event_id: str) -> str:
        """The event's first day (or month, or year) in words, without its end."""
        from pansec.words import say_date

        return say_date(self.event(event_id)["date"])

    def gap(self, first_id: str, second_id: str) -> str:
        """The time from one event to another in words, a range where a date is imprecise."""
        from pansec.derive import gap_days
        from pansec.words import say_gap

        return say_gap(*gap_days(self.event(first_id)["date"], self.event(second_id)["date"]))

    def title(self, event_id: str) -> str:
        """The event's title as the chronology gives it."""
        return str(self.event(event_id)["title"])


def load_chronology(data_dir: str | os.PathLike | None = None) -> Chronology:
    """Validate the data folder and return its tables typed; raise DataError listing every problem.

    A folder whose every input is byte for byte one already validated and loaded is answered
    from the user's cache (:mod:`pansec.stored`), without reading or checking it again.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    key = stored.key_of(folder)
    if key is not None and isinstance(found := stored.recall(key), Chronology):
        return found
    chronology = _validated_and_loaded(folder)
    if key is not None:
        stored.keep(key, chronology)
    return chronology


def _validated_and_loaded(folder: Path) -> Chronology:
    from pansec.validate import examine  # the rules and the BibTeX parser, only when the data are read

    with collecting_later():
        found = examine(folder)
        if found.problems:
            raise DataError(found.problems)
        frames = {name: typed(found.tables[name]) for name in TABLES}
        frames["events"] = with_spans(frames["events"], found.spans)
        return Chronology(**frames, references=References.from_bibliography(found.bibliography))


def typed(table: Table) -> pd.DataFrame:
    """Integers as integers (nullable where the schema allows empty cells), lists as lists of str."""
    frame = table.frame.reset_index(drop=True)
    for schema_field in table.fields:
        name = schema_field.name
        if schema_field.type == "integer":
            numbers = pd.Series(table.integers(name), index=frame.index)
            frame[name] = numbers.astype("int64") if schema_field.required else numbers
    for name in frame.columns:
        if is_list(table.name, name):
            frame[name] = pd.Series(table.items(name), index=frame.index, dtype="object")
    return frame


def with_spans(events: pd.DataFrame, spans) -> pd.DataFrame:
    """Add precision, start, end and year; sort by start, then id.

    ``start`` is the first day the event may begin, ``end`` the last day it may end: the last day
    of end_date, or of date itself for a one-day event.
    """
    date = spans[("events", "date")].reset_index(drop=True)
    end_date = spans[("events", "end_date")].reset_index(drop=True)
    events = events.assign(
        precision=date["precision"],
        start=date["first"],
        end=end_date["last"].fillna(date["last"]),
        year=date["first"].dt.year.astype("int64"),
    )
    # two stable argsorts (by id, then by start) cost a tenth of sort_values on two columns
    by_id = numpy.argsort(events["id"].to_numpy(dtype=object), kind="stable")
    order = by_id[numpy.argsort(events["start"].to_numpy()[by_id], kind="stable")]
    return events.take(order).reset_index(drop=True)


@lru_cache(maxsize=4096)
def plain(latex: str) -> str:
    """BibTeX text as a reader sees it: 'K{\\=o}saka' -> 'Kōsaka', braces gone."""
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    return str(Text.from_latex(latex).render(Backend()))


@dataclass(frozen=True)
class Entry:
    """What a short citation needs from one BibTeX entry, still in LaTeX until it is asked for."""

    entry_type: str
    #: The last names of the authors, or of the editors where a work has none.
    people: tuple[str, ...]
    year: str
    title: str


class References(Mapping):
    """The bibliography's entries by key, each put into plain words the first time it is asked for.

    Decoding an entry's LaTeX (names, year, title) costs about a millisecond; a chapter names a
    few works or none, so a chronology does not decode the hundred entries it loads. The entries
    are kept as plain :class:`Entry` values, not pybtex's, so that a stored chronology is read
    back without importing pybtex.
    """

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self._entries = dict(entries)
        self._decoded: dict[str, Reference] = {}

    @classmethod
    def from_bibliography(cls, bibliography) -> References:
        """The entries of a pybtex BibliographyData."""
        return cls({key: entry_of(entry) for key, entry in bibliography.entries.items()})

    def __getitem__(self, key: str) -> Reference:
        if key not in self._decoded:
            self._decoded[key] = reference(key, self._entries[key])
        return self._decoded[key]

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def entry_of(entry) -> Entry:
    """The fields of a pybtex entry that :func:`reference` needs (editors stand in for authors)."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    return Entry(
        entry_type=entry.type,
        people=tuple(" ".join(person.last_names) for person in people),
        year=entry.fields.get("year", ""),
        title=entry.fields.get("title", ""),
    )


def reference(key: str, entry: Entry) -> Reference:
    """One entry in plain words, for a short citation."""
    return Reference(
        key=key,
        entry_type=entry.entry_type,
        authors=tuple(plain(name) for name in entry.people),
        year=plain(entry.year),
        title=plain(entry.title),
    )
