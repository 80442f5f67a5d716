"""Dates: real ones only, and in the right order within an event and a period.

With imprecise dates a rule reports only what is certainly wrong: a month may stand for any of
its days, so an order is broken only when no choice of days would keep it.
"""

from __future__ import annotations

import numpy
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
    lines = events.frame.index

    def say(chosen, column, message):
        for at in numpy.flatnonzero(chosen).tolist():
            problems.append(Problem(events.file, int(lines[at]), column, message(at)))

    def text(name):
        return events.column(name).values

    date = spans.get(("events", "date"))
    end = spans.get(("events", "end_date"))
    if date is not None and end is not None:
        first, last, precision = days(date)
        end_first, end_last, end_precision = days(end)
        both = ~numpy.isnat(first) & ~numpy.isnat(end_first)
        mixed = both & (precision != end_precision)
        say(mixed, "end_date", lambda at: (
            f"{show(text('end_date')[at])} is {end_precision[at]}-precise but date {show(text('date')[at])} "
            f"is {precision[at]}-precise: give both at the same precision"))
        same = both & ~mixed
        say(same & (end_last < first), "end_date", lambda at: (
            f"{show(text('end_date')[at])} is before date {show(text('date')[at])}: an event cannot end before it begins"))
        say(same & (end_first == first), "end_date", lambda at: (
            f"{show(text('end_date')[at])} repeats date: leave end_date empty for an event within one {precision[at]}"))
    paper = spans.get(("events", "paper_date"))
    if paper is not None and "date" in events.present:
        stated = (text("date_basis") == "paper") if "date_basis" in events.present else numpy.zeros(len(lines), dtype=bool)
        differs = stated & (events.column("paper_date").text_or_blank() != events.column("date").text_or_blank())

        def must_equal(at):
            given = text("paper_date")[at]
            found = "it is empty" if pd.isna(given) else f"it is {show(given)}"
            return f"date_basis is 'paper', so paper_date must equal date {show(text('date')[at])}, but {found}"

        say(differs & events.column("date").filled, "paper_date", must_equal)
        if date is not None:
            first, last, _ = days(date)
            paper_first, paper_last, _ = days(paper)
            both = ~numpy.isnat(first) & ~numpy.isnat(paper_first) & ~stated
            outside = both & ((first < paper_first) | (last > paper_last))
            coarser = outside & (first <= paper_first) & (last >= paper_last)

            def contradicts(at):
                given, stated_date = show(text("date")[at]), show(text("paper_date")[at])
                if coarser[at]:
                    return (f"date {given} is less precise than paper_date {stated_date}: "
                            "the data's date should be at least as precise as the paper's")
                return (f"date {given} falls outside paper_date {stated_date}: "
                        "the data's date may refine the paper's but not contradict it")

            say(outside, "paper_date", contradicts)
    if {"provenance", "section"} <= events.present:
        sections = ", ".join(events.get_field("section").constraints.get("enum", []))
        say((text("provenance") == "paper") & events.column("section").empty, "section",
            lambda at: f"empty, but provenance is 'paper': name the section that discusses the event ({sections})")


def days(span: pd.DataFrame) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """A column's spans as arrays: first day, last day (NaT where unknown) and precision."""
    return span["first"].to_numpy(), span["last"].to_numpy(), span["precision"].to_numpy(dtype=object)


def check_periods(tables, spans, problems: list[Problem]) -> None:
    """A period cannot end before it starts; at mixed precision only when certainly so."""
    periods = tables.get("periods")
    start, end = spans.get(("periods", "start")), spans.get(("periods", "end"))
    if periods is None or start is None or end is None:
        return
    for line in periods.frame.index[end["last"] < start["first"]]:
        problems.append(Problem(periods.file, int(line), "end",
                                f"{show(periods.frame.at[line, 'end'])} is before start {show(periods.frame.at[line, 'start'])}"))

