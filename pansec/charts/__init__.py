"""The essay's charts, one module per family of figure; each function takes frames and returns a figure.

The functions never read files and never print, so a reader who filters a frame or adds an event
sees the change in the chart. Dates keep their precision: an event known only to the month or the
year is drawn over the days it may mean, never on an invented day. Every figure is drawn 5.5 in
wide with no text under 11 pt (see :mod:`pansec.style`); end a chapter's cell with one to show it::

    charts.timeline(chron.events, chron.periods)

Write files with :func:`pansec.style.save`, never ``fig.savefig``, so two builds give the same bytes.
"""

from pansec.charts.gaps import default_milestones, delays, long_road, response_chain
from pansec.charts.matrices import agendas, conditions_matrix, participation, participation_summary
from pansec.charts.timelines import key_events, named_events, timeline
from pansec.charts.verdicts import claims, readings

__all__ = [
    "agendas",
    "claims",
    "conditions_matrix",
    "default_milestones",
    "delays",
    "key_events",
    "long_road",
    "named_events",
    "participation",
    "participation_summary",
    "readings",
    "response_chain",
    "timeline",
]
