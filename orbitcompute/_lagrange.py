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


class Polynomials:
    """K interpolating polynomials in power form, evaluated by Horner's rule.

    Degree ``m - 1`` through ``m`` nodes, with coefficients computed once per polynomial
    in the scaled variable ``u = x / scale`` so that the Vandermonde systems stay well
    conditioned (nodes within a few units of 0: cond ~1e4, i.e. ~1e-5 m on orbital radii).

    Parameters
    ----------
    vinv : ndarray, shape ``(K, m, m)``
        Inverse Vandermonde matrices of the scaled nodes (:func:`inverse_vandermonde`).
    values : ndarray, shape ``(K, m, 3)``
    scale : ndarray, shape ``(K,)`` [s]
    """

    def __init__(self, vinv: np.ndarray, values: np.ndarray, scale: np.ndarray):
        # coefficients, highest power first, component-major so that every operation of
        # Horner's rule runs on contiguous rows of length K: (m, 3, K)
        c = np.matmul(vinv, values)  # (K, m, 3), lowest power first
        self.coef = np.ascontiguousarray(np.transpose(c, (1, 2, 0))[::-1])
        self.scale = np.asarray(scale, float)

    def subset(self, sel) -> "Polynomials":
        new = object.__new__(Polynomials)
        new.coef, new.scale = self.coef[:, :, sel], self.scale[sel]
        return new

    def evaluate(self, x: np.ndarray, idx=None, derivative: bool = True):
        """Value and first derivative (None unless ``derivative``) at ``x`` [s], shape ``(K', 3)``.

        ``idx`` (K',) selects polynomials; the arrays returned are transposed views of
        component-major ``(3, K')`` arrays.
        """
        coef = self.coef if idx is None else np.take(self.coef, idx, axis=2)
        scale = self.scale if idx is None else np.take(self.scale, idx)
        u = x / scale
        p = coef[0].copy()
        dp = np.zeros_like(p) if derivative else None
        for c in coef[1:]:
            if derivative:
                dp *= u
                dp += p
            p *= u
            p += c
        return p.T, ((dp / scale).T if derivative else None)


def inverse_vandermonde(nodes: np.ndarray) -> np.ndarray:
    """Inverses of the Vandermonde matrices ``V[k, i, j] = nodes[k, i] ** j``, shape ``(K, m, m)``."""
    m = nodes.shape[1]
    V = nodes[:, :, None] ** np.arange(m)
    return np.linalg.inv(V)


def inverse_denominators(nodes: np.ndarray) -> np.ndarray:
    """``1 / prod_{j != i} (x_i - x_j)`` for each row of nodes, shape ``(K, m)``."""
    m = nodes.shape[1]
    diff = nodes[:, :, None] - nodes[:, None, :]
    diff[:, np.arange(m), np.arange(m)] = 1.0
    return 1.0 / diff.prod(axis=2)


def basis(x: np.ndarray, nodes: np.ndarray, inv_den: np.ndarray, derivative: bool = True):
    """Lagrange basis values (and derivatives) at ``x``, each shape ``(K, m)``.

    ``w_i = prod_{j != i} (x - x_j) / den_i`` from prefix and suffix products, and their
    derivatives by the product rule on the same recursions (O(m) array operations on
    contiguous rows of length K).
    """
    m = nodes.shape[1]
    d = x[None, :] - nodes.T  # (m, K), rows contiguous
    pre = np.empty_like(d)  # prod_{j < i} d_j
    suf = np.empty_like(d)  # prod_{j > i} d_j
    pre[0] = 1.0
    suf[m - 1] = 1.0
    for i in range(1, m):
        np.multiply(pre[i - 1], d[i - 1], out=pre[i])
        np.multiply(suf[m - i], d[m - i], out=suf[m - 1 - i])
    w = (pre * suf).T * inv_den
    if not derivative:
        return w, None
    dpre = np.empty_like(d)
    dsuf = np.empty_like(d)
    dpre[0] = 0.0
    dsuf[m - 1] = 0.0
    for i in range(1, m):
        dpre[i] = dpre[i - 1] * d[i - 1] + pre[i - 1]
        dsuf[m - 1 - i] = dsuf[m - i] * d[m - i] + suf[m - i]
    return w, (dpre * suf + pre * dsuf).T * inv_den


def node_derivatives(tau: np.ndarray, r: np.ndarray, m: int = 6, at=None) -> np.ndarray:
    """Time derivative of sampled positions at the samples, from the ``m`` nearest samples.

    Parameters
    ----------
    tau : ndarray, shape ``(B,)`` [s], increasing, ``B >= m``
    r : ndarray, shape ``(n, B, 3)``
    at : (ndarray, ndarray), optional
        Only at these samples ``(i, k)`` (row and sample indices, each shape ``(K,)``);
        the same arithmetic as the full array, element for element.

    Returns
    -------
    ndarray, shape ``(n, B, 3)``, or ``(K, 3)`` with ``at``; NaN where a stencil sample is NaN.
    """
    B = len(tau)
    k = np.arange(B)
    cols = np.clip(k - (m // 2 - 1), 0, B - m)[:, None] + np.arange(m)  # (B, m)
    nodes = tau[cols] - tau[:, None]
    _, dw = basis(np.zeros(B), nodes, inverse_denominators(nodes))
    if at is not None:
        i, kk = at
        out = np.zeros((len(i), 3))
        for j in range(m):
            out += dw[kk, j, None] * r[i, cols[kk, j]]
        return out
    out = np.zeros_like(r)
    for j in range(m):  # m gathers along time, each a whole (n, B, 3) array
        out += dw[None, :, j, None] * r[:, cols[:, j]]
    return out
