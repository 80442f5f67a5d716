"""The data package's descriptor as pansec reads it, with Frictionless's check paid once.

Frictionless checks ``datapackage.json`` against the Data Package standard. Building its
``Package`` loads every format plugin it has, jsonschema among them, and jsonschema's format
checkers import rfc3987-syntax, which compiles some thirty grammars at import: about 2.4 s on this
project's machines, paid by every chapter (rfc3987-syntax comes with JupyterLab, through
jupyter-events' ``jsonschema[format-nongpl]``). So pansec asks Frictionless once per distinct
descriptor text and Frictionless version, records the text's hash in the user's cache when the
descriptor passes, and reads the plain JSON into the few classes below, which name what the
validator and the loader use: resources, their paths and schemas, and the fields' types and
constraints. An edited descriptor is a new text, and is checked again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    constraints: dict

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))


@dataclass(frozen=True)
class Schema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    schema: Schema | None


@dataclass(frozen=True)
class Package:
    resources: tuple[Resource, ...]


def read(descriptor: dict) -> Package:
    """The resources of a descriptor that Frictionless has accepted, as pansec uses them."""
    resources = []
    for entry in descriptor.get("resources", []):
        schema = entry.get("schema")
        if isinstance(schema, dict):
            key = schema.get("primaryKey", [])
            schema = Schema(
                fields=tuple(
                    Field(f["name"], f.get("type", "any"), dict(f.get("constraints", {}))) for f in schema.get("fields", [])
                ),
                primary_key=tuple([key] if isinstance(key, str) else key),
                foreign_keys=tuple(schema.get("foreignKeys", [])),
            )
        else:
            schema = None
        resources.append(Resource(entry.get("name", ""), str(entry.get("path", "") or ""), schema))
    return Package(tuple(resources))


def _record() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "pansec" / "checked-descriptors"


def _key(text: str) -> str:
    try:
        checker = version("frictionless")
    except PackageNotFoundError:
        checker = "none"
    return hashlib.sha256(f"frictionless {checker}\n{text}".encode()).hexdigest()


def checked_before(text: str) -> bool:
    """Has Frictionless accepted this very descriptor text, with this version of Frictionless?"""
    try:
        return _key(text) in _record().read_text(encoding="ascii").split()
    except OSError:
        return False


def remember(text: str) -> None:
    """Record an accepted descriptor; written whole or not at all, and never an error if the cache
    cannot be written (the check is then simply paid again)."""
    record = _record()
    try:
        known = record.read_text(encoding="ascii").split() if record.exists() else []
        record.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="ascii", dir=record.parent, delete=False) as out:
            out.write("\n".join([*known[-49:], _key(text)]) + "\n")
        os.replace(out.name, record)
    except OSError:
        pass
