"""Run a chapter as the book and JupyterLab do: its code cells in order in a real kernel, and after
each markdown cell its ``{eval}`` expressions, in the kernel's state at that point."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

EVAL = re.compile(r"\{eval\}`([^`]+)`")


@dataclass
class Run:
    notebook: nbformat.NotebookNode
    outputs: dict[int, list[dict]] = field(default_factory=dict)
    """Each code cell's outputs (display data, results, streams, errors) by cell index."""
    values: dict[int, list[tuple[str, dict]]] = field(default_factory=dict)
    """Each markdown cell's expressions and what the kernel answered for each, by cell index."""


def run_chapter(path: Path, timeout: int = 300) -> Run:
    from jupyter_client.manager import start_new_kernel

    nb = nbformat.read(path, as_version=4)
    found = Run(nb)
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(path.parent))
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", []):
                messages = []
                client.execute_interactive(cell.source, output_hook=messages.append, timeout=timeout)
                found.outputs[index] = [
                    {"output_type": m["msg_type"], **m["content"]}
                    for m in messages
                    if m["msg_type"] in {"display_data", "execute_result", "stream", "error"}
                ]
            elif cell.cell_type == "markdown":
                expressions = EVAL.findall(cell.source)
                if expressions:
                    asked = {str(i): e for i, e in enumerate(expressions)}
                    reply = client.execute_interactive("", user_expressions=asked, timeout=timeout)
                    answers = reply["content"]["user_expressions"]
                    found.values[index] = [(asked[k], answers[k]) for k in sorted(asked, key=int)]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return found


def shown_text(answer: dict) -> str:
    """The words a reader sees for one answer: text/plain without the quotes of a str repr."""
    text = answer.get("data", {}).get("text/plain", "")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text
