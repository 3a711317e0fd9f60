"""The argparse types and checks the commands share: each refuses a bad value with one line naming
what was expected (``main`` prints it after the command's name and exits 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .errors import Failure, UsageError


def int_at_least(minimum: int, why: str = "") -> Callable[[str], int]:
    """An argparse type: the text of an integer ≥ ``minimum``; ``why`` (the minimum's reason, " (…)") ends its
    message."""
    expected = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"expected {expected}{why}, got {text!r}")
        return value

    return parse


positive_int = int_at_least(1)


random_seed = int_at_least(0, " (NumPy's seeds are)")  # the integers nn's check_seed accepts


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless n is 1: counted(1, "epoch") is "1 epoch", counted(2, "epoch") "2 epochs"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def output_folder(path: Path, given: Path | None = None) -> Path:
    """The folder a command writes to, made (with its parents) if missing, before any work: a UsageError if
    it is a file, a Failure if it cannot be made. ``given``: the ``--out`` the user gave when ``path`` is
    its folder (train's page), for the message."""
    if path.exists() and not path.is_dir():
        where = f"--out {path}:" if given is None else f"--out {given}: its folder {path}"
        raise UsageError(f"{where} exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Failure(f"cannot create the output folder {path}: {err.strerror}") from None
    return path
