"""What is wrong with the data, in the one form every check reports it: ``FILE:LINE: column: message``.

LINE is the line an editor shows (the header is line 1, and a quoted cell that spans lines counts
all of them), so a student can jump straight to the cell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as an editor would show it."""

    file: str
    line: int
    column: str
    message: str

    def __post_init__(self):
        # one problem, one line: a message quoting a library's multi-line text is folded
        object.__setattr__(self, "message", " ".join(str(self.message).split()))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class DataError(ValueError):
    """The data cannot be loaded; the message lists every problem, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"the data has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *map(str, self.problems)]))


def show(value, limit: int = 50) -> str:
    """A cell value quoted for a one-line message: escapes, and truncates long text.

    Undecodable bytes (kept as lone surrogates) are shown as U+FFFD, so any terminal can print it.
    """
    text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace") if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)
