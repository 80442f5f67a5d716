"""Re-execute the notebooks when the data they read changes.

MyST-NB's execution cache keys a notebook on its code cells only. The chapters read data/ through
pansec, so an edited CSV (or an edited pansec) would leave every chart stale. This extension hashes
the watched folders at the start of a build and, when the hash differs:

* from the one stored beside the jupyter-cache: it clears the cache, so no stale output is reused;
* from the one stored in Sphinx's environment: it marks every notebook outdated, so Sphinx reads
  (and MyST-NB executes) them again instead of reusing their old doctrees.

The two records are kept apart because they go stale apart: the cache is shared by the HTML and
LaTeX builds, while the environment is only saved when a build's reading phase succeeds.

Config values (set under ``sphinx: config:`` in _config.yml):

``data_cache_watch``
    Folders (or files), relative to the book's root, whose contents the notebooks depend on.
    The folder named by the environment variable PANSEC_DATA, when set, is watched as well,
    since pansec then reads from it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

DIGEST_FILE = ".data-digest.json"
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".DS_Store"}


def watched_paths(app: Sphinx) -> list[Path]:
    root = Path(app.confdir)
    paths = [(root / p).resolve() for p in app.config.data_cache_watch]
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


def cache_path(app: Sphinx) -> Path | None:
    config = getattr(app.env, "mystnb_config", None)
    path = getattr(config, "execution_cache_path", None)
    return Path(path) if path else None


def clear_stale_cache(app: Sphinx) -> None:
    """At builder-inited (after MyST-NB has set the cache path): empty a cache made from other data."""
    digest = digest_of(watched_paths(app))
    app.env.data_cache_digest_now = digest  # read by mark_notebooks_outdated
    cache = cache_path(app)
    if cache is None:
        return
    record = cache.parent / DIGEST_FILE
    try:
        stored = json.loads(record.read_text())["digest"]
    except (OSError, ValueError, KeyError):
        stored = None
    if stored == digest:
        return
    if cache.exists():
        from jupyter_cache import get_cache

        logger.info("data changed since the notebooks were cached: clearing %s", cache)
        get_cache(str(cache)).clear_cache()
    # An empty cache is consistent with any data: from here on it only receives outputs of this data.
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"digest": digest, "watched": [str(p) for p in watched_paths(app)]}))


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


def mark_notebooks_outdated(app, env: BuildEnvironment, added, changed, removed) -> list[str]:
    now = getattr(env, "data_cache_digest_now", None)
    before = getattr(env, "data_cache_digest", None)
    env.data_cache_digest = now  # saved with the environment, i.e. only once reading succeeded
    if now is None or now == before:
        return []
    notebooks = sorted(d for d in env.found_docs - added - removed if is_notebook(env, d))
    if notebooks and before is not None:
        logger.info("data changed: re-reading %d notebook(s)", len(notebooks))
    return notebooks


def setup(app: Sphinx) -> dict:
    app.add_config_value("data_cache_watch", ["data"], "env", [list, tuple])
    # Priority 900: after MyST-NB's own builder-inited handler, which fixes the cache path.
    app.connect("builder-inited", clear_stale_cache, priority=900)
    app.connect("env-get-outdated", mark_notebooks_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
