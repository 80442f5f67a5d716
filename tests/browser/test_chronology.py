"""The Explore page's chronology works in a reader's browser with no kernel and no network: its
filters narrow the timeline and the table alike, as the data say they should; pointing, focus and
a tap show an event's date at its own precision; Enter leads to the chapter that discusses the
event; it reads at 1280 and at 390 px, passes axe-core, and weighs at most 500 KB."""

from __future__ import annotations

import contextlib

import pytest

from browser import chronology as chron_page
from browser import harness

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = chron_page.PAGE
BUDGET = 500_000  # bytes, uncompressed: the chronology's scripts, stylesheet, markup and data


@pytest.fixture(scope="module")
def chron():
    import pansec

    return pansec.load_chronology()


@contextlib.contextmanager
def explore(browser, site, viewport=harness.DESKTOP):
    """The Explore page, its chronology drawn; on leaving, nothing was asked of another host."""
    page, visit = harness.open_page(browser, site + PAGE, viewport)
    try:
        chron_page.ready(page)
        yield page
    finally:
        page.context.close()
    assert visit.outside_requests == []
    assert visit.console_errors == [] and visit.failed_requests == []


def test_the_timeline_and_the_table_show_every_event_at_first(browser, site, chron):
    with explore(browser, site) as page:
        every = list(chron.events["id"])
        assert chron_page.rows(page) == every
        assert sorted(chron_page.marks(page)) == sorted(every)


@pytest.mark.parametrize("filter_name", ["bloc", "kind", "period"])
def test_each_menu_narrows_the_timeline_and_the_table_to_the_events_the_data_give(browser, site, chron, filter_name):
    values = {"bloc": chron.events["bloc"], "kind": chron.events["kind"], "period": chron.periods["id"]}[filter_name]
    with explore(browser, site) as page:
        for value in sorted(set(values)):
            chron_page.choose(page, **{filter_name: value})
            wanted = chron_page.expected(chron, **{filter_name: value})
            assert wanted, f"no event has {filter_name} {value!r}: the test would prove nothing"
            assert chron_page.rows(page) == wanted, value
            assert sorted(chron_page.marks(page)) == sorted(wanted), value
            assert page.inner_text(".pansec-chronology-count").startswith(
                f"All {len(wanted)}" if len(wanted) == len(chron.events) else f"{len(wanted)} of {len(chron.events)}"
            )


@pytest.mark.parametrize(
    "filters",
    [
        {"words": "Molotov"},
        {"words": "rene pleven"},  # typed without the accent of "René"
        {"words": "conference 1954"},
        {"bloc": "east", "kind": "proposal"},
        {"bloc": "west", "period": "warsaw-pact", "words": "paris"},
        {"bloc": "neutral", "kind": "treaty"},  # nothing: the timeline empties and says so
    ],
    ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()),
)
def test_words_and_filters_together_keep_what_the_data_say(browser, site, chron, filters):
    wanted = chron_page.expected(chron, **filters)
    with explore(browser, site) as page:
        chron_page.choose(page, **filters)
        assert chron_page.rows(page) == wanted
        assert sorted(chron_page.marks(page)) == sorted(wanted)
        if not wanted:
            assert page.inner_text(".pansec-chronology-count").startswith("No event matches")
        page.click(".pansec-chronology-status button[type=reset]")
        page.wait_for_function(f"document.querySelectorAll({chron_page.MARKS!r}).length === {len(chron.events)}")
        assert len(chron_page.rows(page)) == len(chron.events)


@pytest.mark.parametrize("precision", ["day", "month", "year"])
def test_pointing_at_an_event_shows_its_date_at_the_precision_of_the_data(browser, site, chron, precision):
    from pansec import words

    event = chron.events[(chron.events["precision"] == precision) & chron.events["end_date"].isna()].iloc[0]
    when = words.say_span(event["date"], event["end_date"])
    with explore(browser, site) as page:
        page.hover(f"{chron_page.MARKS}[data-id='{event['id']}']")
        shown = chron_page.details(page)
    assert event["title"] in shown and event["summary"] in shown
    for key in event["sources"]:
        assert str(chron.references[key]) in shown
    when_line = [line for line in shown.splitlines() if line.strip()][1]
    assert when_line.startswith(when), shown
    if precision == "day":
        assert chron_page.A_DAY.match(when_line)
    else:
        assert f"known to the {precision}" in when_line
        assert not chron_page.A_DAY.search(when_line), f"a {precision}-dated event reads as a day: {when_line}"


def test_the_keyboard_reaches_the_timeline_moves_along_it_and_enter_opens_the_chapter(browser, site, chron):
    events = chron.events.reset_index(drop=True)
    with explore(browser, site) as page:
        page.focus(chron_page.WORDS)
        page.keyboard.press("Tab")  # the timeline (the reset button is disabled): one stop, on its first event
        first = events.iloc[0]
        assert page.evaluate("document.activeElement.dataset.id") == first["id"]
        assert first["title"] in chron_page.details(page)
        page.keyboard.press("ArrowRight")
        second = events.iloc[1]
        assert page.evaluate("document.activeElement.dataset.id") == second["id"]
        assert chron_page.details(page).startswith(second["title"])

        # An event the report discusses, reached with the arrow keys from the first.
        target = next(i for i, e in events.iterrows() if chron_page.chapter_of(chron, e) and i > 1)
        for _ in range(target - 1):
            page.keyboard.press("ArrowRight")
        event = events.iloc[target]
        assert page.evaluate("document.activeElement.dataset.id") == event["id"]
        with page.expect_navigation():
            page.keyboard.press("Enter")
        arrived = page.url
        assert arrived.split("#")[0].endswith(chron_page.chapter_of(chron, event)), arrived
        if "#" in arrived:  # the heading under which the chapter's prose computes a value of the event
            computed = page.eval_on_selector_all(
                f"[id='{arrived.split('#')[1]}'] span.computed", "spans => spans.map(s => s.title)"
            )
            assert any(f'"{event["id"]}"' in title for title in computed), computed


def test_the_table_links_each_event_to_its_chapter(browser, site, chron):
    with explore(browser, site) as page:
        links = page.eval_on_selector_all(
            ".pansec-chronology tbody tr",
            "rows => rows.map(r => [r.dataset.id, r.querySelector('a') ? r.querySelector('a').href : null])",
        )
    events = chron.events.set_index("id")
    for event_id, href in links:
        chapter = chron_page.chapter_of(chron, events.loc[event_id])
        assert href, f"{event_id} leads nowhere"
        if chapter:
            assert href.split("#")[0].endswith(chapter), (event_id, href)


def test_a_first_tap_shows_an_event_and_a_second_opens_its_chapter(browser, site, chron):
    event = chron.events[chron.events["section"] == "2"].iloc[0]
    context = browser.new_context(viewport=harness.PHONE, has_touch=True, is_mobile=True, service_workers="block")
    outside = harness.block_outside(context)
    try:
        page = context.new_page()
        page.goto(site + PAGE)
        chron_page.ready(page)
        mark = f"{chron_page.MARKS}[data-id='{event['id']}']"
        page.tap(mark)
        assert page.url.endswith(PAGE)
        assert chron_page.details(page).startswith(event["title"])
        with page.expect_navigation():
            page.tap(mark)
        assert page.url.split("#")[0].endswith(chron_page.chapter_of(chron, event))
    finally:
        context.close()
    assert outside == []


@pytest.mark.parametrize("viewport, smallest", [(harness.DESKTOP, 11), (harness.PHONE, 9)], ids=["1280px", "390px"])
def test_the_chronology_fits_the_screen_and_its_text_is_readable(browser, site, chron, viewport, smallest):
    with explore(browser, site, viewport) as page:
        page.evaluate("document.querySelector('.pansec-chronology details').open = true")
        page.hover(chron_page.MARKS)
        assert len(chron_page.marks(page)) == len(chron.events)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        right = page.evaluate("document.querySelector('.pansec-chronology svg').getBoundingClientRect().right")
        assert right <= viewport["width"]
        assert chron_page.smallest_text(page) >= smallest
        name = "desktop" if viewport == harness.DESKTOP else "phone"
        harness.screenshot(page, f"chronology-{name}")


def test_axe_finds_nothing_in_the_chronology_whatever_its_state(browser, site):
    with explore(browser, site) as page:
        found = {}
        page.add_script_tag(path=str(harness.AXE))
        check = "async () => (await axe.run(document.querySelector('.pansec-chronology'))).violations"
        found["at first"] = page.evaluate(check)
        page.evaluate("document.querySelector('.pansec-chronology details').open = true")
        page.focus(f"{chron_page.MARKS}[tabindex='0']")
        found["table open, an event focused"] = page.evaluate(check)
        chron_page.choose(page, bloc="west", words="treaty")
        found["filtered"] = page.evaluate(check)
        chron_page.choose(page, bloc="neutral", kind="treaty")
        found["nothing matches"] = page.evaluate(check)
        page_wide = [v for v in harness.run_axe(page) if v["impact"] in ("serious", "critical")]
    assert {state: harness.summarise(v) for state, v in found.items() if v} == {}
    assert harness.summarise(page_wide) == []


def test_without_javascript_the_table_lists_every_event(browser, site, chron):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + PAGE)
        assert chron_page.rows(page) == list(chron.events["id"])
        assert page.is_visible(".pansec-chronology table")
        assert not page.is_visible(".pansec-chronology-filters")
    finally:
        context.close()


def test_the_chronology_adds_at_most_500_kb_and_only_to_its_page(book_html):
    page = (book_html / PAGE).read_text(encoding="utf-8")
    markup = chron_page.MARKUP.search(page)
    assert markup, "the Explore page has no chronology"
    files = {name: (book_html / "_static" / name).stat().st_size for name in chron_page.SCRIPTS}
    weight = sum(files.values()) + len(markup.group(0).encode("utf-8"))
    harness.record("chronology-weight.json", {"files": files, "markup and data": len(markup.group(0).encode()), "total": weight})
    assert weight <= BUDGET, f"{weight:,} bytes: {files}"
    for other in harness.book_pages():
        if other != PAGE:
            assert "plot-d3.min.js" not in (book_html / other).read_text(encoding="utf-8"), other
