"""Interactive explorers: ipywidgets controls over the figures of :mod:`pansec.charts`.

Each explorer has two layers: a *view* (:mod:`pansec.explore.views`) computes what to show for a
choice of filters, with no widgets, and an *explorer* (:mod:`pansec.explore.widgets`) adds the
controls that choose it. The add-an-event form (:mod:`pansec.explore.form`) puts the fields of
:mod:`pansec.add` on the screen, so that a student adds an event without editing a CSV file.

Every name loads with its module on first use: a chapter that prints views imports neither
ipywidgets nor the form (about 0.3 s of a kernel's time).
"""

from __future__ import annotations

import importlib

#: Public names, and the module each comes from.
_NAMES = {
    **dict.fromkeys(("EventForm", "event_form"), "pansec.explore.form"),
    **dict.fromkeys(("DEFAULT_PERIOD", "DEFAULT_PROPOSAL", "EVERY", "View", "chronology_view", "conditions_view",
                     "figure_png", "proposal_view", "proposals_with_exchanges", "response_links"),
                    "pansec.explore.views"),
    **dict.fromkeys(("ChronologyExplorer", "ConditionsExplorer", "Explorer", "ProposalExplorer", "chronology_explorer",
                     "conditions_explorer", "proposal_explorer"), "pansec.explore.widgets"),
}

__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module 'pansec.explore' has no attribute {name!r}")
    value = getattr(importlib.import_module(_NAMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
