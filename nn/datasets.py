"""Small deterministic data sets, nothing downloaded: toy sets generated here, each returning (X, y)
NumPy arrays, scikit-learn's digits (``digits``), split into train and test, and the makemore list of
names (``names``) with a character tokenizer for it (``CharTokenizer``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .validate import Seed, check_number, check_positive_int, is_token_id, random_generator


def _labels(y: np.ndarray, signed: bool) -> np.ndarray:
    return 2.0 * y - 1.0 if signed else y


def two_moons(
    n: int = 100, noise: float = 0.1, seed: Seed = 0, *, signed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles; X is (n, 2), y is 0/1 (−1/+1 with ``signed=True``, for hinge)."""
    check_positive_int(n, "n", 2)
    rng = random_generator(seed)
    upper = np.arange(n) < (n + 1) // 2
    t = rng.uniform(0.0, np.pi, n)
    x0 = np.where(upper, np.cos(t), 1.0 - np.cos(t))
    x1 = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    X = np.stack([x0, x1], axis=1) + rng.normal(0.0, noise, (n, 2))
    order = rng.permutation(n)
    return X[order], _labels((~upper).astype(float), signed)[order]


def xor(n: int = 4, noise: float = 0.0, seed: Seed = 0, *, signed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: inputs at the corners (0,0), (0,1), (1,0), (1,1), label x₀ XOR x₁.

    n = 4 gives the four corners once; larger n repeats them (with optional noise).
    """
    check_positive_int(n, "n", 4)
    rng = random_generator(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = corners[np.arange(n) % 4] + rng.normal(0.0, noise, (n, 2)) * (noise > 0)
    y = np.logical_xor(*(corners[np.arange(n) % 4] > 0.5).T).astype(float)
    return X, _labels(y, signed)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: Seed = 0, *, signed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles, the inner one (radius ``factor``) labelled 1."""
    check_positive_int(n, "n", 2)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = random_generator(seed)
    inner = np.arange(n) % 2 == 1
    t = rng.uniform(0.0, 2 * np.pi, n)
    radius = np.where(inner, factor, 1.0)
    X = np.stack([radius * np.cos(t), radius * np.sin(t)], axis=1) + rng.normal(0.0, noise, (n, 2))
    return X, _labels(inner.astype(float), signed)


def spiral(
    n: int = 200, noise: float = 0.03, turns: float = 1.75, seed: Seed = 0, *, signed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals (TensorFlow Playground's hardest set): arm 1 is arm 0 turned by π.

    Point i of an arm sits at angle t = 2π · turns · s and radius r = s (s = i / (n / 2), 0 → 1),
    so each arm winds ``turns`` times out to radius 1; then Gaussian ``noise`` is added. X is
    (n, 2), y is the arm, 0/1 (−1/+1 with ``signed=True``), alternating between rows.
    """
    check_positive_int(n, "n", 2)
    check_number(turns, "turns")
    rng = random_generator(seed)
    arm = np.arange(n) % 2
    s = (np.arange(n) // 2 + 0.5) / ((n + 1) // 2)  # 0 < s < 1 along each arm
    t = 2 * np.pi * turns * s + np.pi * arm
    X = np.stack([s * np.cos(t), s * np.sin(t)], axis=1) + rng.normal(0.0, noise, (n, 2))
    return X, _labels(arm.astype(float), signed)


def regression_curve(n: int = 50, noise: float = 0.05, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """A 1-D regression: x uniform in [−π, π], y = sin(x) + noise. X is (n, 1), y is (n,)."""
    check_positive_int(n, "n")
    rng = random_generator(seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, n))
    return x[:, None], np.sin(x) + rng.normal(0.0, noise, n)


def digits(
    test_fraction: float = 0.25, seed: Seed = 0, *, one_hot: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's 8×8 handwritten digits (1,797 images, shipped inside scikit-learn: no download).

    Returns (X_train, y_train, X_test, y_test): X has 64 pixels per row scaled to [0, 1]; y is the
    digit 0–9, or with ``one_hot=True`` a row of 10 with a 1 at the digit. The split is a
    shuffle with ``seed`` (the same seed, the same split), ``test_fraction`` of the images held out.
    Needs the ``data`` extra: ``pip install 'autograd-tiny[data]'``.
    """
    check_number(test_fraction, "test_fraction", high=1.0)
    rng = random_generator(seed)  # the seed checked before the slow import
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "datasets.digits needs scikit-learn: pip install 'autograd-tiny[data]' (or pip install scikit-learn)"
        ) from None
    images = load_digits()
    X = images.data / 16.0  # pixel intensities 0..16
    y = images.target.astype(int)
    order = rng.permutation(len(X))
    n_test = round(test_fraction * len(X))
    if not 0 < n_test < len(X):
        raise ValueError(
            f"test_fraction={test_fraction!r} leaves {n_test} of {len(X)} images for the test set: "
            f"both sets need at least one"
        )
    test, train = order[:n_test], order[n_test:]
    if one_hot:
        y = np.eye(10)[y]
    return X[train], y[train], X[test], y[test]


# names.txt is the names.txt of the public repository karpathy/makemore (commit 988aa59): 32,033 first
# names, one per line, lower case, from ssa.gov (the US Social Security Administration's public baby-name
# data, year 2018). It is the file microgpt trains on, shipped here unchanged.
NAMES_FILE = Path(__file__).resolve().parent / "names.txt"


def names() -> list[str]:
    """makemore's 32,033 names (the data microgpt trains on), in the file's order, duplicates kept
    (29,494 are distinct). Shipped with the package: nothing is downloaded."""
    return NAMES_FILE.read_text(encoding="utf-8").split()


class CharTokenizer:
    """Characters as tokens, as microgpt has them: the sorted distinct characters of ``documents`` are
    tokens 0 … k−1 and BOS = k marks a document's start and end (``vocab_size`` = k + 1).

    >>> tokenizer = CharTokenizer(["ab", "ba"])
    >>> tokenizer.encode("ab")
    [2, 0, 1, 2]
    >>> tokenizer.decode([0, 1])
    'ab'
    """

    def __init__(self, documents: Iterable[str]) -> None:
        if not isinstance(documents, Iterable):
            raise TypeError(
                f"CharTokenizer needs the documents, an iterable of strings (e.g. datasets.names()), "
                f"got {type(documents).__name__}: {documents!r:.60}"
            )
        if isinstance(documents, str):  # else its characters would be taken for one-character documents
            raise TypeError(
                f"CharTokenizer needs the documents, an iterable of strings, got one str {documents!r:.60}: pass "
                f"text.splitlines() for one document a line, or [text] for one document"
            )
        documents = list(documents)
        bad = next((d for d in documents if not isinstance(d, str)), None)
        if bad is not None:
            raise TypeError(f"CharTokenizer needs strings, got {type(bad).__name__}: {bad!r}")
        self.chars: list[str] = sorted(set("".join(documents)))
        if not self.chars:
            raise ValueError("CharTokenizer got no characters: the documents are empty")
        self.bos = len(self.chars)
        self._index = {c: i for i, c in enumerate(self.chars)}

    @property
    def vocab_size(self) -> int:
        """k characters + BOS."""
        return len(self.chars) + 1

    def encode(self, document: str) -> list[int]:
        """[BOS, token of each character, BOS]."""
        if not isinstance(document, str):
            raise TypeError(f"encode needs one document as a str, got {type(document).__name__}: {document!r:.60}")
        try:
            return [self.bos, *(self._index[c] for c in document), self.bos]
        except KeyError as err:
            raise ValueError(
                f"character {err.args[0]!r} of {document!r} is not in the tokenizer's vocabulary"
            ) from None

    def decode(self, tokens: Sequence[int]) -> str:
        """The characters of ``tokens``; BOS tokens are left out."""
        if isinstance(tokens, str | bytes) or not isinstance(tokens, Iterable):
            raise TypeError(f"decode needs a list of token ids, got {type(tokens).__name__}: {tokens!r:.60}")
        tokens = list(tokens)
        bad = next((i for i, t in enumerate(tokens) if not (is_token_id(t) and 0 <= t <= self.bos)), None)
        if bad is not None:
            raise ValueError(
                f"tokens must be integer ids from 0 to {self.bos} (BOS = {self.bos}), got tokens[{bad}] = "
                f"{tokens[bad]!r} in {tokens!r:.60}"
            )
        return "".join(self.chars[t] for t in tokens if t != self.bos)

    def __repr__(self) -> str:
        characters = f"{len(self.chars)} character{'' if len(self.chars) == 1 else 's'}"
        return f"CharTokenizer(vocab_size {self.vocab_size}: {characters} + BOS, id {self.bos})"
