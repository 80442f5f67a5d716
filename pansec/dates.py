"""Dates at the precision the sources give them: '1954', '1954-11' or '1954-11-13'.

A date here is a span of days, not a point: '1954-11' may be any day of November 1954. Every
derived gap is therefore a range, and no chapter ever turns a month into a made-up day.
"""

from __future__ import annotations

import calendar
import datetime
import re
from functools import lru_cache

import numpy
import pandas as pd

PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
FREQUENCY = {"year": "Y", "month": "M", "day": "D"}
# ASCII digits only: '١٩٥٤' is not a date of the form YYYY, though a bare \d would match it
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?", re.ASCII)


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
    Each distinct date is parsed once, and remembered: a chronology repeats its dates, so
    100,000 events cost little more than their few thousand distinct days.
    """
    codes, distinct = pd.factorize(dates.to_numpy(dtype=object))
    parsed = [_days(text) if isinstance(text, str) else _UNREAD for text in distinct]
    known = codes >= 0
    rows = numpy.where(known, codes, 0)

    def column(position: int, dtype, missing):
        values = numpy.array([p[position] for p in parsed] or [missing], dtype=dtype)[rows]
        values[~known] = missing
        return values

    exact = column(0, object, numpy.nan)
    real = pd.notna(exact)
    first = column(1, "int64", 0).astype("datetime64[D]")
    last = column(2, "int64", 0).astype("datetime64[D]")
    first[~real] = last[~real] = numpy.datetime64("NaT")
    return pd.DataFrame(
        {
            "precision": pd.Series(exact, index=dates.index, dtype="str"),
            "first": pd.Series(first.astype("datetime64[us]"), index=dates.index),
            "last": pd.Series(last.astype("datetime64[us]"), index=dates.index),
            "formed": pd.Series(column(3, bool, False), index=dates.index),
        }
    )


_EPOCH = datetime.date(1970, 1, 1).toordinal()
_UNREAD = (numpy.nan, 0, 0, False)


@lru_cache(maxsize=1 << 16)
def _days(text: str) -> tuple:
    """(precision, first day, last day, formed) of one date, days counted from 1970-01-01;
    precision is NaN for a malformed or impossible date."""
    if not ISO_DATE.fullmatch(text):
        return _UNREAD
    parts = [int(part) for part in text.split("-")]
    year, month, day = parts[0], *(parts[1:] + [0, 0])[:2]
    try:
        if len(parts) == 1:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif len(parts) == 2:
            first = datetime.date(year, month, 1)
            last = first.replace(day=calendar.monthrange(year, month)[1])
        else:
            first = last = datetime.date(year, month, day)
    except ValueError:  # year 0, month 13, 30 February: well formed, but no such day
        return (numpy.nan, 0, 0, True)
    return (PRECISION_BY_LENGTH[len(text)], first.toordinal() - _EPOCH, last.toordinal() - _EPOCH, True)
