"""The repository's address is set in one place, _config.yml's repository.url: nothing else in the
book writes it, and the files that cannot read the configuration carry a copy that agrees with it."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("repository", ROOT / "book" / "_ext" / "repository.py")
repository = importlib.util.module_from_spec(spec)
spec.loader.exec_module(repository)
CONFIGURED = repository.configured()


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = []
    for name in names:
        path = ROOT / name
        if path.is_file() and not name.endswith((".png", ".lock", "package-lock.json")):
            try:
                files.append((name, path.read_text(encoding="utf-8")))
            except UnicodeDecodeError:
                continue
    return files


def test_the_address_is_configured_once():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert config.count(CONFIGURED["slug"]) == 1
    assert yaml.safe_load(config)["repository"]["url"] == CONFIGURED["url"]


def test_no_other_file_writes_the_address_except_the_copies():
    allowed = {"_config.yml", *repository.COPIES}
    writing = [name for name, text in tracked_text_files() if CONFIGURED["slug"] in text and name not in allowed]
    assert not writing, f"these files write the repository's address; take it from _config.yml instead: {writing}"


@pytest.mark.parametrize("name", repository.COPIES)
def test_each_copy_agrees_with_the_configuration(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert CONFIGURED["slug"] in text, f"{name} has no copy of the address"
    assert repository.rewritten(text, CONFIGURED) == text, f"{name} disagrees with _config.yml: run `make repository`"


def test_a_fork_changes_one_line_and_make_repository_does_the_rest(tmp_path):
    for name in ["_config.yml", *repository.COPIES]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(CONFIGURED["url"], "https://github.com/someone/their-copy"))
    assert set(repository.disagreeing(tmp_path)) == set(repository.COPIES)
    fork = repository.configured(tmp_path)
    for name in repository.COPIES:
        path = tmp_path / name
        path.write_text(repository.rewritten(path.read_text(encoding="utf-8"), fork), encoding="utf-8")
    assert repository.disagreeing(tmp_path) == []
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "mybinder.org/v2/gh/someone/their-copy/main" in readme and CONFIGURED["slug"] not in readme


def test_the_chapters_and_pages_take_the_address_from_the_build():
    """Pages and extensions take the address from the build; only the chapters' first cells carry a
    copy (checked above), since a notebook downloaded alone must say where its repository is."""
    copies = {ROOT / name for name in repository.COPIES}
    for path in sorted((ROOT / "book").rglob("*")):
        if path.suffix in {".ipynb", ".md", ".py", ".html", ".js"} and path not in copies:
            assert not re.search(r"github\.com/[\w.-]+/[\w.-]+", path.read_text(encoding="utf-8")), path.name


@pytest.mark.slow
def test_the_landing_page_cites_the_configured_address(book_html):
    landing = (book_html / "book" / "index.html").read_text(encoding="utf-8")
    assert f'href="{CONFIGURED["url"]}"' in landing


@pytest.mark.slow
def test_the_pdfs_verso_gives_the_configured_address(book_pdf):
    text = subprocess.run(["pdftotext", "-l", "3", str(book_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert CONFIGURED["url"] in text
