"""Let tables inside admonitions break across pages in the PDF.

Sphinx sets a table of up to 30 rows with tabulary, as one unbreakable box. Inside an admonition,
which LaTeX draws with the framed package, a box taller than the page makes framed start page
after page without ever placing it: TeX stops with "capacity exceeded" after thousands of empty
pages. An evidence table folded into a "Try it" or "Solution" box is easily that tall, so in the
LaTeX build every table inside an admonition is set as a longtable, which breaks across pages.

A longtable without given column widths sets every cell on one line, running off the page; so
such a table also gets widths, each column's share growing with its longest cell (capped, so that
one long cell does not squeeze the rest), and its cells wrap.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def inside_admonition(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Admonition):
            return True
        parent = parent.parent
    return False


def give_widths(table: nodes.table) -> None:
    tgroup = next(iter(table.findall(nodes.tgroup)), None)
    if tgroup is None:
        return
    colspecs = [child for child in tgroup.children if isinstance(child, nodes.colspec)]
    longest = [1] * len(colspecs)  # longest cell of each column
    widest = [1] * len(colspecs)  # longest word: a column never gets narrower than that
    for row in tgroup.findall(nodes.row):
        column = 0
        for entry in row.children:
            if column < len(colspecs) and not entry.get("morecols"):
                text = entry.astext()
                longest[column] = max(longest[column], len(text))
                widest[column] = max([widest[column], *map(len, text.split())])
            column += 1 + entry.get("morecols", 0)
    for colspec, length, word in zip(colspecs, longest, widest):
        # +4: room for the cell padding, which the narrowest columns would otherwise lose to.
        colspec["colwidth"] = max(word, min(40, length)) + 4
    table["classes"].append("colwidths-given")


class LongTablesInAdmonitions(SphinxPostTransform):
    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if inside_admonition(table) and "longtable" not in table["classes"]:
                table["classes"].append("longtable")
                if "colwidths-given" not in table["classes"]:
                    give_widths(table)


def setup(app: Sphinx) -> dict:
    app.add_post_transform(LongTablesInAdmonitions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
