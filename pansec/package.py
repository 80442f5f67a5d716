"""The data package as files a reader can download: which files it has, and how many rows each table
holds, counted from the files themselves rather than typed, so that a list of downloads stays right
when a row is added.

The book's build uses :func:`files` to copy and zip the package (``book/_ext/downloads.py``); the
chapter on data and method uses :func:`rows` in its prose.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pansec.load import default_data_dir

DESCRIPTOR = "datapackage.json"
BIBLIOGRAPHY = "references.bib"


def _folder(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def tables(data_dir: str | Path | None = None) -> dict[str, str]:
    """Each table of the package by name, with its file, in the descriptor's order."""
    descriptor = json.loads((_folder(data_dir) / DESCRIPTOR).read_text(encoding="utf-8"))
    return {resource["name"]: resource["path"] for resource in descriptor["resources"]}


def files(data_dir: str | Path | None = None) -> list[str]:
    """Every file of the package: the descriptor, each table, and the bibliography the tables cite."""
    folder = _folder(data_dir)
    names = [DESCRIPTOR, *tables(folder).values()]
    if (folder / BIBLIOGRAPHY).exists():
        names.append(BIBLIOGRAPHY)
    return names


def rows(table: str, data_dir: str | Path | None = None) -> int:
    """How many rows a table holds, its header not counted (a quoted field may span lines)."""
    folder = _folder(data_dir)
    with open(folder / tables(folder)[table], encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1
