"""A chronology loaded once is answered from the user's cache while its data and code are the same,
and read and checked again, in full, as soon as one byte of either changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from datacopies import fixture_copy
from pansec import load, stored
from pansec.load import load_chronology
from pansec.problems import DataError
from pansec.read.files import BIBLIOGRAPHY, DESCRIPTOR

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("events", "actors", "exchanges", "periods", "conditions", "proposal_conditions", "participation", "agenda",
          "claims", "readings", "review")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("PANSEC_CACHE", raising=False)
    return folder / "pansec" / "chronologies"


@pytest.fixture
def examined(monkeypatch) -> list[Path]:
    """The folders the validator reads, in order: a load answered from the store adds none."""
    import pansec.validate

    seen: list[Path] = []
    real = pansec.validate.examine

    def counting(folder=None):
        seen.append(Path(folder))
        return real(folder)

    monkeypatch.setattr(pansec.validate, "examine", counting)
    return seen


def test_a_second_load_of_the_same_data_is_answered_from_the_store_with_equal_tables(tmp_path, cache, examined):
    data = fixture_copy(tmp_path)
    first = load_chronology(data)
    assert examined == [data] and len(list(cache.glob("*.pickle"))) == 1
    second = load_chronology(data)
    assert examined == [data], "the second load read and checked the data again"
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(second, name), getattr(first, name), check_exact=True)
        assert getattr(second, name).dtypes.to_dict() == getattr(first, name).dtypes.to_dict()
    assert dict(second.references.items()) == dict(first.references.items())
    assert second is not first and second.asked == {}


@pytest.mark.parametrize("name", ["events.csv", "review.csv", BIBLIOGRAPHY, DESCRIPTOR])
def test_one_changed_byte_in_any_input_means_reading_and_checking_again(tmp_path, cache, examined, name):
    data = fixture_copy(tmp_path)
    load_chronology(data)
    path = data / name
    path.write_bytes(path.read_bytes() + (b"\n" if name != DESCRIPTOR else b" "))
    load_chronology(data)
    assert examined == [data, data]


def test_an_edited_event_is_what_the_next_load_gives(tmp_path, cache):
    data = fixture_copy(tmp_path)
    before = load_chronology(data).events
    title = before["title"].iloc[0]
    path = data / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(title, title + " (edited)", 1), encoding="utf-8")
    assert title + " (edited)" in set(load_chronology(data).events["title"])


def test_data_with_a_problem_are_never_stored_and_report_their_problem_every_time(tmp_path, cache):
    data = fixture_copy(tmp_path, "impossible-dates")
    for _ in range(2):
        with pytest.raises(DataError, match="events.csv:"):
            load_chronology(data)
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_a_changed_pansec_source_is_a_new_key(tmp_path):
    package = shutil.copytree(ROOT / "pansec", tmp_path / "pansec", ignore=shutil.ignore_patterns("__pycache__"))
    before = stored.source_hash(package)
    rule = package / "rules" / "dates.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert stored.source_hash(package) != before


def test_a_truncated_stored_file_is_read_and_checked_again_and_replaced(tmp_path, cache, examined):
    data = fixture_copy(tmp_path)
    load_chronology(data)
    (kept,) = cache.glob("*.pickle")
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])
    assert len(load_chronology(data).events) > 0
    assert examined == [data, data] and kept.read_bytes() == whole


def test_a_store_that_cannot_be_written_costs_time_not_correctness(tmp_path, monkeypatch, examined):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    data = fixture_copy(tmp_path)
    assert len(load_chronology(data).events) == len(load_chronology(data).events) > 0
    assert examined == [data, data]


def test_pansec_cache_off_reads_and_checks_every_time_and_stores_nothing(tmp_path, cache, examined, monkeypatch):
    monkeypatch.setenv("PANSEC_CACHE", "off")
    data = fixture_copy(tmp_path)
    load_chronology(data)
    load_chronology(data)
    assert examined == [data, data] and not cache.exists()


def test_a_descriptor_that_does_not_name_every_file_plainly_is_not_stored(tmp_path, cache):
    data = fixture_copy(tmp_path)
    text = (data / DESCRIPTOR).read_text(encoding="utf-8")
    (data / DESCRIPTOR).write_text(text.replace('"path": "events.csv"', '"path": ["events.csv"]', 1), encoding="utf-8")
    assert stored.key_of(data) is None
    with pytest.raises(DataError):
        load_chronology(data)


def test_only_the_most_recently_used_chronologies_are_kept(tmp_path, cache):
    data = fixture_copy(tmp_path)
    path = data / "events.csv"
    for n in range(stored.KEPT + 2):
        path.write_bytes(path.read_bytes() + b"\n" * (n > 0))
        load_chronology(data)
        os.utime(*cache.glob(f"{stored.key_of(data)}.pickle"), (n, n))  # one second apart, oldest first
    assert len(list(cache.glob("*.pickle"))) == stored.KEPT


def test_a_reference_read_back_from_the_store_is_still_decoded_only_when_asked_for(tmp_path, cache, monkeypatch):
    data = fixture_copy(tmp_path)
    load_chronology(data)
    decoded = []
    monkeypatch.setattr(load, "plain", lambda latex: decoded.append(latex) or latex)
    references = load_chronology(data).references
    assert decoded == [] and references["hotta2026"].year == "2026" and decoded


def test_a_load_answered_from_the_store_imports_neither_the_rules_nor_pybtex(tmp_path):
    code = ("import sys, pansec; pansec.load_chronology(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.startswith(('pansec.rules', 'pansec.validate', 'pybtex'))))")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("PANSEC_CACHE", None)
    data = fixture_copy(tmp_path)
    runs = [subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env, timeout=120)
            for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert "pansec.rules" in runs[0].stdout and runs[1].stdout.strip() == "[]"


def test_data_larger_than_the_limit_are_read_and_checked_every_time(tmp_path, cache, examined, monkeypatch):
    data = fixture_copy(tmp_path)
    inputs = sum(path.stat().st_size for path in data.iterdir())
    monkeypatch.setattr(stored, "LIMIT", inputs - 1)
    load_chronology(data)
    load_chronology(data)
    assert examined == [data, data] and not cache.exists()
    monkeypatch.setattr(stored, "LIMIT", inputs)
    load_chronology(data)
    load_chronology(data)
    assert examined == [data, data, data]
