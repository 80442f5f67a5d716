"""Two editions from one source: the book, and a student edition to hand out before a class.

``PANSEC_EDITION=student`` (set by ``make student``) turns on sphinx-exercise's own switch,
``hide_solutions``, so that every ``solution`` directive is dropped before its text is even parsed,
and adds the Sphinx tag ``student``, under which the teacher's notes print only a line saying where
the full edition is (``{only} not student`` on that page). Any other value, or none, builds the book
with its solutions folded on the web and printed in the PDF.

sphinx-exercise gives the body of every exercise and solution the same id (``exercise-content``,
``solution-content``); a page with two exercises would repeat an id, which breaks in-page links and
accessibility checkers. Each body's id is made its exercise's or solution's own label plus ``-content``.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

EDITIONS = ("book", "student")


def edition() -> str:
    """The edition this build makes, from the environment; the book unless told otherwise."""
    chosen = os.environ.get("PANSEC_EDITION", "").strip() or "book"
    if chosen not in EDITIONS:
        raise ValueError(f"PANSEC_EDITION={chosen!r}: expected one of {', '.join(EDITIONS)}")
    return chosen


def choose_edition(app: Sphinx, config: Config) -> None:
    student = edition() == "student"
    config.hide_solutions = student
    app.tags.add(edition())


SHARED_IDS = {"exercise-content", "solution-content"}


def unique_body_ids(app: Sphinx, doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        label = section.parent.get("label") if section.parent is not None else None
        if label and SHARED_IDS.intersection(section["ids"]):
            section["ids"] = [f"{label}-content" if i in SHARED_IDS else i for i in section["ids"]]


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")
    # Before sphinx-exercise reads its settings for numbering (config-inited, default priority).
    app.connect("config-inited", choose_edition, priority=400)
    app.connect("doctree-read", unique_body_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
