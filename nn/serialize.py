"""save / load an MLP as JSON.

The format (version 1) is one JSON object::

    {"format": "autograd-tiny-mlp", "version": 1,
     "sizes": [2, 16, 1], "activations": ["tanh", "linear"], "fused": true,
     "layers": [{"weights": [[w₀₀, w₀₁], …], "biases": [b₀, …]}, …]}

``weights`` of layer l is Wˡ with one row per neuron. Numbers are written with Python's
shortest round-trip repr, so every weight loads back as exactly the same float.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from autograd_tiny.atomic import write_atomic

from .activations import ACTIVATIONS
from .module import MLP

FORMAT, VERSION = "autograd-tiny-mlp", 1


class ModelFileError(ValueError):
    """A model file that cannot be loaded: the message names the file and what is wrong."""


def save(model: MLP, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically (an existing file is replaced only when complete)."""
    if not isinstance(model, MLP):
        raise TypeError(f"save needs an MLP, got {type(model).__name__}")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "sizes": model.sizes,
        "activations": model.activations,
        "fused": model.fused,
        "layers": [{"weights": W.tolist(), "biases": b.tolist()} for W, b in model.to_numpy()],
    }
    return write_atomic(path, json.dumps(document, indent=1) + "\n")


def load(path: str | os.PathLike) -> MLP:
    """Read a model written by ``save``; raises ModelFileError naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: cannot be read: {err}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise ModelFileError(f"{path}: not valid JSON (truncated or corrupted?): {err}") from None
    return _model_from_document(document, path)


def _model_from_document(document: Any, path: Path) -> MLP:
    def fail(what: str) -> ModelFileError:
        return ModelFileError(f"{path}: {what}")

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise fail(f'not an autograd-tiny model file (expected "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise fail(f"format version {document.get('version')!r} is not supported (this version reads {VERSION})")
    for key in ("sizes", "activations", "layers"):
        if key not in document:
            raise fail(f"missing {key!r}")
    sizes, activations, layers = document["sizes"], document["activations"], document["layers"]
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(isinstance(s, int) and s > 0 for s in sizes)):
        raise fail(f"'sizes' must be a list of at least two positive integers, got {sizes!r}")
    if not isinstance(activations, list) or len(activations) != len(sizes) - 1:
        raise fail(f"'activations' must list one name per layer ({len(sizes) - 1}), got {activations!r}")
    unknown = [a for a in activations if a not in ACTIVATIONS]
    if unknown:
        raise fail(f"unknown activation {unknown[0]!r}: expected one of {', '.join(map(repr, ACTIVATIONS))}")
    if not isinstance(layers, list) or len(layers) != len(sizes) - 1:
        raise fail(
            f"'layers' must hold {len(sizes) - 1} layers, got {len(layers) if isinstance(layers, list) else layers!r}"
        )
    params = []
    for l, layer in enumerate(layers, start=1):
        try:
            W = np.array(layer["weights"], dtype=float)
            b = np.array(layer["biases"], dtype=float)
        except (TypeError, KeyError, ValueError) as err:
            raise fail(f"layer {l}: weights and biases must be lists of numbers ({err})") from None
        if W.shape != (sizes[l], sizes[l - 1]):
            raise fail(f"layer {l} weights have shape {W.shape}, expected ({sizes[l]}, {sizes[l - 1]}) from 'sizes'")
        if b.shape != (sizes[l],):
            raise fail(f"layer {l} biases have shape {b.shape}, expected ({sizes[l]},) from 'sizes'")
        params.append((W, b))
    return MLP.from_numpy(params, activations, fused=bool(document.get("fused", True)))
