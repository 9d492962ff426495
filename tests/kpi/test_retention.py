"""Tests of churn and retention rates, repeat-contact cohorts, returned-within and repeat rate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cskpi._core.ids as ids_module
import cskpi._core.labels as labels_module
import cskpi._kpi.retention as retention_module
from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    churn_rate,
    convert_churn_rate,
    repeat_contact_retention,
    repeat_rate,
    retention_rate,
    returned_within,
)
from cskpi._core.optional import unavailable
from helpers import read_only

PERIODS = ["hour", "day", "week", "month", "quarter", "year"]
EPOCH = dt.datetime(1970, 1, 1)


# --------------------------------------------------------------------------- reference


def reference_ordinal(moment: dt.datetime, period: str) -> int:
    """Calendar period of a datetime, counted from 1970 with the standard library only."""
    if period == "hour":
        return (moment - EPOCH) // dt.timedelta(hours=1)
    days = (moment.date() - EPOCH.date()).days
    if period == "day":
        return days
    if period == "week":  # ISO weeks: week 0 starts on Monday 1970-01-05
        return (days - 4) // 7
    months = (moment.year - 1970) * 12 + moment.month - 1
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    return moment.year - 1970


def reference_cohorts(
    ids: list[Any], moments: list[dt.datetime], period: str, end: dt.datetime | None = None
) -> dict[str, Any]:
    """Cohort table by walking the records with dicts and sets: slow and obviously correct."""
    active: dict[Any, set[int]] = defaultdict(set)
    for customer, moment in zip(ids, moments, strict=True):
        active[customer].add(reference_ordinal(moment, period))
    first = {customer: min(periods) for customer, periods in active.items()}
    start = min(first.values())
    last = max(max(periods) for periods in active.values())
    if end is not None:
        last = reference_ordinal(end, period)
    width = last - start + 1
    cohorts = sorted(set(first.values()))
    classic = [[0] * width for _ in cohorts]
    rolling = [[0] * width for _ in cohorts]
    for row, cohort in enumerate(cohorts):
        for customer, periods in active.items():
            if first[customer] != cohort:
                continue
            for k in range(width):
                if cohort + k in periods:
                    classic[row][k] += 1
                if max(periods) >= cohort + k:
                    rolling[row][k] += 1
    return {"cohorts": cohorts, "classic": classic, "rolling": rolling, "last": last}


def to_moments(seconds: np.ndarray) -> list[dt.datetime]:
    return [EPOCH + dt.timedelta(seconds=int(s)) for s in seconds]


# --------------------------------------------------------------------------- strategies

BASE_SECONDS = int((dt.datetime(2023, 1, 1) - EPOCH).total_seconds())
TWO_YEARS = 2 * 365 * 86_400


@st.composite
def contact_records(draw: Any, *, min_size: int = 1, max_size: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """(customer_ids, timestamps): integer, sparse-integer, float or string ids; datetime64[s] times."""
    n = draw(st.integers(min_size, max_size))
    n_customers = draw(st.integers(1, 12))
    codes = np.array(draw(st.lists(st.integers(0, n_customers - 1), min_size=n, max_size=n)), dtype=np.int64)
    kind = draw(st.sampled_from(["int", "sparse", "float", "str", "object"]))
    if kind == "int":
        ids: np.ndarray = codes - 3
    elif kind == "sparse":
        ids = codes * 10**12 + 7
    elif kind == "float":
        ids = codes.astype(np.float64) * 1.5
    elif kind == "str":
        ids = np.array([f"+4479460{c:04d}" for c in codes])
    else:
        ids = np.array([f"c{c}@example.com" for c in codes], dtype=object)
    span = draw(st.sampled_from([3 * 86_400, 60 * 86_400, TWO_YEARS]))
    offsets = draw(st.lists(st.integers(0, span), min_size=n, max_size=n))
    seconds = BASE_SECONDS + np.array(offsets, dtype=np.int64)
    return ids, seconds.astype("datetime64[s]")


def split_by_customer(ids: np.ndarray, take: np.ndarray) -> np.ndarray:
    """Mask of the records whose customer is in the chosen half (whole customers, never split)."""
    _, codes = np.unique(ids, return_inverse=True)
    return take[codes.reshape(-1) % take.shape[0]]


# --------------------------------------------------------------------------- rates from counts


def test_churn_rate_denominators_by_hand() -> None:
    # S = 200 at the start, N = 40 new, L = 30 lost, so E = 210 at the end.
    assert churn_rate(200, 30) == 30 / 200
    assert churn_rate(200, 30, new_customers=40, denominator="average") == 30 / ((200 + 210) / 2)
    assert churn_rate(200, 30, new_customers=40, denominator="serviced") == 30 / 240


def test_churn_rate_is_vectorised_over_periods() -> None:
    rates = churn_rate(np.array([100, 90, 80]), np.array([10, 9, 0]), new_customers=[0, 0, 5])
    np.testing.assert_allclose(rates, [0.1, 0.1, 0.0])
    assert churn_rate(100, [10, 20]).tolist() == [0.1, 0.2]  # scalar broadcast against periods


def test_churn_rate_start_plus_retention_is_one() -> None:
    # Without new customers, churn over the start denominator is 1 - (E - 0) / S.
    start, lost = np.array([50, 80, 7]), np.array([5, 0, 7])
    np.testing.assert_allclose(churn_rate(start, lost) + retention_rate(start, start - lost, 0), 1.0)


def test_churn_rate_average_can_exceed_one_as_documented() -> None:
    # S = 10, N = 100, L = 100: E = 10, average 10, churn 10.
    assert churn_rate(10, 100, new_customers=100, denominator="average") == 10.0


def test_churn_rate_zero_denominator_is_nan_with_warning() -> None:
    with pytest.warns(UndefinedMetricWarning):
        rates = churn_rate([0, 10], [0, 1])
    assert np.isnan(rates[0]) and rates[1] == 0.1


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"customers_at_start": [10, -1], "customers_lost": [1, 0]}, "customers_at_start"),
        ({"customers_at_start": [10, 5], "customers_lost": [1, np.nan]}, "customers_lost"),
        ({"customers_at_start": [10.5], "customers_lost": [1]}, "customers_at_start"),
        ({"customers_at_start": [10, 5], "customers_lost": [1, 6]}, "customers_lost"),
        ({"customers_at_start": [10], "customers_lost": [1], "new_customers": [-2]}, "new_customers"),
        (
            {"customers_at_start": 10, "customers_lost": 30, "new_customers": 5, "denominator": "serviced"},
            "customers_lost",
        ),
        ({"customers_at_start": 10, "customers_lost": 3, "denominator": "average"}, "new_customers"),
        ({"customers_at_start": 10, "customers_lost": 3, "denominator": "end"}, "denominator"),
        ({"customers_at_start": [1, 2], "customers_lost": [1, 2, 3]}, "customers_at_start"),
        ({"customers_at_start": None, "customers_lost": 1}, "customers_at_start"),
        ({"customers_at_start": "10", "customers_lost": 1}, "customers_at_start"),
        ({"customers_at_start": [True], "customers_lost": [1]}, "customers_at_start"),
    ],
)
def test_churn_rate_bad_input(kwargs: dict[str, Any], name: str) -> None:
    kwargs = dict(kwargs)  # the parameter dict is shared by every run of this test
    start = kwargs.pop("customers_at_start")
    lost = kwargs.pop("customers_lost")
    with pytest.raises((InvalidInputError, InvalidTypeError), match=name):
        churn_rate(start, lost, **kwargs)


def test_churn_rate_names_index_of_bad_period() -> None:
    with pytest.raises(InvalidInputError, match=r"customers_lost.*got 6 > 5 at index 1"):
        churn_rate([10, 5], [1, 6])


def test_retention_rate_by_hand() -> None:
    # (210 - 40) / 200 = 0.85; (90 - 0) / 100 = 0.9; (5 - 5) / 5 = 0.
    assert retention_rate(200, 210, 40) == 0.85
    np.testing.assert_allclose(retention_rate([200, 100, 5], [210, 90, 5], [40, 0, 5]), [0.85, 0.9, 0.0])


def test_retention_rate_zero_start_is_nan_with_warning() -> None:
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(retention_rate(0, 4, 4))


@pytest.mark.parametrize(
    ("start", "end", "new", "pattern"),
    [
        ([10, 10], [5, 3], [1, 5], r"new_customers must not exceed customers_at_end.*at index 1"),
        ([10], [25], [2], r"customers_at_end - new_customers must not exceed customers_at_start"),
        ([10], [-1], [0], r"customers_at_end must be non-negative"),
        ([10], [5], [np.nan], r"new_customers must not contain NaN"),
        ([[1, 2, 3]], [[1, 2], [1, 2]], [0], r"must have matching shapes"),
    ],
)
def test_retention_rate_bad_input(start: Any, end: Any, new: Any, pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        retention_rate(start, end, new)


def test_rates_accept_read_only_arrays() -> None:
    start, end, new = read_only([200, 100]), read_only([210, 90]), read_only([40, 0])
    np.testing.assert_allclose(retention_rate(start, end, new), [0.85, 0.9])
    np.testing.assert_allclose(churn_rate(start, read_only([30, 10])), [0.15, 0.1])


def test_convert_churn_rate_by_hand() -> None:
    # 5 % a month: 1 - 0.95 ** 12 = 0.45963991...; the inverse recovers 5 %.
    assert convert_churn_rate(0.05, 12) == pytest.approx(1 - 0.95**12, rel=1e-14)
    assert convert_churn_rate(1 - 0.95**12, 1 / 12) == pytest.approx(0.05, rel=1e-12)
    assert convert_churn_rate([0.0, 1.0], 3).tolist() == [0.0, 1.0]


@given(
    st.floats(0, 1),
    st.floats(0.01, 50),
    st.floats(0.01, 50),
)
def test_convert_churn_rate_composes_and_stays_in_bounds(churn: float, a: float, b: float) -> None:
    once = convert_churn_rate(churn, a * b)
    step = convert_churn_rate(churn, a)
    assert 0.0 <= once <= 1.0 and 0.0 <= step <= 1.0
    # A survival below ~1e-12 rounds churn to exactly 1, and no float can carry it through
    # the second step (0.75 over 27 periods: 1 - 0.25**27 == 1.0): compare only where the
    # intermediate churn still holds its survival.
    assume(1.0 - step > 1e-12)
    twice = convert_churn_rate(step, b)
    assert once == pytest.approx(twice, abs=1e-6)


@pytest.mark.parametrize(
    ("rate", "periods", "name"), [(1.5, 12, "rate"), (0.1, 0, "periods"), (-0.1, 1, "rate")]
)
def test_convert_churn_rate_bad_input(rate: float, periods: float, name: str) -> None:
    with pytest.raises(InvalidInputError, match=name):
        convert_churn_rate(rate, periods)


# --------------------------------------------------------------------------- cohorts by hand


def test_cohort_matrix_by_hand_months() -> None:
    # Jan cohort: a (Jan, Mar, Mar), b (Jan, Feb); Feb cohort: c (Feb, Apr); Apr cohort: d.
    ids = ["a", "b", "a", "b", "c", "a", "c", "d"]
    times = [
        "2024-01-03", "2024-01-31T23:59", "2024-03-01", "2024-02-01", "2024-02-15",
        "2024-03-20", "2024-04-02", "2024-04-30",
    ]  # fmt: skip
    table = repeat_contact_retention(ids, times)
    assert [str(c) for c in table.cohorts] == ["2024-01", "2024-02", "2024-04"]
    assert table.sizes.tolist() == [2, 1, 1]
    # Jan row: k=0 both; k=1 (Feb) b; k=2 (Mar) a; k=3 (Apr) nobody.
    # Feb row: k=0 c; k=1 (Mar) nobody; k=2 (Apr) c; k=3 (May) not observed.
    assert table.classic_counts.tolist() == [[2, 1, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0]]
    # Rolling: last contacts a: Mar (k=2), b: Feb (k=1) -> [2, 2, 1, 0]; c: Apr (k=2) -> [1, 1, 1, 0].
    assert table.rolling_counts.tolist() == [[2, 2, 1, 0], [1, 1, 1, 0], [1, 0, 0, 0]]
    nan = np.nan
    np.testing.assert_array_equal(table.classic_rates, [[1, 0.5, 0.5, 0], [1, 0, 1, nan], [1, nan, nan, nan]])
    np.testing.assert_array_equal(table.rolling_rates, [[1, 1, 0.5, 0], [1, 1, 1, nan], [1, nan, nan, nan]])
    # Pooled classic curve: k=1 (1 + 0) / (2 + 1); k=2 (1 + 1) / (2 + 1); k=3 0 / 2.
    np.testing.assert_allclose(table.pooled_rates, [1.0, 1 / 3, 2 / 3, 0.0])
    assert table.n_customers == 4
    assert table.offsets.tolist() == [0, 1, 2, 3]


def test_cohort_conventions_and_end() -> None:
    ids = [1, 1, 2]
    times = np.array(["2024-01-01", "2024-01-15", "2024-01-09"], dtype="datetime64[s]")
    # Days: 1 on Jan 1 and Jan 15 (k=14), 2 on Jan 9. With end Jan 20, row Jan 9 has offsets 0..11 observed.
    table = repeat_contact_retention(ids, times, period="week", convention="rolling", end="2024-01-20")
    # ISO weeks: Jan 1 (Mon) week W, Jan 9 week W+1, Jan 15 week W+2; end Jan 20 is in W+2.
    assert table.classic_counts.tolist() == [[1, 0, 1], [1, 0, 0]]
    assert table.rolling_counts.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert np.array_equal(table.rates, table.rolling_rates, equal_nan=True)
    assert table.observed.tolist() == [[True, True, True], [True, True, False]]
    later = repeat_contact_retention(ids, times, period="week", end="2024-02-05")
    assert later.classic_counts.shape == (2, 6)
    assert later.observed[1].tolist() == [True, True, True, True, True, False]


def test_cohort_customer_with_only_duplicate_contacts() -> None:
    table = repeat_contact_retention([5, 5, 5], ["2024-01-01T10:00"] * 3, period="day")
    assert table.classic_counts.tolist() == [[1]]
    assert table.classic_rates.tolist() == [[1.0]]


def test_cohort_merge_aligns_different_spans() -> None:
    # Part A: cohorts Jan (x: Jan, Feb). Part B: cohorts Mar (y: Mar, Apr, May) and Apr (z).
    a = repeat_contact_retention(["x", "x"], ["2024-01-02", "2024-02-02"])
    b = repeat_contact_retention(
        ["y", "y", "y", "z"], ["2024-03-01", "2024-04-01", "2024-05-01", "2024-04-09"]
    )
    merged = a + b
    whole = repeat_contact_retention(
        ["x", "x", "y", "y", "y", "z"],
        ["2024-01-02", "2024-02-02", "2024-03-01", "2024-04-01", "2024-05-01", "2024-04-09"],
    )
    assert merged == whole
    assert merged.classic_counts.tolist() == [
        [1, 1, 0, 0, 0],
        [1, 1, 1, 0, 0],
        [1, 0, 0, 0, 0],
    ]
    assert b + a == whole
    assert sum([a, b]) == whole


def test_cohort_merge_refuses_other_kinds_and_parameters() -> None:
    a = repeat_contact_retention([1], ["2024-01-01"])
    with pytest.raises(InvalidInputError, match="period"):
        a + repeat_contact_retention([2], ["2024-01-01"], period="week")
    with pytest.raises(InvalidInputError, match="convention"):
        a + repeat_contact_retention([2], ["2024-01-01"], convention="rolling")
    with pytest.raises(InvalidTypeError):
        a + repeat_rate([1])  # type: ignore[operator]


def test_cohort_accepts_read_only_inputs_and_leaves_them_unchanged() -> None:
    ids = read_only([3, 1, 3])
    times = read_only(np.array(["2024-01-01", "2024-01-02", "2024-03-01"], dtype="datetime64[s]"))
    table = repeat_contact_retention(ids, times)
    assert table.classic_counts.tolist() == [[2, 0, 1]]
    assert ids.tolist() == [3, 1, 3]


# --------------------------------------------------------------------------- cohorts vs reference


@pytest.mark.parametrize("path", ["dense", "sorted"])
@given(records=contact_records(), period=st.sampled_from(PERIODS), extra_days=st.sampled_from([None, 0, 45]))
@settings(max_examples=60, deadline=None)
def test_cohorts_match_reference(
    path: str, records: tuple[np.ndarray, np.ndarray], period: str, extra_days: int | None
) -> None:
    ids, times = records
    moments = to_moments(times.astype(np.int64))
    end = None if extra_days is None else max(moments) + dt.timedelta(days=extra_days)
    with pytest.MonkeyPatch.context() as patch:
        if path == "sorted":
            patch.setattr(ids_module, "_DENSE_MIN_CELLS", 0)
            patch.setattr(ids_module, "_DENSE_CELLS_PER_RECORD", 0)
        table = repeat_contact_retention(ids, times, period=period, end=end)  # type: ignore[arg-type]
    expected = reference_cohorts(ids.tolist(), moments, period, end)
    assert table.cohort_ordinals.tolist() == expected["cohorts"]
    assert table.classic_counts.tolist() == expected["classic"]
    assert table.rolling_counts.tolist() == expected["rolling"]
    assert table.last_ordinal == expected["last"]


@given(records=contact_records(), constant=st.booleans())
@settings(max_examples=60, deadline=None)
def test_text_ids_hash_path_and_collision_fallback_agree(
    records: tuple[np.ndarray, np.ndarray], constant: bool
) -> None:
    ids, times = records
    text = ids.astype(str)
    expected = reference_cohorts(text.tolist(), to_moments(times.astype(np.int64)), "month")
    # Without pyarrow text ids are hashed by numpy.
    with pytest.MonkeyPatch.context() as patch, unavailable("pyarrow"):
        if constant:  # every pair of different strings collides: the np.unique fallback must run
            patch.setattr(
                labels_module, "_text_hash", lambda codes: np.zeros(codes.shape[0], dtype=np.uint64)
            )
        for variant in (text, text.astype(object), np.char.encode(text, "utf-8")):
            table = repeat_contact_retention(variant, times)
            assert table.classic_counts.tolist() == expected["classic"]
            assert table.rolling_counts.tolist() == expected["rolling"]


@given(records=contact_records(), period=st.sampled_from(PERIODS))
@settings(max_examples=60, deadline=None)
def test_cohort_properties(records: tuple[np.ndarray, np.ndarray], period: str) -> None:
    ids, times = records
    table = repeat_contact_retention(ids, times, period=period)  # type: ignore[arg-type]
    assert table.n_customers == np.unique(ids.astype(str)).shape[0]  # sizes = distinct customers
    assert table.sizes.sum() == table.n_customers
    for rates in (table.classic_rates, table.rolling_rates):
        observed = rates[table.observed]
        assert np.all((observed >= 0) & (observed <= 1))
        assert np.all(rates[:, 0] == 1.0)  # period-0 retention is 1
        assert np.all(np.isnan(rates[~table.observed]))
    rolling = table.rolling_counts
    assert np.all(np.diff(rolling, axis=1) <= 0)  # rolling retention never increases with k
    assert np.all(table.classic_counts <= rolling)  # in period k implies in or after k
    pooled = table.pooled_rates
    assert np.all((pooled >= 0) & (pooled <= 1))


@given(records=contact_records(min_size=2), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_cohort_is_invariant_to_record_order(records: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    ids, times = records
    order = np.random.default_rng(seed).permutation(ids.shape[0])
    assert repeat_contact_retention(ids[order], times[order]) == repeat_contact_retention(ids, times)


@given(records=contact_records(min_size=2), take=st.lists(st.booleans(), min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_cohort_merge_of_disjoint_customers_equals_concatenation(
    records: tuple[np.ndarray, np.ndarray], take: list[bool]
) -> None:
    ids, times = records
    first = split_by_customer(ids, np.array(take))
    if first.all() or not first.any():
        return  # one part would be empty (a cohort table needs a contact)
    whole = repeat_contact_retention(ids, times, period="week")
    parts = repeat_contact_retention(ids[first], times[first], period="week") + repeat_contact_retention(
        ids[~first], times[~first], period="week"
    )
    assert parts == whole


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("ids", "times", "kwargs", "error", "pattern"),
    [
        ([1, 2], ["2024-01-01", "yesterday"], {}, InvalidInputError, r"timestamps.*'yesterday' at index 1"),
        ([1, 2], ["2024-01-01"], {}, InvalidInputError, r"timestamps must have the same length"),
        ([], [], {}, InvalidInputError, r"customer_ids must not be empty"),
        (
            [1.0, np.nan],
            ["2024-01-01"] * 2,
            {},
            InvalidInputError,
            r"customer_ids must not contain missing identifiers.*nan at index 1",
        ),
        (
            np.array(["a", None], dtype=object),
            ["2024-01-01"] * 2,
            {},
            InvalidInputError,
            r"customer_ids.*None",
        ),
        (
            ["a", ""],
            ["2024-01-01"] * 2,
            {},
            InvalidInputError,
            r"customer_ids must not contain empty strings",
        ),
        ([True, False], ["2024-01-01"] * 2, {}, InvalidTypeError, r"customer_ids"),
        ([[1, 2]], ["2024-01-01"], {}, InvalidInputError, r"customer_ids must be 1-D"),
        (None, ["2024-01-01"], {}, InvalidTypeError, r"customer_ids"),
        ([1], [3.5], {}, InvalidTypeError, r"timestamps"),
        (
            [1],
            np.array(["NaT"], dtype="datetime64[s]"),
            {},
            InvalidInputError,
            r"timestamps must not contain NaT",
        ),
        ([1], ["2024-01-01"], {"period": "fortnight"}, InvalidInputError, r"period"),
        ([1], ["2024-01-01"], {"convention": "bounded"}, InvalidInputError, r"convention"),
        ([1], ["2024-03-01"], {"end": "2024-01-01"}, InvalidInputError, r"end must not fall before"),
        (
            np.array([1, "a"], dtype=object),
            ["2024-01-01"] * 2,
            {},
            InvalidTypeError,
            r"customer_ids must hold labels of one comparable type",
        ),
    ],
)
def test_cohort_bad_input(ids: Any, times: Any, kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        repeat_contact_retention(ids, times, **kwargs)


def test_cohort_too_fine_a_period_is_refused() -> None:
    times = np.datetime64("2020-01-01T00", "h") + np.arange(0, 6001 * 24, 24).astype("timedelta64[h]")
    with pytest.raises(InvalidInputError, match="coarser period"):
        repeat_contact_retention(np.arange(times.shape[0]), times, period="hour")


# --------------------------------------------------------------------------- returned within, repeat rate


def reference_returned_within(
    ids: list[Any], moments: list[dt.datetime], days: float, end: dt.datetime
) -> tuple[int, int, int]:
    contacts: dict[Any, list[dt.datetime]] = defaultdict(list)
    for customer, moment in zip(ids, moments, strict=True):
        contacts[customer].append(moment)
    returned = customers = censored = 0
    window = dt.timedelta(days=days)
    for moments_of_customer in contacts.values():
        first = min(moments_of_customer)
        if end - first < window:
            censored += 1
            continue
        customers += 1
        if any(first < m <= first + window for m in moments_of_customer):
            returned += 1
    return returned, customers, censored


def test_returned_within_by_hand() -> None:
    # 1 returns after 3 days, 2 after 40, 3 never; 4 is first seen 5 days before the end (censored).
    ids = [1, 1, 2, 2, 3, 4]
    times = ["2024-01-01", "2024-01-04", "2024-01-02", "2024-02-11", "2024-01-03", "2024-03-05"]
    result = returned_within(ids, times, window_seconds=30 * 86400, end="2024-03-10")
    assert (result.returned, result.customers, result.censored) == (1, 3, 1)
    assert result.rate == 1 / 3
    # A 40-day window counts customer 2; the window is inclusive (exactly 40 days later).
    assert returned_within(ids, times, window_seconds=40 * 86400, end="2024-03-10").returned == 2
    # Without end the latest contact (Mar 5) is the end: customer 4 is still censored.
    assert returned_within(ids, times, window_seconds=30 * 86400).censored == 1


def test_returned_within_same_instant_is_not_a_return() -> None:
    result = returned_within(
        [1, 1], ["2024-01-01T10:00", "2024-01-01T10:00"], window_seconds=1 * 86400, end="2024-02-01"
    )
    assert (result.returned, result.customers) == (0, 1)


def test_returned_within_all_censored_is_nan_with_warning() -> None:
    result = returned_within([1, 2], ["2024-01-01", "2024-01-02"], window_seconds=30 * 86400)
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(result.rate)


@given(records=contact_records(), days=st.sampled_from([0.5, 1, 7, 30]), extra=st.integers(0, 40))
@settings(max_examples=60, deadline=None)
def test_returned_within_matches_reference(
    records: tuple[np.ndarray, np.ndarray], days: float, extra: int
) -> None:
    ids, times = records
    moments = to_moments(times.astype(np.int64))
    end = max(moments) + dt.timedelta(days=extra)
    result = returned_within(ids, times, window_seconds=days * 86400, end=end)
    assert (result.returned, result.customers, result.censored) == reference_returned_within(
        ids.tolist(), moments, days, end
    )


@given(records=contact_records(min_size=2), take=st.lists(st.booleans(), min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_returned_within_and_repeat_rate_merge(
    records: tuple[np.ndarray, np.ndarray], take: list[bool]
) -> None:
    ids, times = records
    first = split_by_customer(ids, np.array(take))
    if first.all() or not first.any():
        return
    end = times.max()
    whole = returned_within(ids, times, window_seconds=7 * 86400, end=end)
    assert (
        returned_within(ids[first], times[first], window_seconds=7 * 86400, end=end)
        + returned_within(ids[~first], times[~first], window_seconds=7 * 86400, end=end)
        == whole
    )
    assert repeat_rate(ids[first]) + repeat_rate(ids[~first]) == repeat_rate(ids)


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        (([1], ["2024-01-01"]), {"window_seconds": 0}, "window_seconds must be a positive duration"),
        (([1], ["2024-01-01"]), {"window_seconds": np.nan}, "window_seconds must be a positive duration"),
        (([1, 2], ["2024-01-01"]), {"window_seconds": 3}, "timestamps must have the same length"),
        (([1], ["2024-02-01"]), {"window_seconds": 3, "end": "2024-01-01"}, "end must not be before"),
    ],
)
def test_returned_within_bad_input(args: tuple[Any, ...], kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        returned_within(*args, **kwargs)


def test_repeat_rate_by_hand() -> None:
    ids = ["a", "b", "a", "c", "c", "c"]
    result = repeat_rate(ids)
    assert (result.repeat_customers, result.customers) == (2, 3)  # a and c of a, b, c
    times = ["2024-01-01", "2024-01-02", "2024-02-01", "2024-01-03", "2024-01-04", "2024-02-05"]
    january = repeat_rate(ids, times, start="2024-01-01", end="2024-01-31")  # a once, b once, c twice
    assert (january.repeat_customers, january.customers) == (1, 3)
    # end is included: up to Feb 1, a's second contact counts too.
    with_end = repeat_rate(ids, times, start="2024-01-01", end="2024-02-01")
    assert (with_end.repeat_customers, with_end.customers) == (2, 3)
    february = repeat_rate(ids, times, start="2024-02-01")  # a once, c once
    assert (february.repeat_customers, february.customers) == (0, 2)
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(repeat_rate(ids, times, start="2025-01-01").rate)


def test_no_contact_gives_undefined_rates_not_errors() -> None:
    # Zero customers: counts are zero and the rates undefined, as for every other metric.
    empty = repeat_rate([])
    assert (empty.repeat_customers, empty.customers) == (0, 0)
    returned = returned_within([], np.array([], dtype="datetime64[s]"), window_seconds=3)
    assert (returned.returned, returned.customers, returned.censored) == (0, 0, 0)
    for result in (empty, returned):
        with pytest.warns(UndefinedMetricWarning):
            assert np.isnan(result.rate)
    assert (repeat_rate([]) + repeat_rate(["a", "a"])).rate == 1.0


@given(records=contact_records())
@settings(max_examples=40, deadline=None)
def test_repeat_rate_matches_reference(records: tuple[np.ndarray, np.ndarray]) -> None:
    ids, _ = records
    counts: dict[Any, int] = defaultdict(int)
    for customer in ids.tolist():
        counts[customer] += 1
    result = repeat_rate(ids)
    assert result.customers == len(counts)
    assert result.repeat_customers == sum(1 for c in counts.values() if c >= 2)
    assert 0.0 <= result.rate <= 1.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "pattern"),
    [
        (([1, 2],), {"end": "2024-01-01"}, InvalidInputError, "timestamps are required"),
        (([1, 2], ["2024-01-01"]), {}, InvalidInputError, "timestamps must have the same length"),
        (([1.0, np.nan],), {}, InvalidInputError, "customer_ids must not contain missing identifiers"),
        (("abc",), {}, InvalidTypeError, "customer_ids"),
    ],
)
def test_repeat_rate_bad_input(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type, pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        repeat_rate(*args, **kwargs)


@pytest.mark.parametrize("library", ["list", "numpy", "pandas", "polars"])
def test_cohort_input_types(library: str) -> None:
    ids = ["a", "b", "a", "b", "c"]
    times = ["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-11", "2024-02-28"]
    expected = [[2, 1, 1], [1, 0, 0]]
    if library == "numpy":
        ids_in: Any = np.array(ids)
        times_in: Any = np.array(times, dtype="datetime64[ms]")
    elif library == "pandas":
        pd = pytest.importorskip("pandas")
        ids_in, times_in = pd.Series(ids), pd.Series(pd.to_datetime(times))
    elif library == "polars":
        pl = pytest.importorskip("polars")
        ids_in, times_in = pl.Series(ids), pl.Series(np.array(times, dtype="datetime64[us]"))
    else:
        ids_in, times_in = ids, times
    assert repeat_contact_retention(ids_in, times_in).classic_counts.tolist() == expected


@given(
    st.lists(st.integers(-(10**10), 10**10), min_size=1, max_size=50),
    st.sampled_from(PERIODS),
)
def test_fast_period_ordinals_equal_the_calendar_ones(seconds: list[int], period: str) -> None:
    # The per-day lookup table (and the direct path for wide day ranges) against _time.period_ordinals,
    # before and after 1970.
    from cskpi._core.time import period_ordinals

    stamps = np.array(seconds, dtype="datetime64[s]").astype("datetime64[us]")
    fast = retention_module.fast_period_ordinals(stamps.view(np.int64).copy(), period)  # type: ignore[arg-type]
    assert fast.tolist() == period_ordinals(stamps, period).tolist()  # type: ignore[arg-type]
