"""Re-run the chapters when the data they read changes.

The chapters execute while Sphinx reads them (MyST-NB's inline execution), so Sphinx's own rule
decides when a chapter runs again: when its source changed, or something it depends on. A chapter
reads data/ through pansec, which Sphinx cannot see. This extension hashes the watched folders at
the start of each build and, when the hash differs from the one saved with the environment, marks
every notebook outdated. A prose edit still re-runs only the edited chapter, and a build with
unchanged data re-runs none.

Config value (set under ``sphinx: config:`` in _config.yml):

``data_watch``
    Folders (or files), relative to the book's root, whose contents the notebooks depend on.
    The folder named by the environment variable PANSEC_DATA, when set, is watched as well,
    since pansec then reads from it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".DS_Store"}


def watched_paths(app: Sphinx) -> list[Path]:
    root = Path(app.confdir)
    paths = [(root / p).resolve() for p in app.config.data_watch]
    override = os.environ.get("PANSEC_DATA")
    if override:
        paths.append(Path(override).resolve())
    return paths


def digest_of(paths: list[Path]) -> str:
    """One SHA-256 over every file's relative name and bytes, so renames and deletions count too."""
    sha = hashlib.sha256()
    for base in paths:
        sha.update(f"[{base}]\n".encode())
        if base.is_file():
            files = [base]
        elif base.is_dir():
            files = sorted(
                p for p in base.rglob("*") if p.is_file() and not IGNORED_PARTS & set(p.parts)
            )
        else:
            files = []
        for path in files:
            rel = path.relative_to(base) if path != base else Path(path.name)
            sha.update(f"{rel.as_posix()}\n".encode())
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def is_notebook(env: BuildEnvironment, docname: str) -> bool:
    path = Path(env.doc2path(docname))
    if path.suffix == ".ipynb":
        return True
    if path.suffix == ".md":  # a MyST text notebook declares its kernel in its front matter
        try:
            head = path.read_text(encoding="utf-8")[:2000]
        except OSError:
            return False
        return head.startswith("---") and "kernelspec:" in head.split("\n---", 1)[0]
    return False


def mark_notebooks_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    now = digest_of(watched_paths(app))
    before = getattr(env, "data_digest", None)
    env.data_digest = now  # saved with the environment, i.e. only once reading succeeded
    if now == before:
        return []
    notebooks = sorted(d for d in env.found_docs - added - removed if is_notebook(env, d))
    if notebooks and before is not None:
        logger.info("data changed: re-running %d notebook(s)", len(notebooks))
    return notebooks


def setup(app: Sphinx) -> dict:
    app.add_config_value("data_watch", ["data"], "env", [list, tuple])
    app.connect("env-get-outdated", mark_notebooks_outdated)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
