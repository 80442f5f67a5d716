"""A chapter's execution time as MyST-NB spends it, measured several times beside its floor.

One build times each chapter once, and on a small shared machine one run can be a second off
either way. Here each chapter runs as the book's inline execution runs it (MyST-NB's own client: a
fresh kernel, the code cells in order, each {eval} expression of the prose evaluated in the kernel
when its cell is reached, cells tagged skip-execution left out), alternately with its floor, and
the fastest of the runs is kept: the least the chapter costs on this machine, compared with the
least its floor costs in the same minutes.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
from myst_nb.core.execute.inline import ModifiedNotebookClient

EVAL_ROLE = re.compile(r"\{eval\}`([^`]*)`")


def run_once(notebook_path: Path, book: Path) -> float:
    """Seconds from starting the kernel to stopping it, for one run of one chapter of ``book``."""
    notebook = nbformat.read(notebook_path, as_version=4)
    client = ModifiedNotebookClient(notebook, record_timing=False, allow_errors=False, timeout=300,
                                    resources={"metadata": {"path": str(notebook_path.parent)}})
    env = {**os.environ, "PYTHONPATH": str(book)}
    env.pop("PANSEC_DATA", None)
    started = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", []):
                client.execute_cell(cell, index)
            elif cell.cell_type == "markdown":
                for expression in EVAL_ROLE.findall(cell.source):
                    client.eval_expression(expression)
    return time.perf_counter() - started


def fastest_runs(real: Path, floor: Path, names: list[str], runs: int = 3) -> dict[str, tuple[float, float]]:
    """Per chapter, the fastest of ``runs`` runs of the real chapter and of its floor, alternated."""
    found = {}
    for name in names:
        spent, base = [], []
        for _ in range(runs):
            spent.append(run_once(real / "book" / f"{name}.ipynb", real))
            base.append(run_once(floor / "book" / f"{name}.ipynb", floor))
        found[name] = (min(spent), min(base))
    return found
