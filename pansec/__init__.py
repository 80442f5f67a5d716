"""The chronology of Soviet proposals for pan-European security, as data chapters can trust.

Data flows one way: ``pansec.load`` reads the tables (dates keep their precision, see
``pansec.dates``), ``pansec.validate`` says what is wrong with them, ``pansec.delays`` derives the gaps
between linked events as ranges, ``pansec.prose`` puts dates, gaps and tables into words for the
chapters, ``pansec.charts`` draws them in the book's one style (``pansec.style``), and
``pansec.explore`` wraps the charts in ipywidgets explorers. ``pansec.package`` lists the files of the
data package and counts the rows of its tables, for readers who download them.

A chapter needs two lines::

    import pansec
    chron = pansec.load_chronology()

and then asks ``chron.when(...)``, ``chron.gap(...)``, ``pansec.charts`` and ``pansec.prose`` for the
rest. The modules that pull in matplotlib or ipywidgets load on first use, so the command line
(``python -m pansec validate``) never imports them.
"""

from __future__ import annotations

import importlib

from pansec.load import Chronology, DataError, load_chronology

__all__ = ["Chronology", "DataError", "load_chronology", "charts", "dates", "delays", "explore", "package", "prose",
           "style"]

_LAZY = {"charts", "dates", "delays", "explore", "package", "prose", "style"}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f"pansec.{name}")
    raise AttributeError(f"module 'pansec' has no attribute {name!r}")
