"""Leave folded code out of the PDF.

On the web a chapter's computing cells are folded under *Show code cell source*, so the essay reads
as prose while its method stays one click away. Paper cannot fold: printed, the same cells would
put some two hundred lines of code between the paragraphs. The PDF therefore prints the outputs of
``hide-input`` cells (figures, tables) without their code, which its verso points to in the web
edition and the notebooks. Code that is not folded, such as a demonstration the text discusses,
is printed as it is.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class DropFoldedCode(SphinxPostTransform):
    default_priority = 199  # where MyST-NB folds the same cells for HTML
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code" or cell.get("hide_mode") not in ("input", "all"):
                continue
            for child in list(cell.children):
                if child.get("nb_element") == "cell_code_source":
                    cell.remove(child)
            if not cell.children:
                cell.parent.remove(cell)


def setup(app: Sphinx) -> dict:
    app.add_post_transform(DropFoldedCode)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
