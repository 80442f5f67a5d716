"""The book's colours and what each means, without matplotlib, so that the book's build (the
Explore page's chronology) and the charts (:mod:`pansec.style`) share one palette.

Every colour means one thing throughout the book, and no meaning rests on colour alone: blocs
also differ by lane or label, verdicts by a symbol and a word, imprecise dates by hatching. The
palette is Okabe and Ito's, which stays distinguishable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

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

#: The blocs keep these colours in every chart, and nothing else takes them. Purple for events
#: of both sides, as the mix of the Eastern red and the Western blue.
BLOC_COLOURS = {
    "east": OKABE_ITO["vermillion"],
    "west": OKABE_ITO["blue"],
    "neutral": OKABE_ITO["bluish green"],
    "both": OKABE_ITO["reddish purple"],
}
BLOC_LABELS = {"east": "East", "west": "West", "neutral": "Neutral", "both": "Both sides"}
BLOCS = tuple(BLOC_COLOURS)

#: Where the bloc is not the point, marks are ink; greys carry no meaning of their own.
INK = "#222222"
GREY_LIGHT = "#EEEEEE"
GREY_MID = "#BBBBBB"
GREY_DARK = "#666666"

#: Orange means one thing: a verdict against the paper's words. Verdicts are also written out
#: with a symbol, so colour is never the only sign.
VERDICT_STYLE = {
    "borne out": {"symbol": "\u2713", "colour": INK},
    "contradicted": {"symbol": "\u2717", "colour": OKABE_ITO["orange"]},
    "undecided": {"symbol": "?", "colour": GREY_DARK},
    "circular": {"symbol": "\u21bb", "colour": GREY_DARK},
}

#: Attendance at a conference, in ink and greys (bloc colours would suggest sides): a full
#: square took part, a half-filled one observed, a crossed one declined, an empty one stayed away.
ATTENDANCE_STYLE = {
    "participant": {"facecolor": INK, "hatch": None, "label": "took part"},
    "observer": {"facecolor": GREY_MID, "hatch": None, "label": "observer"},
    "declined": {"facecolor": "white", "hatch": None, "label": "declined"},
    "absent": {"facecolor": "white", "hatch": None, "label": "absent"},
}

#: Imprecise dates (known to the month or year) are light hatched bars, never points.
IMPRECISE_HATCH = "////"
