"""The exceptions for bad input: one base class, one subclass per kind of input.

Every problem a user can fix in an input is raised as an :class:`InputError`
naming the file (or flag) and, where there is one, the line. The command line
turns it into a one-line message and exit code 2, never a traceback; Python
callers can catch the base class or the kind they care about.
"""

from __future__ import annotations


class InputError(Exception):
    """A problem in an input that the user can fix.

    Parameters
    ----------
    source : str
        The file (or flag, such as ``--period``) the problem is in.
    message : str
        What is wrong, in plain words.
    line : int, optional
        1-based line number (a spreadsheet's row), when the problem is on one line.

    Examples
    --------
    >>> str(InputError("counts.csv", "count 'x' is not a whole number", 3))
    "counts.csv:3: count 'x' is not a whole number"
    """

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = str(source)
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class AnswerError(InputError):
    """An FOI answer's text cannot be read, or its tables do not add up."""


class CountsTableError(InputError):
    """A counts table (CSV or ``.xlsx``) cannot be read as one."""


class MetadataError(InputError):
    """What the figures are (``metadata.json`` or a flag such as ``--period``) is wrong."""


class AreaError(InputError):
    """Area names that match no area, mix levels, or belong to a structure with no map."""


class BoundaryError(InputError):
    """The geography (``boundaries/`` or its open-data sources) is missing or inconsistent."""


class CentresError(InputError):
    """The reporting centres file has a bad row."""


class ReferenceDataError(InputError):
    """The offence groups or outcome types (``data/reference/``) do not cover the answer."""


class OptionError(InputError):
    """A combination of options that cannot be honoured (``--suppress-below 2``, say)."""


class ArgumentError(OptionError, ValueError, TypeError):
    """A Python API argument of the wrong type or out of range (``year="2020"``, say).

    It is also a :class:`ValueError` and a :class:`TypeError`, as Python's own
    functions raise for such arguments; ``source`` names the parameter.
    """


class OutputError(InputError):
    """The output folder cannot be written as asked."""


class InputErrors(InputError):
    """Several problems found in one pass, reported together.

    It is also an instance of the kind of its first problem, so a caller catching
    :class:`AreaError` catches a list of unknown area names too.
    """

    def __new__(cls, problems: list[InputError]) -> InputErrors:
        """Make the error an instance of its first problem's kind as well."""
        kind = type(problems[0])
        if cls is InputErrors and kind is not InputError and not issubclass(kind, InputErrors):
            cls = type(f"{kind.__name__}s", (InputErrors, kind), {})
        return super().__new__(cls)

    def __init__(self, problems: list[InputError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.source, first.message, first.line)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


QUOTED_LIMIT = 80
"""Characters of an input's text a message quotes; a longer text is cut."""


def quoted(text: str, limit: int = QUOTED_LIMIT) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters with its length said.

    A message quotes what it refuses so the user can find it, but a cell of
    100,000 characters would bury the message itself.

    Examples
    --------
    >>> quoted("Aston")
    "'Aston'"
    >>> quoted("x" * 500, limit=10)
    "'xxxxxxxxxx…' (500 characters)"
    """
    if len(text) <= limit:
        return repr(text)
    cut = repr(text[:limit])
    return f"{cut[:-1]}…{cut[-1]} ({len(text):,} characters)"
