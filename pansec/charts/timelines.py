"""When did each side act? The chronology on a time axis, one lane per bloc.

An event known to the day is a dot; a multi-day event a short bar; an event known only to the
month or the year a light hatched bar over every day it may mean, so it shows its uncertainty
without looking more important than a dot. The events the text discusses are named beside their
mark, and the marks and names of a lane are stacked so that none covers another. The densest
stretch of a long chronology is drawn again, enlarged, below it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from pansec import style
from pansec.charts import base
from pansec.charts.base import DAY, LINE, PAD
from pansec.charts.lanes import Lane

#: Kinds whose events are named on a timeline by default, when the paper discusses them.
KEY_KINDS = ("proposal", "treaty", "declaration", "conference", "response")
#: A stacked row of a lane, in inches; a dot's diameter in points.
ROW = LINE + 0.04
DOT = 6.5
#: Names wrap within this width (inches); a name that needs more rows than this is left off.
LABEL_WIDTH = 2.3
MAX_LABEL_ROW = 6
#: A page has room for a few dozen names at most; by default the most important this many are tried.
MAX_DEFAULT_NAMES = 60
#: However crowded, a lane stacks at most this many rows; beyond them, marks may touch.
MAX_ROWS = 8


def key_events(events: pd.DataFrame) -> list[str]:
    """The events a timeline names by default, most important first: the proposals, then the
    treaties, declarations, conferences and answers that the paper itself discusses."""
    # The kinds ranked once each, not once per event: a column of a few kinds repeats itself.
    kinds, provenance = (events[name].to_numpy(dtype=object) for name in ("kind", "provenance"))
    ranks = dict(zip(KEY_KINDS, range(len(KEY_KINDS))))
    codes, distinct = pd.factorize(kinds)
    rank_of_code = np.array([ranks.get(kind, -1) for kind in distinct.tolist()] + [-1], dtype=np.int64)
    rank = rank_of_code[codes]  # an empty kind's code, -1, takes the appended -1
    chosen = (rank >= 0) & (provenance == "paper")
    rank = rank[chosen]
    order = np.lexsort((events["start"].to_numpy()[chosen], rank))  # by rank, then by date
    return events["id"].to_numpy(dtype=object)[chosen][order].tolist()


def named_events(fig: Figure) -> list[str]:
    """The events a timeline names beside their marks, each once: the ones its chapter refers to,
    which its evidence table lists (through ``Chronology.drawn``) in its own date order."""
    marks = fig.pansec_marks
    return list(dict.fromkeys(marks.loc[marks["named"], "id"]))


def select(events: pd.DataFrame, kinds=None, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """The events of these kinds that touch the window from ``start`` to ``end``, in date order."""
    base.require(events, ["id", "kind", "bloc", "precision", "start", "end", "date", "title", "provenance"], "events")
    shown = events
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = sorted(set(kinds) - set(events["kind"].to_numpy(dtype=object)))
        if unknown:
            raise ValueError(f"no event of the kind(s) {', '.join(unknown)}; "
                             f"the kinds in the data: {', '.join(sorted(events['kind'].unique()))}")
        shown = shown[shown["kind"].isin(kinds)]
    first, last = base.window(start, end)
    if first is not None:
        shown = shown[shown["end"] >= first]
    if last is not None:
        shown = shown[shown["start"] <= last]
    if in_date_order(shown):  # as the loader leaves them, so sorting would change nothing
        return shown
    # numpy's lexsort on fixed-width text: pandas sorting by a text column costs three times as much
    return shown.iloc[np.lexsort((shown["id"].to_numpy(dtype="U"), shown["start"].to_numpy()))]


def in_date_order(events: pd.DataFrame) -> bool:
    """Whether the events are already by start, then id, which sorting keeps as they are (it is
    stable): found without sorting, the ids compared only where two events start together."""
    starts = events["start"].to_numpy()
    if len(starts) < 2 or not (starts[1:] >= starts[:-1]).all():
        return len(starts) < 2
    if not pd.api.types.is_string_dtype(events["id"]):
        return False  # ids that are not all text: lexsort compares them as text, Python would not
    ties = np.flatnonzero(starts[1:] == starts[:-1])
    ids = events["id"].to_numpy(dtype=object)
    try:
        return bool((ids[ties] <= ids[ties + 1]).all())
    except TypeError:  # a missing id among events of one day, which only lexsort can place
        return False


def densest_stretch(shown: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp):
    """The densest 18 months of a long chronology, snapped to months, or None when every event
    can be read on one axis."""
    if (last - first).days < 8 * 365 or len(shown) < 12:
        return None
    # Columns as arrays: filtering the whole frame would copy every column of text.
    start, end = shown["start"].to_numpy(), shown["end"].to_numpy()
    precise = end - start < np.timedelta64(180, "D")
    starts = np.sort(start[precise])
    if len(starts) == 0:
        return None
    horizon = np.timedelta64(548, "D")
    counts = np.searchsorted(starts, starts + horizon, side="right") - np.arange(len(starts))
    best = int(np.argmax(counts))
    if counts[best] < max(8, 0.25 * len(shown)):
        return None
    inside = precise & (start >= starts[best]) & (start <= starts[best] + horizon)
    return (pd.Timestamp(start[inside].min()).to_period("M").start_time,
            pd.Timestamp(end[inside].max()).to_period("M").end_time.normalize())


def layout(frame: pd.DataFrame, x0: pd.Timestamp, x1: pd.Timestamp, plot_w: float, named: list[str],
           labelled: np.ndarray, collapse: tuple[pd.Timestamp, pd.Timestamp] | None = None):
    """Where each event's mark and name go: lane, row, extent in date numbers, name lines and side.

    Named events are placed first, in the order of ``named`` (most important first), so that a
    name left off for want of room is one of the least important; ``labelled`` says which rows
    hold one of those ids. Events inside ``collapse`` (the stretch enlarged in another panel)
    share the lane's first row rather than stacking up.
    """
    inch = (mdates.date2num(x1) - mdates.date2num(x0)) / plot_w
    origin = mdates.date2num(x0)
    dot = DOT / style.POINTS_PER_INCH
    first = mdates.date2num(frame["start"].to_numpy())
    after = mdates.date2num((frame["end"] + DAY).to_numpy())
    spans = (frame["precision"].to_numpy(dtype=object) != "day") | (frame["end"] > frame["start"]).to_numpy()
    lanes = {bloc: Lane() for bloc in style.BLOCS}
    if collapse is not None:
        a, b = ((mdates.date2num(t) - origin) / inch for t in (collapse[0], collapse[1] + DAY))
        for lane in lanes.values():
            lane.make_rows(0)
            lane.occupy(0, a, b)
        squashed = ((frame["start"] <= collapse[1]) & (frame["end"] >= collapse[0])).to_numpy()
    else:
        squashed = np.zeros(len(frame), dtype=bool)
    rank = {event_id: i for i, event_id in enumerate(named)}
    ids, titles = (frame[c].to_numpy(dtype=object) for c in ("id", "title"))
    bloc_of = frame["bloc"].to_numpy(dtype=object)
    # Each mark's extent in inches from the panel's left edge; a mark narrower than a dot is a dot.
    left, right = (first - origin) / inch, (after - origin) / inch
    centre = np.where(spans, (left + right) / 2, (first + 0.5 - origin) / inch)
    narrow = right - left < dot
    left, right = np.where(narrow, centre - dot / 2, left), np.where(narrow, centre + dot / 2, right)
    left, right = np.maximum(left, 0.0), np.minimum(right, plot_w)
    # Arrays, not lists of Python objects: a long chronology has a hundred thousand rows, and
    # names and sides only for the few events named.
    rows = np.zeros(len(frame), dtype=np.int64)
    label_x = np.full(len(frame), np.nan)
    sides = np.full(len(frame), None, dtype=object)
    name_lines = np.full(len(frame), None, dtype=object)
    named_here = sorted(np.flatnonzero(labelled & ~squashed).tolist(), key=lambda i: (rank[ids[i]], i))
    for i in named_here:
        lines, label, side = base.wrap(titles[i], LABEL_WIDTH), None, None
        width = base.widest(lines)
        mark_left, mark_right = float(left[i]), float(right[i])
        if mark_right + PAD + width <= plot_w:
            label, side = (mark_right + PAD, mark_right + PAD + width), "right"
        elif mark_left - PAD - width >= 0:
            label, side = (mark_left - PAD - width, mark_left - PAD), "left"
        row = None
        if label is not None:
            row = lanes[bloc_of[i]].place((mark_left, mark_right), label, len(lines), MAX_LABEL_ROW - len(lines) + 1)
        if row is None:
            row = lanes[bloc_of[i]].place_mark(mark_left, mark_right, MAX_ROWS - 1)
            rows[i] = MAX_ROWS - 1 if row is None else row
        else:
            rows[i], sides[i], name_lines[i] = row, side, lines
            label_x[i] = origin + (label[0] if side == "right" else label[1]) * inch
    rest = ~squashed
    rest[named_here] = False
    for bloc, lane in lanes.items():  # a lane's rows are its own: each lane is laid out alone
        members = np.flatnonzero(rest & (bloc_of == bloc))
        found = np.array(lane.place_marks(left[members], right[members], MAX_ROWS - 1), dtype=float)
        # However crowded, a lane stops growing at MAX_ROWS: the marks that found no row may touch.
        rows[members] = np.where(np.isnan(found), MAX_ROWS - 1, found)
    placed = pd.DataFrame({"row": rows, "left": origin + left * inch, "right": origin + right * inch,
                           "label_x": label_x, "side": pd.Series(sides, dtype=object, copy=False),
                           "lines": pd.Series(name_lines, dtype=object, copy=False), "point": ~spans})
    return placed.set_axis(frame.index), lanes


def span_corners(artist: PathPatch) -> np.ndarray:
    """The four corners of each span one artist draws, in the order of its record's ``index``."""
    return artist.get_path().vertices.reshape(-1, 5, 2)[:, :4]


def draw_panel(ax, frame: pd.DataFrame, placed: pd.DataFrame, lanes: dict, blocs: list[str], panel: str,
               labelled: np.ndarray) -> pd.DataFrame:
    """Lanes, marks and names of one panel; returns the record of which artist draws which event.
    ``labelled`` says which rows hold the id of an event the chart was asked to name."""
    tops, top = {}, 0
    for bloc in blocs:
        tops[bloc] = top
        top += lanes[bloc].height + 0.6
    ax.set_ylim(top - 0.3, -0.3)
    bloc_of = frame["bloc"].to_numpy(dtype=object)
    in_blocs = {bloc: bloc_of == bloc for bloc in blocs}
    lane_top = np.zeros(len(frame))
    for bloc, inside in in_blocs.items():
        lane_top[inside] = tops[bloc]
    y = lane_top + placed["row"].to_numpy(dtype=float)
    base.rules(ax, [tops[bloc] - 0.3 for bloc in blocs[1:]], colour=style.GREY_MID, linewidth=0.6, zorder=1)
    parts: list[tuple[np.ndarray, str, object, bool]] = []
    ids = frame["id"].to_numpy(dtype=object)
    lefts, rights = placed["left"].to_numpy(dtype=float), placed["right"].to_numpy(dtype=float)
    context = frame["kind"].to_numpy(dtype=object) == "context"
    imprecise = frame["precision"].to_numpy(dtype=object) != "day"
    points = placed["point"].to_numpy(dtype=bool)

    def record(members, shape, artist, hatched=False):
        parts.append((members, shape, artist, hatched))

    for bloc in blocs:
        colour = style.BLOC_COLOURS[bloc]
        in_bloc = in_blocs[bloc]
        for hollow in (False, True):
            members = np.flatnonzero(in_bloc & points & (context == hollow))
            if len(members):
                artist = Line2D((lefts[members] + rights[members]) / 2, y[members], linestyle="none", marker="o",
                                markersize=DOT, markerfacecolor="white" if hollow else colour, markeredgecolor=colour,
                                markeredgewidth=1.2, zorder=4, gid=f"{panel}:point:{bloc}:{'context' if hollow else 'key'}")
                ax.add_line(artist)
                record(members, "point", artist)
        for vague in (False, True):
            members = np.flatnonzero(in_bloc & ~points & (imprecise == vague))
            if not len(members):
                continue
            half = 0.12 if vague else 0.3
            a, b, top, bottom = lefts[members], rights[members], y[members] - half, y[members] + half
            polygons = np.stack([np.column_stack(corner) for corner in ((a, top), (b, top), (b, bottom), (a, bottom))], axis=1)
            # One path of many rectangles (span i is rectangle i of it, see span_corners): a collection
            # makes a Path object per rectangle, 0.45 s for 40,000, and hatches each on its own.
            artist = PathPatch(Path.make_compound_path_from_polys(polygons), facecolor="none" if vague else colour,
                               edgecolor=colour, linewidth=0.8, hatch=style.IMPRECISE_HATCH if vague else None,
                               zorder=3, gid=f"{panel}:span:{bloc}:{'vague' if vague else 'days'}")
            ax.add_artist(artist)  # not add_patch: the limits are set, and a patch would reset them
            record(members, "span", artist, hatched=vague)
    label_x, sides, name_lines = placed["label_x"].to_numpy(dtype=float), placed["side"].array, placed["lines"].array
    with_name = np.flatnonzero(~np.isnan(label_x))
    for i in with_name.tolist():
        for k, line in enumerate(name_lines[i]):
            ax.text(label_x[i], y[i] + k, line, ha="left" if sides[i] == "right" else "right", va="center",
                    fontsize=style.TEXT_SIZE, color=style.INK, zorder=5, gid=f"name:{panel}:{ids[i]}")
    # A mark counts as named when its id is one drawn with a name: looked for among the few rows
    # holding an id the chart was asked to name, not among all of them.
    named = set(ids[with_name].tolist())
    has_name = labelled.copy()
    has_name[labelled] = [event_id in named for event_id in ids[labelled].tolist()]
    # One frame for all the artists, not one per artist: pandas checks each column of text once.
    members = np.concatenate([part[0] for part in parts])
    counts = [len(part[0]) for part in parts]
    artists = np.empty(len(parts), dtype=object)
    artists[:] = [part[2] for part in parts]
    return pd.DataFrame({"id": ids[members], "shape": np.repeat(np.array([part[1] for part in parts], dtype=object), counts),
                         "hatched": np.repeat([part[3] for part in parts], counts), "left": lefts[members],
                         "right": rights[members], "y": y[members], "artist": np.repeat(artists, counts),
                         "index": np.concatenate([np.arange(count) for count in counts])}
                        ).assign(panel=panel, named=has_name[members])


def shade_periods(ax, periods: pd.DataFrame | None, x0: pd.Timestamp, x1: pd.Timestamp, plot_w: float) -> None:
    """Shade the periods of the argument and name them above the panel, by number where narrow."""
    if periods is None or len(periods) == 0:
        return
    span_days = (x1 - x0).days
    ordered = periods.assign(_first=[base.day_span(s)[0] for s in periods["start"]]).sort_values("_first")
    for i, period in enumerate(ordered.itertuples()):
        first = max(base.day_span(period.start)[0], x0)
        last = min(base.day_span(period.end)[1] + DAY, x1)
        if last <= first:
            continue
        a, b = mdates.date2num(first), mdates.date2num(last)
        ax.axvspan(a, b, facecolor=("#F4F4F4", "#E9E9E9")[i % 2], edgecolor="none", zorder=0)
        room = (last - first).days / span_days * plot_w - 0.08
        number = f"\u00a7{period.section}" if str(period.section)[:1].isdigit() else ""
        for text in (f"{number} {period.label}".strip(), number):
            if text and base.text_width(text) <= room:
                ax.text((a + b) / 2, 1.0, text, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                        fontsize=style.TEXT_SIZE, color=style.GREY_DARK, clip_on=False)
                break


@base.styled
def timeline(events: pd.DataFrame, periods: pd.DataFrame | None = None, *, kinds: Sequence[str] | None = None,
             start: str | None = None, end: str | None = None, labels: Sequence[str] | None = None,
             zoom: tuple[str, str] | bool | None = None, width: float = style.FIGURE_WIDTH) -> Figure:
    """When did each side act? The events in one lane per bloc, the periods of the argument shaded.

    ``labels`` are the ids of the events to name beside their mark (by default :func:`key_events`);
    a name that finds no room is left off and listed in ``fig.pansec_unnamed``. ``kinds``,
    ``start`` and ``end`` (ISO dates of any precision) filter what is drawn. ``zoom``: None draws
    the densest stretch of a long chronology again below, enlarged; False draws one panel; a pair
    of ISO dates chooses the stretch. ``fig.pansec_marks`` says which artist draws which event
    (one row per mark and panel: ``panel`` 'event' or 'zoom', ``id``, ``shape`` 'point' or 'span',
    ``hatched``, ``left``/``right`` in date numbers, ``y``, ``artist``, ``index``, ``named``).
    """
    shown = select(events, kinds, start, end).reset_index(drop=True)
    if shown.empty:
        raise ValueError("no event matches these filters, so there is nothing to draw")
    strays = sorted(set(shown["bloc"].to_numpy(dtype=object)) - set(style.BLOCS))
    if strays:
        raise ValueError(f"events of the bloc(s) {', '.join(strays)} have no lane; known: {', '.join(style.BLOCS)}")
    if labels is None:
        labels = key_events(shown)[:MAX_DEFAULT_NAMES]
    # Which rows hold an id to name, found in one pass over the ids; only a label not among the
    # events shown is looked for among all of them.
    wanted = set(labels)
    labelled = np.fromiter(map(wanted.__contains__, shown["id"].to_numpy(dtype=object).tolist()), dtype=bool,
                           count=len(shown))
    present = set(shown["id"].to_numpy(dtype=object)[labelled].tolist())
    if wanted - present:
        unknown = sorted(wanted - present - set(events["id"].to_numpy(dtype=object)))
        if unknown:
            raise KeyError(f"no event with id {', '.join(unknown)} to name")
    first, last = base.window(start, end)
    x0 = first if first is not None else pd.Timestamp(shown["start"].min().year, 1, 1)
    x1 = last + DAY if last is not None else pd.Timestamp(shown["end"].max().year + 1, 1, 1)
    if zoom is None:
        stretch = densest_stretch(shown, x0, x1)
    elif zoom is False:
        stretch = None
    else:
        stretch = (base.day_span(zoom[0])[0], base.day_span(zoom[1])[1])
    lane_names = {b: base.wrap(style.BLOC_LABELS[b], base.text_width("Neutral", weight="bold"), weight="bold")
                  for b in style.BLOCS}
    lane_w = max(base.widest(n, weight="bold") for n in lane_names.values()) + 2 * PAD
    plot_w = width - lane_w - 0.08
    panels = []
    inside = pd.Series(False, index=shown.index)
    if stretch is not None:
        inside = (shown["start"] <= stretch[1]) & (shown["end"] >= stretch[0])
    named = list(labels)
    panels.append(("event", shown, labelled, x0, x1, stretch))
    if stretch is not None:
        zoomed = inside.to_numpy()
        panels.append(("zoom", shown[zoomed].reset_index(drop=True), labelled[zoomed], stretch[0], stretch[1] + DAY, None))
    laid = []
    for panel, frame, rows_labelled, p0, p1, collapse in panels:
        placed, lanes = layout(frame, p0, p1, plot_w, named, rows_labelled, collapse)
        present_blocs = set(frame["bloc"].to_numpy(dtype=object))
        blocs = [b for b in style.BLOCS if b in present_blocs]
        rows = sum(lanes[b].height + 0.6 for b in blocs)
        laid.append((panel, frame, rows_labelled, p0, p1, placed, lanes, blocs, rows * ROW))
    header, axis, between = LINE + 0.08, LINE + 0.12, 0.3
    height = sum(header + h + axis for *_, h in laid) + between * (len(laid) - 1) + 0.05
    fig = base.new_figure(width, height)
    top, records, axes = header, [], []
    for panel, frame, rows_labelled, p0, p1, placed, lanes, blocs, panel_h in laid:
        ax = base.add_axes(fig, lane_w, top, plot_w, panel_h)
        axes.append(ax)
        ax.set_xlim(mdates.date2num(p0), mdates.date2num(p1))
        shade_periods(ax, periods, p0, p1, plot_w)
        records.append(draw_panel(ax, frame, placed, lanes, blocs, panel, rows_labelled))
        base.date_axis(ax, ticks=max(3, int(plot_w / 0.75)))
        ax.spines[["left", "top", "right"]].set_visible(False)
        ax.set_yticks([])
        y = 0.0
        for bloc in blocs:
            for k, line in enumerate(lane_names[bloc]):
                ax.text(-PAD / plot_w, y + k, line, transform=ax.get_yaxis_transform(), ha="right", va="center",
                        fontsize=style.TEXT_SIZE,
                        fontweight="bold", color=style.BLOC_COLOURS[bloc])
            y += lanes[bloc].height + 0.6
        top += panel_h + axis + between + header
    if stretch is not None:
        a, b = mdates.date2num(stretch[0]), mdates.date2num(stretch[1] + DAY)
        y0, y1 = axes[0].get_ylim()
        axes[0].add_patch(Rectangle((a, y1), b - a, y0 - y1, facecolor="none", edgecolor=style.INK, linewidth=0.9,
                                    linestyle=(0, (3, 2)), zorder=2, gid="zoom-window"))
        axes[1].set_title(f"Enlarged: {base.date_words(stretch[0].strftime('%Y-%m'))} to "
                          f"{base.date_words(stretch[1].strftime('%Y-%m'))}", fontsize=style.TEXT_SIZE,
                          fontweight="normal", loc="left", pad=LINE * 72 + 4, color=style.GREY_DARK, x=-lane_w / plot_w)
    fig.pansec_marks = pd.concat(records, ignore_index=True)
    named_anywhere = set(fig.pansec_marks.loc[fig.pansec_marks["named"], "id"])
    fig.pansec_unnamed = [e for e in named if e in present and e not in named_anywhere]
    return fig
