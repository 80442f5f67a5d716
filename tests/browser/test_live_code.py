"""The page's Live Code (Thebe) runs a chapter's cells against a real Jupyter server.

Binder cannot be reached here, so the tests start a Jupyter server on 127.0.0.1 (the repository as
its root, as on Binder), point the page's Thebe configuration at it instead of Binder, click Live
Code in the launch menu and run cells with their run buttons, as a reader would:

* in the Warsaw Pact chapter, the folded cells up to a figure, which must appear drawn anew by the
  kernel;
* in the explore chapter, an explorer (ipywidgets), whose controls must work.

Nothing may leave 127.0.0.1 meanwhile: Thebe (and the RequireJS it needs for widgets) comes from
the book's own _static.
"""

from __future__ import annotations

import contextlib
import re

import pytest

from browser import harness, live_code

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Each wait is bounded: a dead server or kernel fails a test within these many seconds.
THEBE_LOADED = 30
KERNEL_READY = 90
CELL_RUN = 90

WARSAW_PACT = "book/warsaw-pact.html"
# The folded cells run, in the chapter's order: loading the chronology, computing the delays, and
# the figure drawn from them (book/warsaw-pact.ipynb).
SETUP = "chron = pansec.load_chronology()"
DELAYS = "delays = pansec.derive.exchange_delays(chron)"
FIGURE = "charts.delays(delays, chron.events)"

EXPLORE = "book/explore.html"
EXPLORER = "explore.chronology_explorer(chron)"

CELL_ID = """(needle) => {
    const cell = (thebe.notebook ? thebe.notebook.cells : []).find(c => c.source.includes(needle));
    return cell ? cell.id : null;
}"""
RAN = """(id) => { const cell = thebe.notebook.getCellById(id); return cell && cell.executionCount !== null; }"""
DRAWN = """(id) => {
    const box = document.querySelector(`[data-thebe-id="${id}"]`);
    const images = box ? box.closest('.cell').querySelectorAll('.jp-OutputArea-output img') : [];
    return Array.from(images).filter(img => img.src.startsWith('data:image/png') && img.naturalWidth > 0)
                              .map(img => img.naturalWidth);
}"""
# The explorer's caption ("19 of 63 events (period: ...)"), the first HTML widget of its output.
CAPTION = """(id) => {
    const box = document.querySelector(`[data-thebe-id="${id}"]`);
    const caption = box && box.closest('.cell').querySelector('.widget-html');
    return caption ? caption.innerText.trim() : '';
}"""
CAPTION_CHANGED = f"""([id, before]) => {{ const now = ({CAPTION})(id); return now && now !== before; }}"""


THEBE_JS_URL = re.compile(r'const THEBE_JS_URL = "([^"]*)"')


def test_every_page_loads_thebe_from_the_book_itself(book_html):
    pages = {page: THEBE_JS_URL.search(page.read_text(encoding="utf-8")) for page in book_html.rglob("*.html")}
    urls = {page.relative_to(book_html).as_posix(): found.group(1) for page, found in pages.items() if found}
    assert "book/warsaw-pact.html" in urls, "the chapters set no THEBE_JS_URL"
    assert {name: url for name, url in urls.items() if "://" in url or url.startswith("/")} == {}
    missing = {name: url for name, url in urls.items() if not (book_html / name).parent.joinpath(url).is_file()}
    assert missing == {}
    assert (book_html / "_static" / "thebe" / "require.js").is_file()


@pytest.fixture(scope="module")
def server(site):
    """A Jupyter server on 127.0.0.1 for pages from the book's own origin."""
    with live_code.jupyter_server(harness.ROOT, site.rstrip("/")) as running:
        yield running


@contextlib.contextmanager
def live_code_on(browser, site, server, chapter: str):
    """The chapter's page with Live Code started against `server`; yields (page, visit, sockets):
    the Visit records every request, and sockets the WebSockets it opened (Playwright's routing,
    which keeps the Visit, does not see those)."""
    page, visit = harness.open_page(browser, site + chapter)
    page.set_default_timeout(THEBE_LOADED * 1000)
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    try:
        page.evaluate(live_code.WATCH_THEBE)
        assert page.evaluate(live_code.POINT_AT_SERVER, [server.base, server.token]), "no Binder settings in the page's thebe config"
        page.locator(".dropdown-launch-buttons .dropdown-toggle").click()
        page.locator("button.btn-launch-thebe").click()
        live_code.wait_for(page, "() => window.thebe && window.thebe.notebook", "Thebe loaded from the book", THEBE_LOADED)
        live_code.wait_for(
            page, "() => thebe.session && thebe.session.kernel", "a kernel from the local server", KERNEL_READY
        )
        yield page, visit, sockets
    except AssertionError as error:
        raise AssertionError(f"{error}\nasked of hosts beyond 127.0.0.1: {visit.outside_requests}") from None
    finally:
        page.context.close()


def run_cell(page, needle: str, *, folded: bool = True) -> str:
    """Unfold the cell whose source holds `needle`, click its run button, wait until it ran."""
    cell_id = live_code.wait_for(page, CELL_ID, f"a Live Code cell holding {needle!r}", THEBE_LOADED, needle)
    box = page.locator(f'[data-thebe-id="{cell_id}"]')
    details = box.locator("xpath=ancestor::details[1]")
    assert details.count() == (1 if folded else 0), f"the cell holding {needle!r} is {'not ' if folded else ''}folded"
    if folded and details.get_attribute("open") is None:
        details.locator("summary").click()
    box.locator(".thebe-run-button").click()
    live_code.wait_for(page, RAN, f"running the cell holding {needle!r}", CELL_RUN, cell_id)
    return cell_id


def only_local(visit, sockets, server) -> None:
    assert visit.outside_requests == [], "Live Code asked hosts beyond 127.0.0.1"
    assert [url for url in sockets if not url.startswith(server.base.replace("http", "ws", 1) + "/")] == []
    assert visit.failed_requests == [], "some of the book's or the server's answers failed"
    assert visit.console_errors == []


def test_live_code_runs_a_folded_cell_against_a_jupyter_server_and_shows_its_figure(site, browser, server):
    with live_code_on(browser, site, server, WARSAW_PACT) as (page, visit, sockets):
        run_cell(page, SETUP)
        run_cell(page, DELAYS)
        figure = run_cell(page, FIGURE)
        drawn = live_code.wait_for(page, DRAWN, "the figure drawn by the kernel", CELL_RUN, figure)
        harness.screenshot(page, "live-code-warsaw-pact")
    assert drawn, "the figure cell ran but no image appeared in its output"
    only_local(visit, sockets, server)


def test_live_code_shows_an_explorer_whose_controls_ask_the_kernel_for_a_new_view(site, browser, server):
    with live_code_on(browser, site, server, EXPLORE) as (page, visit, sockets):
        run_cell(page, SETUP)
        # The explorer cell is not run while the book builds (skip-execution), and is not folded.
        explorer = run_cell(page, EXPLORER, folded=False)
        before = live_code.wait_for(page, CAPTION, "the explorer's caption", CELL_RUN, explorer)
        bloc = page.locator(f'[data-thebe-id="{explorer}"]').locator(
            "xpath=ancestor::div[contains(@class, 'cell')][1]"
        ).locator(".widget-dropdown", has=page.locator("label", has_text="Bloc")).locator("select")
        bloc.select_option(index=1)
        live_code.wait_for(page, CAPTION_CHANGED, "a new view after choosing a bloc", CELL_RUN, [explorer, before])
        after = page.evaluate(CAPTION, explorer)
        harness.screenshot(page, "live-code-explore")
    assert after != before
    only_local(visit, sockets, server)
