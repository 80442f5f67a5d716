"""Fixes to what Sphinx writes into every page, each for a reader's browser or screen reader.

* Each script once. sphinx-thebe (and sphinx-togglebutton) register their inline set-up scripts so
  that two copies end up in every page's head: an inline script arrives once with filename None and
  once with "" (Sphinx's registry and builder spell "no file" differently), so Sphinx keeps both,
  and the second ``const THEBE_JS_URL = ...`` is a SyntaxError in the console. Repeats of the same
  script (same file or inline body, same attributes) are dropped when the page is written.
* Bibliography entries as list items. docutils marks each citation ``role="doc-biblioentry"``
  inside a ``role="list"``; that role is deprecated in ARIA 1.2 and is no list item, so a screen
  reader is told of a list with no items (axe: aria-required-children, critical). The entries
  become ``role="listitem"``, which is what they are.
* Hidden code cells named by what they show. MyST-NB labels the summary of a folded cell "Toggle
  hidden content" while it shows "Show code cell source"; a speech-input user saying the visible
  words finds no such control (axe: label-content-name-mismatch, serious). Without the label the
  summary is named by its visible text.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def drop_repeated_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in sorted(scripts, key=lambda js: getattr(js, "priority", 500)):
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


BODY_FIXES = {
    'role="doc-biblioentry"': 'role="listitem"',
    '<summary aria-label="Toggle hidden content">': "<summary>",
}


def fix_body_markup(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not body:
        return
    for written, meant in BODY_FIXES.items():
        body = body.replace(written, meant)
    context["body"] = body


def setup(app: Sphinx) -> dict:
    # Late, so that what other extensions add to the page on this event is seen too.
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("html-page-context", fix_body_markup, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
