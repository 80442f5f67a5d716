"""The chronology of Soviet proposals for pan-European security, as data chapters can trust.

``pansec.load`` reads the tables, ``pansec.validate`` says what is wrong with them, and
``pansec.delays`` derives the gaps between linked events, as ranges where dates are imprecise.
"""
