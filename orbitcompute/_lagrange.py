"""Lagrange interpolation of positions through a small stencil of samples, vectorized.

Between samples spaced ``h`` apart, a degree-5 polynomial through the 6 nearest samples
has error ``|r^(6)| / 6! * prod |t - t_i|`` (<= 3.5 h^6 in the middle interval, <= 17 h^6
at a one-sided block edge).  For a circular orbit ``|r^(6)| ~ r n^6``: at 550 km sampled
every 80 s that is ~1.5 cm in the middle and ~8 cm at an edge, i.e. microseconds of
timing; it uses positions only, so it does not inherit the small inconsistency between
SGP4's velocities and the derivative of its positions.
"""

from __future__ import annotations

import numpy as np


class Stencil:
    """K polynomials, each through ``m`` nodes.

    Parameters
    ----------
    nodes : ndarray, shape ``(K, m)`` [s]
        Node times (distinct), e.g. relative to each interval's start.
    values : ndarray, shape ``(K, m, 3)``
        Positions at the nodes [m].
    """

    def __init__(self, nodes: np.ndarray, values: np.ndarray):
        self.nodes = np.asarray(nodes, float)
        self.values = np.asarray(values, float)
        self.inv_den = inverse_denominators(self.nodes)

    def evaluate(self, x: np.ndarray, idx=None):
        """Value and first derivative at ``x`` [s], shape ``(K', 3)`` each.

        ``idx`` selects a subset of the K polynomials (``x`` then has its length).
        """
        sel = slice(None) if idx is None else idx
        w, dw = basis(x, self.nodes[sel], self.inv_den[sel])
        values = self.values[sel]
        return np.einsum("ki,kij->kj", w, values), np.einsum("ki,kij->kj", dw, values)


def inverse_denominators(nodes: np.ndarray) -> np.ndarray:
    """``1 / prod_{j != i} (x_i - x_j)`` for each row of nodes, shape ``(K, m)``."""
    m = nodes.shape[1]
    diff = nodes[:, :, None] - nodes[:, None, :]
    diff[:, np.arange(m), np.arange(m)] = 1.0
    return 1.0 / diff.prod(axis=2)


def basis(x: np.ndarray, nodes: np.ndarray, inv_den: np.ndarray):
    """Lagrange basis values and derivatives at ``x``, each shape ``(K, m)``."""
    m = nodes.shape[1]
    d = x[:, None] - nodes  # (K, m)
    w = np.empty_like(d)
    dw = np.empty_like(d)
    for i in range(m):
        others = [j for j in range(m) if j != i]
        prod = np.ones(len(x))
        for j in others:
            prod = prod * d[:, j]
        w[:, i] = prod
        # derivative of prod_{j != i} (x - x_j): sum over the factor left out
        acc = np.zeros(len(x))
        for k in others:
            p = np.ones(len(x))
            for j in others:
                if j != k:
                    p = p * d[:, j]
            acc = acc + p
        dw[:, i] = acc
    w *= inv_den
    dw *= inv_den
    return w, dw


def node_derivatives(tau: np.ndarray, r: np.ndarray, m: int = 6) -> np.ndarray:
    """Time derivative of sampled positions at the samples, from the ``m`` nearest samples.

    Parameters
    ----------
    tau : ndarray, shape ``(B,)`` [s], increasing, ``B >= m``
    r : ndarray, shape ``(n, B, 3)``

    Returns
    -------
    ndarray, shape ``(n, B, 3)``; NaN where a stencil sample is NaN.
    """
    B = len(tau)
    k = np.arange(B)
    cols = np.clip(k - (m // 2 - 1), 0, B - m)[:, None] + np.arange(m)  # (B, m)
    nodes = tau[cols] - tau[:, None]
    _, dw = basis(np.zeros(B), nodes, inverse_denominators(nodes))
    return np.einsum("kj,nkjd->nkd", dw, r[:, cols])
