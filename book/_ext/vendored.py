"""Scripts from the npm registry that the book serves from its own _static folder, never a CDN.

Live Code (thebe) and the Explore page's chronology (Observable Plot) both need them. Each is
fetched once, at `make setup`, with `npm pack`, checked against a pinned SHA-512 hash, kept in the
virtual environment that builds the book, and copied into every HTML build. This module does the
fetching, the checking and the copying; each extension says what it needs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path


def npm_pack(npm: str, specs: list[str], into: Path, what: str) -> dict[str, Path]:
    """`npm pack` the packages (name@version) into a folder; returns each package's tarball by name."""
    if shutil.which(npm) is None:
        raise SystemExit(f"{what} needs scripts from the npm registry, and npm is missing (Debian: nodejs npm).")
    done = subprocess.run(
        [npm, "pack", *specs, "--json", "--pack-destination", str(into), "--loglevel=error"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"npm pack {' '.join(specs)} failed:\n{done.stderr}")
    return {entry["name"]: into / entry["filename"] for entry in json.loads(done.stdout)}


def check_pinned(tarball: Path, name: str, version: str, integrity: str) -> None:
    """Refuse a tarball whose SHA-512 is not the pinned one (npm's own 'integrity' form)."""
    found = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if found != integrity:
        raise SystemExit(f"{tarball.name} is not the pinned {name} {version}: its hash is {found}")


def folder_of(app, configured: str, default: Path) -> Path:
    """The folder a config value names (relative to the book), or the default in the environment."""
    return (Path(app.confdir) / configured).resolve() if configured else default


def require(app, folder: Path, installed: bool, what: str, script: str) -> None:
    """Fail an HTML build at its start, before any chapter runs, when the scripts are missing."""
    if app.builder.format != "html" or installed:
        return
    from sphinx.errors import ExtensionError

    raise ExtensionError(f"{what}: the scripts are not in {folder}. Install them with "
                         f"`{sys.executable} {script}` (part of `make setup`).")


def copy_into_build(app, exception, folder: Path, static_folder: str) -> None:
    """Put the scripts in the output's _static/<static_folder>/, replacing what an earlier build left
    there. At the end of every build: Sphinx copies its static files only when some page was written."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / static_folder
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder / static_folder, target)
