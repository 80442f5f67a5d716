"""Each cell against its field in the descriptor: required, unique, integer, minimum, maximum,
pattern, enum, length, and plain text (no markup, no invisible characters).
"""

from __future__ import annotations

import re

import numpy
import pandas as pd

from pansec import dates
from pansec.problems import Problem, show
from pansec.read.descriptor import is_list
from pansec.read.tables import Table

ISO_PATTERN = dates.ISO_DATE.pattern
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
# A tag, closing tag, comment or processing instruction: cells are plain text, and text from the
# data reaches HTML pages, so markup is refused at the door rather than trusted downstream.
MARKUP = r"<\s*[A-Za-z!/?]"
# Control characters and stray byte-order marks are invisible in an editor and break output.
INVISIBLE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]"
NOT_PLAIN = re.compile(f"{MARKUP}|{INVISIBLE}")


def whole_numbers(column: pd.Series) -> pd.Series:
    """Integers from text, NA where a cell is empty or not a whole number of at most 15 digits."""
    valid = column.str.fullmatch(r"[+-]?\d{1,15}", na=False)
    return pd.to_numeric(column.where(valid), errors="coerce").astype("Int64")


def cell_schema(table: Table, spans=None):
    """A pandera schema for the columns present, generated from the Frictionless field constraints.

    Every check lets empty cells pass by itself (ignore_na=False): pandera would otherwise copy
    the column without its empty cells once per check, which at 100,000 rows costs more than the
    checks do. Empty required cells are still caught, once per column, by ``nullable``.
    """
    import pandera.pandas as pa

    def check(test, error):
        return pa.Check(test, error=error, ignore_na=False)

    columns = {}
    for schema_field in table.fields:
        if schema_field.name not in table.present:
            continue
        constraints = schema_field.constraints
        checks = []
        if schema_field.type == "integer":
            checks.append(check(lambda s: s.str.fullmatch(r"[+-]?\d{1,15}", na=True), "integer"))
            if "minimum" in constraints:
                low = constraints["minimum"]
                checks.append(check(lambda s, low=low: ~(whole_numbers(s) < low).fillna(False), "minimum"))
            if "maximum" in constraints:
                high = constraints["maximum"]
                checks.append(check(lambda s, high=high: ~(whole_numbers(s) > high).fillna(False), "maximum"))
        if "pattern" in constraints:
            pattern = constraints["pattern"]
            found = (spans or {}).get((table.name, schema_field.name))
            if pattern == ISO_PATTERN and found is not None:  # the date reader matched this very pattern
                checks.append(check(lambda s, formed=found["formed"]: formed | s.isna(), "pattern"))
            else:
                checks.append(check(lambda s, pattern=pattern: s.str.fullmatch(pattern, na=True), "pattern"))
        if "enum" in constraints:
            allowed = [*constraints["enum"], numpy.nan]
            checks.append(check(lambda s, allowed=allowed: s.isin(allowed), "enum"))
        if "maxLength" in constraints:
            longest = constraints["maxLength"]
            checks.append(check(lambda s, longest=longest: ~(s.str.len() > longest), "maxLength"))
        if "minLength" in constraints:
            shortest = constraints["minLength"]
            checks.append(check(lambda s, shortest=shortest: ~(s.str.len() < shortest), "minLength"))
        # Free text must be plain; list cells are not free text, each item must be a known id.
        listed = is_list(table.name, schema_field.name)
        if schema_field.type == "string" and not {"pattern", "enum"} & set(constraints) and not listed:
            checks.append(check(plain_text, "plain"))
        unique = bool(constraints.get("unique")) or table.primary_key == [schema_field.name]
        columns[schema_field.name] = pa.Column(
            None, nullable=not schema_field.required, unique=unique, report_duplicates="exclude_first", checks=checks
        )
    key = table.primary_key if len(table.primary_key) > 1 and set(table.primary_key) <= table.present else None
    return pa.DataFrameSchema(columns, unique=key, report_duplicates="exclude_first")


def plain_text(column: pd.Series) -> pd.Series:
    """True where a cell holds no markup and no invisible character.

    One search over the whole column joined first: a match inside any cell is a match in the
    joined text, so when the joined text is clean every cell is, at a tenth of the cost.
    """
    if not NOT_PLAIN.search("\n".join(column.dropna().tolist())):
        return pd.Series(True, index=column.index)
    return ~column.str.contains(NOT_PLAIN, regex=True, na=False)


def check_cells(table: Table, spans, problems: list[Problem]) -> None:
    """Apply the generated schema and turn each failure case into a located problem."""
    import pandera.pandas as pa

    if table.frame.empty:
        return
    try:
        cell_schema(table, spans).validate(table.frame, lazy=True)
        return
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    except pa.errors.SchemaError as error:  # pragma: no cover - lazy validation collects them all
        failures = error.failure_cases if isinstance(error.failure_cases, pd.DataFrame) else pd.DataFrame()
    seen_keys = set()
    first_lines = {}
    for case in failures.to_dict("records"):
        line, column, check = case["index"], str(case["column"]), str(case["check"])
        if line is None or pd.isna(line):
            problems.append(Problem(table.file, 1, column, f"could not be checked: {case['failure_case']}"))
            continue
        line = int(line)
        if check == "multiple_fields_uniqueness":
            if line not in seen_keys:
                seen_keys.add(line)
                problems.append(key_problem(table, line))
            continue
        if check == "field_uniqueness" and column not in first_lines:
            values = table.frame[column].dropna()
            first_lines[column] = dict(zip(values[~values.duplicated()], values.index[~values.duplicated()]))
        problems.append(Problem(table.file, line, column, cell_message(table, column, check, case["failure_case"], first_lines)))


def key_problem(table: Table, line: int) -> Problem:
    frame = table.frame
    key = table.primary_key
    values = tuple(frame.at[line, name] for name in key)
    same = (frame[key] == pd.Series(values, index=key)).all(axis=1)
    first = int(frame.index[same][0])
    shown = ", ".join(show(v) for v in values)
    return Problem(table.file, line, key[0],
                   f"the pair ({', '.join(key)}) = ({shown}) appears more than once (first on line {first})")


def cell_message(table: Table, column: str, check: str, value, first_lines) -> str:
    """The words for one failed check, in terms of the field's own constraint."""
    constraints = table.get_field(column).constraints
    if check == "not_nullable":
        return "required, but the cell is empty"
    if check == "field_uniqueness":
        first = first_lines[column].get(value, "?")
        return f"{show(value)} appears more than once (first on line {first}); ids must be unique"
    if check == "integer":
        return f"{show(value)} is not a whole number"
    if check == "minimum":
        return f"{value} is below the minimum {constraints['minimum']}"
    if check == "maximum":
        return f"{value} is above the maximum {constraints['maximum']}"
    if check == "pattern":
        if constraints["pattern"] == ISO_PATTERN:
            return f"{show(value)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
        if constraints["pattern"] == SLUG_PATTERN:
            return f"{show(value)} is not a valid id: use lower-case letters and digits, words joined by '-'"
        return f"{show(value)} does not match the pattern {constraints['pattern']}"
    if check == "enum":
        return f"{show(value)} is not one of: {', '.join(map(str, constraints['enum']))}"
    if check == "maxLength":
        return f"is {len(str(value))} characters long; at most {constraints['maxLength']} are allowed"
    if check == "minLength":
        return f"is {len(str(value))} characters long; at least {constraints['minLength']} are needed"
    if check == "plain":
        tag = re.search(MARKUP + r"[^\s>]*", str(value))
        if tag:
            return f"contains HTML markup ({show(tag.group())}); cells hold plain text, so write it without tags"
        char = re.search(INVISIBLE, str(value)).group()
        return f"contains the invisible character U+{ord(char):04X}; remove it"
    return f"fails the check {check}: {show(value)}"

