"""The rules the data must keep, each problem located as ``FILE:LINE: column: message``.

``cells`` checks each cell against its field in the descriptor; ``dates`` the dates within an
event or period; ``links`` the ids that join rows; ``blocs`` what history allows: who belonged to
a bloc when, and which events a link can join; ``review`` that every date taken from outside the
paper names the place in its reference that bears it.

Every rule is plain pandas and numpy, one library for all of them. The descriptor's own
constraints could be checked by Frictionless's row validation instead, but it works row by row
in Python: on the shipped data it takes 2.6 s (most of it loading its plugins), and on a
synthetic chronology of 100,000 events 17 s, before any rule between tables, where these rules
take about a second; it also reports record numbers, which would need mapping back to the
editor lines promised here. pandera, used before as a runner for hand-written checks, added
0.25 s of import to every chapter and its own failure format to translate back.
"""

from __future__ import annotations

import pandas as pd

from pansec.problems import Problem
from pansec.read.tables import Table
from pansec.rules import blocs, cells, dates, links, review


def check(tables: dict[str, Table], bibliography, bib: str) -> tuple[list[Problem], dict[tuple[str, str], pd.DataFrame]]:
    """Every problem the rules find, and the spans of every date column (the loader keeps them).

    ``bib`` is the bibliography's file as problems name it; ``bibliography`` is None when it
    could not be read, and its keys are then not checked.
    """
    problems: list[Problem] = []
    spans: dict[tuple[str, str], pd.DataFrame] = {}
    for table in tables.values():
        dates.check_dates(table, spans, problems)
        cells.check_cells(table, spans, problems)
    dates.check_events(tables, spans, problems)
    dates.check_periods(tables, spans, problems)
    links.check_lists(tables, bibliography, bib, problems)
    links.check_foreign_keys(tables, problems)
    links.check_exchanges(tables, spans, problems)
    links.check_claims(tables, problems)
    blocs.check_bloc_documents(tables, spans, problems)
    blocs.check_relations(tables, problems)
    review.check_review(tables, problems)
    return problems, spans
