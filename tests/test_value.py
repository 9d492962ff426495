"""Tests of the referral rate, the CLV forms and the CLV inputs derived from transactions."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskpi import (
    CLVInputs,
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    clv_finite_horizon,
    clv_infinite_horizon,
    clv_inputs,
    clv_simple,
    referral_rate,
)
from helpers import read_only


# The three closed forms are one function with a timing option; the tests below name each form.
def clv_period_start(margin: Any, retention_rate: Any, discount_rate: Any) -> Any:
    return clv_infinite_horizon(margin, retention_rate, discount_rate, timing="period_start")


def clv_period_end(margin: Any, retention_rate: Any, discount_rate: Any) -> Any:
    return clv_infinite_horizon(margin, retention_rate, discount_rate, timing="period_end")


def clv_after_first_period(margin: Any, retention_rate: Any, discount_rate: Any) -> Any:
    return clv_infinite_horizon(margin, retention_rate, discount_rate, timing="after_first_period")


def test_infinite_horizon_default_timing_and_bad_timing() -> None:
    # m = 100, r = 0.8, d = 0.1: margins at period starts, 100 x 1.1 / 0.3
    assert clv_infinite_horizon(100, 0.8, 0.1) == pytest.approx(1100 / 3)
    with pytest.raises(InvalidInputError, match="timing must be one of"):
        clv_infinite_horizon(100, 0.8, 0.1, timing="start")  # type: ignore[arg-type]

rates = st.floats(0, 1)
discounts = st.floats(0, 0.5)
margins = st.floats(-1e4, 1e4)


# --------------------------------------------------------------------------- referral rate


def test_referral_rate_by_hand() -> None:
    assert referral_rate(12, 48) == 0.25  # 12 / 48
    np.testing.assert_allclose(referral_rate([12, 5, 0], [48, 50, 7]), [0.25, 0.1, 0.0])
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(referral_rate(0, 0))


@pytest.mark.parametrize(
    ("referred", "new", "error", "pattern"),
    [
        (
            [5, 9],
            [10, 8],
            InvalidInputError,
            r"referred_customers must not exceed new_customers; got 9 > 8 at index 1",
        ),
        ([-1], [3], InvalidInputError, "referred_customers"),
        ([1], [np.nan], InvalidInputError, "new_customers"),
        ([1, 2], [3, 4, 5], InvalidInputError, "matching shapes"),
        (["1"], [3], InvalidTypeError, "referred_customers"),
        (None, [3], InvalidTypeError, "referred_customers"),
    ],
)
def test_referral_rate_bad_input(referred: Any, new: Any, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        referral_rate(referred, new)


def test_referral_rate_read_only() -> None:
    np.testing.assert_allclose(referral_rate(read_only([1, 2]), read_only([4, 4])), [0.25, 0.5])


# --------------------------------------------------------------------------- closed forms


def test_clv_forms_by_hand() -> None:
    # m = 100, r = 0.8, d = 0.1, 1 + d - r = 0.3.
    assert clv_period_start(100, 0.8, 0.1) == pytest.approx(100 * 1.1 / 0.3)  # 366.67
    assert clv_period_end(100, 0.8, 0.1) == pytest.approx(100 / 0.3)  # 333.33
    assert clv_after_first_period(100, 0.8, 0.1) == pytest.approx(100 * 0.8 / 0.3)  # 266.67


def test_margin_multiple_matches_gupta_lehmann() -> None:
    # Gupta & Lehmann (2003), "Customers as assets", J. Interactive Marketing 17(1): the margin
    # multiple r / (1 + i - r) is 2.67 for r = 80 % and i = 10 %.
    assert round(clv_after_first_period(1.0, 0.8, 0.10), 2) == 2.67


def test_fader_hardie_relations_between_the_three_forms() -> None:
    # Fader & Hardie (2012), "Reconciling and Clarifying CLV Formulas": the three formulas differ by
    # the booking of the first margin: start = (1 + d) * end, after-first = r * end = start - m.
    m, r, d = np.array([10.0, 50.0]), np.array([0.6, 0.9]), np.array([0.12, 0.0])
    start, end, after = clv_period_start(m, r, d), clv_period_end(m, r, d), clv_after_first_period(m, r, d)
    np.testing.assert_allclose(start, (1 + d) * end)
    np.testing.assert_allclose(after, r * end)
    np.testing.assert_allclose(after, start - m)


def test_clv_infinite_is_nan_with_warning() -> None:
    for form in (clv_period_start, clv_period_end, clv_after_first_period):
        with pytest.warns(UndefinedMetricWarning):
            values = form([100, 100], [1.0, 0.5], [0.0, 0.0])
        assert np.isnan(values[0]) and values[1] > 0


@given(margins, rates, discounts)
def test_finite_horizon_converges_to_the_closed_forms(m: float, r: float, d: float) -> None:
    if r / (1 + d) > 0.999:
        return  # q^T does not vanish within the horizon (and r = 1, d = 0 has no finite limit)
    pairs = [
        ("period_start", clv_period_start),
        ("period_end", clv_period_end),
        ("after_first_period", clv_after_first_period),
    ]
    for timing, closed in pairs:
        value = clv_finite_horizon(m, r, d, 20_000, timing=timing)  # type: ignore[arg-type]
        assert value == pytest.approx(closed(m, r, d), rel=1e-6, abs=1e-6)


def reference_finite(m: float, r: float, d: float, periods: int, timing: str) -> float:
    """The discounted sum term by term."""
    if timing == "period_start":
        return sum(m * r**t / (1 + d) ** t for t in range(periods))
    if timing == "period_end":
        return sum(m * r ** (t - 1) / (1 + d) ** t for t in range(1, periods + 1))
    return sum(m * r**t / (1 + d) ** t for t in range(1, periods + 1))


@given(
    margins,
    rates,
    discounts,
    st.integers(0, 40),
    st.sampled_from(["period_start", "period_end", "after_first_period"]),
)
def test_finite_horizon_matches_term_by_term_sum(
    m: float, r: float, d: float, periods: int, timing: str
) -> None:
    value = clv_finite_horizon(m, r, d, periods, timing=timing)  # type: ignore[arg-type]
    assert value == pytest.approx(reference_finite(m, r, d, periods, timing), rel=1e-9, abs=1e-9)


def test_finite_horizon_by_hand_and_vectorised() -> None:
    # q = 0.8 / 1.1; 3 periods from the start: 100 (1 + q + q²) = 225.62.
    q = 0.8 / 1.1
    assert clv_finite_horizon(100, 0.8, 0.1, 3) == pytest.approx(100 * (1 + q + q * q))
    # No discount and full retention: m T.
    assert clv_finite_horizon(100, 1.0, 0.0, [0, 1, 5]).tolist() == [0.0, 100.0, 500.0]
    assert clv_finite_horizon(100, 0.0, 0.1, 5, timing="period_end") == pytest.approx(100 / 1.1)


@given(margins.filter(lambda m: m > 0), rates, discounts, st.integers(0, 30))
def test_finite_horizon_grows_with_the_horizon(m: float, r: float, d: float, periods: int) -> None:
    assert clv_finite_horizon(m, r, d, periods + 1) >= clv_finite_horizon(m, r, d, periods) - 1e-9


@given(st.floats(1, 1e3), rates.filter(lambda r: r < 1), discounts, rates.filter(lambda r: r < 1))
def test_closed_forms_increase_with_retention(m: float, r1: float, d: float, r2: float) -> None:
    low, high = sorted((r1, r2))
    for form in (clv_period_start, clv_period_end, clv_after_first_period):
        assert form(m, high, d) >= form(m, low, d) - 1e-9


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "pattern"),
    [
        ((100, 1.2, 0.1), {}, InvalidInputError, "retention_rate must be in"),
        ((100, 0.8, -0.1), {}, InvalidInputError, "discount_rate must be a non-negative"),
        ((np.inf, 0.8, 0.1), {}, InvalidInputError, "margin must be finite"),
        ((np.nan, 0.8, 0.1), {}, InvalidInputError, "margin must not be NaN"),
        (([1, 2], [0.5, 0.5, 0.5], 0.1), {}, InvalidInputError, "matching shapes"),
        (("100", 0.8, 0.1), {}, InvalidTypeError, "margin"),
        ((100, True, 0.1), {}, InvalidTypeError, "retention_rate"),
    ],
)
def test_closed_forms_bad_input(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type, pattern: str
) -> None:
    for form in (clv_period_start, clv_period_end, clv_after_first_period):
        with pytest.raises(error, match=pattern):
            form(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((100, 0.8, 0.1, -1), {}, "periods must be a non-negative whole number of periods; got -1"),
        ((100, 0.8, 0.1, 2.5), {}, "periods must be a non-negative whole"),
        ((100, 0.8, 0.1, 3), {"timing": "middle"}, "timing must be one of"),
    ],
)
def test_finite_horizon_bad_input(args: tuple[Any, ...], kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        clv_finite_horizon(*args, **kwargs)


def test_clv_simple_by_hand_and_as_undiscounted_period_start() -> None:
    # 50 x 4 x 0.3 / 0.25 = 240; and the same as m / c with m = 60, r = 0.75, d = 0.
    assert clv_simple(50, 4, 0.3, 0.25) == pytest.approx(240.0)
    assert clv_simple(50, 4, 0.3, 0.25) == pytest.approx(clv_period_start(60, 0.75, 0.0))
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(clv_simple(50, 4, 0.3, 0.0))


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((-1, 4, 0.3, 0.25), "average_order_value must be non-negative"),
        ((50, -4, 0.3, 0.25), "purchase_frequency must be non-negative"),
        ((50, 4, 1.3, 0.25), "margin_rate must be in"),
        ((50, 4, 0.3, 1.25), "churn_rate must be in"),
        ((50, 4, 0.3, np.nan), "churn_rate must not be NaN"),
    ],
)
def test_clv_simple_bad_input(args: tuple[Any, ...], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        clv_simple(*args)


# --------------------------------------------------------------------------- inputs from transactions


def test_clv_inputs_by_hand() -> None:
    # 1 buys in 2022 (twice) and 2023, 2 in 2022 only, 3 in 2023 and 2024.
    # Active customer-years: (1,22) (1,23) (2,22) (3,23) (3,24) = 5; orders 6; revenue 600.
    # Retained: (1,22)->(1,23), (3,23)->(3,24) = 2 of the 3 customer-years before 2024.
    ids = [1, 1, 1, 2, 3, 3]
    times = ["2022-01-05", "2022-11-05", "2023-02-01", "2022-06-30", "2023-12-31", "2024-01-01"]
    amounts = [50.0, 150.0, 100.0, 100.0, 120.0, 80.0]
    inputs = clv_inputs(ids, times, amounts)
    assert (inputs.customers, inputs.orders, inputs.revenue) == (3, 6, 600.0)
    assert (inputs.active_periods, inputs.retained, inputs.active_in_last) == (5, 2, 1)
    assert inputs.average_order_value == 100.0
    assert inputs.purchase_frequency == 6 / 5
    assert inputs.retention_rate == pytest.approx(2 / 4)
    assert inputs.churn_rate == pytest.approx(0.5)
    assert inputs.expected_lifetime_periods == pytest.approx(2.0)
    # Monthly: no customer buys in two consecutive months except 3 (Dec 2023 -> Jan 2024).
    monthly = clv_inputs(ids, times, amounts, period="month")
    assert (monthly.active_periods, monthly.retained, monthly.active_in_last) == (6, 1, 1)


def test_clv_inputs_end_moves_last_period_customers_into_the_denominator() -> None:
    ids, times, amounts = [1, 2], ["2023-05-01", "2024-05-01"], [10.0, 20.0]
    assert clv_inputs(ids, times, amounts).active_in_last == 1
    later = clv_inputs(ids, times, amounts, end="2025-01-01")
    assert (later.active_in_last, later.retained) == (0, 0)
    assert later.churn_rate == 1.0
    with pytest.raises(InvalidInputError, match="end must not fall before"):
        clv_inputs(ids, times, amounts, end="2023-01-01")


def test_clv_inputs_no_loss_gives_nan_lifetime_with_warning() -> None:
    inputs = clv_inputs([1, 1], ["2023-01-01", "2024-01-01"], [1.0, 1.0])
    assert inputs.churn_rate == 0.0
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(inputs.expected_lifetime_periods)


def reference_inputs(ids: list[Any], years: list[int], amounts: list[float], last: int) -> tuple[int, ...]:
    active: dict[Any, set[int]] = defaultdict(set)
    for customer, year in zip(ids, years, strict=True):
        active[customer].add(year)
    cells = sum(len(s) for s in active.values())
    retained = sum(1 for s in active.values() for y in s if y + 1 in s)
    in_last = sum(1 for s in active.values() if last in s)
    return len(active), len(ids), cells, retained, in_last


transactions = st.lists(
    st.tuples(st.integers(0, 8), st.integers(2019, 2024), st.floats(0, 500, allow_nan=False)),
    min_size=1,
    max_size=40,
)


@given(transactions)
@settings(max_examples=80)
def test_clv_inputs_match_reference(rows: list[tuple[int, int, float]]) -> None:
    ids = [f"cust-{c}" for c, _, _ in rows]
    years = [y for _, y, _ in rows]
    times = [f"{y}-06-15" for y in years]
    amounts = [a for _, _, a in rows]
    inputs = clv_inputs(ids, times, amounts)
    expected = reference_inputs(ids, years, amounts, max(years))
    assert (
        inputs.customers,
        inputs.orders,
        inputs.active_periods,
        inputs.retained,
        inputs.active_in_last,
    ) == expected
    assert inputs.revenue == pytest.approx(sum(amounts))
    assert 0.0 <= inputs.retained / max(inputs.active_periods - inputs.active_in_last, 1) <= 1.0


@given(transactions, st.lists(st.booleans(), min_size=1, max_size=4))
@settings(max_examples=80)
def test_clv_inputs_merge_of_disjoint_customers_equals_concatenation(
    rows: list[tuple[int, int, float]], take: list[bool]
) -> None:
    ids = np.array([c for c, _, _ in rows])
    times = np.array([f"{y}-03-01" for _, y, _ in rows], dtype="datetime64[s]")
    amounts = np.array([float(int(a)) for _, _, a in rows])  # whole amounts: sums are exact
    first = np.array(take)[ids % len(take)]
    if first.all() or not first.any():
        return
    whole = clv_inputs(ids, times, amounts)
    merged = clv_inputs(ids[first], times[first], amounts[first]) + clv_inputs(
        ids[~first], times[~first], amounts[~first]
    )
    assert merged == whole


def test_clv_inputs_merge_refuses_other_periods_and_kinds() -> None:
    a = clv_inputs([1], ["2024-01-01"], [1.0])
    with pytest.raises(InvalidInputError, match="period"):
        a + clv_inputs([2], ["2024-01-01"], [1.0], period="month")
    with pytest.raises(InvalidTypeError):
        a + 1  # type: ignore[operator]
    assert isinstance(sum([a, a]), CLVInputs)


@pytest.mark.parametrize(
    ("ids", "times", "amounts", "error", "pattern"),
    [
        ([], [], [], InvalidInputError, "customer_ids must not be empty"),
        ([1, 2], ["2024-01-01"], [1.0, 2.0], InvalidInputError, "timestamps must have the same length"),
        ([1, 2], ["2024-01-01", "2024-01-02"], [1.0], InvalidInputError, "amounts must have the same length"),
        ([1], ["2024-01-01"], [-5.0], InvalidInputError, r"amounts must be non-negative.*index 0"),
        ([1], ["2024-01-01"], [np.nan], InvalidInputError, "amounts must not contain NaN"),
        ([1], ["2024-01-01"], ["5"], InvalidTypeError, "amounts must be numbers"),
        ([1], ["someday"], [5.0], InvalidInputError, "timestamps"),
        ([np.nan], ["2024-01-01"], [5.0], InvalidInputError, "customer_ids must not contain missing identifiers"),
        ([1], ["2024-01-01"], [5.0, 1.0], InvalidInputError, "amounts"),
    ],
)
def test_clv_inputs_bad_input(ids: Any, times: Any, amounts: Any, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        clv_inputs(ids, times, amounts)


def test_clv_inputs_read_only() -> None:
    ids = read_only([1, 1])
    times = read_only(np.array([dt.datetime(2023, 1, 1), dt.datetime(2024, 1, 1)], dtype="datetime64[s]"))
    amounts = read_only([10.0, 30.0])
    assert clv_inputs(ids, times, amounts).average_order_value == 20.0


# --------------------------------------------------------------------------- exact messages (mutation kills)
# The messages below are written out from the documented pattern "<argument> must <rule>; got <value> at
# index <i>", so a renamed argument, a lost value or a reworded rule fails the test.

_UNDEFINED = "{} is undefined for zero observations; returning NaN"


def exact(message: str) -> str:
    """A pattern matching the whole of ``message`` (``match=`` searches, so anchor both ends)."""
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("referred", "new", "message"),
    [
        (
            [1, -1],
            [3, 3],
            "referred_customers must be non-negative whole numbers of customers; got -1.0 at index 1",
        ),
        (
            [1, 1],
            [3, -2],
            "new_customers must be non-negative whole numbers of customers; got -2.0 at index 1",
        ),
        (
            [1, 2],
            [3, 4, 5],
            "referred_customers and new_customers must have matching shapes; "
            "got referred_customers (2,), new_customers (3,)",
        ),
    ],
)
def test_referral_rate_exact_messages(referred: Any, new: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=exact(message)):
        referral_rate(referred, new)


def test_undefined_warnings_name_the_metric() -> None:
    with pytest.warns(UndefinedMetricWarning, match=exact(_UNDEFINED.format("referral rate"))):
        referral_rate([1, 0], [2, 0])
    perpetuity = "CLV (infinite for retention 1 and discount 0)"
    for form in (clv_period_start, clv_period_end, clv_after_first_period):
        with pytest.warns(UndefinedMetricWarning, match=exact(_UNDEFINED.format(perpetuity))):
            form(100, 1.0, 0.0)
    with pytest.warns(
        UndefinedMetricWarning, match=exact(_UNDEFINED.format("CLV (infinite lifetime for churn 0)"))
    ):
        clv_simple(50, 4, 0.3, 0.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Array arguments: the first bad value and its index are shown.
        (([1.0, np.inf], 0.8, 0.1), "margin must be finite; got inf at index 1"),
        (
            (100, 0.8, [0.1, -0.2]),
            "discount_rate must be a non-negative, finite rate per period; got -0.2 at index 1",
        ),
        ((100, 0.8, np.nan), "discount_rate must not be NaN; got nan"),
        ((100, 0.8, [0.1, np.nan]), "discount_rate must not contain NaN; got nan at index 1"),
        (
            ([1, 2], [0.5, 0.5, 0.5], 0.1),
            "margin and retention_rate and discount_rate must have matching shapes; "
            "got margin (2,), retention_rate (3,), discount_rate ()",
        ),
        (
            (1, [0.5, 0.5, 0.5], [0.1, 0.2]),
            "margin and retention_rate and discount_rate must have matching shapes; "
            "got margin (), retention_rate (3,), discount_rate (2,)",
        ),
    ],
)
def test_closed_forms_exact_messages(args: tuple[Any, ...], message: str) -> None:
    for form in (clv_period_start, clv_period_end, clv_after_first_period):
        with pytest.raises(InvalidInputError, match=exact(message)):
            form(*args)


def test_finite_horizon_shape_message_names_every_argument() -> None:
    # margin, retention and discount are broadcast together first (to (2,)), then with periods.
    message = (
        "margin and retention_rate and discount_rate and periods must have matching shapes; "
        "got margin (2,), retention_rate (2,), discount_rate (2,), periods (3,)"
    )
    with pytest.raises(InvalidInputError, match=exact(message)):
        clv_finite_horizon([1, 2], 0.5, 0.1, [1, 2, 3])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.nan, 4, 0.3, 0.25), "average_order_value must not be NaN; got nan"),
        ((50, [4, np.nan], 0.3, 0.25), "purchase_frequency must not contain NaN; got nan at index 1"),
        (([5, -1], 4, 0.3, 0.25), "average_order_value must be non-negative and finite; got -1 at index 1"),
        (
            (50, [2, np.inf], 0.3, 0.25),
            "purchase_frequency must be non-negative and finite; got inf at index 1",
        ),
        (
            ([1, 2], 4, 0.3, [0.1, 0.2, 0.3]),
            "average_order_value and purchase_frequency and margin_rate and churn_rate must have matching "
            "shapes; got average_order_value (2,), purchase_frequency (), margin_rate (), churn_rate (3,)",
        ),
        (
            (1, [1, 2], [0.1, 0.2, 0.3], 0.5),
            "average_order_value and purchase_frequency and margin_rate and churn_rate must have matching "
            "shapes; got average_order_value (), purchase_frequency (2,), margin_rate (3,), churn_rate ()",
        ),
    ],
)
def test_clv_simple_exact_messages(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=exact(message)):
        clv_simple(*args)


def test_clv_simple_accepts_zero_and_fractional_order_values_and_frequencies() -> None:
    # Non-negative means 0 is allowed, and values below 1 are ordinary amounts:
    # 0 x 4 x 0.3 / 0.25 = 0; 0.5 x 4 x 0.3 / 0.25 = 2.4; 50 x 0 x 0.3 / 0.25 = 0; 50 x 0.5 x 0.3 / 0.25 = 30.
    np.testing.assert_allclose(clv_simple([0.0, 0.5], 4, 0.3, 0.25), [0.0, 2.4])
    np.testing.assert_allclose(clv_simple(50, [0.0, 0.5], 0.3, 0.25), [0.0, 30.0])


def test_clv_inputs_exact_messages() -> None:
    a = clv_inputs([1], ["2024-01-01"], [1.0])
    with pytest.raises(InvalidTypeError, match=exact("cannot add int to CLVInputs")):
        a + 1  # type: ignore[operator]
    message = "customer_ids must not be empty: CLV inputs need at least one transaction"
    with pytest.raises(InvalidInputError, match=exact(message)):
        clv_inputs([], [], [])
    with pytest.raises(InvalidTypeError, match=exact("amounts must be array-like; got None")):
        clv_inputs([1], ["2024-01-01"], None)
    with pytest.raises(InvalidInputError, match=exact("amounts must be 1-D; got an array of shape (1, 1)")):
        clv_inputs([1], ["2024-01-01"], [[1.0]])
    with pytest.raises(InvalidTypeError, match=exact("amounts must be numbers; got dtype bool")):
        clv_inputs([1], ["2024-01-01"], [True])


def test_clv_inputs_end_is_read_in_the_chosen_period() -> None:
    # Customer 1 buys in January and February 2024, customer 2 in March; monthly periods observed to the end
    # of May. Active customer-months (1,Jan) (1,Feb) (2,Mar) = 3, retained 1 (Jan -> Feb), nobody active in
    # May, so every customer-month is in the churn denominator: retention 1/3. The last period is May 2024,
    # month (2024 - 1970) x 12 + 4 = 652 since January 1970.
    ids, times, amounts = [1, 1, 2], ["2024-01-15", "2024-02-10", "2024-03-05"], [10.0, 20.0, 30.0]
    inputs = clv_inputs(ids, times, amounts, period="month", end="2024-05-31")
    assert (inputs.active_periods, inputs.retained, inputs.active_in_last) == (3, 1, 0)
    assert inputs.last_ordinal == 652
    assert inputs.retention_rate == pytest.approx(1 / 3)
    # Observed only to March: customer 2 is in the last period and leaves the denominator (1 of 2).
    assert clv_inputs(ids, times, amounts, period="month").retention_rate == pytest.approx(1 / 2)
