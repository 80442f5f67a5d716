"""How long did it take? Delays between linked events, and the steps of a road through time.

A gap known to the day is a dot; a gap whose dates are known only to the month or the year is a
bar over every value it may take, so the chart never claims more precision than the data. Gaps
are said in the words of the prose ('21 days', '13 to 43 days').
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from pansec import style
from pansec.charts import base
from pansec.charts.base import DAY, LINE, PAD
from pansec.derive import downstream, gap_days

#: How a link reads from the later event's side: 'answered by', 'in force'.
RELATION_WORDS = {
    "answers": "answered by",
    "rejects": "rejected by",
    "counters": "countered by",
    "follows-up": "followed by",
    "implements": "carried out by",
    "enters-into-force": "in force",
    "fails": "failed:",
}
TREATY_RELATIONS = ("enters-into-force", "fails")
MILESTONE_KINDS = ("proposal", "declaration", "treaty")
DOT = 6.5


def gap_mark(ax, lo: float, hi: float, y: float, *, gid: str, colour: str = style.INK) -> None:
    """A gap at row ``y``: a dot when exact, a hatched bar over the possible values when not."""
    if lo == hi:
        ax.plot([lo], [y], linestyle="none", marker="o", markersize=DOT, color=colour, zorder=4, gid=gid)
    else:
        base.box(ax, lo, hi, y, 0.07, facecolor="white", edgecolor=colour, hatch=style.IMPRECISE_HATCH,
                 linewidth=0.8, zorder=3, gid=gid)


def link_label(link) -> str:
    """One link in words: 'Paris Agreements signed, countered by Soviet note ...'."""
    words = RELATION_WORDS.get(link["relation"], link["relation"])
    if link["relation"] == "enters-into-force":
        return f"{link['from_title']}: {words}"
    return f"{link['from_title']}, {words} {link['to_title']}"


@base.styled
def delays(exchange_delays: pd.DataFrame, events: pd.DataFrame | None = None, *,
           width: float = style.FIGURE_WIDTH) -> Figure:
    """How long did each answer take? Each link of the chronology, shortest first, as the time
    from an event to the one that answered, countered or carried it out; below, each treaty from
    signature to entry into force or failure. Each row is named above its mark, across the width
    of the page; a log scale keeps 'same day' and five years on one axis. ``events`` is accepted
    for symmetry with the other charts and not needed: the frame carries both titles.
    """
    base.require(exchange_delays, ["from", "to", "relation", "from_title", "to_title", "min_days", "max_days"],
                 "exchange_delays")
    if exchange_delays.empty:
        raise ValueError("no links to draw")
    frame = exchange_delays.assign(_mid=(exchange_delays["min_days"] + exchange_delays["max_days"]) / 2)
    frame = frame.sort_values(["_mid", "max_days", "from", "to"], kind="stable")
    treaty = frame["relation"].isin(TREATY_RELATIONS)
    groups = [(g, t) for g, t in ((frame[~treaty], "Answers: from an event to the one that followed it"),
                                  (frame[treaty], "Treaties: from signature to entry into force or failure")) if len(g)]
    words = [base.gap_words(a, b) for a, b in zip(frame["min_days"], frame["max_days"])]
    value_w = base.widest(words, weight="bold") + PAD
    plot_w = width - value_w - 0.15
    lo, hi = float(frame["min_days"].min()), float(frame["max_days"].max())
    laid = []
    for group, title in groups:
        names = [base.wrap(link_label(link), width - 0.1) for _, link in group.iterrows()]
        heights = [len(n) * LINE + 0.26 for n in names]
        laid.append((group, title, names, heights))
    axis_h = 2 * LINE + 0.1
    height = sum(LINE + 0.12 + sum(h) + axis_h + 0.2 for *_, h in laid) + 0.05
    height += sum(axis_h for *_, h in laid if sum(h) > 4)
    fig = base.new_figure(width, height)
    top = 0.05
    for group, title, names, heights in laid:
        fig.text(0.05 / width, 1 - top / height, title, ha="left", va="top", fontsize=style.HEADING_SIZE,
                 fontweight="bold", color=style.INK)
        top += LINE + 0.12
        body = sum(heights)
        if body > 4:
            top += axis_h
        ax = base.add_axes(fig, 0.05, top, plot_w, body)
        ax.set_ylim(body, 0)
        base.gap_axis(ax, lo, hi)
        if body > 4:
            # A tall list repeats its scale above, so a reader need not scroll to find it.
            ax.tick_params(axis="x", top=True, labeltop=True)
        y, rows_at = 0.0, []
        for (_, link), name, h in zip(group.iterrows(), names, heights):
            for k, line in enumerate(name):
                ax.text(0, y + (k + 0.5) * LINE, line, transform=ax.get_yaxis_transform(), ha="left", va="center",
                        fontsize=style.TEXT_SIZE, color=style.INK)
            mark_y = y + len(name) * LINE + 0.14
            a, b = float(link["min_days"]), float(link["max_days"])
            rows_at.append(mark_y)
            gap_mark(ax, a, b, mark_y, gid=f"link:{link['from']}>{link['to']}")
            ax.annotate(base.gap_words(a, b), (1, mark_y), xycoords=ax.get_yaxis_transform(), xytext=(4, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=style.TEXT_SIZE,
                        fontweight="bold", color=style.INK)
            y += h
        base.rules(ax, rows_at)
        top += body + axis_h + 0.2
    return fig


def default_milestones(events: pd.DataFrame, *, since: str = "1954", bloc: str = "east",
                       kinds: Sequence[str] = MILESTONE_KINDS) -> list[str]:
    """The milestones :func:`long_road` draws unless told otherwise: the Eastern proposals,
    declarations and treaties the paper discusses from ``since`` (the Berlin conference of 1954),
    and the last joint declaration or treaty (the Helsinki Final Act in the essay's data)."""
    first = base.day_span(since)[0]
    chosen = events[(events["bloc"] == bloc) & events["kind"].isin(list(kinds))
                    & (events["provenance"] == "paper") & (events["start"] >= first)]
    joint = events[(events["bloc"] == "both") & events["kind"].isin(["declaration", "treaty"])]
    ids = list(chosen.sort_values(["start", "id"])["id"])
    if len(joint):
        last = joint.sort_values(["start", "id"]).iloc[-1]
        if last["id"] not in ids and (not ids or last["start"] >= chosen["start"].min()):
            ids.append(last["id"])
    return ids


def steps(rows: pd.DataFrame, gaps: list[tuple[float, float] | None], parents: list[int | None], *,
          width: float, gid: str) -> Figure:
    """Events one per row, each named with its date on the left and marked on a time axis on the
    right, joined to the row it follows (``parents``: that row's position) with the gap said
    beside its mark."""
    plot_w = 2.2
    label_w = width - plot_w - 2 * PAD - 0.05
    names = []
    for i, row in rows.iterrows():
        names.append([base.date_words(row["date"])] + base.wrap(row["title"], label_w))
    heights = [len(n) * LINE + 0.12 for n in names]
    body = sum(heights)
    axis_h = LINE + 0.15
    fig = base.new_figure(width, body + axis_h + 0.1)
    ax = base.add_axes(fig, width - plot_w - 0.05, 0.05, plot_w, body)
    first_day, last_day = rows["start"].min(), rows["end"].max() + DAY
    pad = max((last_day - first_day) * 0.04, pd.Timedelta(days=5))
    x0, x1 = first_day - pad, last_day + pad
    ax.set_xlim(mdates.date2num(x0), mdates.date2num(x1))
    ax.set_ylim(body, 0)
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.set_yticks([])
    base.date_axis(ax, ticks=4)
    inch = (mdates.date2num(x1) - mdates.date2num(x0)) / plot_w
    y, drawn, joins = 0.0, [], []
    for (i, row), lines, h, gap, parent in zip(rows.iterrows(), names, heights, gaps, parents):
        for k, line in enumerate(lines):
            ax.text(-(label_w + PAD) / plot_w, y + (k + 0.5) * LINE, line, transform=ax.get_yaxis_transform(),
                    ha="left", va="center", fontsize=style.TEXT_SIZE,
                    color=style.GREY_DARK if k == 0 else style.INK)
        mark_y = y + 0.5 * LINE
        a, b = mdates.date2num(row["start"]), mdates.date2num(row["end"] + DAY)
        x = (a + b) / 2 if row["precision"] != "day" or row["end"] > row["start"] else a + 0.5
        if row["precision"] != "day":
            base.box(ax, a, max(b, a + 0.06 * inch), mark_y, 0.08, facecolor="white", edgecolor=style.INK,
                     hatch=style.IMPRECISE_HATCH, linewidth=0.8, zorder=3, gid=f"{gid}:{row['id']}")
        else:
            ax.plot([x], [mark_y], linestyle="none", marker="o", markersize=DOT, color=style.INK, zorder=4,
                    gid=f"{gid}:{row['id']}")
        if parent is not None:
            px, py = drawn[parent]
            joins.append([(px, py), (px, mark_y), (x, mark_y)])
        if gap is not None:
            text = base.gap_words(*gap)
            room_right = (mdates.date2num(x1) - x) / inch
            right = base.text_width(text) + 2 * PAD < room_right
            ax.text(x + (1 if right else -1) * (PAD + DOT / 144) * inch, mark_y - 0.02, text,
                    ha="left" if right else "right", va="bottom", fontsize=style.TEXT_SIZE, fontweight="bold",
                    color=style.INK, gid=f"gap:{rows['id'].iloc[parent]}>{row['id']}")
        drawn.append((x, mark_y))
        y += h
    # Each row's elbow to the row it follows, all in one artist.
    ax.add_collection(LineCollection(joins, colors=style.GREY_MID, linewidths=0.9, zorder=1), autolim=False)
    return fig


@base.styled
def long_road(events: pd.DataFrame, milestones: Sequence[str] | None = None, *,
              width: float = style.FIGURE_WIDTH) -> Figure:
    """How long was the road from the first proposal to the Final Act? The milestones in date
    order, each with the time since the one before (a range where a date is imprecise)."""
    milestones = list(dict.fromkeys(default_milestones(events) if milestones is None else milestones))
    if not milestones:
        raise ValueError("no milestones to draw")
    indexed = events.drop_duplicates("id").set_index("id")
    unknown = [m for m in milestones if m not in indexed.index]
    if unknown:
        raise KeyError(f"no event with id {', '.join(unknown)} in events")
    rows = indexed.loc[milestones].reset_index().sort_values(["start", "id"], kind="stable").reset_index(drop=True)
    gaps = [None] + [gap_days(a, b) for a, b in zip(rows["date"], rows["date"].iloc[1:])]
    return steps(rows, gaps, [None] + list(range(len(rows) - 1)), width=width, gid="milestone")


@base.styled
def response_chain(exchange_delays: pd.DataFrame, events: pd.DataFrame, proposal_id: str, *,
                   width: float = style.FIGURE_WIDTH) -> Figure:
    """What followed one proposal? The answers, counters and follow-ups the links lead to from
    ``proposal_id``, step by step, each with its delay from the event it answers."""
    base.require(exchange_delays, ["from", "to", "relation", "to_date", "min_days", "max_days"], "exchange_delays")
    indexed = events.drop_duplicates("id").set_index("id")
    if proposal_id not in indexed.index:
        raise KeyError(f"no event with id {proposal_id!r} in events")
    links = downstream(exchange_delays, proposal_id)
    order = [proposal_id] + list(links["to"])
    missing = sorted(set(order) - set(indexed.index))
    if missing:
        raise KeyError(f"links lead to unknown event(s) {', '.join(missing)}")
    rows = indexed.loc[order].reset_index()
    gaps = [None] + [(float(a), float(b)) for a, b in zip(links["min_days"], links["max_days"])]
    first_row: dict[str, int] = {}
    for position, event_id in enumerate(order):
        first_row.setdefault(event_id, position)
    parents = [None] + [first_row[source] for source in links["from"]]
    return steps(rows, gaps, parents, width=width, gid="step")


__all__ = ["default_milestones", "delays", "long_road", "response_chain", "steps"]
