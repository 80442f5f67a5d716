"""The data package as files a reader can download: which files it has, and how many rows each table
holds, counted from the files themselves rather than typed, so that a list of downloads stays right
when a row is added.

The book's build uses :func:`files` to copy and zip the package (``book/_ext/downloads.py``); the
chapter on data and method shows :func:`overview`, one row per table with its download.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from pansec.load import default_data_dir

DESCRIPTOR = "datapackage.json"
BIBLIOGRAPHY = "references.bib"


def _folder(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def _resources(folder: Path) -> list[dict]:
    return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))["resources"]


def tables(data_dir: str | Path | None = None) -> dict[str, str]:
    """Each table of the package by name, with its file, in the descriptor's order."""
    return {resource["name"]: resource["path"] for resource in _resources(_folder(data_dir))}


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
    return _count(folder / tables(folder)[table])


def _count(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def overview(data_dir: str | Path | None = None, *, link_to: str = "../data") -> pd.DataFrame:
    """One row per table, in the descriptor's order: its file (a link under ``link_to``, where the
    book and a notebook in ``book/`` both find the package), its rows counted from the file, and what
    it holds, the gist of the descriptor's description. A table added to the descriptor
    joins the list by itself."""
    folder = _folder(data_dir)
    listed = _resources(folder)
    return pd.DataFrame({
        "File": [f"{link_to}/{resource['path']}" for resource in listed],
        "Rows": [_count(folder / resource["path"]) for resource in listed],
        "Holds": [gist(resource.get("description", "")) for resource in listed],
    })


def gist(text: str) -> str:
    """What a description says first, for a table a phone can read: up to the first full stop
    that ends a sentence (not one inside a number or 'e.g.'), colon, semicolon or parenthesis."""
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)\.(?=\s|$)|: |; | \(", text)
    return text[: match.start()] if match else text.rstrip(".")
