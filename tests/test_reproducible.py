"""A scholar who rebuilds the book from the same commit, years later and with no network, gets the
same book: two clean builds give byte-identical pages and figures."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from browser.book import ROOT, offline_prefix
from browser.harness import book_pages

pytestmark = pytest.mark.slow

COMPARED = {".html", ".png", ".svg", ".pdf", ".js", ".inv"}
# Sphinx's search index and object inventory are pages' text in another form; _static is the
# theme's files, copied as shipped.
SKIPPED_FOLDERS = {"_static", "_sources"}


def published(html: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(html.rglob("*")):
        relative = path.relative_to(html)
        if path.is_file() and path.suffix in COMPARED and not SKIPPED_FOLDERS & set(relative.parts[:1]):
            files[relative.as_posix()] = path.read_bytes()
    return files


def first_difference(name: str, first: bytes, second: bytes) -> str:
    if Path(name).suffix in {".html", ".svg", ".js"}:
        diff = difflib.unified_diff(
            first.decode("utf-8", "replace").splitlines(),
            second.decode("utf-8", "replace").splitlines(),
            lineterm="",
            n=0,
        )
        return "\n".join(line[:300] for line in list(diff)[2:8])
    return f"{len(first)} bytes vs {len(second)} bytes"


def test_two_clean_builds_give_byte_identical_pages_and_figures(book_html, rebuilt):
    first, second = published(book_html), published(rebuilt[0])
    assert any(name.endswith((".png", ".svg")) for name in first), "the book has no figure to compare"
    # Figures are named by a hash of their bytes, so a figure that changed shows up as a pair of
    # names, one in each build, and the pages that show it differ too: report pages first.
    only_first, only_second = sorted(set(first) - set(second)), sorted(set(second) - set(first))
    differing = sorted(
        (name for name in set(first) & set(second) if first[name] != second[name]),
        key=lambda name: (not name.endswith(".html"), name),
    )
    report = "\n\n".join(f"{name}:\n{first_difference(name, first[name], second[name])}" for name in differing[:4])
    assert (differing, only_first, only_second) == ([], [], []), (
        f"two clean builds differ: {len(differing)} files differ ({differing[:10]}), "
        f"{len(only_first)} only in the first ({only_first[:5]}), {len(only_second)} only in the second "
        f"({only_second[:5]}):\n{report}"
    )


def test_the_second_build_ran_every_chapter_afresh(rebuilt):
    """A rebuild that reused earlier outputs would prove nothing about the chapters' output."""
    log = (rebuilt[0].parents[1] / "build.log").read_text(encoding="utf-8")
    executed = set(re.findall(r"([\w-]+)\.ipynb: Executed notebook in", log))
    notebooks = {Path(page).stem for page in book_pages() if (ROOT / page).with_suffix(".ipynb").exists()}
    assert executed == notebooks


def test_no_page_names_the_folder_it_was_built_in(book_html):
    """A clone in another folder must give the same pages, so no page may carry a local path."""
    local = [str(book_html.parents[1]), str(Path(__file__).resolve().parents[1]), "/tmp/"]
    leaks = {
        name: [path for path in local if path.encode() in data]
        for name, data in published(book_html).items()
        if name.endswith((".html", ".js", ".svg"))
    }
    assert {name: paths for name, paths in leaks.items() if paths} == {}


def test_the_book_builds_with_the_network_off(rebuilt):
    if offline_prefix() is None:
        pytest.skip("this machine cannot run a build in a network namespace of its own (needs root and unshare)")
    html, offline = rebuilt
    assert offline and (html / "index.html").exists()
