"""Fixtures shared across test files."""

from __future__ import annotations

from pathlib import Path

import pytest

#: Fast tests with no book build, no kernel and no browser: `pytest -m unit`. Every test in these
#: files is one, except those that start a Jupyter kernel; the book and browser tiers are the rest.
UNIT = {
    "test_add.py", "test_architecture.py", "test_bibliography_style.py", "test_charts.py", "test_cli.py",
    "test_derive.py", "test_descriptor.py", "test_environment.py", "test_explore.py", "test_facts.py", "test_form.py",
    "test_fuzz.py", "test_load.py", "test_stored.py",
    "test_notebooks_clean.py", "test_seminar.py", "test_validate.py", "test_words.py",
}
IN_A_KERNEL = ("test_the_chapter_executes_", "test_in_a_kernel_")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in UNIT and not item.name.startswith(IN_A_KERNEL):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session", autouse=True)
def builds(request, tmp_path_factory):
    """The full builds some selected test needs, all started before the first test (tests/builds.py)."""
    from builds import FIXTURES, Builds, have_tex

    started = Builds(tmp_path_factory)
    needed = {name for item in request.session.items for name in item.fixturenames}
    for fixture, build in FIXTURES.items():
        if fixture in needed and (build != "pdf" or have_tex()):
            started.start(build)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def book_html(builds) -> Path:
    """The HTML book, built once per test session as `make book` builds it, into a temporary folder
    of its own, so every chapter runs. PANSEC_BOOK_HTML names an already built folder to reuse."""
    return builds.wait("book")


@pytest.fixture(scope="session")
def book_pdf(builds, book_html) -> Path:
    """The book's PDF, made by `make pdf` next to the HTML as `make book` does."""
    from builds import have_tex

    if not have_tex():
        pytest.skip("no XeLaTeX/latexmk/pdftotext here: run `make system` as root")
    return builds.wait("pdf")


@pytest.fixture(scope="session")
def rebuilt(builds) -> tuple[Path, bool]:
    """A second clean build of the HTML book, offline where the machine allows; and whether it was."""
    return builds.wait("rebuild")


@pytest.fixture(scope="session")
def student_build(builds) -> Path:
    """`make student` into a folder of its own: the student edition's `_build` folder.
    PANSEC_STUDENT_BUILD names an already built one to reuse."""
    return builds.wait("student")


@pytest.fixture(scope="session")
def site(book_html):
    """The built book served on a free port of 127.0.0.1; its base URL."""
    from browser.harness import serve

    with serve(book_html) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, shared by the browser and accessibility tests."""
    from browser.harness import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def visits(site, browser):
    """Every page of the book opened as a reader would, at desktop and phone width, with axe-core's
    audit of the desktop page: shared by the browser and the accessibility tests."""
    from browser.harness import book_pages, visit_every_page

    return visit_every_page(browser, site, book_pages())
