"""One figure of a chapter, shown on the landing page as the chapter draws it.

The landing page is a Markdown page with no kernel, so it cannot draw a chart; it marks where the
figure goes, ``<div class="landing-figure" data-chapter="book/towards-helsinki"
data-figure="fig-long-road"></div>``, and when the page is written that mark is filled with the
chapter's own image (already in ``_images``, from this build), its alt text and its caption, linked
to the figure in its chapter. The figure therefore follows the data like every other, and a name
that no chapter has fails the build.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

MARK = re.compile(r'<div class="landing-figure" data-chapter="([^"]+)" data-figure="([^"]+)"></div>')


def figure_html(app: Sphinx, pathto, chapter: str, name: str) -> str:
    doctree = app.env.get_doctree(chapter)
    for figure in doctree.findall(nodes.figure):
        if name not in figure["ids"]:
            continue
        image = next(figure.findall(nodes.image))
        caption = next(figure.findall(nodes.caption), None)
        src = pathto(f"_images/{PurePosixPath(image['uri']).name}", 1)
        href = f"{pathto(chapter)}#{name}"
        alt = html.escape(image.get("alt", ""), quote=True)
        text = html.escape(caption.astext()) if caption is not None else ""
        # The chart's own CSS width (pansec.style), as in its chapter: stretched, its text would not
        # be the size the chart was drawn for.
        width = f' style="width: {html.escape(str(image["width"]))}px"' if image.get("width") else ""
        return (f'<div class="landing-figure"><figure><a href="{href}"><img src="{src}" alt="{alt}"{width}></a>'
                f"<figcaption>{text}</figcaption></figure></div>")
    raise ExtensionError(f"the landing page asks for figure {name!r} of {chapter}, which has no such figure")


def fill(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not body or "landing-figure" not in body:
        return
    context["body"] = MARK.sub(lambda m: figure_html(app, context["pathto"], m.group(1), m.group(2)), body)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", fill)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
