"""The bibliography's style prints what a reader needs to find a work: the series and number of a
report or a volume, and the issue of a journal, as historians write them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def formatted() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import author_year_bibliography as style_module
    finally:
        sys.path.remove(str(ROOT / "book" / "_ext"))
    from pybtex.plugin import register_plugin

    style_module.remember_plugin_lookups()  # as the extension's set-up does
    register_plugin("pybtex.style.sorting", "author_year_label", style_module.AuthorYearSorting, force=True)
    register_plugin("pybtex.style.labels", "author_year", style_module.AuthorYearLabels, force=True)
    entries = parse_file(ROOT / "data" / "references.bib").entries
    done = style_module.AuthorYearStyle().format_entries(entries.values())
    return {entry.key: entry.text.render_as("text").replace("\u00a0", " ") for entry in done}


def test_the_paper_prints_its_series_and_number(formatted):
    assert "ROLES Report No. 63, Research Center for Advanced Science and Technology" in formatted["hotta2026"]


def test_a_working_paper_prints_its_number_without_a_volume(formatted):
    assert "Cold War International History Project Working Paper, No. 35, pp. 1–92, 2002." in formatted["mastny2002nato"]


def test_a_volume_in_a_series_prints_it_and_so_do_the_documents_printed_in_it(formatted):
    assert "National Security Archive Cold War Reader, No. 4." in formatted["mastny2005cardboard"]
    assert "1955–1991, National Security Archive Cold War Reader, No. 4, pp. 77–79." in formatted["warsaw1955treaty"]


def test_a_document_printed_in_a_volume_of_frus_carries_the_volume_s_year(formatted):
    """Each FRUS volume has a year of publication; a document in it is not undated."""
    entries = parse_file(ROOT / "data" / "references.bib").entries
    frus = {key: entry for key, entry in entries.items()
            if entry.fields.get("howpublished", "").startswith("Foreign Relations of the United States")}
    assert len(frus) >= 13
    for key, entry in frus.items():
        year = entry.fields.get("year", "")
        assert year.isdigit() and int(year) >= 1955, f"{key}: the volume's year is missing"
        assert "n.d." not in formatted[key] and year in formatted[key], formatted[key]


def test_every_entry_with_a_number_prints_it(formatted):
    for key, entry in parse_file(ROOT / "data" / "references.bib").entries.items():
        number = entry.fields.get("number")
        if number:
            assert f"No. {number}" in formatted[key], formatted[key]
        if entry.fields.get("series"):
            assert entry.fields["series"] in formatted[key], formatted[key]


def test_a_plugin_is_looked_up_in_the_installed_packages_once_however_often_it_is_used():
    """pybtex scans every installed package's entry points each time it finds a plugin; the book's
    extension keeps each scan's answer, so formatting labels and citations does not scan again."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import author_year_bibliography as style_module
    finally:
        sys.path.remove(str(ROOT / "book" / "_ext"))
    import pybtex.plugin
    from pybtex.richtext import Text

    scans_before = pybtex.plugin.entry_points
    style_module.remember_plugin_lookups()
    style_module.remember_plugin_lookups()  # a second Sphinx set-up in one process wraps nothing twice
    try:
        kept = pybtex.plugin.entry_points
        assert kept.__wrapped__ is (getattr(scans_before, "__wrapped__", scans_before))
        kept.cache_clear()
        assert Text("K", "ōsaka").render_as("text") == "Kōsaka"
        scans = kept.cache_info().misses
        for _ in range(50):
            assert Text("K", "ōsaka").render_as("text") == "Kōsaka"
        assert pybtex.plugin.find_plugin("pybtex.backends", "text").__module__ == "pybtex.backends.plaintext"
        assert kept.cache_info().misses == scans
        assert kept.cache_info().hits >= 50
    finally:
        pybtex.plugin.entry_points = scans_before
