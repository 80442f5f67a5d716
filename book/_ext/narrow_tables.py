"""The data tables read on a phone without scrolling sideways.

The chapters' tables (``pansec.words.Table``: evidence, agenda, fields) have four to six columns,
about 600 px wide, which a 390-px phone shows only by scrolling the table sideways, its caption cut
off. On a narrow screen (``book/_static/pansec.css``) each row becomes a card instead: the cells one
under another, each led by its column's name. The names come from the table's own header, written
into each cell as ``data-label`` when the page is written; and since a browser stops announcing a
table as one once its rows are blocks, the table, its rows and cells say what they are with ARIA
roles, so that a screen reader still reads a table.

Only the ``longtable`` tables that ``pansec.words.table_block`` writes are touched, each parsed on
its own: the rest of the page is left byte for byte as Sphinx wrote it.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from sphinx.application import Sphinx

#: A table written by pansec.words.table_block; docutils does not nest tables in these.
DATA_TABLE = re.compile(r'<table class="longtable[^"]*"[^>]*>.*?</table>', re.DOTALL)
ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "tr": "row", "th": "columnheader", "td": "cell"}


def as_cards(table_html: str) -> str:
    """One table's markup with each cell labelled by its column and every part given its role."""
    soup = BeautifulSoup(table_html, "html.parser")
    table = soup.table
    names = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
    if not names:
        return table_html
    table["class"] = [*table.get("class", []), "pansec-cards"]
    table["role"] = "table"
    for tag, role in ROLES.items():
        for element in table.find_all(tag):
            element["role"] = role
    for row in table.select("tbody tr"):
        for name, cell in zip(names, row.find_all("td", recursive=False)):
            cell["data-label"] = name
    return str(table)


def label_table_cells(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and '<table class="longtable' in body:
        context["body"] = DATA_TABLE.sub(lambda match: as_cards(match.group()), body)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", label_table_cells)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
