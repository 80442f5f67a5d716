"""Dates at the precision the sources give them: '1954', '1954-11' or '1954-11-13'.

A date here is a span of days, not a point: '1954-11' may be any day of November 1954. Every
derived gap is therefore a range, and no chapter ever turns a month into a made-up day.
"""

from __future__ import annotations

import calendar
import re

import numpy
import pandas as pd

PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
FREQUENCY = {"year": "Y", "month": "M", "day": "D"}
FORMAT = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def precision(iso: str) -> str:
    """'year', 'month' or 'day': how much of the calendar the source pins down."""
    text = str(iso).strip()
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{iso!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    return PRECISION_BY_LENGTH[len(text)]


def period(iso: str) -> pd.Period:
    """The date as a pandas Period of a year, a month or a day, so the calendar is pandas' own."""
    exact = precision(iso)
    problem = why_impossible(iso)
    if problem:
        raise ValueError(f"{iso!r} is not a real date: {problem}")
    return pd.Period(str(iso).strip(), freq=FREQUENCY[exact])


def span(iso: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the date may stand for: '1954-02' -> (1 February, 28 February 1954)."""
    days = period(iso)
    return days.start_time.normalize(), days.end_time.normalize()


def why_impossible(iso: str) -> str | None:
    """Say what is wrong with a well-formed but impossible date ('month 13 does not exist').

    Returns None for a real date; used to word validation messages, not to parse.
    """
    parts = [int(p) for p in str(iso).strip().split("-")]
    year = parts[0]
    if year < 1:
        return "there is no year 0 in the calendar used here"
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return f"month {parts[1]:02d} does not exist"
    if len(parts) > 2:
        last = calendar.monthrange(year, parts[1])[1]
        if not 1 <= parts[2] <= last:
            month = calendar.month_name[parts[1]]
            return f"{month} {year} has {last} days, so day {parts[2]:02d} does not exist"
    return None


def spans(dates: pd.Series) -> pd.DataFrame:
    """Vectorised :func:`span` for a column of dates: precision, first and last day of each.

    Empty, malformed or impossible dates get NA, so that validation can report them by line
    instead of the whole column failing on its first bad cell; ``formed`` tells a malformed
    date from an impossible one. Cells are taken as they are, without stripping spaces.
    Each distinct date is parsed once: a chronology repeats its dates, so 100,000 events cost
    little more than their few thousand distinct days.
    """
    codes, distinct = pd.factorize(dates, use_na_sentinel=True)
    found = _distinct_spans(pd.Series(distinct, dtype="str"))
    known = codes >= 0
    rows = numpy.where(known, codes, 0)
    columns = {}
    for name, missing in (("precision", numpy.nan), ("first", numpy.datetime64("NaT", "us")),
                          ("last", numpy.datetime64("NaT", "us")), ("formed", False)):
        values = found[name].to_numpy()
        taken = values[rows] if len(values) else numpy.full(len(codes), missing, dtype=values.dtype)
        taken[~known] = missing
        columns[name] = taken
    return pd.DataFrame(
        {
            "precision": pd.Series(columns["precision"], index=dates.index, dtype="str"),
            "first": pd.Series(columns["first"], index=dates.index, dtype="datetime64[us]"),
            "last": pd.Series(columns["last"], index=dates.index, dtype="datetime64[us]"),
            "formed": pd.Series(columns["formed"], index=dates.index, dtype=bool),
        }
    )


def _distinct_spans(text: pd.Series) -> pd.DataFrame:
    formed = text.str.fullmatch(ISO_DATE.pattern).fillna(False).astype(bool)
    exact = text.str.len().map(PRECISION_BY_LENGTH).where(formed)
    first = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    last = first.copy()
    for name, fmt in FORMAT.items():
        chosen = exact == name
        if not chosen.any():
            continue
        parsed = pd.to_datetime(text[chosen], format=fmt, errors="coerce").astype("datetime64[us]")
        first[chosen] = parsed
        if name == "year":
            last[chosen] = parsed + pd.offsets.YearEnd(0)
        elif name == "month":
            last[chosen] = parsed + pd.offsets.MonthEnd(0)
        else:
            last[chosen] = parsed
    real = first.notna() & (first.dt.year >= 1)
    return pd.DataFrame(
        {
            "precision": exact.where(real).astype(object),
            "first": first.where(real),
            "last": last.where(real),
            "formed": formed,
        }
    )
