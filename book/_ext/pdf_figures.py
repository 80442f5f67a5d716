"""Fit every figure on a page of the PDF.

The charts are drawn 5.5 in wide for the web page, and the tallest (the timelines, the delays)
run longer than the PDF's text block: LaTeX would let such a picture run past the foot of the
page, over the caption and the page number. In the LaTeX build an image taller than
:data:`MAX_HEIGHT_IN` is given that height instead of its width, which keeps its proportions, so
the whole figure and its caption stay on one page. The text then prints a little smaller than
11 pt, still larger than a footnote.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from PIL import Image
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The height a figure may take on an A4 or letter page with its caption beneath it.
MAX_HEIGHT_IN = 7.6


def natural_height(path: Path) -> float | None:
    """The image's height in inches at the resolution it was written with, if it says one."""
    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        return image.height / float(dpi[1]) if dpi else None


class FitFiguresOnThePage(SphinxPostTransform):
    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            candidates = image.get("candidates", {})
            uri = candidates.get("image/png") or image.get("uri", "")
            if not uri.endswith(".png"):
                continue
            path = Path(self.app.srcdir, uri)
            if not path.exists():
                continue
            height = natural_height(path)
            if height and height > MAX_HEIGHT_IN:
                image.attributes.pop("width", None)
                image["height"] = f"{MAX_HEIGHT_IN}in"


def setup(app: Sphinx) -> dict:
    app.add_post_transform(FitFiguresOnThePage)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
