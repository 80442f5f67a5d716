"""The essay chapters: they run, they glue every value they cite, they cite real sources,
every figure has a caption and alt text, and no sentence of the paper is copied into them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
PAPER = ROOT.parent / "shared" / "paper" / "hotta-2026-towards-pan-european-security.txt"
ESSAY = ["introduction", "origins", "warsaw-pact", "towards-helsinki", "temporal-claims", "conclusion"]
CHAPTERS = ESSAY + ["data-and-method"]

GLUE_ROLE = re.compile(r"\{glue(?::text|:md|:any)?\}`([^`:]+)(?::[^`]*)?`")
GLUE_DIRECTIVE = re.compile(r"^```\{glue(?::figure|:md|:any|:math)?\}\s+(\S+)", re.M)
CITE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")


def markdown_of(name: str) -> str:
    nb = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def cited_keys(text: str) -> set[str]:
    keys = set()
    for body in CITE.findall(text):
        body = re.sub(r"\{[^}]*\}", "", body)  # drop {pre}/{post} notes
        keys.update(k.strip() for k in body.split(",") if k.strip())
    return keys


@pytest.fixture(scope="module")
def executed():
    """Run every chapter once, as the book build does, and collect the keys it glues."""
    glued = {}
    for name in CHAPTERS:
        nb = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(BOOK)}}).execute()
        keys = set()
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                name_ = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name_:
                    keys.add(name_)
        glued[name] = keys
    return glued


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_glued_reference_is_glued_by_the_chapter(executed, name):
    text = markdown_of(name)
    referenced = set(GLUE_ROLE.findall(text)) | set(GLUE_DIRECTIVE.findall(text))
    assert referenced, f"{name} glues nothing: its numbers would be typed by hand"
    missing = referenced - executed[name]
    assert not missing, f"{name}.ipynb refers to values it never glues: {sorted(missing)}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_citation_key_is_in_the_bibliography(name):
    known = set(parse_file(ROOT / "data" / "references.bib").entries)
    keys = cited_keys(markdown_of(name))
    assert keys - known == set()


def test_every_work_in_the_bibliography_is_cited_somewhere():
    known = set(parse_file(ROOT / "data" / "references.bib").entries)
    text = "\n".join(markdown_of(name) for name in CHAPTERS)
    # Evidence tables cite every source of the events they list, through pansec.prose.
    from pansec.load import load_chronology

    sourced = {key for keys in load_chronology().events["sources"] for key in keys}
    assert known - cited_keys(text) - sourced == set()


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_has_a_name_alt_text_and_caption(name):
    text = markdown_of(name)
    figures = re.findall(r"```\{glue:figure\}[^\n]*\n(.*?)```", text, re.S)
    for body in figures:
        options = dict(re.findall(r"^:(\w+):\s*(.*)$", body, re.M))
        caption = "\n".join(line for line in body.splitlines() if line and not line.startswith(":"))
        assert options.get("name"), body
        # A width makes Sphinx link the image to its full-size file: tap to enlarge on a phone.
        assert options.get("width") == "100%", f"figure in {name} does not open at full size: {body[:80]}"
        assert len(options.get("alt", "")) > 40, f"alt text too thin in {name}: {body[:80]}"
        assert len(caption) > 40, f"caption missing in {name}: {body[:80]}"


@pytest.mark.parametrize("name", ESSAY)
def test_chapters_share_the_same_bones(name):
    text = markdown_of(name)
    assert ":::{admonition} Overview" in text
    assert "## What's next" in text
    if name != "introduction":
        assert "## Summary" in text


@pytest.mark.parametrize("name", ["origins", "warsaw-pact", "towards-helsinki", "conclusion"])
def test_argument_chapters_end_with_their_evidence(name):
    assert "## Evidence" in markdown_of(name)


# Proper names the book must use as the paper does; they are not copied prose.
PROPER_NAMES = [
    "Conference on Security and Co-operation in Europe",
    "Towards a Pan-European Security: The Soviet Union and the Origins of the Helsinki Final Act",
]


def _words(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = re.sub(r"\s+".join(map(re.escape, name.split())), " | ", text, flags=re.I)
    return re.findall(r"[a-z0-9|]+", text.lower())


def _unquoted(text: str) -> str:
    """Drop marked quotations and code, which may legitimately repeat the paper's words."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"[\"“][^\"”]{0,200}[\"”]", " | ", text)


@pytest.mark.skipif(not PAPER.exists(), reason="the paper's text is not beside the repository")
def test_no_run_of_ten_words_from_the_paper_outside_quotation_marks():
    paper = _words(PAPER.read_text(encoding="utf-8"))
    n = 10
    shingles = {tuple(paper[i : i + n]) for i in range(len(paper) - n) if "|" not in paper[i : i + n]}
    pages = [markdown_of(name) for name in CHAPTERS] + [p.read_text(encoding="utf-8") for p in BOOK.glob("*.md")]
    copied = []
    for page in pages:
        for fragment in _unquoted(page).split("|"):
            words = _words(fragment)
            copied += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1) if tuple(words[i : i + n]) in shingles]
    # A copied run of ten words is a copied sentence, whatever surrounds it.
    assert copied == []
