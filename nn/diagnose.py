"""diagnose_backprop: check a learner's own backprop equation by equation, from the output backwards.

The learner's code (Nielsen's ``network.py`` style) returns ∂C/∂bˡ and ∂C/∂Wˡ for one sample.
The same network is built from Values (same weights), ``backward`` gives the true gradients,
and the layers are compared from the output back, as the four equations are derived:

    BP1   δᴸ = ∇ₐC ⊙ σ′(zᴸ)              tested by ∂C/∂bᴸ, which BP3 says is δᴸ
    BP2   δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)     tested by ∂C/∂bˡ, once layer l + 1 is right
    BP3   ∂C/∂bˡ = δˡ                     wrong when ∂C/∂bˡ fails but ∂C/∂Wˡ shows δˡ is right
    BP4   ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ             tested by ∂C/∂Wˡ, once δˡ is right

The first equation that fails is the diagnosis; the catalogue in ``nn.mistakes`` then says
which classic mistake, if any, reproduces the learner's numbers exactly.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance
from autograd_tiny.table import Report, Table

from .activations import get_activation
from .backprop import backprop
from .losses import ALIASES, LOSSES, Loss, get_loss
from .mistakes import (
    Numbers,
    hidden_delta_mistakes,
    hint,
    output_delta_mistakes,
    superscript,
    weight_gradient_mistakes,
)
from .module import MLP
from .validate import non_finite_entries, random_generator

RTOL = 1e-7  # relative to the largest |graph| entry of the array: rounding in float64 is ~1e-15
ATOL = 1e-12  # floor for arrays that are (almost) all zero, e.g. behind a dead ReLU
TOLERANCE = Tolerance("diagnose_backprop", RTOL, ATOL)  # yours against the graph's, normwise per array
RANDOM_SAMPLES = 4
VACUOUS = 1e-9  # an array this small everywhere passes whatever the learner wrote, so say so

DIAGNOSED_LOSSES = ("quadratic", "binary_cross_entropy", "softmax_cross_entropy")  # names from nn.losses

BackpropFunction = Callable[[Any, Any], tuple[Sequence[Any], Sequence[Any]]]


@dataclass(frozen=True)
class GradientRow:
    """One array of the learner's gradients next to the graph's, for every sample."""

    layer: int  # 1-based, as in the equations
    quantity: str  # "∂C/∂b" or "∂C/∂W"
    equation: str  # the equation this row tests: "BP1", "BP2" or "BP4"
    learner: np.ndarray  # (n_samples, nˡ) or (n_samples, nˡ, nˡ⁻¹)
    graph: np.ndarray
    comparison: Comparison  # the learner's (yours) against the graph's, normwise over every sample
    status: str  # "ok", "FAIL" or "not checked"


@dataclass(frozen=True)
class BackpropDiagnosis(Report):
    """Truthy when the learner's gradients agree with the graph's in every layer.

    ``equation`` ("BP1" … "BP4"), ``layer`` (1-based) and ``mistake`` (an id from
    ``nn.mistakes.CATALOGUE``) say what failed first, ``also`` any other catalogue mistake that
    gives the very same numbers; ``problem`` is "shape" or "exception" when the learner's code
    could not be compared at all. ``rows`` run from the output layer back, ∂C/∂b then ∂C/∂W.
    """

    message: str
    equation: str | None = None
    layer: int | None = None
    mistake: str | None = None
    problem: str | None = None
    also: tuple[str, ...] = ()  # other catalogue mistakes that give exactly the same numbers
    rows: tuple[GradientRow, ...] = ()
    rtol: float = RTOL
    atol: float = ATOL

    def __bool__(self) -> bool:
        return self.equation is None and self.problem is None

    def table(self) -> Table:
        """Per layer, from the output back: sample 0's numbers and the worst difference over all samples."""
        header = ("layer", "gradient", "tests", "yours (sample 0)", "graph (sample 0)", "max abs", "max rel", "")
        rows = [
            (
                str(r.layer),
                f"∂C/∂{r.quantity[-1]}{superscript(r.layer)}",
                r.equation,
                _preview(r.learner[0]),
                _preview(r.graph[0]),
                *r.comparison.error_cells(),
                r.status,
            )
            for r in self.rows
        ]
        return Table.of(header, rows, align="lllllrrl")

    indent = "  "

    def heading(self) -> str:
        return self.message

    def __repr__(self) -> str:
        if self:
            return "BackpropDiagnosis(ok)"
        if self.problem:
            return f"BackpropDiagnosis(problem={self.problem!r}, layer={self.layer})"
        return f"BackpropDiagnosis(equation={self.equation!r}, layer={self.layer}, mistake={self.mistake!r})"


def diagnose_backprop(
    network: Any,
    *,
    weights: Sequence[Any] | None = None,
    biases: Sequence[Any] | None = None,
    activation: str | Sequence[str] = "sigmoid",
    loss: str | Loss = "quadratic",
    samples: Sequence[tuple[Any, Any]] | None = None,
    seed: int = 0,
) -> BackpropDiagnosis:
    """Check the learner's ``backprop(x, y)`` equation by equation against the graph.

    ``network`` has ``weights`` (Wˡ of shape (nˡ, nˡ⁻¹)), ``biases`` (shape (nˡ, 1) or (nˡ,))
    and ``backprop(x, y) -> (nabla_b, nabla_w)``; or it is that function itself, with
    ``weights`` and ``biases`` given. ``activation`` is one name for every layer or one per
    layer; ``loss`` (a Loss of ``nn.losses``, or its name or alias, resolved by ``get_loss``) is
    "quadratic", "binary_cross_entropy" (on sigmoid outputs: the output layer is sigmoid;
    "cross_entropy", Nielsen's name, is an alias) or "softmax_cross_entropy" (the output layer's z
    go through a softmax; y is one-hot); the other losses of ``nn.losses`` are a ValueError saying so.
    ``samples`` are (x, y) pairs passed to the learner's code unchanged; None
    draws ``RANDOM_SAMPLES`` with ``seed`` (x ~ N(0, 1/n⁰), y a valid target), shaped like the
    biases (columns or rows).
    """
    fn, weights, biases = _learner(network, weights, biases)
    loss_object = _loss(loss)
    loss = loss_object.name
    problem = _network_shape_problem(weights, biases)
    if problem is not None:
        return problem
    W = [np.asarray(w, dtype=float) for w in weights]
    b = [np.asarray(v, dtype=float) for v in biases]
    names = _activations(activation, loss, len(W))
    pairs = _random_samples(W, b, loss_object, seed) if samples is None else list(samples)
    X, y = _prepare_samples(pairs, W, loss_object)

    learner_b, learner_W = [], []
    for i, (x_i, y_i) in enumerate(pairs):
        try:
            returned = fn(x_i, y_i)
        except Exception as err:  # the learner's code: report it, never a traceback from here
            return BackpropDiagnosis(_exception_message(err, i, x_i, y_i), problem="exception")
        shapes = _returned_shape_problem(returned, W, b)
        if shapes is not None:
            return shapes
        nabla_b, nabla_w = returned
        learner_b.append([np.asarray(g, dtype=float).reshape(-1) for g in nabla_b])
        learner_W.append([np.asarray(g, dtype=float) for g in nabla_w])

    graph_b, graph_W = _graph_gradients(W, b, names, loss_object, X, y)
    numbers = Numbers(
        backprop(list(zip(W, (v.reshape(-1) for v in b))), names, X, y, loss_object),
        W,
        [get_activation(n) for n in names],
        loss_object,
        y,
    )
    yours_b = [np.array([s[l] for s in learner_b]) for l in range(len(W))]
    yours_W = [np.array([s[l] for s in learner_W]) for l in range(len(W))]
    return _compare(numbers, yours_b, yours_W, graph_b, graph_W, len(pairs))


def assert_backprop(network: Any, **options: Any) -> None:
    """``diagnose_backprop`` for a pytest file: raises AssertionError with the diagnosis unless it passes."""
    diagnosis = diagnose_backprop(network, **options)
    if not diagnosis:
        raise AssertionError(str(diagnosis))


# --- the comparison, from the output backwards ------------------------------------------------
def _compare(numbers: Numbers, yours_b, yours_W, graph_b, graph_W, n_samples: int) -> BackpropDiagnosis:
    L = len(yours_b)
    rows: list[GradientRow] = []
    found: tuple[str, int, tuple[tuple[str, str], ...]] | None = None  # (equation, 0-based layer, matches)
    for l in range(L - 1, -1, -1):
        delta_equation = "BP1" if l == L - 1 else "BP2"
        if found:
            rows += [
                _row(l, "∂C/∂b", delta_equation, yours_b[l], graph_b[l], "not checked"),
                _row(l, "∂C/∂W", "BP4", yours_W[l], graph_W[l], "not checked"),
            ]
            continue
        b_ok, W_ok = _agrees(yours_b[l], graph_b[l]), _agrees(yours_W[l], graph_W[l])
        if b_ok and not W_ok:
            found = ("BP4", l, _match(weight_gradient_mistakes(numbers, l), yours_W[l], graph_W[l]))
        elif not b_ok and W_ok:
            found = ("BP3", l, ())
        elif not b_ok:
            mistakes = output_delta_mistakes(numbers) if l == L - 1 else hidden_delta_mistakes(numbers, l)
            found = (delta_equation, l, _match(mistakes, yours_b[l], graph_b[l]))
        W_status = "not checked" if found and found[0] in ("BP1", "BP2") else ("ok" if W_ok else "FAIL")
        rows += [
            _row(l, "∂C/∂b", delta_equation, yours_b[l], graph_b[l], "ok" if b_ok else "FAIL"),
            _row(l, "∂C/∂W", "BP4", yours_W[l], graph_W[l], W_status),
        ]
    if found is None:
        message = (
            f"Your backprop agrees with the graph in every layer on {n_samples} samples: BP1–BP4 are right "
            f"(tolerance: max |yours − graph| ≤ {RTOL:g} · max |graph| + {ATOL:g} per array)."
        )
        return BackpropDiagnosis(message + _vacuous_note(rows), rows=tuple(rows))
    equation, l, matches = found
    message = _failure_message(equation, l + 1, matches, numbers.loss)
    mistakes = tuple(dict.fromkeys(mistake for mistake, _ in matches))
    mistake = mistakes[0] if mistakes else None
    return BackpropDiagnosis(message, equation, l + 1, mistake, also=mistakes[1:], rows=tuple(rows))


def _vacuous_note(rows: list[GradientRow]) -> str:
    """A warning when a passing array is (almost) all zero: saturated or dead units hide mistakes."""
    tiny = [f"∂C/∂{r.quantity[-1]}{superscript(r.layer)}" for r in rows if np.max(np.abs(r.graph)) <= VACUOUS]
    if not tiny:
        return ""
    return (
        f" But {', '.join(tiny)} {'is' if len(tiny) == 1 else 'are'} almost zero on these samples (saturated or "
        "dead units), which tests little: pass samples= where they are not."
    )


def _agrees(yours: np.ndarray, graph: np.ndarray) -> bool:
    return Comparison.of(yours, graph, TOLERANCE).passed


def _match(candidates, yours: np.ndarray, right: np.ndarray) -> tuple[tuple[str, str], ...]:
    """(mistake, variant) of every slip whose recomputed numbers equal the learner's (and differ from
    the right ones): with the quadratic cost, δᴸ = a − y is both a missing σ′ and the other cost's δᴸ."""
    found = [
        (mistake, variant)
        for mistake, variant, numbers in candidates
        if numbers.shape == yours.shape and _agrees(yours, numbers) and not _agrees(right, numbers)
    ]
    return tuple(dict.fromkeys(found))


def _row(l: int, quantity: str, equation: str, yours: np.ndarray, graph: np.ndarray, status: str) -> GradientRow:
    return GradientRow(l + 1, quantity, equation, yours, graph, Comparison.of(yours, graph, TOLERANCE), status)


def _failure_message(equation: str, l: int, matches: tuple[tuple[str, str], ...], loss: Loss) -> str:
    s, n, p = superscript(l), superscript(l + 1), superscript(l - 1)
    code = f"nabla_b[{l - 1}]"
    if equation == "BP1":
        # with a softmax output the cost and the softmax cancel: δᴸ = aᴸ − y, not ∇ₐC ⊙ σ′(zᴸ)
        output_delta = f"a{s} − y" if loss.name == "softmax_cross_entropy" else f"∇ₐC ⊙ σ′(z{s})"
        what = (
            f"BP1 fails in layer {l}, the output layer: your ∂C/∂b{s} ({code}) should be "
            f"δ{s} = {output_delta} (BP3: ∂C/∂bᴸ = δᴸ), and it is not."
        )
    elif equation == "BP2":
        what = (
            f"BP2 fails in layer {l}: layer {l + 1} is right, but your ∂C/∂b{s} ({code}) should be "
            f"δ{s} = ((W{n})ᵀ δ{n}) ⊙ σ′(z{s}), and it is not."
        )
    elif equation == "BP3":
        what = (
            f"BP3 fails in layer {l}: your ∂C/∂W{s} shows that δ{s} is right, but your ∂C/∂b{s} ({code}) "
            f"is not δ{s} (BP3: ∂C/∂b{s} = δ{s})."
        )
    else:
        what = (
            f"BP4 fails in layer {l}: δ{s} is right (your ∂C/∂b{s} matches), but your ∂C/∂W{s} "
            f"(nabla_w[{l - 1}]) is not δ{s} (a{p})ᵀ."
        )
    if not matches:
        return f"{what} It matches none of the classic mistakes: compare your numbers with the graph's below."
    hints = [hint(mistake, variant, l, loss) for mistake, variant in matches]
    return " ".join([what, hints[0], *(f"Read another way, {text[0].lower()}{text[1:]}" for text in hints[1:])])


# --- the graph's side: the same network from Values ----------------------------------------------
def _graph_gradients(W, b, names, loss: Loss, X: np.ndarray, y: np.ndarray):
    """∂C/∂bˡ and ∂C/∂Wˡ of every sample's cost, from ``backward`` on an MLP with the learner's weights."""
    model = MLP.from_numpy([(w, v.reshape(-1)) for w, v in zip(W, b)], names)
    grad_b: list[list[np.ndarray]] = [[] for _ in W]
    grad_W: list[list[np.ndarray]] = [[] for _ in W]
    for x, target in zip(X, y):
        model.zero_grad()
        trace = model.trace(list(x))
        loss.cost(trace.output, target).backward()
        for l, layer in enumerate(model.layers):
            grad_b[l].append(np.array([neuron.b.grad for neuron in layer.neurons]))
            grad_W[l].append(np.array([[w.grad for w in neuron.w] for neuron in layer.neurons]))
    return [np.array(g) for g in grad_b], [np.array(g) for g in grad_W]


# --- what the learner gave us ----------------------------------------------------------------
def _learner(network: Any, weights, biases) -> tuple[BackpropFunction, Sequence[Any], Sequence[Any]]:
    if hasattr(network, "backprop"):
        if not (hasattr(network, "weights") and hasattr(network, "biases")):
            raise TypeError("the network has backprop but no `weights` and `biases` lists (as in Nielsen's Network)")
        if weights is not None or biases is not None:
            raise TypeError("pass weights= and biases= only with a plain backprop function, not with a network")
        return network.backprop, network.weights, network.biases
    if callable(network):
        if weights is None or biases is None:
            raise TypeError("a plain backprop function needs weights=[W¹, …] and biases=[b¹, …] (the ones it uses)")
        return network, weights, biases
    raise TypeError(
        f"expected a network with weights, biases and backprop(x, y), or a function backprop(x, y); "
        f"got {type(network).__name__}"
    )


def _loss(loss: str | Loss) -> Loss:
    """The Loss that ``loss`` is or names (``get_loss``), if the diagnosis covers it; a ValueError otherwise."""
    covered = ", ".join(
        repr(name) + "".join(f" (or {alias!r})" for alias, target in ALIASES.items() if target == name)
        for name in DIAGNOSED_LOSSES
    )
    try:
        found = get_loss(loss)
    except ValueError:
        what = (
            "a name or a Loss of nn.losses"
            if isinstance(loss, str)  # get_loss takes any Loss: only an unknown name comes here
            else f"a name or a Loss, not a {type(loss).__name__}"
        )
        raise ValueError(f"unknown loss {loss!r}: diagnose_backprop takes {what}, one of {covered}") from None
    if type(found) is not type(LOSSES.get(found.name)):  # a Loss of the user's own
        raise ValueError(f"diagnose_backprop covers only these losses of nn.losses: {covered}; got {found!r}")
    if found.name not in DIAGNOSED_LOSSES:
        raise ValueError(f"{found.name!r} is a known loss but diagnose_backprop covers only {covered}")
    return found


def _activations(activation: str | Sequence[str], loss: str, n_layers: int) -> list[str]:
    """One activation per layer. With binary cross-entropy the output is sigmoid; with softmax it is
    linear here (the logits), the softmax being part of the cost."""
    if isinstance(activation, str):
        names = [activation] * n_layers
        if loss == "binary_cross_entropy":
            names[-1] = "sigmoid"
        if loss == "softmax_cross_entropy":
            names[-1] = "softmax"
    else:
        names = list(activation)
        if len(names) != n_layers:
            raise ValueError(f"activation has {len(names)} names but the network has {n_layers} weight layers")
    if loss == "softmax_cross_entropy":
        if names[-1] not in ("softmax", "linear"):
            raise ValueError(f"softmax_cross_entropy needs a softmax output layer, got {names[-1]!r}")
        names[-1] = "linear"
    elif loss == "binary_cross_entropy" and names[-1] != "sigmoid":
        raise ValueError(f"binary_cross_entropy is computed on sigmoid outputs, got {names[-1]!r}")
    return [get_activation(name).name for name in names]


def _shape_problem(text: str, layer: int | None = None) -> BackpropDiagnosis:
    return BackpropDiagnosis(text, layer=layer, problem="shape")


def _network_shape_problem(weights, biases) -> BackpropDiagnosis | None:
    """The first array whose shape does not fit: Wˡ is (nˡ, nˡ⁻¹) and bˡ is (nˡ, 1) or (nˡ,). The width
    nˡ has three witnesses (the rows of Wˡ, the length of bˡ, the columns of Wˡ⁺¹): the one that
    disagrees with the other two is named, with its shape and the shape it should have. The output
    layer has two: the biases are named, unless Wᴸ is the transpose of what they say."""
    if len(weights) == 0 or len(weights) != len(biases):
        return _shape_problem(
            f"the network has {len(weights)} weight matrices and {len(biases)} bias vectors; expected "
            "the same number (one per layer, at least one)"
        )
    W, b = [np.shape(w) for w in weights], [np.shape(v) for v in biases]
    for l, w in enumerate(W, start=1):
        if len(w) != 2:
            return _shape_problem(f"layer {l}: weights[{l - 1}] has shape {w}, expected a matrix (nˡ, nˡ⁻¹)", l)
    for l, (w, v) in enumerate(zip(W, b), start=1):
        width = v[0] if len(v) == 1 or (len(v) == 2 and v[1] == 1) else None  # nˡ as the biases say
        next_columns = W[l][1] if l < len(W) else None  # nˡ as Wˡ⁺¹ says
        previous = W[l - 2][0] if l > 1 else None  # nˡ⁻¹, checked in the layer before
        if w[0] == width:
            if previous is not None and w[1] != previous:
                return _shape_problem(
                    f"layer {l}: weights[{l - 1}] has shape {w}, expected {(w[0], previous)}: "
                    f"one column per neuron of layer {l - 1}, which has {previous}",
                    l,
                )
            continue
        # Wˡ and bˡ disagree: Wˡ is wrong when Wˡ⁺¹ sides with bˡ, or in the output layer when Wˡ is their transpose
        transposed = w[1] == width and (previous is None or w[0] == previous)
        if width is None or not (next_columns == width or (next_columns is None and transposed)):
            agreeing = f": weights[{l - 1}] and weights[{l}] say layer {l} has {w[0]} neurons"
            return _shape_problem(
                f"layer {l}: biases[{l - 1}] has shape {v}, expected ({w[0]}, 1) or ({w[0]},)"
                + (agreeing if next_columns == w[0] else ""),
                l,
            )
        columns = previous if previous is not None else (w[0] if w[1] == width else w[1])
        expected = (width, columns)
        witnesses = f"biases[{l - 1}] has shape {v}" + (
            f" and weights[{l}] has shape {W[l]}" if next_columns == width else ""
        )
        return _shape_problem(
            f"layer {l}: weights[{l - 1}] has shape {w}, expected {expected}"
            + (" (transposed)" if w == expected[::-1] else "")
            + f": {witnesses}, so layer {l} has {width} neurons, one row of weights[{l - 1}] each",
            l,
        )
    return None


def _returned_shape_problem(returned: Any, W, b) -> BackpropDiagnosis | None:
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        return _shape_problem(f"backprop(x, y) returned {type(returned).__name__}; expected a pair (nabla_b, nabla_w)")
    for name, grads, params in (("nabla_b", returned[0], b), ("nabla_w", returned[1], W)):
        try:
            count = len(grads)
        except TypeError:
            return _shape_problem(f"{name} is a {type(grads).__name__}; expected a list with one array per layer")
        if count != len(params):
            return _shape_problem(f"{name} has {count} arrays; expected {len(params)}, one per layer")
        for l, (grad, param) in enumerate(zip(grads, params), start=1):
            shape = np.shape(grad)
            if shape != param.shape:
                kind = "biases" if name == "nabla_b" else "weights"
                note = _shape_note(shape, param.shape)
                return _shape_problem(
                    f"layer {l}: {name}[{l - 1}] has shape {shape}, expected {param.shape} like {kind}[{l - 1}]{note}",
                    l,
                )
    return None


def _shape_note(got: tuple, expected: tuple) -> str:
    if len(expected) == 2 and expected[1] == 1 and got in ((1, expected[0]), (expected[0],)):
        return " (a row where a column was expected)"
    if len(expected) == 1 and got in ((1, expected[0]), (expected[0], 1)):
        return " (a column where a flat vector was expected, as your biases are)"
    if len(expected) == 2 and got == expected[::-1]:
        return " (transposed)"
    return ""


def _random_samples(W, b, loss: Loss, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random (x, y) pairs shaped like the biases: columns (n, 1) or rows (n,)."""
    rng = random_generator(seed)
    n_in, n_out = W[0].shape[1], W[-1].shape[0]
    column = b[0].ndim == 2
    targets = loss.random_targets(rng, RANDOM_SAMPLES, n_out)
    pairs = []
    for target in targets:
        x = rng.normal(0.0, 1.0 / np.sqrt(n_in), n_in)  # so that z¹ = W¹x + b¹ is not saturated
        y = np.eye(n_out)[target] if loss.target_kind == "index" else target
        pairs.append((x[:, None], y[:, None]) if column else (x, y))
    return pairs


def _prepare_samples(pairs, W, loss: Loss) -> tuple[np.ndarray, np.ndarray]:
    """The samples as rows for the graph: X (n, n⁰) and the loss's targets (one-hot y → class index)."""
    if not pairs:
        raise ValueError("samples is empty: give at least one (x, y) pair, or None for random ones")
    n_in, n_out = W[0].shape[1], W[-1].shape[0]
    X, Y = [], []
    for i, pair in enumerate(pairs):
        if isinstance(pair, np.ndarray) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"samples[{i}] is not an (x, y) pair: give samples=[(x, y), …]")
        x, y = (np.asarray(v, dtype=float) for v in pair)
        found = non_finite_entries(x, "x") or non_finite_entries(y, "y")
        if found:
            raise ValueError(
                f"samples[{i}] contains nan or inf ({found}): every number must be finite to test anything"
            )
        if x.shape not in ((n_in, 1), (n_in,)):
            raise ValueError(f"samples[{i}]: x has shape {x.shape}, expected ({n_in}, 1) or ({n_in},)")
        if y.shape not in ((n_out, 1), (n_out,)):
            raise ValueError(f"samples[{i}]: y has shape {y.shape}, expected ({n_out}, 1) or ({n_out},)")
        X.append(x.reshape(-1))
        Y.append(y.reshape(-1))
    Y = np.array(Y)
    if loss.target_kind == "index":
        if not np.all(np.isin(Y, (0.0, 1.0))) or not np.all(Y.sum(axis=1) == 1):
            raise ValueError("softmax_cross_entropy needs one-hot targets y (a single 1, the rest 0)")
        return np.array(X), loss.prepare_targets(Y.argmax(axis=1), len(X), n_out)
    return np.array(X), loss.prepare_targets(Y, len(X), n_out)


def _exception_message(err: Exception, i: int, x: Any, y: Any) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    numpy_frames = ("numpy", "<__array_function__ internals>")  # the latter: NumPy < 1.25's dispatch
    learner_frames = [f for f in frames[1:] if not any(part in f.filename for part in numpy_frames)]  # [0]: our call
    where = f" at {learner_frames[-1].filename}:{learner_frames[-1].lineno}" if learner_frames else ""
    return (
        f"your backprop(x, y) raised {type(err).__name__}: {err}{where} "
        f"(sample {i}: x shape {np.shape(x)}, y shape {np.shape(y)})"
    )


def _preview(array: np.ndarray, count: int = 3) -> str:
    flat = array.reshape(-1)
    shown = ", ".join(f"{v:.4g}" for v in flat[:count])
    return f"[{shown}{', …' if flat.size > count else ''}]"


__all__: Sequence[str] = ["BackpropDiagnosis", "GradientRow", "assert_backprop", "diagnose_backprop"]
