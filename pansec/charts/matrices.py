"""Who asked for what, and who came: the grid-shaped figures, and the agenda table.

Bloc is not the point of these figures, so their marks are ink and greys; every mark is also a
shape, and the key is a line of words above the grid rather than a legend box. The agendas of
1969-71 are words, so they stay a table (:class:`pansec.words.Table`) in HTML and in the PDF.
"""

from __future__ import annotations

import itertools

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from pansec import style, words
from pansec.charts import base
from pansec.charts.base import LINE, PAD

GROUP_LABELS = {
    "eastern-europe": "Eastern Europe",
    "western-europe": "Western Europe",
    "other-europe": "Rest of Europe",
    "extra-european": "Outside Europe",
}
ATTENDANCE_ORDER = ("participant", "observer", "declined", "absent")


def draw_key(fig: Figure, lines: list[str], top: float) -> float:
    """Write a key's lines from ``top`` (inches); returns the height they take."""
    height = fig.get_figheight()
    for k, line in enumerate(lines):
        fig.text(0.05 / fig.get_figwidth(), 1 - (top + (k + 0.5) * LINE) / height, line, ha="left", va="center",
                 fontsize=style.TEXT_SIZE, color=style.GREY_DARK)
    return len(lines) * LINE + 0.1


@base.styled
def conditions_matrix(proposal_conditions: pd.DataFrame, conditions: pd.DataFrame, events: pd.DataFrame, *,
                      width: float = style.FIGURE_WIDTH) -> Figure:
    """What did each Eastern proposal ask for, and what did it give up? Proposals in date order
    against the conditions: a dot where a proposal contains a condition, a cross where a source
    says it left the condition out (a cross under earlier dots is a condition dropped), and a
    faint point where the sources record nothing. ``fig.pansec_marks`` says which artist draws
    each cell, and whether its cross is a condition dropped or one left out from the start."""
    base.require(proposal_conditions, ["proposal", "condition", "present"], "proposal_conditions")
    base.require(conditions, ["id", "label"], "conditions")
    if proposal_conditions.empty or conditions.empty:
        raise ValueError("no proposal-condition pairs to draw")
    indexed = events.set_index("id")
    unknown = sorted(set(proposal_conditions["proposal"]) - set(indexed.index))
    if unknown:
        raise KeyError(f"no event with id {', '.join(unknown)} in events")
    proposals = sorted(set(proposal_conditions["proposal"]), key=lambda p: (indexed.loc[p, "start"], p))
    columns = list(conditions["id"])
    headers = dict(zip(conditions["id"], conditions["label"]))
    cell = {(r["proposal"], r["condition"]): r["present"] for _, r in proposal_conditions.iterrows()}
    col_w = max(LINE + 0.08, min(0.45, (width * 0.45) / max(len(columns), 1)))
    grid_w = col_w * len(columns)
    label_w = width - grid_w - PAD - 0.05
    names = [base.wrap(f"{indexed.loc[p, 'title']} ({base.date_words(indexed.loc[p, 'date'])})", label_w)
             for p in proposals]
    heights = [max(len(n) * LINE + 0.1, col_w) for n in names]
    header_h = base.widest(headers[c] for c in columns) + 0.1
    key = base.key_lines(["\u25cf contains the condition", "\u2715 left out, as a source says", "\u00b7 not recorded"],
                    width - 0.1)
    key_h = len(key) * LINE + 0.1
    body = sum(heights)
    fig = base.new_figure(width, 0.05 + key_h + header_h + body + 0.05)
    draw_key(fig, key, 0.05)
    ax = base.add_axes(fig, label_w + PAD, 0.05 + key_h + header_h, grid_w, body)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(body, 0)
    ax.set_axis_off()
    for x, condition in enumerate(columns):
        ax.text(x + 0.5, -0.05, headers[condition], rotation=90, ha="center", va="bottom", fontsize=style.TEXT_SIZE,
                color=style.INK, clip_on=False)
    base.rules(ax, range(len(columns)), across=False, linewidth=0.7)
    base.rules(ax, itertools.accumulate(heights[:-1], initial=0.0), linewidth=0.7)  # each row's top
    y, had, marks = 0.0, set(), []
    for proposal, name, h in zip(proposals, names, heights):
        for k, line in enumerate(name):
            ax.text(-PAD / grid_w, y + h / 2 + (k - (len(name) - 1) / 2) * LINE, line, transform=ax.get_yaxis_transform(),
                    ha="right", va="center", fontsize=style.TEXT_SIZE, color=style.INK)
        for x, condition in enumerate(columns):
            present = cell.get((proposal, condition))
            mark = ("contains" if present == "yes" else "not recorded" if present != "no"
                    else "dropped" if condition in had else "left out")
            marks.append((proposal, condition, mark, x + 0.5, y + h / 2))
        had |= {c for c in columns if cell.get((proposal, c)) == "yes"}
        y += h
    fig.pansec_marks = draw_cells(ax, pd.DataFrame(marks, columns=["proposal", "condition", "mark", "x", "y"]))
    return fig


#: How each kind of cell of the conditions matrix looks; a condition dropped and one left out
#: from the start are the same cross, told apart by the dots above it.
CELL_LOOKS = {
    "contains": {"marker": "o", "markersize": 9, "color": style.INK},
    "crossed": {"marker": "X", "markersize": 9, "color": style.INK, "markeredgecolor": "white"},
    "not recorded": {"marker": "o", "markersize": 2.5, "color": style.GREY_MID},
}
LOOK_OF_MARK = {"contains": "contains", "dropped": "crossed", "left out": "crossed", "not recorded": "not recorded"}


def draw_cells(ax, cells: pd.DataFrame) -> pd.DataFrame:
    """Draw the matrix's marks, one artist per look rather than one per cell (121 artists cost a
    tenth of a second), and return the record of which artist draws which cell, at which index."""
    looks = cells["mark"].map(LOOK_OF_MARK)
    artists, indices = [None] * len(cells), [0] * len(cells)
    for look, members in cells.groupby(looks, sort=False).indices.items():
        artist = Line2D(cells["x"].to_numpy()[members], cells["y"].to_numpy()[members], linestyle="none",
                        gid=f"cells:{look.replace(' ', '-')}", **CELL_LOOKS[look])
        ax.add_line(artist)
        for index, row in enumerate(members.tolist()):
            artists[row], indices[row] = artist, index
    return cells.assign(artist=artists, index=indices)[["proposal", "condition", "mark", "artist", "index"]]


def participation_summary(participation: pd.DataFrame) -> dict[str, int]:
    """States invited, and how many took part, observed, declined or stayed away, counted from
    the ``count`` column, since one row may stand for several unnamed states."""
    invited = participation[participation["invited"] == "yes"]
    summary = {"invited": int(invited["count"].sum())}
    for attendance in ATTENDANCE_ORDER:
        summary[attendance] = int(invited.loc[invited["attendance"] == attendance, "count"].sum())
    summary["uninvited"] = int(participation.loc[participation["invited"] != "yes", "count"].sum())
    return summary


@base.styled
def participation(participation: pd.DataFrame, *, width: float = style.FIGURE_WIDTH) -> Figure:
    """Who was asked to the conference, and who came? One square per state, grouped by region and
    filled by what the state did; a row that stands for several unnamed states has a square for each."""
    base.require(participation, ["event", "participant", "label", "count", "group", "invited", "attendance"],
                 "participation")
    if participation.empty:
        raise ValueError("no participation rows to draw")
    if participation["event"].nunique() > 1:
        raise ValueError("participation rows of more than one event: select one, e.g. "
                         "chron.participation.query(\"event == 'moscow-conference'\")")
    frame = participation.assign(_group=pd.Categorical(participation["group"], list(GROUP_LABELS), ordered=True))
    frame = frame.reset_index(drop=True).reset_index().sort_values(["_group", "index"], kind="stable")
    words = {a: style.ATTENDANCE_STYLE[a]["label"] for a in ATTENDANCE_ORDER}
    status = [words[a] + ("" if i == "yes" else ", not invited") for a, i in zip(frame["attendance"], frame["invited"])]
    status_w = base.widest(status) + PAD
    most = int(frame["count"].max())
    label_w = min(base.widest(frame["label"]), 1.7)
    square = min(LINE + 0.02, (width - label_w - status_w - 3 * PAD - 0.05) / max(most, 1))
    names = [base.wrap(str(t), label_w) for t in frame["label"]]
    groups = [g for g in GROUP_LABELS if g in set(frame["group"])]
    rows_h = sum(max(len(n) * LINE, square) + 0.06 for n in names) + len(groups) * (LINE + 0.12)
    fig = base.new_figure(width, rows_h + 0.1)
    ax = base.add_axes(fig, 0.05, 0.05, width - 0.1, rows_h)
    ax.set_xlim(0, width - 0.1)
    ax.set_ylim(rows_h, 0)
    ax.set_axis_off()
    x_sq = label_w + PAD
    y = 0.0
    for group in groups:
        members = frame["group"] == group
        n_states = int(frame.loc[members, "count"].sum())
        ax.text(0, y + 0.06 + LINE / 2, f"{GROUP_LABELS[group]} ({n_states} state{'s' if n_states != 1 else ''})",
                ha="left", va="center", fontsize=style.TEXT_SIZE, fontweight="bold", color=style.INK)
        y += LINE + 0.12
        for position in [i for i, m in enumerate(members) if m]:
            member, name = frame.iloc[position], names[position]
            h = max(len(name) * LINE, square) + 0.06
            centre = y + h / 2
            for k, line in enumerate(name):
                ax.text(label_w, centre + (k - (len(name) - 1) / 2) * LINE, line, ha="right", va="center",
                        fontsize=style.TEXT_SIZE, color=style.INK)
            look = style.ATTENDANCE_STYLE[member["attendance"]]
            for k in range(int(member["count"])):
                ax.add_patch(Rectangle((x_sq + PAD + k * square + 0.01, centre - square / 2 + 0.01), square - 0.02,
                                       square - 0.02, facecolor=look["facecolor"], edgecolor=style.INK,
                                       hatch=look["hatch"], linewidth=0.7,
                                       linestyle="--" if member["invited"] != "yes" else "-",
                                       gid=f"state:{member['participant']}:{k}"))
                if member["attendance"] == "declined":
                    ax.plot([x_sq + PAD + (k + 0.5) * square], [centre], linestyle="none", marker="x",
                            markersize=square * 50, color=style.INK, markeredgewidth=1.2)
            ax.text(x_sq + 2 * PAD + int(member["count"]) * square, centre, status[position], ha="left", va="center",
                    fontsize=style.TEXT_SIZE, color=style.GREY_DARK)
            y += h
    return fig


def agendas(agenda: pd.DataFrame, *, name: str | None = None) -> words.Table:
    """Where did East and West stand on the conference's agenda? Topic by topic, each side's
    stance and its position in a few words, as a table: it is words, so it stays words."""
    base.require(agenda, ["topic", "side", "stance", "position"], "agenda")
    if agenda.empty:
        raise ValueError("no agenda rows to show")
    said = agenda.assign(words=agenda["stance"].str.capitalize() + ": " + agenda["position"])
    table = said.pivot(index="topic", columns="side", values="words").reindex(list(dict.fromkeys(agenda["topic"])))
    sides = [s for s in ("east", "west") if s in table.columns]
    table = table[sides].fillna("").rename(columns=style.BLOC_LABELS).reset_index().rename(columns={"topic": "Topic"})
    return words.Table(table, "East and West on the agenda of a European conference, 1969-1971", name=name)
