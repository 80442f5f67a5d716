"""The book builds as a reader gets it: every chapter of the table of contents, no warnings, launch
buttons that open the right notebook, a PDF with every chapter and no unresolved reference, and
charts that follow the data rather than a stale page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from book_toc import toc_entries
from builds import have_tex

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
# The Makefile's flags; the tiny books below are built with them too.
BUILD_FLAGS = ["-W", "-n", "--keep-going"]
PDF_NAME = "pan-european-security.pdf"


def toc_files() -> list[str]:
    return toc_entries()


def source_of(entry: str) -> Path:
    found = [ROOT / f"{entry}{suffix}" for suffix in (".ipynb", ".md") if (ROOT / f"{entry}{suffix}").exists()]
    assert found, f"_toc.yml lists {entry}, but neither {entry}.ipynb nor {entry}.md exists"
    return found[0]


def title_of(entry: str) -> str:
    """The first level-one heading of a chapter: what the reader sees as its title."""
    path = source_of(entry)
    if path.suffix == ".ipynb":
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    assert match, f"{path.name} has no title (a '# ' heading)"
    return match.group(1).strip()


def normalised(text: str) -> str:
    """PDF text with ligatures undone, hyphens, dashes and (smart) quotes unified and all whitespace
    single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019]", "'", re.sub(r"[\u201c\u201d]", '"', text))
    return re.sub(r"\s+", " ", text)


def notebook_chapters() -> list[str]:
    return [entry for entry in toc_files() if source_of(entry).suffix == ".ipynb"]


def run(command: list[str], cwd: Path, env: dict | None = None, timeout: int = 1500) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------------------ the table of contents


@pytest.mark.parametrize("entry", toc_files())
def test_every_toc_entry_has_a_source_with_a_title(entry):
    assert title_of(entry)


# ------------------------------------------------------------------------------------------ the whole book


@pytest.fixture(scope="module")
def chapter_pages(book_html) -> dict[str, BeautifulSoup]:
    pages = {}
    for entry in toc_files():
        page = book_html / f"{entry}.html"
        assert page.exists(), f"the build has no page for {entry}"
        pages[entry] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return pages


@pytest.mark.slow
def test_every_chart_is_shown_at_its_css_width_and_opens_full_size_on_a_tap(chapter_pages, book_html):
    from pansec import style

    charts = [(entry, img) for entry, page in chapter_pages.items() for img in page.select("figure img")]
    assert charts, "no figure in the book"
    for entry, img in charts:
        assert f"width: {style.FIGURE_WIDTH_PX}px" in img.get("style", "") or img.get("width") == str(
            style.FIGURE_WIDTH_PX), f"{entry}: {img.get('src')} is not shown at {style.FIGURE_WIDTH_PX} px"
        link = img.find_parent("a")
        if entry == toc_files()[0]:  # the landing page's figure leads to its chapter instead
            assert link is not None and "#fig-" in link["href"], f"{entry}: the figure does not lead to its chapter"
            continue
        assert link is not None and link["href"].endswith(img["src"].rsplit("/", 1)[-1]), f"{entry}: no full-size link"


@pytest.mark.slow
def test_the_whole_book_builds_with_warnings_as_errors_and_a_page_per_chapter(chapter_pages):
    # book_html (tests/conftest.py) builds with -W: any warning would have failed it.
    for entry, page in chapter_pages.items():
        assert page.find("h1"), f"{entry}.html has no heading"


@pytest.mark.slow
@pytest.mark.parametrize("entry", notebook_chapters())
def test_launch_buttons_open_this_chapter_from_this_repository(chapter_pages, book_html, entry):
    page = chapter_pages[entry]
    repo = urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"]["branch"]
    binder = [a["href"] for a in page.find_all("a", href=True) if a["href"].startswith(CONFIG["launch_buttons"]["binderhub_url"])]
    assert binder, f"{entry}.html has no Binder button"
    url = urlparse(binder[0])
    assert url.path == f"/v2/gh/{repo}/{branch}"
    assert parse_qs(url.query)["urlpath"] == [f"lab/tree/{entry}.ipynb"]
    assert (ROOT / f"{entry}.ipynb").exists()
    # Live code in the page, from the same repository and branch.
    thebe = page.find("script", attrs={"type": "text/x-thebe-config"})
    assert thebe is not None and repo in thebe.text and branch in thebe.text
    # The download button offers the notebook itself.
    downloads = [a["href"] for a in page.find_all("a", href=True) if a["href"].endswith(f"{Path(entry).name}.ipynb")]
    assert downloads, f"{entry}.html offers no .ipynb download"
    assert all((book_html / Path(entry).parent / href).resolve().exists() for href in downloads if "://" not in href)


# ------------------------------------------------------------------------------------------ the PDF


@pytest.fixture(scope="module")
def pdf_build(book_pdf):
    """The book's PDF (`make pdf` after the HTML, as `make book` does) and its text."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book_pdf), "-"], capture_output=True, text=True, check=True).stdout
    return book_pdf, normalised(text)


@pytest.mark.slow
def test_the_pdf_holds_every_chapter_title(pdf_build):
    pdf, text = pdf_build
    assert pdf.stat().st_size > 50_000
    missing = [title for title in map(title_of, toc_files()[1:]) if normalised(title) not in text]
    assert not missing, f"chapter titles missing from the PDF: {missing}"


@pytest.mark.slow
def test_the_pdf_has_no_unresolved_references(pdf_build):
    _, text = pdf_build
    at = text.find("??")
    assert at < 0, f"unresolved reference in the PDF: ...{text[max(0, at - 80):at + 40]}..."


@pytest.mark.slow
def test_the_pdf_running_heads_carry_the_title_alone(pdf_build):
    """The subtitle belongs to the title page; a running head joining it to the title with a comma
    read as a different title."""
    pdf, text = pdf_build
    assert "Towards a Pan-European Security" in text
    assert normalised("Security, The Soviet Union") not in text
    assert text.count(normalised("The Soviet Union and the origins of the Helsinki Final Act")) == 1


SERIES = ["ROLES Report No. 63", "Cold War International History Project Working Paper, No. 35",
          "National Security Archive Cold War Reader, No. 4"]


def test_the_bibliography_prints_series_and_numbers(book_html):
    page = BeautifulSoup((book_html / "book" / "bibliography.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.find("article").get_text().replace("\u00a0", " ").split())
    missing = [series for series in SERIES if series not in text]
    assert not missing, f"series missing from the bibliography: {missing}"


@pytest.mark.slow
def test_the_pdf_bibliography_prints_series_and_numbers(pdf_build):
    _, text = pdf_build
    missing = [series for series in SERIES if normalised(series) not in text]
    assert not missing, f"series missing from the PDF's bibliography: {missing}"


@pytest.mark.slow
def test_the_pdf_fonts_carry_every_character(pdf_build):
    pdf, text = pdf_build
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log, re.findall(r"Missing character: There is no .*", log)[:10]
    # The names in the bibliography (Kōsaka, Détente, ...) come out of the PDF as they went in.
    bibliography = BeautifulSoup((pdf.parents[1] / "html" / "book" / "bibliography.html").read_text(), "html.parser")
    words = set(re.findall(r"\w*[^\W\d_\x00-\x7f]\w*", bibliography.find("article").get_text()))
    absent = sorted(w for w in words if unicodedata.normalize("NFKC", w) not in text)
    assert not absent, f"non-ASCII words of the bibliography missing from the PDF text: {absent}"


@pytest.mark.slow
def test_every_figure_fits_inside_the_pdf_page_with_its_caption(pdf_build):
    """pdfimages lists each picture's size on the page; none may be taller than the figure limit
    of book/_ext/pdf_figures.py, nor wider than the 5.5 in the charts are drawn."""
    pdf, _ = pdf_build
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.split()]
    assert rows, "the PDF shows no figure"
    for row in rows:
        page, width_px, height_px, x_ppi, y_ppi = int(row[0]), int(row[3]), int(row[4]), float(row[12]), float(row[13])
        assert height_px / y_ppi <= 7.6 + 0.05, f"a figure on page {page} is {height_px / y_ppi:.1f} in tall"
        assert width_px / x_ppi <= 5.5 + 0.05, f"a figure on page {page} is {width_px / x_ppi:.1f} in wide"


@pytest.mark.slow
def test_the_landing_page_links_to_the_pdf(pdf_build, book_html):
    landing = BeautifulSoup((book_html / f"{TOC['root']}.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in landing.find_all("a", href=True) if a["href"].endswith(".pdf")]
    assert links, "the landing page does not link to the PDF"
    target = (book_html / Path(TOC["root"]).parent / links[0]).resolve()
    assert target.name == PDF_NAME and target.exists()
    assert target.read_bytes() == pdf_build[0].read_bytes()


# ------------------------------------------------------------------------------------------ tiny books
# Small projects built with the book's own extension and flags: fast, and they isolate one behaviour.

TINY_NOTEBOOK = """\
import os, uuid
from pathlib import Path
value = (Path(os.environ.get("PANSEC_DATA", "data")) / "value.txt").read_text().strip()
print(f"value={value} run={uuid.uuid4().hex}")
"""


def tiny_book(root: Path, *, watch=("data",), extra_pages: dict[str, str] | None = None, bib: bool = False) -> Path:
    """A book of two notebooks that print the data's value and a fresh id per run, built as the book is:
    executed inline, with the data_dependencies extension watching `watch`."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "value.txt").write_text("1\n")
    config = {
        "title": "Tiny",
        "author": "Tests",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "inline", "timeout": 120, "allow_errors": False},
        "sphinx": {
            "local_extensions": {"data_dependencies": str(ROOT / "book" / "_ext")},
            "config": {"data_watch": list(watch), "nb_execution_raise_on_error": True},
        },
    }
    chapters = [{"file": "chapter"}, {"file": "other"}] + [{"file": name} for name in (extra_pages or {})]
    if bib:
        (root / "refs.bib").write_text(
            "@book{one, author={{\\=O}no, Ken}, title={A First Title}, year={2000}, publisher={P}}\n"
            "@book{two, author={{\\=O}no, Ken}, title={A Second Title}, year={2000}, publisher={P}}\n"
            "@incollection{unsigned, title={A Note}, editor={Ed, Ita}, booktitle={Documents}, year={1957}, publisher={P},"
            " pages={72--75}}\n"
        )
        config["bibtex_bibfiles"] = ["refs.bib"]
        config["sphinx"]["local_extensions"]["author_year_bibliography"] = str(ROOT / "book" / "_ext")
        config["sphinx"]["config"].update(bibtex_reference_style="author_year_round", bibtex_default_style="author_year")
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    (root / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "index", "chapters": chapters}))
    (root / "index.md").write_text("# Tiny\n\nA book of one chapter.\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name in ("chapter", "other"):
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name.title()}"), nbformat.v4.new_code_cell(TINY_NOTEBOOK)]
        nbformat.write(nb, root / f"{name}.ipynb")
    for name, text in (extra_pages or {}).items():
        (root / f"{name}.md").write_text(text)
    return root


def build(root: Path, builder: str = "html", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PANSEC_DATA"}
    env.update(env_extra or {})
    return run([str(JUPYTER_BOOK), "build", ".", "--builder", builder, *BUILD_FLAGS], cwd=root, env=env, timeout=600)


def printed(root: Path, page: str = "chapter") -> tuple[str, str]:
    """The data value and the run id a tiny chapter printed, as the built page shows them."""
    html = (root / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")
    match = re.search(r"value=(\S+) run=([0-9a-f]{32})", html)
    assert match, "the tiny chapter's output is not in its page"
    return match.group(1), match.group(2)


def built(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, f"build failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"


@pytest.fixture
def tiny(tmp_path) -> Path:
    root = tiny_book(tmp_path / "tiny")
    built(build(root))
    return root


def test_an_unchanged_data_folder_runs_no_chapter_again(tiny):
    value, run_id = printed(tiny)
    (tiny / "data" / "value.txt").touch()  # a new mtime, the same bytes
    built(build(tiny))
    assert printed(tiny) == (value, run_id)


def test_editing_a_data_file_re_executes_every_chapter(tiny):
    value, run_id = printed(tiny)
    _, other_run = printed(tiny, "other")
    assert value == "1"
    (tiny / "data" / "value.txt").write_text("2\n")
    built(build(tiny))
    new_value, new_run = printed(tiny)
    assert new_value == "2" and new_run != run_id
    assert printed(tiny, "other")[1] != other_run
    # and the next build, with the same data, runs none of them again
    built(build(tiny))
    assert printed(tiny) == (new_value, new_run)


def test_a_prose_edit_re_executes_only_the_edited_chapter(tiny):
    _, run_id = printed(tiny)
    _, other_run = printed(tiny, "other")
    nb = nbformat.read(tiny / "chapter.ipynb", as_version=4)
    nb.cells[0].source += "\n\nA new sentence."
    nbformat.write(nb, tiny / "chapter.ipynb")
    built(build(tiny))
    assert printed(tiny)[1] != run_id
    assert printed(tiny, "other")[1] == other_run


def test_the_pdf_build_after_the_html_runs_no_chapter_again(tiny):
    """`make book` builds HTML then PDF; they share the environment, so each chapter runs once."""
    _, run_id = printed(tiny)
    done = build(tiny, "latex")
    built(done)
    assert "Executing" not in done.stdout and "inline execution" not in done.stdout, done.stdout[-3000:]
    assert printed(tiny)[1] == run_id


def test_adding_a_data_file_re_executes_the_chapter(tiny):
    _, run_id = printed(tiny)
    (tiny / "data" / "events-extra.csv").write_text("id\nnew-event\n")
    built(build(tiny))
    assert printed(tiny)[1] != run_id


def test_pointing_pansec_data_elsewhere_re_executes_the_chapter(tiny, tmp_path):
    other = tmp_path / "other-data"
    other.mkdir()
    (other / "value.txt").write_text("3\n")
    built(build(tiny, env_extra={"PANSEC_DATA": str(other)}))
    assert printed(tiny)[0] == "3"


def test_without_the_extension_a_data_edit_leaves_a_stale_page(tmp_path):
    """The problem the extension solves is real: Sphinx alone re-reads a chapter only when its file changed."""
    root = tiny_book(tmp_path / "plain")
    config = yaml.safe_load((root / "_config.yml").read_text())
    del config["sphinx"]["local_extensions"]
    del config["sphinx"]["config"]["data_watch"]
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    built(build(root))
    (root / "data" / "value.txt").write_text("2\n")
    built(build(root))
    assert printed(root)[0] == "1"


def test_a_warning_fails_the_build(tmp_path):
    root = tiny_book(tmp_path / "broken", extra_pages={"page": "# Page\n\nSee {doc}`no-such-page`.\n"})
    done = build(root)
    assert done.returncode != 0
    assert "no-such-page" in done.stdout + done.stderr


def test_a_raising_chapter_fails_the_build(tmp_path):
    root = tiny_book(tmp_path / "raising")
    (root / "data" / "value.txt").unlink()  # the chapter's read now raises FileNotFoundError
    done = build(root)
    assert done.returncode != 0
    assert "FileNotFoundError" in done.stdout + done.stderr


def test_a_bibliography_with_nothing_cited_builds_with_warnings_as_errors(tmp_path):
    root = tiny_book(tmp_path / "bib", bib=True, extra_pages={"bibliography": "# Bibliography\n\n```{bibliography}\n```\n"})
    built(build(root))
    page = BeautifulSoup((root / "_build" / "html" / "bibliography.html").read_text(), "html.parser")
    assert "Ōno" not in page.find("article").get_text()  # only cited works are listed
    if shutil.which("xelatex") and shutil.which("latexmk"):
        (root / "_config.yml").write_text(
            (root / "_config.yml").read_text() + "latex:\n  latex_engine: xelatex\n  use_jupyterbook_latex: false\n"
        )
        built(build(root, builder="pdflatex"))


NAMES = "Молотов and Булганин, Łódź and Grzybowski, the Brüder, Kōsaka and Yūhikaku, détente"


def test_the_pdf_typesets_cyrillic_diacritics_and_romanised_japanese(tmp_path):
    """The book's LaTeX settings (fonts, preamble, title page) on a page holding every script the
    chronology and the references use: each name comes out of the PDF, and no glyph is missing."""
    if not have_tex():
        pytest.skip("no XeLaTeX/latexmk/pdftotext here: run `make system` as root")
    root = tiny_book(tmp_path / "scripts", extra_pages={"names": f"# Names\n\n{NAMES}.\n"})
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["latex"] = {k: v for k, v in CONFIG["latex"].items() if k != "latex_documents"}
    config["sphinx"]["config"]["latex_elements"] = CONFIG["sphinx"]["config"]["latex_elements"]
    (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    built(build(root, builder="pdflatex"))
    (pdf,) = (root / "_build" / "latex").glob("*.pdf")
    text = normalised(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert normalised(NAMES) in text
    assert "Missing character" not in pdf.with_suffix(".log").read_text(errors="replace")


def test_a_page_tall_table_inside_an_admonition_breaks_across_pdf_pages(tmp_path):
    """Unbroken, such a table sends LaTeX round framed's page loop until TeX's stack overflows."""
    if not have_tex():
        pytest.skip("no XeLaTeX/latexmk/pdftotext here: run `make system` as root")
    rows = "\n".join(
        f"| 13 November 1954 | A Soviet note proposing an all-European security conference, number {i} "
        f"| proposal | east | Soviet Union, Albania, Bulgaria, Czechoslovakia, Hungary, Poland and Romania |"
        for i in range(25)
    )
    table = f"| Date | Event | Kind | Bloc | Actors |\n|---|---|---|---|---|\n{rows}\n"
    root = tiny_book(tmp_path / "tall", extra_pages={"tall": f"# Tall\n\n:::{{admonition}} Events\n\n{table}:::\n"})
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["latex"] = {k: v for k, v in CONFIG["latex"].items() if k != "latex_documents"}
    config["sphinx"]["local_extensions"]["pdf_tables"] = str(ROOT / "book" / "_ext")
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    built(build(root, builder="pdflatex"))
    (pdf,) = (root / "_build" / "latex").glob("*.pdf")
    text = normalised(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "number 0" in text and "number 24" in text  # every row, none cut off
    assert "Romania" in text  # the last column is on the page, not run off its edge


def test_citations_and_bibliography_agree_on_author_year_labels(tmp_path):
    text = ("As {cite:t}`one` shows, and {cite:p}`two{p. 3}` and {cite:p}`unsigned` confirm. "
            "Both agree {cite:p}`one{p. 1},two{pp. 5-6}`.\n")
    root = tiny_book(
        tmp_path / "cited",
        bib=True,
        extra_pages={"bibliography": f"# Bibliography\n\n{text}\n```{{bibliography}}\n```\n"},
    )
    built(build(root))  # with -W: the unsigned document raises no "missing author" warning
    page = BeautifulSoup((root / "_build" / "html" / "bibliography.html").read_text(), "html.parser")
    text = re.sub(r"\s+", " ", page.find("article").get_text(""))
    # Two works of one author and year are told apart the same way in the text and in the list.
    assert "As Ōno (2000a) shows, and (Ōno, 2000b, p. 3) and (Ed, 1957) confirm." in text
    # Several works cited together share one parenthesis, separated by semicolons.
    assert "Both agree (Ōno, 2000a, p. 1; Ōno, 2000b, pp. 5-6)." in text
    labels = [re.sub(r"\s+", " ", label.get_text()).strip("[] ") for label in page.select("div.citation span.label")]
    assert labels == ["Ed 1957", "Ōno 2000a", "Ōno 2000b"]
    assert "A First Title" in text  # titles keep their capitals
    assert "pp. 72–75" in text and "pages" not in text, "page ranges read 'pp.', as historians write them"


def test_the_page_macros_are_the_themes_own_without_its_icon_script():
    """book/_templates/static/webpack-macros.html drops fontawesome.js (1.45 MB, for custom SVG icons
    only) from the theme's file; it must stay the theme's file otherwise, so an upgraded theme fails here."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"
    ours = (ROOT / "book" / "_templates" / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    body = ours.split("-#}\n", 1)[1]
    kept = [line for line in theme.read_text(encoding="utf-8").splitlines(keepends=True)
            if "fontawesome.js" not in line and "custom icons" not in line]
    assert body == "".join(kept)
