"""ContentError: one thing wrong in one file, and how it is printed."""
from __future__ import annotations

from typing import NamedTuple


class ContentError(NamedTuple):
    """A mistake in content or templates, located by file, line and column (ordered that way).

    A named tuple rather than a dataclass, for the same reason as config.Paths."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    warning: bool = False

    def format(self) -> str:
        """Return `path:line:col: message` (line and column left out when unknown)."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        prefix = "warning: " if self.warning else ""
        return f"{where}: {prefix}{self.message}"


class ContentErrors(Exception):
    """Every content error found in one run, raised together."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(e.format() for e in self.errors))

    def __reduce__(self) -> tuple:  # so that a worker process can raise one to its parent
        return (ContentErrors, (self.errors,))

    def summary(self) -> str:
        """Return the closing line: how many errors in how many files."""
        files = len({e.path for e in self.errors})
        n = len(self.errors)
        return (f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
                "nothing written.")
