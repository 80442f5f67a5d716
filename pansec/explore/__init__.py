"""Interactive explorers: ipywidgets controls over the figures of :mod:`pansec.charts`.

Each explorer has two layers: a *view* (:mod:`pansec.explore.views`) computes what to show for a
choice of filters, with no widgets, and an *explorer* (:mod:`pansec.explore.widgets`) adds the
controls that choose it. The add-an-event form (:mod:`pansec.explore.form`) puts the fields of
:mod:`pansec.add` on the screen, so that a student adds an event without editing a CSV file.
"""

from pansec.explore.form import EventForm, event_form
from pansec.explore.views import (
    DEFAULT_PERIOD,
    DEFAULT_PROPOSAL,
    EVERY,
    View,
    chronology_view,
    conditions_view,
    figure_png,
    proposal_view,
    proposals_with_exchanges,
    response_links,
)
from pansec.explore.widgets import (
    ChronologyExplorer,
    ConditionsExplorer,
    Explorer,
    ProposalExplorer,
    chronology_explorer,
    conditions_explorer,
    proposal_explorer,
)

__all__ = [
    "DEFAULT_PERIOD",
    "DEFAULT_PROPOSAL",
    "EVERY",
    "ChronologyExplorer",
    "EventForm",
    "ConditionsExplorer",
    "Explorer",
    "ProposalExplorer",
    "View",
    "chronology_explorer",
    "chronology_view",
    "conditions_explorer",
    "conditions_view",
    "event_form",
    "figure_png",
    "proposal_explorer",
    "proposal_view",
    "proposals_with_exchanges",
    "response_links",
]
