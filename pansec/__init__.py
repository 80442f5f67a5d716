"""The chronology of Soviet proposals for pan-European security, as data chapters can trust.

Data flow one way, and the modules follow them: ``pansec.read`` reads the files (every problem
located as an editor shows it), ``pansec.rules`` checks them, ``pansec.validate`` runs both,
``pansec.load`` gives typed frames (dates keep their precision, see ``pansec.dates``),
``pansec.derive`` computes gaps, delays and verdicts on the paper's claims, ``pansec.words`` puts
dates, gaps, counts and tables into words, ``pansec.charts`` draws them in the book's one style
(``pansec.style``), and ``pansec.explore`` wraps the charts in ipywidgets explorers and puts the
add-an-event form on the screen; ``pansec.add`` checks a new event with the same validator and
writes it (``pansec.write``: atomically, every other byte kept), or takes it back;
``pansec.package`` lists the files of the data package and counts the rows of its tables, for
readers who download them.

A chapter needs two lines::

    import pansec
    chron = pansec.load_chronology()

and then asks ``chron.when(...)``, ``chron.gap(...)``, ``pansec.charts`` and ``pansec.words`` for the
rest. Every name here loads on first use, so ``import pansec`` costs nothing and the command line
(``python -m pansec validate``) never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import importlib

#: Public names, and the module each comes from.
_NAMES = {
    "Chronology": "pansec.load",
    "Reference": "pansec.load",
    "load_chronology": "pansec.load",
    "default_data_dir": "pansec.read.files",
    "DataError": "pansec.problems",
    "Problem": "pansec.problems",
}
#: Modules a chapter may use as ``pansec.<name>`` without importing them first.
_MODULES = ("add", "charts", "dates", "derive", "explore", "load", "package", "palette", "read", "rules", "style", "validate",
            "words", "write")

__all__ = [*_NAMES, *_MODULES]


def __getattr__(name: str):
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
    elif name in _MODULES:
        value = importlib.import_module(f"pansec.{name}")
    else:
        raise AttributeError(f"module 'pansec' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
