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

from pansec.problems import Problem
from pansec.rules.cells import LOCATOR_MARKS

REFERENCE_BASIS = "reference"
EXTERNAL = "external"


def externally_dated(events) -> set[str]:
    """Ids of the events whose date comes from a reference rather than from the paper."""
    frame = events.frame
    outside = frame["date_basis"].eq(REFERENCE_BASIS) if "date_basis" in events.present else None
    added = frame["provenance"].eq(EXTERNAL) if "provenance" in events.present else None
    if outside is None and added is None:
        return set()
    chosen = outside if added is None else added if outside is None else outside | added
    return set(frame.loc[chosen, "id"].dropna())


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
    for line, event_id in events.frame["id"].items():
        if event_id in wanted and event_id not in reviewed:
            problems.append(Problem(events.file, int(line), "date", (
                f"dated from outside the paper, but {review_file} has no row on the date of {event_id!r}: "
                "name the reference that bears it, with its locator")))
            reviewed.add(event_id)  # a repeated id is the uniqueness rule's to report
