"""List the bibliography the way the text cites it: under "Hotta 2026", not "[Hot26]" or "[1]".

The chapters cite author-year (``bibtex_reference_style: author_year``), but pybtex's stock styles
label entries alphabetically or by number, so a reader looking up "Hotta (2026)" would find it under
a code. This registers a pybtex formatting style ``author_year`` (``bibtex_default_style``):

* labels are the surnames of the authors, else of the editors, else the title, then the year, with
  a, b, ... where works share a label: the same names sphinxcontrib-bibtex prints in the text;
* entries are sorted by that label, so the list reads in the order a reader searches it;
* titles keep the capitals they have in references.bib (the stock style lowercases "Germany");
* unsigned documents printed in edited collections are listed by title instead of raising
  "missing author" warnings, which -W would turn into errors;
* a series and its number print as historians write them, "ROLES Report No. 63", "National Security
  Archive Cold War Reader, No. 4", and a journal issue without a volume as "No. 35", where the
  stock style writes "number 4 in ..." and drops an issue number that has no volume to go with.

It also registers the citation style ``author_year_round`` (``bibtex_reference_style``):
sphinxcontrib-bibtex's author-year citations with round brackets, "Hotta (2026)" and
"(Hotta, 2026)", as historians write them, instead of square ones; and with the year taken from
the entry's label, so that two documents of one collection are cited "(Folliot, 1957b)" and
"(Folliot, 1957c)" and each leads to one entry of the list, not both to "Folliot, 1957".
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field as dataclass_field

from pybtex.plugin import register_plugin
from pybtex.richtext import Symbol, Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify, date, pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.formatting import toplevel
from pybtex.style.template import field, first_of, optional, optional_field, sentence, tag, together, words
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from pybtex.style.template import node
from sphinxcontrib.bibtex.style.referencing import GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference


def _surname(person) -> str:
    # rich_*_names decode LaTeX such as K{\=o}saka into Kōsaka.
    return Text(*person.rich_prelast_names, *person.rich_last_names).render_as("text").strip() or str(person)


def label_names(entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    if not persons:
        return Text.from_latex(entry.fields.get("title", "Anonymous")).render_as("text")
    if len(persons) == 1:
        return _surname(persons[0])
    if len(persons) == 2:
        return f"{_surname(persons[0])} and {_surname(persons[1])}"
    return f"{_surname(persons[0])} et al."


class AuthorYearSorting(BaseSortingStyle):
    def sorting_key(self, entry):
        return (label_names(entry).lower(), entry.fields.get("year", ""), entry.fields.get("title", "").lower())


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [f"{label_names(e)} {e.fields.get('year', 'n.d.')}" for e in sorted_entries]
        shared = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if shared[label] > 1:
                seen[label] += 1
                yield f"{label}{chr(ord('a') + seen[label] - 1)}"
            else:
                yield label


class AuthorYearStyle(UnsrtStyle):
    default_sorting_style = "author_year_label"
    default_label_style = "author_year"

    def format_names(self, role, as_sentence=True):
        node = super().format_names(role, as_sentence)
        return optional[node] if role == "author" else node

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def format_volume_and_series(self, e, as_sentence=True):
        """'Series, No. 4' (and 'Vol. 2 of Series'), where the stock style writes 'number 4 in Series'."""
        result = first_of[
            optional[words[join(sep=Symbol("nbsp"))["Vol.", field("volume")], optional[words["of", field("series")]]]],
            optional[join(sep=", ")[field("series"), join(sep=Symbol("nbsp"))["No.", field("number")]]],
            optional_field("series"),
        ]
        return sentence[result] if as_sentence else result

    def get_techreport_template(self, e):
        """A report in a numbered series, 'ROLES Report No. 63', then its institution and date."""
        kind = first_of[optional_field("type"), "Technical Report"]
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                first_of[optional[join(sep=Symbol("nbsp"))[words[kind, "No."], field("number")]], kind],
                field("institution"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    # Pages as historians write them, 'p. 3' and 'pp. 182–193', where pybtex writes 'pages 3'.
    def format_chapter_and_pages(self, e):
        return join(sep=", ")[optional[together["chapter", field("chapter")]], optional[page_range]]

    def get_article_template(self, e):
        issue = join(sep=Symbol("nbsp"))["No.", field("number")]
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            optional[join(sep=", ")[issue, page_range]],
            optional[issue],
            page_range,
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def say_pages(text: Text) -> Text:
    """'182-193' -> 'pp. 182–193'; '3' -> 'p. 3'."""
    several = any(mark in str(text) for mark in ("-", ",", "\u2013"))
    return Text("pp. " if several else "p. ", dashify(text))


page_range = field("pages", apply_func=say_pages)


@node
def label_year(children, data):
    """The year as the bibliography labels it: '1957c' from the label 'Folliot 1957c'."""
    assert not children
    last = data["formatted_entry"].label.rsplit(" ", 1)[-1]
    if last[:1].isdigit() or last.startswith("n.d."):
        return Text(last)
    return Text(data["entry"].fields.get("year", "n.d."))


@dataclass
class LabelYearParenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[self.person.author_or_editor_or_title(full="s" in role_name), label_year]],
            post_text,
        ]


@dataclass
class LabelYearTextual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[label_year], post_text],
                self.bracket.right,
            ],
        ]


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


def _round_list() -> BracketStyle:
    """Several works in one parenthesis, as historians write them: '(Hotta 2026, §1; Grzybowski 1964)'."""
    return BracketStyle(left="(", right=")", sep="; ", sep2="; ", last_sep="; ")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    bracket_textual: BracketStyle = dataclass_field(default_factory=_round)
    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_round_list)
    bracket_author: BracketStyle = dataclass_field(default_factory=_round)
    bracket_label: BracketStyle = dataclass_field(default_factory=_round)
    bracket_year: BracketStyle = dataclass_field(default_factory=_round)

    def __post_init__(self):
        # AuthorYearReferenceStyle's own line-up, with the two main citation forms using label_year.
        self.styles.extend(
            [
                LabelYearParenthetical(
                    bracket=self.bracket_parenthetical,
                    person=self.person,
                    author_year_sep=self.author_year_sep,
                    pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep,
                ),
                LabelYearTextual(
                    bracket=self.bracket_textual,
                    person=self.person,
                    text_reference_sep=self.text_reference_sep,
                    pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep,
                ),
                ExtraAuthorReferenceStyle(bracket=self.bracket_author, person=self.person),
                ExtraLabelReferenceStyle(bracket=self.bracket_label),
                ExtraYearReferenceStyle(bracket=self.bracket_year),
                ExtraEmptyReferenceStyle(),
            ]
        )
        GroupReferenceStyle.__post_init__(self)


def remember_plugin_lookups() -> None:
    """Scan the installed packages' entry points once per plugin name, not once per call.

    pybtex finds a plugin (the "text" backend, each style) by scanning the metadata of every
    installed distribution, on every call: about 30 ms in the book's environment, whose JupyterLab
    brings some 180 distributions, and a build formats labels and citations through some 900 such
    calls. The installed packages cannot change while Sphinx runs, so each scan's answer is kept,
    as Pygments does for its own plugins (pygments/pygments#2979).
    """
    import pybtex.plugin

    if not hasattr(pybtex.plugin.entry_points, "cache_info"):
        pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)


def setup(app):
    remember_plugin_lookups()
    # Registered here, before sphinxcontrib-bibtex looks the styles up when the environment is made.
    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle)
    register_plugin("pybtex.style.sorting", "author_year_label", AuthorYearSorting)
    register_plugin("pybtex.style.labels", "author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
