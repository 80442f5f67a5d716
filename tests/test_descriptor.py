"""Frictionless checks the descriptor once per distinct text, so that a chapter does not pay for
importing it (and jsonschema, and rfc3987-syntax) every time it loads the data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pansec.validate import validate

ROOT = Path(__file__).resolve().parents[1]


def load_in_a_fresh_process(cache: Path, data: Path) -> dict:
    code = (
        "import sys, pansec; pansec.load_chronology(sys.argv[1]); "
        "print('frictionless' in sys.modules, 'jsonschema' in sys.modules)"
    )
    # Without the store of loaded chronologies (pansec.stored), which would answer a second load
    # without reading the descriptor at all.
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PANSEC_CACHE="off")
    done = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    frictionless, jsonschema = done.stdout.split()
    return {"frictionless": frictionless == "True", "jsonschema": jsonschema == "True"}


def test_the_first_load_checks_the_descriptor_and_later_loads_skip_frictionless(tmp_path):
    cache = tmp_path / "cache"
    assert load_in_a_fresh_process(cache, ROOT / "data") == {"frictionless": True, "jsonschema": True}
    assert (cache / "pansec" / "checked-descriptors").read_text().strip()
    assert load_in_a_fresh_process(cache, ROOT / "data") == {"frictionless": False, "jsonschema": False}


def test_an_edited_descriptor_is_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    assert validate(data) == []
    text = (data / "datapackage.json").read_text(encoding="utf-8")
    (data / "datapackage.json").write_text(text.replace('"name": "events"', '"name": 7', 1), encoding="utf-8")
    problems = [str(p) for p in validate(data)]
    assert problems and all(p.startswith(f"{data}/datapackage.json:") for p in problems), problems


def test_a_cache_that_cannot_be_written_costs_time_not_correctness(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert validate(ROOT / "data") == []
