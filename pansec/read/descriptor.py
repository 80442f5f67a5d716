"""The data package's descriptor, ``datapackage.json``: read, checked, and what pansec adds to it.

The descriptor is the single source of truth for the tables: their files, fields, types and
constraints, and the links between them. What no descriptor can say (which cells hold dates at
mixed precision, which hold ';'-lists of ids) is stated once here, beside it.

Frictionless checks the descriptor against the Data Package standard. Building its ``Package``
loads every format plugin it has, jsonschema among them, and jsonschema's format checkers import
rfc3987-syntax, which compiles some thirty grammars at import: about 2.4 s on this project's
machines, paid by every chapter (rfc3987-syntax comes with JupyterLab, through jupyter-events'
``jsonschema[format-nongpl]``). So pansec asks Frictionless once per distinct descriptor text and
Frictionless version, records the text's hash in the user's cache when the descriptor passes, and
reads the plain JSON into the few classes below, which name what the rules and the loader use:
resources, their paths and schemas, and the fields' types and constraints. An edited descriptor
is a new text, and is checked again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pansec.problems import Problem
from pansec.read.files import DESCRIPTOR, UNDECODABLE, label_of, line_at, read_text
from pansec.stored import cache_folder, installed_version
from pansec.write import replace_file

# What the loader and derived facts rely on: the descriptor may add tables and fields, not drop these.
EXPECTED = {
    "events": ["id", "date", "end_date", "paper_date", "date_basis", "title", "actors", "sources"],
    "actors": ["id"],
    "exchanges": ["from", "to", "relation"],
    "periods": ["id", "start", "end"],
    "conditions": ["id"],
    "proposal_conditions": [],
    "participation": [],
    "agenda": [],
    "claims": ["id", "from_event", "to_event", "min_days", "max_days"],
    "readings": ["claim", "reading", "anchor", "min_days", "max_days"],
    "review": ["event", "fact", "reference", "locator"],
}
SUPPORTED_TYPES = {"string", "integer"}
# Cells read as dates even where the schema gives no date pattern (the loader and rules need them).
DATES = {"events": ("date", "end_date", "paper_date"), "periods": ("start", "end")}
# Links no schema language can state: cells holding ';'-separated ids of another table. Every
# table's 'sources' column is such a list too, of BibTeX keys.
LIST_SEPARATOR = ";"
LIST_LINKS = {("events", "actors"): ("actors", "id")}


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
    return cache_folder() / "checked-descriptors"


def _key(text: str) -> str:
    return hashlib.sha256(f"frictionless {installed_version('frictionless')}\n{text}".encode()).hexdigest()


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
        replace_file(record, ("\n".join([*known[-49:], _key(text)]) + "\n").encode("ascii"), durable=False)
    except OSError:
        pass


def is_list(table: str, column: str) -> bool:
    """Does the column hold ';'-separated ids rather than one value?"""
    return (table, column) in LIST_LINKS or column == "sources"


def read_descriptor(folder: Path, problems: list[Problem]) -> Package | None:
    """The package the descriptor describes, or None (with problems) if it is unusable."""
    label = label_of(folder, DESCRIPTOR)
    text, clean = read_text(folder / DESCRIPTOR, label, problems, "it describes every table")
    if text is None:
        return None
    if not clean:
        line = line_at(text, UNDECODABLE.search(text).start())
        problems.append(Problem(label, line, "descriptor", "not valid UTF-8: save the file as UTF-8"))
        return None
    try:
        package, errors = checked(text)
    except json.JSONDecodeError as err:
        problems.append(Problem(label, err.lineno, "descriptor", f"not valid JSON: {err.msg}"))
        return None
    for error in errors:
        # a problem with one resource points at the line that names it
        named = re.match(r"resource '([^']+)'", error)
        where = re.search(rf'"name"\s*:\s*"{re.escape(named.group(1))}"', text) if named else None
        problems.append(Problem(label, line_at(text, where.start()) if where else 1, "descriptor", error))
    return None if errors else package


@lru_cache(maxsize=8)
def checked(text: str) -> tuple[Package | None, list[str]]:
    """Parse and check a descriptor once per distinct text: chapters load the data many times, and
    Frictionless's own check runs only for a text it has not accepted before."""
    descriptor = json.loads(text)
    if not isinstance(descriptor, dict):
        return None, ["the descriptor must be a JSON object"]
    accepted_before = checked_before(text)
    if not accepted_before:
        from frictionless import Package as StandardPackage

        report = StandardPackage.validate_descriptor(descriptor)
        errors = [f"{e.note}" for e in report.errors]
        if errors:
            return None, errors
    package = read(descriptor)
    errors = needs(package)
    if not errors and not accepted_before:
        remember(text)
    return (None if errors else package), errors


def needs(package: Package) -> list[str]:
    """What pansec needs of a descriptor beyond the standard: its tables and fields, plain file
    names, foreign keys that point somewhere, patterns that compile, types it reads."""
    errors = []
    names = {resource.name: resource for resource in package.resources}
    for name, needed in EXPECTED.items():
        if name not in names:
            errors.append(f"resource {name!r} is missing: pansec needs it")
        elif names[name].schema is not None:
            absent = [f for f in needed if f not in names[name].schema.field_names]
            if absent:
                errors.append(f"resource {name!r} lacks the field(s) {', '.join(absent)}: pansec needs them")
    for resource in package.resources:
        path = str(resource.path or "")
        if not path or "/" in path or "\\" in path or path.startswith("."):
            errors.append(f"resource {resource.name!r}: path {path!r} must be a plain file name in the data folder")
        if resource.schema is None or not resource.schema.fields:
            errors.append(f"resource {resource.name!r} has no schema: every table needs its fields described")
            continue
        for foreign in resource.schema.foreign_keys:
            target = names.get(foreign["reference"].get("resource") or resource.name)
            wanted = foreign["reference"]["fields"]
            wanted = wanted if isinstance(wanted, list) else [wanted]
            if target is None or target.schema is None or not set(wanted) <= set(target.schema.field_names):
                errors.append(f"resource {resource.name!r}: foreign key {foreign} points at no such resource or field")
        for schema_field in resource.schema.fields:
            pattern = schema_field.constraints.get("pattern")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as err:
                    errors.append(f"resource {resource.name!r}: field {schema_field.name!r} has an invalid pattern: {err}")
            if schema_field.type not in SUPPORTED_TYPES:
                errors.append(
                    f"resource {resource.name!r}: field {schema_field.name!r} has type {schema_field.type!r};"
                    f" pansec reads only {', '.join(sorted(SUPPORTED_TYPES))}"
                )
            if not re.fullmatch(r"[a-z_]+", schema_field.name):
                errors.append(f"resource {resource.name!r}: field name {schema_field.name!r} must be lower case letters and '_'")
    return errors
