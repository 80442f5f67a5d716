"""The data and the book's PDF, one click from every page.

At the end of an HTML build the data package is copied beside the pages, in ``data/`` (each table's
CSV file, ``datapackage.json`` and ``references.bib``), so that a chapter's link ``../data/events.csv``
works on the web as it does in JupyterLab, where the notebook sits in ``book/`` beside ``data/``; and
the same files are packed into ``_static/pan-european-security-data.zip``, with the dates of the
last commit (``SOURCE_DATE_EPOCH``) so that two builds of one commit give the same bytes.

Every page lists these downloads, with the PDF of the book (which the Makefile copies to
``_static/pan-european-security.pdf``), at the foot of the sidebar (``book/_templates/downloads.html``)
and in a menu of the page header. The header's own ".pdf" entry prints the web page, so it is named
for what it does.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

from sphinx.application import Sphinx

from pansec.package import files as data_files

BOOK_PDF = "_static/pan-european-security.pdf"
DATA_ZIP = "_static/pan-european-security-data.zip"
# Inside the zip, the files sit in a folder of this name, as `datapackage.json` expects them.
ZIP_FOLDER = "pan-european-security-data"


def data_dir_of(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.downloads_data_dir


def downloads(app: Sphinx) -> list[dict]:
    """What every page offers: the book, the data as one zip, then each file of the package."""
    items = [
        {"text": "The book (PDF)", "path": BOOK_PDF, "icon": "fas fa-file-pdf"},
        {"text": "All the data (zip)", "path": DATA_ZIP, "icon": "fas fa-file-archive"},
    ]
    for name in data_files(data_dir_of(app)):
        items.append({"text": name, "path": f"data/{name}", "icon": "fas fa-table" if name.endswith(".csv") else "fas fa-file"})
    return items


def offer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    pathto = context["pathto"]
    context["pansec_downloads"] = [{**item, "url": pathto(item["path"], 1)} for item in downloads(app)]


def add_to_header(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    offered = context.get("pansec_downloads", [])
    buttons = context.get("header_buttons")
    if buttons is None:
        return
    for group in buttons:
        for button in group.get("buttons", []):
            if button.get("label") == "download-pdf-button":
                button["text"] = "Print page"
    buttons.append(
        {
            "type": "group",
            "tooltip": "Download the book and its data",
            "icon": "fas fa-database",
            "label": "book-and-data-downloads",
            "buttons": [
                {"type": "link", "url": item["url"], "text": item["text"], "icon": item["icon"],
                 "tooltip": item["text"], "label": f"download-{item['path'].replace('/', '-')}"}
                for item in offered
            ],
        }
    )


def write_data(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = data_dir_of(app)
    out = Path(app.outdir)
    (out / "data").mkdir(exist_ok=True)
    names = data_files(source)
    for name in names:
        shutil.copyfile(source / name, out / "data" / name)
    stamp = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or 315532800)[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))  # the earliest date a zip file can hold
    (out / DATA_ZIP).parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out / DATA_ZIP, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            entry = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, (source / name).read_bytes())


def setup(app: Sphinx) -> dict:
    app.add_config_value("downloads_data_dir", "data", "html")
    # Before the themes pre-render the sidebar's sections; after sphinx-book-theme has made the header's
    # buttons (priority 501).
    app.connect("html-page-context", offer, priority=400)
    app.connect("html-page-context", add_to_header, priority=600)
    app.connect("build-finished", write_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
