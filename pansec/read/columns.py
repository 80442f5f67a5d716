"""One column of a table as the rules read it: its cells as Python objects, where they are empty,
and the sets and codes several rules ask for, each computed once.

pandas 3 keeps "str" columns as Python objects when pyarrow is absent, and then every ``isna``,
comparison, ``isin`` or ``map`` on such a column is one more pass over it in Python: tens of
milliseconds at 100,000 rows, and the rules asked for dozens. The rules work on these arrays
instead; the frame stays what the loader returns.
"""

from __future__ import annotations

from functools import cached_property

import numpy
import pandas as pd


class Column:
    """A column's cells (NaN where empty) and its mask of empty cells, known from reading."""

    def __init__(self, values: numpy.ndarray, empty: numpy.ndarray):
        self.values = values
        self.empty = empty
        self.has_empty = bool(empty.any())
        self._found_in: dict[Column, numpy.ndarray] = {}
        self._unique: bool | None = None

    @classmethod
    def of(cls, series: pd.Series) -> Column:
        """A column of a frame whose empty cells are not known in advance."""
        values = series.to_numpy(dtype=object)
        return cls(values, pd.isna(values))

    @cached_property
    def filled(self) -> numpy.ndarray:
        return ~self.empty

    @cached_property
    def distinct(self) -> set[str]:
        """The distinct filled values; Python strings keep their hash, so the set is cheap."""
        found = set(self.values.tolist())
        return {value for value in found if isinstance(value, str)} if self.has_empty else found

    def is_unique(self) -> bool:
        """Whether no value fills two cells. Asked of the hash table of the filled cells, which the
        column's codes and its look-ups (``index``) then share: a key column of 100,000 ids is
        hashed once rather than three times (a set, pandas' factorize and an Index)."""
        if self._unique is None:
            self._unique = bool(self.filled_index.is_unique)
        return self._unique

    @cached_property
    def filled_index(self) -> pd.Index:
        return pd.Index(self.values[self.filled], dtype=object)

    @cached_property
    def codes(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Each row's code (-1 when empty) and, by code, the distinct values in the order of their
        first rows."""
        if self._unique:  # known to hold each value once: the codes count the filled cells
            codes = numpy.cumsum(self.filled) - 1
            codes[self.empty] = -1
            return codes, self.filled_index.to_numpy()
        return pd.factorize(self.values)

    @cached_property
    def first_rows(self) -> numpy.ndarray:
        """By code, the position of the first row holding the value."""
        if self._unique:
            return numpy.flatnonzero(self.filled)
        codes, distinct = self.codes
        found, first = numpy.unique(codes, return_index=True)
        return first[found >= 0]

    @cached_property
    def index(self) -> pd.Index:
        """The distinct filled values as an Index, so that its hash table is built once and shared by
        every link that points at the column (five tables point at events.id)."""
        if self._unique:
            return self.filled_index
        return pd.Index(self.codes[1], dtype=object)

    def found_in(self, key: Column) -> numpy.ndarray:
        """Each cell's code among the key column's distinct values, -1 when absent or empty: looked
        up once per pair of columns, since several rules follow the same link."""
        if key not in self._found_in:
            self._found_in[key] = key.index.get_indexer(self.values)
        return self._found_in[key]

    def holding(self, wanted) -> numpy.ndarray:
        """Where a cell holds one of the given values."""
        if not wanted:
            return numpy.zeros(len(self.values), dtype=bool)
        return numpy.fromiter(map(set(wanted).__contains__, self.values.tolist()), dtype=bool, count=len(self.values))

    def text_or_blank(self) -> numpy.ndarray:
        """The cells with '' where empty, to compare two columns as text."""
        return numpy.where(self.empty, "", self.values)
