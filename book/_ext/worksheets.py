"""The seminar's worksheets, printed as PDFs of their own beside the book.

Each worksheet page (``book/worksheet-*``) becomes a LaTeX document of its own, so ``make pdf`` writes
``worksheet-1.pdf`` and so on next to ``book.pdf`` (Jupyter Book runs ``make all-pdf``, which builds
every ``.tex`` file). The entries are added to ``latex_documents`` once the pages are read, with each
worksheet's own title: Jupyter Book 1.0.4 rewrites that setting after Sphinx starts and fails on a
list of more than one.

A worksheet names the book's figures by number and its pages by title, but those are not in the
worksheet's own PDF, where Sphinx can make no link to them and would print the bare label
("fig-long-road"). In a worksheet's LaTeX each such reference is printed as the text the web page
shows ("Fig. 4.2", "The paper's sense of time, checked"), without a link.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

PREFIX = "book/worksheet-"


def is_worksheet(docname: str) -> bool:
    return docname.startswith(PREFIX)


class ReferencesAsText(SphinxPostTransform):
    # Before Sphinx resolves references (priority 10), which it cannot do across PDFs.
    default_priority = 5
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        if not is_worksheet(self.env.docname):
            return
        for ref in list(self.document.findall(addnodes.pending_xref)):
            text = self.as_text(ref)
            if text is not None:
                ref.replace_self(nodes.inline(text, text))

    def as_text(self, ref: addnodes.pending_xref) -> str | None:
        target = ref["reftarget"]
        if ref["reftype"] == "doc":
            docname = target if target.startswith("book/") else f"book/{target}"
            title = self.env.titles.get(docname)
            return ref.astext() if ref.get("refexplicit") else (title.astext() if title else None)
        if ref["reftype"] == "numref":
            docname, labelid = self.env.get_domain("std").labels.get(target.lower(), (None, None, None))[:2]
            for figtype, numbers in self.env.toc_fignumbers.get(docname, {}).items():
                if labelid in numbers:
                    number = ".".join(map(str, numbers[labelid]))
                    return self.config.numfig_format[figtype] % number
        return None


def add_worksheet_documents(app: Sphinx, env) -> None:
    if app.builder.format != "latex":
        return
    listed = {entry[0] for entry in app.config.latex_documents}
    for docname in sorted(env.found_docs):
        if is_worksheet(docname) and docname not in listed:
            title = env.titles[docname].astext()
            name = docname.rsplit("/", 1)[-1]
            app.config.latex_documents.append((docname, f"{name}.tex", title, app.config.author, "manual", False))


def setup(app: Sphinx) -> dict:
    app.connect("env-updated", add_worksheet_documents)
    app.add_post_transform(ReferencesAsText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
