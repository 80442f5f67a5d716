"""A reader's browser for the built book: Debian's Chromium driven by Playwright, the HTML served
on 127.0.0.1, and a record of everything a page did while it loaded."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from book_toc import toc_entries

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTEFACTS = ROOT / "tests" / "artefacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def book_pages(root: Path = ROOT) -> list[str]:
    """Every page a reader can reach: the table of contents in order, then Sphinx's own pages."""
    pages = toc_entries(root)
    return [f"{page}.html" for page in pages] + ["genindex.html", "search.html"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path, handler_class=None):
    """Serve a folder on a free port of 127.0.0.1 for as long as the block runs (with a quiet static
    file handler unless another is given)."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, never a downloaded browser build."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What one page did while a reader opened it."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    overflow: int = 0
    blank_figures: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)  # axe-core's, at desktop width only
    images: list[dict] = field(default_factory=list)  # the article's images and their alt text
    tables: list[dict] = field(default_factory=list)  # the data tables as shown (TABLES_ON_SCREEN)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


#: Every URL that is not this machine's. Chromium matches it itself, so the page's own requests
#: never wait on a round trip to Python (routing all of them cost some 0.4 s a page, more in Lab).
OUTSIDE = re.compile(r"^(?!(?:https?|wss?)://127\.0\.0\.1(?::\d+)?/|data:|blob:|about:)")


def block_outside(context) -> list[str]:
    """Let the pages of `context` reach 127.0.0.1 alone; return the list where what they asked of
    any other host is noted as it is refused."""
    refused: list[str] = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(OUTSIDE, refuse)
    return refused


def open_page(browser, url: str, viewport=DESKTOP):
    """Open `url` in a fresh context that lets nothing leave 127.0.0.1; return (page, visit)."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    visit = Visit(url)
    visit.outside_requests = block_outside(context)
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error"
        and visit.console_errors.append(f"{message.text} ({message.location.get('url', '')})"),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    page.on(
        "requestfailed",
        lambda request: _is_local(request.url)
        and visit.failed_requests.append(f"{request.url}: {request.failure}"),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and visit.failed_requests.append(f"{response.url}: HTTP {response.status}"),
    )
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5000)
    visit.broken_images = broken_images(page)
    visit.blank_figures = blank_figures(page)
    visit.charts = chart_sizes(page)
    return page, visit


def chart_sizes(page) -> list[dict]:
    """Each chart of the page (an image a cell drew) with the width it is shown at and the width
    of its PNG, which the book writes at twice its CSS size."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('article .cell_output img'))
                  .map(img => ({src: img.currentSrc || img.src, shown: img.getBoundingClientRect().width,
                                natural: img.naturalWidth}))"""
    )


def broken_images(page) -> list[str]:
    """Images that did not decode; lazy ones are made eager first so that all are tried."""
    return page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = 'eager'; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            return images.filter(img => !img.complete || img.naturalWidth === 0)
                         .map(img => img.currentSrc || img.src || img.outerHTML);
        }"""
    )


def blank_figures(page) -> list[str]:
    """Figures a reader sees no picture in: a <figure> holding no image, or a figure's text
    stand-in ("<Figure size 1125x450 with 1 Axes>") printed where its picture should be."""
    return page.evaluate(
        r"""() => {
            const article = document.querySelector('article') || document.body;
            const empty = Array.from(article.querySelectorAll('figure'))
                .filter(f => !f.querySelector('img, svg, object, canvas'))
                .map(f => 'figure without a picture: ' + (f.id || f.innerText.slice(0, 80)));
            const stand_ins = (article.innerText.match(/<Figure size [^>]*>/g) || [])
                .map(text => 'printed instead of drawn: ' + text);
            return empty.concat(stand_ins);
        }"""
    )


def screenshot(page, name: str) -> Path:
    path = ARTEFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it stands (the pinned copy from tests/browser)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {resultTypes: ['violations']})"""
    )
    return result["violations"]


def summarise(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in violation["nodes"]]
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} -> {targets[:5]}")
    return lines


def record(name: str, data) -> None:
    path = ARTEFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


#: Full-page screenshots of every page at both widths, into tests/artefacts/screenshots, to look at
#: the book as its readers do: PANSEC_SCREENSHOTS=1. They cost some 50 s, which make test saves.
SCREENSHOTS = os.environ.get("PANSEC_SCREENSHOTS") == "1"


#: Each data table of the page as shown: how much wider it is than the box that holds it (the
#: sideways scroll a reader would need), its cells, and the cells that name their column.
TABLES_ON_SCREEN = """Array.from(document.querySelectorAll('table.longtable')).map(t => {
  const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
  const cells = Array.from(t.querySelectorAll('tbody td'));
  const named = cells.filter(c => getComputedStyle(c, '::before').content.replace(/"/g, '') === c.dataset.label
                                  && c.dataset.label.length > 0);
  return {id: t.id, wider: box.scrollWidth - box.clientWidth, cells: cells.length, named: named.length,
          role: t.getAttribute('role')};
})"""

#: The article's images and what they say to a reader who cannot see them.
IMAGES = """() => Array.from(document.querySelectorAll('article img, main figure img')).map(img => ({
    src: img.getAttribute('src'), alt: img.getAttribute('alt'), inFigure: !!img.closest('figure')}))"""


def visit_every_page(browser, site: str, pages: list[str]) -> dict[str, tuple[Visit, Visit]]:
    """Open each page once at desktop width, where axe-core also audits it, and once at phone
    width (with screenshots if asked for): one load per page and width for every check."""
    seen = {}
    for name in pages:
        stem = name.removesuffix(".html").replace("/", "-")
        page, visit = open_page(browser, site + name, DESKTOP)
        if SCREENSHOTS:
            screenshot(page, f"{stem}-desktop")
        visit.violations = run_axe(page)
        visit.images = page.evaluate(IMAGES)
        page.context.close()
        page, phone = open_page(browser, site + name, PHONE)
        if SCREENSHOTS:
            screenshot(page, f"{stem}-phone")
        phone.overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        phone.tables = page.evaluate(TABLES_ON_SCREEN)
        page.context.close()
        seen[name] = (visit, phone)
    return seen
