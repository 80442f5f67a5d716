"""The book's pages as _toc.yml lists them, read one way for every test that needs them."""

from __future__ import annotations

from pathlib import Path

import json

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_entries(root: Path = ROOT) -> list[str]:
    """The root page, then every file of every part, chapter and section, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(items):
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("sections"))

    for part in toc.get("parts", [toc]):
        walk(part.get("chapters"))
    return entries


def markdown_of(path: Path) -> str:
    """A page's Markdown: a notebook's markdown cells joined, or a .md file as it is."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")
