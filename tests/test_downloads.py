"""A reader gets the data and the PDF from any page: each page's sidebar and header link to the book's
PDF, a zip of the data package and each of its files; the chapter on data and method lists every
table with its row count, counted from the file; the landing page says what the book finds, shows
one figure and leads into the book."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from book_toc import toc_entries
from pansec import package, words
from pansec.load import load_chronology

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LANDING = (ROOT / "book" / "index.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ the package


def test_the_package_lists_the_descriptor_every_table_and_the_bibliography():
    files = package.files(DATA)
    assert files[0] == "datapackage.json" and files[-1] == "references.bib"
    assert set(files[1:-1]) == {p.name for p in DATA.glob("*.csv")}


def test_row_counts_are_those_of_the_tables_the_chapters_load():
    chron = load_chronology(DATA)
    for table in package.tables(DATA):
        expected = len(getattr(chron, table)) if hasattr(chron, table) else len(pd.read_csv(DATA / f"{table}.csv"))
        assert package.rows(table, DATA) == expected, table


def test_a_quoted_line_break_is_one_row(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [{"name": "notes", "path": "notes.csv"}]}')
    (tmp_path / "notes.csv").write_text('id,text\na,"one\ntwo"\nb,three\n', encoding="utf-8")
    assert package.rows("notes", tmp_path) == 2


def test_the_overview_lists_every_table_of_the_descriptor_with_its_rows_and_a_link(tmp_path):
    listed = package.overview(DATA)
    assert listed["File"].tolist() == [f"../data/{path}" for path in package.tables(DATA).values()]
    assert listed["Rows"].tolist() == [package.rows(table, DATA) for table in package.tables(DATA)]
    assert listed["Holds"].tolist()[:3] == ["One row per dated event", "States, organisations and people, with their bloc "
                                            "and alliance membership", "Directed links between two events"]
    # A table added to the descriptor joins the overview by itself.
    (tmp_path / "datapackage.json").write_text(
        '{"resources": [{"name": "notes", "path": "notes.csv", "description": "Notes, e.g. one per day. Then more."}]}')
    (tmp_path / "notes.csv").write_text("id\na\nb\n", encoding="utf-8")
    assert package.overview(tmp_path).to_dict("records") == [
        {"File": "../data/notes.csv", "Rows": 2, "Holds": "Notes, e.g. one per day"}]


def test_a_table_of_links_shows_file_names_as_links_in_markdown_and_html():
    table = words.Table(package.overview(DATA), "Downloads", link_column="File")
    assert "[events.csv](../data/events.csv)" in table._repr_markdown_()
    assert '<a href="../data/events.csv">events.csv</a>' in table._repr_html_()


def test_the_data_chapter_shows_the_overview_as_a_table_of_links():
    chapter = (ROOT / "book" / "data-and-method.ipynb").read_text(encoding="utf-8")
    assert "pansec.package.overview()" in chapter and 'link_column=\\"File\\"' in chapter
    assert "pan-european-security-data.zip" in chapter


# ------------------------------------------------------------------------------------------ the landing page


def findings() -> str:
    return LANDING.split("## What the book finds", 1)[1].split("\n## ", 1)[0]


def test_the_landing_page_opens_with_what_the_book_finds():
    assert LANDING.index("## What the book finds") < LANDING.index("## How to read it")
    assert findings().count("\n- **") >= 3


def test_the_findings_type_no_number():
    prose = re.sub(r'data-[\w-]+="[^"]*"|\{[\w:-]+\}`[^`]*`', "", findings())
    assert not re.search(r"\d", prose), "a number on the landing page must be computed, and it has no kernel: say it in words"


def test_the_landing_page_has_one_figure_and_a_way_in_near_the_top():
    top = findings()
    assert top.count('class="landing-figure"') == 1
    assert "{doc}`Start reading" in top and "<introduction>`" in top


# ------------------------------------------------------------------------------------------ the built book


@pytest.fixture(scope="module")
def pages(book_html) -> dict[str, BeautifulSoup]:
    return {entry: BeautifulSoup((book_html / f"{entry}.html").read_text(encoding="utf-8"), "html.parser")
            for entry in toc_entries()}


def target(book_html: Path, entry: str, href: str) -> Path:
    return (book_html / Path(entry).parent / href.split("#")[0]).resolve()


@pytest.mark.slow
@pytest.mark.parametrize("entry", toc_entries())
def test_every_page_links_to_the_pdf_and_each_file_of_the_data(pages, book_html, entry):
    for where in (pages[entry].select(".pansec-downloads a"), pages[entry].select(".dropdown-book-and-data-downloads a")):
        hrefs = [a["href"] for a in where]
        names = [Path(href).name for href in hrefs]
        assert "pan-european-security.pdf" in names and "pan-european-security-data.zip" in names, entry
        assert set(package.files(DATA)) <= set(names), f"{entry}: {sorted(set(package.files(DATA)) - set(names))} missing"
        for href in hrefs:
            if not href.endswith(".pdf"):  # the PDF is there once `make pdf` has run
                assert target(book_html, entry, href).is_file(), f"{entry} links to {href}, which the build lacks"


@pytest.mark.slow
def test_the_header_no_longer_calls_printing_the_page_a_pdf(pages):
    buttons = pages["book/origins"].select(".dropdown-download-buttons .btn__text-container")
    assert "Print page" in [b.get_text(strip=True) for b in buttons]


@pytest.mark.slow
def test_the_data_zip_holds_the_package_as_it_is_in_data(book_html):
    with zipfile.ZipFile(book_html / "_static" / "pan-european-security-data.zip") as archive:
        names = archive.namelist()
        assert names == [f"pan-european-security-data/{name}" for name in package.files(DATA)]
        for name in package.files(DATA):
            assert archive.read(f"pan-european-security-data/{name}") == (DATA / name).read_bytes(), name


@pytest.mark.slow
def test_the_data_chapter_shows_each_tables_row_count(pages, book_html):
    page = pages["book/data-and-method"]
    table = next(t for t in page.find_all("table") if "The tables of the data package" in t.get_text())
    shown = {}
    for row in table.find("tbody").find_all("tr"):
        cells = row.find_all("td")
        shown[cells[0].get_text(strip=True)] = (int(cells[1].get_text(strip=True)), cells[0].find("a")["href"])
    assert list(shown) == list(package.tables(DATA).values())
    for table_name, path in package.tables(DATA).items():
        count, href = shown[path]
        assert count == package.rows(table_name, DATA), path
        assert target(book_html, "book/data-and-method", href).read_bytes() == (DATA / path).read_bytes()


@pytest.mark.slow
def test_the_landing_figure_is_a_chapters_figure_with_its_alt_text(pages, book_html):
    figure = pages["book/index"].select_one(".landing-figure figure")
    assert figure is not None, "the landing page's figure was not filled in"
    image = figure.find("img")
    assert image["alt"] and target(book_html, "book/index", image["src"]).is_file()
    link = figure.find("a")["href"]
    assert target(book_html, "book/index", link).name == "towards-helsinki.html" and link.endswith("#fig-long-road")
    start = pages["book/index"].select_one(".start-reading a")
    assert start.get_text(strip=True).startswith("Start reading") and start["href"].startswith("introduction.html")
