"""The workflow that publishes the book is one GitHub accepts: actionlint finds nothing in it, and it
builds what `make book` builds, with the Python Binder runs, and deploys the HTML with the PDF, the
worksheets and the data zip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is not installed: run `make setup` (pyproject.toml's test extra pins it)")
    return found


def lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=120)


def test_actionlint_finds_nothing_in_the_workflow():
    done = lint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "book.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: build", "needs: biuld"), encoding="utf-8")
    done = lint(broken)
    assert done.returncode != 0 and "biuld" in done.stdout


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_it_runs_on_each_push_to_main(workflow):
    # YAML reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]


def test_it_builds_as_make_book_does_on_binders_python(workflow):
    build = steps(workflow, "build")
    runs = " ".join(step.get("run", "") for step in build)
    assert "make book" in runs
    (python,) = [s for s in build if s.get("uses", "").startswith("actions/setup-python")]
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    assert python["with"]["python-version"] == runtime
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    apt = next(s["run"] for s in build if "apt-get install" in s.get("run", ""))
    for package in ("texlive-xetex", "latexmk", "texlive-latex-extra", "texlive-fonts-recommended", "fonts-freefont-otf"):
        assert package in apt and package in makefile


def test_it_deploys_the_html_with_the_pdf_the_worksheets_and_the_data(workflow):
    build = steps(workflow, "build")
    (pages,) = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert pages["with"]["path"] == "_build/html"
    checked = next(s["run"] for s in build if "_static" in s.get("run", ""))
    for name in ("pan-european-security.pdf", "pan-european-security-data.zip", "worksheet-1.pdf", "worksheet-2.pdf"):
        assert name in checked
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
