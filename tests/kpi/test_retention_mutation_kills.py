"""Tests that kill mutants of ``cskpi._kpi.retention`` which survived tests/test_retention.py.

They pin what that file leaves open: exact error and warning messages (anchored, so a
message wrapped in extra text fails), boundary cases (a count of lost customers equal to
start + new, a window ending exactly at the end of the data, a cohort table of exactly the
largest allowed size, integer ranges exactly at the compact-index limit, floats at 2**53),
object and 0-d inputs, and the private record helpers (``customer_index``,
``active_pairs``, ``customer_runs``, ``retained_pairs``,
``record_seconds``) checked directly against slow references written with Python sets,
dicts and a pure-Python FNV-1a hash. Expected values are computed by hand (in comments)
or by those references, never copied from the functions' output. The survivors that
compute the same thing are listed in /tmp/notes/_retention.equivalent.md.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi._core.ids as ids_module
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
from cskpi._core.ids import active_pairs, customer_index, customer_runs, retained_pairs
from cskpi._core.periods import fast_period_ordinals, record_times


def exact(message: str) -> str:
    """A pattern matching exactly ``message`` (``pytest.raises(match=...)`` searches)."""
    return "^" + re.escape(message) + "$"


def undefined(what: str) -> str:
    return exact(f"{what} is undefined for zero observations; returning NaN")


# --------------------------------------------------------------------------- counts: exact messages

COUNT_ERRORS = [
    # Booleans are refused before anything else, naming the unit (customers by default).
    (
        lambda: churn_rate(True, 1),
        InvalidTypeError,
        "customers_at_start must be counts of customers, not booleans; got True",
    ),
    # An object array that does not convert to numbers.
    (
        lambda: churn_rate(np.array([10, "ten"], dtype=object), 1),
        InvalidTypeError,
        "customers_at_start must contain numbers; got str 'ten' at index 1",
    ),
    # A string array is not numbers (it must not be parsed as '10' -> 10 either).
    (
        lambda: churn_rate(np.array(["a"]), [1]),
        InvalidTypeError,
        "customers_at_start must contain numbers; got str 'a' at index 0",
    ),
    (
        lambda: churn_rate(np.array(["10"]), [1]),
        InvalidTypeError,
        "customers_at_start must contain numbers; got str '10' at index 0",
    ),
    # Scalars: negative, infinite, fractional; each argument named.
    (
        lambda: churn_rate(-1, 0),
        InvalidInputError,
        "customers_at_start must be a non-negative whole number of customers; got -1",
    ),
    (
        lambda: churn_rate(np.inf, 1),
        InvalidInputError,
        "customers_at_start must be a non-negative whole number of customers; got inf",
    ),
    (
        lambda: churn_rate(2.5, 1),
        InvalidInputError,
        "customers_at_start must be a non-negative whole number of customers; got 2.5",
    ),
    (
        lambda: churn_rate(10, -1),
        InvalidInputError,
        "customers_lost must be a non-negative whole number of customers; got -1",
    ),
    (
        lambda: churn_rate(10, 1, new_customers=-1),
        InvalidInputError,
        "new_customers must be a non-negative whole number of customers; got -1",
    ),
    (
        lambda: retention_rate(-1, 0, 0),
        InvalidInputError,
        "customers_at_start must be a non-negative whole number of customers; got -1",
    ),
    # Shapes that do not broadcast: every argument named, with its shape.
    (
        lambda: churn_rate([1, 2], [1, 2, 3]),
        InvalidInputError,
        "customers_at_start and customers_lost must have matching shapes; "
        "got customers_at_start (2,), customers_lost (3,)",
    ),
    (
        lambda: churn_rate([1, 2], [1, 2, 3], new_customers=[0, 0, 0, 0]),
        InvalidInputError,
        "customers_at_start and customers_lost and new_customers must have matching shapes; "
        "got customers_at_start (2,), customers_lost (3,), new_customers (4,)",
    ),
    (
        lambda: retention_rate([1, 2], [1, 2, 3], [0, 0, 0, 0]),
        InvalidInputError,
        "customers_at_start and customers_at_end and new_customers must have matching shapes; "
        "got customers_at_start (2,), customers_at_end (3,), new_customers (4,)",
    ),
    (
        lambda: convert_churn_rate([0.1, 0.2], [1, 2, 3]),
        InvalidInputError,
        "rate and periods must have matching shapes; got rate (2,), periods (3,)",
    ),
    # Impossible periods: a scalar has no index, an array names the first bad one.
    (
        lambda: churn_rate(5, 6),
        InvalidInputError,
        "customers_lost must not exceed customers_at_start with denominator='start' (count only "
        "customers present at the start, or use denominator='serviced'); got 6 > 5",
    ),
    (
        # Period 1: 9 lost of 5 + 2 = 7 served.
        lambda: churn_rate([10, 5], [1, 9], new_customers=[0, 2], denominator="serviced"),
        InvalidInputError,
        "customers_lost must not exceed customers_at_start + new_customers; got 9 > 7 at index 1",
    ),
    (
        lambda: churn_rate(5, 9, new_customers=2, denominator="average"),
        InvalidInputError,
        "customers_lost must not exceed customers_at_start + new_customers; got 9 > 7",
    ),
    (
        lambda: retention_rate([10, 10], [5, 3], [1, 5]),
        InvalidInputError,
        "new_customers must not exceed customers_at_end (E - N is the number of retained customers); "
        "got 5 > 3 at index 1",
    ),
    (
        # 25 - 2 = 23 retained of 10.
        lambda: retention_rate([10], [25], [2]),
        InvalidInputError,
        "customers_at_end - new_customers must not exceed customers_at_start (more customers retained "
        "than there were); got 23 > 10 at index 0",
    ),
    # convert_churn_rate: names, shown values (1.5 is not shown as 1), NaN, booleans, dtypes, dims.
    (lambda: convert_churn_rate(1.5, 12), InvalidInputError, "rate must be in [0, 1]; got 1.5"),
    (
        lambda: convert_churn_rate([0.1, 1.5], 1),
        InvalidInputError,
        "rate must be in [0, 1]; got 1.5 at index 1",
    ),
    (lambda: convert_churn_rate(0.1, 0), InvalidInputError, "periods must be positive and finite; got 0"),
    (
        lambda: convert_churn_rate(0.1, [1, 0]),
        InvalidInputError,
        "periods must be positive and finite; got 0 at index 1",
    ),
    (
        lambda: convert_churn_rate(True, 1),
        InvalidTypeError,
        "rate must be a number, not a boolean; got True",
    ),
    (
        lambda: convert_churn_rate(np.array(["a"]), 1),
        InvalidTypeError,
        "rate must contain numbers; got str 'a' at index 0",
    ),
    (
        lambda: convert_churn_rate([0.1, np.nan], 1),
        InvalidInputError,
        "rate must not contain NaN; got nan at index 1",
    ),
    (
        lambda: convert_churn_rate(np.zeros((1, 1, 1)), 1),
        InvalidInputError,
        "rate must be 0-D or 1-D or 2-D; got an array of shape (1, 1, 1)",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), COUNT_ERRORS)
def test_rate_errors_have_exact_messages(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=exact(message)):
        call()


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda: churn_rate(0, 0), "churn rate"),
        (lambda: churn_rate(0, 0, new_customers=0, denominator="serviced"), "churn rate"),
        (lambda: churn_rate(0, 0, new_customers=0, denominator="average"), "churn rate"),
        (lambda: retention_rate(0, 0, 0), "retention rate"),
    ],
)
def test_zero_denominator_warnings_name_the_rate(call: Any, what: str) -> None:
    with pytest.warns(UndefinedMetricWarning, match=undefined(what)):
        assert np.isnan(call())


def test_counts_accept_object_and_zero_d_arrays() -> None:
    # 30 / 200 = 0.15 and 4 / 40 = 0.1, whatever container holds the numbers.
    rates = churn_rate(np.array([200, 40], dtype=object), [30, 4])
    assert rates.tolist() == [0.15, 0.1]
    assert churn_rate(np.array(200), np.array(30)) == 0.15
    # (210 - 40) / 200 = 0.85 from object arrays.
    assert retention_rate(np.array([200], dtype=object), [210], [40]).tolist() == [0.85]


def test_churn_rate_all_served_customers_lost_is_one() -> None:
    # 10 at the start, 5 new, all 15 lost: serviced churn 15 / 15 = 1 (not an error);
    # average: E = 10 + 5 - 15 = 0, so 15 / ((10 + 0) / 2) = 3.
    assert churn_rate(10, 15, new_customers=5, denominator="serviced") == 1.0
    assert churn_rate(10, 15, new_customers=5, denominator="average") == 3.0


def test_convert_churn_rate_number_forms() -> None:
    # 1 - 0.95**12 = 0.459639...; the same for a 0-d array and a 2-D array.
    expected = 1 - 0.95**12
    assert convert_churn_rate(np.array(0.05), 12) == pytest.approx(expected, rel=1e-14)
    assert convert_churn_rate([[0.05]], [[12]]) == pytest.approx(np.array([[expected]]), rel=1e-14)
    # A Python int beyond int64 (2**70 periods) is a number: 1 - 0.5**(2**70) is 1.0.
    assert convert_churn_rate(0.5, 2**70) == 1.0


# --------------------------------------------------------------------------- customer_index


def test_customer_index_compact_integers_are_shifted() -> None:
    # ids 5, 7, 5: shifted by the lowest id, slots 0..2 (slot 1 has no customer).
    codes, n_slots = customer_index(np.array([5, 7, 5]))
    assert (codes.tolist(), n_slots) == ([0, 2, 0], 3)
    # Whole floats (here above 2 * 53) are integers too: 200 -> 0, 202 -> 2.
    codes, n_slots = customer_index(np.array([200.0, 202.0, 200.0]))
    assert (codes.tolist(), n_slots) == ([0, 2, 0], 3)
    assert codes.dtype == np.intp


def test_customer_index_fractional_floats_stay_distinct() -> None:
    # 1.5 and 1.7 are different customers (truncating both to 1 would merge them).
    codes, n_slots = customer_index(np.array([1.5, 1.7, 1.5]))
    assert n_slots == 2
    assert codes[0] == codes[2] != codes[1]


def test_customer_index_floats_from_two_to_the_53_are_not_taken_for_integers() -> None:
    # 2**53 - 2 and 2**53: 2**53 is not below 2**53, so the floats are factorised by value
    # (two slots), not shifted to the integer range 0..2 (three slots).
    codes, n_slots = customer_index(np.array([2.0**53 - 2, 2.0**53]))
    assert n_slots == 2
    assert sorted(codes.tolist()) == [0, 1]


@pytest.mark.parametrize(
    ("ids", "expected_slots"),
    [
        # 3 records: the compact range holds at most 2 * 3 + 1024 = 1030 slots.
        ([0, 1, 1029], 1030),  # span 1030: used as is
        ([0, 1, 1030], 3),  # span 1031: factorised into 3 customers
        # The largest int64 as an id: span 3 is compact.
        ([np.iinfo(np.int64).max - 2, np.iinfo(np.int64).max], 3),
    ],
)
def test_customer_index_compact_range_limit(ids: list[int], expected_slots: int) -> None:
    codes, n_slots = customer_index(np.array(ids, dtype=np.int64))
    assert n_slots == expected_slots
    if expected_slots == 3 and ids[-1] - ids[0] == 2:
        assert codes.tolist() == [0, 2]
    elif expected_slots == 3:
        assert codes.tolist() == [0, 1, 2]
    else:
        assert codes.tolist() == [0, 1, 1029]


def test_customer_index_uses_an_intp_input_starting_at_zero_without_a_copy() -> None:
    ids = np.array([0, 2, 1, 2], dtype=np.intp)
    codes, n_slots = customer_index(ids)
    assert n_slots == 3 and codes.tolist() == [0, 2, 1, 2]
    assert np.shares_memory(codes, ids)  # large inputs cost no extra memory


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        (
            np.array([True, False]),
            InvalidTypeError,
            "customer_ids must be customer identifiers (integers or strings), not booleans",
        ),
        (
            np.array([1 + 2j]),
            InvalidTypeError,
            "customer_ids must be customer identifiers (integers or strings); got dtype complex128",
        ),
        (
            np.array(["a", ""], dtype=object),
            InvalidInputError,
            "customer_ids must not contain empty strings (missing identifiers); got '' at index 1",
        ),
        (
            np.array([b"a", b""]),
            InvalidInputError,
            "customer_ids must not contain empty strings (missing identifiers); got '' at index 1",
        ),
        (
            np.array(["a", "", "b"]),
            InvalidInputError,
            "customer_ids must not contain empty strings (missing identifiers); got '' at index 1",
        ),
    ],
)
def test_customer_index_errors(ids: np.ndarray, error: type, message: str) -> None:
    with pytest.raises(error, match=exact(message)):
        customer_index(ids)


# --------------------------------------------------------------------------- text ids

TEXT_IDS = ["b", "a", "c", "b", "dd", "a", "c", "+447946000123", "dd"]


@pytest.mark.parametrize("container", ["list", "str", "object", "bytes"])
def test_text_ids_share_an_index_exactly_when_equal(container: str) -> None:
    if container == "list":
        ids: Any = list(TEXT_IDS)
    elif container == "str":
        ids = np.array(TEXT_IDS)
    elif container == "object":
        ids = np.array(TEXT_IDS, dtype=object)
    else:
        ids = np.char.encode(np.array(TEXT_IDS), "utf-8")
    codes, n_slots = customer_index(ids)
    # 5 distinct identifiers: each gets one index in 0..4, shared by its records only.
    assert n_slots == 5 and sorted(set(codes.tolist())) == [0, 1, 2, 3, 4]
    for i, first in enumerate(TEXT_IDS):
        for j, second in enumerate(TEXT_IDS):
            assert (codes[i] == codes[j]) == (first == second)
    assert codes.dtype == np.intp


def test_text_ids_of_no_identifiers() -> None:
    codes, n_slots = customer_index(np.array([], dtype="U3"))
    assert codes.shape == (0,) and n_slots == 0


# --------------------------------------------------------------------------- records and periods


def test_record_times_uses_datetime64_microseconds_through_a_view() -> None:
    stamps = np.array(["2024-01-01T00:00:00", "2024-01-02T00:00:01.5"], dtype="datetime64[us]")
    micros = record_times(stamps, 2).stamps.view(np.int64)
    # 2024-01-01 is day 19723 since 1970: 19723 * 86400 = 1704067200.
    assert micros.tolist() == [1_704_067_200_000_000, (1_704_067_200 + 86_400 + 1) * 1_000_000 + 500_000]
    assert np.shares_memory(micros, stamps)


def test_fast_period_ordinals_of_no_records() -> None:
    for period in ("day", "week", "month"):
        result = fast_period_ordinals(np.zeros(0, dtype=np.int64), period)  # type: ignore[arg-type]
        assert result.shape == (0,)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: repeat_contact_retention([1, 2], ["2024-01-01", "yesterday"]),
            "timestamps must be timestamps (datetime64 or ISO 8601 strings); got 'yesterday' at index 1",
        ),
        (
            lambda: repeat_contact_retention([], []),
            "customer_ids must not be empty: retention needs at least one contact",
        ),
        (
            lambda: repeat_contact_retention([1], ["2024-01-01"], end="soon"),
            "end must be timestamps (datetime64 or ISO 8601 strings); got 'soon' at index 0",
        ),
        (
            lambda: repeat_contact_retention([1], ["2024-01-01"], end=["2024-02-01", "2024-03-01"]),
            "end must be one timestamp; got 2 values",
        ),
        (
            lambda: returned_within([1], ["2024-01-01"], window_seconds=1 * 86400, end="soon"),
            "end must be timestamps (datetime64 or ISO 8601 strings); got 'soon' at index 0",
        ),
        (
            lambda: repeat_rate([1, 2], end="2024-01-01"),
            "timestamps are required with start or end; got None",
        ),
        (
            lambda: repeat_rate([1], ["2024-01-01"], end="soon"),
            "end must be timestamps (datetime64 or ISO 8601 strings); got 'soon' at index 0",
        ),
        (
            lambda: repeat_rate([1], ["2024-01-01"], start="soon"),
            "start must be timestamps (datetime64 or ISO 8601 strings); got 'soon' at index 0",
        ),
    ],
)
def test_record_errors_have_exact_messages(call: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=exact(message)):
        call()


# --------------------------------------------------------------------------- active pairs, runs, retained pairs


def reference_pairs(customers: list[int], offsets: list[int]) -> list[tuple[int, int]]:
    return sorted(set(zip(customers, offsets, strict=True)))


@pytest.mark.parametrize("path", ["dense", "sorted"])
@pytest.mark.parametrize("chunk", [1 << 20, 2])
@given(
    records=st.lists(st.tuples(st.integers(1, 6), st.integers(0, 4)), min_size=1, max_size=25),
)
@settings(max_examples=40, deadline=None)
def test_active_pairs_match_a_set_of_pairs(path: str, chunk: int, records: list[tuple[int, int]]) -> None:
    # Customers from 1 on (slot 0 empty), so the first pair's key is never already its offset.
    customers = np.array([c for c, _ in records], dtype=np.intp)
    offsets = np.array([o for _, o in records], dtype=np.int64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ids_module, "_CHUNK_ROWS", chunk)
        if path == "sorted":
            patch.setattr(ids_module, "_DENSE_MIN_CELLS", 0)
            patch.setattr(ids_module, "_DENSE_CELLS_PER_RECORD", 0)
        rows, columns = active_pairs(customers, 7, offsets, 5)
    expected = reference_pairs(customers.tolist(), offsets.tolist())
    assert list(zip(rows.tolist(), columns.tolist(), strict=True)) == expected


def test_active_pairs_by_hand_without_customer_zero() -> None:
    # Customers 2 (period 0) and 1 (period 1), width 2: pairs (1, 1) and (2, 0).
    rows, columns = active_pairs(np.array([2, 1], dtype=np.intp), 3, np.array([0, 1], dtype=np.int64), 2)
    assert rows.tolist() == [1, 2]
    assert columns.tolist() == [1, 0]


def test_active_pairs_keys_beyond_float_precision_stay_exact() -> None:
    # Customer 2**40 in period 2**14 - 1 of 2**14: its cell key 2**54 + 2**14 - 1 is above
    # 2**53, where float64 (or a true division by the width) would round it into the next
    # customer. The cell space is far too large for the boolean array: the keys are sorted.
    width = 2**14
    customers = np.array([2**40, 3], dtype=np.intp)
    offsets = np.array([width - 1, 0], dtype=np.int64)
    rows, columns = active_pairs(customers, 2**40 + 1, offsets, width)
    assert rows.tolist() == [3, 2**40]
    assert columns.tolist() == [0, width - 1]


def test_customer_runs_of_no_pairs_are_empty_index_arrays() -> None:
    starts, stops = customer_runs(np.zeros(0, dtype=np.intp))
    assert starts.shape == stops.shape == (0,)
    assert starts.dtype == stops.dtype == np.intp
    columns = np.zeros(0, dtype=np.intp)
    assert columns[starts].shape == (0,)  # usable as indices


def test_customer_runs_by_hand() -> None:
    # Customers 0, 0, 3, 5, 5, 5: runs [0, 1], [2, 2], [3, 5].
    starts, stops = customer_runs(np.array([0, 0, 3, 5, 5, 5], dtype=np.intp))
    assert starts.tolist() == [0, 2, 3]
    assert stops.tolist() == [1, 2, 5]


def reference_retained(pairs: list[tuple[int, int]]) -> int:
    present = set(pairs)
    return sum(1 for customer, period in present if (customer, period + 1) in present)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], 0),
        ([(0, 0)], 0),
        ([(0, 0), (0, 1)], 1),  # one customer in two consecutive periods
        ([(0, 0), (0, 2)], 0),  # a gap
        ([(0, 0), (1, 1)], 0),  # consecutive periods, different customers
        ([(0, 0), (0, 1), (0, 2)], 2),
        ([(0, 0), (1, 1), (1, 2)], 1),
        ([(0, 0), (0, 1), (1, 2)], 1),
        ([(0, 1), (0, 3), (2, 0), (2, 1), (2, 2), (4, 5)], 2),
    ],
)
def test_retained_pairs_by_hand(pairs: list[tuple[int, int]], expected: int) -> None:
    assert reference_retained(pairs) == expected
    rows = np.array([c for c, _ in pairs], dtype=np.intp)
    columns = np.array([p for _, p in pairs], dtype=np.intp)
    assert retained_pairs(rows, columns) == expected


@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 6)), max_size=30))
@settings(max_examples=50, deadline=None)
def test_retained_pairs_match_a_set_reference(pairs: set[tuple[int, int]]) -> None:
    ordered = sorted(pairs)
    rows = np.array([c for c, _ in ordered], dtype=np.intp)
    columns = np.array([p for _, p in ordered], dtype=np.intp)
    assert retained_pairs(rows, columns) == reference_retained(ordered)


# --------------------------------------------------------------------------- cohort tables


def test_cohort_merge_keeps_int64_counts_and_names_the_kinds() -> None:
    a = repeat_contact_retention(["x", "x"], ["2024-01-02", "2024-02-02"])
    b = repeat_contact_retention(["y"], ["2024-03-01"])
    merged = a + b
    # x: Jan cohort, seen Jan and Feb; y: Mar cohort. Width Jan..Mar = 3.
    assert merged.classic_counts.tolist() == [[1, 1, 0], [1, 0, 0]]
    assert merged.classic_counts.dtype == np.int64
    assert merged.last_contact_counts.dtype == np.int64
    assert merged.cohort_ordinals.dtype == np.int64
    with pytest.raises(
        InvalidTypeError,
        match=exact("cannot add RepeatRate to CohortRetention: only results of the same kind merge"),
    ):
        a + repeat_rate([1])  # type: ignore[operator]


def test_cohort_ordinals_are_int64_calendar_ordinals() -> None:
    # January 2024 is month (2024 - 1970) * 12 = 648, March 650.
    table = repeat_contact_retention([1, 2], ["2024-01-05", "2024-03-05"])
    assert table.cohort_ordinals.tolist() == [648, 650]
    assert table.cohort_ordinals.dtype == np.int64


def test_cohort_rates_of_an_empty_cohort_warn_by_name() -> None:
    from cskpi import CohortRetention

    table = CohortRetention(
        cohort_ordinals=np.array([0]),
        classic_counts=np.zeros((1, 1), dtype=np.int64),
        last_contact_counts=np.zeros((1, 1), dtype=np.int64),
        last_ordinal=0,
        period="month",
        convention="classic",
    )
    # Only a hand-built result can have an empty cohort; its rates are NaN with a warning.
    with pytest.warns(UndefinedMetricWarning, match=undefined("cohort retention rate")):
        assert np.isnan(table.classic_rates[0, 0])


def test_cohort_table_of_exactly_the_largest_size_is_built() -> None:
    # Cohorts Jan and Feb, observed Jan..Mar: 2 x 3 = 6 cells.
    ids, times = [1, 2, 1], ["2024-01-05", "2024-02-05", "2024-03-05"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(retention_module, "_MAX_MATRIX_CELLS", 6)
        table = repeat_contact_retention(ids, times)
        assert table.classic_counts.tolist() == [[1, 0, 1], [1, 0, 0]]
        patch.setattr(retention_module, "_MAX_MATRIX_CELLS", 5)
        with pytest.raises(
            InvalidInputError,
            match=exact(
                "period='month' gives a cohort table of 2 x 3 cells (more than 5); use a coarser period"
            ),
        ):
            repeat_contact_retention(ids, times)


def test_cohort_end_given_as_a_one_element_array() -> None:
    ids, times = [1, 1], ["2024-01-05", "2024-02-05"]
    expected = repeat_contact_retention(ids, times, end="2024-04-01")
    for end in (["2024-04-01"], np.array(["2024-04-01"], dtype="datetime64[s]")):
        table = repeat_contact_retention(ids, times, end=end)
        # Jan..Apr observed: width 4, customer 1 in Jan (k=0) and Feb (k=1).
        assert table.classic_counts.tolist() == [[1, 1, 0, 0]]
        assert table == expected


# --------------------------------------------------------------------------- returned within, repeat rate


def test_returned_within_window_ending_exactly_at_the_end_is_complete() -> None:
    # First contact Jan 1, end Jan 31: exactly 30 days observed, so the 30-day window is
    # complete (not censored); no return.
    result = returned_within([1], ["2024-01-01"], window_seconds=30 * 86400, end="2024-01-31")
    assert (result.returned, result.customers, result.censored) == (0, 1, 0)
    assert result.days == 30.0
    # One second less is censored.
    result = returned_within([1], ["2024-01-01T00:00:01"], window_seconds=30 * 86400, end="2024-01-31")
    assert (result.returned, result.customers, result.censored) == (0, 0, 1)


def test_returned_within_end_given_as_a_one_element_array() -> None:
    # 1 returns after 3 days; 2 is first seen 5 days before the end (censored).
    ids, times = [1, 1, 2], ["2024-01-01", "2024-01-04", "2024-03-05"]
    for end in (["2024-03-10"], np.array(["2024-03-10"], dtype="datetime64[s]")):
        result = returned_within(ids, times, window_seconds=30 * 86400, end=end)
        assert (result.returned, result.customers, result.censored) == (1, 1, 1)


def test_repeat_rate_windows() -> None:
    ids = ["a", "b", "a", "c", "c", "c"]
    times = ["2024-01-01", "2024-01-02", "2024-02-01", "2024-01-03", "2024-01-04", "2024-02-05"]
    # End only (up to Jan 31): a once, b once, c twice -> 1 of 3.
    before = repeat_rate(ids, times, end="2024-01-31")
    assert (before.repeat_customers, before.customers) == (1, 3)
    # Jan 3 <= t <= Feb 3: c (Jan 3, Jan 4), a (Feb 1) -> 1 of 2 (b and a's Jan 1 are before).
    window = repeat_rate(ids, times, start="2024-01-03", end="2024-02-03")
    assert (window.repeat_customers, window.customers) == (1, 2)
    # Bounds as one-element arrays: the same window.
    for start, end in (
        (["2024-01-03"], ["2024-02-03"]),
        (np.array(["2024-01-03"], dtype="datetime64[s]"), None),
    ):
        # From Jan 3 on without an end: c 3 times, a once (Feb 1), b none -> 1 of 2 as well.
        result = repeat_rate(ids, times, start=start, end=end)
        assert (result.repeat_customers, result.customers) == (1, 2)
