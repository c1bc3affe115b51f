"""Event-search kernel: bracketed roots and minima of many scalar functions at once.

Both event searches of the package reduce to the same two steps on sampled functions
(elevation minus threshold for :func:`orbitcompute.visibility.find_passes`, shadow
functions for :func:`orbitcompute.eclipse.find_eclipses`):

1. **Brackets** on a sampled grid: a sign change between two consecutive samples
   (:func:`sign_changes`; ``>= 0`` counts as positive throughout this module).
2. **Refinement** of each bracket on an interpolant: :func:`illinois` (modified regula
   falsi) for a root, :func:`golden_min` (golden-section search) for a minimum that may dip
   below zero between two samples.

Everything is vectorized over the brackets: one call refines K brackets, and the function
is evaluated only on those not yet converged.  Pure numpy on float64 arrays, no units;
the callers give tolerances in their own variable (e.g. fractions of an interval).

References
----------
Dowell, M. & Jarratt, P. (1971), "A modified regula falsi method for computing the root
of an equation", *BIT* 11, 168-174 (the Illinois method).
Kiefer, J. (1953), "Sequential minimax search for a maximum", *Proc. AMS* 4, 502-506.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

#: :func:`illinois` status codes, one per bracket.
CONVERGED, MAX_ITER, NO_SIGN_CHANGE = 0, 1, 2
#: golden ratio conjugate, (sqrt(5) - 1) / 2
GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


class Roots(NamedTuple):
    """Result of :func:`illinois`, each an ndarray of shape ``(K,)``.

    ``root`` is the last point at which the function was evaluated (the midpoint of the
    bracket where it never was, NaN where the bracket had no sign change); ``lo``, ``hi``
    the final bracket (``lo == hi == root`` where the function was exactly zero);
    ``status`` one of :data:`CONVERGED`, :data:`MAX_ITER`, :data:`NO_SIGN_CHANGE` (int8).
    """

    root: np.ndarray
    status: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def sign_changes(g: np.ndarray, valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Brackets between consecutive samples along the last axis of ``g``.

    Parameters
    ----------
    g : ndarray, shape ``(..., n)``
        Sampled function values (``>= 0`` counts as positive; NaN as negative).
    valid : ndarray of bool, shape ``(..., n - 1)``, optional
        Intervals that may bracket at all (e.g. both samples finite).

    Returns
    -------
    falling, rising : ndarray of bool, shape ``(..., n - 1)``
        ``g`` goes from ``>= 0`` to ``< 0`` (falling) or from ``< 0`` to ``>= 0`` (rising)
        across the interval.
    """
    pos = g >= 0
    a, b = pos[..., :-1], pos[..., 1:]
    falling, rising = a & ~b, ~a & b
    if valid is not None:
        falling &= valid
        rising &= valid
    return falling, rising


def illinois(f: Callable[[np.ndarray, np.ndarray], np.ndarray], lo, hi, f_lo, f_hi, tol, max_iter: int = 60) -> Roots:
    """Roots of K functions, each in its bracket, by the Illinois method, vectorized.

    Regula falsi keeps a bracket ``[lo, hi]`` and steps to the secant root; when the same
    end is kept twice, the function value stored at the other end is halved (Illinois), so
    that both ends converge (superlinear, order ~1.44).  A secant step that is not finite or
    falls outside the open bracket is replaced by bisection.  Iteration stops per bracket
    when it is narrower than ``tol`` (``hi - lo <= tol``) or the function is exactly zero;
    a step alone proves nothing (regula falsi can creep before the halving takes over).

    Parameters
    ----------
    f : callable
        ``f(x, idx)`` -> values at points ``x`` (shape ``(k,)``) of the brackets ``idx``
        (shape ``(k,)``, indices into the K brackets: those still iterating).
    lo, hi : array_like, shape ``(K,)``
        Brackets, ``lo <= hi``, in the caller's variable.
    f_lo, f_hi : array_like, shape ``(K,)``
        Function values at ``lo`` and ``hi``; a root needs ``(f_lo >= 0) != (f_hi >= 0)``.
    tol : float or array_like, shape ``(K,)``
        Bracket width at which to stop, in the variable of ``lo``.
    max_iter : int
        Most evaluations per bracket.

    Returns
    -------
    Roots
        ``root``, ``status``, ``lo``, ``hi``; see :class:`Roots`.  A bracket already
        narrower than ``tol`` is converged without evaluating ``f``.

    Examples
    --------
    >>> import numpy as np
    >>> c = np.array([2.0, 3.0])
    >>> res = illinois(lambda x, i: x * x - c[i], np.zeros(2), np.full(2, 2.0), -c, 4.0 - c, 1e-12)
    >>> bool(np.allclose(res.root, np.sqrt(c), atol=1e-12)), res.status.tolist()
    (True, [0, 0])
    """
    lo, hi, glo, ghi = (np.array(x, dtype=np.float64) for x in (lo, hi, f_lo, f_hi))
    K = len(lo)
    tol = np.broadcast_to(np.asarray(tol, np.float64), (K,))
    x = 0.5 * (lo + hi)
    status = np.full(K, CONVERGED, np.int8)
    bracketed = (glo >= 0) != (ghi >= 0)
    status[~bracketed] = NO_SIGN_CHANGE
    x[~bracketed] = np.nan
    act = np.flatnonzero(bracketed & ~(hi - lo <= tol))
    # the still-active brackets are iterated on compact copies, written back when done
    l, h, gl, gh, w = lo[act], hi[act], glo[act], ghi[act], tol[act]
    last_side = np.zeros(act.size, np.int8)
    x_act = x[act]
    for _ in range(max_iter):
        if act.size == 0:
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            xa = (l * gh - h * gl) / (gh - gl)
        bad = ~np.isfinite(xa) | (xa <= l) | (xa >= h)
        xa = np.where(bad, 0.5 * (l + h), xa)
        g = f(xa, act)
        left = (g >= 0) == (gl >= 0)  # the root is to the right of xa: move lo
        zero = g == 0
        l, h = np.where(left | zero, xa, l), np.where(left & ~zero, h, xa)
        side = np.where(left, 1, -1).astype(np.int8)
        # Illinois: when the same end moves twice, halve the other end's value
        stuck = side == last_side
        gl, gh = np.where(left, g, np.where(stuck, 0.5 * gl, gl)), np.where(left, np.where(stuck, 0.5 * gh, gh), g)
        done = (h - l <= w) | zero
        fin = act[done]
        x[fin], lo[fin], hi[fin] = xa[done], l[done], h[done]
        keep = ~done
        act, l, h, gl, gh, w, last_side = (arr[keep] for arr in (act, l, h, gl, gh, w, side))
        x_act = xa[keep]
    if act.size:
        status[act] = MAX_ITER
        x[act], lo[act], hi[act] = x_act, l, h
    return Roots(x, status, lo, hi)


def golden_min(f: Callable[[np.ndarray], np.ndarray], K: int, n_iter: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of K functions over ``[0, 1]`` each, by golden-section search, vectorized.

    Exact for a unimodal function up to ``GOLDEN ** n_iter`` (4e-9 for 40 steps); for
    others a local minimum.

    Parameters
    ----------
    f : callable
        ``f(x)`` -> values at points ``x`` of shape ``(K,)`` (one per function).
    K : int
        Number of functions.
    n_iter : int
        Steps after the first two evaluations.

    Returns
    -------
    x, f_min : ndarray, shape ``(K,)``
        Where the smaller of the last two probes lies, and its value.

    Examples
    --------
    >>> import numpy as np
    >>> c = np.array([0.25, 0.7])
    >>> x, fx = golden_min(lambda x: (x - c) ** 2 - 1.0, 2)
    >>> bool(np.allclose(x, c, atol=1e-8)), bool(np.allclose(fx, -1.0))
    (True, True)
    """
    q = GOLDEN
    a, b = np.zeros(K), np.ones(K)
    x1, x2 = np.full(K, 1.0 - q), np.full(K, q)
    f1, f2 = f(x1), f(x2)
    for _ in range(n_iter):
        # f1 < f2: the minimum is in [a, x2], x1 becomes the new right probe;
        # otherwise it is in [x1, b] and x2 becomes the new left probe
        left = f1 < f2
        a = np.where(left, a, x1)
        b = np.where(left, x2, b)
        x_new = np.where(left, b - q * (b - a), a + q * (b - a))
        f_new = f(x_new)
        x1, f1, x2, f2 = (np.where(left, x_new, x2), np.where(left, f_new, f2),
                          np.where(left, x1, x_new), np.where(left, f1, f_new))
    return np.where(f1 < f2, x1, x2), np.minimum(f1, f2)
