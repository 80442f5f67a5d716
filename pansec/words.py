"""The one vocabulary: a date, a span, a gap, a count and a table in words, for prose and charts.

The essay never types a date, gap or count by hand: a chapter's sentence asks for it with an
inline expression (``{eval}`chron.when("budapest-appeal")` ``), which the book and JupyterLab both
evaluate, so an edit to ``data/`` changes the text as well as the charts. Each idea is worded by
one function here, so a gap reads the same in a sentence, a table and a chart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

MONTHS = (
    "January February March April May June July August "
    "September October November December"
).split()

NUMBER_WORDS = (
    "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def say_date(iso: str) -> str:
    """'1954-11-13' -> '13 November 1954'; '1954-11' -> 'November 1954'; '1954' -> '1954'.

    The wording keeps the precision of the data, so a month-dated event never gains a day.
    """
    parts = str(iso).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def say_span(start: str, end: str | None) -> str:
    """Dates of a multi-day event in prose: '29 November to 2 December 1954'."""
    if end is None or pd.isna(end) or str(end) == "":
        return say_date(start)
    first, last = str(start).split("-"), str(end).split("-")
    if len(first) == len(last) == 3 and first[0] == last[0]:
        if first[1] == last[1]:
            return f"{int(first[2])} to {say_date(end)}"
        return f"{int(first[2])} {MONTHS[int(first[1]) - 1]} to {say_date(end)}"
    return f"{say_date(start)} to {say_date(end)}"


def say_number(n: int) -> str:
    """Small counts as words ('eight'), larger ones as digits, as English prose does."""
    n = int(n)
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def _unit(days: float) -> str:
    days = abs(days)
    if days == 0:
        return "0 days"
    if days < 60:
        return f"{days:.0f} day" + ("" if days == 1 else "s")
    if days < 730:
        months = days / 30.4375
        return f"{months:.0f} months" if round(months) != 1 else "1 month"
    return f"{days / 365.25:.1f}".removesuffix(".0") + " years"


def say_gap(min_days: float, max_days: float) -> str:
    """A gap in words, as a range where the dates are imprecise: '21 days', '13 to 43 days'.

    Negative values mean the second event may come first; the wording then says 'before'.
    """
    if pd.isna(min_days) or pd.isna(max_days):
        return "unknown"
    lo, hi = float(min_days), float(max_days)
    if lo == hi:
        if lo == 0:
            return "the same day"
        word = _unit(lo)
        return word if lo > 0 else f"{word} before"
    if lo < 0 < hi:
        # The second event may come first or after: signed offsets read at a glance.
        first, last = _unit(lo).split(" ", 1), _unit(hi).split(" ", 1)
        if first[1].rstrip("s") == last[1].rstrip("s"):
            return f"\u2212{first[0]} to +{last[0]} {last[1]}"
        return f"\u2212{_unit(lo)} to +{_unit(hi)}"
    a, b = _unit(lo), _unit(hi)
    if a == b:
        # A range too narrow to show at this unit ('7 to 7 months') is one approximate value.
        return f"about {a}"
    unit_a, unit_b = a.split(" ", 1)[1], b.split(" ", 1)[1]
    if unit_a.rstrip("s") == unit_b.rstrip("s"):
        return f"{a.split(' ')[0]} to {b}"
    return f"{a} to {b}"


def cite_keys(keys: Iterable) -> str:
    """Source keys as MyST citations for a Markdown table cell: a key alone, or a (key, locator) pair
    whose locator is printed inside the citation, 'Hotta (2026, §2, note 6)'."""
    cites = []
    for item in keys:
        key, where = (item, "") if isinstance(item, str) else item
        cites.append(f"{{cite:t}}`{key}{{{where}}}`" if where else f"{{cite:t}}`{key}`")
    return "; ".join(cites)


def plain_cites(keys: Iterable) -> str:
    """The same citations as plain text, for JupyterLab's table: 'hotta2026 (§2, note 6); gaddis2005cold'."""
    return "; ".join(item if isinstance(item, str) else (f"{item[0]} ({item[1]})" if item[1] else item[0])
                     for item in keys)


def link_text(path: str) -> str:
    """What a link to a file shows: the file's name."""
    return path.rsplit("/", 1)[-1]


def markdown_table(table: pd.DataFrame, *, cite_column: str | None = None, link_column: str | None = None) -> str:
    """A frame as a Markdown table, for ``glue:md``.

    Markdown tables render the same in HTML and PDF, carry no empty index header, and let the
    cells of ``cite_column`` (comma-separated BibTeX keys) become live citations.
    """
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    lines = [header, rule]
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, row):
            text = str(value)
            if column == cite_column:
                keys = value if isinstance(value, list) else [k.strip() for k in text.split(",") if k.strip()]
                text = cite_keys(keys)
            elif column == link_column:
                text = f"[{link_text(text)}]({text})"
            else:
                text = html.escape(text, quote=False)
            cells.append(text.replace("|", "\\|").replace("\n", " "))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_block(table: pd.DataFrame, title: str = "", *, cite_column: str | None = None, name: str | None = None,
                link_column: str | None = None) -> str:
    """A frame as a titled MyST ``table`` that also prints well in the PDF.

    A ``longtable`` with relative column widths: the PDF breaks it across pages and wraps long
    cells, where an unsized table runs off the right edge of the page.
    """
    body = markdown_table(table, cite_column=cite_column, link_column=link_column)
    widths = []
    for column in table.columns:
        cells = [str(column)] + [link_text(str(v)) if column == link_column else str(v) for v in table[column]]
        word = max(len(w) for cell in cells for w in cell.split())
        widths.append(str(min(max(max(map(len, cells)), word + 2, 10), 40)))
    label = f":name: {name}\n" if name else ""
    return f":::{{table}} {title}\n{label}:class: longtable\n:widths: {' '.join(widths)}\n\n{body}\n:::"


class Table:
    """A table of the data that reads as a table wherever its chapter runs.

    A notebook cell that ends with one shows it: JupyterLab renders its HTML (sources as plain
    keys), and the book, which prefers Markdown outputs (``nb_mime_priority_overrides`` in
    _config.yml), renders its MyST: a titled long table that breaks across PDF pages and whose
    sources are live citations listed in the bibliography.
    """

    def __init__(self, frame: pd.DataFrame, title: str, *, cite_column: str | None = None, name: str | None = None,
                 link_column: str | None = None):
        self.frame = frame.reset_index(drop=True)
        self.title = title
        self.cite_column = cite_column
        self.name = name
        self.link_column = link_column  # cells are paths, shown as links named by the file

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return f"Table({self.title!r}, rows={len(self.frame)})"

    def _repr_markdown_(self) -> str:
        return table_block(self.frame, self.title, cite_column=self.cite_column, name=self.name,
                           link_column=self.link_column)

    def _repr_html_(self) -> str:
        # JupyterLab right-aligns output table cells; words read better left-aligned, top-aligned.
        cell = 'style="text-align:left;vertical-align:top"'
        caption = f'<caption style="text-align:left"><strong>{html.escape(self.title)}</strong></caption>' if self.title else ""
        head = "".join(f"<th {cell}>{html.escape(str(c))}</th>" for c in self.frame.columns)
        def shown(column, value) -> str:
            if column == self.link_column:
                return f'<a href="{html.escape(str(value))}">{html.escape(link_text(str(value)))}</a>'
            return html.escape(plain_cites(value) if isinstance(value, list) else str(value))

        rows = "".join(
            "<tr>" + "".join(f"<td {cell}>{shown(c, v)}</td>" for c, v in zip(self.frame.columns, row)) + "</tr>"
            for row in self.frame.itertuples(index=False)
        )
        return f'<table class="pansec-table">{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


#: How a review locator is printed inside a citation: a mark says no page can be given.
PRINTED_MARKS = {"unpaginated": "", "not located": "page not seen"}


def say_locator(locator) -> str:
    """A review locator as a citation prints it: 'pp. 665-666' -> 'pp. 665–666'; the marks as PRINTED_MARKS."""
    if locator is None or pd.isna(locator) or not str(locator):
        return ""
    text = str(locator)
    if text in PRINTED_MARKS:
        return PRINTED_MARKS[text]
    return re.sub(r"(?<=\d)-(?=\d)", "\u2013", text)


def paper_locator(section, note) -> str:
    """Where the paper discusses an event: '§2, note 6', 'Conclusion', 'note 4'."""
    parts = []
    if isinstance(section, str) and section:
        parts.append(f"\u00a7{section}" if section[:1].isdigit() else section.title())
    if note is not None and not pd.isna(note):
        parts.append(f"note {int(note)}")
    return ", ".join(parts)


def located_sources(chron, events: pd.DataFrame, paper: str = "hotta2026") -> list[list[tuple[str, str]]]:
    """Each event's sources with the place in each that bears it.

    The paper is located by the event's own section and endnote; another source by the locators of
    its review rows for that event (the date's first, then the pages the paper's notes give); a
    source no review row locates is cited without a place.
    """
    review = chron.review
    rank = review["fact"].map({"date": 0, "sources": 1}).fillna(2)
    ordered = review.assign(rank=rank).sort_values("rank", kind="stable")
    where: dict[tuple[str, str], list[str]] = {}
    for event_id, key, locator in zip(ordered["event"], ordered["reference"], ordered["locator"]):
        said = say_locator(locator)
        found = where.setdefault((event_id, key), [])
        if said and said not in found:
            found.append(said)
    located = []
    for event_id, keys, section, note in zip(events["id"], events["sources"], events["section"], events["note"]):
        row = []
        for key in keys:
            if key == paper:
                place = paper_locator(section, note)
            else:
                place = ", ".join(where.get((event_id, key), []))
            row.append((key, place))
        located.append(row)
    return located


def evidence_table(chron, event_ids: Iterable[str] | None = None, *, section: str | None = None,
                   title: str = "Events and sources drawn on") -> Table:
    """The events a chapter drew on, with each source and the place in it that bears the event.

    The rows are the events the chapter asked the chronology about (``chron.asked``: every id its
    prose and code passed to ``chron.when``, ``chron.gap``, ``chron.drawn`` and the like before this
    table), those given as ``event_ids``, and those of the paper's ``section``; with no ids and no
    section, every event. They come in date order with dates in words, and the sources become
    citations with their pages or other locators in the book.
    """
    events = chron.events
    if event_ids is None and section is None:
        chosen = events
    else:
        wanted = set(event_ids or ()) | set(chron.asked)
        missing = sorted(set(event_ids or ()) - set(events["id"]))
        if missing:
            raise KeyError(f"no event with id {', '.join(missing)} in events.csv")
        chosen = events[events["id"].isin(list(wanted)) | (events["section"] == section if section else False)]
    frame = pd.DataFrame(
        {
            "Date": [say_span(d, e) for d, e in zip(chosen["date"], chosen["end_date"])],
            "Event": chosen["title"],
            "Kind": chosen["kind"],
            "Bloc": chosen["bloc"],
            "Sources": located_sources(chron, chosen),
            "From": chosen["provenance"].map({"paper": "paper", "external": "added"}),
        }
    )
    return Table(frame, title, cite_column="Sources")
