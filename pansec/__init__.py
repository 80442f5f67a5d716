"""The chronology of Soviet proposals for pan-European security, as data chapters can trust.

Data flows one way: ``pansec.load`` reads the tables (dates keep their precision, see
``pansec.dates``), ``pansec.validate`` says what is wrong with them, ``pansec.delays`` derives the gaps
between linked events as ranges, ``pansec.prose`` puts dates, gaps and tables into words for the
chapters, ``pansec.charts`` draws them in the book's one style (``pansec.style``), and
``pansec.explore`` wraps the charts in ipywidgets explorers.
"""
