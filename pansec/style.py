"""The book's one visual voice: palette, marks, fonts and sizes shared by every chart.

Every colour means one thing throughout the book, and no meaning rests on colour alone: blocs
also differ by lane or label, event kinds by marker shape, imprecise dates by hatching. The
palette is Okabe and Ito's, which stays distinguishable with the common colour-vision
deficiencies. Figures are sized for a page about 750 px wide in HTML and for the PDF's text
width, and they render byte for byte the same on every build (see :func:`save`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

#: Okabe & Ito (2008), "Color Universal Design": eight colours that colour-blind readers can
#: tell apart. The book uses no other hues; greys only for "no data" and background.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: The blocs keep these colours in every chart. Purple for events of both sides, as the mix
#: of the Eastern red and the Western blue.
BLOC_COLOURS = {
    "east": OKABE_ITO["vermillion"],
    "west": OKABE_ITO["blue"],
    "neutral": OKABE_ITO["bluish green"],
    "both": OKABE_ITO["reddish purple"],
}
BLOC_LABELS = {"east": "East", "west": "West", "neutral": "Neutral", "both": "Both sides"}
BLOCS = tuple(BLOC_COLOURS)

#: Meanings that are not blocs take the remaining Okabe-Ito colours, so that red and blue
#: never mean anything but East and West.
ATTENDANCE_STYLE = {
    "participant": {"facecolor": OKABE_ITO["black"], "hatch": None, "label": "took part"},
    "observer": {"facecolor": OKABE_ITO["sky blue"], "hatch": "....", "label": "observer"},
    "declined": {"facecolor": OKABE_ITO["orange"], "hatch": "////", "label": "declined"},
    "absent": {"facecolor": "white", "hatch": None, "label": "absent"},
}

VERDICT_STYLE = {
    "borne out": {"symbol": "\u2713", "colour": OKABE_ITO["black"]},
    "contradicted": {"symbol": "\u2717", "colour": OKABE_ITO["orange"]},
    "undecided": {"symbol": "?", "colour": "#666666"},
    "circular": {"symbol": "\u21bb", "colour": "#666666"},
}

#: Marker shape per event kind: the second channel beside colour. Context events are drawn
#: hollow and faint, since the argument does not rest on them.
KIND_MARKERS = {
    "proposal": "o",
    "response": "D",
    "declaration": "^",
    "statement": "v",
    "conference": "s",
    "treaty": "P",
    "ratification": "h",
    "context": "o",
}
KIND_ORDER = tuple(KIND_MARKERS)

#: Agenda stances: marker plus the word itself in every cell.
STANCE_MARKERS = {"proposes": ">", "accepts": "o", "resists": "X", "silent": "o"}

#: Imprecise dates (known to the month or year) are hatched spans, never points.
IMPRECISE_HATCH = "////"

#: Greys for things that carry no meaning of their own.
GREY_LIGHT = "#EEEEEE"
GREY_MID = "#BBBBBB"
GREY_DARK = "#666666"

#: The page: Jupyter Book's text column is about 750 px wide; the PDF text width about 6.5 in.
#: A 7.5 in figure at 100 dpi fills the HTML column; it shrinks by 13 % into the PDF, which
#: the 9 pt base size survives (about 8 pt on paper).
FIGURE_WIDTH = 7.5
FIGURE_DPI = 150
BASE_SIZE = 9.0
SMALL_SIZE = 8.0

#: matplotlib settings of the book. Reproducibility: a fixed SVG hash salt (element ids
#: otherwise come from a random uuid), text drawn as paths in SVG (no dependence on the
#: reader's fonts) and TrueType embedded in PDF. Dates in file metadata cannot be switched
#: off through rcParams: :func:`save` passes the metadata that does it.
BOOK_RC = {
    "font.family": "sans-serif",
    # DejaVu Sans ships with matplotlib, so every machine draws the same glyphs, and it has
    # Cyrillic and the Latin diacritics of the actors' names (Władysław Gomułka, Österreich).
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": BASE_SIZE,
    "axes.titlesize": BASE_SIZE + 1,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": BASE_SIZE,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.labelsize": SMALL_SIZE + 0.5,
    "ytick.labelsize": SMALL_SIZE + 0.5,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": SMALL_SIZE,
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

    The book's figures live outside pyplot, so that a notebook never shows one twice (once
    glued, once by the inline backend) and many can be made without leaking memory. Jupyter
    and MyST-NB's ``glue`` then need the figure to say how it looks: as a PNG at the book's
    resolution, written by :func:`save` (so without dates). No width is attached: MyST-NB would
    copy it into the page, and a fixed width overflows the PDF's text column, while without one
    HTML scales the image to the column and LaTeX to the line width.
    """

    def _repr_png_(self) -> bytes:
        import io

        buffer = io.BytesIO()
        save(self, buffer, format="png")
        return buffer.getvalue()


def new_figure(height: float, width: float = FIGURE_WIDTH, *, layout: str | None = "constrained") -> BookFigure:
    """A book figure of the given size in inches, outside pyplot.

    ``layout='constrained'`` lets matplotlib place the axes; ``None`` is for charts that place
    them by hand in inches. Call inside :func:`use_book_style`.
    """
    fig = BookFigure(figsize=(width, height), dpi=FIGURE_DPI)
    if layout:
        fig.set_layout_engine(layout)
    return fig


def save(fig: Figure, path, **kwargs):
    """Write a figure so that two builds of the same data give byte-identical files.

    PNG, SVG and PDF carry no date and no software version, and SVG element ids come from a
    fixed salt. ``savefig.metadata`` cannot be set in rcParams, hence this helper: use it
    rather than ``fig.savefig``. The format follows the file's extension, or ``format=`` for a
    file-like object. Returns ``path``.
    """
    fmt = kwargs.pop("format", None)
    if fmt is None:
        fmt = Path(path).suffix.lstrip(".").lower()
    metadata = dict(_STABLE_METADATA.get(fmt, {}))
    metadata.update(kwargs.pop("metadata", {}) or {})
    with use_book_style():
        fig.savefig(path, format=fmt, metadata=metadata, **kwargs)
    return path


def simulate_colour_blindness(hex_colour: str, kind: str = "deuteranopia") -> tuple[float, float, float]:
    """An sRGB colour as a reader with a full red-green or blue-yellow deficiency sees it.

    Machado, Oliveira & Fernandes (2009), severity 1, applied in linear RGB. Used by the tests
    to show that the bloc colours stay apart.
    """
    matrices = {
        "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
        "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
        "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
    }
    rgb = mpl.colors.to_rgb(hex_colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear)))) for row in matrices[kind]]
    return tuple(12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in seen)


def colour_difference(a, b) -> float:
    """CIE76 colour difference (Delta E) of two sRGB colours: about 2 is just noticeable, 10 plain."""

    def lab(rgb):
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mpl.colors.to_rgb(rgb)]
        x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
        y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
        f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5
