"""Every page passes axe-core with no serious or critical violation (the theme's own markup
included), and every figure tells a reader who cannot see it what it shows."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from browser import harness

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = harness.book_pages()
BLOCKING = {"serious", "critical"}
# Alt text that names a file or a kind of thing says nothing about what the figure shows.
EMPTY_ALT = re.compile(r"(^[\w./-]+\.(png|svg|jpe?g|gif)$)|(^(image|figure|chart|plot|graph|png|svg)\s*\d*$)", re.I)


@pytest.fixture(scope="module")
def audits(visits):
    """axe-core's violations and the article's images, per page, at desktop width."""
    found = {name: (desktop.violations, desktop.images) for name, (desktop, _) in visits.items()}
    # Per page and impact: how many rules fail, and on how many elements.
    counts = {
        name: {
            "rules": dict(Counter(violation["impact"] for violation in violations)),
            "elements": dict(sum((Counter({v["impact"]: len(v["nodes"])}) for v in violations), Counter())),
        }
        for name, (violations, _) in found.items()
    }
    harness.record("axe-counts.json", counts)
    harness.record("axe-violations.json", {name: harness.summarise(v) for name, (v, _) in found.items()})
    return found


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_or_critical_accessibility_violation(audits, name):
    violations, _ = audits[name]
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    assert harness.summarise(blocking) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_image_has_alt_text_that_describes_it(audits, name):
    _, images = audits[name]
    silent = [image["src"] for image in images if not (image["alt"] or "").strip() or EMPTY_ALT.match(image["alt"].strip())]
    assert silent == [], f"{name}: images whose alt text says nothing: {silent}"
