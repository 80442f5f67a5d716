"""The Explore page's interactive chronology: every event on one timeline, in the reader's browser.

A code cell of book/explore.ipynb tagged ``chronology`` (its code folded, as every computing cell's)
prints, in a notebook and in the PDF, a sentence saying what the web page shows in its place. When
the HTML builder writes that page, the whole cell gives way to what this extension writes, from
``pansec.load_chronology()`` (so from the data files alone):

* filters by bloc, kind, period (data/periods.csv) and words; a timeline that
  ``_static/chronology.js`` (book/_static) draws with Observable Plot, one lane per bloc in the
  colours of ``pansec.palette``; a panel that shows an event's title, date at its precision, summary and
  sources on hover, keyboard focus or tap; and a table of the same rows, which the filters narrow
  too (screen readers, and readers without JavaScript, who get the table alone);
* for each event, the page where the book discusses it: the chapter that retells the report's
  section (``section`` of events.csv: ``introduction`` and ``conclusion`` are chapters of that name,
  the numbered sections the periods of periods.csv, whose chapters bear the period's id), at the
  heading under which the chapter's prose first computes a value of the event (an ``{eval}`` naming
  its id); an event of no section leads to the first chapter whose prose does so, or else to the
  data chapter, which says where such context events come from.

The page is written afresh at every build (``env-updated``), so its links follow the chapters'
headings even when only a chapter changed; an edit to data/ re-runs every chapter anyway.

The library, Observable Plot 0.6.17 with the eleven d3 modules it calls (365 KB of minified
JavaScript; d3's whole bundle would add 125 KB more), is not kept in the repository:
``python book/_ext/chronology.py`` (the Makefile's ``setup`` runs it) fetches the npm tarballs
pinned below with ``npm pack``, checks their SHA-512 and writes the scripts, in load order, as one
file into the virtual environment, with their licences beside it. The build copies it into the
site's ``_static/chronology/``; it asks no network and fails, saying what to run, when the file is
missing.

Config values (under ``sphinx: config:`` in _config.yml):

``chronology_library_folder``
    A folder holding ``chronology/plot-d3.min.js``, to use instead of the copy in the virtual
    environment.
``chronology_fallback``
    The page (relative to the chronology's own) an event leads to when no chapter discusses it:
    ``data-and-method``.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import vendored

#: The cell tag that marks where the chronology goes.
TAG = "chronology"

#: npm packages, in the order the browser must run them (each d3 module extends the global ``d3``
#: that the next, and Plot, use): version, the tarball's SHA-512 as the registry publishes it (`npm
#: view NAME@VERSION dist.integrity`), and the minified UMD script in the tarball. These are the
#: modules Plot calls for a timeline of rects, text, rules and a time axis; d3-geo among them,
#: because Plot calls it while loading.
PACKAGES = {
    "d3-array": ("3.2.5", "sha512-Th8qGXoBalmWsstpkuhmBuTsBQIFqYOJtjlBvNVvBfJ8E3uYusBUwUR8HU20U0qKKQkgCvKyR1YjiozWadk5QA==", "dist/d3-array.min.js"),
    "d3-color": ("3.1.1", "sha512-lfab8x0Bj0UO7SNsY8dZSbNIA6ipbkE3X0NG9nqjCu6CfCHZseuDnOSJY7hidKrjpP++i1M2qT+FlAdPKYRilA==", "dist/d3-color.min.js"),
    "d3-format": ("3.1.3", "sha512-+F+/49swqmGuQJmSKnVMIDH/QkEFV5li9QRj0xm/KhyAUBv099O5PrvpQFxBp24PYph17Mnvt9mjKQV0ii0nMA==", "dist/d3-format.min.js"),
    "d3-interpolate": ("3.0.2", "sha512-IRzGU62DtxhvsnSTWMQIdnoZ6gA+BCWwBon1EJI6SjoN595799b6z/QRBzXfFhE8iupUPp3042yBNo0STPqnzQ==", "dist/d3-interpolate.min.js"),
    "d3-time": ("3.1.1", "sha512-Ze7rjrhMzdeulh0/hjcfFj7XLAHOfowtEMfsoG6DU866HPynQNW7Wfen6hzXcqKTv8XzxvF6Hzr5XD6bMHr2ug==", "dist/d3-time.min.js"),
    "d3-time-format": ("4.1.1", "sha512-22XaqjyCjpqgda20erhsOjGmC3vvYwTNYniKAd45W5UWLDF43moeOuV9qYpRqobIlsnK0UhnKZjUUJm3VgORUA==", "dist/d3-time-format.min.js"),
    "d3-scale": ("4.0.3", "sha512-66cWobCNzcMvlfoaDHCxuIv9TBUWG1BLOWdv9kHHFuCr1JdqAWPvTmsaEYDD5NRMyWZ5+7u0GqiCDfMXMqh3hg==", "dist/d3-scale.min.js"),
    "d3-selection": ("3.0.1", "sha512-ODSf35vqCrlCfp7hrm0eZjvOosSXSYLjqvIlhMBV9q9VOx7EBJG6pc+uXBswEZNJgCGJ+qnKYcWutbZDIxe/Xg==", "dist/d3-selection.min.js"),
    "d3-path": ("3.1.1", "sha512-jsbgV8zIT38ReB9O7X7gcLndTQRONSqNNd+oGIaTBdUug4r5jFmp0N6RY9R5GWbdUDucn0qoTGyfjapT4tDhcg==", "dist/d3-path.min.js"),
    "d3-shape": ("3.2.1", "sha512-dm2o+lbKdzg9tY7GEag/dB9hcbodLfwkE/DkvqbELJXaMz0yKzWWhZqhbI7CKubukA7HnRyz0avdtvi7EPxPvw==", "dist/d3-shape.min.js"),
    "d3-geo": ("3.1.2", "sha512-5R8ZgDQorIxmauv7R6gpE/ndz+Z0qAZssigq0aXFdvPHdY41RqtW02jrRUQAL724NdPABYXo1+gQEGBBr7uKNg==", "dist/d3-geo.min.js"),
    "@observablehq/plot": ("0.6.17", "sha512-/qaXP/7mc4MUS0s4cPPFASDRjtsWp85/TbfsciqDgU1HwYixbSbbytNuInD8AcTYC3xaxACgVX06agdfQy9W+g==", "dist/plot.umd.min.js"),
}
STATIC_FOLDER = "chronology"
LIBRARY = f"{STATIC_FOLDER}/plot-d3.min.js"
LICENCES = f"{STATIC_FOLDER}/LICENSES.txt"
SCRIPT = "chronology.js"
STYLESHEET = "chronology.css"

SECTION_MARK = "\u00a7"
#: What the page's script reads from the data; the words (title, date, summary, actors, sources,
#: where the book discusses the event) it reads from the table, which carries them once.
MACHINE_FIELDS = ("id", "start", "end", "precision", "bloc", "kind", "periods")
PRECISION_WORDS = {"month": "known to the month", "year": "known to the year"}


def default_folder(prefix: str | Path | None = None) -> Path:
    """Where the install step puts the library: inside the virtual environment that builds."""
    plot = PACKAGES["@observablehq/plot"][0]
    pins = hashlib.sha256(json.dumps(PACKAGES, sort_keys=True).encode()).hexdigest()[:12]
    return Path(prefix or sys.prefix) / "share" / "pansec" / f"plot-{plot}-d3-{pins}"


def is_installed(folder: Path) -> bool:
    return (folder / LIBRARY).is_file() and (folder / LICENCES).is_file()


def install(folder: Path, npm: str = "npm") -> Path:
    """Fetch the pinned tarballs (one `npm pack`), check their hashes, write the scripts in load
    order as one file and the licences beside it. Does nothing when it is there already."""
    if is_installed(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        tmp = Path(tmp)
        specs = [f"{name}@{version}" for name, (version, _, _) in PACKAGES.items()]
        packed = vendored.npm_pack(npm, specs, tmp, "The Explore page's chronology")
        scripts, licences = [], []
        for name, (version, integrity, script) in PACKAGES.items():
            tarball = packed[name]
            vendored.check_pinned(tarball, name, version, integrity)
            with tarfile.open(tarball) as tar:
                scripts.append(tar.extractfile(f"package/{script}").read().decode("utf-8").strip())
                licence = tar.extractfile("package/LICENSE").read().decode("utf-8").strip()
            licences.append(f"{name} {version} (npm)\n\n{licence}\n")
        staged = tmp / "staged"
        (staged / STATIC_FOLDER).mkdir(parents=True)
        header = "/* " + ", ".join(specs) + ": the licences are in LICENSES.txt beside this file. */"
        (staged / LIBRARY).write_text("\n".join([header, *scripts]) + "\n", encoding="utf-8")
        (staged / LICENCES).write_text(("\n" + "=" * 78 + "\n\n").join(licences), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staged.rename(folder)
    return folder


# ---------------------------------------------------------------------------------- the data


def _iso(timestamp) -> str:
    return timestamp.strftime("%Y-%m-%d")


def _reading_order(env) -> list[str]:
    """The documents as the table of contents orders them."""
    order, seen = [], set()

    def walk(docname):
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order


ID_IN_EXPRESSION = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")


def _mentions(env, docname: str) -> dict[str, str]:
    """Event ids that the document's prose computes a value of, each with the id of the heading
    above its first mention ('' under the page's title)."""
    from docutils import nodes

    found = {}
    for node in env.get_doctree(docname).findall(nodes.inline):
        expression = node.get("expression")
        if not expression:
            continue
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        top = section is None or not isinstance(section.parent, nodes.section)
        anchor = "" if top or not section["ids"] else section["ids"][0]
        for event_id in ID_IN_EXPRESSION.findall(expression):
            found.setdefault(event_id, anchor)
    return found


def _chapters_by_section(env, page: str, chron) -> dict[str, str]:
    """Section of the report -> the chapter that retells it, beside the chronology's page."""
    from sphinx.util import logging

    folder = posixpath.dirname(page)
    sections = set(chron.events["section"].dropna()) | set(chron.periods["section"])
    found = {}
    for section in sorted(sections):
        candidates = [section] + list(chron.periods.loc[chron.periods["section"] == section, "id"])
        for name in candidates:
            docname = posixpath.join(folder, name)
            if docname in env.found_docs:
                found[section] = docname
                break
        else:
            logging.getLogger(__name__).warning(
                f"chronology: no chapter retells section {section!r} of the report (looked for "
                f"{', '.join(posixpath.join(folder, c) for c in candidates)}); its events lead to the data chapter",
                location=page,
            )
    return found


def _where(env, builder, page: str, docname: str, anchor: str) -> tuple[str, str]:
    """The link from the chronology's page to a heading of a chapter, and the chapter's name."""
    title = env.titles[docname].astext() if docname in env.titles else docname
    number = env.toc_secnumbers.get(docname, {}).get("")
    name = f"{title} (chapter {'.'.join(map(str, number))})" if number else title
    uri = builder.get_relative_uri(page, docname)
    return uri + (f"#{anchor}" if anchor else ""), name


def _kinds_in_order() -> list[str]:
    """The kinds of event in the order the data package lists them (the Data chapter's order)."""
    from pansec.load import default_data_dir

    try:
        package = json.loads((Path(default_data_dir()) / "datapackage.json").read_text(encoding="utf-8"))
        events = next(r for r in package["resources"] if r["name"] == "events")
        kind = next(f for f in events["schema"]["fields"] if f["name"] == "kind")
        return list(kind["constraints"]["enum"])
    except (OSError, ValueError, KeyError, StopIteration):
        return []


def chronology_data(chron, env, builder, page: str) -> dict:
    """Everything the page's script needs, from the data: events in date order, periods, blocs, kinds."""
    from pansec import dates, palette, words  # palette, not style: no matplotlib in the build

    fallback = posixpath.normpath(posixpath.join(posixpath.dirname(page), env.config.chronology_fallback))
    chapters = _chapters_by_section(env, page, chron)
    order = [doc for doc in _reading_order(env) if doc != page]
    mentions = {doc: _mentions(env, doc) for doc in order}
    actors = {a: str(name).split(" (")[0] for a, name in zip(chron.actors["id"], chron.actors["name"])}
    periods = [
        {
            "id": row["id"],
            "label": row["label"],
            "short": f"{SECTION_MARK}{row['section']}" if str(row["section"])[:1].isdigit() else str(row["label"]),
            "start": _iso(dates.span(row["start"])[0]),
            "end": _iso(dates.span(row["end"])[1]),
            "when": f"{words.say_date(row['start'])} to {words.say_date(row['end'])}",
        }
        for _, row in chron.periods.iterrows()
    ]
    # An event belongs to the period in which it begins, as in the chronology explorer.
    bounds = {row["id"]: (dates.span(row["start"])[0], dates.span(row["end"])[1]) for _, row in chron.periods.iterrows()}

    events = []
    for _, row in chron.events.iterrows():
        section = row["section"] if isinstance(row["section"], str) else None
        chapter = chapters.get(section) if section else None
        if chapter:
            target, why = (chapter, mentions.get(chapter, {}).get(row["id"], "")), "discussed"
        else:
            found = next((doc for doc in order if row["id"] in mentions[doc]), None)
            if found:
                target, why = (found, mentions[found][row["id"]]), "discussed"
            else:
                target, why = (fallback, ""), "context"
        href, where = _where(env, builder, page, *target) if target[0] in env.found_docs else (None, "")
        events.append(
            {
                "id": row["id"],
                "title": row["title"],
                "when": words.say_span(row["date"], row["end_date"]),
                "precision": row["precision"],
                "precisionWords": PRECISION_WORDS.get(row["precision"], ""),
                "start": _iso(row["start"]),
                "end": _iso(row["end"]),
                "bloc": row["bloc"],
                "kind": row["kind"],
                "periods": [p for p, (first, last) in bounds.items() if first <= row["start"] <= last],
                "summary": row["summary"],
                "actors": [actors.get(a, a) for a in row["actors"]],
                "sources": [str(chron.references[k]) if k in chron.references else k for k in row["sources"]],
                "href": href,
                "where": where,
                "why": why,
            }
        )
    vocabulary = _kinds_in_order()
    present_blocs = set(chron.events["bloc"])
    present_kinds = set(chron.events["kind"])
    return {
        "events": events,
        "periods": periods,
        "blocs": [
            {"id": b, "label": palette.BLOC_LABELS.get(b, b), "colour": palette.BLOC_COLOURS[b]}
            for b in palette.BLOCS if b in present_blocs
        ] + [{"id": b, "label": b, "colour": palette.GREY_DARK} for b in sorted(present_blocs - set(palette.BLOCS))],
        "kinds": [k for k in vocabulary if k in present_kinds] + sorted(present_kinds - set(vocabulary)),
    }


# ---------------------------------------------------------------------------------- the markup


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _options(all_label: str, choices) -> str:
    return f'<option value="">{_e(all_label)}</option>' + "".join(
        f'<option value="{_e(value)}">{_e(label)}</option>' for value, label in choices
    )


def chronology_html(data: dict, prefix: str = "chronology") -> str:
    """The chronology's markup: filters, chart, details, the table of every event, the data."""
    blocs = {b["id"]: b["label"] for b in data["blocs"]}
    colours = {b["id"]: b["colour"] for b in data["blocs"]}
    events = data["events"]
    first, last = events[0]["start"][:4], max(e["end"] for e in events)[:4]
    total = f"{len(events)} events, {first} to {last}"
    rows = []
    for event in events:
        # The table carries the words (the script reads them from it), the data below the rest.
        title = _e(event["title"])
        if event["href"]:
            title = (f'<a class="pansec-chronology-title" href="{_e(event["href"])}" data-where="{_e(event["where"])}" '
                     f'data-why="{_e(event["why"])}">{title}</a>')
        else:
            title = f'<span class="pansec-chronology-title">{title}</span>'
        when = f'<span class="pansec-chronology-date">{_e(event["when"])}</span>'
        if event["precisionWords"]:
            when += f' <span class="pansec-chronology-precision">({_e(event["precisionWords"])})</span>'
        rows.append(
            f'<tr data-id="{_e(event["id"])}" role="row"><td role="cell">{when}</td><td role="cell">{title} '
            f'<span class="pansec-chronology-summary">{_e(event["summary"])}</span> '
            f'<span class="pansec-chronology-actors">Actors: {_e(", ".join(event["actors"]))}.</span> '
            f'<span class="pansec-chronology-sources">Sources: {_e("; ".join(event["sources"]))}.</span></td>'
            f'<td role="cell"><span class="pansec-chronology-bloc" style="--bloc: {colours[event["bloc"]]}">{_e(blocs[event["bloc"]])}</span></td>'
            f'<td role="cell">{_e(event["kind"])}</td></tr>'
        )
    machine = dict(data, events=[{key: event[key] for key in MACHINE_FIELDS} for event in events])
    payload = json.dumps(machine, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    periods = [(p["id"], p["label"]) for p in data["periods"]]
    return f"""<!-- pansec-chronology -->
<div class="pansec-chronology" id="{prefix}">
<form class="pansec-chronology-filters" id="{prefix}-filters" role="search" aria-label="Filter the chronology" hidden>
<div><label for="{prefix}-bloc">Bloc</label><select id="{prefix}-bloc" name="bloc">{_options("All blocs", blocs.items())}</select></div>
<div><label for="{prefix}-kind">Kind</label><select id="{prefix}-kind" name="kind">{_options("All kinds", ((k, k) for k in data["kinds"]))}</select></div>
<div><label for="{prefix}-period">Period</label><select id="{prefix}-period" name="period">{_options("All periods", periods)}</select></div>
<div><label for="{prefix}-text">Words</label><input type="search" id="{prefix}-text" name="text" autocomplete="off" spellcheck="false" placeholder="e.g. Molotov"></div>
</form>
<div class="pansec-chronology-status"><p class="pansec-chronology-count" role="status">{_e(total)}.</p>
<button type="reset" form="{prefix}-filters" hidden>Show all</button></div>
<p class="pansec-chronology-key" hidden><span><span class="pansec-chronology-swatch" aria-hidden="true"></span> dated to the day</span> <span><span class="pansec-chronology-swatch pansec-chronology-swatch-days" aria-hidden="true"></span> several days</span> <span><span class="pansec-chronology-swatch pansec-chronology-swatch-vague" aria-hidden="true"></span> pale: known only to the month or the year</span></p>
<div class="pansec-chronology-chart" hidden></div>
<div class="pansec-chronology-details" hidden><p class="pansec-chronology-hint">Point at an event, or tap it, to read about it here. With a keyboard: Tab to the timeline, then the arrow keys; Enter opens the chapter that discusses the event.</p></div>
<details class="pansec-chronology-table" open>
<summary>The events as a table</summary>
<div class="pansec-chronology-scroll" role="region" aria-labelledby="{prefix}-caption" tabindex="0">
<table class="table" role="table">
<caption id="{prefix}-caption">The events of the chronology in date order, each linked to where the book discusses it</caption>
<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Date</th><th scope="col" role="columnheader">Event</th><th scope="col" role="columnheader">Bloc</th><th scope="col" role="columnheader">Kind</th></tr></thead>
<tbody role="rowgroup">
{chr(10).join(rows)}
</tbody>
</table>
</div>
</details>
<script type="application/json" class="pansec-chronology-data">{payload}</script>
</div>
<!-- /pansec-chronology -->
"""


# ---------------------------------------------------------------------------------- the extension


def _library_folder(app) -> Path:
    return vendored.folder_of(app, app.config.chronology_library_folder, default_folder())


def _cells(document):
    from docutils import nodes

    for cell in document.findall(nodes.container):
        if cell.get("nb_element") == "cell_code" and f"tag_{TAG}" in cell.get("classes", []):
            yield cell


def note_pages(app, doctree) -> None:
    """Remember which pages hold a chronology, to add its script and rewrite them at every build."""
    if any(True for _ in _cells(doctree)):
        pages = app.env.__dict__.setdefault("chronology_pages", set())
        pages.add(app.env.docname)


def purge_page(app, env, docname: str) -> None:
    getattr(env, "chronology_pages", set()).discard(docname)


def merge_pages(app, env, docnames, other) -> None:
    env.__dict__.setdefault("chronology_pages", set()).update(getattr(other, "chronology_pages", set()) & set(docnames))


def rewrite_pages(app, env) -> list[str]:
    """The chapters' headings (where events lead) may have changed: write the page every build."""
    return sorted(getattr(env, "chronology_pages", set()) & env.found_docs)


def draw_chronology(app, doctree, docname: str) -> None:
    """In HTML, the tagged cell becomes the chronology; other builders keep the cell's own output."""
    if app.builder.format != "html":
        return
    cells = list(_cells(doctree))
    if not cells:
        return
    from docutils import nodes

    import pansec

    data = chronology_data(pansec.load_chronology(), app.env, app.builder, docname)
    for number, cell in enumerate(cells):
        prefix = "chronology" if number == 0 else f"chronology-{number + 1}"
        cell.replace_self(nodes.raw("", chronology_html(data, prefix), format="html"))


def add_assets(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The chronology's scripts and stylesheet, on its pages only."""
    if pagename in getattr(app.env, "chronology_pages", set()):
        app.add_css_file(STYLESHEET)
        app.add_js_file(LIBRARY, defer="defer")
        app.add_js_file(SCRIPT, defer="defer")


def check_library(app) -> None:
    """Fail the build at its start, before any chapter runs, when the library is missing."""
    folder = _library_folder(app)
    vendored.require(app, folder, is_installed(folder), "chronology (Observable Plot and d3)", "book/_ext/chronology.py")


def copy_library(app, exception) -> None:
    """Put the library in the output's _static/chronology/ at the end of every build."""
    vendored.copy_into_build(app, exception, _library_folder(app), STATIC_FOLDER)


def setup(app) -> dict:
    app.add_config_value("chronology_library_folder", "", "html")
    app.add_config_value("chronology_fallback", "data-and-method", "env")
    app.connect("builder-inited", check_library)
    app.connect("doctree-read", note_pages)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-updated", rewrite_pages)
    app.connect("doctree-resolved", draw_chronology)
    # Before live_code and page_fixes, which replace the page's list of scripts with a list of their own.
    app.connect("html-page-context", add_assets, priority=400)
    app.connect("build-finished", copy_library)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(f"The chronology's scripts in {install(default_folder())}")
