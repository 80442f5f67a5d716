"""The package's shape is a data flow a newcomer can read from its files: no module imports one that
imports it back, none is too long to read whole, and the command line stays light."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pansec"
MAX_LINES = 400
#: What the command line and the loader must never pull in: plotting, widgets, and pandera, which
#: pansec no longer uses.
HEAVY = ("matplotlib", "ipywidgets", "pandera")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The pansec modules a file imports, at its top or inside a function alike: a lazy import
    is still a dependency. 'from pansec.x import y' names the module pansec.x.y if there is one."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it: ['a', 'b', 'a']."""
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph[node]):
            if target in path:
                loop = path[path.index(target):] + [target]
                if not any(set(loop) == set(known) for known in found):
                    found.append(loop)
            elif target not in done:
                visit(target, path + [target])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    return found


def test_no_module_of_pansec_imports_one_that_imports_it_back():
    graph = {name: imported(path) - {name} for name, path in MODULES.items()}
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(" -> ".join(loop) for loop in found)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_can_be_read_whole(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} ({MODULES[name].relative_to(ROOT)}) has {lines} lines; at most {MAX_LINES}"


def fresh_process(*arguments: str) -> subprocess.CompletedProcess:
    """Python in a new process, importing this working tree's pansec, timing every import."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-X", "importtime", *arguments], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def modules_imported(stderr: str) -> set[str]:
    """The modules '-X importtime' reports, by name: 'import time: self | cumulative | name'."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_validate_command_imports_no_plotting_or_widgets():
    done = fresh_process("-m", "pansec", "validate", str(ROOT / "data"))
    assert done.returncode == 0, done.stderr[-2000:]
    modules = modules_imported(done.stderr)
    assert "pansec.validate" in modules
    assert heavy(modules) == []


def test_importing_pansec_imports_nothing_until_a_name_is_used():
    done = fresh_process("-c", "import pansec")
    assert done.returncode == 0, done.stderr[-2000:]
    assert not {m for m in modules_imported(done.stderr) if m.split(".")[0] in ("pandas", "numpy", *HEAVY)}


def test_loading_the_chronology_imports_no_plotting_or_widgets():
    done = fresh_process("-c", "import pansec; pansec.load_chronology()")
    assert done.returncode == 0, done.stderr[-2000:]
    assert heavy(modules_imported(done.stderr)) == []


def pansec_modules_imported_by(path: Path) -> set[str]:
    """The pansec modules a file imports, anywhere in it (functions import lazily too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pansec":
            found |= {node.module} if node.module != "pansec" else {f"pansec.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "pansec"}
    return found


def test_the_explore_pages_chronology_is_written_without_plotting():
    """The book's build writes the Explore page's chronology from the data, in the palette's
    colours: it has no chart to draw, so it must not pay for importing matplotlib.
    (Modules loaded through importlib escape '-X importtime', so sys.modules is asked.)"""
    used = sorted(pansec_modules_imported_by(ROOT / "book" / "_ext" / "chronology.py"))
    assert "pansec.palette" in used and "pansec.words" in used
    code = f"import importlib, sys, pansec; [importlib.import_module(m) for m in {used!r}]; pansec.load_chronology(); print(' '.join(sys.modules))"
    done = fresh_process("-c", code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert heavy(set(done.stdout.split())) == []


def test_a_view_imports_no_widgets_until_an_explorer_is_asked_for():
    """The Explore chapter prints views in the book and builds its explorers only in a live kernel.
    (Modules loaded through importlib escape '-X importtime', so sys.modules is asked.)"""
    loaded = "; import sys; print(' '.join(sys.modules))"
    views = fresh_process("-c", "from pansec import explore; explore.chronology_view" + loaded)
    assert views.returncode == 0, views.stderr[-2000:]
    modules = set(views.stdout.split())
    assert "pansec.explore.views" in modules
    assert not {m for m in modules if m.split(".")[0] == "ipywidgets" or m == "pansec.add"}
    explorers = fresh_process("-c", "from pansec import explore; explore.chronology_explorer; explore.event_form" + loaded)
    assert explorers.returncode == 0, explorers.stderr[-2000:]
    assert {"ipywidgets", "pansec.explore.widgets", "pansec.explore.form"} <= set(explorers.stdout.split())
