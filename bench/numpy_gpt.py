"""microgpt's GPT forward and backward for one document, written by hand in NumPy from the equations.

The peer for the replay bench: the same model as ``microgpt_yardstick`` (token + position
embedding, RMSNorm, causal multi-head attention, ReLU MLP, residuals, softmax cross-entropy),
its gradient derived by hand, on the same flat parameter vector (microgpt's order: ``wte``,
``wpe``, ``lm_head``, then each layer's ``attn_wq``, ``attn_wk``, ``attn_wv``, ``attn_wo``,
``mlp_fc1``, ``mlp_fc2``, each row by row).

Backward of y = RMSNorm(x) = x·r, r = (mean(x²) + ε)^(−1/2):  ∂C/∂x = r·g − x·(r³/C)·Σⱼ gⱼxⱼ.
Backward of P = softmax(S) row by row:  ∂C/∂S = P ⊙ (∂C/∂P − Σⱼ Pⱼ ∂C/∂Pⱼ).
"""

from __future__ import annotations

import numpy as np

EPS = 1e-5


class NumpyGPT:
    """Loss and gradient of microgpt's GPT for one document, from a flat parameter vector."""

    def __init__(self, vocab_size: int, *, n_layer: int = 1, n_embd: int = 16, n_head: int = 4, block_size: int = 16):
        self.n_head, self.block_size, self.n_layer = n_head, block_size, n_layer
        shapes = {"wte": (vocab_size, n_embd), "wpe": (block_size, n_embd), "lm_head": (vocab_size, n_embd)}
        for i in range(n_layer):
            shapes |= {f"layer{i}.attn_w{x}": (n_embd, n_embd) for x in "qkvo"}
            shapes |= {f"layer{i}.mlp_fc1": (4 * n_embd, n_embd), f"layer{i}.mlp_fc2": (n_embd, 4 * n_embd)}
        self.shapes = shapes
        self.size = sum(a * b for a, b in shapes.values())

    def _views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        views, start = {}, 0
        for key, (rows, columns) in self.shapes.items():
            views[key] = flat[start : start + rows * columns].reshape(rows, columns)
            start += rows * columns
        return views

    def loss_and_grad(self, theta: np.ndarray, tokens: list[int]) -> tuple[float, np.ndarray]:
        W = self._views(theta)
        grad = np.zeros_like(theta)
        G = self._views(grad)
        n = min(self.block_size, len(tokens) - 1)
        inputs, targets = np.asarray(tokens[:n]), np.asarray(tokens[1 : n + 1])
        x0 = W["wte"][inputs] + W["wpe"][:n]
        x, r0 = _rmsnorm(x0)
        saved = []
        for i in range(self.n_layer):
            x, layer = self._block(W, i, x)
            saved.append(layer)
        logits = x @ W["lm_head"].T
        shifted = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(n), targets]))

        d_logits = probs
        d_logits[np.arange(n), targets] -= 1.0
        d_logits /= n  # δ at the logits: (softmax − one-hot) / n
        G["lm_head"][:] = d_logits.T @ x
        dx = d_logits @ W["lm_head"]
        for i in reversed(range(self.n_layer)):
            dx = self._block_backward(W, G, i, saved[i], dx)
        dx0 = _rmsnorm_backward(x0, r0, dx)
        np.add.at(G["wte"], inputs, dx0)
        G["wpe"][:n] = dx0
        return loss, grad

    def _block(self, W, i, x):
        p = f"layer{i}."
        n, width = x.shape
        d = width // self.n_head
        residual = x
        x2, r1 = _rmsnorm(x)
        q, k, v = x2 @ W[p + "attn_wq"].T, x2 @ W[p + "attn_wk"].T, x2 @ W[p + "attn_wv"].T
        q, k, v = (a.reshape(n, self.n_head, d).transpose(1, 0, 2) for a in (q, k, v))  # (heads, n, d)
        scores = q @ k.transpose(0, 2, 1) / d**0.5
        scores = np.where(np.tril(np.ones((n, n), dtype=bool)), scores, -np.inf)  # causal: t reads s ≤ t
        weights = np.exp(scores - scores.max(axis=2, keepdims=True))
        weights /= weights.sum(axis=2, keepdims=True)
        attended = (weights @ v).transpose(1, 0, 2).reshape(n, width)
        x3 = attended @ W[p + "attn_wo"].T + residual
        x4, r3 = _rmsnorm(x3)
        hidden = x4 @ W[p + "mlp_fc1"].T
        active = np.maximum(hidden, 0.0)
        x5 = active @ W[p + "mlp_fc2"].T + x3
        return x5, (x, r1, x2, q, k, v, weights, attended, x3, r3, x4, hidden, active)

    def _block_backward(self, W, G, i, layer, dx5):
        p = f"layer{i}."
        x, r1, x2, q, k, v, weights, attended, x3, r3, x4, hidden, active = layer
        n, width = x.shape
        d = width // self.n_head
        G[p + "mlp_fc2"][:] = dx5.T @ active
        d_hidden = (dx5 @ W[p + "mlp_fc2"]) * (hidden > 0.0)
        G[p + "mlp_fc1"][:] = d_hidden.T @ x4
        dx3 = dx5 + _rmsnorm_backward(x3, r3, d_hidden @ W[p + "mlp_fc1"])
        G[p + "attn_wo"][:] = dx3.T @ attended
        d_attended = (dx3 @ W[p + "attn_wo"]).reshape(n, self.n_head, d).transpose(1, 0, 2)
        d_weights = d_attended @ v.transpose(0, 2, 1)
        dv = weights.transpose(0, 2, 1) @ d_attended
        d_scores = weights * (d_weights - (d_weights * weights).sum(axis=2, keepdims=True)) / d**0.5
        dq, dk = d_scores @ k, d_scores.transpose(0, 2, 1) @ q
        dq, dk, dv = (a.transpose(1, 0, 2).reshape(n, width) for a in (dq, dk, dv))
        G[p + "attn_wq"][:], G[p + "attn_wk"][:], G[p + "attn_wv"][:] = dq.T @ x2, dk.T @ x2, dv.T @ x2
        dx2 = dq @ W[p + "attn_wq"] + dk @ W[p + "attn_wk"] + dv @ W[p + "attn_wv"]
        return dx3 + _rmsnorm_backward(x, r1, dx2)


def _rmsnorm(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = (np.mean(x * x, axis=1, keepdims=True) + EPS) ** -0.5
    return x * r, r


def _rmsnorm_backward(x: np.ndarray, r: np.ndarray, g: np.ndarray) -> np.ndarray:
    return r * g - x * (r**3 / x.shape[1]) * np.sum(g * x, axis=1, keepdims=True)


def adam_step(theta, grads, m, v, step, steps, *, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8) -> None:
    """microgpt's Adam (the yardstick's ``adam_update``) on arrays, in place: bias-corrected, ε outside
    the square root, the learning rate decaying linearly from ``lr`` to 0 over ``steps``."""
    lr_t = lr * (1 - step / steps)
    m *= beta1
    m += (1 - beta1) * grads
    v *= beta2
    v += (1 - beta2) * grads**2
    theta -= lr_t * (m / (1 - beta1 ** (step + 1))) / ((v / (1 - beta2 ** (step + 1))) ** 0.5 + eps)
