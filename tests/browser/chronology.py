"""The Explore page's chronology as a reader meets it, and what the data say it should show.

What the page shows is read from the page (the marks the timeline drew, the table rows left
visible, the details panel); what it should show is computed here from ``pansec.load_chronology()``,
by the rules the page states: an event belongs to the period in which it begins, and the words
typed must all occur in what its row of the table says (date, title, summary, actors, sources),
accents ignored.
"""

from __future__ import annotations

import re
import unicodedata

PAGE = "book/explore.html"
ROOT = ".pansec-chronology"
MARKS = f"{ROOT} .pansec-chronology-events a"
DETAILS = f"{ROOT} .pansec-chronology-details"
FIELDS = {"bloc": "#chronology-bloc", "kind": "#chronology-kind", "period": "#chronology-period"}
WORDS = "#chronology-text"
# Where the chronology's markup starts and ends in the built page (book/_ext/chronology.py).
MARKUP = re.compile(r"<!-- pansec-chronology -->.*?<!-- /pansec-chronology -->", re.S)
# The files the page loads for the chronology alone, under _static.
SCRIPTS = ("chronology/plot-d3.min.js", "chronology.js", "chronology.css")
A_DAY = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b"
)


def ready(page) -> None:
    page.wait_for_selector(f"{ROOT}[data-ready='true']", timeout=15000)


def marks(page) -> list[str]:
    """The ids of the events the timeline draws, in the order of its marks."""
    return page.eval_on_selector_all(MARKS, "links => links.map(a => a.dataset.id)")


def rows(page) -> list[str]:
    """The ids of the table's visible rows, top to bottom."""
    return page.eval_on_selector_all(f"{ROOT} tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.id)")


def choose(page, *, bloc: str = "", kind: str = "", period: str = "", words: str = "") -> None:
    """Set every filter as a reader would: the three menus, then the words typed."""
    for name, value in (("bloc", bloc), ("kind", kind), ("period", period)):
        page.select_option(FIELDS[name], value)
    page.fill(WORDS, words)


def details(page) -> str:
    return page.inner_text(DETAILS)


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def expected(chron, *, bloc: str = "", kind: str = "", period: str = "", words: str = "") -> list[str]:
    """The ids of the events that pass the filters, in date order, from the data."""
    from pansec import dates
    from pansec.words import say_span

    events = chron.events
    keep = events["id"].notna()
    if bloc:
        keep &= events["bloc"] == bloc
    if kind:
        keep &= events["kind"] == kind
    if period:
        row = chron.periods.set_index("id").loc[period]
        first, last = dates.span(row["start"])[0], dates.span(row["end"])[1]
        keep &= (events["start"] >= first) & (events["start"] <= last)
    if words:
        names = {a: str(n).split(" (")[0] for a, n in zip(chron.actors["id"], chron.actors["name"])}

        def text(event) -> str:
            parts = [say_span(event["date"], event["end_date"]), event["title"], event["summary"]]
            if event["precision"] != "day":
                parts.append(f"(known to the {event['precision']})")
            parts.append("Actors: " + ", ".join(names.get(a, a) for a in event["actors"]))
            parts.append("Sources: " + "; ".join(str(chron.references.get(k, k)) for k in event["sources"]))
            return fold(" ".join(parts))

        wanted = fold(words).split()
        keep &= events.apply(lambda event: all(w in text(event) for w in wanted), axis=1)
    return list(events.loc[keep, "id"])


def chapter_of(chron, event) -> str | None:
    """The page of the chapter that retells the event's section of the report: 'introduction' and
    'conclusion' have chapters of their name, a numbered section is the period of that section."""
    section = event["section"]
    if not isinstance(section, str):
        return None
    if not section[:1].isdigit():
        return f"book/{section}.html"
    return f"book/{chron.periods.set_index('section').loc[section, 'id']}.html"


def smallest_text(page) -> float:
    """The smallest text of the chronology as displayed, in CSS px: SVG text scaled as its figure is."""
    return page.evaluate(
        f"""() => {{
            const root = document.querySelector({ROOT!r});
            const sizes = [];
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
                const el = node.parentElement;
                if (!node.textContent.trim() || !el || el.closest('script, option, title')) continue;
                if (!el.getClientRects().length) continue;
                let size = parseFloat(getComputedStyle(el).fontSize);
                const svg = el.closest('svg');
                if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                sizes.push(size);
            }}
            return Math.min(...sizes);
        }}"""
    )
