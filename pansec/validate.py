"""Every problem in the data folder, each as ``FILE:LINE: column: message``, in file and line order.

Nothing stops at the first problem, and no row is ever dropped without a problem saying why. The
files are read once (``pansec.read``) and the rules run on what was read (``pansec.rules``); the
loader takes the same tables, so loading costs no second pass over the CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pansec import rules
from pansec.problems import DataError, Problem
from pansec.read.bibtex import read_bibliography
from pansec.read.descriptor import read_descriptor
from pansec.read.files import BIBLIOGRAPHY, DESCRIPTOR, collecting_later, default_data_dir, label_of
from pansec.read.tables import Table, read_table

__all__ = ["DataError", "Examination", "Problem", "examine", "validate"]


@dataclass
class Examination:
    """What one pass over a data folder found: the problems, and the parsed tables for the loader."""

    problems: list[Problem]
    tables: dict[str, Table]
    bibliography: object | None  # pybtex BibliographyData
    spans: dict[tuple[str, str], pd.DataFrame]


def validate(data_dir=None) -> list[Problem]:
    """Every problem in the data folder, in file and line order; empty when the data are valid."""
    return examine(data_dir).problems


def examine(data_dir=None) -> Examination:
    """Read and check every file once; the default folder is $PANSEC_DATA, else the repository's data/."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    with collecting_later():
        return _examine(folder)


def _examine(folder: Path) -> Examination:
    problems: list[Problem] = []
    package = read_descriptor(folder, problems)
    tables: dict[str, Table] = {}
    if package is not None:
        for resource in package.resources:
            table = read_table(folder, resource, problems)
            if table is not None:
                tables[table.name] = table
    bibliography = read_bibliography(folder, problems)
    found, spans = rules.check(tables, bibliography, label_of(folder, BIBLIOGRAPHY))
    problems.extend(found)
    order = {label_of(folder, DESCRIPTOR): 0, **{t.file: i + 1 for i, t in enumerate(tables.values())}}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.file, p.line))
    return Examination(problems, tables, bibliography, spans)
