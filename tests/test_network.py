"""Tests of orbitcompute.network: topology, link validity, snapshot graphs and routing.

References and tolerances
-------------------------
* networkx 3.x (``single_source_dijkstra``, ``multi_source_dijkstra``), an independent
  pure-Python implementation, on the *same* edge weights: delays agree to
  ``TOL_DELAY_REL`` (the sums are the same floating-point additions in a possibly
  different order) and hop counts exactly (random real weights: ties have probability 0).
* Analytic geometry: the closest approach of a segment to the origin (two satellites
  at radii r1, r2 separated by central angle theta: ``r1 r2 sin(theta) / |r1 - r2|`` when
  the foot of the perpendicular lies inside the segment) and the longest grazing link
  ``2 sqrt((R + h)^2 - (R + h_atm)^2)`` (Kassing et al. 2020).
* Brute force over all pairs with ``GroundSites.look_angles`` (the library's tested look
  angles) for the ground attachments.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import orbitcompute as oc
from orbitcompute.constants import C_LIGHT, R_EARTH
from orbitcompute.errors import InputError
from orbitcompute.network import (
    Network,
    WalkerLayout,
    line_of_sight_si,
    max_isl_range,
    nearest_links_si,
    plus_grid,
    route,
    segment_min_radius_si,
    serving_satellite,
    shortest_paths_si,
    snapshot,
)

nx = pytest.importorskip("networkx")

#: Relative delay agreement with networkx: same additions, maybe in another order
#: (measured 0 to 2e-16).
TOL_DELAY_REL = 1e-12
#: Geometry against closed forms, relative (float64 rounding of 7e6 m quantities).
TOL_GEOM_REL = 1e-10

EPOCH = "2026-06-21T00:00:00Z"
u = oc.u


def _walker(total, planes, phasing, star=False, alt=550.0, inc=53.0, propagator="sgp4"):
    f = oc.Constellation.walker_star if star else oc.Constellation.walker_delta
    return f(total=total, planes=planes, phasing=phasing, altitude=alt * u.km, inclination=inc * u.deg,
             epoch=EPOCH, propagator=propagator)


def _to_nx(graph) -> "nx.DiGraph":
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.shape[0]))
    c = graph.tocoo()
    g.add_weighted_edges_from(zip(c.row.tolist(), c.col.tolist(), c.data.tolist()))
    return g


# --------------------------------------------------------------------------- routing vs networkx
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_shortest_paths_match_networkx_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = 60
    m = 240
    a = rng.integers(0, n, m)
    b = rng.integers(0, n, m)
    keep = a != b
    a, b = a[keep], b[keep]
    key, first = np.unique(a * n + b, return_index=True)
    a, b = a[first], b[first]
    w = rng.uniform(1e-4, 1e-2, len(a))
    graph = sp.csr_matrix((w, (a, b)), shape=(n, n))
    G = _to_nx(graph)
    sources = rng.choice(n, 5, replace=False)
    targets = np.arange(n)
    n_space = 40  # nodes >= 40 play "ground": count links crossing the boundary
    d, hops, acc, pred, _ = shortest_paths_si(graph, sources, targets, n_space=n_space)
    n_checked = 0
    for i, s in enumerate(sources):
        dist, paths = nx.single_source_dijkstra(G, int(s), weight="weight")
        for j in targets:
            if j in dist:
                n_checked += 1
                assert d[i, j] == pytest.approx(dist[j], rel=TOL_DELAY_REL)
                p = paths[j]
                assert hops[i, j] == len(p) - 1
                assert acc[i, j] == sum((x >= n_space) != (y >= n_space) for x, y in zip(p[:-1], p[1:]))
            else:
                assert np.isinf(d[i, j]) and hops[i, j] == -1
    assert n_checked > 100  # the random graphs are well connected: the test is not vacuous
    # nearest source (multi-source, min_only) against networkx's multi_source_dijkstra
    dn, hn, _, _, server = shortest_paths_si(graph, sources, targets, nearest=True)
    dist, paths = nx.multi_source_dijkstra(G, {int(s) for s in sources}, weight="weight")
    for j in targets:
        if j in dist:
            assert dn[0, j] == pytest.approx(dist[j], rel=TOL_DELAY_REL)
            assert hn[0, j] == len(paths[j]) - 1
            assert server[j] in sources
        else:
            assert np.isinf(dn[0, j]) and server[j] == -1


def test_route_matches_networkx_on_a_real_snapshot():
    """Delays and hop counts from route() equal networkx on the snapshot graph of that time,
    and the graph's delays are the geometric ranges / c."""
    con = _walker(66, 6, 1)
    sso = oc.Constellation.sun_synchronous(altitude=650 * u.km, ltan=18 * u.hour, epoch=EPOCH, count=3)
    net = Network.plus_grid(con, cluster=sso, cluster_max_range=4000 * u.km)
    sites = oc.GroundSites.cities(limit=12)
    t = oc.time_grid(EPOCH, "2026-06-21T00:20:00Z", step=600 * u.s)
    el = 10 * u.deg
    r = route(net, sites[:4], sites[4:], t, min_elevation=el)
    rc = route(net, "cluster", sites[4:], t, min_elevation=el)
    n_checked = 0
    for k in range(len(t)):
        snap = snapshot(net, t[k], sites[:4], sites[4:], min_elevation=el)
        G = _to_nx(snap.graph)
        for i in range(4):
            dist, paths = nx.single_source_dijkstra(G, snap.source_node(i), weight="weight")
            for j in range(8):
                node = snap.destination_node(j)
                if node in dist:
                    n_checked += 1
                    assert r.delay_s[i, j, k] == pytest.approx(dist[node], rel=TOL_DELAY_REL)
                    assert r.hops[i, j, k] == len(paths[node]) - 1
                    assert snap.path(snap.source_node(i), node) == paths[node]
                    # the path never transits another ground terminal
                    assert all(x < snap.n_space for x in paths[node][1:-1])
                else:
                    assert np.isnan(r.delay_s[i, j, k])
        cl = set(range(snap.n_relay, snap.n_space))
        dist, paths = nx.multi_source_dijkstra(G, cl, weight="weight")
        for j in range(8):
            node = snap.destination_node(j)
            if node not in dist:
                assert np.isnan(rc.delay_s[0, j, k]) and rc.server[j, k] == -1
                continue
            n_checked += 1
            assert rc.delay_s[0, j, k] == pytest.approx(dist[node], rel=TOL_DELAY_REL)
            assert rc.server[j, k] == paths[node][0] - snap.n_relay
    assert n_checked >= 50
    # edge weights are ranges / c: check the ISL weights against the positions
    snap = snapshot(net, t[0])
    rpos = con.states_si(oc.to_time(EPOCH), "itrs")[0]
    g = snap.graph.tocoo()
    isl = (g.row < net.n_relay) & (g.col < net.n_relay)
    expect = np.linalg.norm(rpos[g.row[isl]] - rpos[g.col[isl]], axis=1) / C_LIGHT
    np.testing.assert_allclose(g.data[isl], expect, rtol=1e-12)


# --------------------------------------------------------------------------- topology
@pytest.mark.parametrize("P,S,F", [(6, 11, 1), (72, 22, 1), (5, 4, 3), (3, 3, 0)])
def test_plus_grid_delta_degree_4_and_symmetric(P, S, F):
    lay = WalkerLayout(P, S, F, "delta")
    e = plus_grid(lay)
    assert len(e) == 2 * P * S
    assert np.all(e[:, 0] < e[:, 1])
    assert len(np.unique(e, axis=0)) == len(e)
    deg = np.bincount(e.ravel(), minlength=P * S)
    assert np.all(deg == 4)
    A = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(P * S, P * S)).tocsr()
    A = A + A.T
    assert (A != A.T).nnz == 0
    # intra-plane ring and inter-plane links: each satellite has 2 neighbours in its own
    # plane and one in each adjacent plane
    pl = lay.plane
    for n in range(0, P * S, max(1, P * S // 17)):
        nb = A[n].indices
        assert sorted(((pl[nb] - pl[n]) % P).tolist()) == sorted([0, 0, 1, P - 1])


def test_plus_grid_star_seam_has_no_links():
    P, S = 6, 11
    lay = WalkerLayout(P, S, 1, "star")
    e = plus_grid(lay)
    pl = lay.plane
    deg = np.bincount(e.ravel(), minlength=P * S)
    edge_planes = np.isin(pl, [0, P - 1])
    assert np.all(deg[edge_planes] == 3) and np.all(deg[~edge_planes] == 4)
    pa, pb = pl[e[:, 0]], pl[e[:, 1]]
    assert not np.any(((pa == 0) & (pb == P - 1)) | ((pa == P - 1) & (pb == 0)))
    assert len(e) == 2 * P * S - S


def test_plus_grid_star_seam_planes_counter_rotate():
    """Physical reason for the seam: across it the planes move in opposite directions."""
    con = _walker(66, 6, 1, star=True, alt=780, inc=86.4)
    lay = WalkerLayout.from_constellation(con)
    t = oc.to_time(EPOCH)
    r, v, _ = con.states_si(t, "gcrs")
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=1)[:, None]
    S = lay.per_plane
    # adjacent planes: angular momenta within ~30 deg; seam planes: nearly opposite
    assert float(h[0] @ h[S]) > 0.8
    assert float(h[0] @ h[(lay.planes - 1) * S]) < -0.8


def test_delta_wraparound_links_follow_the_phasing():
    """At the wrap-around, plane P-1 slot k links to plane 0 slot k+F: those links are as
    short as the ordinary inter-plane links; same-slot links (ignoring F) are longer."""
    P, S, F = 8, 10, 3
    con = _walker(P * S, P, F)
    lay = WalkerLayout.from_constellation(con)
    assert (lay.planes, lay.per_plane, lay.phasing, lay.pattern) == (P, S, F, "delta")
    e = plus_grid(lay)
    r = con.states_si(oc.to_time(EPOCH), "itrs")[0]
    pl = lay.plane
    length = np.linalg.norm(r[e[:, 0]] - r[e[:, 1]], axis=1)
    inter = pl[e[:, 0]] != pl[e[:, 1]]
    wrap = inter & ((pl[e[:, 0]] == 0) & (pl[e[:, 1]] == P - 1))
    ordinary = inter & ~wrap
    assert wrap.sum() == S
    # inter-plane lengths vary with latitude; the wrap links must lie in the same range
    assert length[wrap].max() <= length[ordinary].max() * (1 + 1e-6)
    naive = np.linalg.norm(r[lay.index(P - 1, np.arange(S))] - r[lay.index(0, np.arange(S))], axis=1)
    assert naive.max() > 1.2 * length[ordinary].max()


@pytest.mark.parametrize("star", [False, True])
@pytest.mark.parametrize("propagator", ["sgp4", "j2"])
def test_walker_layout_recovered_from_elements(star, propagator):
    con = _walker(84, 7, 2, star=star, propagator=propagator)
    lay = WalkerLayout.from_constellation(con)
    assert lay == WalkerLayout(7, 12, 2, "star" if star else "delta")
    assert np.array_equal(lay.plane, np.repeat(np.arange(7), 12))
    names = [f"{'WS' if star else 'WD'}-{j:02d}-{k:02d}" for j, k in zip(lay.plane, lay.slot)]
    assert list(con.names) == names


def test_walker_layout_refuses_non_walker_sets():
    con = oc.Constellation.keplerian(altitude=550 * u.km, inclination=53 * u.deg,
                                     raan=[0.0, 10.0, 25.0, 70.0] * u.deg, mean_anomaly=[0, 1, 2, 3] * u.deg,
                                     epoch=EPOCH)
    with pytest.raises(InputError, match="WalkerLayout"):
        WalkerLayout.from_constellation(con)
    with pytest.raises(InputError, match="phasing"):
        WalkerLayout(3, 4, 3)
    with pytest.raises(InputError, match="layout"):
        Network.plus_grid(_walker(12, 3, 1), layout=WalkerLayout(4, 4, 1))


# --------------------------------------------------------------------------- geometry
def test_segment_min_radius_matches_closed_form():
    rng = np.random.default_rng(7)
    n = 2000
    r1 = R_EARTH + rng.uniform(300e3, 2000e3, n)
    r2 = R_EARTH + rng.uniform(300e3, 2000e3, n)
    theta = rng.uniform(1e-3, np.pi - 1e-3, n)
    a = np.c_[r1, np.zeros(n), np.zeros(n)]
    b = np.c_[r2 * np.cos(theta), r2 * np.sin(theta), np.zeros(n)]
    # random rotation: the kernel must not depend on the frame
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    got = segment_min_radius_si(a @ q.T, b @ q.T)
    chord = np.sqrt(r1**2 + r2**2 - 2 * r1 * r2 * np.cos(theta))
    perp = r1 * r2 * np.sin(theta) / chord
    # the foot of the perpendicular is inside the segment iff both end angles are acute
    inside = (r1 * (r1 - r2 * np.cos(theta)) > 0) & (r2 * (r2 - r1 * np.cos(theta)) > 0)
    expect = np.where(inside, perp, np.minimum(r1, r2))
    assert inside.sum() > 1000
    np.testing.assert_allclose(got, expect, rtol=TOL_GEOM_REL)


@pytest.mark.parametrize("h_km,h_atm_km", [(550.0, 80.0), (1150.0, 80.0), (550.0, 0.0), (650.0, 100.0)])
def test_grazing_limit_and_max_isl_range(h_km, h_atm_km):
    r = R_EARTH + h_km * 1e3
    theta_max = 2 * np.arccos((R_EARTH + h_atm_km * 1e3) / r)
    pos = lambda a: r * np.array([np.cos(a), np.sin(a), 0.0])  # noqa: E731
    assert line_of_sight_si(pos(0), pos(theta_max * (1 - 1e-6)), h_atm_km * 1e3)
    assert not line_of_sight_si(pos(0), pos(theta_max * (1 + 1e-6)), h_atm_km * 1e3)
    d = max_isl_range(h_km * u.km, h_atm_km * u.km).m_as("m")
    assert d == pytest.approx(np.linalg.norm(pos(0) - pos(theta_max)), rel=TOL_GEOM_REL)
    assert d == pytest.approx(2 * np.sqrt(r**2 - (R_EARTH + h_atm_km * 1e3) ** 2), rel=TOL_GEOM_REL)


def test_nan_positions_have_no_links():
    assert not line_of_sight_si(np.array([np.nan, 0, 0]), np.array([7e6, 0, 0]))
    i, j, d = nearest_links_si(np.array([[np.nan, 0, 0], [7e6, 0, 0]]), np.array([[7e6, 1e5, 0]]), k=1)
    assert i.tolist() == [1] and j.tolist() == [0]


def test_nearest_links_match_brute_force():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(15, 3))
    a = (R_EARTH + 650e3) * a / np.linalg.norm(a, axis=1)[:, None]
    b = rng.normal(size=(200, 3))
    b = (R_EARTH + 550e3) * b / np.linalg.norm(b, axis=1)[:, None]
    k, rmax = 3, 3000e3
    i, j, d = nearest_links_si(a, b, k=k, max_range_m=rmax)
    got = set(zip(i.tolist(), j.tolist()))
    expect = set()
    for p in range(len(a)):
        dist = np.linalg.norm(b - a[p], axis=1)
        for q in np.argsort(dist)[:k]:
            if dist[q] <= rmax and line_of_sight_si(a[p], b[q]):
                expect.add((p, int(q)))
    assert got == expect and len(got) > 10
    np.testing.assert_allclose(d, np.linalg.norm(a[i] - b[j], axis=1), rtol=1e-12)
    # within one set: undirected, each pair once, no self links
    i2, j2, _ = nearest_links_si(a, k=2)
    assert np.all(i2 < j2) and len(set(zip(i2.tolist(), j2.tolist()))) == len(i2)


def test_isl_validity_by_range_and_line_of_sight():
    """A range limit below the in-plane spacing leaves only inter-plane links; a low
    shell with few satellites per plane loses in-plane links to the atmosphere."""
    con = _walker(60, 6, 1)  # 10 per plane: in-plane spacing 2 (R+h) sin(18 deg) ~ 4,280 km
    spacing = 2 * (R_EARTH + 550e3) * np.sin(np.pi / 10)
    r = con.states_si(oc.time_grid(EPOCH, "2026-06-21T00:10:00Z", step=300 * u.s), "itrs")[0]
    net = Network.plus_grid(con, max_isl_range=0.9 * spacing * u.m)
    valid, rng, rmin = net.isl_edges_si(r)
    pl = net.layout.plane
    intra = pl[net.links[:, 0]] == pl[net.links[:, 1]]
    assert not valid[:, intra].any()
    np.testing.assert_array_equal(valid[:, ~intra], rng[:, ~intra] <= 0.9 * spacing)
    # 5 per plane at 550 km: in-plane links 72 deg apart cut through the atmosphere
    con5 = _walker(30, 6, 1)
    net5 = Network.plus_grid(con5)
    r5 = con5.states_si(oc.to_time([EPOCH]), "itrs")[0]
    valid5, _, rmin5 = net5.isl_edges_si(r5)
    intra5 = net5.layout.plane[net5.links[:, 0]] == net5.layout.plane[net5.links[:, 1]]
    assert not valid5[:, intra5].any()
    expect_rmin = (R_EARTH + 550e3) * np.cos(np.radians(36.0))
    np.testing.assert_allclose(rmin5[:, intra5], expect_rmin, rtol=2e-3)  # SGP4 radius varies ~0.1 %


# --------------------------------------------------------------------------- ground attachment
def test_serving_satellite_matches_brute_force_look_angles():
    con = _walker(66, 6, 1)
    sites = oc.GroundSites.cities(limit=6)
    t = oc.time_grid(EPOCH, "2026-06-21T00:30:00Z", step=60 * u.s)
    el_min = 15.0
    idx, rng = serving_satellite(con, sites, t, min_elevation=el_min * u.deg)
    la = sites.look_angles(con, t)
    el = la.elevation.m_as("deg")  # (n_sat, n_site, n_time)
    rr = np.where(el >= el_min, la.range.m_as("km"), np.inf)
    best = rr.min(axis=0)
    vis = np.isfinite(best)
    assert vis.any() and (~vis).any()
    np.testing.assert_array_equal(idx >= 0, vis)
    np.testing.assert_allclose(rng.m[vis], best[vis], rtol=1e-9)
    np.testing.assert_array_equal(idx[vis], rr.argmin(axis=0)[vis])


def test_dwell_policy_picks_the_longest_remaining_visibility():
    con = _walker(132, 6, 1)
    sites = oc.GroundSites.cities(limit=3)
    t = oc.time_grid(EPOCH, "2026-06-21T01:00:00Z", step=30 * u.s)
    el_min = 20.0
    horizon = 3600.0
    idx_d, _ = serving_satellite(con, sites, t, min_elevation=el_min * u.deg)
    idx_w, rng_w = serving_satellite(con, sites, t, min_elevation=el_min * u.deg, attach="dwell",
                                     dwell_horizon=horizon * u.s)
    vis = sites.look_angles(con, t).elevation.m_as("deg") >= el_min  # (n_sat, n_site, n_time)
    n_t = len(t)
    # brute force remaining visibility (samples) within the window
    rem = np.zeros(vis.shape, int)
    for k in range(n_t - 1, -1, -1):
        rem[..., k] = np.where(vis[..., k], 1 + (rem[..., k + 1] if k + 1 < n_t else 0), 0)
    np.testing.assert_array_equal(idx_w >= 0, idx_d >= 0)
    g, k = np.nonzero(idx_w >= 0)
    assert np.all(rem[idx_w[g, k], g, k] == rem[:, g, k].max(axis=0))
    handovers = lambda ix: int(np.sum((ix[:, 1:] != ix[:, :-1]) & (ix[:, 1:] >= 0) & (ix[:, :-1] >= 0)))  # noqa: E731
    assert handovers(idx_w) < handovers(idx_d)


def test_route_input_errors():
    con = _walker(12, 3, 1)
    net = Network.plus_grid(con)
    s = oc.GroundSites.cities(limit=2)
    t = oc.time_grid(EPOCH, "2026-06-21T00:01:00Z", step=60 * u.s)
    with pytest.raises(InputError, match="min_elevation"):
        route(net, s, s, t)
    with pytest.raises(InputError, match="cluster"):
        route(net, "cluster", s, t, min_elevation=10 * u.deg)
    with pytest.raises(InputError, match="attach"):
        route(net, s, s, t, min_elevation=10 * u.deg, attach="longest")
    with pytest.raises(oc.UnitError):
        route(net, s, s, t, min_elevation=10)
    with pytest.raises(InputError, match="links"):
        Network.from_links(con, [[0, 99]])


def test_iter_routes_blocks_equal_one_block():
    con = _walker(66, 6, 1)
    net = Network.plus_grid(con)
    s = oc.GroundSites.cities(limit=5)
    t = oc.time_grid(EPOCH, "2026-06-21T00:10:00Z", step=60 * u.s)
    big = route(net, s, s, t, min_elevation=10 * u.deg)
    small = route(net, s, s, t, min_elevation=10 * u.deg, max_bytes=1)  # one time step per block
    np.testing.assert_array_equal(big.delay_s, small.delay_s)
    np.testing.assert_array_equal(big.hops, small.hops)
    assert big.shape == (5, 5, 11)
