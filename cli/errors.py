"""The two ways a command fails, each with its exit status (``main`` turns them into a message)."""


class UsageError(Exception):
    """Bad input from the user: exit status 2. ``prog``: the command it names ("autograd-tiny train"),
    given when the argument parser raises it; ``main`` names the command it ran otherwise."""

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


class Failure(Exception):
    """Something the command could not do: exit status 1."""
