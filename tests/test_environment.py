"""The environment readers, Binder and CI get is the one the book was built with: every runtime
requirement pinned exactly, Python 3.11, Jupyter Book below 2 (version 2 ignores _config.yml),
and the virtual environment holding exactly the pinned versions. Nothing here goes online.

The tests may run on another Python than Binder's (runtime.txt): parity then rests on every pinned
release admitting Binder's Python, which pip checks (Requires-Python) before it installs a release."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCAL_PACKAGE = {"-e .", "."}


def requirement_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


REQUIREMENTS = requirement_lines(ROOT / "requirements.txt")
PINS = [Requirement(line) for line in REQUIREMENTS if line not in LOCAL_PACKAGE]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TEST_PINS = [Requirement(line) for line in PYPROJECT["project"]["optional-dependencies"]["test"]]
RUNTIME = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
BINDER_PYTHON = RUNTIME.removeprefix("python-")  # '3.11': Binder installs its newest patch release


def pinned_version(requirement: Requirement) -> str:
    (spec,) = requirement.specifier
    return spec.version


def test_requirements_pin_every_package_exactly():
    loose = [line for line in REQUIREMENTS if line not in LOCAL_PACKAGE and not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[^,;\s]+", line)]
    assert not loose, f"requirements.txt lines without an exact == pin: {loose}"


def test_requirements_install_the_book_package_itself_last():
    assert REQUIREMENTS[-1] in LOCAL_PACKAGE, "Binder needs requirements.txt to install pansec (`-e .`) for `import pansec`"


def test_requirements_name_each_package_once():
    names = [canonicalize_name(r.name) for r in PINS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_requirements_carry_no_test_only_tools():
    runtime = {canonicalize_name(r.name) for r in PINS}
    assert not runtime & {canonicalize_name(r.name) for r in TEST_PINS}, "test tools belong in pyproject.toml's test extra"


def test_test_extra_is_pinned_exactly():
    loose = [str(r) for r in TEST_PINS if len(r.specifier) != 1 or next(iter(r.specifier)).operator != "=="]
    assert not loose, f"test extra without an exact pin: {loose}"


def test_jupyter_book_stays_below_version_2():
    (book,) = [r for r in PINS if canonicalize_name(r.name) == "jupyter-book"]
    assert Version(pinned_version(book)) < Version("2")


def admits(requires_python: str | None, minor: str) -> bool:
    """True if some patch release of Python `minor` ('3.11') satisfies a Requires-Python."""
    specifier = SpecifierSet(requires_python or "")
    return any(specifier.contains(f"{minor}.{patch}") for patch in range(100))


def test_runtime_is_python_3_11():
    assert RUNTIME == "python-3.11"


@pytest.mark.parametrize("requirement", PINS + TEST_PINS, ids=str)
def test_pinned_release_installs_on_binders_python(requirement):
    """Binder resolves requirements.txt on runtime.txt's Python, whatever Python runs these tests.

    The installed distribution's metadata is that of the pinned release (test_installed_version_matches_the_pin
    holds it to the pin), and its Requires-Python is what pip checks before it installs that release.
    """
    try:
        installed = distribution(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is pinned but not installed: run `make setup`")
    if Version(installed.version) != Version(pinned_version(requirement)):
        pytest.skip(f"{requirement.name} {installed.version} is installed, not the pin: see test_installed_version_matches_the_pin")
    requires = installed.metadata.get("Requires-Python")
    assert admits(requires, BINDER_PYTHON), (
        f"{requirement} requires Python {requires}, but Binder runs {RUNTIME} (runtime.txt)"
    )


def test_the_package_itself_installs_on_binders_python():
    requires = PYPROJECT["project"]["requires-python"]
    assert admits(requires, BINDER_PYTHON), f"pyproject.toml requires Python {requires}, Binder runs {RUNTIME}"


def test_this_interpreter_is_binders():
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here != BINDER_PYTHON:
        pytest.skip(f"tests run on Python {sys.version.split()[0]}, Binder on {RUNTIME}: parity rests on the pins "
                    f"admitting Python {BINDER_PYTHON} (test_pinned_release_installs_on_binders_python)")


@pytest.mark.parametrize("requirement", PINS + TEST_PINS, ids=str)
def test_installed_version_matches_the_pin(requirement):
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is pinned but not installed: run `make setup`")
    assert Version(installed) == Version(pinned_version(requirement)), (
        f"{requirement.name} {installed} installed, {pinned_version(requirement)} pinned: run `make setup`"
    )


def test_the_package_is_installed_from_this_repository():
    import pansec

    assert Path(pansec.__file__).resolve().is_relative_to(ROOT)


def test_citation_file_cites_the_book_and_the_paper():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] and cff["authors"] and cff["message"]
    (paper,) = [ref for ref in cff["references"] if ref["authors"][0].get("family-names") == "Hotta"]
    assert paper["year"] == 2026 and paper["number"] == "63" and paper["collection-title"] == "ROLES Report"
    assert "The University of Tokyo" in paper["institution"]["name"]


def test_reading_a_notebook_does_not_compile_the_iri_grammars():
    """With rfc3987 installed, jsonschema never imports rfc3987-syntax, which takes 2.5 s to import
    in every process that reads a notebook or a Jupyter Book configuration."""
    done = subprocess.run([sys.executable, "-c", "import sys, nbformat, jupyter_book.config; print(sorted(sys.modules))"],
                          capture_output=True, text=True, check=True)
    assert "'jsonschema'" in done.stdout and "'rfc3987_syntax'" not in done.stdout


def test_jupyterlab_renders_myst_in_the_book_environment():
    """Binder and `make lab` open the chapters in this environment's JupyterLab: without the MyST
    extension its prose would show raw {eval} roles."""
    import subprocess

    listed = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter")), "labextension", "list"],
        capture_output=True, text=True, timeout=120,
    )
    found = [line for line in (listed.stdout + listed.stderr).splitlines() if line.strip().startswith("jupyterlab-myst")]
    # JupyterLab 4.6 flags a shared @jupyter/ydoc range as a conflict; the extension loads and renders
    # all the same, which tests/browser/test_lab.py proves in a real JupyterLab.
    assert found and "enabled" in found[0], listed.stdout + listed.stderr
