"""The two ways a command fails, each with its exit status (``main`` turns them into a message)."""


class UsageError(Exception):
    """Bad input from the user: exit status 2."""


class Failure(Exception):
    """Something the command could not do: exit status 1."""
