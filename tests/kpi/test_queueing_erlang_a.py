"""Tests of Erlang A (M/M/n+M) and its incomplete-gamma kernel.

References: the birth-death chain of the queue truncated far in its tail and solved
in exact rationals (``fractions.Fraction``), a tagged-caller chain for the waiting
figures, a seeded discrete-event simulation, the Erlang B / C limits, and scipy's
incomplete gamma functions (skipped when scipy is absent).
"""

from __future__ import annotations

import heapq
import math
import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
from cskpi import (
    SERVICE_LEVEL_POLICIES,
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    erlang_a,
    erlang_a_abandonment_rate,
    erlang_a_asa,
    erlang_a_mean_wait,
    erlang_a_occupancy,
    erlang_a_service_level,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_service_level,
)
from cskpi._kpi.queueing.erlang_a import ERLANG_A_SERVICE_LEVEL_POLICIES
from cskpi._kpi.queueing.gamma import digamma, log_gamma1, regularized_gamma

# --------------------------------------------------------------------------- slow references


def exact_chain(traffic: float, agents: int, aht: float, patience: float, extra: int) -> list[Fraction]:
    """Stationary probabilities of 0..agents+extra callers in the system, exactly.

    Birth rate lambda = traffic / aht; death rate min(k, n) / aht + max(k - n, 0) / patience.
    The rates are taken as exact rationals of the float arguments; the chain is cut
    ``extra`` states above ``agents``, far beyond where the probabilities matter.
    """
    lam = Fraction(traffic) / Fraction(aht)
    mu, theta = 1 / Fraction(aht), 1 / Fraction(patience)
    weights = [Fraction(1)]
    for k in range(1, agents + extra + 1):
        death = min(k, agents) * mu + max(k - agents, 0) * theta
        weights.append(weights[-1] * lam / death)
    total = sum(weights)
    return [w / total for w in weights]


def exact_figures(
    traffic: float, agents: int, aht: float, patience: float, extra: int = 400
) -> dict[str, float]:
    """P(wait), P(abandon), ASA of answered calls, from the chain and a tagged caller.

    A caller arriving to k >= n callers has j = k - n ahead; from j ahead they move to
    j - 1 (or are answered from 0) at rate n mu + j theta, and abandon at rate theta.
    ``h_j`` = P(answered | j), ``u_j`` = E[wait; answered | j] by first-step analysis.
    """
    x = traffic * patience / aht
    extra = int(x + 30.0 * math.sqrt(x) + 150.0)
    pi = exact_chain(traffic, agents, aht, patience, extra)
    mu, theta = 1 / Fraction(aht), 1 / Fraction(patience)
    lam = Fraction(traffic) / Fraction(aht)
    p_wait = sum(pi[agents:])
    queue = sum((k - agents) * p for k, p in enumerate(pi) if k > agents)
    p_abandon = theta * queue / lam
    h_prev, answered_wait = Fraction(1), Fraction(0)
    u_prev, time_prev, mean_wait = Fraction(0), Fraction(0), Fraction(0)
    for j in range(extra + 1):
        move = agents * mu + j * theta
        rate = move + theta
        h = move / rate * h_prev
        u = h / rate + move / rate * u_prev
        time = 1 / rate + move / rate * time_prev  # E[time to answer or abandon | j ahead]
        answered_wait += pi[agents + j] * u
        mean_wait += pi[agents + j] * time
        h_prev, u_prev, time_prev = h, u, time
    carried = sum(min(k, agents) * p for k, p in enumerate(pi))  # mean busy agents
    return {
        "p_wait": float(p_wait),
        "p_abandon": float(p_abandon),
        "asa": float(answered_wait / (1 - p_abandon)),
        "mean_wait": float(mean_wait),
        "occupancy": float(carried / agents),
    }


def reference_within(
    traffic: float, agents: int, aht: float, patience: float, threshold: float
) -> tuple[float, float]:
    """P(answered within T) and P(abandoned within T) by uniformization of the tagged chain.

    States: j ahead (0..K), then absorbing 'answered' and 'abandoned'. Floats, with the
    Poisson weights summed until their remainder is below 1e-16.
    """
    extra = 300
    pi = [float(p) for p in exact_chain(traffic, agents, aht, patience, extra)]
    mu, theta = 1.0 / aht, 1.0 / patience
    size = extra + 3
    answered, abandoned = extra + 1, extra + 2
    rates = np.zeros((size, size))
    for j in range(extra + 1):
        rates[j, j - 1 if j else answered] = agents * mu + j * theta
        rates[j, abandoned] = theta
    np.fill_diagonal(rates, -rates.sum(axis=1))
    uniform = float(-rates.diagonal().min()) * 1.0001
    step = np.eye(size) + rates / uniform
    state = np.zeros(size)
    state[: extra + 1] = pi[agents:]
    state[answered] = sum(pi[:agents])  # answered at once
    # Uniformization over pieces of at most 20 expected jumps, so e^(-rate t) never underflows.
    pieces = max(1, math.ceil(uniform * threshold / 20.0))
    piece = threshold / pieces
    for _ in range(pieces):
        out = np.zeros(size)
        weight = math.exp(-uniform * piece)
        k, mass, vector = 0, weight, state
        while True:
            out += weight * vector
            k += 1
            weight *= uniform * piece / k
            mass += weight
            vector = vector @ step
            if 1.0 - mass < 1e-15 and k > uniform * piece:
                break
        state = out
    return float(state[answered]), float(state[abandoned])


def simulate(
    traffic: float, agents: int, aht: float, patience: float, threshold: float, calls: int, seed: int
) -> dict[str, np.ndarray]:
    """Discrete-event simulation of M/M/n+M, first come first served; per-call outcomes."""
    rng = np.random.default_rng(seed)
    lam = traffic / aht
    arrivals = np.cumsum(rng.exponential(1.0 / lam, calls))
    services = rng.exponential(aht, calls)
    patiences = rng.exponential(patience, calls)
    free_at: list[float] = [0.0] * agents  # heap of the instants agents become free
    heapq.heapify(free_at)
    waited = np.zeros(calls, dtype=bool)
    abandoned = np.zeros(calls, dtype=bool)
    within = np.zeros(calls, dtype=bool)
    # FCFS with abandonment: a caller is answered by the earliest-free agent if that comes
    # before their patience runs out; otherwise they leave and take no agent time.
    for i in range(calls):
        t = arrivals[i]
        start = max(t, free_at[0])
        wait = start - t
        waited[i] = wait > 0.0
        if wait > patiences[i]:
            abandoned[i] = True
            continue
        heapq.heapreplace(free_at, start + services[i])
        within[i] = wait <= threshold
    warm = calls // 10
    return {"waited": waited[warm:], "abandoned": abandoned[warm:], "within": within[warm:]}


# --------------------------------------------------------------------------- hand-computed values


def test_one_agent_hand_computed() -> None:
    # x = a = 1: pi_0 = 1/e, P(W > 0) = 1 - 1/e, P(Ab) = 1/e, E[W] = patience / e.
    kw = {"aht_seconds": 100.0, "patience_seconds": 100.0}
    assert erlang_a(1.0, 1, **kw) == pytest.approx(1.0 - 1.0 / math.e, rel=1e-14)
    assert erlang_a_abandonment_rate(1.0, 1, **kw) == pytest.approx(1.0 / math.e, rel=1e-14)
    assert erlang_a_mean_wait(1.0, 1, **kw) == pytest.approx(100.0 / math.e, rel=1e-14)
    assert erlang_a_occupancy(1.0, 1, **kw) == pytest.approx(1.0 - 1.0 / math.e, rel=1e-14)
    ein1 = sum((-1) ** (k + 1) / (k * math.factorial(k)) for k in range(1, 30))
    expected_asa = 100.0 * (ein1 - 1.0 + 1.0 / math.e) / (1.0 - 1.0 / math.e)
    assert erlang_a_asa(1.0, 1, **kw) == pytest.approx(expected_asa, rel=1e-12)


def test_no_traffic_and_no_agents() -> None:
    kw = {"aht_seconds": 180.0, "patience_seconds": 60.0}
    assert erlang_a(0.0, 3, **kw) == 0.0 and erlang_a_abandonment_rate(0.0, 3, **kw) == 0.0
    assert erlang_a_service_level(0.0, 3, threshold_seconds=20, **kw) == 1.0
    assert erlang_a_asa(0.0, 3, **kw) == 0.0 and erlang_a_occupancy(0.0, 3, **kw) == 0.0
    assert erlang_a(2.0, 0, **kw) == 1.0 and erlang_a_abandonment_rate(2.0, 0, **kw) == 1.0
    assert erlang_a_mean_wait(2.0, 0, **kw) == 60.0
    assert erlang_a_service_level(2.0, 0, threshold_seconds=20, **kw) == 0.0
    formula1 = erlang_a_service_level(2.0, 0, threshold_seconds=20, policy="abandoned_within_as_met", **kw)
    assert formula1 == pytest.approx(1.0 - math.exp(-20 / 60))
    with pytest.warns(UndefinedMetricWarning, match="no call is answered"):
        assert math.isnan(erlang_a_asa(2.0, 0, **kw))
    with pytest.warns(UndefinedMetricWarning, match="zero agents"):
        assert math.isnan(erlang_a_occupancy(2.0, 0, **kw))


def test_broadcasting_and_scalars() -> None:
    out = erlang_a([5.0, 10.0], [[6], [12]], aht_seconds=180, patience_seconds=[120.0, 240.0])
    assert out.shape == (2, 2)
    assert out[1, 0] == erlang_a(5.0, 12, aht_seconds=180, patience_seconds=120.0)
    assert isinstance(erlang_a(5.0, 6, aht_seconds=180, patience_seconds=120), float)


# --------------------------------------------------------------------------- exact references


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience"),
    [
        (1.0, 1, 100.0, 100.0),
        (10.0, 12, 180.0, 300.0),
        (10.0, 8, 180.0, 120.0),
        (25.0, 25, 240.0, 600.0),
        (4.5, 2, 300.0, 30.0),
        (30.0, 40, 60.0, 1200.0),
    ],
)
def test_matches_exact_chain(traffic: float, agents: int, aht: float, patience: float) -> None:
    exact = exact_figures(traffic, agents, aht, patience)
    kw = {"aht_seconds": aht, "patience_seconds": patience}
    assert erlang_a(traffic, agents, **kw) == pytest.approx(exact["p_wait"], rel=1e-12)
    assert erlang_a_abandonment_rate(traffic, agents, **kw) == pytest.approx(exact["p_abandon"], rel=1e-12)
    assert erlang_a_asa(traffic, agents, **kw) == pytest.approx(exact["asa"], rel=1e-11)
    assert erlang_a_mean_wait(traffic, agents, **kw) == pytest.approx(exact["mean_wait"], rel=1e-12)
    assert erlang_a_occupancy(traffic, agents, **kw) == pytest.approx(exact["occupancy"], rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.integers(1, 60).map(lambda x: x / 2),
    agents=st.integers(1, 40),
    aht=st.sampled_from([60.0, 180.0, 300.0]),
    patience=st.sampled_from([15.0, 90.0, 180.0, 600.0]),
)
def test_hypothesis_matches_exact_chain(traffic: float, agents: int, aht: float, patience: float) -> None:
    exact = exact_figures(traffic, agents, aht, patience)
    kw = {"aht_seconds": aht, "patience_seconds": patience}
    assert erlang_a(traffic, agents, **kw) == pytest.approx(exact["p_wait"], rel=1e-11, abs=1e-300)
    assert erlang_a_abandonment_rate(traffic, agents, **kw) == pytest.approx(exact["p_abandon"], rel=1e-10)
    assert erlang_a_asa(traffic, agents, **kw) == pytest.approx(exact["asa"], rel=1e-10)


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience", "threshold"),
    [
        (10.0, 12, 180.0, 300.0, 20.0),
        (10.0, 8, 180.0, 120.0, 30.0),
        (4.5, 2, 300.0, 30.0, 10.0),
        (25.0, 26, 240.0, 600.0, 60.0),
        (3.0, 5, 200.0, 50.0, 0.0),
    ],
)
def test_within_threshold_matches_tagged_chain(
    traffic: float, agents: int, aht: float, patience: float, threshold: float
) -> None:
    answered, abandoned = reference_within(traffic, agents, aht, patience, threshold)
    kw = {"aht_seconds": aht, "patience_seconds": patience, "threshold_seconds": threshold}
    formula3 = erlang_a_service_level(traffic, agents, **kw)
    formula1 = erlang_a_service_level(traffic, agents, policy="abandoned_within_as_met", **kw)
    formula2 = erlang_a_service_level(traffic, agents, policy="abandoned_ignored", **kw)
    formula4 = erlang_a_service_level(traffic, agents, policy="abandoned_within_ignored", **kw)
    formula5 = erlang_a_service_level(
        traffic, agents, policy="short_abandoned_as_met", short_abandon_seconds=threshold / 2, **kw
    )
    _, short = reference_within(traffic, agents, aht, patience, threshold / 2)
    p_ab = exact_figures(traffic, agents, aht, patience)["p_abandon"]
    assert formula3 == pytest.approx(answered, abs=1e-12)
    assert formula1 == pytest.approx(answered + abandoned, abs=1e-12)
    assert formula2 == pytest.approx(answered / (1 - p_ab), abs=1e-12)
    assert formula4 == pytest.approx(answered / (1 - abandoned), abs=1e-12)
    assert formula5 == pytest.approx(answered + short, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(
    traffic=st.integers(1, 30).map(lambda x: x / 2),
    agents=st.integers(1, 20),
    patience=st.sampled_from([20.0, 120.0, 400.0]),
    threshold=st.sampled_from([0.0, 10.0, 30.0, 90.0]),
)
def test_hypothesis_service_level_matches_tagged_chain(
    traffic: float, agents: int, patience: float, threshold: float
) -> None:
    answered, abandoned = reference_within(traffic, agents, 200.0, patience, threshold)
    kw = {"aht_seconds": 200.0, "patience_seconds": patience, "threshold_seconds": threshold}
    assert erlang_a_service_level(traffic, agents, **kw) == pytest.approx(answered, abs=1e-12)
    formula1 = erlang_a_service_level(traffic, agents, policy="abandoned_within_as_met", **kw)
    assert formula1 == pytest.approx(answered + abandoned, abs=1e-12)


def test_policies_are_service_level_names() -> None:
    assert set(ERLANG_A_SERVICE_LEVEL_POLICIES) <= set(SERVICE_LEVEL_POLICIES)


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(("traffic", "agents"), [(10.0, 14), (50.0, 56), (3.0, 4)])
def test_long_patience_tends_to_erlang_c(traffic: float, agents: int) -> None:
    gaps = []
    for patience in (1e3, 1e4, 1e5, 1e6):
        kw = {"aht_seconds": 180.0, "patience_seconds": patience}
        gaps.append(abs(erlang_a(traffic, agents, **kw) - erlang_c(traffic, agents)))
        sl_c = erlang_c_service_level(traffic, agents, aht_seconds=180, threshold_seconds=20)
        if patience == 1e6:
            assert erlang_a_service_level(traffic, agents, threshold_seconds=20, **kw) == pytest.approx(
                sl_c, abs=1e-3
            )
            # ASA approaches Erlang C's like 1 / patience (about 2e-3 relative here)
            assert erlang_a_asa(traffic, agents, **kw) == pytest.approx(
                erlang_c_asa(traffic, agents, aht_seconds=180), rel=5e-3
            )
            assert erlang_a_abandonment_rate(traffic, agents, **kw) < 1e-3
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-3


@pytest.mark.parametrize(("traffic", "agents"), [(10.0, 8), (10.0, 14), (2.0, 1), (100.0, 90)])
def test_short_patience_tends_to_erlang_b(traffic: float, agents: int) -> None:
    for patience, tolerance in ((1e-3, 1e-4), (1e-6, 1e-7)):
        kw = {"aht_seconds": 180.0, "patience_seconds": patience}
        blocking = erlang_b(traffic, agents)
        assert erlang_a_abandonment_rate(traffic, agents, **kw) == pytest.approx(blocking, abs=tolerance)
        assert erlang_a(traffic, agents, **kw) == pytest.approx(blocking, abs=tolerance)


def test_large_sizes_are_finite_and_ordered() -> None:
    traffic = np.array([1000.0, 4000.0, 5000.0, 5000.0])
    agents = np.array([1000, 4100, 4900, 5000])
    kw = {"aht_seconds": 300.0, "patience_seconds": np.array([60.0, 600.0, 120.0, 3000.0])}
    p_wait = erlang_a(traffic, agents, **kw)
    p_ab = erlang_a_abandonment_rate(traffic, agents, **kw)
    sl = erlang_a_service_level(traffic, agents, threshold_seconds=20, **kw)
    assert np.isfinite(p_wait).all() and np.isfinite(p_ab).all() and np.isfinite(sl).all()
    assert (p_ab <= p_wait).all() and (sl <= 1.0 - p_ab).all()
    assert (erlang_b(traffic, agents) <= p_wait).all()
    # carried load below the agents and below the offered traffic
    assert (traffic * (1 - p_ab) < agents).all()


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(0.5, 300.0),
    agents=st.integers(1, 320),
    patience=st.floats(5.0, 3000.0),
    threshold=st.floats(0.0, 120.0),
)
def test_monotone_in_agents_and_bounded(
    traffic: float, agents: int, patience: float, threshold: float
) -> None:
    kw = {"aht_seconds": 200.0, "patience_seconds": patience}
    n = np.array([agents, agents + 1])
    p_wait = erlang_a(traffic, n, **kw)
    p_ab = erlang_a_abandonment_rate(traffic, n, **kw)
    sl = erlang_a_service_level(traffic, n, threshold_seconds=threshold, **kw)
    occ = erlang_a_occupancy(traffic, n, **kw)
    for values in (p_wait, p_ab, sl, occ):
        assert ((values >= 0) & (values <= 1)).all()
    assert p_wait[1] <= p_wait[0] + 1e-12 and p_ab[1] <= p_ab[0] + 1e-12
    assert sl[1] >= sl[0] - 1e-12 and occ[1] <= occ[0] + 1e-12
    assert p_ab[0] <= p_wait[0] + 1e-15


# --------------------------------------------------------------------------- simulation


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience", "threshold", "seed"),
    [(10.0, 11, 180.0, 300.0, 20.0, 1), (20.0, 18, 240.0, 120.0, 30.0, 2), (5.0, 6, 300.0, 600.0, 15.0, 3)],
)
def test_simulation_falls_inside_confidence_intervals(
    traffic: float, agents: int, aht: float, patience: float, threshold: float, seed: int
) -> None:
    outcome = simulate(traffic, agents, aht, patience, threshold, calls=60_000, seed=seed)
    kw = {"aht_seconds": aht, "patience_seconds": patience}
    expected = {
        "waited": erlang_a(traffic, agents, **kw),
        "abandoned": erlang_a_abandonment_rate(traffic, agents, **kw),
        "within": erlang_a_service_level(traffic, agents, threshold_seconds=threshold, **kw),
    }
    for name, flags in outcome.items():
        # Calls are correlated in time: batch means over 30 batches give the standard error.
        batches = np.array_split(flags.astype(float), 30)
        means = np.array([batch.mean() for batch in batches])
        half = 3.5 * means.std(ddof=1) / math.sqrt(means.size)
        assert abs(flags.mean() - expected[name]) <= half, (name, flags.mean(), expected[name], half)


# --------------------------------------------------------------------------- incomplete gamma kernel


def test_incomplete_gamma_hand_values() -> None:
    # P(1, x) = 1 - e^-x; P(2, x) = 1 - (1 + x) e^-x; P(1/2, x) = erf(sqrt x).
    x = np.array([0.0, 0.3, 1.0, 2.5, 10.0, 40.0])
    p1, q1 = regularized_gamma(np.ones_like(x), x)
    np.testing.assert_allclose(p1, -np.expm1(-x), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(q1, np.exp(-x), rtol=1e-13)
    p2, _ = regularized_gamma(np.full_like(x, 2.0), x)
    np.testing.assert_allclose(p2, 1.0 - (1.0 + x) * np.exp(-x), rtol=1e-13, atol=1e-16)
    p_half, _ = regularized_gamma(np.full_like(x, 0.5), x)
    np.testing.assert_allclose(p_half, [math.erf(math.sqrt(v)) for v in x], rtol=1e-13)


def test_log_gamma_and_digamma_hand_values() -> None:
    a = np.array([0.0, 0.5, 1.0, 4.0, 20.0, 170.5, 1e5])
    np.testing.assert_allclose(log_gamma1(a), [math.lgamma(v + 1.0) for v in a], rtol=1e-14, atol=1e-14)
    euler = 0.5772156649015329
    z = np.array([1.0, 2.0, 0.5, 30.0])
    expected = [-euler, 1.0 - euler, -euler - 2.0 * math.log(2.0), sum(1.0 / k for k in range(1, 30)) - euler]
    np.testing.assert_allclose(digamma(z), expected, rtol=1e-14)


def test_incomplete_gamma_matches_scipy() -> None:
    special = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(7)
    a = np.exp(rng.uniform(math.log(1e-3), math.log(5e4), 5000))
    x = a * np.exp(rng.normal(0.0, 0.2, a.size)) * rng.choice([0.5, 1.0, 1.0, 2.0], a.size)
    p, q = regularized_gamma(a, x)
    p_ref, q_ref = special.gammainc(a, x), special.gammaincc(a, x)
    big_p, big_q = p_ref > 1e-30, q_ref > 1e-30
    assert np.max(np.abs(p[big_p] - p_ref[big_p]) / p_ref[big_p]) < 1e-11
    assert np.max(np.abs(q - q_ref)) < 1e-13
    assert (
        np.max(np.abs(q[big_q & (x >= a + 1)] - q_ref[big_q & (x >= a + 1)]) / q_ref[big_q & (x >= a + 1)])
        < 1e-11
    )


# pyworkforce 0.5.4 (github.com/rodrigo-arenas/pyworkforce, pyworkforce/queuing/abandonment.py)
# solves the same birth-death chain in pure Python with times in minutes; its
# ``average_speed_of_answer`` is the mean wait over all callers (cskpi's erlang_a_mean_wait).
# PyPI holds only 0.5.1, without ErlangA: install 0.5.4 from its repository to run this.
PYWORKFORCE_GRID = [
    # traffic, agents, aht [s], patience [s], threshold [s]
    (2.0, 3, 180.0, 120.0, 20.0),
    (10.0, 12, 180.0, 300.0, 20.0),
    (10.0, 9, 240.0, 60.0, 30.0),
    (50.0, 52, 240.0, 120.0, 20.0),
    (50.0, 45, 300.0, 600.0, 60.0),
    (100.0, 98, 300.0, 400.0, 30.0),
    (200.0, 196, 300.0, 400.0, 30.0),
]


@pytest.mark.parametrize(("traffic", "agents", "aht", "patience", "threshold"), PYWORKFORCE_GRID)
def test_pyworkforce_agreement_when_available(
    traffic: float, agents: int, aht: float, patience: float, threshold: float
) -> None:
    queuing = pytest.importorskip("pyworkforce.queuing")
    if not hasattr(queuing, "ErlangA"):
        pytest.skip("this pyworkforce has no ErlangA (0.5.4 from its repository has)")
    interval = 1800.0
    model: Any = queuing.ErlangA(
        transactions=traffic * interval / aht,
        aht=aht / 60,
        asa=threshold / 60,
        interval=interval / 60,
        patience=patience / 60,
    )
    kw = {"aht_seconds": aht, "patience_seconds": patience}
    assert erlang_a(traffic, agents, **kw) == pytest.approx(model.waiting_probability(agents), abs=1e-6)
    assert erlang_a_abandonment_rate(traffic, agents, **kw) == pytest.approx(
        model.abandonment_probability(agents), abs=1e-6
    )
    assert erlang_a_occupancy(traffic, agents, **kw) == pytest.approx(
        model.achieved_occupancy(agents), abs=1e-6
    )
    assert erlang_a_mean_wait(traffic, agents, **kw) / 60 == pytest.approx(
        model.average_speed_of_answer(agents), abs=1e-6
    )
    assert erlang_a_service_level(traffic, agents, threshold_seconds=threshold, **kw) == pytest.approx(
        model.service_level(agents, asa=threshold / 60), abs=1e-6
    )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"patience_seconds": 0.0}, InvalidInputError, "patience_seconds"),
        ({"patience_seconds": -5.0}, InvalidInputError, "patience_seconds"),
        ({"patience_seconds": math.inf}, InvalidInputError, "patience_seconds"),
        ({"patience_seconds": None}, InvalidTypeError, "patience_seconds"),
        ({"aht_seconds": 0.0}, InvalidInputError, "aht_seconds"),
        ({"agents": 2.5}, InvalidInputError, "agents"),
        ({"traffic": -1.0}, InvalidInputError, "traffic"),
        ({"threshold_seconds": -1.0}, InvalidInputError, "threshold_seconds"),
        ({"policy": "abandoned"}, InvalidInputError, "policy"),
        ({"patience_seconds": 1e300}, InvalidInputError, "patience_seconds / aht_seconds must be at most"),
        ({"policy": "short_abandoned_as_met"}, InvalidInputError, "short_abandon_seconds"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, Any], error: type[Exception], named: str) -> None:
    args: dict[str, Any] = {
        "traffic": 10.0,
        "agents": 12,
        "aht_seconds": 180.0,
        "patience_seconds": 120.0,
        "threshold_seconds": 20.0,
    }
    args.update(kwargs)
    with pytest.raises(error, match=named):
        erlang_a_service_level(args.pop("traffic"), args.pop("agents"), **args)


def test_public_names_exported() -> None:
    for name in (
        "erlang_a",
        "erlang_a_abandonment_rate",
        "erlang_a_service_level",
        "erlang_a_asa",
        "erlang_a_mean_wait",
        "erlang_a_occupancy",
    ):
        assert name in cskpi.__all__ and hasattr(cskpi, name)


# --------------------------------------------------------------------------- staffing with abandonment


def test_issue_case_staffs_below_the_traffic() -> None:
    # 200 Erlangs, AHT 300 s (1200 calls per half hour), mean patience 400 s, 80 % in 30 s:
    # Erlang A needs 197 agents, fewer than the traffic; a search starting at ceil(A) = 200
    # cannot find it. Erlang C needs 209.
    kw = {"aht_seconds": 300.0, "patience_seconds": 400.0, "threshold_seconds": 30.0}
    staffing = cskpi.agents_required(
        1200, 300, 1800, service_level=0.8, threshold_seconds=30, patience_seconds=400
    )
    assert staffing.agents == 197 < 200
    assert erlang_a_service_level(200.0, 197, **kw) >= 0.8 > erlang_a_service_level(200.0, 196, **kw)
    assert cskpi.agents_required(1200, 300, 1800, service_level=0.8, threshold_seconds=30).agents == 209
    assert staffing.service_level == erlang_a_service_level(200.0, 197, **kw)
    assert staffing.abandonment_rate == pytest.approx(
        erlang_a_abandonment_rate(200.0, 197, aht_seconds=300, patience_seconds=400), rel=1e-14
    )


def test_fractional_agents_interpolate_the_target() -> None:
    # Erlang C textbook: SL(13) = 0.79559, SL(14) = 0.88835 -> 13 + (0.8 - SL13) / (SL14 - SL13).
    sl13, sl14 = erlang_c_service_level(10.0, [13, 14], aht_seconds=180, threshold_seconds=20)
    staffing = cskpi.agents_required(100, 180, 1800, service_level=0.8, threshold_seconds=20)
    assert staffing.fractional_agents == pytest.approx(13 + (0.8 - sl13) / (sl14 - sl13), rel=1e-13)
    # Erlang A: the same rule on the Erlang A service level.
    kw = {"aht_seconds": 300.0, "patience_seconds": 400.0, "threshold_seconds": 30.0}
    low, high = erlang_a_service_level(200.0, [196, 197], **kw)
    staffing = cskpi.agents_required(
        1200, 300, 1800, service_level=0.8, threshold_seconds=30, patience_seconds=400
    )
    assert staffing.fractional_agents == pytest.approx(196 + (0.8 - low) / (high - low), rel=1e-13)
    # ASA target with an unstable Erlang C queue at n - 1: the rule gives n itself.
    assert cskpi.agents_required_for_asa(0.5, 1800, 1800, asa_seconds=1e6).fractional_agents == 1.0


def test_max_abandonment_binds_and_needs_patience() -> None:
    base = cskpi.agents_required(
        1200, 300, 1800, service_level=0.5, threshold_seconds=30, patience_seconds=400
    )
    capped = cskpi.agents_required(
        1200, 300, 1800, service_level=0.5, threshold_seconds=30, patience_seconds=400, max_abandonment=0.01
    )
    kw = {"aht_seconds": 300.0, "patience_seconds": 400.0}
    assert capped.agents > base.agents
    assert erlang_a_abandonment_rate(200.0, capped.agents, **kw) <= 0.01
    assert erlang_a_abandonment_rate(200.0, capped.agents - 1, **kw) > 0.01
    with pytest.raises(InvalidInputError, match="max_abandonment needs patience_seconds"):
        cskpi.agents_required(100, 180, 1800, service_level=0.8, threshold_seconds=20, max_abandonment=0.05)
    with pytest.raises(InvalidInputError, match="max_abandonment"):
        cskpi.agents_required(
            100, 180, 1800, service_level=0.8, threshold_seconds=20, patience_seconds=60, max_abandonment=0.0
        )


staffing_a_cases = st.tuples(
    st.lists(st.floats(0.0, 3000.0), min_size=1, max_size=8),
    st.floats(0.05, 0.95),
    st.sampled_from([0.0, 20.0, 60.0]),
    st.floats(10.0, 2000.0),
    st.one_of(st.none(), st.floats(0.01, 0.3)),
    st.one_of(st.none(), st.floats(0.6, 0.99)),
)


@settings(max_examples=40, deadline=None)
@given(case=staffing_a_cases)
def test_erlang_a_staffing_is_minimal(case: tuple[list[float], float, float, float, Any, Any]) -> None:
    calls, target, threshold, patience, max_ab, max_occ = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # occupancy of an interval without calls
        staffing = cskpi.agents_required(
            calls,
            240,
            1800,
            service_level=target,
            threshold_seconds=threshold,
            patience_seconds=patience,
            max_abandonment=max_ab,
            max_occupancy=max_occ,
        )
    traffic = np.asarray(calls) * 240 / 1800
    kw = {"aht_seconds": 240.0, "patience_seconds": patience}

    def meets(n: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            ok = erlang_a_service_level(traffic, n, threshold_seconds=threshold, **kw) >= target
            if max_ab is not None:
                ok &= erlang_a_abandonment_rate(traffic, n, **kw) <= max_ab
            if max_occ is not None:
                ok &= erlang_a_occupancy(traffic, n, **kw) <= max_occ  # NaN (no agents) fails
        return ok

    n = staffing.agents
    busy = traffic > 0
    assert (n[~busy] == 0).all() and (n[busy] >= 1).all()
    assert meets(n)[busy].all()
    below = n - 1
    assert not meets(np.maximum(below, 0))[busy & (below >= 1)].any()
    frac = staffing.fractional_agents
    assert ((frac[busy] > n[busy] - 1) & (frac[busy] <= n[busy])).all()


@settings(max_examples=30, deadline=None)
@given(
    calls=st.lists(st.floats(1.0, 2000.0), min_size=1, max_size=6),
    asa=st.floats(1.0, 120.0),
    patience=st.floats(30.0, 1200.0),
)
def test_erlang_a_asa_staffing_is_minimal(calls: list[float], asa: float, patience: float) -> None:
    staffing = cskpi.agents_required_for_asa(calls, 180, 1800, asa_seconds=asa, patience_seconds=patience)
    traffic = np.asarray(calls) * 180 / 1800
    kw = {"aht_seconds": 180.0, "patience_seconds": patience}
    n = staffing.agents
    assert (erlang_a_asa(traffic, n, **kw) <= asa).all()
    below = n - 1
    if (below >= 1).any():
        assert not (erlang_a_asa(traffic[below >= 1], below[below >= 1], **kw) <= asa).any()


@pytest.mark.filterwarnings("ignore:occupancy is undefined")  # the interval without calls
def test_vectorised_staffing_equals_per_interval() -> None:
    calls = np.array([10.0, 150.0, 900.0, 4000.0, 0.0])
    args = {"service_level": 0.8, "threshold_seconds": 20, "patience_seconds": 300.0, "max_abandonment": 0.05}
    together = cskpi.agents_required(calls, 240, 1800, **args)
    for i, c in enumerate(calls):
        alone = cskpi.agents_required(float(c), 240, 1800, **args)
        assert alone.agents == together.agents[i]
        assert alone.fractional_agents == together.fractional_agents[i]


# --------------------------------------------------------------------------- Erlang B accuracy claim


def test_erlang_b_relative_error_against_40_digits() -> None:
    # The documented accuracy of erlang_b: relative error below 5e-14 wherever B >= 1e-30.
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    rng = np.random.default_rng(12)
    servers = np.round(np.exp(rng.uniform(0.0, math.log(1e5), 300))).astype(np.int64)
    traffic = np.maximum(np.round(servers * rng.uniform(0.2, 2.0, servers.size), 2), 0.01)
    servers = np.append(servers, [1476, 2472, 556])  # pairs where the direct deviance lost 1e-13
    traffic = np.append(traffic, [1129.72, 1971.7, 415.54])
    got = erlang_b(traffic, servers)
    for a, n, value in zip(traffic.tolist(), servers.tolist(), got.tolist(), strict=True):
        big_a = mpmath.mpf(a)
        pmf = mpmath.exp(-big_a + n * mpmath.log(big_a) - mpmath.loggamma(n + 1))
        exact = pmf / mpmath.gammainc(n + 1, big_a, mpmath.inf, regularized=True)
        if exact >= mpmath.mpf("1e-30"):
            assert abs((mpmath.mpf(value) - exact) / exact) < 5e-14, (n, a)


# --------------------------------------------------------------------------- Erlang B companions


def test_erlang_b_companions_hand_computed() -> None:
    # B(2, 1) = 0.2: carried 0.8 Erlangs, occupancy 0.4; B(1, A) = A / (1 + A).
    assert cskpi.erlang_b_carried_traffic(1.0, 2) == pytest.approx(0.8, rel=1e-15)
    assert cskpi.erlang_b_occupancy(1.0, 2) == pytest.approx(0.4, rel=1e-15)
    assert cskpi.erlang_b_traffic(1, max_blocking=0.25) == pytest.approx(1.0 / 3.0, rel=1e-14)
    assert cskpi.erlang_b_traffic(0, max_blocking=0.25) == 0.0
    assert cskpi.erlang_b_carried_traffic(5.0, 0) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="zero servers"):
        assert math.isnan(cskpi.erlang_b_occupancy(5.0, 0))


@settings(max_examples=60, deadline=None)
@given(servers=st.integers(1, 20_000), target=st.floats(1e-8, 0.95))
def test_erlang_b_traffic_inverts_erlang_b(servers: int, target: float) -> None:
    traffic = cskpi.erlang_b_traffic(servers, max_blocking=target)
    # Relative conditioning: d log B / d log A = N - A + A B, so a one-ulp traffic moves B by that many ulps.
    slack = 1e-13 * max(1.0, servers - traffic * (1.0 - target))
    assert erlang_b(traffic, servers) == pytest.approx(target, rel=slack)
    assert cskpi.lines_required(traffic * (1 - 1e-9), max_blocking=target) <= servers


def test_erlang_b_table_capacity() -> None:
    # Erlang B table (e.g. Cooper 1981, table; erlang.com): 10 lines at 1 % carry 4.46 Erlangs
    # offered, 18 lines 10.44, 50 lines 37.90.
    got = cskpi.erlang_b_traffic(np.array([10, 18, 50]), max_blocking=0.01)
    np.testing.assert_allclose(got, [4.46, 10.44, 37.90], atol=0.006)


def test_square_root_staffing_against_exact_erlang_c() -> None:
    # beta = 1: P(W > 0) = 1 / (1 + Phi(1) / phi(1)) by the normal law from math.erf.
    phi = math.exp(-0.5) / math.sqrt(2 * math.pi)
    big_phi = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    target = 1 / (1 + big_phi / phi)
    assert cskpi.square_root_staffing(400.0, probability_of_waiting=target) == pytest.approx(420.0, rel=1e-12)
    for traffic in (1.0, 5.0, 20.0, 100.0, 500.0, 1000.0):
        for alpha in (0.05, 0.2, 0.5, 0.8):
            estimate = math.ceil(cskpi.square_root_staffing(traffic, probability_of_waiting=alpha))
            exact = math.floor(traffic) + 1
            while erlang_c(traffic, exact) > alpha:
                exact += 1
            assert exact - 1 <= estimate <= exact, (traffic, alpha, estimate, exact)


def test_patience_load_limit_in_staffing() -> None:
    with pytest.raises(InvalidInputError, match=r"at most 1e\+10"):
        cskpi.agents_required(
            [100, 1e6], 180, 1800, service_level=0.8, threshold_seconds=20, patience_seconds=1e12
        )


def _log_chain_figures(traffic: float, agents: int, aht: float, patience: float) -> tuple[float, float]:
    """P(wait) and P(abandon) from the birth-death chain in log space (floats, numpy).

    Independent of the incomplete gamma kernel: log pi_k by cumulative sums of the log
    birth/death ratios, normalised by log-sum-exp, cut 40 standard deviations above the
    queue's mean.
    """
    x = traffic * patience / aht
    top = agents + int(x + 40.0 * math.sqrt(x) + 200.0)
    k = np.arange(1, top + 1, dtype=np.float64)
    death = np.minimum(k, agents) / aht + np.maximum(k - agents, 0.0) / patience
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(traffic / aht) - np.log(death))])
    log_pi -= log_pi.max()
    weights = np.exp(log_pi)
    weights /= math.fsum(weights)
    p_wait = math.fsum(weights[agents:])
    queue = math.fsum(np.arange(top - agents + 1) * weights[agents:])
    return p_wait, queue / patience / (traffic / aht)


@pytest.mark.parametrize(
    ("traffic", "agents", "patience"),
    [
        (5000.0, 5000, 600.0),
        (5000.0, 4800, 3000.0),
        (4000.0, 4100, 60.0),
        (1000.0, 900, 1500.0),
        (2000.0, 2100, 10.0),
    ],
)
def test_large_sizes_match_log_space_chain(traffic: float, agents: int, patience: float) -> None:
    p_wait, p_abandon = _log_chain_figures(traffic, agents, 300.0, patience)
    kw = {"aht_seconds": 300.0, "patience_seconds": patience}
    assert erlang_a(traffic, agents, **kw) == pytest.approx(p_wait, rel=1e-11)
    assert erlang_a_abandonment_rate(traffic, agents, **kw) == pytest.approx(p_abandon, rel=1e-11)


def test_square_root_staffing_with_patience_against_exact_erlang_a() -> None:
    # Garnett's limit tends to Halfin-Whitt's as the patience grows.
    hw = cskpi.square_root_staffing(300.0, probability_of_waiting=0.3)
    long = cskpi.square_root_staffing(
        300.0, probability_of_waiting=0.3, patience_seconds=1e12, aht_seconds=180
    )
    assert long == pytest.approx(hw, rel=1e-6)
    for traffic in (50.0, 200.0, 1000.0):
        for patience in (30.0, 400.0):
            for alpha in (0.2, 0.8):
                estimate = math.ceil(
                    cskpi.square_root_staffing(
                        traffic, probability_of_waiting=alpha, patience_seconds=patience, aht_seconds=180
                    )
                )
                low, high = 0, int(2 * traffic + 100)  # exact: smallest N with P(W > 0) <= alpha
                while high - low > 1:
                    middle = (low + high) // 2
                    if erlang_a(traffic, middle, aht_seconds=180, patience_seconds=patience) <= alpha:
                        high = middle
                    else:
                        low = middle
                assert high - 3 <= estimate <= high, (traffic, patience, alpha, estimate, high)
    # With abandonment the estimate can lie below the traffic (beta < 0).
    assert (
        cskpi.square_root_staffing(200.0, probability_of_waiting=0.8, patience_seconds=60, aht_seconds=300)
        < 200
    )
    with pytest.raises(InvalidInputError, match="aht_seconds must be given"):
        cskpi.square_root_staffing(200.0, probability_of_waiting=0.8, patience_seconds=60)
