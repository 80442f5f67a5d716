"""What an explorer shows for a choice of filters, computed without widgets.

A *view* function takes the chronology and a choice of filters and returns a :class:`View`: the
selected rows, a reader's table, a figure and a one-line caption. It knows nothing of widgets, so
the book prints an explorer's default view as a plain figure and a test checks any choice without
a browser.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from pansec import charts, dates, style, words
from pansec.derive import downstream, exchange_delays
from pansec.load import Chronology

#: The explorers open on the period of the Moscow and Warsaw conferences, the densest of the essay,
#: and on the Soviet note of 13 November 1954, whose answers that period is about.
DEFAULT_PERIOD = "warsaw-pact"
DEFAULT_PROPOSAL = "soviet-note-1954-11"

#: The value of a menu's 'All ...' entry. Not None: an ipywidgets menu whose value is None shows
#: no entry at all, so 'All periods' would look blank.
EVERY = ""

TABLE_STYLE = (
    "<style>.pansec-explorer-table{border-collapse:collapse;font-size:0.9em}"
    ".pansec-explorer-table th,.pansec-explorer-table td{text-align:left;vertical-align:top;"
    "padding:0.2em 0.6em;line-height:1.35;border-bottom:1px solid #ddd}</style>"
)

WHERE_CONTROLS_WORK = (
    "its controls work only in a running notebook: open this page on Binder (rocket icon at the top "
    "of the page) or in your own Jupyter, and run its cells"
)


@dataclass(frozen=True, repr=False)
class View:
    """What an explorer shows for one choice of filters."""

    rows: pd.DataFrame
    """The selected records, with all their columns: events, links or proposal-condition pairs."""
    table: pd.DataFrame
    """The same records as a reader's table: dates in words, names rather than ids."""
    caption: str
    """One line saying what is selected and how much of the whole it is."""
    draw: Callable[[], Figure] | None = field(default=None, compare=False)
    """How to draw the chart of the selection; ``None`` when nothing is selected."""

    @functools.cached_property
    def figure(self) -> Figure | None:
        """The chart of the selection, drawn when first asked for, so that a view read for its rows
        or its table draws nothing; ``None`` when nothing is selected, since an empty chart says less
        than the caption does."""
        return self.draw() if self.draw is not None else None

    def __repr__(self) -> str:
        return f"View({self.caption!r}, rows={len(self.rows)}, figure={self.draw is not None})"

    def table_html(self) -> str:
        """The table as escaped HTML, for a notebook or an ``ipywidgets.HTML``."""
        if self.table.empty:
            return ""
        table = self.table.to_html(index=False, escape=True, border=0, justify="left", classes="pansec-explorer-table")
        return TABLE_STYLE + table

    def _repr_html_(self) -> str:
        """Caption, figure and table in one block, for a notebook or Live Code without widgets."""
        parts = [f"<p><strong>{html.escape(self.caption)}</strong></p>"]
        if self.figure is not None:
            png = base64.b64encode(figure_png(self.figure)).decode("ascii")
            parts.append(f'<img src="data:image/png;base64,{png}" alt="{html.escape(self.caption)}" style="width:{style.FIGURE_WIDTH_PX}px;max-width:100%">')
        parts.append(self.table_html())
        return "\n".join(parts)

    def as_table(self, title: str) -> words.Table:
        """The table under a title, as a chapter shows it: HTML in JupyterLab, and in the book a
        numbered long table whose sources (where the view has them) are live citations."""
        cite = "Sources" if "Sources" in self.table.columns else None
        return words.Table(self.table, title, cite_column=cite)


# ----------------------------------------------------------------------------- shared helpers


def _date_words(rows: pd.DataFrame) -> list[str]:
    return [words.say_span(d, e) for d, e in zip(rows["date"], rows["end_date"])]


def actor_names(chron: Chronology) -> dict[str, str]:
    """Actor ids to names, without the parenthesised long form: 'West Germany', not 'West Germany
    (Federal Republic of Germany)'."""
    return {a: name.split(" (")[0] for a, name in zip(chron.actors["id"], chron.actors["name"])}


def _some_names(ids: list[str], names: dict[str, str], shown: int = 3) -> str:
    """'Soviet Union, Albania, Bulgaria and 6 more': a table cell stays short for a treaty of many."""
    said = [names.get(a, a) for a in ids]
    if len(said) <= shown + 1:
        return ", ".join(said)
    return ", ".join(said[:shown]) + f" and {len(said) - shown} more"


def _keys(value) -> str:
    """Source keys as 'a, b', whether the loader gave a list or the raw 'a;b' cell."""
    keys = value if isinstance(value, (list, tuple)) else str(value).split(";")
    return ", ".join(k.strip() for k in keys if k and k.strip())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# ----------------------------------------------------------------------------- chronology


def chronology_view(
    chron: Chronology,
    *,
    period: str | None = DEFAULT_PERIOD,
    bloc: str | None = None,
    actor: str | None = None,
    kinds: Iterable[str] | None = None,
) -> View:
    """Events filtered by period, bloc, actor and kind, on a timeline and in a table.

    ``None`` means no filter; the defaults are the explorer's opening view. An event belongs to the
    period in which it begins; ``kinds`` keeps the events of any of the kinds given, so an empty list
    keeps none.
    """
    events = chron.events
    keep = pd.Series(True, index=events.index)
    start = end = None
    said = []
    if period is not None:
        periods = chron.periods.set_index("id")
        if period not in periods.index:
            raise KeyError(f"no period with id {period!r} in periods.csv")
        row = periods.loc[period]
        first, last = dates.span(row["start"])[0], dates.span(row["end"])[1]
        keep &= (events["start"] >= first) & (events["start"] <= last)
        start, end = row["start"], row["end"]
        said.append(f"period: {row['label']}, {words.say_date(row['start'])} to {words.say_date(row['end'])}")
    if bloc is not None:
        keep &= events["bloc"] == bloc
        said.append(f"bloc: {style.BLOC_LABELS.get(bloc, bloc)}")
    if actor is not None:
        keep &= events["actors"].map(lambda actors: actor in actors)
        said.append(f"actor: {actor_names(chron).get(actor, actor)}")
    if kinds is not None:
        kinds = list(kinds)
        keep &= events["kind"].isin(kinds)
        said.append("kinds: " + (", ".join(kinds) if kinds else "none"))
    rows = events[keep]

    names = actor_names(chron)
    table = pd.DataFrame(
        {
            "Date": _date_words(rows),
            "Event": rows["title"],
            "Kind": rows["kind"],
            "Bloc": rows["bloc"],
            "Actors": rows["actors"].map(lambda ids: _some_names(ids, names)),
            "Sources": rows["sources"].map(_keys),
        }
    ).reset_index(drop=True)
    draw = None
    if len(rows):
        def draw():
            return charts.timeline(rows, chron.periods, kinds=kinds or None, start=start, end=end)
    filters = f" ({'; '.join(said)})" if said else ""
    if len(rows):
        caption = f"{len(rows)} of {_count(len(events), 'event')}{filters}."
    else:
        caption = f"No event matches these filters{filters}."
    return View(rows=rows, table=table, caption=caption, draw=draw)


# ----------------------------------------------------------------------------- proposals


def proposals_with_exchanges(chron: Chronology) -> pd.DataFrame:
    """The proposals that at least one link joins to another event, in date order."""
    linked = set(chron.exchanges["from"]) | set(chron.exchanges["to"])
    events = chron.events
    return events[(events["kind"] == "proposal") & events["id"].isin(linked)]


def response_links(delays: pd.DataFrame, proposal: str) -> pd.DataFrame:
    """The links that lead to a proposal and every link downstream of it: what it answered, and the
    chain of answers, implementations and follow-ups it set off (:func:`pansec.derive.downstream`)."""
    into = delays[delays["to"] == proposal].assign(step="led to it")
    onwards = downstream(delays, proposal).drop(columns="depth").assign(step="followed")
    return pd.concat([into, onwards], ignore_index=True).drop_duplicates(subset=["from", "to"])


def proposal_view(chron: Chronology, proposal: str = DEFAULT_PROPOSAL) -> View:
    """A proposal, what prompted it, and the chain of events that answered it, with the delays."""
    events = chron.events.set_index("id")
    if proposal not in events.index:
        raise KeyError(f"no event with id {proposal!r} in events.csv")
    delays = exchange_delays(chron)
    links = response_links(delays, proposal)
    table = pd.DataFrame(
        {
            "Step": links["step"],
            "From": [f"{words.say_date(d)}: {t}" for d, t in zip(links["from_date"], links["from_title"])],
            "Link": links["relation"],
            "To": [f"{words.say_date(d)}: {t}" for d, t in zip(links["to_date"], links["to_title"])],
            "Delay": [words.say_gap(lo, hi) for lo, hi in zip(links["min_days"], links["max_days"])],
        }
    )
    title = events.loc[proposal, "title"]
    when = words.say_span(events.loc[proposal, "date"], events.loc[proposal, "end_date"])
    answers = int((links["step"] == "followed").sum())
    prompts = len(links) - answers
    # charts.response_chain draws the links onwards; the table adds what prompted the proposal.
    draw = (lambda: charts.response_chain(delays, chron.events, proposal)) if answers else None
    caption = f"{title} ({when}): {_count(answers, 'link')} onwards" + (
        f"; the table also gives {'the link' if prompts == 1 else f'the {prompts} links'} leading to it."
        if prompts else "."
    )
    return View(rows=links, table=table, caption=caption, draw=draw)


# ----------------------------------------------------------------------------- conditions


def conditions_view(
    chron: Chronology,
    *,
    years: tuple[int, int] | None = None,
    conditions: Iterable[str] | None = None,
) -> View:
    """Which condition each proposal contained, for proposals of a span of years and a choice of
    conditions. A blank cell of the matrix means 'not recorded', not 'absent'."""
    pairs = chron.proposal_conditions.merge(
        chron.events[["id", "date", "end_date", "title", "year", "start"]],
        left_on="proposal",
        right_on="id",
        how="left",
    ).sort_values(["start", "proposal"], kind="stable")
    said = []
    if years is not None:
        first, last = years
        pairs = pairs[(pairs["year"] >= first) & (pairs["year"] <= last)]
        said.append(f"{first}-{last}" if first != last else f"{first}")
    chosen = chron.conditions
    if conditions is not None:
        conditions = list(conditions)
        chosen = chosen[chosen["id"].isin(conditions)]
        pairs = pairs[pairs["condition"].isin(conditions)]
        said.append(_count(len(chosen), "condition") + " chosen")
    labels = dict(zip(chron.conditions["id"], chron.conditions["label"]))
    table = pd.DataFrame(
        {
            "Proposal": [f"{words.say_span(d, e)}: {t}" for d, e, t in zip(pairs["date"], pairs["end_date"], pairs["title"])],
            "Condition": pairs["condition"].map(labels),
            "Present": pairs["present"],
            "Evidence": pairs["note"],
            "Sources": pairs["sources"].map(_keys),
        }
    ).reset_index(drop=True)
    rows = pairs.drop(columns=["id"]).reset_index(drop=True)
    columns = list(chron.proposal_conditions.columns)
    draw = None
    if len(rows) and len(chosen):
        def draw():
            return charts.conditions_matrix(rows[columns], chosen, chron.events)
    n_proposals = rows["proposal"].nunique()
    caption = f"{_count(n_proposals, 'proposal')} and {_count(len(rows), 'recorded condition')}" + (
        " (" + "; ".join(said) + ")." if said else "."
    )
    return View(rows=rows, table=table, caption=caption, draw=draw)


def figure_png(figure: Figure) -> bytes:
    """A figure as PNG bytes, for an ``ipywidgets.Image`` or an HTML ``<img>``, written as the
    book writes every figure (:func:`pansec.style.save`)."""
    buffer = io.BytesIO()
    style.save(figure, buffer, format="png")
    return buffer.getvalue()
