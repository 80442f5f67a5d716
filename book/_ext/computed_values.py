"""Mark every value the prose computes, and say how it was computed.

A sentence of a chapter asks the kernel for a value with MyST-NB's ``{eval}`` role. Left alone,
the answer is plain text that a reader cannot tell from typed words. This extension wraps it in a
``<span class="computed">`` whose title is the expression itself (hover: ``Computed:
chron.gap("paris-agreements-signed", "soviet-note-1954-11")``), which the book's stylesheet
underlines. The PDF prints the value alone.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.ext.eval import EvalRoleAny
from sphinx.application import Sphinx


class computed_value(nodes.inline):
    """The rendered output of one ``{eval}`` expression, and the expression."""


class ComputedValueRole(EvalRoleAny):
    def run(self):
        found, messages = super().run()
        if not found:
            return found, messages
        return [computed_value("", "", *found, expression=self.text)], messages


def visit_html(self, node: computed_value) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="computed", title=f"Computed: {node['expression']}"))


def depart_html(self, node: computed_value) -> None:
    self.body.append("</span>")


def pass_through(self, node: computed_value) -> None:
    pass


def setup(app: Sphinx) -> dict:
    app.add_node(
        computed_value,
        html=(visit_html, depart_html),
        latex=(pass_through, pass_through),
        text=(pass_through, pass_through),
    )
    # After MyST-NB, whose own eval role this one extends.
    app.setup_extension("myst_nb")
    app.add_role("eval", ComputedValueRole(), override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
