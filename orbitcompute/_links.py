"""Pure kernels of :mod:`orbitcompute.network` on float64 SI arrays: line of sight between
satellites, nearest-neighbour links, sparse graphs and Dijkstra with path extraction.
Conventions and references are in :mod:`orbitcompute.network`.
"""

from __future__ import annotations

import numpy as np

from .constants import R_EARTH
from .errors import InputError

#: Lowest altitude [m] a satellite-satellite line of sight may graze (Kassing et al. 2020,
#: Hypatia: "ISLs are not allowed to dip below 80 km altitude"; about the mesopause).
DEFAULT_ATMOSPHERE_HEIGHT_M = 80e3

_NO_PRED = -9999  # scipy.sparse.csgraph's "no predecessor" marker


def segment_min_radius_si(r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """Smallest distance from the Earth's centre to the segment ``r1``-``r2``.

    Parameters
    ----------
    r1, r2 : ndarray, shape ``(..., 3)`` [m]
        End points (Earth-centred, any frame); they broadcast against each other.

    Returns
    -------
    ndarray, shape ``(...)`` [m]
        ``min |r1 + t (r2 - r1)|`` over ``0 <= t <= 1``; NaN where an end point is NaN.

    Notes
    -----
    With ``d = r2 - r1`` the closest point of the infinite line is at
    ``t* = -r1 . d / |d|^2``; clipped to ``[0, 1]`` it gives the segment's closest point.

    Examples
    --------
    >>> import numpy as np
    >>> float(segment_min_radius_si(np.array([7e6, -1e6, 0.0]), np.array([7e6, 1e6, 0.0])))
    7000000.0
    """
    a = np.asarray(r1, dtype=np.float64)
    b = np.asarray(r2, dtype=np.float64)
    d = b - a
    dd = np.einsum("...i,...i->...", d, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(dd > 0, -np.einsum("...i,...i->...", a, d) / np.where(dd > 0, dd, 1.0), 0.0)
    t = np.clip(t, 0.0, 1.0)
    p = a + t[..., None] * d
    return np.sqrt(np.einsum("...i,...i->...", p, p))


def line_of_sight_si(r1: np.ndarray, r2: np.ndarray, atmosphere_height_m: float = DEFAULT_ATMOSPHERE_HEIGHT_M,
                     earth_radius_m: float = R_EARTH) -> np.ndarray:
    """True where the segment between two points stays above ``earth_radius_m + atmosphere_height_m``.

    Parameters
    ----------
    r1, r2 : ndarray, shape ``(..., 3)`` [m]
        Earth-centred positions; they broadcast.
    atmosphere_height_m : float [m]
        Lowest altitude the line of sight may graze (default 80 km, see the module notes).
    earth_radius_m : float [m]
        Radius of the spherical Earth (default WGS84 equatorial radius, which encloses the
        ellipsoid).

    Returns
    -------
    ndarray of bool, shape ``(...)``
        False for NaN positions.

    Examples
    --------
    Two satellites at 550 km separated by a central angle ``theta`` see each other above
    80 km while ``(R + 550 km) cos(theta / 2) >= R + 80 km``:

    >>> import numpy as np
    >>> r = 6378137.0 + 550e3
    >>> theta = 2 * np.arccos((6378137.0 + 80e3) / r)
    >>> pos = lambda a: r * np.array([np.cos(a), np.sin(a), 0.0])
    >>> bool(line_of_sight_si(pos(0.0), pos(0.999 * theta))), bool(line_of_sight_si(pos(0.0), pos(1.001 * theta)))
    (True, False)
    """
    with np.errstate(invalid="ignore"):
        return segment_min_radius_si(r1, r2) >= earth_radius_m + atmosphere_height_m


def nearest_links_si(r_a: np.ndarray, r_b: np.ndarray | None = None, *, k: int = 1,
                     max_range_m: float = np.inf,
                     atmosphere_height_m: float = DEFAULT_ATMOSPHERE_HEIGHT_M) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Links from each point of ``r_a`` to its ``k`` nearest points of ``r_b`` in range and in sight.

    For cluster-to-relay and cross-shell links at one time step.  Dense distances: meant
    for ``n_a * n_b`` up to ~10^7.

    Parameters
    ----------
    r_a : ndarray, shape ``(n_a, 3)`` [m]
    r_b : ndarray, shape ``(n_b, 3)`` [m], optional
        Default ``r_a`` itself (links within one set; a point is never its own neighbour
        and each undirected link is returned once).
    k : int
        Neighbours per point of ``r_a`` (fewer where fewer are in range and in sight).
    max_range_m : float [m]
    atmosphere_height_m : float [m]

    Returns
    -------
    i : ndarray of intp, shape ``(n_link,)``
        Index into ``r_a``.
    j : ndarray of intp, shape ``(n_link,)``
        Index into ``r_b``.
    range : ndarray, shape ``(n_link,)`` [m]

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[7e6, 0, 0]])
    >>> b = np.array([[7e6, 1e5, 0], [7e6, -3e5, 0], [-7e6, 0, 0]])
    >>> i, j, d = nearest_links_si(a, b, k=2)
    >>> j.tolist(), d.round().tolist()
    ([0, 1], [100000.0, 300000.0])
    """
    a = np.asarray(r_a, dtype=np.float64).reshape(-1, 3)
    same = r_b is None
    b = a if same else np.asarray(r_b, dtype=np.float64).reshape(-1, 3)
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k: {k!r} is not a positive integer; e.g. k=2")
    if len(a) == 0 or len(b) == 0:
        e = np.zeros(0, np.intp)
        return e, e, np.zeros(0)
    with np.errstate(invalid="ignore"):
        d2 = (np.einsum("ij,ij->i", a, a)[:, None] + np.einsum("ij,ij->i", b, b)[None, :] - 2.0 * (a @ b.T))
        d = np.sqrt(np.maximum(d2, 0.0))
        d[~np.isfinite(d)] = np.inf
        if same:
            np.fill_diagonal(d, np.inf)
        kk = min(int(k), d.shape[1])
        part = np.argpartition(d, kk - 1, axis=1)[:, :kk] if kk < d.shape[1] else np.broadcast_to(
            np.arange(d.shape[1]), d.shape).copy()
        i = np.repeat(np.arange(len(a)), part.shape[1])
        j = part.reshape(-1)
        rng = d[i, j]
        ok = rng <= max_range_m
        i, j, rng = i[ok], j[ok], rng[ok]
        ok = line_of_sight_si(a[i], b[j], atmosphere_height_m)
        i, j = i[ok], j[ok]
    if same:  # undirected: keep each pair once
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        key = np.unique(lo.astype(np.int64) * len(a) + hi)
        i, j = key // len(a), key % len(a)
    order = np.lexsort((j, i))
    i, j = i[order].astype(np.intp), j[order].astype(np.intp)
    diff = a[i] - b[j]
    return i, j, np.sqrt(np.einsum("ij,ij->i", diff, diff))


def shortest_paths_si(graph, sources, targets=None, *, nearest: bool = False,
                      n_space: int | None = None, count_hops: bool = True):
    """Shortest delays, hop counts and ground-space link counts by Dijkstra from ``sources``.

    Parameters
    ----------
    graph : scipy.sparse matrix, shape ``(n_node, n_node)``
        Directed edge weights [s] (store both directions for an undirected link).
    sources : array_like of int, shape ``(n_src,)``
        Nodes to run Dijkstra from (only these: never all pairs).
    targets : array_like of int, shape ``(n_dst,)``, optional
        Nodes whose delays are wanted; default all nodes.
    nearest : bool
        If True, one multi-source run (``min_only``): the delay from the *nearest* source,
        shapes ``(1, n_dst)``, and ``server`` says which source it was.
    n_space : int, optional
        Nodes ``< n_space`` are in space, the others on the ground; used to count the
        ground-space links of each path.  Default: all nodes are in space.
    count_hops : bool
        If False, skip the path walk (``hops`` and ``access`` are returned as None).

    Returns
    -------
    delay : ndarray, shape ``(n_src, n_dst)`` [s]
        ``inf`` where no path exists.
    hops : ndarray of int16, shape ``(n_src, n_dst)``, or None
        Links on the path (-1 where none; 0 from a node to itself).
    access : ndarray of int16, shape ``(n_src, n_dst)``, or None
        Ground-space links on the path.
    predecessors : ndarray of int32, shape ``(n_src, n_node)``
        scipy's predecessor matrix (-9999 for none), for :meth:`Snapshot.path`.
    server : ndarray of int32, shape ``(n_dst,)``, or None
        With ``nearest``: the source each target was reached from (-1 where none).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> g = sp.csr_matrix(([1.0, 1.0, 5.0], ([0, 1, 0], [1, 2, 2])), shape=(3, 3))
    >>> d, h, a, p, s = shortest_paths_si(g, [0], [2])
    >>> float(d[0, 0]), int(h[0, 0])
    (2.0, 2)
    """
    from scipy.sparse.csgraph import dijkstra

    src = np.atleast_1d(np.asarray(sources, dtype=np.intp))
    n_node = graph.shape[0]
    tgt = np.arange(n_node) if targets is None else np.atleast_1d(np.asarray(targets, dtype=np.intp))
    n_space = n_node if n_space is None else int(n_space)
    if nearest:
        dist, pred, origin = dijkstra(graph, directed=True, indices=src, return_predecessors=True, min_only=True)
        dist = dist[None, :]
        pred = pred[None, :]
        server = np.where(np.isfinite(dist[0, tgt]), origin[tgt], -1).astype(np.int32)
    else:
        dist, pred = dijkstra(graph, directed=True, indices=src, return_predecessors=True)
        server = None
    delay = dist[:, tgt]
    if not count_hops:
        return delay, None, None, pred, server
    # Walk every (source, target) path up its predecessor chain at once, one link per
    # step: ``up`` maps each entry of the flattened predecessor matrix to its parent's
    # entry, and a path that has reached its source parks on the sentinel ``end``.
    n_row, n_node = pred.shape
    end = n_row * n_node
    idx = np.int32 if end < 2**31 - 1 else np.intp
    offset = (np.arange(n_row, dtype=idx) * n_node)[:, None]
    up = np.empty(end + 1, idx)
    up[:end] = np.where(pred == _NO_PRED, end, pred + offset).reshape(-1)
    up[end] = end
    ground = np.zeros(end + 1, bool)
    ground[:end].reshape(n_row, n_node)[:, n_space:] = True
    reach = np.isfinite(delay).reshape(-1)
    cur = np.where(reach, (offset + tgt.astype(idx)[None, :]).reshape(-1), end)
    hops = np.zeros(cur.size, np.int16)
    access = np.zeros(cur.size, np.int16)
    on_ground = ground[cur]
    while True:
        parent = up[cur]
        live = parent != end
        if not live.any():
            break
        hops += live
        parent_on_ground = ground[parent]
        access += live & (parent_on_ground != on_ground)
        cur, on_ground = parent, parent_on_ground
    hops[~reach] = -1
    shape = (n_row, len(tgt))
    return delay, hops.reshape(shape), access.reshape(shape), pred, server


def _csr(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """CSR matrix from directed edges (no parallel edges by construction: each block of
    edges joins a distinct pair of node sets, and each block lists a pair once)."""
    import scipy.sparse as sp

    order = np.argsort(src.astype(np.int32), kind="stable")
    # zero-length links (coincident nodes) would vanish from a sparse matrix
    w = np.maximum(w[order], 1e-15)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return sp.csr_matrix((w, dst[order].astype(np.int32), indptr), shape=(n, n))
