"""Every page of the built book, opened in a real browser as a reader would: it loads without
errors, every image shows, and nothing is fetched from beyond this machine."""

from __future__ import annotations

import pytest

from browser import harness

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = harness.book_pages()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors(visits, name):
    for visit in visits[name]:
        assert visit.console_errors == [], visit.url


@pytest.mark.parametrize("name", PAGES)
def test_page_fetches_everything_it_asks_for(visits, name):
    for visit in visits[name]:
        assert visit.failed_requests == [], visit.url


def test_a_request_to_another_host_is_refused_and_noted(site, browser):
    """What the check below relies on: the page's request for another host never leaves the machine."""
    page, visit = harness.open_page(browser, site + PAGES[0])
    try:
        status = page.evaluate("fetch('https://example.org/x.js').then(() => 'fetched', () => 'refused')")
        local = page.evaluate(f"fetch({site + PAGES[0]!r}).then(r => r.status)")
    finally:
        page.context.close()
    assert (status, local, visit.outside_requests) == ("refused", 200, ["https://example.org/x.js"])


@pytest.mark.parametrize("name", PAGES)
def test_page_asks_nothing_of_any_host_but_its_own(visits, name):
    for visit in visits[name]:
        assert visit.outside_requests == [], visit.url


@pytest.mark.parametrize("name", PAGES)
def test_every_image_on_the_page_shows(visits, name):
    for visit in visits[name]:
        assert visit.broken_images == [], visit.url


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_shows_a_picture(visits, name):
    visit, _ = visits[name]
    assert visit.blank_figures == [], visit.url


@pytest.mark.parametrize("name", PAGES)
def test_the_smallest_text_of_every_chart_is_readable_on_a_desktop_and_a_phone(visits, name):
    """Charts draw no text under TEXT_SIZE points at their CSS width (tests/test_charts.py), so its
    size on screen is that scaled by the width the page shows the chart at."""
    from pansec import style

    for visit, smallest in zip(visits[name], (11, 9)):
        for chart in visit.charts:
            css_width = chart["natural"] / 2
            text_px = style.TEXT_SIZE / 72 * style.CSS_PX_PER_INCH * chart["shown"] / css_width
            assert text_px >= smallest, f"{chart['src']} on {visit.url}: smallest text {text_px:.1f} px"
            assert chart["shown"] <= css_width + 0.5, f"{chart['src']} is stretched beyond its size"


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen_without_sideways_scrolling(visits, name):
    _, phone = visits[name]
    assert phone.overflow <= 0, f"{name} is {phone.overflow}px wider than a 390px screen"


def test_searching_the_book_finds_the_chapter_on_the_warsaw_pact(site, browser):
    """The search page works from the book's own index, with no search service behind it."""
    page, visit = harness.open_page(browser, site + "search.html?q=Warsaw")
    try:
        page.wait_for_selector("#search-results li a", timeout=15000)
        found = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    finally:
        page.context.close()
    assert any("warsaw-pact" in href for href in found), found
    assert visit.console_errors == visit.failed_requests == visit.outside_requests == []


CHAPTER_PAGES = [name for name in PAGES if (harness.ROOT / name).with_suffix(".ipynb").exists()]


@pytest.mark.parametrize("name", CHAPTER_PAGES)
def test_the_code_behind_the_chapter_is_folded_and_opens_on_a_click(site, browser, name):
    page, visit = harness.open_page(browser, site + name)
    try:
        folded = page.locator("details.above-input")
        assert folded.count() >= 1, f"{name} has no folded code"
        first = folded.first
        code = first.locator("pre")
        assert not code.is_visible(), "the code shows before the reader asks for it"
        first.locator("summary").click()
        code.wait_for(state="visible", timeout=5000)
        assert "chron" in code.inner_text() or "pansec" in code.inner_text()
    finally:
        page.context.close()


def test_a_computed_value_is_marked_and_names_its_expression(site, browser):
    """The reader can tell the 21 days from typed words, and see how they were computed."""
    from pansec import load_chronology

    gap = load_chronology().gap("paris-agreements-signed", "soviet-note-1954-11")
    page, _ = harness.open_page(browser, site + "book/warsaw-pact.html")
    try:
        marked = page.locator("span.computed", has_text=gap).first
        assert marked.get_attribute("title") == 'Computed: chron.gap("paris-agreements-signed", "soviet-note-1954-11")'
        style = marked.evaluate("e => getComputedStyle(e).textDecorationStyle")
        assert style == "dotted"
        assert page.locator("span.computed").count() >= 20
    finally:
        page.context.close()


@pytest.mark.parametrize("name", PAGES)
def test_a_data_table_reads_on_a_phone_as_cards_each_cell_naming_its_column(visits, name):
    """A 390-px phone shows each row of a chapter's table as a card, with no sideways scrolling,
    and a screen reader is still told of a table."""
    _, phone = visits[name]
    for table in phone.tables:
        assert table["wider"] <= 0, f"{name}: table {table['id']} scrolls {table['wider']}px sideways on a phone"
        assert table["named"] == table["cells"], f"{name}: table {table['id']} has cells that do not name their column"
        assert table["role"] == "table"
