"""What every chart shares: figures laid out in inches, measured and wrapped text, and the axes
of dates and of gaps.

Labels are measured with matplotlib's own text layout (:class:`~matplotlib.textpath.TextToPath`),
so a label column is exactly as wide as its longest line and nothing is cut short: a name too
long for its room is wrapped onto another line, never truncated. Dates and gaps are said in the
words of :mod:`pansec.words`, so a chart and a sentence never differ ("the same day", "21 days").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FixedLocator, NullLocator

from pansec import style
from pansec.dates import span as iso_span

DAY = pd.Timedelta(days=1)
#: One line of chart text, in inches.
LINE = style.TEXT_SIZE * style.LINE_SPACING / style.POINTS_PER_INCH
#: Room between a mark and its label, in inches.
PAD = 0.05


def styled(chart):
    """Draw a chart inside the book's style, leaving the caller's matplotlib settings alone."""

    @functools.wraps(chart)
    def wrapper(*args, **kwargs):
        with style.use_book_style():
            return chart(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A book figure of this size in inches, whose axes the chart places itself."""
    return style.new_figure(height, width)


def add_axes(fig: Figure, left: float, top: float, width: float, height: float):
    """An axes placed in inches from the figure's left and top edges."""
    fig_w, fig_h = fig.get_size_inches()
    return fig.add_axes((left / fig_w, 1 - (top + height) / fig_h, width / fig_w, height / fig_h))


def rules(ax, at: Iterable[float], *, across: bool = True, colour: str = style.GREY_LIGHT,
          linewidth: float = 0.8, zorder: float = 0) -> LineCollection:
    """Rules right across the axes, one artist for all: horizontal at each y of ``at``, or with
    ``across=False`` vertical at each x. An ``axhline`` each would cost a few milliseconds a rule."""
    at = [float(v) for v in at]
    ends = [((0.0, v), (1.0, v)) if across else ((v, 0.0), (v, 1.0)) for v in at]
    lines = LineCollection(ends, colors=colour, linewidths=linewidth, zorder=zorder,
                           transform=ax.get_yaxis_transform() if across else ax.get_xaxis_transform())
    ax.add_collection(lines, autolim=False)
    return lines


def box(ax, left: float, right: float, y: float, half: float, **look) -> Rectangle:
    """A box from ``left`` to ``right`` in data units, ``half`` above and below ``y``; the axes'
    limits are the chart's own and stay as they are. A patch costs a tenth of ``fill_between``."""
    patch = Rectangle((left, y - half), right - left, 2 * half, **look)
    ax.add_artist(patch)
    return patch


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Refuse a frame without the columns a chart needs, naming them."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}")


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float = style.TEXT_SIZE, weight: str = "normal") -> float:
    """The width of one line of text in inches, as matplotlib lays it out in the book's font."""
    if not text:
        return 0.0
    font = FontProperties(family=style.BOOK_RC["font.sans-serif"], size=size, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return width / style.POINTS_PER_INCH


#: How far, in inches, a line's width estimated from its words may be from the width measured
#: (book font, 11 pt: found equal to 1e-15 over every title of the chronology); only a line this
#: close to the limit is measured.
WRAP_SLACK = 0.01


def wrap(text: str, width: float, size: float = style.TEXT_SIZE, weight: str = "normal") -> list[str]:
    """Words laid into lines no wider than ``width`` inches; a single word longer than that keeps
    a line of its own, so that nothing is ever cut.

    Each word is measured once (words repeat across labels) and a line's width is their sum with
    the spaces; only a line within :data:`WRAP_SLACK` of the limit is measured whole, which makes
    wrapping a chart's labels several times cheaper than measuring every candidate line.
    """
    space = text_width(" ", size, weight)
    lines: list[str] = []
    line_width = 0.0
    for word in str(text).split():
        word_width = text_width(word, size, weight)
        if lines:
            joined = line_width + space + word_width
            if joined <= width - WRAP_SLACK or (
                    joined <= width + WRAP_SLACK and text_width(f"{lines[-1]} {word}", size, weight) <= width):
                lines[-1] = f"{lines[-1]} {word}"
                line_width = joined
                continue
        lines.append(word)
        line_width = word_width
    return lines or [""]


def widest(lines: Iterable[str], size: float = style.TEXT_SIZE, weight: str = "normal") -> float:
    """The width of the widest of these lines, in inches."""
    return max((text_width(line, size, weight) for line in lines), default=0.0)


def key_lines(entries: list[str], width: float) -> list[str]:
    """A key in words, entries side by side while they fit, wrapped onto further lines."""
    lines: list[str] = []
    for entry in entries:
        if lines and text_width(f"{lines[-1]}    {entry}") <= width:
            lines[-1] = f"{lines[-1]}    {entry}"
        else:
            lines += wrap(entry, width)
    return lines


def day_span(iso: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day a date of any precision may mean."""
    return iso_span(str(iso))


def window(start: str | None, end: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first day of ``start`` and the last of ``end`` (ISO dates of any precision), or None."""
    first = day_span(start)[0] if start else None
    last = day_span(end)[1] if end else None
    return first, last


def date_axis(ax, *, ticks: int = 6) -> None:
    """Dates along x with matplotlib's own locator and concise formatter: years on long spans,
    months and days on short ones, never more than ``ticks`` labels."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=ticks)
    # A tick on the very edge of the axis would put half its label outside the figure.
    left, right = ax.get_xlim()
    edge = 0.2 * (right - left) / (ax.get_position().width * ax.figure.get_figwidth())
    inside = [t for t in locator.tick_values(mdates.num2date(left), mdates.num2date(right))
              if left + edge <= t <= right - edge]
    ax.xaxis.set_major_locator(FixedLocator(inside))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.tick_params(axis="x", length=3, pad=2)


#: Gap ticks in days, labelled in words, most important first: one that would touch another is left out.
GAP_TICKS = ((0, "same\nday"), (365, "1\nyear"), (30, "1\nmonth"), (5 * 365, "5\nyears"), (7, "1\nweek"),
             (-30, "1 month\nbefore"))


def gap_axis(ax, lo: float, hi: float) -> None:
    """A gap in days along x on a symmetric log scale, so that 'the same day' and six years fit
    on one axis; negative gaps (the second event came first) lie left of 'same day'. Tick labels
    are measured where they fall, and one that would touch another or leave the page is left out."""
    ax.set_xscale("symlog", linthresh=1.0, linscale=0.6)
    left = min(-1.5, lo * 1.4) if lo < 0 else -0.6
    right = max(hi * 1.5, 40)
    ax.set_xlim(left, right)
    fig_w = ax.figure.get_figwidth()
    chosen: list[tuple[float, float, float, str]] = []
    for day, words in GAP_TICKS:
        if not left <= day <= right:
            continue
        x = ax.transData.transform((day, 0))[0] / ax.figure.dpi
        half = base_half = widest(words.split("\n")) / 2
        if x - half < 0.02 or x + half > fig_w - 0.02:
            continue
        if all(abs(x - other) >= half + other_half + 0.08 for other, other_half, _, _ in chosen):
            chosen.append((x, base_half, day, words))
    chosen.sort(key=lambda tick: tick[2])
    ax.xaxis.set_major_locator(FixedLocator([day for *_, day, _ in chosen]))
    ax.set_xticklabels([words for *_, words in chosen])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.tick_params(axis="x", length=3, pad=2)
    rules(ax, [day for *_, day, _ in chosen], across=False)
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.set_yticks([])


def gap_words(min_days: float, max_days: float) -> str:
    """A gap as the prose says it ('21 days', '13 to 43 days'), without the article of 'the same
    day' where a chart shows it beside others."""
    from pansec import words

    said = words.say_gap(min_days, max_days)
    return "same day" if said == "the same day" else said


def date_words(iso: str) -> str:
    """A date as the prose says it: '13 November 1954', 'October 1950', '1964'."""
    from pansec import words

    return words.say_date(iso)
