"""Tests that kill mutants of ``cskpi._kpi.queueing.erlang`` which survived test_queueing and test_mutation_kills.

They pin what those files left open: exact error and warning messages, the boundary cases
``agents == traffic`` and ``q == 1 - C``, numpy floating-point warnings that must stay
silenced, inputs long enough to span several chunks of the Erlang series, and the accuracy
of the Erlang series where a mutated stopping rule or Poisson term would lose digits. The
accuracy references are slow high-precision evaluations (``fractions.Fraction`` and
``decimal``) written out below; tolerances are a few times the accuracy documented in
``erlang_b``'s Notes (relative error below 3e-14 where B > 1e-30), never the function's
own output. See docs/reliability.md, "Mutation testing", for the survivors that compute
the same thing and have no test here.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import cskpi
from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    UnstableQueueWarning,
    erlang_b,
    erlang_c,
    erlang_c_answer_time,
    erlang_c_asa,
    erlang_c_occupancy,
    erlang_c_service_level,
    traffic_intensity,
)
from cskpi._kpi.queueing.erlang import MAX_TRAFFIC, nonnegative, positive, whole
from helpers import skip_under_mutmut

# --------------------------------------------------------------------------- references


def erlang_b_fraction(traffic: float, servers: int) -> Fraction:
    """Erlang B by the textbook recursion B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)), exactly."""
    a = Fraction(traffic)
    b = Fraction(1)
    for n in range(1, servers + 1):
        b = a * b / (n + a * b)
    return b


def erlang_b_decimal(traffic: float, servers: int) -> Decimal:
    """The same recursion in 40-digit decimals (stable: each step has relative error ~1e-40)."""
    with localcontext() as ctx:
        ctx.prec = 40
        a = Decimal(traffic)  # the float's exact value
        b = Decimal(1)
        for n in range(1, servers + 1):
            ab = a * b
            b = ab / (n + ab)
        return +b


def erlang_b_decimal_series(traffic: float, servers: int) -> Decimal:
    """Erlang B for ``servers <= traffic`` from its definition divided by ``A^N / N!``, in 50 digits.

    ``1 / B = sum_{k=0..N} (A^k / k!) / (A^N / N!) = sum_{j=0..N} N! / ((N - j)! A^j)``. Each term
    is the previous one times ``(N - j + 1) / A <= 1``, so the terms decrease and the sum can
    stop once a term is below 1e-45 of the total (the rest is below 1e-45 * N). This is fast
    where the recursion would need millions of steps.
    """
    with localcontext() as ctx:
        ctx.prec = 50
        a = Decimal(traffic)
        term = total = Decimal(1)
        tiny = Decimal("1e-45")
        for i in range(servers):
            term = term * (servers - i) / a
            total += term
            if term < tiny * total:
                break
        return 1 / total


def _relative_error(value: float, reference: Decimal | Fraction) -> float:
    exact = float(reference)  # rounding the reference costs 1e-16, far below every tolerance here
    return abs(value - exact) / exact


def _call_recording(call: Callable[[], Any]) -> tuple[Any, list[warnings.WarningMessage]]:
    """The result of ``call()`` and every warning it emitted (numpy's RuntimeWarnings too)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, caught


# --------------------------------------------------------------------------- error messages


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: erlang_b(True, 3), InvalidTypeError, "traffic must be numbers, not booleans"),
        (
            lambda: erlang_b(np.array([1.0, 2.0]), np.array([True, False])),
            InvalidTypeError,
            "servers must be numbers, not booleans",
        ),
        (
            lambda: erlang_c_asa(1.0, 2, aht_seconds=math.nan),
            InvalidInputError,
            "aht_seconds must not contain NaN; got nan",
        ),
        (
            lambda: traffic_intensity(-1, aht_seconds=180, interval_seconds=1800),
            InvalidInputError,
            "calls must be finite and non-negative; got -1.0",
        ),
        (
            lambda: traffic_intensity(1, aht_seconds=0, interval_seconds=1800),
            InvalidInputError,
            "aht_seconds must be finite and positive; got 0.0",
        ),
        (
            lambda: traffic_intensity(1, aht_seconds=180, interval_seconds=[1800, -5]),
            InvalidInputError,
            "interval_seconds must be finite and positive; got -5.0 at index 1",
        ),
        (
            lambda: erlang_c(1.0, 1.5),
            InvalidInputError,
            "agents must be whole numbers (a count of agents or lines); got 1.5",
        ),
        (
            lambda: erlang_c_service_level(1.0, 2, aht_seconds=0, threshold_seconds=20),
            InvalidInputError,
            "aht_seconds must be finite and positive; got 0.0",
        ),
        (
            lambda: erlang_c_service_level(1.0, 2, aht_seconds=180, threshold_seconds=-1),
            InvalidInputError,
            "threshold_seconds must be finite and non-negative; got -1.0",
        ),
        (
            lambda: erlang_c_answer_time(1.0, 2, aht_seconds=-3, quantile=0.5),
            InvalidInputError,
            "aht_seconds must be finite and positive; got -3.0",
        ),
        (
            lambda: erlang_c_occupancy(1.0, [2, 2.5]),
            InvalidInputError,
            "agents must be whole numbers (a count of agents or lines); got 2.5 at index 1",
        ),
    ],
)
def test_queueing_error_messages_are_exact(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


# --------------------------------------------------------------------------- warning messages


def test_unstable_erlang_c_warning_message_is_exact() -> None:
    # Traffic 5, 10, 20 against 10 agents: the last two positions have agents <= traffic.
    message = (
        "Erlang C is undefined where agents <= traffic (the queue grows without bound); "
        "returning probability of waiting 1 for 2 of 3 value(s)"
    )
    with pytest.warns(UnstableQueueWarning, match=f"^{re.escape(message)}$"):
        erlang_c([5.0, 10.0, 20.0], 10)


def test_occupancy_warning_messages_are_exact() -> None:
    # Agents 0, 0, 5 at 1 Erlang: two positions have no agent (NaN), 1 / 5 = 0.2 for the last.
    zero = "occupancy is undefined for zero agents; returning NaN for 2 of 3 value(s)"
    with pytest.warns(UndefinedMetricWarning, match=f"^{re.escape(zero)}$"):
        out = erlang_c_occupancy(1.0, [0, 0, 5])
    assert np.isnan(out[:2]).all() and out[2] == 0.2
    # 10 Erlangs on 10 agents is already unstable (agents <= traffic), 12 agents are not.
    unstable = (
        "occupancy is undefined where agents <= traffic (the queue grows without bound); "
        "returning occupancy 1 for 1 of 2 value(s)"
    )
    with pytest.warns(UnstableQueueWarning, match=f"^{re.escape(unstable)}$"):
        out = erlang_c_occupancy(10.0, [10, 12])
    assert out.tolist() == [1.0, 10.0 / 12.0]


def _cskpi_dir() -> str:
    return os.path.dirname(os.path.abspath(cskpi.__file__))


@skip_under_mutmut
def test_zero_agent_occupancy_warning_is_not_attributed_to_cskpi() -> None:
    # stacklevel points the warning at the caller's code, not at a line inside cskpi.
    _, caught = _call_recording(lambda: erlang_c_occupancy(1.0, 0))
    assert [w.category for w in caught] == [UndefinedMetricWarning]
    assert os.path.dirname(os.path.abspath(caught[0].filename)) != _cskpi_dir()


@skip_under_mutmut
@pytest.mark.parametrize(
    "call",
    [
        lambda: erlang_c(10.0, 10),
        lambda: erlang_c_asa(10.0, 10, aht_seconds=180),
        lambda: erlang_c_occupancy(10.0, 10),
        lambda: erlang_c_service_level(10.0, 10, aht_seconds=180, threshold_seconds=20),
        lambda: erlang_c_answer_time(10.0, 10, aht_seconds=180, quantile=0.8),
    ],
)
def test_unstable_queue_warning_is_attributed_to_the_caller(call: Callable[[], Any]) -> None:
    # Fixed: warnings are attributed to the first frame outside the cskpi package
    # (cskpi._core.errors.warn_outside), whatever the depth of helpers below the public function.
    _, caught = _call_recording(call)
    assert [w.category for w in caught] == [UnstableQueueWarning]
    assert os.path.abspath(caught[0].filename) == os.path.abspath(__file__)


# --------------------------------------------------------------------------- input layer


def test_traffic_limit_is_inclusive() -> None:
    # MAX_TRAFFIC itself is accepted ("at most 1e10 Erlangs"): no server loses every call.
    assert MAX_TRAFFIC == 1e10
    assert erlang_b(MAX_TRAFFIC, 0) == 1.0


def test_float64_input_is_not_copied() -> None:
    # _numbers' docstring: a float64 array is converted without copying (and never written to).
    values = np.array([1.0, 2.0, 3.0])
    assert np.shares_memory(nonnegative(values, "calls"), values)
    assert np.shares_memory(positive(values, "aht_seconds"), values)
    assert np.shares_memory(whole(values, "agents"), values)


# --------------------------------------------------------------------------- accuracy of the series


@pytest.mark.parametrize("servers", [16, 17, 18, 20])
def test_erlang_b_accurate_just_above_the_stirling_table(servers: int) -> None:
    # From 16 servers on, the Poisson term uses the Stirling series instead of the table;
    # a wrong coefficient there costs ~1e-12 to ~1e-11 relative. Documented accuracy: 3e-14.
    traffic = np.array([0.5, 2.0, 8.0, 12.0, 14.0, 15.2, 15.9]) * servers / 16
    got = erlang_b(traffic, servers)
    for value, a in zip(got.tolist(), traffic.tolist(), strict=True):
        assert _relative_error(value, erlang_b_fraction(a, servers)) < 1e-13


def test_erlang_b_accurate_near_the_mean_at_100000_servers() -> None:
    # Servers a little above traffic: the Poisson term's deviance n log(n / a) + a - n
    # cancels badly unless it is summed as a series (the direct form loses ~1e-11 here).
    traffic = [95_000.0, 99_500.0, 99_900.0]
    got = erlang_b(traffic, 100_000)
    for value, a in zip(got.tolist(), traffic, strict=True):
        assert _relative_error(value, erlang_b_decimal(a, 100_000)) < 1e-12


def test_series_reference_matches_the_recursion() -> None:
    # The fast reference below (the definition summed from the top) equals the recursion.
    series = erlang_b_decimal_series(100_000.0, 100_000)
    assert abs(series - erlang_b_decimal(100_000.0, 100_000)) < Decimal("1e-35") * series


@pytest.mark.parametrize("traffic", [1.0001e7, 1.001e7])
def test_erlang_b_accurate_at_ten_million_servers(traffic: float) -> None:
    # Servers just below traffic: the series needs ~8 sqrt(A) terms with ratios close to 1;
    # stopping it early (a stopping rule that is too loose) loses ~4e-11 relative here.
    assert _relative_error(erlang_b(traffic, 10**7), erlang_b_decimal_series(traffic, 10**7)) < 1e-12


def test_few_servers_at_the_largest_traffic_finish_and_are_exact() -> None:
    # B(1, A) = A / (1 + A). One billion servers at 1e10 Erlangs: ratios (N - i) / A ~ 0.1,
    # so the series stops after a few dozen terms (a stopping rule that waits until the
    # term index reaches N or A would run for millions of blocks instead).
    assert erlang_b(MAX_TRAFFIC, 1) == pytest.approx(MAX_TRAFFIC / (1.0 + MAX_TRAFFIC), rel=1e-15)
    reference = erlang_b_decimal_series(MAX_TRAFFIC, 10**9)
    assert _relative_error(erlang_b(MAX_TRAFFIC, 10**9), reference) < 1e-13


def test_long_arrays_span_several_chunks_of_the_series() -> None:
    # 2500 values in each branch (servers above and at/below traffic): the series works in
    # chunks of 1024 rows, so every row of the third chunk must be computed too. Reference:
    # the forward recursion, elementwise in floats (stable; error ~ N eps).
    servers = 50
    traffic = np.concatenate([np.linspace(1.0, 49.0, 2500), np.linspace(50.0, 120.0, 2500)])
    rng = np.random.default_rng(11)
    traffic = traffic[rng.permutation(traffic.size)]
    b = np.ones_like(traffic)
    for n in range(1, servers + 1):
        b = traffic * b / (n + traffic * b)
    np.testing.assert_allclose(erlang_b(traffic, servers), b, rtol=1e-12, atol=0)


# --------------------------------------------------------------------------- Erlang C and forecasts


def test_erlang_c_unstable_position_raises_no_numpy_warning() -> None:
    # B(1, 2**33) = 1 / (1 + 2**-33) rounds to 1 - 2**-33, so A (1 - B) = 1 = N exactly: the
    # Erlang C expression (thrown away where agents <= traffic) divides by zero there.
    result, caught = _call_recording(lambda: erlang_c(2.0**33, 1))
    assert result == 1.0
    assert [w.category for w in caught] == [UnstableQueueWarning]


def test_erlang_c_is_never_below_erlang_b() -> None:
    # B <= C (Erlang C's docstring). With traffic ~1e-25 the denominator N - A (1 - B) rounds
    # to N and C = N B / N, which can round one unit below B unless it is clipped at B.
    traffic = np.array([1e-25, 1e-30, 3e-27, 7e-29])[:, None]
    agents = np.arange(1, 11)[None, :]
    b, c = erlang_b(traffic, agents), erlang_c(traffic, agents)
    assert np.all(c >= b)
    np.testing.assert_allclose(c, b, rtol=1e-14)


def test_asa_and_answer_time_when_agents_equal_traffic() -> None:
    # agents == traffic is unstable: ASA inf, and the 0-quantile of the answer time is 0
    # (docstring: "inf ... where agents <= traffic (0 for q = 0)"); no numpy warning.
    asa, caught = _call_recording(lambda: erlang_c_asa([10.0, 0.0], [10, 0], aht_seconds=180))
    assert asa.tolist() == [math.inf, math.inf]
    assert [w.category for w in caught] == [UnstableQueueWarning]
    t, caught = _call_recording(lambda: erlang_c_answer_time(10.0, 10, aht_seconds=180, quantile=0.0))
    assert t == 0.0
    assert [w.category for w in caught] == [UnstableQueueWarning]
    t, caught = _call_recording(lambda: erlang_c_answer_time(10.0, 10, aht_seconds=180, quantile=0.5))
    assert t == math.inf
    assert [w.category for w in caught] == [UnstableQueueWarning]


def test_service_level_with_overflowing_exponent_is_one_without_warning() -> None:
    # (N - A) T / AHT = 1 * 1e300 / 1e-300 overflows to inf: exp(-inf) = 0 and SL = 1.
    result, caught = _call_recording(
        lambda: erlang_c_service_level(1.0, 2, aht_seconds=1e-300, threshold_seconds=1e300)
    )
    assert result == 1.0
    assert caught == []


@pytest.mark.parametrize(("traffic", "agents"), [(0.3, 2), (7.3, 10)])
def test_answer_time_is_zero_at_the_share_answered_at_once(traffic: float, agents: int) -> None:
    # A share 1 - C of calls is answered at once, so the (1 - C)-quantile is 0 s, even where
    # 1 - (1 - C) rounds a little below C in floats (as for these two cases).
    q = 1.0 - erlang_c(traffic, agents)
    assert erlang_c_answer_time(traffic, agents, aht_seconds=180, quantile=q) == 0.0
