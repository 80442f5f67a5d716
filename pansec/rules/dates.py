"""Dates: real ones only, and in the right order within an event and a period.

With imprecise dates a rule reports only what is certainly wrong: a month may stand for any of
its days, so an order is broken only when no choice of days would keep it.
"""

from __future__ import annotations

import pandas as pd

from pansec import dates
from pansec.problems import Problem, show
from pansec.read.descriptor import DATES
from pansec.read.tables import Table
from pansec.rules.cells import ISO_PATTERN


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

