"""The add-an-event form: ipywidgets controls over :mod:`pansec.add`.

Every control comes from :data:`pansec.add.FIELDS`, so the form, the book's table of it and the
columns of events.csv cannot drift apart; the menus offer the data's own vocabularies, actors,
source keys and events. The form writes only when *Check and add* is pressed, so running the
cell (as the book's build would) changes nothing.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from pansec import add
from pansec.explore.views import WHERE_CONTROLS_WORK
from pansec.read.files import default_data_dir

# Layouts are widgets: made per control, never at import, so that importing this module (as every
# chapter's build does) creates no widget state for the page to embed.
WIDE = {"width": "100%", "max_width": "46em"}
LABELS = {"description_width": "9em"}
MESSAGE_STYLE = ("<style>.pansec-form-message pre{white-space:pre-wrap;word-break:break-word;margin:0.3em 0;"
                 "font-size:0.9em}</style>")


def _control(item: add.Field, options: list[tuple[str, str]]) -> widgets.ValueWidget:
    common = {"description": item.label, "tooltip": item.help, "layout": widgets.Layout(**WIDE), "style": LABELS}
    if item.control == "choice":
        return widgets.Dropdown(options=options, **common)
    if item.control == "choices":
        return widgets.SelectMultiple(options=options, rows=6, **common)
    if item.control == "long":
        return widgets.Textarea(placeholder=item.placeholder or item.help, rows=3, **common)
    return widgets.Text(placeholder=item.placeholder or item.help, **common)


class LinkRow:
    """The controls of one link to an event already in the chronology."""

    def __init__(self, vocabulary: add.Choices, on_remove):
        self.controls = {item.column: _control(item, vocabulary.of(item.column, "exchanges")) for item in add.LINK_FIELDS}
        self.remove = widgets.Button(description="Remove this link", icon="trash", tooltip="Remove this link",
                                     layout=_fits())
        self.remove.on_click(lambda _: on_remove(self))
        self.widget = widgets.VBox([*self.controls.values(), self.remove],
                                   layout=widgets.Layout(border="1px solid #ccc", padding="0.4em", margin="0.3em 0",
                                                         max_width="47em"))

    def link(self) -> add.Link:
        return add.Link(**{column: control.value for column, control in self.controls.items()})


class EventForm:
    """Fill in an event, see its rows, check and add it to the data, or undo the last addition."""

    title = "Add an event"

    def __init__(self, data_dir=None, draft: add.Draft | None = None, *, label=None):
        self.folder = Path(data_dir) if data_dir is not None else default_data_dir()
        self.label = label if label is not None else _shown(self.folder)
        self.vocabulary = add.choices(self.folder)
        self.controls = {item.column: _control(item, self.vocabulary.of(item.column)) for item in add.FIELDS}
        self.links: list[LinkRow] = []
        self.links_box = widgets.VBox()
        self.add_link = widgets.Button(description="Add a link", icon="plus", layout=_fits(),
                                       tooltip="Link the new event to one already in the chronology")
        self.submit = widgets.Button(description="Check and add", button_style="primary", icon="check", layout=_fits(),
                                     tooltip="Run the book's check on the data with this event, and add it if it passes")
        self.undo_button = widgets.Button(description="Undo last addition", icon="undo", disabled=True, layout=_fits(),
                                          tooltip="Put events.csv and exchanges.csv back as they were before it")
        self.clear = widgets.Button(description="Clear the form", icon="eraser", layout=_fits())
        self.preview = widgets.HTML()
        self.message = widgets.HTML()
        self.additions: list[add.Addition] = []
        self._suggested = ""
        self.add_link.on_click(lambda _: self._new_link())
        self.submit.on_click(lambda _: self.check_and_add())
        self.undo_button.on_click(lambda _: self.undo())
        self.clear.on_click(lambda _: self.fill(add.Draft()))
        self.controls["title"].observe(self._title_changed, names="value")
        for control in self.controls.values():
            control.observe(lambda _: self.show_preview(), names="value")
        self.widget = widgets.VBox([
            widgets.HTML(f"<strong>{self.title}</strong> to <code>{html.escape(str(self.label))}</code>"),
            *self.controls.values(),
            widgets.HTML("<strong>Links to events already in the chronology</strong> (optional)"),
            self.links_box, self.add_link,
            widgets.HTML("<strong>The rows that will be written</strong>"), self.preview,
            widgets.HBox([self.submit, self.undo_button, self.clear], layout=widgets.Layout(flex_flow="row wrap")),
            self.message,
        ])
        self.fill(draft or add.Draft())

    # --- reading and filling the controls ---------------------------------------------------------

    def draft(self) -> add.Draft:
        """What the controls hold, as a draft."""
        values = {column: control.value for column, control in self.controls.items()}
        values["actors"], values["sources"] = tuple(values["actors"]), tuple(values["sources"])
        return add.Draft(**values, links=tuple(row.link() for row in self.links))

    def fill(self, draft: add.Draft) -> None:
        """Put a draft into the controls (an empty draft clears them)."""
        missing: list[str] = []
        for column, control in self.controls.items():
            control.value = _offered(control, getattr(draft, column), missing)
        self._suggested = draft.id
        for row in list(self.links):
            self._remove_link(row)
        for link in draft.links:
            row = self._new_link()
            for column, control in row.controls.items():
                control.value = _offered(control, getattr(link, column), missing)
        self.show_preview()
        self.message.value = ""
        if missing:
            self._say(f"Not in the data yet, so not chosen: {', '.join(missing)}. Add it (a source goes in "
                      "references.bib, an event in events.csv), then run this cell again.", [], ok=False)

    def _title_changed(self, change) -> None:
        """Keep the id following the title until the student types one of their own."""
        if self.controls["id"].value in ("", self._suggested):
            self._suggested = add.suggest_id(change["new"], self.vocabulary.taken) if change["new"].strip() else ""
            self.controls["id"].value = self._suggested

    def _new_link(self) -> LinkRow:
        row = LinkRow(self.vocabulary, self._remove_link)
        for control in row.controls.values():
            control.observe(lambda _: self.show_preview(), names="value")
        self.links.append(row)
        self.links_box.children = [r.widget for r in self.links]
        self.show_preview()
        return row

    def _remove_link(self, row: LinkRow) -> None:
        self.links.remove(row)
        self.links_box.children = [r.widget for r in self.links]
        self.show_preview()

    # --- preview, check, add, undo ----------------------------------------------------------------

    def show_preview(self) -> None:
        """The CSV lines the draft would add, file by file, computed as the addition computes them."""
        try:
            parts = add.rows(self.draft(), add.headers(self.folder)).items()
        except (OSError, ValueError) as err:
            self.preview.value = f"<p>{html.escape(str(err))}</p>"
            return
        self.preview.value = MESSAGE_STYLE + "".join(
            f'<div class="pansec-form-message"><code>{name}</code><pre>{html.escape(add.csv_text(lines))}</pre></div>'
            for name, lines in parts)

    def check_and_add(self) -> add.Outcome | None:
        """Run the book's check on the data with the draft; write it only if the check passes."""
        try:
            outcome, addition = add.add(self.draft(), self.folder, label=self.label)
        except (add.FileChangedError, OSError) as err:
            self._say("Nothing was written", [str(err)], ok=False)
            return None
        if addition is None:
            count = len(outcome.problems)
            self._say(f"Nothing was written: the check found {count} problem{'s' if count != 1 else ''}. "
                      "Fix them in the form and press Check and add again.", [str(p) for p in outcome.problems], ok=False)
            return outcome
        self.additions.append(addition)
        self.undo_button.disabled = False
        self.vocabulary = add.choices(self.folder)
        for row in self.links:  # offer the new event too, keeping what each link had chosen
            other = row.controls["other"]
            chosen, other.options = other.value, self.vocabulary.events
            other.value = chosen
        self._say(f"The check passed: {addition}. To see it, restart the kernel of a chapter and run all "
                  "its cells.", [], ok=True)
        return outcome

    def undo(self) -> None:
        """Take back the last addition, byte for byte."""
        if not self.additions:
            return
        last = self.additions[-1]
        try:
            add.undo(last)
        except (add.FileChangedError, OSError) as err:
            self._say("The addition was not undone", [str(err)], ok=False)
            return
        self.additions.pop()
        self.undo_button.disabled = not self.additions
        self.vocabulary = add.choices(self.folder)
        self._say(f"Undone: {last.event!r} is no longer in the data, and the files are as they were before it.", [], ok=True)

    def _say(self, text: str, lines: list[str], *, ok: bool) -> None:
        colour = "#1a7f37" if ok else "#b35900"
        listed = f"<pre>{html.escape(chr(10).join(lines))}</pre>" if lines else ""
        self.message.value = (f'{MESSAGE_STYLE}<div class="pansec-form-message" role="status" '
                              f'style="border-left:4px solid {colour};padding-left:0.6em">'
                              f"<p>{html.escape(text)}</p>{listed}</div>")

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"{self.title}: {WHERE_CONTROLS_WORK}."
        return bundle


def _fits() -> widgets.Layout:
    """A button as wide as its words (ipywidgets' fixed width cuts 'Undo last addition' short)."""
    return widgets.Layout(width="auto", min_width="9em", align_self="flex-start")


def _offered(control, value, missing: list[str]):
    """The value if the control offers it (for a list, the items it offers); the rest go to ``missing``."""
    if not isinstance(control, (widgets.Dropdown, widgets.SelectMultiple)):
        return value
    offered = [v for _, v in control.options]
    if isinstance(control, widgets.SelectMultiple):
        missing.extend(v for v in value if v not in offered)
        return tuple(v for v in value if v in offered)
    if value in offered:
        return value
    if value:
        missing.append(value)
    return offered[0] if offered else None


def _shown(folder: Path) -> str:
    """The folder as messages name it: 'data' for the repository's own, as the guide and the command line
    name it, else as given."""
    root = Path(__file__).resolve().parents[2]
    try:
        return Path(folder).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(folder)


def event_form(data_dir=None, draft: add.Draft | None = None) -> EventForm:
    """The form, empty or filled with a draft, adding to the data folder the chapters read."""
    return EventForm(data_dir, draft)
