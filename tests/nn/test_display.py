"""What a learner sees in Jupyter: short reprs and escaped HTML tables."""

from __future__ import annotations

import numpy as np

import autograd_tiny as at
from autograd_tiny.nn import MLP, SGD, check_backprop, fit, losses


def cells(html: str) -> list[str]:
    import re

    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def test_check_backprop_reads_as_a_table_not_a_dataclass_dump():
    model = MLP(2, [3, 1], seed=0)
    report = check_backprop(model, [[0.5, -1.0], [0.1, 0.2]], [1.0, 0.0], "quadratic")
    assert repr(report).startswith("<BackpropCheck: check_backprop passed") and len(repr(report)) < 200
    html = report._repr_html_()
    assert "<table>" in html and cells(html)[0] == "1" and cells(html)[-1] == "ok"
    table = report.delta_table(0)
    assert str(table).splitlines()[0].startswith("δ = ∂C/∂z for sample 0")  # still the text it was
    assert "<table>" in table._repr_html_() and "z[2][0]" in cells(table._repr_html_())


def test_gradcheck_result_displays_its_table():
    result = at.gradcheck(lambda w, x: (w * x).tanh(), {"w<1>": 1.5, "x": -0.7})
    assert repr(result).startswith("<GradcheckResult: gradcheck passed")
    html = result._repr_html_()
    assert "w&lt;1&gt;" in html and "w<1>" not in html and cells(html)[5] == "ok"


def test_a_trace_shows_z_a_and_delta_for_every_neuron():
    model = MLP(2, [2, 1], seed=0)
    trace = model.trace([0.5, -1.0])
    losses.quadratic(trace.output, 1.0).backward()
    row = cells(trace._repr_html_())[-4:]
    assert row == ["z[2][0]", *(f"{v:.6g}" for v in (trace.z[1][0].data, trace.output[0].data, trace.z[1][0].grad))]
    assert repr(trace) == f"Trace(2-2-1, output=[{round(trace.output[0].data, 6)}])"


def test_models_and_histories_display_compactly():
    model = MLP(2, [4, 1], activation="relu", seed=0)
    assert cells(model._repr_html_()) == ["1", "2", "4", "relu", "12", "2", "4", "1", "linear", "5"]
    assert "5 parameters" in model.layers[1].neurons[0]._repr_html_()
    X = np.random.default_rng(0).normal(size=(10, 2))
    history = fit(model, X, X[:, 0], "quadratic", SGD(model.parameters(), 0.05), epochs=3, progress=False)
    assert repr(history).startswith("History(3 epochs: cost ")
    html = history._repr_html_()
    assert "<polyline" in html and 'stroke="currentColor"' in html and cells(html)[0] == "1"
