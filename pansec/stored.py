"""Loaded chronologies kept in the user's cache, each under a hash of everything that made it.

Every chapter loads the same data folder, and reading and checking it (the CSV files, every rule,
the BibTeX parser) costs a chapter about a quarter of a second. So a chronology that loaded
without a problem is stored, named by a hash of the bytes of the descriptor, of every table it
lists and of ``references.bib``, of pansec's own source, and of the versions of Python and of
the libraries that read and type the data. A later load whose hash is the same is answered from
the store; any other is read and checked in full. Nothing is stored when the data have a problem,
so every problem is still reported, every time. A stored file that cannot be read back is read
and checked again, and a cache that cannot be written only costs the time it would have saved.

``PANSEC_CACHE=off`` turns the store off. Its folder is ``$XDG_CACHE_HOME/pansec`` (by default
``~/.cache/pansec``), beside the record of descriptors already checked
(:mod:`pansec.read.descriptor`). The files are pickles written by this user for this user, and
read back only from there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pansec.read.files import BIBLIOGRAPHY, DESCRIPTOR
from pansec.write import replace_file

#: Raised when what a stored file holds, or how it is made, changes.
FORMAT = "pansec-chronology 1"
#: Chronologies kept at most; the least recently used go first.
KEPT = 8
#: Data folders larger than this (in bytes; the book's data are about 130 kB) are not stored:
#: writing their chronology would cost more than reading and checking it once.
LIMIT = 4_000_000
#: The libraries, besides pandas and numpy, whose versions decide what a data folder reads and
#: types to.
LIBRARIES = ("pybtex", "frictionless")


def cache_folder() -> Path:
    """pansec's folder in the user's cache."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pansec"


def _store() -> Path:
    return cache_folder() / "chronologies"


def key_of(folder: Path) -> str | None:
    """The hash a chronology of this data folder is stored under, or None when it is not stored:
    the store is off, the data are larger than :data:`LIMIT`, a file cannot be read, or the
    descriptor is not plain enough to name every table's file (the folder is then read and
    checked, and its problems reported)."""
    if os.environ.get("PANSEC_CACHE", "").lower() in {"off", "0", "no", "false"}:
        return None
    digest = hashlib.sha256(f"{FORMAT}\n{_environment()}\n".encode())
    try:
        descriptor = (folder / DESCRIPTOR).read_bytes()
        names = [resource["path"] for resource in json.loads(descriptor)["resources"]]
        if not all(isinstance(name, str) for name in names):
            return None
        inputs = [*names, BIBLIOGRAPHY]
        if len(descriptor) + sum((folder / name).stat().st_size for name in inputs) > LIMIT:
            return None
        for name, data in [(DESCRIPTOR, descriptor), *((name, (folder / name).read_bytes()) for name in inputs)]:
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _environment() -> str:
    """Python's version, the libraries' versions and a hash of pansec's source, in one line."""
    import numpy
    import pandas

    versions = [f"pandas {pandas.__version__}", f"numpy {numpy.__version__}"]
    versions += [f"{name} {installed_version(name)}" for name in LIBRARIES]
    return f"{sys.version} | {' | '.join(versions)} | pansec {source_hash(Path(__file__).parent)}"


def installed_version(name: str) -> str:
    """The installed version of a distribution, or 'none': part of what a cached answer depends on."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


def source_hash(package: Path) -> str:
    """A hash of every Python file of a package, by path and bytes: an edited rule is a new key."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def recall(key: str) -> object | None:
    """What was stored under ``key``, or None if nothing was, or if it cannot be read back."""
    path = _store() / f"{key}.pickle"
    try:
        value = pickle.loads(path.read_bytes())
    except Exception:  # none stored, a truncated file, or classes changed since: read the data again
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used, so kept
    return value


def keep(key: str, value: object) -> None:
    """Store ``value`` under ``key``, whole or not at all, and keep only the :data:`KEPT` most
    recently used; a cache that cannot be written is left alone."""
    store = _store()
    try:
        store.mkdir(parents=True, exist_ok=True)
        replace_file(store / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        kept = sorted(store.glob("*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
