"""The book's one visual voice in matplotlib: the palette of :mod:`pansec.palette`, and the marks,
fonts and sizes shared by every chart.

Figures are sized so that their smallest text is at least 11 px on a desktop and 9 px on a
phone, and they render byte for byte the same on every build (see :func:`save`).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from pansec.palette import (  # the palette, for the charts as style.INK, style.BLOC_COLOURS, ...
    OKABE_ITO,
    BLOC_COLOURS,
    BLOC_LABELS,
    BLOCS,
    INK,
    GREY_LIGHT,
    GREY_MID,
    GREY_DARK,
    VERDICT_STYLE,
    ATTENDANCE_STYLE,
    IMPRECISE_HATCH,
)

#: The page. Every figure is drawn 5.5 in wide and shown at 96 CSS px per inch, 528 px, or the
#: column's width if narrower (a 390-px phone gives about 358 px): text of 11 pt is then 14.7 px
#: on a desktop and about 10 px on a phone, and no text is smaller. PNGs are rendered at twice
#: that density, so they stay sharp on high-density screens and in print (192 dpi at 5.5 in).
FIGURE_WIDTH = 5.5
CSS_PX_PER_INCH = 96
FIGURE_WIDTH_PX = round(FIGURE_WIDTH * CSS_PX_PER_INCH)
FIGURE_DPI = 2 * CSS_PX_PER_INCH
TEXT_SIZE = 11.0
#: Colours a PNG keeps (see :func:`save`).
PNG_COLOURS = 64
HEADING_SIZE = 12.0
#: The same constants for the charts' text measurement: points per inch, and the line height.
POINTS_PER_INCH = 72.0
LINE_SPACING = 1.2

#: matplotlib settings of the book. Reproducibility: a fixed SVG hash salt (element ids
#: otherwise come from a random uuid), text drawn as paths in SVG (no dependence on the
#: reader's fonts) and TrueType embedded in PDF. Dates in file metadata cannot be switched
#: off through rcParams: :func:`save` passes the metadata that does it.
BOOK_RC = {
    "font.family": "sans-serif",
    # DejaVu Sans ships with matplotlib, so every machine draws the same glyphs, and it has
    # Cyrillic and the Latin diacritics of the actors' names (Władysław Gomułka, Österreich).
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": TEXT_SIZE,
    "axes.titlesize": HEADING_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": TEXT_SIZE,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.labelsize": TEXT_SIZE,
    "ytick.labelsize": TEXT_SIZE,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": TEXT_SIZE,
    "legend.frameon": False,
    "legend.handlelength": 1.6,
    "legend.borderaxespad": 0.3,
    "figure.figsize": (FIGURE_WIDTH, 4.5),
    "figure.dpi": FIGURE_DPI,
    "figure.facecolor": "white",
    "figure.constrained_layout.h_pad": 0.04,
    "figure.constrained_layout.w_pad": 0.04,
    "savefig.dpi": FIGURE_DPI,
    "savefig.facecolor": "white",
    "hatch.linewidth": 0.6,
    "lines.solid_capstyle": "butt",
    "svg.hashsalt": "pansec",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}

#: Metadata that would differ between two builds (dates, library versions), removed per format.
_STABLE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


@contextlib.contextmanager
def use_book_style() -> Iterator[None]:
    """Draw inside the book's style without leaking it into the caller's matplotlib settings."""
    with mpl.rc_context(BOOK_RC):
        yield


class BookFigure(Figure):
    """A matplotlib Figure that shows itself in a notebook without pyplot.

    The book's figures live outside pyplot, so that a notebook never shows one twice and many can
    be made without leaking memory. Jupyter and MyST-NB then need the figure to say how it looks:
    a PNG written by :func:`save` (so without dates), at twice its CSS size, with the CSS width
    attached so that JupyterLab shows it at the size the book does.
    """

    def _repr_png_(self):
        import io

        buffer = io.BytesIO()
        save(self, buffer, format="png")
        # The width alone: a height too would stop a phone from scaling the image to its column.
        return buffer.getvalue(), {"width": round(self.get_figwidth() * CSS_PX_PER_INCH)}


def new_figure(height: float, width: float = FIGURE_WIDTH) -> BookFigure:
    """A book figure of the given size in inches, outside pyplot, laid out by hand in inches.

    The charts place their axes themselves, since their label columns are measured text. Call
    inside :func:`use_book_style`.
    """
    return BookFigure(figsize=(width, height), dpi=FIGURE_DPI)


def save(fig: Figure, path, **kwargs):
    """Write a figure so that two builds of the same data give byte-identical files.

    PNG, SVG and PDF carry no date and no software version, and SVG element ids come from a
    fixed salt. ``savefig.metadata`` cannot be set in rcParams, hence this helper: use it
    rather than ``fig.savefig``. The format follows the file's extension, or ``format=`` for a
    file-like object. Returns ``path``.

    A PNG is reduced to :data:`PNG_COLOURS` colours without dithering, which a chart of a few
    flat colours does not show, and which makes it about three times lighter for a phone. The fast
    octree quantizer and zlib's default level cost a few hundredths of a second where median cut
    and the strongest compression cost up to a second for a tall chart, and the files come out no larger.
    """
    fmt = kwargs.pop("format", None)
    if fmt is None:
        fmt = Path(path).suffix.lstrip(".").lower()
    metadata = dict(_STABLE_METADATA.get(fmt, {}))
    metadata.update(kwargs.pop("metadata", {}) or {})
    with use_book_style():
        if fmt != "png":
            fig.savefig(path, format=fmt, metadata=metadata, **kwargs)
            return path
        dpi = kwargs.get("dpi", mpl.rcParams["savefig.dpi"])
        dpi = fig.dpi if dpi == "figure" else dpi
        # Raw pixels where the canvas is the figure's own size, rather than a PNG that would be
        # decoded again and thrown away; a cropped figure (bbox_inches) goes through a PNG.
        raw = set(kwargs) <= {"dpi"}
        drawn = io.BytesIO()
        if raw:
            fig.savefig(drawn, format="raw", **kwargs)
        else:
            fig.savefig(drawn, format="png", metadata=metadata, **kwargs)
    from PIL import Image

    if raw:
        width = int(fig.get_figwidth() * dpi)  # Agg truncates the canvas to whole pixels
        pixels = drawn.getbuffer()  # the buffer itself: a copy of a tall chart's pixels is 10 MB
        image = Image.frombuffer("RGBA", (width, len(pixels) // (4 * width)), pixels, "raw", "RGBA", 0, 1)
    else:
        image = Image.open(drawn)
    image = image.convert("RGB").quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    image.save(path, format="PNG", compress_level=6, dpi=(dpi, dpi))
    return path
