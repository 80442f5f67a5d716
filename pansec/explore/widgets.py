"""The explorers: ipywidgets controls over the views of :mod:`pansec.explore.views`.

Changing a control calls :meth:`Explorer.update`, which recomputes the view and puts its figure,
caption and table into widgets. Displayed in a running notebook, an explorer shows its controls;
anywhere without a widget manager it shows one sentence saying where the controls work.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd

from pansec import style, words
from pansec.explore.views import (
    DEFAULT_PERIOD,
    DEFAULT_PROPOSAL,
    EVERY,
    WHERE_CONTROLS_WORK,
    View,
    actor_names,
    chronology_view,
    conditions_view,
    figure_png,
    proposal_view,
    proposals_with_exchanges,
)
from pansec.load import Chronology

class Explorer:
    """Controls, a caption, a figure and a table that follow the controls.

    Subclasses name their controls in :attr:`controls` and map their values to the keyword
    arguments of their view function in :meth:`choices`.
    """

    title = "Explorer"

    def __init__(self, chron: Chronology):
        self.chron = chron
        self.controls: dict[str, widgets.ValueWidget] = self._make_controls()
        self.caption = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=f"{style.FIGURE_WIDTH_PX}px", max_width="100%", height="auto"))
        self.table = widgets.HTML(layout=widgets.Layout(max_height="28em", overflow="auto"))
        self.view: View | None = None
        self.widget = widgets.VBox(
            [widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
             self.caption, self.image, self.table]
        )
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.update()

    def _make_controls(self) -> dict[str, widgets.ValueWidget]:
        raise NotImplementedError

    def choices(self) -> dict:
        """The current values of the controls, as keyword arguments of the view function."""
        raise NotImplementedError

    def compute(self, **choices) -> View:
        raise NotImplementedError

    def _changed(self, change) -> None:
        self.update()

    def update(self) -> View:
        """Recompute the view from the controls and show it."""
        view = self.compute(**self.choices())
        self.caption.value = f"<p><strong>{html.escape(view.caption)}</strong></p>"
        if view.figure is None:
            self.image.value = b""
            self.image.layout.display = "none"
        else:
            self.image.value = figure_png(view.figure)
            self.image.layout.display = None
        self.table.value = view.table_html()
        self.view = view
        return view

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"{self.title}: {WHERE_CONTROLS_WORK}."
        return bundle


def _select(options: Sequence[tuple[str, str]], description: str, rows: int) -> widgets.SelectMultiple:
    return widgets.SelectMultiple(
        options=list(options),
        value=tuple(value for _, value in options),
        rows=rows,
        description=description,
        style={"description_width": "initial"},
    )


class ChronologyExplorer(Explorer):
    """Filter the events by period, bloc, actor and kind."""

    title = "Chronology explorer"

    def _make_controls(self):
        events, periods = self.chron.events, self.chron.periods
        period_options = [("All periods", EVERY)] + list(zip(periods["label"], periods["id"]))
        blocs = [b for b in style.BLOC_LABELS if b in set(events["bloc"])]
        involved = pd.Series([a for ids in events["actors"] for a in ids]).value_counts()
        names = actor_names(self.chron)
        actors = sorted(involved.index, key=lambda a: names.get(a, a).lower())
        kinds = sorted(set(events["kind"]))
        wide = {"description_width": "initial"}
        return {
            "period": widgets.Dropdown(options=period_options, value=DEFAULT_PERIOD, description="Period", style=wide),
            "bloc": widgets.Dropdown(
                options=[("All sides", EVERY)] + [(style.BLOC_LABELS[b], b) for b in blocs], value=EVERY,
                description="Bloc", style=wide,
            ),
            "actor": widgets.Dropdown(
                options=[("Any actor", EVERY)] + [(f"{names.get(a, a)} ({involved[a]})", a) for a in actors],
                value=EVERY, description="Actor", style=wide,
            ),
            "kinds": _select([(k, k) for k in kinds], "Kinds", rows=min(len(kinds), 8)),
        }

    def choices(self):
        c = self.controls
        kinds = tuple(c["kinds"].value)
        every_kind = len(kinds) == len(c["kinds"].options)
        return {
            "period": c["period"].value or None,
            "bloc": c["bloc"].value or None,
            "actor": c["actor"].value or None,
            "kinds": None if every_kind else kinds,
        }

    def compute(self, **choices):
        return chronology_view(self.chron, **choices)


class ProposalExplorer(Explorer):
    """Pick a proposal; see what prompted it and the answers that followed, with their delays."""

    title = "Proposal explorer"

    def _make_controls(self):
        proposals = proposals_with_exchanges(self.chron)
        options = [
            (f"{words.say_date(d)}: {t}", i) for d, t, i in zip(proposals["date"], proposals["title"], proposals["id"])
        ]
        ids = [i for _, i in options]
        default = DEFAULT_PROPOSAL if DEFAULT_PROPOSAL in ids else (ids[0] if ids else None)
        return {
            "proposal": widgets.Dropdown(
                options=options, value=default, description="Proposal",
                layout=widgets.Layout(width="100%"), style={"description_width": "initial"},
            )
        }

    def choices(self):
        return {"proposal": self.controls["proposal"].value}

    def compute(self, **choices):
        return proposal_view(self.chron, **choices)


class ConditionsExplorer(Explorer):
    """Narrow the proposals-against-conditions matrix to a span of years and a choice of conditions."""

    title = "Conditions explorer"

    def _make_controls(self):
        years = self.chron.events.set_index("id").loc[self.chron.proposal_conditions["proposal"].unique(), "year"]
        first, last = int(years.min()), int(years.max())
        conditions = list(zip(self.chron.conditions["label"], self.chron.conditions["id"]))
        return {
            "years": widgets.IntRangeSlider(
                value=(first, last), min=first, max=last, step=1, description="Years",
                continuous_update=False, style={"description_width": "initial"},
            ),
            "conditions": _select(conditions, "Conditions", rows=min(len(conditions), 10)),
        }

    def choices(self):
        c = self.controls
        chosen = tuple(c["conditions"].value)
        every = len(chosen) == len(c["conditions"].options)
        first, last = c["years"].value
        whole = (first, last) == (c["years"].min, c["years"].max)
        return {"years": None if whole else (first, last), "conditions": None if every else chosen}

    def compute(self, **choices):
        return conditions_view(self.chron, **choices)


def chronology_explorer(chron: Chronology) -> ChronologyExplorer:
    """The chronology explorer, opening on its default view."""
    return ChronologyExplorer(chron)


def proposal_explorer(chron: Chronology) -> ProposalExplorer:
    """The proposal explorer, opening on the Soviet note of 13 November 1954."""
    return ProposalExplorer(chron)


def conditions_explorer(chron: Chronology) -> ConditionsExplorer:
    """The conditions explorer, opening on every proposal and condition."""
    return ConditionsExplorer(chron)
