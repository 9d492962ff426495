"""Tests of Erlang B / C, the Erlang C forecasts and staffing.

Published values come from Call Centre Helper's worked Erlang C example and from the
erlang.com calculator manual and forum (Erlang B); the slow references below use
exact rational arithmetic (``fractions.Fraction``).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    Staffing,
    UndefinedMetricWarning,
    UnstableQueueWarning,
    agents_required,
    agents_required_for_asa,
    erlang_b,
    erlang_c,
    erlang_c_answer_time,
    erlang_c_asa,
    erlang_c_occupancy,
    erlang_c_service_level,
    lines_required,
    scheduled_agents,
    traffic_intensity,
)
from helpers import read_only

# --------------------------------------------------------------------------- slow references


def exact_erlang_b(traffic: float, servers: int) -> Fraction:
    """``(A^N / N!) / sum_k A^k / k!`` in exact rationals (the float traffic taken exactly)."""
    a = Fraction(traffic)
    term = Fraction(1)
    total = Fraction(1)
    for k in range(1, servers + 1):
        term = term * a / k
        total += term
    return term / total


def exact_erlang_c(traffic: float, agents: int) -> Fraction:
    """Erlang C from its textbook definition, exactly: last term weighted by N / (N - A)."""
    a = Fraction(traffic)
    term = Fraction(1)
    below = Fraction(0)
    for k in range(agents):
        below += term
        term = term * a / (k + 1)
    top = term * agents / (agents - a)
    return top / (below + top)


def loop_erlang_b(traffic: float, servers: int) -> float:
    """The textbook forward recursion in floats (stable, but one Python step per server)."""
    b = 1.0
    for n in range(1, servers + 1):
        b = traffic * b / (n + traffic * b)
    return b


traffics = st.floats(0.01, 60.0, allow_nan=False)
small_counts = st.integers(0, 90)


# --------------------------------------------------------------------------- traffic


def test_traffic_intensity_hand_computed() -> None:
    # 100 calls * 180 s / 1800 s = 10 Erlangs; 360 * 240 / 1800 = 48.
    assert traffic_intensity(100, aht_seconds=180, interval_seconds=1800) == 10.0
    out = traffic_intensity([100, 360], aht_seconds=[180, 240], interval_seconds=1800)
    np.testing.assert_allclose(out, [10.0, 48.0])


# --------------------------------------------------------------------------- published examples


def test_textbook_erlang_c_example() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example":
    # 100 calls per 30 minutes, AHT 180 s -> A = 10 Erlangs; 80% within 20 s needs 14
    # agents (13 fall short); P(wait) 17.4%, service level 88.8%, ASA 7.8 s; with 30%
    # shrinkage 14 / 0.7 = 20 agents are scheduled; the 85% occupancy cap (10 / 14 =
    # 71%) does not bind.
    s = agents_required(
        100, 180, 1800, service_level=0.8, threshold_seconds=20, max_occupancy=0.85, shrinkage=0.3
    )
    assert s.traffic == 10.0
    assert s.agents == 14
    assert s.scheduled_agents == 20
    assert s.service_level == pytest.approx(0.888, abs=5e-4)
    assert s.probability_of_waiting == pytest.approx(0.174, abs=5e-4)
    assert s.asa_seconds == pytest.approx(7.8, abs=0.05)
    assert s.occupancy == pytest.approx(10 / 14)
    assert isinstance(s.agents, int) and isinstance(s.service_level, float)
    assert erlang_c_service_level(10.0, 13, aht_seconds=180, threshold_seconds=20) < 0.8


def test_textbook_forecasts_agree_with_staffing() -> None:
    # ASA = C * AHT / (N - A) = 0.17413 * 180 / 4 = 7.836 s; SL = 1 - C e^{-4 * 20 / 180}.
    c = erlang_c(10.0, 14)
    assert c == pytest.approx(0.1741319336, rel=1e-9)
    assert erlang_c_asa(10.0, 14, aht_seconds=180) == pytest.approx(c * 180 / 4)
    assert erlang_c_service_level(10.0, 14, aht_seconds=180, threshold_seconds=20) == pytest.approx(
        1 - c * math.exp(-4 * 20 / 180)
    )
    assert erlang_c_occupancy(10.0, 14) == pytest.approx(10 / 14)


def test_erlang_b_erlang_com_trunk_capacity() -> None:
    # erlang.com calculator manual, "How much traffic can a trunk group handle?": 15 lines
    # at 1% blocking carry at most 8.108 Erlangs (the answer truncated to 3 decimals).
    assert erlang_b(8.108, 15) <= 0.01 < erlang_b(8.109, 15)
    assert lines_required(8.108, max_blocking=0.01) == 15


def test_erlang_b_erlang_com_lines_examples() -> None:
    # erlang.com forum "Trunk Engineering": 1200 calls per busy hour = 1200 / 36 = 33.333
    # Erlangs, 1% blocking -> 45 lines.
    assert lines_required(1200 / 36, max_blocking=0.01) == 45
    # erlang.com calculator manual, "How many lines": 50,000 minutes a day, 19% in the
    # busy hour -> 158.333 Erlangs; 3% blocking -> 168 lines.
    assert lines_required(50_000 * 0.19 / 60, max_blocking=0.03) == 168


def test_erlang_b_table_row() -> None:
    # Standard Erlang B tables (e.g. the appendix "Table of Erlang B" in Carrier Grade
    # Voice over IP, 2nd ed., via GlobalSpec) list, at 1% blocking, 1.4 Erlangs for 5
    # channels and 3.8 for 9 channels (rounded to 0.1).
    assert erlang_b(1.36, 5) <= 0.01 < erlang_b(1.37, 5)
    assert erlang_b(3.78, 9) <= 0.01 < erlang_b(3.79, 9)


# --------------------------------------------------------------------------- hand-computed values


def test_erlang_b_hand_computed() -> None:
    # B(1, A) = A / (1 + A); B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2; B(3, 2) =
    # (8/6) / (1 + 2 + 2 + 8/6) = (4/3) / (19/3) = 4/19.
    assert erlang_b(3.0, 1) == pytest.approx(0.75)
    assert erlang_b(1.0, 2) == pytest.approx(0.2)
    assert erlang_b(2.0, 3) == pytest.approx(4 / 19)
    assert erlang_b(5.0, 0) == 1.0  # no server: every call is lost
    assert erlang_b(0.0, 3) == 0.0  # no traffic: nothing is lost
    assert erlang_b(0.0, 0) == 1.0  # the recursion's B(0) = 1


def test_erlang_c_hand_computed() -> None:
    # One agent: C = A (the M/M/1 utilisation). Two agents, one Erlang: B = 0.2,
    # C = 2 * 0.2 / (2 - 1 * 0.8) = 1/3.
    assert erlang_c(0.3, 1) == pytest.approx(0.3)
    assert erlang_c(1.0, 2) == pytest.approx(1 / 3)
    assert erlang_c(0.0, 2) == 0.0


def test_mm1_forecasts_hand_computed() -> None:
    # M/M/1 with rho = 0.5, AHT 100 s: ASA = rho / (1 - rho) * AHT = 100 s; the wait of a
    # delayed call is exponential with rate (1 - 0.5) / 100, so P(W <= 60) = 1 - 0.5 e^{-0.3}.
    assert erlang_c_asa(0.5, 1, aht_seconds=100) == pytest.approx(100.0)
    assert erlang_c_service_level(0.5, 1, aht_seconds=100, threshold_seconds=60) == pytest.approx(
        1 - 0.5 * math.exp(-0.3)
    )
    # 90th percentile: t = 100 / 0.5 * ln(0.5 / 0.1) = 200 ln 5 = 321.89 s.
    assert erlang_c_answer_time(0.5, 1, aht_seconds=100, quantile=0.9) == pytest.approx(200 * math.log(5))
    assert erlang_c_answer_time(0.5, 1, aht_seconds=100, quantile=0.4) == 0.0  # half answered at once
    assert erlang_c_answer_time(0.5, 1, aht_seconds=100, quantile=1.0) == math.inf


def test_lines_and_scheduled_hand_computed() -> None:
    # B(1, 1) = 0.5 <= 0.5 -> 1 line; B(2, 1) = 0.2 -> 2 lines for 20%; B(1, 1) > 0.2.
    assert lines_required(1.0, max_blocking=0.5) == 1
    assert lines_required(1.0, max_blocking=0.2) == 2
    assert lines_required(0.0, max_blocking=0.01) == 0
    assert lines_required(5.0, max_blocking=1.0) == 0  # everything may be lost
    # 14 / 0.7 is 20.000000000000004 in floats: still 20; 15 / 0.7 = 21.43 -> 22.
    assert scheduled_agents(14, shrinkage=0.3) == 20
    assert scheduled_agents([15, 0], shrinkage=0.3).tolist() == [22, 0]
    assert scheduled_agents(7, shrinkage=0.0) == 7


def test_agents_required_for_asa_hand_computed() -> None:
    # 10 Erlangs, AHT 180 s: C(13) = 0.28527, ASA(13) = 0.28527 * 180 / 3 = 17.1 s; ASA(14) = 7.84 s.
    asa13 = erlang_c_asa(10.0, 13, aht_seconds=180)
    assert asa13 == pytest.approx(17.1, abs=0.05)
    s = agents_required_for_asa(100, 180, 1800, asa_seconds=10, threshold_seconds=20)
    assert s.agents == 14
    assert s.asa_seconds == pytest.approx(erlang_c_asa(10.0, 14, aht_seconds=180))
    assert s.service_level == pytest.approx(
        erlang_c_service_level(10.0, 14, aht_seconds=180, threshold_seconds=20)
    )
    # (a hair above ASA(13): an exact tie is decided by rounding)
    assert agents_required_for_asa(100, 180, 1800, asa_seconds=asa13 * (1 + 1e-9)).agents == 13
    assert agents_required_for_asa(100, 180, 1800, asa_seconds=10).service_level is None


def test_max_occupancy_binds_when_given() -> None:
    # 1000 calls / 30 min at 180 s = 100 Erlangs: 80/20 needs 106 agents (occupancy 94%);
    # a cap of 85% requires ceil(100 / 0.85) = 118.
    free = agents_required(1000, 180, 1800, service_level=0.8, threshold_seconds=20)
    capped = agents_required(1000, 180, 1800, service_level=0.8, threshold_seconds=20, max_occupancy=0.85)
    assert free.agents < 118 and free.occupancy > 0.85  # no hidden cap
    assert capped.agents == 118
    # 8 Erlangs at 80%: 8 / 0.8 = 10.000000000000002 in floats, still 10 agents.
    assert (
        agents_required(80, 180, 1800, service_level=0.0, threshold_seconds=20, max_occupancy=0.8).agents
        == 10
    )


def test_zero_traffic_interval() -> None:
    with pytest.warns(UndefinedMetricWarning, match="zero agents"):
        s = agents_required([0, 100], 180, 1800, service_level=0.8, threshold_seconds=20)
    assert s.agents.tolist() == [0, 14]
    assert s.probability_of_waiting[0] == 0.0 and s.service_level[0] == 1.0 and s.asa_seconds[0] == 0.0
    assert math.isnan(s.occupancy[0])


# --------------------------------------------------------------------------- unstable queues


def test_unstable_queue_returns_limits_with_warning() -> None:
    with pytest.warns(UnstableQueueWarning, match="agents <= traffic"):
        assert erlang_c(10.0, 10) == 1.0
    with pytest.warns(UnstableQueueWarning):
        c = erlang_c([5.0, 10.0, 20.0], 10)
    assert c[1:].tolist() == [1.0, 1.0] and c[0] < 1.0
    with pytest.warns(UnstableQueueWarning):
        assert erlang_c_service_level(12.0, 10, aht_seconds=180, threshold_seconds=20) == 0.0
    with pytest.warns(UnstableQueueWarning):
        assert erlang_c_asa(12.0, 10, aht_seconds=180) == math.inf
    with pytest.warns(UnstableQueueWarning):
        assert erlang_c_answer_time(12.0, 10, aht_seconds=180, quantile=0.5) == math.inf
    with pytest.warns(UnstableQueueWarning):
        assert erlang_c_occupancy(12.0, 10) == 1.0
    with pytest.warns(UnstableQueueWarning):
        assert erlang_c(5.0, 0) == 1.0
    assert issubclass(UnstableQueueWarning, UndefinedMetricWarning)


def test_occupancy_with_no_agents_is_undefined() -> None:
    with pytest.warns(UndefinedMetricWarning, match="zero agents"):
        assert math.isnan(erlang_c_occupancy(0.0, 0))


# --------------------------------------------------------------------------- size and stability


@pytest.mark.parametrize(
    ("traffic", "servers"), [(99_000.0, 100_000), (100_000.0, 100_000), (101_500.0, 100_000)]
)
def test_erlang_b_stable_at_100000_servers(traffic: float, servers: int) -> None:
    # A naive A**N / N! overflows long before this; the float recursion is the reference.
    assert erlang_b(traffic, servers) == pytest.approx(loop_erlang_b(traffic, servers), rel=1e-10)


def test_erlang_c_stable_at_large_sizes() -> None:
    n = np.array([5_001, 5_100, 50_200, 100_400])
    a = np.array([5_000.0, 5_000.0, 50_000.0, 100_000.0])
    c = erlang_c(a, n)
    b = np.array([loop_erlang_b(x, int(k)) for x, k in zip(a, n, strict=True)])
    np.testing.assert_allclose(c, n * b / (n - a * (1 - b)), rtol=1e-10)
    assert np.all((c > 0) & (c < 1))


def test_tiny_blocking_underflows_gracefully() -> None:
    b = erlang_b(1.0, 500)  # 1 / 500! is far below the smallest float
    c = erlang_c(1.0, 500)
    assert b == 0.0 and c == 0.0


# --------------------------------------------------------------------------- references and properties


@settings(max_examples=150, deadline=None)
@given(traffic=traffics, servers=small_counts)
def test_erlang_b_matches_exact_rationals(traffic: float, servers: int) -> None:
    assert erlang_b(traffic, servers) == pytest.approx(
        float(exact_erlang_b(traffic, servers)), rel=1e-12, abs=1e-300
    )


@settings(max_examples=150, deadline=None)
@given(traffic=traffics, extra=st.integers(1, 60))
def test_erlang_c_matches_exact_rationals(traffic: float, extra: int) -> None:
    agents = math.floor(traffic) + extra
    expected = float(exact_erlang_c(traffic, agents))
    assert erlang_c(traffic, agents) == pytest.approx(expected, rel=1e-11, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.lists(st.floats(0.0, 3000.0), min_size=1, max_size=20),
    servers=st.lists(st.integers(0, 3500), min_size=1, max_size=20),
)
def test_erlang_b_array_matches_scalar_recursion(traffic: list[float], servers: list[int]) -> None:
    size = min(len(traffic), len(servers))
    a, n = np.array(traffic[:size]), np.array(servers[:size])
    expected = [loop_erlang_b(x, int(k)) for x, k in zip(a, n, strict=True)]
    np.testing.assert_allclose(erlang_b(a, n), expected, rtol=1e-11, atol=1e-300)


@settings(max_examples=100, deadline=None)
@given(traffic=st.floats(0.0, 500.0), agents=st.integers(0, 600))
def test_blocking_below_waiting_below_one_and_decreasing(traffic: float, agents: int) -> None:
    n = np.array([agents, agents + 1])
    b = erlang_b(traffic, n)
    stable = agents > traffic
    if stable:
        c = erlang_c(traffic, n)
    else:
        with pytest.warns(UnstableQueueWarning):
            c = erlang_c(traffic, n)
    assert np.all((b >= 0) & (b <= c * (1 + 1e-12)) & (c <= 1))
    assert b[1] <= b[0] and c[1] <= c[0]


@settings(max_examples=100, deadline=None)
@given(
    traffic=st.floats(0.1, 400.0),
    extra=st.integers(1, 40),
    aht=st.floats(10.0, 900.0),
    thresholds=st.tuples(st.floats(0.0, 300.0), st.floats(0.0, 300.0)),
)
def test_service_level_increases_with_agents_and_threshold(
    traffic: float, extra: int, aht: float, thresholds: tuple[float, float]
) -> None:
    n = math.floor(traffic) + extra
    low, high = sorted(thresholds)
    sl = erlang_c_service_level(traffic, [[n], [n + 1]], aht_seconds=aht, threshold_seconds=[low, high])
    assert np.all((sl >= 0) & (sl <= 1))
    assert np.all(sl[1] >= sl[0])  # one more agent
    assert np.all(sl[:, 1] >= sl[:, 0])  # a longer threshold
    asa = erlang_c_asa(traffic, [n, n + 1], aht_seconds=aht)
    assert asa[1] <= asa[0]


@settings(max_examples=100, deadline=None)
@given(traffic=st.floats(0.1, 400.0), extra=st.integers(1, 40), q=st.floats(0.0, 0.999))
def test_answer_time_inverts_service_level(traffic: float, extra: int, q: float) -> None:
    n = math.floor(traffic) + extra
    t = erlang_c_answer_time(traffic, n, aht_seconds=120, quantile=q)
    sl = erlang_c_service_level(traffic, n, aht_seconds=120, threshold_seconds=t)
    assert sl >= q - 1e-9
    if t > 0:
        assert sl == pytest.approx(q, abs=1e-9)


staffing_cases = st.tuples(
    st.lists(st.floats(0.5, 3000.0), min_size=1, max_size=12),
    st.floats(30.0, 600.0),
    st.floats(0.0, 0.99),
    st.floats(0.0, 120.0),
)


@settings(max_examples=60, deadline=None)
@given(case=staffing_cases)
def test_agents_required_is_minimal(case: tuple[list[float], float, float, float]) -> None:
    calls, aht, target, threshold = case
    s = agents_required(calls, aht, 1800, service_level=target, threshold_seconds=threshold)
    a = np.asarray(calls) * aht / 1800
    n = s.agents
    assert np.all(n > a)
    sl = erlang_c_service_level(a, n, aht_seconds=aht, threshold_seconds=threshold)
    np.testing.assert_allclose(s.service_level, sl, rtol=1e-9)
    assert np.all(sl >= target - 1e-12)
    fewer = n - 1
    stable = fewer > a
    if stable.any():
        sl_fewer = erlang_c_service_level(
            a[stable], fewer[stable], aht_seconds=aht, threshold_seconds=threshold
        )
        assert np.all(sl_fewer < target + 1e-12)
    # One vectorised call equals one call per interval.
    singles = [
        agents_required(c, aht, 1800, service_level=target, threshold_seconds=threshold).agents for c in calls
    ]
    assert n.tolist() == singles


@settings(max_examples=60, deadline=None)
@given(
    calls=st.lists(st.floats(0.5, 3000.0), min_size=1, max_size=12),
    asa=st.floats(0.5, 120.0),
    occupancy=st.one_of(st.none(), st.floats(0.5, 1.0)),
)
def test_agents_required_for_asa_is_minimal(calls: list[float], asa: float, occupancy: float | None) -> None:
    s = agents_required_for_asa(calls, 240, 1800, asa_seconds=asa, max_occupancy=occupancy)
    a = np.asarray(calls) * 240 / 1800
    n = s.agents
    assert np.all(erlang_c_asa(a, n, aht_seconds=240) <= asa * (1 + 1e-12))
    floor = (
        np.floor(a) + 1 if occupancy is None else np.maximum(np.floor(a) + 1, np.ceil(a / occupancy - 1e-9))
    )
    fewer = n - 1
    check = fewer >= floor
    if check.any():
        assert np.all(erlang_c_asa(a[check], fewer[check], aht_seconds=240) > asa * (1 - 1e-12))
    if occupancy is not None:
        assert np.all(s.occupancy <= occupancy + 1e-12)


@settings(max_examples=60, deadline=None)
@given(traffic=st.lists(st.floats(0.0, 2000.0), min_size=1, max_size=12), target=st.floats(1e-6, 1.0))
def test_lines_required_is_minimal(traffic: list[float], target: float) -> None:
    n = lines_required(traffic, max_blocking=target)
    a = np.asarray(traffic)
    assert np.all(n[a == 0] == 0)  # no traffic needs no line (although B(0, 0) = 1)
    # Targets hit exactly are decided by rounding: allow a relative 1e-12 either way.
    assert np.all(erlang_b(a, n)[a > 0] <= target * (1 + 1e-12))
    positive = n > 0
    if positive.any():
        assert np.all(erlang_b(a[positive], n[positive] - 1) > target * (1 - 1e-12))


# --------------------------------------------------------------------------- shapes and types


def test_broadcasting_and_scalars() -> None:
    grid = erlang_b(np.array([1.0, 2.0, 3.0]), np.arange(5)[:, None])
    assert grid.shape == (5, 3)
    assert grid[0].tolist() == [1.0, 1.0, 1.0]
    assert isinstance(erlang_b(1, 1), float)
    assert isinstance(erlang_c(np.float32(1.5), np.int64(3)), float)
    s = agents_required([[100, 200], [300, 400]], 180, 1800, service_level=0.8, threshold_seconds=[10, 20])
    assert s.agents.shape == (2, 2) and s.agents.dtype == np.int64
    assert s.service_level.shape == (2, 2)


def test_read_only_inputs_are_not_modified() -> None:
    traffic = read_only([10.0, 20.0, 30.0])
    agents = read_only([14, 25, 36])
    erlang_c(traffic, agents)
    erlang_c_service_level(traffic, agents, aht_seconds=read_only([180.0]), threshold_seconds=20)
    calls = read_only([100.0, 200.0])
    agents_required(calls, 180, 1800, service_level=read_only([0.8, 0.9]), threshold_seconds=20)
    lines_required(traffic, max_blocking=0.01)
    assert traffic.tolist() == [10.0, 20.0, 30.0] and calls.tolist() == [100.0, 200.0]


def test_staffing_result_is_frozen_and_compares_arrays() -> None:
    first = agents_required([100, 200], 180, 1800, service_level=0.8, threshold_seconds=20)
    second = agents_required([100, 200], 180, 1800, service_level=0.8, threshold_seconds=20)
    assert first == second
    assert first != agents_required([100, 201], 180, 1800, service_level=0.8, threshold_seconds=20)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.agents = 3  # type: ignore[misc]
    assert isinstance(first, Staffing)


def test_public_api_is_exported() -> None:
    for name in (
        "erlang_b",
        "erlang_c",
        "erlang_c_service_level",
        "erlang_c_asa",
        "erlang_c_answer_time",
        "erlang_c_occupancy",
        "traffic_intensity",
        "agents_required",
        "agents_required_for_asa",
        "lines_required",
        "scheduled_agents",
        "Staffing",
        "UnstableQueueWarning",
    ):
        assert name in cskpi.__all__ and hasattr(cskpi, name)


# --------------------------------------------------------------------------- bad input


def _sl(**kwargs: Any) -> Any:
    args = {
        "calls": 100,
        "aht_seconds": 180,
        "interval_seconds": 1800,
        "service_level": 0.8,
        "threshold_seconds": 20,
    }
    args.update(kwargs)
    calls, aht, interval = args.pop("calls"), args.pop("aht_seconds"), args.pop("interval_seconds")
    return agents_required(calls, aht, interval, **args)


BAD_INPUT = [
    # (call, exception, name in the message)
    (lambda: erlang_b(-1.0, 3), InvalidInputError, "traffic"),
    (lambda: erlang_b([1.0, -2.0], 3), InvalidInputError, "index 1"),
    (lambda: erlang_b(math.inf, 3), InvalidInputError, "traffic"),
    (lambda: erlang_b(math.nan, 3), InvalidInputError, "traffic"),
    (lambda: erlang_b(None, 3), InvalidTypeError, "traffic"),
    (lambda: erlang_b("10", 3), InvalidTypeError, "traffic"),
    (lambda: erlang_b(True, 3), InvalidTypeError, "traffic"),
    (lambda: erlang_b([[1.0], [1.0, 2.0]], 3), InvalidInputError, "traffic"),
    (lambda: erlang_b(1.0, -1), InvalidInputError, "servers"),
    (lambda: erlang_b(1.0, 2.5), InvalidInputError, "servers"),
    (lambda: erlang_b(1.0, [2, np.nan]), InvalidInputError, "servers"),
    (lambda: erlang_b(1.0, np.array(["a"])), InvalidTypeError, "servers"),
    (lambda: erlang_b([1.0, 2.0, 3.0], [1, 2]), InvalidInputError, "broadcast"),
    (lambda: erlang_c(1.0, 1.5), InvalidInputError, "agents"),
    (lambda: erlang_c(-1.0, 2), InvalidInputError, "traffic"),
    (lambda: erlang_c(1.0, -2), InvalidInputError, "agents"),
    (
        lambda: erlang_c_service_level(1.0, 2, aht_seconds=0, threshold_seconds=20),
        InvalidInputError,
        "aht_seconds",
    ),
    (
        lambda: erlang_c_service_level(1.0, 2, aht_seconds=180, threshold_seconds=-1),
        InvalidInputError,
        "threshold",
    ),
    (lambda: erlang_c_asa(1.0, 2, aht_seconds=-5), InvalidInputError, "aht_seconds"),
    (lambda: erlang_c_answer_time(1.0, 2, aht_seconds=180, quantile=1.5), InvalidInputError, "quantile"),
    (lambda: erlang_c_answer_time(1.0, 2, aht_seconds=180, quantile=-0.1), InvalidInputError, "quantile"),
    (lambda: traffic_intensity(-1, aht_seconds=180, interval_seconds=1800), InvalidInputError, "calls"),
    (
        lambda: traffic_intensity(1, aht_seconds=180, interval_seconds=0),
        InvalidInputError,
        "interval_seconds",
    ),
    (lambda: _sl(service_level=1.0), InvalidInputError, "service_level"),
    (lambda: _sl(service_level=1.5), InvalidInputError, "service_level"),
    (lambda: _sl(service_level=-0.1), InvalidInputError, "service_level"),
    (lambda: _sl(service_level=math.nan), InvalidInputError, "service_level"),
    (lambda: _sl(shrinkage=1.0), InvalidInputError, "shrinkage"),
    (lambda: _sl(shrinkage=1.2), InvalidInputError, "shrinkage"),
    (lambda: _sl(shrinkage=-0.1), InvalidInputError, "shrinkage"),
    (lambda: _sl(max_occupancy=0.0), InvalidInputError, "max_occupancy"),
    (lambda: _sl(max_occupancy=1.1), InvalidInputError, "max_occupancy"),
    (lambda: _sl(threshold_seconds=-1), InvalidInputError, "threshold_seconds"),
    (lambda: _sl(calls=[-1, 5]), InvalidInputError, "calls"),
    (lambda: _sl(calls=None), InvalidTypeError, "calls"),
    (lambda: _sl(aht_seconds=0), InvalidInputError, "aht_seconds"),
    (lambda: _sl(calls=[1, 2, 3], threshold_seconds=[10, 20]), InvalidInputError, "broadcast"),
    (lambda: agents_required_for_asa(100, 180, 1800, asa_seconds=0), InvalidInputError, "asa_seconds"),
    (lambda: lines_required(10.0, max_blocking=0.0), InvalidInputError, "max_blocking"),
    (lambda: lines_required(10.0, max_blocking=1.5), InvalidInputError, "max_blocking"),
    (lambda: lines_required(-10.0, max_blocking=0.1), InvalidInputError, "traffic"),
    (lambda: scheduled_agents(14, shrinkage=1.0), InvalidInputError, "shrinkage"),
    (lambda: scheduled_agents(14.5, shrinkage=0.3), InvalidInputError, "agents"),
]


@pytest.mark.parametrize(("call", "error", "named"), BAD_INPUT)
def test_bad_input_raises_naming_the_argument(call: Any, error: type[Exception], named: str) -> None:
    with pytest.raises(error, match=named):
        call()


def test_error_message_shows_value_and_index() -> None:
    with pytest.raises(InvalidInputError, match=r"servers must be whole numbers .*; got 2\.5 at index 1"):
        erlang_b(1.0, [2, 2.5])
    with pytest.raises(InvalidInputError, match=r"shrinkage must be in \[0, 1\); got 1\.0$"):
        scheduled_agents(3, shrinkage=1.0)
