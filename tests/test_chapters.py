"""The essay chapters: every value their prose states is computed as they run, every figure and
table is the output of the cell that makes it, the code is folded rather than removed, they cite
real sources, and no sentence of the paper is copied into them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from chapter_run import EVAL, run_chapter, shown_text
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
PAPER = ROOT.parent / "shared" / "paper" / "hotta-2026-towards-pan-european-security.txt"
ESSAY = ["introduction", "origins", "warsaw-pact", "towards-helsinki", "temporal-claims", "conclusion"]
CHAPTERS = ESSAY + ["data-and-method"]
NOTEBOOKS = CHAPTERS + ["explore"]

CITE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")
#: What a value must never read like: a repr, a missing value, a numpy scalar.
UNREADABLE = re.compile(r"^(nan|None|NaT|<NA>|)$|np\.|numpy|Timestamp\(|\[|\{|<")
MAX_CELL_LINES = 15


def markdown_of(name: str) -> str:
    nb = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def code_cells(name: str) -> list[nbformat.NotebookNode]:
    return [cell for cell in nbformat.read(BOOK / f"{name}.ipynb", as_version=4).cells if cell.cell_type == "code"]


def cited_keys(text: str) -> set[str]:
    keys = set()
    for body in CITE.findall(text):
        body = re.sub(r"\{[^}]*\}", "", body)  # drop {pre}/{post} notes
        keys.update(k.strip() for k in body.split(",") if k.strip())
    return keys


@pytest.fixture(scope="module")
def runs():
    """Every chapter run once in a real kernel, with its prose's expressions evaluated in order."""
    return {name: run_chapter(BOOK / f"{name}.ipynb") for name in NOTEBOOKS}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_chapter_runs_without_an_error(runs, name):
    errors = [o for outputs in runs[name].outputs.values() for o in outputs if o["output_type"] == "error"]
    assert not errors, [f"{e['ename']}: {e['evalue']}" for e in errors]


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_prose_states_computed_values_that_read_as_words(runs, name):
    answers = [pair for values in runs[name].values.values() for pair in values]
    assert len(answers) >= 5, f"{name} computes almost nothing in its prose: its numbers would be typed by hand"
    failed = [(e, a.get("ename"), a.get("evalue")) for e, a in answers if a["status"] != "ok"]
    assert not failed, failed
    unreadable = [(e, shown_text(a)) for e, a in answers if UNREADABLE.search(shown_text(a))]
    assert not unreadable, f"values that do not read as words: {unreadable}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_glue_is_left(name):
    text = markdown_of(name) + "\n".join(cell.source for cell in code_cells(name))
    assert "{glue" not in text and "glue(" not in text and "myst_nb" not in text


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_code_is_folded_on_the_web_not_removed(name):
    removed = [cell.source[:60] for cell in code_cells(name) if {"remove-cell", "remove-input"} & set(cell.metadata.get("tags", []))]
    assert not removed, f"code a reader cannot open: {removed}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_code_cell_is_one_short_step(name):
    long = [(len(cell.source.splitlines()), cell.source[:60]) for cell in code_cells(name) if len(cell.source.splitlines()) > MAX_CELL_LINES]
    assert not long, f"cells over {MAX_CELL_LINES} lines: {long}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_cell_before_an_expression_ends_in_a_semicolon(name):
    """MyST-NB then warns that the next expression 'does not return any outputs' (MyST-NB issue 535)."""
    cells = nbformat.read(BOOK / f"{name}.ipynb", as_version=4).cells
    for before, cell in zip(cells, cells[1:]):
        if cell.cell_type == "markdown" and EVAL.search(cell.source) and before.cell_type == "code":
            assert not before.source.rstrip().endswith(";"), before.source[-80:]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_citation_key_is_in_the_bibliography(name):
    known = set(parse_file(ROOT / "data" / "references.bib").entries)
    keys = cited_keys(markdown_of(name))
    assert keys - known == set()


def test_every_work_in_the_bibliography_is_cited_somewhere():
    known = set(parse_file(ROOT / "data" / "references.bib").entries)
    text = "\n".join(markdown_of(name) for name in CHAPTERS)
    # Evidence tables cite every source of the events they list, through pansec.words.
    from pansec.load import load_chronology

    sourced = {key for keys in load_chronology().events["sources"] for key in keys}
    assert known - cited_keys(text) - sourced == set()


def figure_cells(name: str) -> list[nbformat.NotebookNode]:
    return [cell for cell in code_cells(name) if "figure" in cell.metadata.get("mystnb", {})]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_has_a_name_alt_text_and_caption(name):
    for cell in figure_cells(name):
        figure = cell.metadata["mystnb"]["figure"]
        image = cell.metadata["mystnb"].get("image", {})
        assert figure.get("name", "").startswith("fig-"), cell.source[:80]
        # The figure's own output says its CSS width (pansec.style.BookFigure), which also makes
        # Sphinx link the image to its full-size file: tap to enlarge on a phone. A width here
        # would override it.
        assert "width" not in image, f"figure in {name} sets a width of its own: {cell.source[:80]}"
        assert len(image.get("alt", "")) > 40, f"alt text too thin in {name}: {cell.source[:80]}"
        assert len(figure.get("caption", "")) > 40, f"caption missing in {name}: {cell.source[:80]}"
        assert "hide-input" in cell.metadata.get("tags", []), f"the code of {figure['name']} is not folded"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_is_the_output_of_its_own_cell(runs, name):
    """So that Run All in JupyterLab shows each chart under the code that draws it."""
    cells = runs[name].notebook.cells
    for index, cell in enumerate(cells):
        if "figure" in cell.metadata.get("mystnb", {}):
            images = [o for o in runs[name].outputs[index] if "image/png" in o.get("data", {})]
            assert len(images) == 1, f"{cell.metadata['mystnb']['figure']['name']} shows {len(images)} images"


def test_every_figure_name_is_used_once_in_the_book():
    names = [cell.metadata["mystnb"]["figure"]["name"] for name in NOTEBOOKS for cell in figure_cells(name)]
    assert names and len(names) == len(set(names)), names


@pytest.mark.parametrize("name", ["origins", "warsaw-pact", "towards-helsinki", "conclusion"])
def test_the_evidence_table_is_a_real_table_in_both_places(runs, name):
    tables = [
        o["data"] for outputs in runs[name].outputs.values() for o in outputs
        if "text/markdown" in o.get("data", {}) and ":::{table}" in o["data"]["text/markdown"]
    ]
    assert tables, f"{name} shows no table of its evidence"
    for data in tables:
        assert "<table" in data["text/html"] and "<td" in data["text/html"]  # what JupyterLab shows
        assert "\n|---|" in data["text/markdown"]  # what the book renders, in HTML and LaTeX


EVIDENCE = ["origins", "warsaw-pact", "towards-helsinki", "conclusion", "data-and-method"]
QUOTED_ID = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")


def named_event_ids(name: str, known: set[str]) -> set[str]:
    """The event ids a chapter names as string literals, in its code and in its prose's {eval} expressions."""
    cells = nbformat.read(BOOK / f"{name}.ipynb", as_version=4).cells
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    expressions = [e for cell in cells if cell.cell_type == "markdown" for e in EVAL.findall(cell.source)]
    return {found for text in code + expressions for found in QUOTED_ID.findall(text)} & known


def evidence_markdown(run) -> str:
    tables = [o["data"]["text/markdown"] for outputs in run.outputs.values() for o in outputs
              if ":::{table}" in o.get("data", {}).get("text/markdown", "") and "| Sources |" in o["data"]["text/markdown"]]
    assert len(tables) == 1, "expected one evidence table"
    return tables[0]


@pytest.mark.parametrize("name", EVIDENCE)
def test_the_evidence_table_lists_every_event_the_chapter_names(runs, name):
    """Computed from the chapter: each id its code or its prose's expressions name is a row of the table."""
    import html

    from pansec.load import load_chronology

    titles = load_chronology().events.set_index("id")["title"]
    named = named_event_ids(name, set(titles.index))
    assert named or name == "data-and-method", f"{name} names no event"
    table = evidence_markdown(runs[name])
    rows = {line.split(" | ")[1] for line in table.splitlines() if line.startswith("| ") and " | " in line}
    missing = sorted(i for i in named if html.escape(titles[i], quote=False).replace("|", "\\|") not in rows)
    assert not missing, f"named in {name} but not in its evidence table: {missing}"


def test_the_evidence_table_cites_pages_where_the_review_has_them(runs):
    table = evidence_markdown(runs["warsaw-pact"])
    assert "{cite:t}`hotta2026{§2, note 6}`; {cite:t}`ussr1954note{pp. 58–61}`" in table
    assert "page not seen}`" in table


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


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_sentence_starts_in_lower_case(name):
    """A paragraph, or a sentence, that opens on a number in words ('eight states ...') would start
    in lower case: words.say_number gives 'eight', never 'Eight'."""
    for cell in nbformat.read(BOOK / f"{name}.ipynb", as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source.strip()
        assert not re.match(r"[a-z]", text), text[:80]
        assert not re.search(r"(^|[.!?]\s+)\{eval\}`prose\.say_number", text), text[:80]
