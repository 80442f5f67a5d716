"""Do the paper's words about time fit its dates? One row per phrase, with its verdict.

Each phrase is named in quotation marks with the section that uses it, over a gap axis on which
a grey band shows what the phrase allows in our reading, a dot (or a hatched bar, where a date is
imprecise) the gap the data give, and a hollow diamond the gap by the paper's own dates. The
verdict is said in a word and a symbol and coloured by verdict (:data:`pansec.style.VERDICT_STYLE`).
"""

from __future__ import annotations

import itertools

import pandas as pd
from matplotlib.figure import Figure

from pansec import style
from pansec.charts import base
from pansec.charts.base import LINE, PAD
from pansec.charts.gaps import gap_mark


def section_words(section: str) -> str:
    """'1' -> '§1'; 'conclusion' -> 'Conclusion'."""
    section = str(section)
    return f"\u00a7{section}" if section[:1].isdigit() else section.title()


@base.styled
def claims(claim_checks: pd.DataFrame, *, width: float = style.FIGURE_WIDTH) -> Figure:
    """Do the paper's words about time fit its dates? For each phrase, the span it allows (grey
    band), the gap by the data (dot, or hatched bar where a date is imprecise), the gap by the
    paper's own dates (hollow diamond), and the verdict, in words, coloured by verdict."""
    base.require(claim_checks, ["phrase", "section", "min_days", "max_days", "gap_min", "gap_max", "verdict"],
                 "claim_checks")
    if claim_checks.empty:
        raise ValueError("no claims to draw")
    frame = claim_checks.reset_index(drop=True)
    has_paper = "paper_gap_min" in frame.columns and frame["paper_gap_min"].notna().any()
    verdicts = [f"{style.VERDICT_STYLE[v]['symbol']} {v}" for v in frame["verdict"]]
    gaps = [base.gap_words(a, b) for a, b in zip(frame["gap_min"], frame["gap_max"])]
    value_w = max(base.widest(verdicts, weight="bold"), base.widest(gaps)) + PAD
    plot_w = width - value_w - PAD - 0.05
    names = [base.wrap(f"\u201c{p}\u201d ({section_words(s)})", width - 0.1, weight="bold")
             for p, s in zip(frame["phrase"], frame["section"])]
    heights = [len(n) * LINE + 2 * LINE + 0.16 for n in names]
    lo = float(min(frame["min_days"].min(), frame["gap_min"].min()))
    hi = float(max(frame["max_days"].max(), frame["gap_max"].max()))
    if has_paper:
        lo, hi = min(lo, float(frame["paper_gap_min"].min())), max(hi, float(frame["paper_gap_max"].max()))
    key = ["grey band: what the phrase allows", "\u25cf gap by the data", "\u25c7 gap by the paper's own dates"]
    key_lines = [line for text in (key if has_paper else key[:2]) for line in base.wrap(text, width - 0.1)]
    body = sum(heights)
    axis_h = 2 * LINE + 0.1
    fig = base.new_figure(width, 0.05 + len(key_lines) * LINE + 0.1 + body + axis_h)
    for k, line in enumerate(key_lines):
        fig.text(0.05 / width, 1 - (0.05 + (k + 0.5) * LINE) / fig.get_figheight(), line, ha="left", va="center",
                 fontsize=style.TEXT_SIZE, color=style.GREY_DARK)
    ax = base.add_axes(fig, 0.05, 0.05 + len(key_lines) * LINE + 0.1, plot_w, body)
    ax.set_ylim(body, 0)
    base.gap_axis(ax, lo, hi)
    y = 0.0
    for i, row in frame.iterrows():
        for k, line in enumerate(names[i]):
            ax.text(0, y + (k + 0.5) * LINE, line, transform=ax.get_yaxis_transform(), ha="left", va="center",
                    fontsize=style.TEXT_SIZE, fontweight="bold", color=style.INK)
        mark_y = y + (len(names[i]) + 1) * LINE + 0.04
        a, b = float(row["min_days"]), float(row["max_days"])
        base.box(ax, a - 0.3 if a == b else a, b + 0.3 if a == b else b, mark_y, 0.13, facecolor=style.GREY_MID,
                 alpha=0.6, edgecolor="none", zorder=1, gid=f"allowed:{i}")
        gap_mark(ax, float(row["gap_min"]), float(row["gap_max"]), mark_y - 0.08, gid=f"gap:{i}")
        if has_paper and pd.notna(row["paper_gap_min"]):
            p, q = float(row["paper_gap_min"]), float(row["paper_gap_max"])
            if p == q:
                ax.plot([p], [mark_y + 0.14], linestyle="none", marker="D", markersize=5.5, markerfacecolor="white",
                        markeredgecolor=style.GREY_DARK, zorder=4, gid=f"paper-gap:{i}")
            else:
                ax.plot([p, q], [mark_y + 0.14] * 2, color=style.GREY_DARK, linewidth=1.2, linestyle=(0, (2, 1.5)),
                        zorder=3, gid=f"paper-gap:{i}")
        look = style.VERDICT_STYLE[row["verdict"]]
        ax.annotate(verdicts[i], (1, mark_y - 0.5 * LINE), xycoords=ax.get_yaxis_transform(), xytext=(4, 0),
                    textcoords="offset points", ha="left",
                    va="center", fontsize=style.TEXT_SIZE, fontweight="bold", color=look["colour"], gid=f"verdict:{i}")
        ax.annotate(gaps[i], (1, mark_y + 0.5 * LINE), xycoords=ax.get_yaxis_transform(), xytext=(4, 0),
                    textcoords="offset points", ha="left", va="center",
                    fontsize=style.TEXT_SIZE, color=style.GREY_DARK)
        y += heights[i]
    base.rules(ax, itertools.accumulate(heights))
    return fig


#: The columns of the readings chart, strictest first.
READINGS = ("strict", "ours", "loose")
READING_WORDS = {"strict": "stricter", "ours": "ours", "loose": "looser"}


@base.styled
def readings(claim_readings: pd.DataFrame, *, width: float = style.FIGURE_WIDTH) -> Figure:
    """Does a verdict depend on how the phrase is read? One row per phrase and event it is counted
    from, one column per reading (stricter, ours, looser), and in each cell the verdict, in a
    symbol and a word coloured by verdict; an empty cell is a reading we do not find fair."""
    base.require(claim_readings, ["claim", "phrase", "section", "anchor_title", "default_anchor", "reading",
                                  "verdict"], "claim_readings")
    if claim_readings.empty:
        raise ValueError("no readings to draw")
    frame = claim_readings.reset_index(drop=True)
    rows = list(dict.fromkeys(zip(frame["claim"], frame["anchor_title"])))
    col_w = base.widest([READING_WORDS[r] for r in READINGS], weight="bold") + 3 * PAD
    label_w = width - len(READINGS) * col_w - 0.05
    first = frame.drop_duplicates("claim").set_index("claim")
    names = []
    for claim, anchor in rows:
        phrase = f"\u201c{first.loc[claim, 'phrase']}\u201d ({section_words(first.loc[claim, 'section'])})"
        lines = [(line, "bold") for line in base.wrap(phrase, label_w, weight="bold")]
        default = frame.loc[(frame["claim"] == claim) & (frame["anchor_title"] == anchor), "default_anchor"].iloc[0]
        if not default:
            lines += [(line, "normal") for line in base.wrap(f"counted from: {anchor}", label_w)]
        names.append(lines)
    heights = [len(n) * LINE + 0.12 for n in names]
    key = [f"{style.VERDICT_STYLE[v]['symbol']} {v}" for v in style.VERDICT_STYLE if v in set(frame["verdict"])]
    key_lines = base.key_lines(key + ["empty: no other reading we find fair"], width - 0.1)
    header = len(key_lines) * LINE + 0.1 + LINE + 0.12
    fig = base.new_figure(width, header + sum(heights) + 0.05)
    ax = base.add_axes(fig, 0, 0, width, header + sum(heights))
    ax.set_xlim(0, width)
    ax.set_ylim(header + sum(heights), 0)
    ax.set_axis_off()
    for k, line in enumerate(key_lines):
        ax.text(0.05, (k + 0.5) * LINE, line, ha="left", va="center", fontsize=style.TEXT_SIZE, color=style.GREY_DARK)
    for k, reading in enumerate(READINGS):
        ax.text(label_w + (k + 0.5) * col_w, header - (LINE + 0.12) / 2, READING_WORDS[reading], ha="center", va="center",
                fontsize=style.TEXT_SIZE, fontweight="bold", color=style.INK)
    y = header
    cells = frame.set_index(["claim", "anchor_title", "reading"])["verdict"]
    for (claim, anchor), lines, h in zip(rows, names, heights):
        for k, (line, weight) in enumerate(lines):
            ax.text(0.05, y + 0.06 + (k + 0.5) * LINE, line, ha="left", va="center", fontsize=style.TEXT_SIZE,
                    fontweight=weight, color=style.INK)
        for k, reading in enumerate(READINGS):
            verdict = cells.get((claim, anchor, reading))
            if verdict is None:
                continue
            look = style.VERDICT_STYLE[verdict]
            ax.text(label_w + (k + 0.5) * col_w, y + 0.06 + 0.5 * LINE, look["symbol"], ha="center", va="center",
                    fontsize=style.HEADING_SIZE + 2, fontweight="bold", color=look["colour"],
                    gid=f"reading:{claim}:{reading}:{anchor}:{verdict}")
        y += h
    base.rules(ax, itertools.accumulate(heights[:-1], initial=header), zorder=2)  # each row's top
    return fig

