"""Numerical robustness at the edges: extreme Erlang traffic, tied and huge waits, DST days.

* Erlang B and C from 1e-6 to 1e6 Erlangs agree with the classic recursion (computed
  here in plain Python floats, one server at a time), stay in [0, 1], move the right
  way with traffic and servers, and emit no numpy warning.
* Answer-time percentiles with heavy ties and values up to 1e300 equal numpy's
  inverted-CDF percentile and stay consistent with the service level.
* Business-hours durations across daylight-saving changes follow the documented
  convention: timestamps are naive local wall-clock times, every local day has 24
  hours, so a DST change is not seen.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

import cskpi

TRAFFIC = [1e-6, 1e-3, 0.5, 1.0, 10.0, 1e3, 1e5, 1e6]


def erlang_b_recursion(traffic: float, servers: int) -> float:
    """B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)): stable in floating point for any A."""
    b = 1.0
    for n in range(1, servers + 1):
        b = traffic * b / (n + traffic * b)
    return b


def erlang_c_reference(traffic: float, agents: int) -> float:
    b = erlang_b_recursion(traffic, agents)
    return agents * b / (agents - traffic * (1.0 - b))


def _servers_around(traffic: float) -> list[int]:
    """Server counts below, at and above the traffic (where the formulas change regime)."""
    spread = 3.0 * math.sqrt(traffic)
    candidates = {
        1,
        2,
        math.ceil(traffic),
        math.floor(traffic + spread) + 1,
        math.ceil(traffic + 2 * spread) + 2,
    }
    if traffic > 4:
        candidates |= {max(1, math.floor(traffic - spread))}
    return sorted(candidates)


@pytest.mark.parametrize("traffic", TRAFFIC)
def test_erlang_b_matches_the_recursion_at_extreme_traffic(traffic: float) -> None:
    servers = _servers_around(traffic)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = cskpi.erlang_b(traffic, servers)
    for n, value in zip(servers, fast.tolist(), strict=True):
        reference = erlang_b_recursion(traffic, n)
        assert 0.0 <= value <= 1.0
        assert value == pytest.approx(reference, rel=1e-9, abs=1e-300), (traffic, n)


@pytest.mark.parametrize("traffic", TRAFFIC)
def test_erlang_c_matches_the_recursion_and_is_monotone(traffic: float) -> None:
    agents = [n for n in _servers_around(traffic) if n > traffic]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = cskpi.erlang_c(traffic, agents)
        service = cskpi.erlang_c_service_level(traffic, agents, aht_seconds=180.0, threshold_seconds=20.0)
        asa = cskpi.erlang_c_asa(traffic, agents, aht_seconds=180.0)
    for n, value in zip(agents, fast.tolist(), strict=True):
        assert value == pytest.approx(erlang_c_reference(traffic, n), rel=1e-9, abs=1e-300), (traffic, n)
    # More agents: less waiting, a higher service level, a shorter ASA.
    assert np.all(np.diff(fast) <= 0) and np.all(np.diff(service) >= 0) and np.all(np.diff(asa) <= 0)
    assert np.all((service >= 0) & (service <= 1)) and np.all(asa >= 0)


def test_erlang_at_tiny_traffic_has_its_limits() -> None:
    # One agent: C = A exactly; two agents: C = A^2 / (2 + A) ≈ 5e-13 at A = 1e-6.
    assert cskpi.erlang_c(1e-6, 1) == pytest.approx(1e-6, rel=1e-12)
    assert cskpi.erlang_c(1e-6, 2) == pytest.approx(1e-12 / (2 + 1e-6), rel=1e-9)
    # Erlang B with one server: A / (1 + A).
    assert cskpi.erlang_b(1e-6, 1) == pytest.approx(1e-6 / (1 + 1e-6), rel=1e-12)


def test_erlang_unstable_queue_limits_at_huge_traffic() -> None:
    with pytest.warns(cskpi.UnstableQueueWarning):
        assert cskpi.erlang_c(1e6, 999_999) == 1.0
    with pytest.warns(cskpi.UnstableQueueWarning):
        assert cskpi.erlang_c_asa(1e6, 1e6, aht_seconds=180.0) == math.inf


def test_staffing_at_extreme_traffic_meets_its_target() -> None:
    calls = np.array([1e-6, 1.0, 1e3, 1e6, 1e8]) / 180.0 * 1800.0  # 1e-6 .. 1e8 Erlangs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        staffing = cskpi.agents_required(calls, 180.0, 1800.0, service_level=0.8, threshold_seconds=20.0)
    assert np.all(staffing.service_level >= 0.8)
    assert np.all(staffing.agents > staffing.traffic)
    # One agent fewer misses the target (the walk found the smallest count).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cskpi.UnstableQueueWarning)  # one fewer may be unstable
        fewer = cskpi.erlang_c_service_level(
            staffing.traffic, staffing.agents - 1, aht_seconds=180.0, threshold_seconds=20.0
        )
    assert np.all(np.asarray(fewer) < 0.8)


# --------------------------------------------------------------------------- percentiles


@pytest.mark.parametrize(
    "waits",
    [
        np.full(1000, 20.0),  # one value a thousand times
        np.repeat([0.0, 5.0, 1e300], [500, 1, 499]),  # heavy ties, one huge value
        np.concatenate([np.full(999, 1e300), [1.7976931348623157e308]]),  # the largest float
        np.repeat([3.0, 3.0000000000000004], 50),  # ties one ulp apart
    ],
    ids=["all-tied", "ties-and-huge", "near-max-float", "one-ulp"],
)
def test_percentiles_with_heavy_ties_and_huge_values(waits: np.ndarray) -> None:
    levels = [0.001, 0.01, 0.25, 0.499, 0.5, 0.501, 0.75, 0.9, 0.99, 0.999, 1]
    result = cskpi.answer_time_percentile(waits, quantile=levels)
    # Exact ranks ceil(q n) in rational arithmetic. numpy's inverted_cdf computes
    # 0.999 * 1000 in floats (999.0000000000001) and takes the 1000th value for q = 0.999.
    ordered = np.sort(waits)
    ranks = [max(1, math.ceil(Fraction(str(q)) * waits.size)) for q in levels]
    assert result.seconds.tolist() == [float(ordered[rank - 1]) for rank in ranks]
    # The defining property: at least a fraction q of the contacts were answered within the quantile.
    for q, seconds in zip(levels, result.seconds.tolist(), strict=True):
        met = cskpi.service_level(waits, seconds)
        assert Fraction(met.n_met, met.n) >= Fraction(str(q))  # exact: 0.999 in rationals


def test_grouped_percentiles_with_ties_equal_per_group() -> None:
    waits = np.repeat([1.0, 2.0, 1e300, 2.0], 25)
    labels = np.tile(["a", "b"], 50)
    grouped = cskpi.answer_time_percentile(waits, quantile=[0.5, 0.9], by=labels)
    for label in ("a", "b"):
        alone = cskpi.answer_time_percentile(waits[labels == label], quantile=[0.5, 0.9])
        assert grouped[label].seconds.tolist() == alone.seconds.tolist()


# --------------------------------------------------------------------------- daylight saving


def test_business_hours_ignore_daylight_saving_by_convention() -> None:
    """Naive local timestamps: a DST day has 24 hours of wall-clock time (documented)."""
    always_open = cskpi.BusinessHours.every_day()
    # Europe springs forward on 2024-03-31 (02:00 -> 03:00) and falls back on 2024-10-27.
    spring = cskpi.business_seconds("2024-03-31T00:00", "2024-04-01T00:00", calendar=always_open)
    autumn = cskpi.business_seconds("2024-10-27T00:00", "2024-10-28T00:00", calendar=always_open)
    assert spring == autumn == 86_400.0  # not 82,800 and 90,000 of elapsed time
    # 01:30 -> 03:30 on the spring-forward night: two hours of wall-clock time.
    assert cskpi.business_seconds("2024-03-31T01:30", "2024-03-31T03:30", calendar=always_open) == 7_200.0


def test_weekday_calendar_across_the_dst_weekend() -> None:
    # Friday 2024-03-29 16:00 -> Monday 2024-04-01 10:00 with Monday-Friday 09:00-17:00 and
    # Easter Monday as a holiday: 1 h on Friday, nothing at the weekend (the DST Sunday
    # included), nothing on the holiday.
    calendar = cskpi.BusinessHours.weekdays("09:00", "17:00", holidays=["2024-04-01"])
    assert cskpi.business_seconds("2024-03-29T16:00", "2024-04-02T10:00", calendar=calendar) == 2 * 3_600.0
    # First response across the same weekend, in business time: 1 h Friday + 1 h Tuesday.
    frt = cskpi.first_response_time(["2024-03-29T16:00"], ["2024-04-02T10:00"], calendar=calendar)
    assert frt.median_seconds == 7_200.0
