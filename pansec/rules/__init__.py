"""The rules the data must keep, each problem located as ``FILE:LINE: column: message``.

``cells`` checks each cell against its field in the descriptor; ``dates`` the dates within an
event or period; ``links`` the ids that join rows. Rules no schema language states (dates at
mixed precision, lists of ids, back-dated responses, cycles of exchanges) are vectorised pandas
code, so that a chronology of 100,000 events is checked in about a second.
"""

from __future__ import annotations

import pandas as pd

from pansec.problems import Problem
from pansec.read.tables import Table
from pansec.rules import cells, dates, links


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
    return problems, spans
