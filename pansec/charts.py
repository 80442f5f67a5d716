"""One function per chart of the essay: each takes data frames and returns a matplotlib Figure.

The functions never read files and never print; they draw what they are given, so a reader who
filters a frame or adds an event sees the change in the chart. Dates keep their precision: an
event known only to the month or the year is drawn as a hatched span over the days it may
occupy, never as a point on an invented day. Gaps between events are drawn as ranges for the
same reason. Styling comes from :mod:`pansec.style`.

Each figure is created outside pyplot (see :func:`pansec.style.BookFigure`), so a notebook shows
it once, where the chapter puts it::

    fig = charts.timeline(chron.events, chron.periods)
    glue("fig-timeline", fig, display=False)   # then {glue:figure} with :alt: and a caption

or simply ends a cell with ``fig``. Write files with :func:`pansec.style.save`, never
``fig.savefig``, so that two builds give the same bytes. Every chart is 7.5 in wide (the HTML
column at 100 px per inch; scaled to the PDF's line width), so text is the same size in all.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.patheffects as patheffects
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.font_manager import FontProperties
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.ticker import NullLocator

from pansec import style
from pansec.dates import span as iso_span
from pansec.style import (
    BLOC_COLOURS,
    BLOC_LABELS,
    BLOCS,
    FIGURE_WIDTH,
    GREY_DARK,
    GREY_MID,
    IMPRECISE_HATCH,
    KIND_MARKERS,
    KIND_ORDER,
)

__all__ = [
    "agendas",
    "claims",
    "conditions_matrix",
    "default_milestones",
    "delays",
    "key_events",
    "long_road",
    "participation",
    "participation_summary",
    "response_chain",
    "timeline",
]

DAY = pd.Timedelta(days=1)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
SECTION_NAMES = {"introduction": "Intro.", "conclusion": "Concl."}

#: Kinds a timeline numbers by default: the acts the argument is made of.
KEY_KINDS = ("proposal", "response", "declaration", "treaty", "conference")
#: Beyond this many key events a numbered key would outgrow the page: the timeline then numbers
#: none and says how to choose some.
MAX_DEFAULT_LABELS = 40

#: How the later event of a link stands to the earlier one, in words for labels.
RELATION_WORDS = {
    "answers": "answered by",
    "rejects": "rejected by",
    "counters": "countered by",
    "follows-up": "followed by",
    "implements": "carried out by",
    "enters-into-force": "in force",
    "fails": "failed",
}
TREATY_RELATIONS = ("enters-into-force", "fails")


def _styled(func):
    """Run a chart function inside the book's style, so every chart looks alike."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style.use_book_style():
            return func(*args, **kwargs)

    return wrapper


# ----------------------------------------------------------------------------- text helpers

_TEXT_TO_PATH = TextToPath()


@functools.lru_cache(maxsize=None)
def _advance(char: str, weight: str) -> float:
    """Advance width of one character at 100 pt, in points, measured between two fixed glyphs."""
    prop = FontProperties(family="DejaVu Sans", size=100, weight=weight)

    def width(text):
        return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)[0]

    return width(f"x{char}x") - width("xx")


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of a one-line text in inches, from the font's own advance widths (no renderer needed).

    Summing per-character advances ignores kerning, which in DejaVu Sans only ever narrows a
    line; 4 % is added for safety, as hinting at small sizes widens text a little.
    """
    return sum(_advance(c, weight) for c in str(text)) * size / 100 / 72 * 1.04


def _fit(text: str, width: float, size: float, weight: str = "normal") -> str:
    """Shorten a text at a word boundary, with an ellipsis, so that it fits a width in inches."""
    text = str(text)
    if _text_width(text, size, weight) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-") + "\u2026"
        if _text_width(candidate, size, weight) <= width:
            return candidate
    candidate = text
    while len(candidate) > 1 and _text_width(candidate + "\u2026", size, weight) > width:
        candidate = candidate[:-1]
    return candidate + "\u2026"


def _wrap(text: str, width: float, size: float, max_lines: int = 3, weight: str = "normal") -> list[str]:
    """Break a text into lines no wider than ``width`` inches; the last line is shortened if need be."""
    lines: list[str] = []
    current = ""
    words = str(text).split()
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if _text_width(trial, size, weight) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    lines.append(_fit(current, width, size, weight))
    return lines


def _wrap_with_suffix(text: str, suffix: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """Wrap a text and end it with a suffix (a date) that is never cut: the text gives way instead."""
    lines = _wrap(text, width, size, max_lines)
    if _text_width(lines[-1] + suffix, size) <= width:
        lines[-1] += suffix
    elif len(lines) < max_lines:
        lines.append(suffix.strip())
    else:
        lines[-1] = _fit(lines[-1], width - _text_width(suffix, size), size) + suffix
    return lines


def _halo(linewidth: float = 2.5):
    """A white outline that keeps a label legible over lines and shading."""
    return [patheffects.withStroke(linewidth=linewidth, foreground="white")]


# ----------------------------------------------------------------------------- dates and gaps


def _short_date(iso: str) -> str:
    """'1954-11-13' -> '13 Nov 1954', '1954-11' -> 'Nov 1954', '1954' -> '1954': never more precise."""
    parts = str(iso).split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"


def _window(start: str | None, end: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last day of a filter window given as ISO dates of any precision."""
    first = iso_span(str(start))[0] if start is not None else None
    last = iso_span(str(end))[1] if end is not None else None
    return first, last


def _amount(days: float) -> tuple[float, str]:
    """A positive number of days in the unit a reader would use: days, months or years."""
    if days < 60:
        return days, "day"
    if days < 730:
        return days / 30.4375, "month"
    return days / 365.25, "year"


def _say_amount(value: float, unit: str) -> str:
    if unit == "year":
        number = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        number = f"{value:.0f}"
    return f"{number} {unit}" + ("" if number == "1" else "s")


def _gap_text(min_days: float, max_days: float) -> str:
    """A gap for a chart label: 'same day', '16 days', '5–6 months', '7 days before to 23 days after'."""
    if pd.isna(min_days) or pd.isna(max_days):
        return "unknown"
    lo, hi = float(min_days), float(max_days)
    if lo == hi == 0:
        return "same day"
    if hi < 0:
        return _gap_text(-hi, -lo) + " before"
    if lo < 0:
        after = _say_amount(*_amount(hi)) + " after" if hi > 0 else "same day"
        return f"{_say_amount(*_amount(-lo))} before to {after}"
    if lo == hi:
        return _say_amount(*_amount(lo))
    if lo == 0:
        return f"same day to {_say_amount(*_amount(hi))}"
    (a, unit_a), (b, unit_b) = _amount(lo), _amount(hi)
    if unit_a != unit_b:
        return f"{_say_amount(a, unit_a)} to {_say_amount(b, unit_b)}"
    right = _say_amount(b, unit_b)
    left = f"{a:.1f}".rstrip("0").rstrip(".") if unit_a == "year" else f"{a:.0f}"
    if right.startswith(left + " "):
        return right
    return f"{left}\u2013{right}"


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}; pass the frame pansec builds")


# ----------------------------------------------------------------------------- marks


def _is_span(row) -> bool:
    """An event is a span when its date is imprecise or it lasts several days."""
    return row["precision"] != "day" or row["end"] > row["start"]


def _legend_handles(kinds: Iterable[str], *, spans: bool, imprecise: bool, context: bool) -> list:
    """Legend entries for the marks used: kinds by shape, then the conventions for dates."""
    handles = []
    for kind in KIND_ORDER:
        if kind not in kinds or kind == "context":
            continue
        handles.append(
            Line2D([], [], linestyle="none", marker=KIND_MARKERS[kind], markersize=6.5,
                   markerfacecolor=GREY_DARK, markeredgecolor=GREY_DARK, label=kind)
        )
    if context:
        handles.append(
            Line2D([], [], linestyle="none", marker=KIND_MARKERS["context"], markersize=6.5, alpha=0.6,
                   markerfacecolor="none", markeredgecolor=GREY_DARK, label="context (faint)")
        )
    if imprecise:
        handles.append(
            Patch(facecolor="white", edgecolor=GREY_DARK, hatch=IMPRECISE_HATCH,
                  label="date known to month or year")
        )
    if spans:
        handles.append(Patch(facecolor=GREY_MID, edgecolor=GREY_DARK, label="several days"))
    return handles


def _bloc_handles(blocs: Iterable[str]) -> list:
    """Legend entries for the bloc colours present, in the book's fixed order."""
    present = set(blocs)
    return [Patch(facecolor=BLOC_COLOURS[b], edgecolor="none", label=BLOC_LABELS[b]) for b in BLOCS if b in present]


def _draw_event(ax, row, y, *, left: float, right: float, gid: str, height: float = 0.55,
                marker_size: float = 6.5):
    """Draw one event as one artist: a marker for a known day, a bar for a span.

    ``left`` and ``right`` are matplotlib date numbers of the drawn extent (a span narrower than
    the marker is widened about its centre, never shrunk to a point).
    """
    colour = BLOC_COLOURS.get(row["bloc"], GREY_DARK)
    faint = row["kind"] == "context"
    alpha = 0.5 if faint else 1.0
    if _is_span(row):
        imprecise = row["precision"] != "day"
        patch = Rectangle(
            (left, y - height / 2), right - left, height,
            facecolor="white" if imprecise else colour, edgecolor=colour,
            hatch=IMPRECISE_HATCH if imprecise else None, linewidth=1.0,
            alpha=0.45 if faint else 1.0, gid=gid, zorder=3,
        )
        ax.add_patch(patch)
        # The kind still shows, as a small hollow glyph inside the bar.
        ax.plot([(left + right) / 2], [y], linestyle="none", marker=KIND_MARKERS[row["kind"]],
                markersize=marker_size * 0.62, markerfacecolor="white", markeredgecolor=colour,
                markeredgewidth=0.9, alpha=alpha, zorder=4, gid=f"glyph:{row['id']}")
        return patch
    (line,) = ax.plot(
        [mdates.date2num(row["start"] + DAY / 2)], [y], linestyle="none",
        marker=KIND_MARKERS[row["kind"]], markersize=marker_size,
        markerfacecolor="none" if faint else colour, markeredgecolor=colour,
        markeredgewidth=1.1 if faint else 0.6, alpha=alpha, gid=gid, zorder=4,
    )
    return line


# ----------------------------------------------------------------------------- timeline


def key_events(events: pd.DataFrame) -> list[str]:
    """The events a timeline numbers and lists by default: the proposals, answers, declarations,
    treaties and conferences that the paper itself discusses (not context, not added events)."""
    mask = events["kind"].isin(KEY_KINDS) & (events["provenance"] == "paper")
    return list(events.loc[mask, "id"])


def _filter_events(events, kinds, start, end) -> pd.DataFrame:
    _require(events, ["id", "kind", "bloc", "precision", "start", "end", "date", "title", "provenance"], "events")
    shown = events
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = sorted(set(kinds) - set(KIND_MARKERS))
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(KIND_MARKERS)}")
        shown = shown[shown["kind"].isin(kinds)]
    first, last = _window(start, end)
    if first is not None:
        shown = shown[shown["end"] >= first]
    if last is not None:
        shown = shown[shown["start"] <= last]
    return shown.sort_values(["start", "id"], kind="stable")


def _auto_zoom(shown: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp):
    """The densest stretch of about 18 months, if the chart is long and that stretch crowded.

    Returns (first day, last day) snapped to months, or None when every event can be read on
    one axis.
    """
    if (last - first).days < 8 * 365 or len(shown) < 12:
        return None
    precise = shown[(shown["end"] - shown["start"]).dt.days < 180]
    starts = precise["start"].sort_values().to_numpy()
    if len(starts) == 0:
        return None
    horizon = np.timedelta64(548, "D")
    counts = np.searchsorted(starts, starts + horizon, side="right") - np.arange(len(starts))
    best = int(np.argmax(counts))
    if counts[best] < max(8, 0.25 * len(shown)):
        return None
    inside = precise[(precise["start"] >= starts[best]) & (precise["start"] <= starts[best] + horizon)]
    lo = inside["start"].min().to_period("M").start_time
    hi = inside["end"].max().to_period("M").end_time.normalize()
    return lo, hi


def _span_mask(frame: pd.DataFrame) -> np.ndarray:
    """:func:`_is_span` for a whole frame at once."""
    return ((frame["precision"] != "day") | (frame["end"] > frame["start"])).to_numpy()


def _extents(frame: pd.DataFrame, min_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Left and right of each event's mark, as matplotlib date numbers.

    A span covers every day it may stand for; a known day is a marker about the day's middle.
    Neither is drawn narrower than ``min_days`` (the marker's width): a short span is widened
    about its centre, never shrunk to a point.
    """
    first = mdates.date2num(frame["start"].to_numpy())
    after = mdates.date2num((frame["end"] + DAY).to_numpy())
    span = _span_mask(frame)
    widen = ~span | (after - first < min_days)
    centre = np.where(span, (first + after) / 2, first + 0.5)
    left = np.where(widen, centre - min_days / 2, first)
    right = np.where(widen, centre + min_days / 2, after)
    return left, right


def _stack(frame, x0, days_per_inch, numbers, *, marker_in, gap_in, number_size, collapse=None, max_rows=8):
    """Give each event a sub-row in its lane so that no two marks or numbers overlap.

    Greedy interval packing in inches along the axis, in the frame's order (by start, then id,
    as :func:`_filter_events` leaves it). Events wholly inside ``collapse`` (the zoomed stretch,
    drawn enlarged elsewhere) share sub-row 0 and block it for the others. A lane grows to at
    most ``max_rows`` sub-rows; past that, marks overlap in the row that frees up first, so a
    chronology of hundreds of events still fits a page.
    Returns (sub-row, left date number, right date number), arrays in the frame's order.
    """
    left, right = _extents(frame, marker_in * days_per_inch)
    origin = mdates.date2num(x0)
    left_in = ((left - origin) / days_per_inch).tolist()
    right_in = ((right - origin) / days_per_inch).tolist()
    ids = frame["id"].to_numpy(dtype=object)
    for i in np.flatnonzero(frame["id"].isin(list(numbers)).to_numpy()):
        right_in[i] += 0.03 + _text_width(str(numbers[ids[i]]), number_size, "bold")
    blocs = pd.factorize(frame["bloc"])[0].tolist()
    row_ends: dict[int, list[float]] = {}
    if collapse is not None:
        collapsed = ((frame["start"] >= collapse[0]) & (frame["end"] <= collapse[1])).to_numpy()
        for bloc in np.unique(np.asarray(blocs)[collapsed]).tolist():
            row_ends[bloc] = [(collapse[1] + DAY - x0).days / days_per_inch]
        collapsed = collapsed.tolist()
    else:
        collapsed = [False] * len(blocs)
    # The packing is sequential by nature (each event sees the rows the earlier ones left), so it
    # runs on plain Python floats: a few microseconds an event.
    sub_rows = [0] * len(ids)
    for i, bloc in enumerate(blocs):
        if collapsed[i]:
            continue
        ends = row_ends.setdefault(bloc, [])
        start_in, end_in = left_in[i], right_in[i]
        for k, taken in enumerate(ends):
            if start_in >= taken + gap_in:
                ends[k] = end_in
                sub_rows[i] = k
                break
        else:
            if len(ends) < max_rows:
                ends.append(end_in)
                sub_rows[i] = len(ends) - 1
            else:
                k = min(range(len(ends)), key=ends.__getitem__)
                ends[k] = max(ends[k], end_in)
                sub_rows[i] = k
    return np.array(sub_rows, dtype=int), left, right


def _lane_layout(frame, sub_rows, blocs, sub_height):
    """y of each event (an array in the frame's order) and the extent of each lane, top to bottom,
    in inches, and the height of them all."""
    deepest = pd.Series(sub_rows + 1).groupby(frame["bloc"].to_numpy()).max()
    lanes, y = {}, 0.0
    pad = sub_height * 0.35
    for bloc in blocs:
        height = max(1, int(deepest.get(bloc, 1))) * sub_height + 2 * pad
        lanes[bloc] = (y, y + height)
        y += height
    tops = frame["bloc"].map({bloc: top for bloc, (top, _) in lanes.items()}).to_numpy(dtype=float)
    ys = tops + pad + (sub_rows + 0.5) * sub_height
    return ys, lanes, y


#: The order in which a lane's marks are drawn where they overlap (a crowded lane, the stretch the
#: zoom panel enlarges): faint context at the back, then several-day bars, then hatched spans.
_SPAN_STYLES = ((True, False), (True, True), (False, False), (False, True))  # (faint, imprecise)
_POINT_KINDS = ("context",) + tuple(kind for kind in KIND_ORDER if kind != "context")


def _draw_marks(ax, frame, ys, left, right, *, panel: str, height: float,
                marker_size: float = 6.5) -> pd.DataFrame:
    """Draw a panel's events in bulk: one artist per kind and bloc for known days, one per bloc
    and convention for spans. Each mark looks as :func:`_draw_event` draws it, but a chart of
    100,000 events then costs a few dozen artists, not 100,000.

    Artists carry the gid '<panel>:point:<kind>:<bloc>', '<panel>:span:<bloc>:<solid|hatched>'
    (':faint' for context) and, for the hollow kind glyph inside a span, '<panel>:glyph:...'.
    Returns the record of the marks: one row per event (see :func:`timeline`).
    """
    ids = frame["id"].to_numpy(dtype=object)
    # Groups are picked by integer codes: comparing strings a hundred times over is what would cost.
    blocs = pd.Categorical(frame["bloc"], categories=BLOCS).codes
    kinds = pd.Categorical(frame["kind"], categories=_POINT_KINDS).codes
    span = _span_mask(frame)
    imprecise = (frame["precision"] != "day").to_numpy()
    faint = (frame["kind"] == "context").to_numpy()
    first = mdates.date2num(frame["start"].to_numpy())
    records = []

    def record(members, shape, artist, hatch=None):
        records.append(pd.DataFrame({
            "panel": panel, "id": ids[members], "shape": shape, "hatched": hatch is not None,
            "left": left[members], "right": right[members], "y": ys[members], "artist": [artist] * len(members),
            "index": np.arange(len(members)), "hatch": [hatch] * len(members), "_order": members,
        }))

    for code, bloc in enumerate(BLOCS):
        colour = BLOC_COLOURS[bloc]
        for is_faint, is_imprecise in _SPAN_STYLES:
            members = np.flatnonzero((blocs == code) & span & (faint == is_faint) & (imprecise == is_imprecise))
            if not len(members):
                continue
            x0, y0 = left[members], ys[members] - height / 2
            x1, y1 = x0 + (right[members] - x0), y0 + height
            corners = np.stack([np.column_stack(c) for c in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))], axis=1)
            alpha = 0.45 if is_faint else 1.0
            name = f"{panel}:span:{bloc}:{'hatched' if is_imprecise else 'solid'}" + (":faint" if is_faint else "")
            hatch = None
            if is_imprecise:
                # Agg hatches each polygon of a collection on its own, at about half a millisecond
                # apiece; one compound path is hatched once. Face and hatch first, then the
                # outlines over them, as a hatched Rectangle draws itself. The hatch takes the
                # edge colour; the zero width keeps the edge itself to the outlines.
                hatch = PathPatch(Path.make_compound_path_from_polys(corners), facecolor="white", edgecolor=colour,
                                  linewidth=0, hatch=IMPRECISE_HATCH, alpha=alpha, snap=True, zorder=3,
                                  gid=name.replace(":span:", ":hatching:"))
                ax.add_artist(hatch)  # not add_patch: the limits are set, and measuring this path is slow
            outline = PolyCollection(corners, facecolors="none" if is_imprecise else colour, edgecolors=colour,
                                     linewidths=1.0, joinstyle="miter", alpha=alpha, zorder=3, gid=name)
            ax.add_collection(outline, autolim=False)
            record(members, "span", outline, hatch)
    # The kind still shows inside a span, as a small hollow glyph; the known days go on top.
    for role in ("glyph", "point"):
        for kind_code, kind in enumerate(_POINT_KINDS):
            for code, bloc in enumerate(BLOCS):
                members = np.flatnonzero((blocs == code) & (kinds == kind_code) & (span if role == "glyph" else ~span))
                if not len(members):
                    continue
                colour, context = BLOC_COLOURS[bloc], kind == "context"
                if role == "glyph":
                    xs = (left[members] + right[members]) / 2
                    look = dict(markersize=marker_size * 0.62, markerfacecolor="white", markeredgewidth=0.9)
                else:
                    xs = first[members] + 0.5
                    look = dict(markersize=marker_size, markerfacecolor="none" if context else colour,
                                markeredgewidth=1.1 if context else 0.6)
                line = Line2D(xs, ys[members], linestyle="none", marker=KIND_MARKERS[kind], markeredgecolor=colour,
                              alpha=0.5 if context else 1.0, zorder=4, gid=f"{panel}:{role}:{kind}:{bloc}", **look)
                ax.add_line(line)
                if role == "point":
                    record(members, "point", line)
    marks = pd.concat(records, ignore_index=True).sort_values("_order", kind="stable")
    return marks.drop(columns="_order").reset_index(drop=True)


def _shade_periods(ax, periods, x0, x1, plot_width):
    """Shade the periods of the argument and name them above the axes (section number if narrow)."""
    if periods is None or len(periods) == 0:
        return
    shades = ["#F3F3F3", "#E7E7E7"]
    ordered = periods.assign(_first=[iso_span(str(s))[0] for s in periods["start"]]).sort_values("_first")
    span_days = (x1 - x0).days
    for i, (_, period) in enumerate(ordered.iterrows()):
        first = max(iso_span(str(period["start"]))[0], x0)
        last = min(iso_span(str(period["end"]))[1] + DAY, x1)
        if last <= first:
            continue
        a, b = mdates.date2num(first), mdates.date2num(last)
        ax.axvspan(a, b, facecolor=shades[i % 2], edgecolor="none", zorder=0)
        ax.axvline(a, color="#CCCCCC", linewidth=0.6, zorder=0.5)
        room = (last - first).days / span_days * plot_width - 0.06
        section = str(period.get("section", ""))
        number = f"\u00a7{section}" if section[:1].isdigit() else SECTION_NAMES.get(section, "")
        full = f"{number} {period['label']}".strip()
        for text in (full, number):
            if text and _text_width(text, style.SMALL_SIZE) <= room:
                ax.text((a + b) / 2, 1.0, text, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                        fontsize=style.SMALL_SIZE, color="#444444", clip_on=False)
                break


def _date_axis(ax, x0, x1, plot_width):
    """Year ticks for long axes, month ticks for short ones, never crowded."""
    years = (x1 - x0).days / 365.25
    if years > 3:
        step = next(s for s in (1, 2, 5, 10, 20) if years / s <= plot_width / 0.55)
        ax.xaxis.set_major_locator(mdates.YearLocator(step))
        ax.xaxis.set_minor_locator(mdates.YearLocator(1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    elif years * 12 > 3:
        months = years * 12
        step = next(s for s in (1, 2, 3, 4, 6, 12) if months / s <= plot_width / 0.75)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
        ax.xaxis.set_minor_locator(mdates.MonthLocator())

        def label(value, _pos):
            day = mdates.num2date(value)
            return f"{MONTHS[day.month - 1]}\n{day.year}" if day.month == 1 or _pos == 0 else MONTHS[day.month - 1]

        ax.xaxis.set_major_formatter(label)
    else:
        days = (x1 - x0).days
        step = next(s for s in (1, 2, 7, 14, 28) if days / s <= plot_width / 0.75)
        if step >= 7:
            ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15] if step == 14 else [1, 8, 15, 22]
                                                         if step == 7 else [1]))
        else:
            ax.xaxis.set_major_locator(mdates.DayLocator(interval=step))
        ax.xaxis.set_minor_locator(mdates.DayLocator())

        def label(value, _pos):
            day = mdates.num2date(value)
            text = f"{day.day} {MONTHS[day.month - 1]}"
            return f"{text}\n{day.year}" if _pos == 0 or (day.month == 1 and day.day == 1) else text

        ax.xaxis.set_major_formatter(label)
    ax.tick_params(axis="x", which="minor", length=2)


@_styled
def timeline(
    events: pd.DataFrame,
    periods: pd.DataFrame | None = None,
    *,
    kinds: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    labels: Sequence[str] | None = None,
    zoom: tuple[str, str] | bool | None = None,
    width: float = FIGURE_WIDTH,
) -> Figure:
    """When did each side act? Proposals, answers, conferences and treaties in one lane per bloc.

    The periods of the argument are shaded and named. The densest stretch (1954-1955 in the
    essay's data) is drawn again, enlarged, below the whole span (``zoom``: None picks it from
    the data, False draws one panel, a pair of ISO dates chooses it). Numbered events, listed in
    a key under the chart, are ``labels`` (event ids; by default :func:`key_events`). ``kinds``,
    ``start`` and ``end`` (ISO dates of any precision) filter what is drawn.

    Marks are drawn in bulk (one artist per kind and bloc, or per bloc and date convention), so
    the figure says which mark is which event in ``fig.pansec_marks``: a DataFrame with one row
    per mark and panel: ``panel`` ('event' for the whole span, 'zoom' for the enlarged stretch),
    ``id``, ``shape`` ('point' for a known day, 'span' otherwise), ``hatched``, ``left`` and
    ``right`` (the drawn extent, matplotlib date numbers), ``y``, and the ``artist`` that draws
    it with the mark's ``index`` among that artist's points or polygons (``hatch``: the artist
    that hatches it, if any).
    """
    shown = _filter_events(events, kinds, start, end).reset_index(drop=True)
    if shown.empty:
        raise ValueError("no event matches these filters, so there is nothing to draw")
    for column, known in (("bloc", BLOCS), ("kind", KIND_ORDER)):
        strays = sorted(set(shown[column].unique()) - set(known))
        if strays:
            raise ValueError(f"events with the {column}(s) {', '.join(map(str, strays))} cannot be drawn; "
                             f"known: {', '.join(known)}")
    first, last = _window(start, end)
    data_first, data_last = shown["start"].min(), shown["end"].max()
    x0 = first if first is not None else pd.Timestamp(data_first.year, 1, 1)
    x1 = (last + DAY) if last is not None else pd.Timestamp(data_last.year + 1, 1, 1)
    if zoom is None:
        window = _auto_zoom(shown, x0, x1)
    elif zoom is False:
        window = None
    else:
        window = (iso_span(str(zoom[0]))[0], iso_span(str(zoom[1]))[1])
    crowded = None
    if labels is None:
        labels = key_events(shown)
        if len(labels) > MAX_DEFAULT_LABELS:
            crowded, labels = len(labels), []
    else:
        unknown = sorted(set(labels) - set(events["id"]))
        if unknown:
            raise KeyError(f"no event with id {', '.join(unknown)} to label")
    labelled = list(shown.loc[shown["id"].isin(list(labels)), "id"])
    numbers = {event_id: i + 1 for i, event_id in enumerate(labelled)}

    narrow = width < 5.5
    lane_label_width = 0.75
    plot_width = width - lane_label_width - 0.25
    marker_in, gap_in, number_size, sub_height = 0.085, 0.03, 7.0, 0.19

    if window is not None:
        inside = ((shown["start"] <= window[1]) & (shown["end"] >= window[0])).to_numpy()
    else:
        inside = np.zeros(len(shown), dtype=bool)
    inside_ids = set(shown.loc[inside, "id"])

    panels = []
    over_numbers = {k: v for k, v in numbers.items() if k not in inside_ids}
    days_over = (x1 - x0).days / plot_width
    blocs = [b for b in BLOCS if b in set(shown["bloc"].unique())]
    # However crowded, a panel's lanes share about five inches.
    max_rows = max(4, int(5.0 / sub_height / len(blocs)))
    sub_rows, left, right = _stack(shown, x0, days_over, over_numbers, marker_in=marker_in, gap_in=gap_in,
                                   number_size=number_size, collapse=window, max_rows=max_rows)
    ys, lanes, height = _lane_layout(shown, sub_rows, blocs, sub_height)
    panels.append(dict(frame=shown, x0=x0, x1=x1, left=left, right=right, ys=ys, lanes=lanes, height=height,
                       numbers=over_numbers, gid="event", blocs=blocs))
    if window is not None:
        z0, z1 = window[0], window[1] + DAY
        zframe = shown[inside].reset_index(drop=True)
        znumbers = {k: v for k, v in numbers.items() if k in inside_ids}
        zblocs = [b for b in BLOCS if b in set(zframe["bloc"].unique())]
        zsub_rows, zleft, zright = _stack(zframe, z0, (z1 - z0).days / plot_width, znumbers, marker_in=marker_in,
                                          gap_in=gap_in, number_size=number_size,
                                          max_rows=max(4, int(5.0 / sub_height / len(zblocs))))
        zys, zlanes, zheight = _lane_layout(zframe, zsub_rows, zblocs, sub_height)
        panels.append(dict(frame=zframe, x0=z0, x1=z1, left=zleft, right=zright, ys=zys, lanes=zlanes,
                           height=zheight, numbers=znumbers, gid="zoom", blocs=zblocs))

    # The key: number and title of each labelled event, in columns.
    key_size = style.SMALL_SIZE
    ncols = 1 if narrow else 2
    key_rows = math.ceil(len(numbers) / ncols) if numbers else (1 if crowded else 0)
    key_line = key_size * 1.45 / 72
    key_height = key_rows * key_line + (0.1 if key_rows else 0)

    kinds_used = set(shown["kind"])
    handles = _legend_handles(
        kinds_used,
        spans=bool(((shown["end"] > shown["start"]) & (shown["precision"] == "day")).any()),
        imprecise=bool((shown["precision"] != "day").any()),
        context="context" in kinds_used,
    )
    legend_cols = 3 if narrow else 5
    legend_height = math.ceil(len(handles) / legend_cols) * 0.19 + 0.1
    axis_extra = 0.62  # tick labels and period names per panel
    fig_height = sum(p["height"] + axis_extra for p in panels) + key_height + legend_height + 0.15
    fig = style.new_figure(fig_height, width)
    ratios = [p["height"] + 0.05 for p in panels] + ([key_height] if key_rows else [])
    grid = fig.add_gridspec(len(ratios), 1, height_ratios=ratios)

    axes, marks = [], []
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(grid[i])
        axes.append(ax)
        p0, p1 = panel["x0"], panel["x1"]
        ax.set_xlim(mdates.date2num(p0), mdates.date2num(p1))
        ax.set_ylim(panel["height"], 0)
        _shade_periods(ax, periods, p0, p1, plot_width)
        _date_axis(ax, p0, p1, plot_width)
        ax.spines[["left", "top", "right"]].set_visible(False)
        ticks, tick_labels = [], []
        for bloc in panel["blocs"]:
            top, bottom = panel["lanes"][bloc]
            ticks.append((top + bottom) / 2)
            tick_labels.append(BLOC_LABELS[bloc])
            if top > 0:
                ax.axhline(top, color="#999999", linewidth=0.6, zorder=1)
        ax.set_yticks(ticks, tick_labels)
        ax.tick_params(axis="y", length=0)
        for tick, bloc in zip(ax.get_yticklabels(), panel["blocs"]):
            tick.set_color(BLOC_COLOURS[bloc])
            tick.set_fontweight("bold")
        marks.append(_draw_marks(ax, panel["frame"], panel["ys"], panel["left"], panel["right"], panel=panel["gid"],
                                 height=sub_height * 0.78))
        numbered = panel["frame"]["id"].isin(list(panel["numbers"])).to_numpy()
        where = dict(zip(panel["frame"].loc[numbered, "id"], np.flatnonzero(numbered)))
        for event_id, number in panel["numbers"].items():
            visible_right = min(panel["right"][where[event_id]], mdates.date2num(p1))
            ax.annotate(str(number), (visible_right, panel["ys"][where[event_id]]), xytext=(1.5, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=number_size,
                        fontweight="bold", color="#222222", path_effects=_halo(2), zorder=6,
                        annotation_clip=False)
    if window is not None:
        over, zoomed = axes[0], axes[1]
        a, b = mdates.date2num(window[0]), mdates.date2num(window[1] + DAY)
        over.add_patch(Rectangle((a, 0), b - a, panels[0]["height"], facecolor="none", edgecolor="#222222",
                                 linewidth=0.9, linestyle=(0, (3, 2)), zorder=5, gid="zoom-window"))
        zoomed.set_title(
            f"{_short_date(window[0].strftime('%Y-%m'))} to {_short_date(window[1].strftime('%Y-%m'))}, "
            "enlarged (dashed box above)",
            fontsize=style.SMALL_SIZE, fontweight="normal", loc="right", pad=14, color="#444444",
        )
    if key_rows:
        key_ax = fig.add_subplot(grid[len(panels)])
        key_ax.set_axis_off()
        key_ax.set_xlim(0, plot_width)
        key_ax.set_ylim(key_rows, 0)
        # The key may use the page's whole width, the lane names' margin included.
        key_left = -(width - plot_width - 0.3)
        column_width = (plot_width - key_left) / ncols
        number_width = _text_width("00", key_size, "bold") + 0.06
        titles = shown.set_index("id")["title"]
        if crowded:
            key_ax.text(key_left, 0.5, f"{crowded} key events are too many to number here: pass labels=[...] "
                        "with the ids you want keyed.", ha="left", va="center", fontsize=key_size, color=GREY_DARK)
        for event_id, n in numbers.items():
            column, line = divmod(n - 1, key_rows)
            x = key_left + column * column_width
            key_ax.text(x + number_width - 0.06, line + 0.5, f"{n}", ha="right", va="center", fontsize=key_size,
                        fontweight="bold")
            key_ax.text(x + number_width, line + 0.5, _fit(titles[event_id], column_width - number_width - 0.12,
                                                           key_size), ha="left", va="center", fontsize=key_size)
    fig.legend(handles=handles, loc="outside lower center", ncols=legend_cols, columnspacing=1.2,
               handletextpad=0.4)
    fig.pansec_marks = pd.concat(marks, ignore_index=True)
    return fig


# ----------------------------------------------------------------------------- gap scales

#: Landmarks on a gap axis, most important first: when two would collide the later one goes.
_GAP_TICKS = [
    (0, "same\nday"),
    (365.25, "1\nyear"),
    (30.4375, "1\nmonth"),
    (7, "1\nweek"),
    (1, "1\nday"),
    (5 * 365.25, "5\nyears"),
    (-30.4375, "1 month\nbefore"),
    (-7, "1 week\nbefore"),
    (-365.25, "1 year\nbefore"),
    (-1, "1 day\nbefore"),
]


def _to_log_days(x):
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.log10(1 + np.abs(x))


def _from_log_days(y):
    y = np.asarray(y, dtype=float)
    return np.sign(y) * (10 ** np.abs(y) - 1)


def _gap_axis(ax, lo: float, hi: float, plot_width: float) -> None:
    """A day axis on which 'same day' and six years both have room: sign(x)·log10(1 + |x|).

    Unlike a plain log scale it has a place for 0 and for negative gaps (the second event came
    first). Landmark ticks a reader knows (a week, a month, a year) are kept while they fit.
    """
    ax.set_xscale("function", functions=(_to_log_days, _from_log_days))
    left = -0.6 if lo >= 0 else lo * 1.8
    right = max(hi, 1) * 1.8
    ax.set_xlim(left, right)
    span = float(_to_log_days(right) - _to_log_days(left))
    kept: list[tuple[float, str, float, float]] = []
    for value, label in _GAP_TICKS:
        if not left <= value <= right:
            continue
        centre = float(_to_log_days(value) - _to_log_days(left)) / span * plot_width
        half = max(_text_width(line, style.SMALL_SIZE) for line in label.split("\n")) / 2 + 0.07
        if all(abs(centre - c) >= half + h for _, _, c, h in kept):
            kept.append((value, label, centre, half))
    kept.sort()
    ax.set_xticks([v for v, *_ in kept], [t for _, t, *_ in kept])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.grid(axis="x", color="#E2E2E2", linewidth=0.7)
    ax.tick_params(axis="x", labelsize=style.SMALL_SIZE)


def _axes_fraction(ax, x: float) -> float:
    """Where a data x falls across the axes (0 left, 1 right), before any layout is done."""
    return float((ax.transScale + ax.transLimits).transform((x, 0))[0])


def _range_mark(ax, lo, hi, y, *, colour, marker, height=0.5, gid=None, hollow=False, zorder=3):
    """A gap as a point when exact, as a hatched bar over every possible value when not."""
    if lo == hi:
        (mark,) = ax.plot([lo], [y], linestyle="none", marker=marker, markersize=6.5,
                          markerfacecolor="white" if hollow else colour, markeredgecolor=colour,
                          markeredgewidth=1.0, zorder=zorder + 1, gid=gid)
        return mark
    mark = Rectangle((lo, y - height / 2), hi - lo, height, facecolor="white", edgecolor=colour,
                     hatch=None if hollow else IMPRECISE_HATCH, linewidth=1.0,
                     linestyle="--" if hollow else "-", zorder=zorder, gid=gid)
    ax.add_patch(mark)
    return mark


# ----------------------------------------------------------------------------- fixed layouts


def _fixed_figure(width: float, height: float) -> Figure:
    """A figure laid out by hand in inches: for table-like charts whose text columns must line up
    and whose labels are fitted to the exact room they have."""
    return style.new_figure(height, width, layout=None)


def _add_axes(fig: Figure, left: float, top: float, width: float, height: float):
    """An axes placed in inches from the figure's left and top edges."""
    fig_w, fig_h = fig.get_size_inches()
    return fig.add_axes((left / fig_w, 1 - (top + height) / fig_h, width / fig_w, height / fig_h))


def _legend_rows(handles, ncols: int) -> float:
    return math.ceil(len(handles) / ncols) * 0.2 + 0.05


def _compact_gap(min_days: float, max_days: float) -> str:
    """The gap for a narrow column: ranges across zero as '−4 to +26 days'."""
    lo, hi = float(min_days), float(max_days)
    if lo < 0 < hi and max(-lo, hi) < 60:
        return f"\u2212{-lo:.0f} to +{hi:.0f} days"
    return _gap_text(lo, hi)


# ----------------------------------------------------------------------------- delays


@_styled
def delays(exchange_delays: pd.DataFrame, events: pd.DataFrame | None = None, *,
           width: float = FIGURE_WIDTH) -> Figure:
    """How long did each answer take? For each link, the time from an event to the one that
    answered, countered or carried it out; below, each treaty from signature to entry into
    force or failure. Imprecise dates give ranges, drawn hatched; a log scale keeps 'same day'
    and six years on one axis. ``events`` (optional) colours each mark by the bloc of the later
    event and shapes it by its kind.
    """
    _require(exchange_delays, ["from", "to", "relation", "from_title", "to_title", "from_date", "to_date",
                               "min_days", "max_days"], "exchange_delays")
    if exchange_delays.empty:
        raise ValueError("no links to draw")
    frame = exchange_delays.copy()
    frame["_first"] = [iso_span(str(d))[0] for d in frame["from_date"]]
    frame["_second"] = [iso_span(str(d))[0] for d in frame["to_date"]]
    if events is not None:
        indexed = events.set_index("id")
        frame["_kind"] = frame["to"].map(indexed["kind"])
        frame["_bloc"] = frame["to"].map(indexed["bloc"])
    else:
        frame["_kind"] = None
        frame["_bloc"] = None
    frame = frame.sort_values(["_first", "from", "_second", "to"], kind="stable")
    treaties = frame[frame["relation"].isin(TREATY_RELATIONS)]
    answers = frame[~frame["relation"].isin(TREATY_RELATIONS)]
    groups = [(g, t) for g, t in [(answers, "Links between events: from an event to the one that followed it"),
                                  (treaties, "Treaties: from signature to entry into force or failure")] if len(g)]

    size = style.SMALL_SIZE
    row_h = 0.22
    gap_texts = [_compact_gap(a, b) for a, b in zip(frame["min_days"], frame["max_days"])]
    gap_w = max(_text_width(t, size, "bold") for t in gap_texts) + 0.12
    label_w = min(2.45, 0.33 * width)
    plot_w = width - label_w - gap_w - 0.15
    lo = float(frame["min_days"].min())
    hi = float(frame["max_days"].max())

    handles = []
    kinds_used = set(frame["_kind"].dropna())
    for kind in KIND_ORDER:
        if kind in kinds_used:
            handles.append(Line2D([], [], linestyle="none", marker=KIND_MARKERS[kind], markersize=6.5,
                                  markerfacecolor=GREY_DARK, markeredgecolor=GREY_DARK, label=kind))
    if (frame["relation"] == "fails").any():
        handles.append(Line2D([], [], linestyle="none", marker="X", markersize=6.5, markerfacecolor=GREY_DARK,
                              markeredgecolor=GREY_DARK, label="treaty failed"))
    if (frame["min_days"] != frame["max_days"]).any():
        handles.append(Patch(facecolor="white", edgecolor=GREY_DARK, hatch=IMPRECISE_HATCH,
                             label="range: a date is imprecise"))
    handles += _bloc_handles(frame["_bloc"].dropna())
    ncols = 5 if width >= 6 else 2
    title_h, axis_h, between = 0.28, 0.42, 0.08
    height = 0.05 + sum(title_h + len(g) * row_h + axis_h for g, _ in groups) + between * (len(groups) - 1)
    height += 0.25 + _legend_rows(handles, ncols) + (0.2 if events is not None else 0)
    fig = _fixed_figure(width, height)
    top = 0.05
    for i, (group, title) in enumerate(groups):
        ax = _add_axes(fig, label_w, top + title_h, plot_w, len(group) * row_h)
        top += title_h + len(group) * row_h + axis_h + between
        _gap_axis(ax, lo, hi, plot_w)
        ax.set_ylim(len(group) - 0.5, -0.5)
        ax.set_yticks([])
        ax.spines[["left", "top", "right"]].set_visible(False)
        ax.text((0.1 - label_w) / plot_w, 1, _fit(title, width - 0.2, style.BASE_SIZE, "bold"), transform=ax.transAxes,
                ha="left", va="bottom",
                fontsize=style.BASE_SIZE, fontweight="bold")
        previous = None
        for y, (_, link) in enumerate(group.iterrows()):
            colour = BLOC_COLOURS.get(link["_bloc"], GREY_DARK)
            ax.axhline(y, color="#F2F2F2", linewidth=0.8, zorder=0)
            repeat = link["from"] == previous
            previous = link["from"]
            name = "\u2033" if repeat else _fit(link["from_title"], label_w - 0.12, size)
            ax.annotate(name, (0, y), xycoords=("axes fraction", "data"), xytext=(-6, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=size, color=GREY_DARK if repeat else "#111111")
            marker = "X" if link["relation"] == "fails" else KIND_MARKERS.get(link["_kind"], "o")
            lo_d, hi_d = float(link["min_days"]), float(link["max_days"])
            _range_mark(ax, lo_d, hi_d, y, colour=colour, marker=marker, height=0.5,
                        gid=f"link:{link['from']}>{link['to']}")
            words = RELATION_WORDS.get(link["relation"], link["relation"])
            if link["relation"] == "enters-into-force":
                text = words
            elif link["relation"] == "fails":
                text = f"{words}: {link['to_title']}"
            else:
                text = f"{words} {link['to_title']}"
            left_f, right_f = _axes_fraction(ax, lo_d), _axes_fraction(ax, hi_d)
            small = size - 0.5
            if right_f <= 1 - left_f:
                room = (1 - right_f) * plot_w - 0.12
                ax.annotate(_fit(text, room, small), (hi_d, y), xytext=(6, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=small, color="#333333")
            else:
                room = left_f * plot_w - 0.12
                ax.annotate(_fit(text, room, small), (lo_d, y), xytext=(-6, 0), textcoords="offset points",
                            ha="right", va="center", fontsize=small, color="#333333")
            ax.annotate(_compact_gap(lo_d, hi_d), (1, y), xycoords=("axes fraction", "data"), xytext=(8, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=size, fontweight="bold")
        if i == len(groups) - 1:
            ax.set_xlabel("time from the first event to the second (log scale)", labelpad=3)
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols, columnspacing=1.2,
               handletextpad=0.4, title="The mark is the later event: its side by colour, its kind by shape"
               if events is not None else None, title_fontsize=size)
    return fig


# ----------------------------------------------------------------------------- conditions


@_styled
def conditions_matrix(proposal_conditions: pd.DataFrame, conditions: pd.DataFrame, events: pd.DataFrame, *,
                      width: float = FIGURE_WIDTH) -> Figure:
    """What did each Eastern proposal ask for, and what did it give up? Proposals in date order
    against the conditions attached to European security: a filled mark where the proposal
    contains a condition, a cross where the source says it was left out ('dropped' when an
    earlier proposal had it), nothing where the sources record nothing.
    """
    _require(proposal_conditions, ["proposal", "condition", "present"], "proposal_conditions")
    _require(conditions, ["id", "label"], "conditions")
    if proposal_conditions.empty or conditions.empty:
        raise ValueError("no proposal-condition pairs to draw")
    indexed = events.set_index("id")
    unknown = sorted(set(proposal_conditions["proposal"]) - set(indexed.index))
    if unknown:
        raise KeyError(f"no event with id {', '.join(unknown)} in events")
    proposals = sorted(set(proposal_conditions["proposal"]), key=lambda p: (indexed.loc[p, "start"], p))
    columns = list(conditions["id"])
    labels = dict(zip(conditions["id"], conditions["label"]))
    cell = {(r["proposal"], r["condition"]): r["present"] for _, r in proposal_conditions.iterrows()}

    size = style.SMALL_SIZE
    row_label_w = min(2.3, 0.32 * width)
    # Column labels stand upright, wrapped onto two lines when long, so that any number of
    # conditions fits the page without labels running past its edge.
    n = max(len(columns), 1)
    col_w = max(0.22, min(0.62, (width - row_label_w - 0.25) / n))
    # Cells too narrow for the word keep the cross alone; the legend says what it means.
    say_in_cell = _text_width("dropped", size - 1.5) + 0.06 <= col_w
    grid_w = col_w * len(columns)
    row_h = 0.42
    header = {c: "\n".join(_wrap(labels[c], 1.15, size, max_lines=2)) for c in columns}
    longest = max(max(_text_width(line, size) for line in header[c].split("\n")) for c in columns)
    header_h = longest + 0.2
    legend_h = 0.35 if width >= 6 else 0.7
    height = header_h + row_h * len(proposals) + legend_h + 0.15
    fig = _fixed_figure(width, height)
    left = row_label_w + 0.1
    ax = _add_axes(fig, left, header_h, grid_w, row_h * len(proposals))
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(proposals) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([header[c] for c in columns], rotation=90, ha="center", va="bottom",
                       fontsize=size, linespacing=1.05)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=4)
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    for y in range(len(proposals) + 1):
        ax.axhline(y - 0.5, color="#DDDDDD", linewidth=0.6, zorder=0)
    for x in range(len(columns) + 1):
        ax.axvline(x - 0.5, color="#EEEEEE", linewidth=0.6, zorder=0)

    seen_yes: set[str] = set()
    dropped_any = left_out_any = False
    for y, proposal in enumerate(proposals):
        row = indexed.loc[proposal]
        colour = BLOC_COLOURS.get(row["bloc"], GREY_DARK)
        lines = _wrap_with_suffix(row["title"], f" ({_short_date(row['date'])})", row_label_w - 0.1, size, 2)
        ax.annotate("\n".join(lines), (0, y), xycoords=("axes fraction", "data"), xytext=(-8, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=size, linespacing=1.1)
        for x, condition in enumerate(columns):
            present = cell.get((proposal, condition))
            gid = f"cell:{proposal}:{condition}"
            if present == "yes":
                ax.plot([x], [y], linestyle="none", marker="o", markersize=9, markerfacecolor=colour,
                        markeredgecolor=colour, gid=gid)
            elif present == "no":
                dropped = condition in seen_yes
                dropped_any |= dropped
                left_out_any |= not dropped
                ax.plot([x], [y - 0.1], linestyle="none", marker="X", markersize=8.5, markerfacecolor="black",
                        markeredgecolor="white", markeredgewidth=0.5, gid=gid)
                ax.text(x, y + 0.3, "dropped" if dropped else "left out", ha="center", va="center",
                        visible=say_in_cell,
                        fontsize=size - 1.5, color="#222222", gid=f"{'dropped' if dropped else 'left-out'}:{proposal}:{condition}")
            else:
                ax.plot([x], [y], linestyle="none", marker="o", markersize=2.5, markerfacecolor="#CCCCCC",
                        markeredgecolor="none", gid=gid)
        seen_yes |= {c for c in columns if cell.get((proposal, c)) == "yes"}
    handles = [
        Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor=BLOC_COLOURS["east"],
               markeredgecolor=BLOC_COLOURS["east"], label="contains the condition"),
        Line2D([], [], linestyle="none", marker="X", markersize=8, markerfacecolor="black",
               markeredgecolor="white", label="\n".join(_wrap(
                   "left out, as the sources say ('dropped' if an earlier proposal had it)",
                   width - 0.7 if width < 6 else 10, size, 3))),
        Line2D([], [], linestyle="none", marker="o", markersize=3, markerfacecolor="#CCCCCC",
               markeredgecolor="none", label="not recorded"),
    ]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.1 / width, 0.0), ncols=3 if width >= 6 else 1,
               columnspacing=1.2, handletextpad=0.3)
    return fig


# ----------------------------------------------------------------------------- participation

GROUP_LABELS = {
    "eastern-europe": "Eastern Europe",
    "western-europe": "Western Europe",
    "other-europe": "Rest of Europe",
    "extra-european": "Outside Europe",
}
ATTENDANCE_ORDER = ("participant", "observer", "declined", "absent")


def participation_summary(participation: pd.DataFrame) -> dict[str, int]:
    """States invited, and how many of them took part, observed, declined or stayed away.

    Counted from the ``count`` column, since one row may stand for several unnamed states.
    """
    invited = participation[participation["invited"] == "yes"]
    summary = {"invited": int(invited["count"].sum())}
    for attendance in ATTENDANCE_ORDER:
        summary[attendance] = int(invited.loc[invited["attendance"] == attendance, "count"].sum())
    summary["uninvited"] = int(participation.loc[participation["invited"] != "yes", "count"].sum())
    return summary


@_styled
def participation(participation: pd.DataFrame, *, width: float = FIGURE_WIDTH) -> Figure:
    """Who was asked to the conference, and who came? One square per invited state, grouped by
    region and filled by what the state did: took part, observed, declined or stayed away. A row
    that stands for several unnamed states has one square for each of them.
    """
    _require(participation, ["event", "participant", "label", "count", "group", "invited", "attendance"],
             "participation")
    if participation.empty:
        raise ValueError("no participation rows to draw")
    if participation["event"].nunique() > 1:
        raise ValueError("participation rows of more than one event: select one, e.g. "
                         "chron.participation.query(\"event == 'moscow-conference'\")")
    frame = participation.copy()
    frame["_group"] = pd.Categorical(frame["group"], list(GROUP_LABELS), ordered=True)
    frame = frame.reset_index(drop=True).reset_index().sort_values(["_group", "index"], kind="stable")
    summary = participation_summary(frame)

    size = style.SMALL_SIZE
    row_h, header_h = 0.22, 0.3
    groups = [g for g in GROUP_LABELS if g in set(frame["group"])]
    label_w = max(_text_width(str(t), size) for t in frame["label"]) + 0.3
    label_w = min(label_w, 0.4 * width)
    status_w = max(_text_width(style.ATTENDANCE_STYLE[a]["label"], size) for a in ATTENDANCE_ORDER) + 0.2
    most = int(frame["count"].max())
    square = min(0.2, (width - label_w - status_w - 0.3) / max(most, 1))
    body_h = len(frame) * row_h + len(groups) * header_h
    headline_h = 0.35 if width >= 6 else 0.55
    height = headline_h + body_h + 0.45
    fig = _fixed_figure(width, height)
    ax = _add_axes(fig, label_w, headline_h, width - label_w - 0.1, body_h)
    units_w = width - label_w - 0.1
    ax.set_xlim(0, units_w / square)
    ax.set_ylim(body_h / row_h, 0)
    ax.set_axis_off()

    y = 0.0
    for group in groups:
        members = frame[frame["group"] == group]
        n_states = int(members["count"].sum())
        y += header_h / row_h
        ax.text((0.1 - label_w) / square, y - 0.35, f"{GROUP_LABELS[group]} ({n_states} "
                f"state{'s' if n_states != 1 else ''})", ha="left", va="bottom", fontsize=size + 0.5,
                fontweight="bold")
        for _, member in members.iterrows():
            y += 1
            centre = y - 0.5
            look = style.ATTENDANCE_STYLE[member["attendance"]]
            name = _fit(member["label"], label_w - 0.2, size)
            ax.text(-0.25, centre, name, ha="right", va="center", fontsize=size)
            uninvited = member["invited"] != "yes"
            for k in range(int(member["count"])):
                ax.add_patch(Rectangle((k + 0.1, centre - 0.4), 0.8, 0.8, facecolor=look["facecolor"],
                                       edgecolor="#333333", hatch=look["hatch"], linewidth=0.7,
                                       linestyle="--" if uninvited else "-",
                                       gid=f"state:{member['participant']}:{k}"))
            words = look["label"] + (", not invited" if uninvited else "")
            ax.text(int(member["count"]) + 0.4, centre, words, ha="left", va="center", fontsize=size,
                    color="#333333")
    parts = [f"{summary[a]} {style.ATTENDANCE_STYLE[a]['label']}" for a in ATTENDANCE_ORDER if summary[a]]
    headline = f"{summary['invited']} states invited: " + ", ".join(parts)
    if summary["uninvited"]:
        headline += f"; {summary['uninvited']} more not among the invited"
    fig.text(0.1 / width, 1 - 0.08 / height, "\n".join(_wrap(headline, width - 0.2, style.BASE_SIZE, 2, "bold")),
             ha="left", va="top", fontsize=style.BASE_SIZE, fontweight="bold", gid="invited-total", linespacing=1.2)
    handles = [Patch(facecolor=style.ATTENDANCE_STYLE[a]["facecolor"], edgecolor="#333333",
                     hatch=style.ATTENDANCE_STYLE[a]["hatch"], label=style.ATTENDANCE_STYLE[a]["label"])
               for a in ATTENDANCE_ORDER if a in set(frame["attendance"])]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.1 / width, 0.0), ncols=len(handles),
               title="One square per state:", title_fontsize=size, alignment="left")
    return fig


# ----------------------------------------------------------------------------- agendas


@_styled
def agendas(agenda: pd.DataFrame, *, width: float = FIGURE_WIDTH) -> Figure:
    """Where did East and West stand on the conference's agenda? Topic by topic, each side's
    stance (proposes, accepts, resists, or silent where the sources record nothing) as a mark
    and a word, with the position in a few words.
    """
    _require(agenda, ["topic", "side", "stance", "position"], "agenda")
    if agenda.empty:
        raise ValueError("no agenda rows to draw")
    topics = list(dict.fromkeys(agenda["topic"]))
    sides = [s for s in ("east", "west") if s in set(agenda["side"])]
    cell = {(r["topic"], r["side"]): r for _, r in agenda.iterrows()}

    size = style.SMALL_SIZE
    topic_w = min(1.6, 0.22 * width)
    col_w = (width - topic_w - 0.2) / max(len(sides), 1)
    text_w = col_w - 0.45
    layout = []
    for topic in topics:
        lines = max(len(_wrap(cell[(topic, s)]["position"], text_w, size, 3)) if (topic, s) in cell else 1
                    for s in sides)
        topic_lines = len(_wrap(topic, topic_w - 0.15, size, 3, weight="bold"))
        layout.append(max(lines + 1, topic_lines) * size * 1.3 / 72 + 0.16)
    header_h = 0.3
    legend_h = 0.3
    body_h = sum(layout)
    fig = _fixed_figure(width, header_h + body_h + legend_h + 0.1)
    ax = _add_axes(fig, 0.1, header_h, width - 0.2, body_h)
    ax.set_xlim(0, width - 0.2)
    ax.set_ylim(body_h, 0)
    ax.set_axis_off()
    for i, side in enumerate(sides):
        x = topic_w + i * col_w
        ax.text(x + 0.05, -0.08, BLOC_LABELS[side], ha="left", va="bottom", fontsize=style.BASE_SIZE + 0.5,
                fontweight="bold", color=BLOC_COLOURS[side])
    top = 0.0
    line = size * 1.3 / 72
    for topic, h in zip(topics, layout):
        ax.axhline(top, color="#CCCCCC", linewidth=0.7)
        ax.text(0, top + 0.08, "\n".join(_wrap(topic, topic_w - 0.15, size, 3, weight="bold")), ha="left", va="top",
                fontsize=size, fontweight="bold", linespacing=1.3)
        for i, side in enumerate(sides):
            x = topic_w + i * col_w
            row = cell.get((topic, side))
            if row is None:
                continue
            silent = row["stance"] == "silent"
            colour = GREY_MID if silent else BLOC_COLOURS[side]
            ax.plot([x + 0.14], [top + 0.08 + line / 2], linestyle="none",
                    marker=style.STANCE_MARKERS[row["stance"]], markersize=7,
                    markerfacecolor="white" if silent else colour, markeredgecolor=colour,
                    markeredgewidth=1.0, gid=f"stance:{side}:{topic}")
            ax.text(x + 0.32, top + 0.08, row["stance"], ha="left", va="top", fontsize=size,
                    fontweight="bold", color=GREY_DARK if silent else "#111111")
            ax.text(x + 0.32, top + 0.08 + line, "\n".join(_wrap(row["position"], text_w, size, 3)), ha="left",
                    va="top", fontsize=size, linespacing=1.3, color=GREY_DARK if silent else "#222222",
                    style="italic" if silent else "normal")
        top += h
    ax.axhline(top, color="#CCCCCC", linewidth=0.7)
    handles = [Line2D([], [], linestyle="none", marker=style.STANCE_MARKERS[s], markersize=7,
                      markerfacecolor="white" if s == "silent" else GREY_DARK,
                      markeredgecolor=GREY_MID if s == "silent" else GREY_DARK, label=s)
               for s in style.STANCE_MARKERS if s in set(agenda["stance"])]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.1 / width, 0.0), ncols=len(handles),
               handletextpad=0.3, columnspacing=1.5)
    return fig


# ----------------------------------------------------------------------------- the long road

MILESTONE_KINDS = ("proposal", "declaration", "treaty")


def default_milestones(events: pd.DataFrame, *, since: str = "1954", bloc: str = "east",
                       kinds: Sequence[str] = MILESTONE_KINDS) -> list[str]:
    """The milestones :func:`long_road` draws unless told otherwise.

    The Eastern proposals, declarations and treaties that the paper discusses, from ``since``
    (the paper dates the initiative's origin to the Berlin conference of 1954), and the last
    event of the chronology that both sides made (the Helsinki Final Act in the essay's data).
    Pass your own list of event ids to :func:`long_road` to tell the story differently.
    """
    first = iso_span(str(since))[0]
    chosen = events[
        (events["bloc"] == bloc)
        & events["kind"].isin(list(kinds))
        & (events["provenance"] == "paper")
        & (events["start"] >= first)
    ]
    joint = events[(events["bloc"] == "both") & events["kind"].isin(["declaration", "treaty"])]
    ids = list(chosen.sort_values(["start", "id"])["id"])
    if len(joint):
        last = joint.sort_values(["start", "id"]).iloc[-1]
        if last["id"] not in ids and (not ids or last["start"] >= chosen["start"].min()):
            ids.append(last["id"])
    return ids


@_styled
def long_road(events: pd.DataFrame, milestones: Sequence[str] | None = None, *,
              width: float = FIGURE_WIDTH) -> Figure:
    """How long was the road from the first proposal to the Final Act? The milestones in date
    order, one per row, on a common time axis; between consecutive milestones the gap, computed
    from the dates (a range where a date is known only to the month or year).
    """
    from pansec.derive import gap_days

    if milestones is None:
        milestones = default_milestones(events)
    milestones = list(dict.fromkeys(milestones))
    indexed = events.drop_duplicates("id").set_index("id")
    unknown = [m for m in milestones if m not in indexed.index]
    if unknown:
        raise KeyError(f"no event with id {', '.join(unknown)} in events")
    if not milestones:
        raise ValueError("no milestones to draw")
    rows = indexed.loc[milestones].reset_index().sort_values(["start", "id"], kind="stable").reset_index(drop=True)

    size = style.SMALL_SIZE
    row_h = 0.33
    date_w = max(_text_width(_short_date(d), size) for d in rows["date"]) + 0.12
    label_w = min(3.0, 0.42 * width)
    plot_w = width - label_w - 0.25
    body_h = row_h * len(rows)
    summary_h = 0.3
    handles = _legend_handles(set(rows["kind"]), spans=bool(((rows["end"] > rows["start"]) &
                                                            (rows["precision"] == "day")).any()),
                              imprecise=bool((rows["precision"] != "day").any()), context="context" in set(rows["kind"]))
    handles += _bloc_handles(rows["bloc"])
    ncols = 5 if width >= 6 else 3
    height = summary_h + body_h + 0.45 + _legend_rows(handles, ncols) + 0.1
    fig = _fixed_figure(width, height)
    ax = _add_axes(fig, label_w, summary_h, plot_w, body_h)
    first_day, last_day = rows["start"].min(), rows["end"].max() + DAY
    pad = max((last_day - first_day) * 0.03, pd.Timedelta(days=10))
    x0, x1 = first_day - pad, last_day + pad
    ax.set_xlim(mdates.date2num(x0), mdates.date2num(x1))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)
    _date_axis(ax, x0, x1, plot_w)
    ax.grid(axis="x", which="major", color="#EEEEEE", linewidth=0.7)
    days_per_inch = (x1 - x0).days / plot_w
    min_days = 0.085 * days_per_inch
    for y, row in rows.iterrows():
        ax.annotate(_short_date(row["date"]), (0, y), xycoords=("axes fraction", "data"),
                    xytext=(-(label_w - 0.1) * 72, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=size, color=GREY_DARK)
        ax.annotate("\n".join(_wrap(row["title"], label_w - date_w - 0.2, size, 2)), (0, y),
                    xycoords=("axes fraction", "data"), xytext=(-(label_w - 0.1 - date_w) * 72, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=size, linespacing=1.05)
        left = mdates.date2num(row["start"])
        right = mdates.date2num(row["end"] + DAY)
        if right - left < min_days:
            centre = (left + right) / 2
            left, right = centre - min_days / 2, centre + min_days / 2
        _draw_event(ax, row, y, left=left, right=right, gid=f"milestone:{row['id']}", height=0.45)
        if y + 1 < len(rows):
            nxt = rows.iloc[y + 1]
            here = mdates.date2num(row["start"] + DAY / 2) if not _is_span(row) else (left + right) / 2
            there = mdates.date2num(nxt["start"] + DAY / 2) if not _is_span(nxt) else \
                mdates.date2num(nxt["start"]) + (mdates.date2num(nxt["end"] + DAY) - mdates.date2num(nxt["start"])) / 2
            ax.plot([here, here, there], [y + 0.22, y + 0.5, y + 0.5], color="#999999", linewidth=0.8, zorder=1)
            ax.plot([there, there], [y + 0.5, y + 0.78], color="#999999", linewidth=0.8, zorder=1)
            lo, hi = gap_days(row["date"], nxt["date"])
            text = _gap_text(lo, hi)
            fraction = (there - mdates.date2num(x0)) / (x1 - x0).days
            text_w = _text_width(text, size - 0.5, "bold")
            segment = abs(there - here) / days_per_inch
            look = dict(fontsize=size - 0.5, color="#222222", fontweight="bold", path_effects=_halo(2.5), zorder=5,
                        gid=f"gap:{row['id']}>{nxt['id']}", textcoords="offset points")
            if segment >= text_w + 0.15:
                # Long gaps: the figure sits on the middle of the horizontal stretch.
                ax.annotate(text, ((here + there) / 2, y + 0.5), xytext=(0, 1.5), ha="center", va="bottom", **look)
            elif fraction < 0.85:
                ax.annotate(text, (there, y + 0.5), xytext=(4, 0), ha="left", va="center", **look)
            else:
                ax.annotate(text, (there, y + 0.5), xytext=(-4, -1.5), ha="right", va="top", **look)
    first, last = rows.iloc[0], rows.iloc[-1]
    total = gap_days(first["date"], last["date"])
    fig.text(0.1 / width, 1 - 0.08 / height,
             f"{_short_date(first['date'])} to {_short_date(last['date'])}: {_gap_text(*total)}, "
             f"{len(rows)} milestones", ha="left", va="top", fontsize=style.BASE_SIZE, fontweight="bold")
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols, columnspacing=1.2,
               handletextpad=0.4)
    return fig


# ----------------------------------------------------------------------------- claims


def _section_mark(section: str) -> str:
    section = str(section)
    return f"\u00a7{section}" if section[:1].isdigit() else section.title()


@_styled
def claims(claim_checks: pd.DataFrame, *, width: float = FIGURE_WIDTH) -> Figure:
    """Do the paper's words about time fit its dates? For each phrase ('the following day',
    'approximately a fortnight after'), the span of days we read it to allow (grey band), the gap
    the data's dates give (black; hatched where a date is imprecise) and the gap by the paper's own
    dates where it gives them (hollow), with the verdict in words. A symmetric log scale shows
    'same day' and six years on one axis.
    """
    _require(claim_checks, ["phrase", "section", "min_days", "max_days", "gap_min", "gap_max", "verdict"],
             "claim_checks")
    if claim_checks.empty:
        raise ValueError("no claims to draw")
    frame = claim_checks.reset_index(drop=("id" in claim_checks.columns)).reset_index(drop=True)
    has_paper = "paper_gap_min" in frame.columns and frame["paper_gap_min"].notna().any()

    size = style.SMALL_SIZE
    line = size * 1.25 / 72
    label_w = min(2.5, 0.33 * width)
    phrases = [_wrap(f"\u201c{p}\u201d ({_section_mark(s)})", label_w - 0.22, size, 3, weight="bold")
               for p, s in zip(frame["phrase"], frame["section"])]
    pairs = [""] * len(frame)
    if "from_event" in frame.columns and "to_event" in frame.columns:
        pairs = [_fit(f"{a} \u2192 {b}", label_w - 0.22, size - 1.5) for a, b in zip(frame["from_event"], frame["to_event"])]
    heights = [max(0.42, (len(p) + bool(q)) * line + 0.12) for p, q in zip(phrases, pairs)]
    centres = np.cumsum(heights) - np.array(heights) / 2
    verdict_texts = [f"{style.VERDICT_STYLE.get(v, {}).get('symbol', '')} {v}" for v in frame["verdict"]]
    gap_texts = [_compact_gap(a, b) for a, b in zip(frame["gap_min"], frame["gap_max"])]
    right_w = max(max(_text_width(t, size, "bold") for t in verdict_texts),
                  max(_text_width(t, size - 0.5) for t in gap_texts)) + 0.2
    plot_w = width - label_w - right_w - 0.1
    lo = float(min(frame["min_days"].min(), frame["gap_min"].min()))
    hi = float(max(frame["max_days"].max(), frame["gap_max"].max()))
    if has_paper:
        lo = min(lo, float(frame["paper_gap_min"].min()))
        hi = max(hi, float(frame["paper_gap_max"].max()))
    handles = [
        Line2D([], [], color=GREY_MID, linewidth=8, alpha=0.7, solid_capstyle="butt", label="span the phrase allows"),
        Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor="black",
               markeredgecolor="black", label="gap by the data's dates"),
        Patch(facecolor="white", edgecolor="black", hatch=IMPRECISE_HATCH, label="range: a date is imprecise"),
    ]
    if has_paper:
        handles.append(Line2D([], [], linestyle="none", marker="D", markersize=5.5, markerfacecolor="white",
                              markeredgecolor=GREY_DARK, label="gap by the paper's own dates"))
    ncols = 2 if width < 6 else 4
    axis_h = 0.45
    body_h = float(sum(heights))
    height = 0.1 + body_h + axis_h + 0.25 + _legend_rows(handles, ncols) + 0.05
    fig = _fixed_figure(width, height)
    ax = _add_axes(fig, label_w, 0.1, plot_w, body_h)
    _gap_axis(ax, lo, hi, plot_w)
    ax.set_ylim(body_h, 0)
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.set_xlabel("days from the first event to the second (log scale; negative: the second came first)"
                  if width >= 6 else "days from first to second event (log scale)", labelpad=3)
    for i, row in frame.iterrows():
        y, h = float(centres[i]), heights[i]
        ax.axhline(y + h / 2, color="#EEEEEE", linewidth=0.7, zorder=0)
        block = len(phrases[i]) * line + (line * 0.9 if pairs[i] else 0)
        top = y - block / 2
        ax.annotate("\n".join(phrases[i]), (0, top), xycoords=("axes fraction", "data"), xytext=(-6, 0),
                    textcoords="offset points", ha="right", va="top", fontsize=size, fontweight="bold",
                    linespacing=1.1)
        if pairs[i]:
            ax.annotate(pairs[i], (0, y + block / 2), xycoords=("axes fraction", "data"), xytext=(-6, 0),
                        textcoords="offset points", ha="right", va="bottom", fontsize=size - 1.5, color=GREY_DARK)
        if row["min_days"] == row["max_days"]:
            ax.plot([row["min_days"]], [y], linestyle="none", marker="s", markersize=11, color=GREY_MID, alpha=0.7,
                    markeredgewidth=0, zorder=1, gid=f"allowed:{i}")
        else:
            ax.add_line(Line2D([row["min_days"], row["max_days"]], [y, y], color=GREY_MID, alpha=0.7, linewidth=11,
                               solid_capstyle="projecting", zorder=1, gid=f"allowed:{i}"))
        _range_mark(ax, float(row["gap_min"]), float(row["gap_max"]), y - 0.05, colour="black", marker="o",
                    height=0.1, gid=f"gap:{i}")
        if has_paper and pd.notna(row["paper_gap_min"]):
            _range_mark(ax, float(row["paper_gap_min"]), float(row["paper_gap_max"]), y + 0.08, colour=GREY_DARK,
                        marker="D", height=0.08, hollow=True, gid=f"paper-gap:{i}")
        ax.annotate(verdict_texts[i], (1, y), xycoords=("axes fraction", "data"), xytext=(8, 1),
                    textcoords="offset points", ha="left", va="bottom", fontsize=size, fontweight="bold",
                    color="#111111", gid=f"verdict:{i}")
        ax.annotate(gap_texts[i], (1, y), xycoords=("axes fraction", "data"), xytext=(8, -1),
                    textcoords="offset points", ha="left", va="top", fontsize=size - 0.5, color=GREY_DARK)
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols, columnspacing=1.2,
               handletextpad=0.4)
    return fig


# ----------------------------------------------------------------------------- response chain


def _chain(exchange_delays: pd.DataFrame, root: str) -> list[tuple[str, int, pd.Series | None]]:
    """The events that follow ``root`` through the links, depth first, each once.

    Returns (event id, depth, the link that led to it) in reading order. An event reached a
    second time (two paths meet) is listed again but not followed again, so cycles end.
    """
    order: list[tuple[str, int, pd.Series | None]] = [(root, 0, None)]
    expanded = {root}
    links = exchange_delays.assign(_first=[iso_span(str(d))[0] for d in exchange_delays["to_date"]])

    def follow(node: str, depth: int) -> None:
        nxt = links[links["from"] == node].sort_values(["_first", "to"], kind="stable")
        for _, link in nxt.iterrows():
            order.append((link["to"], depth + 1, link))
            if link["to"] not in expanded:
                expanded.add(link["to"])
                follow(link["to"], depth + 1)

    follow(root, 0)
    return order


@_styled
def response_chain(exchange_delays: pd.DataFrame, events: pd.DataFrame, proposal_id: str, *,
                   width: float = FIGURE_WIDTH) -> Figure:
    """What followed one proposal? The chain of answers, counters, implementations and
    follow-ups that the links lead to from ``proposal_id``, step by step, each on a time axis
    with its delay from the step before (a range where a date is imprecise).
    """
    _require(exchange_delays, ["from", "to", "relation", "to_date", "min_days", "max_days"], "exchange_delays")
    indexed = events.drop_duplicates("id").set_index("id")
    if proposal_id not in indexed.index:
        raise KeyError(f"no event with id {proposal_id!r} in events")
    chain = _chain(exchange_delays, proposal_id)
    missing = sorted({event_id for event_id, _, _ in chain} - set(indexed.index))
    if missing:
        raise KeyError(f"links lead to unknown event(s) {', '.join(missing)}")

    size = style.SMALL_SIZE
    row_h = 0.36
    label_w = min(3.1, 0.42 * width)
    plot_w = width - label_w - 0.25
    rows = [indexed.loc[event_id].copy() for event_id, _, _ in chain]
    starts = [r["start"] for r in rows]
    ends = [r["end"] for r in rows]
    first_day, last_day = min(starts), max(ends) + DAY
    pad = max((last_day - first_day) * 0.04, pd.Timedelta(days=3))
    x0, x1 = first_day - pad, last_day + pad
    handles = _legend_handles({r["kind"] for r in rows}, spans=any(_is_span(r) and r["precision"] == "day" for r in rows),
                              imprecise=any(r["precision"] != "day" for r in rows),
                              context=any(r["kind"] == "context" for r in rows))
    handles += _bloc_handles(r["bloc"] for r in rows)
    ncols = 5 if width >= 6 else 3
    body_h = row_h * len(rows)
    height = 0.1 + body_h + 0.5 + _legend_rows(handles, ncols) + 0.05
    fig = _fixed_figure(width, height)
    ax = _add_axes(fig, label_w, 0.1, plot_w, body_h)
    ax.set_xlim(mdates.date2num(x0), mdates.date2num(x1))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)
    days = (x1 - x0).days
    _date_axis(ax, x0, x1, plot_w)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.7)
    days_per_inch = days / plot_w
    min_days = 0.085 * days_per_inch
    where = {}
    for y, ((event_id, depth, link), row) in enumerate(zip(chain, rows)):
        row["id"] = event_id
        left = mdates.date2num(row["start"])
        right = mdates.date2num(row["end"] + DAY)
        if not _is_span(row):
            centre = mdates.date2num(row["start"] + DAY / 2)
            left, right = centre - min_days / 2, centre + min_days / 2
        elif right - left < min_days:
            centre = (left + right) / 2
            left, right = centre - min_days / 2, centre + min_days / 2
        _draw_event(ax, row, y, left=left, right=right, gid=f"chain:{y}:{event_id}", height=0.45)
        anchor = (left + right) / 2
        indent = 0.14 * min(depth, 4)
        if link is None:
            label = f"{_short_date(row['date'])}  {row['title']}"
            weight = "bold"
        else:
            verb = RELATION_WORDS.get(link["relation"], link["relation"])
            label = f"{_gap_text(link['min_days'], link['max_days'])} later, {verb}: {row['title']}"
            weight = "normal"
            parent_y, parent_x = where[link["from"]]
            ax.plot([parent_x, parent_x, anchor], [parent_y + 0.25, y, y], color="#AAAAAA", linewidth=0.8, zorder=1)
        where.setdefault(event_id, (y, anchor))
        lines = _wrap(label, label_w - 0.15 - indent, size, 2, weight=weight)
        ax.annotate("\n".join(lines), (0, y), xycoords=("axes fraction", "data"),
                    xytext=(-(label_w - 0.1 - indent) * 72, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=size, fontweight=weight, linespacing=1.05)
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols, columnspacing=1.2,
               handletextpad=0.4)
    return fig
