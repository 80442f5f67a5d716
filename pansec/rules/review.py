"""The review kept as data (review.csv): every date the chronology takes from outside the paper names
the place in its reference that bears it.

An event is dated from outside the paper when its date_basis is 'reference' or its provenance is
'external'. Such an event needs a row of review.csv on its date, and each of its date rows a
locator: a page, a column, a document number, an article or a paragraph, or one of the explicit
marks 'unpaginated' and 'not located' (the form itself is the descriptor's pattern, checked with
the other cells). A reader can then find the fact again, and an empty cell is never mistaken for
a check that was made.
"""

from __future__ import annotations

from pathlib import Path

import numpy

from pansec.problems import Problem
from pansec.rules.cells import LOCATOR_MARKS

REFERENCE_BASIS = "reference"
EXTERNAL = "external"


def externally_dated(events) -> set[str]:
    """Ids of the events whose date comes from a reference rather than from the paper."""
    if not {"date_basis", "provenance"} & events.present:
        return set()
    chosen = numpy.zeros(len(events.frame), dtype=bool)
    if "date_basis" in events.present:
        chosen |= events.column("date_basis").values == REFERENCE_BASIS
    if "provenance" in events.present:
        chosen |= events.column("provenance").values == EXTERNAL
    ids = events.column("id")
    return set(ids.values[chosen & ids.filled].tolist())


def check_review(tables, problems: list[Problem]) -> None:
    """Each event dated from outside the paper has a date row in review.csv, and every such row a locator."""
    events, review = tables.get("events"), tables.get("review")
    if events is None or review is None or "id" not in events.present:
        return
    if not {"event", "fact", "locator"} <= review.present:
        return
    wanted = externally_dated(events)
    rows = review.frame
    on_date = rows["fact"].eq("date") & rows["event"].isin(list(wanted))
    marks = " or ".join(f"'{mark}'" for mark in LOCATOR_MARKS)
    for line in rows.index[on_date & rows["locator"].isna()]:
        problems.append(Problem(review.file, int(line), "locator", (
            f"empty, but {rows.at[line, 'event']!r} is dated from outside the paper: give the page, column, "
            f"document, article or paragraph of {rows.at[line, 'reference']!r} that bears the date, or mark it {marks}")))
    reviewed = set(rows.loc[on_date, "event"])
    review_file = Path(review.file).name
    ids = events.column("id")
    for at in numpy.flatnonzero(ids.holding(wanted - reviewed)).tolist():
        event_id = ids.values[at]
        if event_id not in reviewed:
            problems.append(Problem(events.file, int(events.frame.index[at]), "date", (
                f"dated from outside the paper, but {review_file} has no row on the date of {event_id!r}: "
                "name the reference that bears it, with its locator")))
            reviewed.add(event_id)  # a repeated id is the uniqueness rule's to report
