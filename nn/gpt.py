"""A GPT built from Values: microgpt's model, with every number a node and δ at every pre-activation.

The architecture is Karpathy's microgpt (2026), one token at a time with a growing cache of keys
and values, for a document of tokens t = 0 … n − 1 (n = min(block_size, len(tokens) − 1)):

    x      = rmsnorm(wte[token_t] + wpe[t])                  the residual stream starts
    layer l (attention):
      q, k, v = Wq·rmsnorm(x), Wk·rmsnorm(x), Wv·rmsnorm(x)  k and v join the cache
      head h:  score_s = q_h·k_h[s] / √head_dim   (s ≤ t)    the attention scores
               att_s   = exp(score_s − logsumexp(score))   softmax, stable without a max shift
               out_h   = Σ_s att_s v_h[s]
      x      = Wo·[out_0 … out_H] + x                        the residual connection
    layer l (MLP):
      z      = W1·rmsnorm(x)                                 pre-activations, δ = ∂C/∂z
      x      = W2·relu(z) + x                                the residual connection
    logits = lm_head·x                                       pre-activations of the output layer
    C      = (1/n) Σ_t [logsumexp(logits_t) − logits_t[token_{t+1}]]

rmsnorm(x) = x / √(mean(x²) + 10⁻⁵), without weights; no biases anywhere. Each matrix-vector
product is one ``dot`` node per output (``matvec``, the residual added as its bias; the matrices'
numbers are read once per forward pass), each softmax one ``logsumexp`` node: about 420 nodes per
position for microgpt's size (n_embd 16, 4 heads). The labels and marks of a position's nodes are
built once and shared by every graph (``Notes`` are read-only).
The graph never reads a number (no max shift, no branch on data), and the token's row of ``wte``
and the target's logit are chosen with ``embedding`` and ``select`` (with a Value token id, a node
that the replay gathers per document), so it has the same shape for every document of the same
length: ``vectorize_sequences`` replays it, and ``train_gpt`` trains through that replay.

Parameters use microgpt's layout and names (``wte``, ``wpe``, ``lm_head``, ``layer{i}.attn_wq`` …
``layer{i}.mlp_fc2``; rows [out][in]); ``parameters()`` lists them in that order, row by row.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd_tiny as at
from autograd_tiny import Notes, Value, dot, embedding, logsumexp, matvec, select
from autograd_tiny.roles import Role

from . import display
from .module import Module
from .validate import Seed, check_number, check_positive_int, is_token_id, random_generator

LAYER_KEYS = ("attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2")
RMS_EPS = 1e-5
INIT_STD = 0.08
MIN_VOCAB_SIZE = 2  # BOS and at least one token

Row = tuple[Value, ...]


@dataclass(repr=False)
class GPTTrace:
    """One document's forward pass with named nodes; ``loss`` is its cost C.

    Per position t (0-based) and layer l (0-based, as microgpt's ``layer{l}``):
    ``logits[t]`` (the output layer's pre-activations), ``attention_scores[l][h][t]`` (head h's
    scores before the softmax, one per position s ≤ t), ``attention_weights[l][h][t]`` (the
    softmax of those), ``queries/keys/values[l][t]``, ``attention_outputs[l][t]`` (the heads' outputs,
    concatenated: Σₛ αₛ vₛ per head), ``mlp_z[l][t]`` (the MLP's pre-activations
    before relu), and the residual stream: ``embedding[t]`` (where it starts),
    ``residual_attention[l][t]`` (after layer l's attention block) and ``residual_mlp[l][t]``
    (after its MLP block; the last one feeds ``lm_head``). After ``loss.backward()``, ``.grad``
    at a logit, a score or a z is its δ = ∂C/∂z; along the residual stream it is a gradient.
    """

    tokens: list[int]
    loss: Value = None  # type: ignore[assignment]
    embedding: list[list[Value]] = field(default_factory=list)
    queries: list[list[list[Value]]] = field(default_factory=list)
    keys: list[list[list[Value]]] = field(default_factory=list)
    values: list[list[list[Value]]] = field(default_factory=list)
    attention_scores: list[list[list[list[Value]]]] = field(default_factory=list)
    attention_weights: list[list[list[list[Value]]]] = field(default_factory=list)
    attention_outputs: list[list[list[Value]]] = field(default_factory=list)
    residual_attention: list[list[list[Value]]] = field(default_factory=list)
    mlp_z: list[list[list[Value]]] = field(default_factory=list)
    residual_mlp: list[list[list[Value]]] = field(default_factory=list)
    logits: list[list[Value]] = field(default_factory=list)
    position_losses: list[Value] = field(default_factory=list)

    _repr_html_ = display.gpt_trace_html

    @property
    def n_positions(self) -> int:
        return len(self.logits)

    def __repr__(self) -> str:
        return f"GPTTrace({self.n_positions} positions, loss={self.loss.data:.6g})"


class GPT(Module):
    """microgpt's GPT: token and position embeddings, RMSNorm, causal multi-head attention, a relu MLP,
    residual connections, ``lm_head`` to the vocabulary (see the module's docstring for the equations).

    Weights are drawn from N(0, 0.08²) with ``np.random.default_rng(seed)``, matrix by matrix in
    microgpt's order (``from_state_dict`` takes microgpt's own numbers). The last token id,
    ``vocab_size − 1``, is the document boundary BOS, as ``CharTokenizer`` and microgpt number it.
    """

    def __init__(
        self, vocab_size: int, *, n_layer: int = 1, n_embd: int = 16, n_head: int = 4, block_size: int = 16,
        seed: Seed = None,
    ) -> None:  # fmt: skip
        check_positive_int(vocab_size, "vocab_size", MIN_VOCAB_SIZE)
        for value, name in ((n_layer, "n_layer"), (n_embd, "n_embd"), (n_head, "n_head"), (block_size, "block_size")):
            check_positive_int(value, name)
        if n_embd % n_head:
            raise ValueError(f"n_embd must be a multiple of n_head, got n_embd={n_embd} and n_head={n_head}")
        rng = random_generator(seed)
        state = {
            key: rng.normal(0.0, INIT_STD, shape)
            for key, shape in _shapes(vocab_size, n_layer, n_embd, block_size).items()
        }
        self._build(state, n_head)

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any], *, n_head: int) -> GPT:
        """A GPT from microgpt's state dict: keys ``wte``, ``wpe``, ``lm_head``, ``layer{i}.attn_wq`` …
        ``layer{i}.mlp_fc2``, each matrix a list of rows [out][in] of numbers or Values, or a NumPy array.
        The sizes are read from the shapes, with ``GPT()``'s minimums (a vocabulary of at least 2, one
        layer, one position, one dimension). A matrix of ``autograd_tiny.Value`` entries becomes the
        parameters themselves (labelled and marked), so gradients reach them (``gradcheck`` builds a GPT
        this way); a matrix of anything else (numbers, microgpt's own Values) is copied. A matrix that
        mixes the two is refused: copying would leave its Values without gradients, and sharing only
        some entries would make a model half tied to the caller's graph."""
        check_positive_int(n_head, "n_head")
        if not isinstance(state, Mapping):
            raise TypeError(f"state must be a dict of matrices, got {type(state).__name__}")
        odd = [key for key in state if not isinstance(key, str)]
        if odd:
            raise TypeError(f"state's keys must be strings such as 'wte' or 'layer0.attn_wq', got {odd[0]!r}")
        missing = [key for key in ("wte", "wpe", "lm_head") if key not in state]
        if missing:
            raise ValueError(f"state lacks {', '.join(missing)}: expected microgpt's keys wte, wpe, lm_head, layer0.…")
        n_layer = sum(1 for key in state if key.endswith(".attn_wq"))
        arrays = {key: _matrix(state, key) for key in state}
        (vocab_size, n_embd), block_size = arrays["wte"].shape, arrays["wpe"].shape[0]
        smallest = ((vocab_size, "vocab_size", "wte", MIN_VOCAB_SIZE), (n_embd, "n_embd", "wte", 1),
                    (block_size, "block_size", "wpe", 1))  # fmt: skip
        for size, name, key, minimum in smallest:
            if size < minimum:
                raise ValueError(
                    f"state[{key!r}] has shape {arrays[key].shape}: {name} {size}, a GPT needs at least {minimum}"
                )
        expected = _shapes(vocab_size, n_layer, n_embd, block_size)
        if n_layer == 0 or set(arrays) != set(expected):
            unknown, absent = sorted(set(arrays) - set(expected)), sorted(set(expected) - set(arrays))
            raise ValueError(
                f"state has unexpected keys {unknown} and lacks {absent}: expected {', '.join(expected)}"
                if n_layer
                else "state has no layer0.attn_wq: a GPT needs at least one layer"
            )
        for key, shape in expected.items():
            if arrays[key].shape != shape:
                raise ValueError(f"state[{key!r}] has shape {arrays[key].shape}, expected {shape}")
        if n_embd % n_head:
            raise ValueError(f"n_embd must be a multiple of n_head, got n_embd={n_embd} and n_head={n_head}")
        model = cls.__new__(cls)
        shared = {key: state[key] for key in expected if _all_values(state, key)}
        model._build({key: arrays[key] for key in expected}, n_head, shared)
        return model

    def _build(self, state: dict[str, np.ndarray], n_head: int, shared: Mapping[str, Any] | None = None) -> None:
        self.vocab_size, self.n_embd = state["wte"].shape
        self.block_size = state["wpe"].shape[0]
        self.n_layer = sum(1 for key in state if key.endswith(".attn_wq"))
        self.n_head, self.head_dim = n_head, self.n_embd // n_head
        self.bos = self.vocab_size - 1
        shared = shared or {}
        self.matrices: dict[str, list[Row]] = {
            key: _parameter_rows(key, array, shared.get(key)) for key, array in state.items()
        }
        self.wte, self.wpe, self.lm_head = self.matrices["wte"], self.matrices["wpe"], self.matrices["lm_head"]
        self.layers = [[self.matrices[f"layer{l}.{key}"] for key in LAYER_KEYS] for l in range(self.n_layer)]

    # --- parameters ------------------------------------------------------------------------
    def parameters(self) -> list[Value]:
        """Every parameter in microgpt's order: matrix by matrix (``state_dict``'s keys), row by row."""
        return [p for rows in self.matrices.values() for row in rows for p in row]

    def state_dict(self) -> dict[str, np.ndarray]:
        """microgpt's layout, as arrays: {key: (out, in) array} in ``parameters()``'s order."""
        return {key: np.array([[p.data for p in row] for row in rows]) for key, rows in self.matrices.items()}

    # --- the forward pass --------------------------------------------------------------------
    def loss(self, tokens: Sequence[int]) -> Value:
        """microgpt's cost for one document: (1/n) Σ_{t<n} −ln softmax(logits_t)[tokens[t+1]],
        n = min(block_size, len(tokens) − 1)."""
        return self.trace(tokens).loss

    def trace(self, tokens: Sequence[int]) -> GPTTrace:
        """Run the forward pass over ``tokens`` and record every named node (see ``GPTTrace``)."""
        tokens = self._check_tokens(tokens)
        n = min(self.block_size, len(tokens) - 1)
        trace = self._empty_trace(tokens)
        numbers = self._weight_numbers()
        for t in range(n):
            logits = self._position(tokens[t], t, trace, numbers)
            trace.logits.append(logits)
            total = logsumexp(logits)
            cost = total - select(logits, tokens[t + 1])  # −ln softmax(logits)[next token]
            total.notes, cost.notes = _loss_notes(t)
            trace.position_losses.append(cost)
        trace.loss = at.sum(trace.position_losses) * (1.0 / n)
        trace.loss.label = "C"
        return trace

    def _empty_trace(self, tokens: list[int]) -> GPTTrace:
        trace = GPTTrace(tokens=tokens)
        for name in ("queries", "keys", "values", "attention_outputs", "residual_attention", "mlp_z", "residual_mlp"):
            getattr(trace, name).extend([] for _ in range(self.n_layer))
        for name in ("attention_scores", "attention_weights"):
            getattr(trace, name).extend([[] for _ in range(self.n_head)] for _ in range(self.n_layer))
        return trace

    def embedding_lookup(self, token: int | Value, position: int) -> list[Value]:
        """wte[token] + wpe[position], one node per coordinate: the one step that turns an integer into Values.

        ``token`` an int (the row's own Values, as microgpt indexes) or a Value holding a token id
        (``select`` nodes, so that ``vectorize_sequences`` can replay any token).
        """
        return [t + p for t, p in zip(embedding(self.wte, token), self.wpe[position])]

    def _weight_numbers(self) -> dict[str, list[list[float]]]:
        """Each matrix's numbers, row by row, read once per forward pass: every position multiplies by
        them (``matvec``'s ``row_numbers``), and they do not change until the optimiser's step."""
        return {key: [[p.data for p in row] for row in rows] for key, rows in self.matrices.items()}

    def _position(
        self, token: int | Value, t: int, trace: GPTTrace, numbers: dict[str, list[list[float]]]
    ) -> list[Value]:
        """One position's logits; appends its keys and values to the trace (the cache). ``numbers``:
        ``_weight_numbers()``, the matrices' numbers."""
        x = self.embedding_lookup(token, t)
        _mark_all(x, "emb", t, ("embedding",))
        x = _rmsnorm(x, t, ("embedding",))
        _mark_all(x, "x", t, ("embedding",))
        trace.embedding.append(x)
        scale, head_dim = 1.0 / math.sqrt(self.head_dim), self.head_dim
        for l, (wq, wk, wv, wo, fc1, fc2) in enumerate(self.layers):
            attention, mlp = ("attention", l), ("mlp", l)
            h_in = _rmsnorm(x, t, attention)
            _mark_all(h_in, f"h{l}.attn", t, attention)
            layer = f"layer{l}."
            q = matvec(wq, h_in, row_numbers=numbers[layer + "attn_wq"])
            k = matvec(wk, h_in, row_numbers=numbers[layer + "attn_wk"])
            v = matvec(wv, h_in, row_numbers=numbers[layer + "attn_wv"])
            _mark_all(q, f"q{l}", t, attention, head_dim=head_dim)
            _mark_all(k, f"k{l}", t, attention, head_dim=head_dim)
            _mark_all(v, f"v{l}", t, attention, head_dim=head_dim)
            trace.queries[l].append(q)
            trace.keys[l].append(k)
            trace.values[l].append(v)
            heads: list[Value] = []
            for h in range(self.n_head):
                lo, hi = h * head_dim, (h + 1) * head_dim
                q_h = q[lo:hi]
                products = [dot(q_h, keys[lo:hi]) for keys in trace.keys[l]]
                scores = [product * scale for product in products]  # q·k/√head_dim
                total = logsumexp(scores)
                shifted = [score - total for score in scores]
                weights = [difference.exp() for difference in shifted]  # softmax(scores)
                where, score_notes, weight_notes = _attention_notes(l, h, t)
                for node in (total, *products, *shifted):
                    node.notes = where
                for score, weight, score_note, weight_note in zip(scores, weights, score_notes, weight_notes):
                    score.notes, weight.notes = score_note, weight_note
                trace.attention_scores[l][h].append(scores)
                trace.attention_weights[l][h].append(weights)
                heads += [dot(weights, [values[j] for values in trace.values[l]]) for j in range(lo, hi)]
            _mark_all(heads, f"head{l}", t, attention, head_dim=head_dim)
            trace.attention_outputs[l].append(heads)
            x = matvec(wo, heads, x, row_numbers=numbers[layer + "attn_wo"])  # Wo·heads + x: the skip connection
            _mark_all(x, f"res{l}.attn", t, attention)
            trace.residual_attention[l].append(x)
            h_mlp = _rmsnorm(x, t, mlp)
            _mark_all(h_mlp, f"h{l}.mlp", t, mlp)
            z = matvec(fc1, h_mlp, row_numbers=numbers[layer + "mlp_fc1"])
            _mark_all(z, f"z{l}", t, mlp, role=Role.PREACTIVATION)
            trace.mlp_z[l].append(z)
            a = [zi.relu() for zi in z]
            _mark_all(a, f"a{l}", t, mlp, role=Role.ACTIVATION)
            x = matvec(fc2, a, x, row_numbers=numbers[layer + "mlp_fc2"])  # W2·relu(z) + x
            _mark_all(x, f"res{l}.mlp", t, mlp)
            trace.residual_mlp[l].append(x)
        logits = matvec(self.lm_head, x, row_numbers=numbers["lm_head"])
        _mark_all(logits, "logit", t, ("lm_head",), role=Role.PREACTIVATION)
        return logits

    # --- sampling ------------------------------------------------------------------------------
    def sample(
        self, n: int, *, temperature: float = 0.5, seed: Seed = None, tokenizer: Any = None
    ) -> list[list[int]] | list[str]:
        """``n`` documents generated as microgpt does: from BOS, draw each next token from
        softmax(logits / temperature) until BOS comes back or ``block_size`` tokens are out.

        Returns the token lists (without BOS), or with a ``tokenizer`` (``CharTokenizer``) the decoded strings.
        """
        check_positive_int(n, "n")
        check_number(temperature, "temperature")
        rng = random_generator(seed)
        if tokenizer is not None and not callable(getattr(tokenizer, "decode", None)):
            raise TypeError(
                f"tokenizer must have a decode(tokens) method (a CharTokenizer), got {type(tokenizer).__name__}"
            )
        documents = []
        with at.no_grad():
            numbers = self._weight_numbers()
            for _ in range(n):
                trace = self._empty_trace([])  # its keys and values are the cache
                token, document = self.bos, []
                for t in range(self.block_size):
                    logits = np.array([z.data for z in self._position(token, t, trace, numbers)]) / temperature
                    p = np.exp(logits - logits.max())
                    token = int(rng.choice(self.vocab_size, p=p / p.sum()))
                    if token == self.bos:
                        break
                    document.append(token)
                documents.append(document)
        return [tokenizer.decode(d) for d in documents] if tokenizer is not None else documents

    def _check_tokens(self, tokens: Sequence[int | Value]) -> list[int] | list[Value]:
        """The document as a list: integer token ids in the vocabulary (ints or NumPy integers, not bools
        or floats), or a replay's placeholder Values (``select`` checks each number)."""
        if isinstance(tokens, str | bytes) or not isinstance(tokens, Sequence | np.ndarray):
            raise TypeError(
                f"tokens must be a list of integer token ids (e.g. tokenizer.encode(name)), "
                f"got {type(tokens).__name__}: {tokens!r:.60}"
            )
        if len(tokens) < 2:
            raise ValueError(f"a document needs at least 2 tokens (one to read, one to predict), got {len(tokens)}")
        if any(isinstance(t, Value) for t in tokens):
            return list(tokens)
        for i, t in enumerate(tokens):
            if not is_token_id(t):
                raise TypeError(
                    f"tokens[{i}] is {t!r} ({type(t).__name__}): expected integer token ids (int or NumPy "
                    f"integer; not a bool or a float)"
                )
            if not 0 <= t < self.vocab_size:
                last = self.vocab_size - 1
                raise ValueError(f"token id {t} (tokens[{i}]) is outside the vocabulary; expected 0 to {last}")
        return [int(t) for t in tokens]

    def __repr__(self) -> str:
        return (
            f"GPT(vocab_size={self.vocab_size}, n_layer={self.n_layer}, n_embd={self.n_embd}, "
            f"n_head={self.n_head}, block_size={self.block_size}): {len(self.parameters()):,} parameters"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"


def _shapes(vocab_size: int, n_layer: int, n_embd: int, block_size: int) -> dict[str, tuple[int, int]]:
    """microgpt's matrices in its order, each (out, in)."""
    shapes = {"wte": (vocab_size, n_embd), "wpe": (block_size, n_embd), "lm_head": (vocab_size, n_embd)}
    per_layer = [(n_embd, n_embd)] * 4 + [(4 * n_embd, n_embd), (n_embd, 4 * n_embd)]
    for l in range(n_layer):
        shapes.update({f"layer{l}.{key}": shape for key, shape in zip(LAYER_KEYS, per_layer)})
    return shapes


def _all_values(state: Mapping[str, Any], key: str) -> bool:
    """Whether the matrix is rows of ``autograd_tiny.Value`` (to be shared); a ValueError if it mixes them with
    numbers. ``_matrix`` has checked it is rows."""
    rows = state[key]
    if isinstance(rows, np.ndarray):
        return False
    kinds = {isinstance(x, Value) for row in rows for x in row}
    if len(kinds) > 1:
        raise ValueError(
            f"state[{key!r}] mixes Values and numbers: give all Values (to share them) or all numbers (to copy them)"
        )
    return kinds == {True}


def _matrix(state: Mapping[str, Any], key: str) -> np.ndarray:
    """The matrix ``state[key]`` as a float array: a NumPy array, or rows (lists, tuples, 1-D arrays) of
    numbers or Values (``autograd_tiny``'s or any with a number in ``.data``, as microgpt's)."""
    rows = state[key]
    if isinstance(rows, np.ndarray):
        array = rows
    else:
        try:
            numbers = [[_number_of(x) for x in row] for row in rows]
        except TypeError:
            raise TypeError(
                f"state[{key!r}] must be a list of rows of numbers or Values, or an array, got {rows!r:.60}"
            ) from None
        lengths = sorted({len(row) for row in numbers})
        if len(lengths) > 1:
            short = next(r for r, row in enumerate(numbers) if len(row) == lengths[0])
            raise ValueError(
                f"state[{key!r}] is ragged: its rows have {lengths[0]} to {lengths[-1]} entries (row {short} has "
                f"{lengths[0]}); every row of a matrix needs the same length"
            )
        try:
            array = np.array(numbers)
        except (TypeError, ValueError):
            raise TypeError(f"state[{key!r}] must hold numbers, got {numbers!r:.60}") from None
    if np.iscomplexobj(array):
        raise TypeError(f"state[{key!r}] holds complex numbers (dtype {array.dtype}): a GPT's weights are real")
    try:
        array = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"state[{key!r}] must hold numbers, got dtype {array.dtype}") from None
    if array.ndim != 2:
        raise ValueError(f"state[{key!r}] must be a matrix (rows [out][in]), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"state[{key!r}] holds a non-finite number")
    return array


def _number_of(x: Any) -> Any:
    """An entry's number: a Value's ``data`` (ours, or a Value class such as microgpt's, whose ``data`` is a
    number: np.float64 has a ``data`` too, a memoryview), else the entry itself."""
    if isinstance(x, Value):
        return x.data
    data = getattr(x, "data", None)
    return data if isinstance(data, int | float) else x


def _parameter_rows(key: str, array: np.ndarray, values: Sequence[Sequence[Value]] | None = None) -> list[Row]:
    """The matrix as rows of parameter Values (new ones, or ``values`` themselves), labelled and marked."""
    rows = []
    for r, numbers in enumerate(array.tolist()):
        row = tuple(Value(x) for x in numbers) if values is None else tuple(values[r])
        for c, p in enumerate(row):
            p.notes = Notes(f"{key}[{r},{c}]", {"role": Role.WEIGHT, "matrix": key, "row": r, "column": c})
        rows.append(row)
    return rows


def _rmsnorm(x: list[Value], t: int, block: tuple) -> list[Value]:
    """x / √(mean(x²) + ε), ε = 10⁻⁵, without weights: 4 nodes for the scale, one product per coordinate."""
    square_sum = dot(x, x)
    mean_square = square_sum * (1.0 / len(x))
    shifted = mean_square + RMS_EPS
    scale = shifted**-0.5
    square_sum.notes = mean_square.notes = shifted.notes = scale.notes = _stage_notes(t, block)
    return [xi * scale for xi in x]


# Labels and marks: the same for every document, so each is built once and shared by every graph
# (a ``Notes`` and its meta dict are read-only; setting a node's label gives it a new ``Notes``).
@functools.cache
def _stage_notes(t: int, block: tuple) -> Notes:
    """Position and block, no label (the outputs of a step are labelled, not its inner nodes)."""
    return Notes(meta={"position": t, "block": block})


@functools.cache
def _loss_notes(t: int) -> tuple[Notes, Notes]:
    meta = {"position": t, "block": ("loss",), "head": None, "role": None}
    return Notes(f"logsumexp[{t}]", meta), Notes(f"C[{t}]", meta)


@functools.cache
def _attention_notes(l: int, h: int, t: int) -> tuple[Notes, tuple[Notes, ...], tuple[Notes, ...]]:
    """Head h of layer l at position t: the Notes of its inner nodes, and its scores' and weights' (s ≤ t)."""
    meta = {"position": t, "block": ("attention", l), "head": h}
    score_meta = {**meta, "role": Role.PREACTIVATION}
    scores = tuple(Notes(f"score{l}.{h}[{t},{s}]", score_meta) for s in range(t + 1))
    weights = tuple(Notes(f"att{l}.{h}[{t},{s}]", meta) for s in range(t + 1))
    return Notes(meta=meta), scores, weights


@functools.cache
def _row_notes(name: str, t: int, count: int, block: tuple, head_dim: int, role: Role | None) -> tuple[Notes, ...]:
    """``Notes`` labelled ``name[t][i]`` for i < count, marked with position, block, role (and head, for
    ``head_dim``: coordinates i of head i // head_dim); one meta dict per head, shared."""
    if head_dim:
        metas = [{"position": t, "block": block, "head": h, "role": role} for h in range(count // head_dim)]
        return tuple(Notes(f"{name}[{t}][{i}]", metas[i // head_dim]) for i in range(count))
    meta = {"position": t, "block": block, "head": None, "role": role}
    return tuple(Notes(f"{name}[{t}][{i}]", meta) for i in range(count))


def _mark_all(
    nodes: list[Value], name: str, t: int, block: tuple, *, head_dim: int = 0, role: Role | None = None
) -> None:
    """Label ``name[t][i]`` and mark position, block (and head, for q, k, v) on each node."""
    for node, notes in zip(nodes, _row_notes(name, t, len(nodes), block, head_dim, role)):
        node.notes = notes


__all__ = ["GPT", "GPTTrace"]
