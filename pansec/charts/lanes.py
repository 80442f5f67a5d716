"""The rows of a timeline's lane: where a mark, or a mark and its name, first fits.

Each row holds disjoint intervals in inches, kept sorted, so that asking whether a stretch of a row
is free costs a binary search, not a scan; the marks of a long chronology are placed in blocks
with numpy, in exactly the rows one-at-a-time placing gives.
"""

from __future__ import annotations

import bisect

import numpy as np

#: The room kept clear around a mark or a name, in inches.
GAP = 0.04
#: A lane of fewer marks is laid out one mark at a time; a longer one in blocks of this many.
FEW_MARKS = 500
MARK_BLOCK = 2048


class Lane:
    """The rows of one bloc's lane: what each row holds, as disjoint intervals in inches kept sorted,
    so that asking whether a stretch of a row is free costs a binary search, not a scan."""

    def __init__(self):
        self.starts: list[list[float]] = []
        self.ends: list[list[float]] = []

    def free(self, row: int, a: float, b: float) -> bool:
        self.make_rows(row)
        i = bisect.bisect_left(self.starts[row], b)
        return i == 0 or self.ends[row][i - 1] <= a

    def make_rows(self, last: int) -> None:
        while len(self.starts) <= last:
            self.starts.append([])
            self.ends.append([])

    def occupy(self, row: int, a: float, b: float) -> None:
        i = bisect.bisect_left(self.starts[row], a)
        self.starts[row].insert(i, a)
        self.ends[row].insert(i, b)

    def place(self, mark: tuple[float, float], label: tuple[float, float], lines: int, max_row: int) -> int | None:
        """The first row where a named mark and its name (on as many rows as it has lines) fit;
        a mark without a name goes through :meth:`place_mark`."""
        # A name's second line keeps clear of marks on the mark's side too, so that it is not
        # read as the name of a mark in the row below.
        rest = (label[0] - 0.2, label[1]) if label[0] >= mark[1] else (label[0], label[1] + 0.2)
        a, b = min(mark[0], label[0]), max(mark[1], label[1])
        more = range(1, lines)
        for row in range(max_row + 1):
            if self.free(row, a - GAP, b + GAP) and all(self.free(row + k, rest[0] - GAP, rest[1] + GAP) for k in more):
                self.occupy(row, a - GAP, b + GAP)
                for k in more:
                    self.occupy(row + k, rest[0] - GAP, rest[1] + GAP)
                return row
        return None

    def place_mark(self, a: float, b: float, max_row: int) -> int | None:
        """The first row where a mark without a name fits, written for speed: a long chronology
        places a hundred thousand of them, and a method call per row would triple the cost."""
        a, b = a - GAP, b + GAP
        self.make_rows(max_row)
        all_starts, all_ends = self.starts, self.ends
        for row in range(max_row + 1):
            starts = all_starts[row]
            i = bisect.bisect_left(starts, b)
            if i == 0 or all_ends[row][i - 1] <= a:
                # Rows hold disjoint intervals in order: every interval before i ends by a, every
                # one from i starts at b or later, so the new interval goes at i.
                starts.insert(i, a)
                all_ends[row].insert(i, b)
                return row
        return None

    def place_marks(self, left: np.ndarray, right: np.ndarray, max_row: int) -> list[int | None]:
        """:meth:`place_mark` for many marks in turn, the same rows found with numpy.

        Most marks of a long chronology find every row taken, and asking each row of each of them
        in Python was most of the layout's time. A block of marks is asked of every row at once;
        a row taken for a mark at the start of its block stays taken, since rows only fill, so
        only the marks with a free row are placed one by one, each crossing off the rows it
        takes from the later marks it would overlap.
        """
        if len(left) < FEW_MARKS:
            return [self.place_mark(a, b, max_row) for a, b in zip(left.tolist(), right.tolist())]
        self.make_rows(max_row)
        found: list[int | None] = [None] * len(left)
        for begin in range(0, len(left), MARK_BLOCK):
            a, b = left[begin:begin + MARK_BLOCK] - GAP, right[begin:begin + MARK_BLOCK] + GAP
            free = np.ones((max_row + 1, len(a)), dtype=bool)
            for row in range(max_row + 1):
                if self.starts[row]:
                    # as free() asks: the interval before the first that starts at b or later ends by a
                    i = np.searchsorted(np.asarray(self.starts[row]), b, side="left")
                    free[row] = (i == 0) | (np.asarray(self.ends[row])[np.maximum(i - 1, 0)] <= a)
            some = free.any(axis=0)
            for at in np.flatnonzero(some).tolist():
                if not some[at]:
                    continue  # crossed off by a mark placed earlier in this block
                row = int(np.argmax(free[:, at]))
                x, y = float(a[at]), float(b[at])
                i = bisect.bisect_left(self.starts[row], y)
                self.starts[row].insert(i, x)
                self.ends[row].insert(i, y)
                found[begin + at] = row
                later = slice(at + 1, None)
                overlap = (y > a[later]) & (x < b[later])
                if overlap.any():
                    free[row, later] &= ~overlap
                    some[later] = free[:, later].any(axis=0)
        return found

    @property
    def height(self) -> int:
        return max((i + 1 for i, r in enumerate(self.starts) if r), default=1)
