"""The one exception type for bad input.

Every problem a user can fix in an input file is raised as :class:`InputError`
naming the file and, where there is one, the line. The command line turns it
into a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations


class InputError(Exception):
    """A problem in an input file that the user can fix.

    Parameters
    ----------
    source
        The file (or other named input) the problem is in.
    message
        What is wrong, in plain words.
    line
        1-based line number, when the problem is on one line.
    """

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = str(source)
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class InputErrors(InputError):
    """Several problems found in one pass, reported together."""

    def __init__(self, problems: list[InputError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.source, first.message, first.line)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
