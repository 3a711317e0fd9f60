"""training_explorer: one self-contained HTML page that replays a recorded training run, epoch by
epoch, with z, a and δ = ∂C/∂z in every neuron.

``fit(..., record=k)`` keeps the weights after every k-th epoch (``history.recording``). The
page stores those weights (as base64 float64, exact) and the probe samples, and its script runs
the small forward pass and the four equations for the selected epoch and sample itself:

    zˡ = Wˡ aˡ⁻¹ + bˡ,   aˡ = σ(zˡ),   δᴸ = ∇ₐC ⊙ σ′(zᴸ),   δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)

so 200 epochs of a 2-16-16-1 network fit in well under a megabyte; the tests hold its numbers
equal to the engine's at the recorded weights. The cost, accuracy and ‖δˡ‖ curves come from
the recording. The network is drawn once by ``draw_network`` (Graphviz), and the script recolours
it. No network, no server: inline SVG, a canvas, CSS and plain JavaScript.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd_tiny.atomic import write_atomic

from . import ids
from .inline import Explorer
from .network import draw_network
from .output import to_svg
from .page import self_contained_page
from .style import NEGATIVE, NOT_FINITE, POSITIVE, ZERO

GRID = 64  # the decision boundary is evaluated on a GRID × GRID grid of inputs

if TYPE_CHECKING:  # viz reads nn's types for its hints only: at run time it needs no import of nn
    from autograd_tiny.nn import History
    from autograd_tiny.nn.recording import Recording


def training_explorer(
    history: History | Recording | Sequence[History | Recording],
    path: str | os.PathLike | None = None,
    titles: Sequence[str] | None = None,
    *,
    title: str | None = None,
    interval_ms: int = 100,
) -> Path | Explorer:
    """The page that replays recorded training runs: written to ``path`` (atomically; the path is
    returned), or without a path an ``Explorer`` that shows itself inline in Jupyter, in its own
    frame, and has ``.save(path)``.

    ``history`` is what ``fit(..., record=k)`` returned (or its ``.recording``), or a list of them:
    several runs side by side under one slider (two make the comparisons: quadratic cost against
    cross-entropy, sigmoid against ReLU, two learning rates), each headed by its entry of
    ``titles``. ``interval_ms`` is the time per recorded epoch when playing at normal speed.
    """
    runs = [_recording(item, k) for k, item in enumerate(_as_list(history))]
    if titles is None:
        titles = [f"run {k + 1}" for k in range(len(runs))] if len(runs) > 1 else [""]
    if isinstance(titles, str) or len(titles) != len(runs) or not all(isinstance(t, str) for t in titles):
        raise ValueError(f"titles must be a list of {len(runs)} strings, one per run, got {titles!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}")
    if isinstance(interval_ms, bool) or not isinstance(interval_ms, int | float) or not interval_ms > 0:
        raise ValueError(f"interval_ms must be a positive number of milliseconds, got {interval_ms!r}")
    heading = title or "Training, watched: δ in every neuron, epoch by epoch"
    stops = sorted({epoch for run in runs for epoch in run.epochs})
    data = {
        "runs": [_run_data(run, k, run_title) for k, (run, run_title) in enumerate(zip(runs, titles))],
        "stops": stops,
        "interval": float(interval_ms),
        "grid": GRID,
        "colours": {"negative": NEGATIVE, "positive": POSITIVE, "zero": ZERO, "notFinite": NOT_FINITE},
    }
    svgs = [_drawing(run, k) for k, run in enumerate(runs)]
    page = _page(heading, titles, svgs, data)
    if path is not None:
        return write_atomic(path, page)
    return Explorer(page, heading, len(stops), height=900 if len(runs) == 1 else 1000, unit="recorded epoch")


def _as_list(history: Any) -> list:
    if isinstance(history, list | tuple):
        if not history:
            raise ValueError("training_explorer needs at least one recorded run, got an empty list")
        return list(history)
    return [history]


def _recording(item: Any, k: int) -> Recording:
    """The Recording of a History or the Recording itself (recognised by its parts: viz does not
    import nn at run time)."""
    recording = getattr(item, "recording", item)
    if recording is None:
        raise ValueError(
            f"run {k + 1} was not recorded: train with fit(..., record=k) (record=1 keeps every epoch), "
            f"then pass the History it returns"
        )
    if not all(hasattr(recording, name) for name in ("snapshots", "probe_X", "activations", "model")):
        raise TypeError(
            f"training_explorer needs the History of fit(..., record=k) or its Recording, got {type(item).__name__}"
        )
    return recording


def _drawing(recording: Recording, run: int) -> str:
    """The network in draw_network's layout, its ids kept apart from the other runs' (ids.in_run)."""
    model = recording.model(recording.epochs[0])
    svg = to_svg(draw_network(model, model.trace(recording.probe_X[0]), legend=False))
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and doctype: the SVG sits inside HTML
    svg = re.sub(r' xlink:title="[^"]*"', "", svg)  # the first epoch's numbers: the script writes <title>s
    return svg.replace(' id="', ' id="' + ids.in_run(run, ""))


def _run_data(recording: Recording, run: int, title: str) -> dict:
    sizes = recording.sizes
    params = np.concatenate([
        np.concatenate([np.ravel(part) for W, b in snapshot.params for part in (W, b)])
        for snapshot in recording.snapshots
    ])  # fmt: skip
    neurons = [
        [
            {
                "group": ids.in_run(run, ids.neuron_group(l, j)),
                "z": ids.in_run(run, ids.svg_cell(ids.z_cell(l, j))),
                "a": ids.in_run(run, ids.svg_cell(ids.a_cell(l, j))),
                "delta": ids.in_run(run, ids.svg_cell(ids.delta_cell(l, j))),
                "label": f"z[{l}][{j}]",
            }
            for j in range(sizes[l])
        ]
        for l in range(1, len(sizes))
    ]
    inputs = [ids.in_run(run, ids.input_group(i)) for i in range(sizes[0])]
    weights = [
        [[ids.in_run(run, ids.weight_edge(l, j, i)) for i in range(sizes[l - 1])] for j in range(sizes[l])]
        for l in range(1, len(sizes))
    ]
    targets = recording.probe_targets
    index_targets = recording.loss.target_kind == "index"
    return {
        "title": title,
        "sizes": sizes,
        "activations": recording.activations,
        "loss": recording.loss.name,
        "indexTargets": index_targets,
        "epochs": recording.epochs,
        "params": base64.b64encode(params.astype("<f8").tobytes()).decode("ascii"),
        "cost": [_number(s.cost) for s in recording.snapshots],
        "accuracy": [None if s.accuracy is None else _number(s.accuracy) for s in recording.snapshots],
        "deltaNorms": [[_number(v) for v in s.delta_norms] for s in recording.snapshots],
        "rows": [int(row) for row in recording.probe_rows],
        "x": [[_number(v) for v in row] for row in recording.probe_X.tolist()],
        "y": [int(t) for t in targets] if index_targets else [[_number(v) for v in row] for row in targets.tolist()],
        "classes": _classes(recording),
        "threshold": recording.decision_threshold,
        "inputs": inputs,
        "neurons": neurons,
        "weights": weights,
    }


def _classes(recording: Recording) -> list[int]:
    """Each probe sample's class, for the colour of its point: the class index, the larger side of
    the targets' range with one output, or the largest target with several."""
    targets = recording.probe_targets
    if recording.loss.target_kind == "index":
        return [int(t) for t in targets]
    if targets.shape[1] == 1:
        middle = (targets.min() + targets.max()) / 2
        return [int(t > middle) for t in targets[:, 0]]
    return [int(i) for i in np.argmax(targets, axis=1)]


def _number(x: float) -> float | str:
    """A number for JSON: nan and ±inf (which JSON lacks) as the strings JavaScript's Number() reads."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


LEGEND = """<p><b>δˡⱼ = ∂C/∂zˡⱼ</b>, the error signal of neuron j in layer l: how much the cost C of the
selected sample changes per unit change of the neuron's weighted input zˡⱼ = Σᵢ wˡⱼᵢ aˡ⁻¹ᵢ + bˡⱼ.
Backpropagation computes it from the output back:</p>
<p class="equations">BP1  δᴸ = ∇ₐC ⊙ σ′(zᴸ)<br>BP2  δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)<br>
BP3  ∂C/∂bˡⱼ = δˡⱼ<br>BP4  ∂C/∂wˡⱼᵢ = δˡⱼ aˡ⁻¹ᵢ</p>
<p>A neuron whose δ is near 0 (white) hardly changes its weights for this sample: it has
learned it, or its σ′(z) is near 0 (a saturated sigmoid or tanh, a relu below 0).
<b>‖δˡ‖</b> is the speed at which layer l learns.</p>"""


def _page(heading: str, titles: Sequence[str], svgs: list[str], data: dict) -> str:
    boundaries = [_boundary_caption(run) if run["sizes"][0] == 2 else None for run in data["runs"]]
    legend = f"""<div id="legend">{LEGEND}
<p class="scale">fill: δ <span id="scale-low"></span> <span class="bar"></span> <span id="scale-high"></span>
(purple &lt; 0 &lt; orange); edges: weight w, width |w|, colour its sign.
Keys: ← → previous / next recorded epoch, space play / pause, Home / End first / last.</p>
</div>"""
    alone = len(svgs) == 1  # one run: the legend sits beside the drawing, under the curves
    panels = "\n".join(
        _run_panel(k, run_title, svg, boundaries[k], legend if alone else "")
        for k, (run_title, svg) in enumerate(zip(titles, svgs))
    )
    body = f"""<header>
<h1>{html.escape(heading)}</h1>
<div id="controls">
<button id="play" title="play / pause (space)">▶ Play</button>
<input id="slider" type="range" min="0" max="{data["stops"][-1]}" step="1" value="0" aria-label="epoch">
<span id="epoch">epoch 0</span>
<label>speed <select id="speed" title="×1: one recorded epoch every {data["interval"]:g} ms">
<option value="0.25">×¼</option><option value="0.5">×½</option><option value="1" selected>×1</option>
<option value="2">×2</option><option value="4">×4</option></select></label>
<label>sample <select id="sample" title="the sample whose z, a and δ the neurons show"></select></label>
<label>fill <select id="fill">
<option value="sample" selected>δ of the sample</option><option value="mean">mean |δ| over the samples</option>
</select></label>
<label>colour scale <select id="scale">
<option value="run" selected>whole run</option><option value="epoch">this epoch</option></select></label>
</div>
</header>
<div id="runs">
{panels}
</div>
{"" if alone else f"<footer>{legend}</footer>"}"""
    return self_contained_page(
        title=heading, asset="training", body_class=f"runs-{len(svgs)}", body=body, data_id="training-data", data=data
    )


def _boundary_caption(run: dict) -> str:
    if run["threshold"] is None:
        return "decision regions (the largest output wins), points by class; click a point"
    low, high = min(row[0] for row in run["y"]), max(row[0] for row in run["y"])
    return f"decision boundary aᴸ = {run['threshold']:g}; blue: y = {low:g}, red: y = {high:g}; click a point"


def _run_panel(run: int, title: str, svg: str, boundary_caption: str | None, legend: str) -> str:
    boundary = (
        f'<figure class="boundary"><figcaption>{html.escape(boundary_caption)}</figcaption>'
        f'<div class="plane"><canvas width="{GRID * 4}" height="{GRID * 4}"></canvas>'
        f'<svg class="points" viewBox="0 0 1 1" preserveAspectRatio="none"></svg></div></figure>'
        if boundary_caption is not None
        else ""
    )
    return f"""<section class="run" id="run{run}">
<h2>{html.escape(title)}</h2>
<div class="diagram">
{svg}
</div>
<div class="panels">
{boundary}
<figure class="chart cost"><figcaption>training cost</figcaption><svg></svg></figure>
<figure class="chart accuracy"><figcaption>training accuracy</figcaption><svg></svg></figure>
<figure class="chart norms"><figcaption>speed of learning: mean ‖δˡ‖ over the samples (log scale)</figcaption>
<svg></svg></figure>
<pre class="readout"></pre>
{legend}
</div>
</section>"""
