"""The data's files read in, each problem located as an editor shows it.

``files`` finds the folder and reads text strictly as UTF-8; ``descriptor`` reads and checks
``datapackage.json``; ``tables`` reads each CSV file into text cells indexed by editor line;
``bibtex`` reads ``references.bib``. Nothing here judges a cell: that is ``pansec.rules``.
"""
