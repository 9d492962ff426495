"""Tests that kill mutants of ``cskpi._core.labels`` which survived tests/test_core.py.

They pin what that file leaves open: exact error messages of ``factorize`` (anchored, so a
message wrapped in extra text fails) and the key names they carry, label keys at the
int64/uint64 limits, codes that never alias the caller's labels, ``combine_codes`` with a
single key (used when merging single-key grouped results) and with mismatched arguments,
``count_cells`` and ``grouped_quantiles`` on 2-D and object inputs and on empty inputs,
``quantile_positions`` clipping fractions above 1, ``_positions`` with mixed scalar and
per-row bounds and with spans below 1, the first pass over several chunks and over values
with no finite one, refinement of ungrouped values, and ``grouped_order_statistics``
(not called by any other test) against a sorted-list reference. Expected values are
computed by hand (in comments) or by slow references (``sorted``, ``np.unique``,
``np.quantile(method="inverted_cdf")`` per group), never copied from the functions'
output. The survivors that compute the same thing are listed in
/tmp/notes/_grouping.equivalent.md.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import cskpi._core.labels as grouping
from cskpi import InvalidInputError, InvalidTypeError

FRACTIONS = np.array([0.125, 0.25, 0.5, 0.75, 1.0])  # exact in binary: no rounding of q * n


def _reference_quantiles(values: np.ndarray, codes: np.ndarray | None, n_groups: int) -> np.ndarray:
    """np.quantile(method="inverted_cdf") group by group; NaN rows for empty groups."""
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    codes = np.zeros(flat.shape[0], dtype=np.intp) if codes is None else np.asarray(codes).reshape(-1)
    rows = []
    for group in range(n_groups):
        members = flat[codes == group]
        if members.size == 0:
            rows.append(np.full(FRACTIONS.shape[0], np.nan))
        else:
            rows.append(np.quantile(members, FRACTIONS, method="inverted_cdf"))
    return np.array(rows).reshape(n_groups, FRACTIONS.shape[0])


def _reference_order_statistics(values: list[float], codes: list[int], ranks: list[list[int]]) -> np.ndarray:
    """The ranks[g][j]-th smallest of group g from sorted Python lists; NaN for a negative rank."""
    members: dict[int, list[float]] = {g: [] for g in range(len(ranks))}
    for value, code in zip(values, codes, strict=True):
        members[code].append(value)
    return np.array(
        [[sorted(members[g])[r] if r >= 0 else np.nan for r in row] for g, row in enumerate(ranks)]
    )


# --------------------------------------------------------------------------- factorize


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        (
            np.array([1.0, np.nan, 2.0, np.nan]),
            InvalidInputError,
            "by must not contain missing labels (None, NaN or null); got nan at index 1",
        ),
        (
            np.array(["2024-01-01", "2024-01-02", "NaT"], dtype="datetime64[D]"),
            InvalidInputError,
            "by must not contain missing labels (None, NaN or null); got NaT at index 2",
        ),
        (
            np.array([5, "NaT", 7], dtype="timedelta64[s]"),
            InvalidInputError,
            "by must not contain missing labels (None, NaN or null); got NaT at index 1",
        ),
        (np.array([1 + 2j, 3 + 0j]), InvalidTypeError, "by must hold sortable labels; got dtype complex128"),
    ],
)
def test_factorize_rejects_unsortable_labels_with_exact_messages(
    labels: np.ndarray, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        grouping.factorize(labels, labels.shape[0])
    # The same check through optional_groups names the argument "by" as well.
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        grouping.optional_groups(labels, labels.shape[0])
    # In a tuple of keys the message names the key by its position.
    other = np.arange(labels.shape[0])
    with pytest.raises(error, match=f"^{re.escape(message.replace('by ', 'by[1] ', 1))}$"):
        grouping.factorize((other, labels), labels.shape[0])


def test_factorize_argument_errors_name_the_key() -> None:
    with pytest.raises(
        InvalidInputError, match=f"^{re.escape('by must hold at least one label array; got an empty tuple')}$"
    ):
        grouping.factorize((), 3)
    with pytest.raises(
        InvalidInputError, match=f"^{re.escape('by must have one label per row (3); got length 2')}$"
    ):
        grouping.factorize(["a", "b"], 3)
    with pytest.raises(
        InvalidInputError, match=f"^{re.escape('by[1] must have one label per row (2); got length 4')}$"
    ):
        grouping.factorize((["a", "b"], [1, 2, 3, 4]), 2)
    # A key that is not array-like: to_array's message carries the key's name.
    message = "by[1] must be array-like (list, tuple, numpy array, pandas or polars Series); got int"
    with pytest.raises(InvalidTypeError, match=f"^{re.escape(message)}$"):
        grouping.factorize((["a", "b"], 5), 2)
    with pytest.raises(InvalidInputError, match=r"^team must have one label per row \(1\); got length 2$"):
        grouping.factorize(["a", "b"], 1, name="team")


def test_groups_name_their_keys() -> None:
    assert grouping.optional_groups(None, 3) is None
    assert grouping.optional_groups(["x", "y", "x"], 3).names == ("by",)  # type: ignore[union-attr]
    groups = grouping.factorize((["x", "y", "x"], [2, 1, 2]), 3)
    assert groups.names == ("by[0]", "by[1]")
    # Two distinct (label, label) pairs, sorted: ("x", 2) and ("y", 1).
    assert groups.labels[0].tolist() == ["x", "y"] and groups.labels[1].tolist() == [2, 1]
    assert groups.codes.tolist() == [0, 1, 0]


def test_factorize_empty_key_gives_empty_intp_codes() -> None:
    for labels in (np.zeros(0), np.zeros(0, dtype=np.int64), np.array([], dtype="U3")):
        groups = grouping.factorize(labels, 0)
        assert groups.codes.dtype == np.intp and groups.codes.shape == (0,)
        assert groups.labels[0].shape == (0,) and groups.labels[0].dtype == labels.dtype
        assert groups.n_groups == 0


@pytest.mark.parametrize(
    "labels",
    [
        np.array([2**63 - 1, 2**63 - 2, 2**63 - 1], dtype=np.int64),  # int64 max as a label
        np.array([2**62 + 1, 2**62, 2**62 + 1], dtype=np.int64),  # just past the compact range
        np.array([2**64 - 1, 2**63, 2**64 - 1, 2**63 + 5], dtype=np.uint64),
        np.array([2**63], dtype=np.uint64),
        np.array([-(2**63), -(2**63) + 3, -(2**63)], dtype=np.int64),
    ],
)
def test_factorize_keys_at_the_integer_limits(labels: np.ndarray) -> None:
    groups = grouping.factorize(labels, labels.shape[0])
    # Reference: Python ints (no wrapping), sorted distinct values and each row's position among them.
    distinct = sorted(set(labels.tolist()))
    assert groups.labels[0].tolist() == distinct
    assert groups.labels[0].dtype == labels.dtype
    assert groups.codes.tolist() == [distinct.index(value) for value in labels.tolist()]


def test_factorize_codes_do_not_alias_the_callers_labels() -> None:
    # intp labels 0..2, all present: the codes equal the labels, but must be a copy, or
    # changing the caller's array afterwards would silently regroup the rows.
    labels = np.array([0, 2, 1, 2], dtype=np.intp)
    groups = grouping.factorize(labels, 4)
    assert not np.shares_memory(groups.codes, labels)
    labels[:] = 0
    assert groups.codes.tolist() == [0, 2, 1, 2]


def test_factorize_matches_unique_for_mixed_key_kinds() -> None:
    keys = [
        np.array([True, False, True, True]),
        np.array([True, True]),
        np.array([3, -7, 3, 1000], dtype=np.int16),
        np.array([5, 5, 9], dtype=np.uint8),
    ]
    for labels in keys:
        groups = grouping.factorize(labels, labels.shape[0])
        expected_labels, expected_codes = np.unique(labels, return_inverse=True)
        assert groups.labels[0].tolist() == expected_labels.tolist()
        assert groups.labels[0].dtype == labels.dtype
        assert groups.codes.tolist() == expected_codes.reshape(-1).tolist()


# --------------------------------------------------------------------------- combine / decode


def test_combine_codes_with_one_key() -> None:
    # One key (as when two single-key grouped results are merged): codes 2, 0, 2 of 3
    # labels -> distinct combinations 0 and 2, rows coded 1, 0, 1.
    codes, combos = grouping.combine_codes((np.array([2, 0, 2], dtype=np.intp),), (3,))
    assert codes.tolist() == [1, 0, 1]
    assert combos.tolist() == [[0], [2]]
    assert [label.tolist() for label in grouping.decode_combos(combos, (np.array(["a", "b", "c"]),))] == [
        ["a", "c"]
    ]


def test_combine_codes_two_keys_against_a_dict() -> None:
    first = np.array([1, 0, 1, 1, 0], dtype=np.intp)  # of 2 labels
    second = np.array([2, 2, 0, 2, 1], dtype=np.intp)  # of 3 labels
    codes, combos = grouping.combine_codes((first, second), (2, 3))
    # Mixed radix: first * 3 + second = 5, 2, 3, 5, 1 -> sorted distinct 1, 2, 3, 5,
    # that is the code pairs (0, 1), (0, 2), (1, 0), (1, 2).
    assert combos.tolist() == [[0, 1], [0, 2], [1, 0], [1, 2]]
    assert codes.tolist() == [3, 1, 2, 3, 0]
    decoded = grouping.decode_combos(combos, (np.array(["p", "q"]), np.array([10, 20, 30])))
    assert [d.tolist() for d in decoded] == [["p", "p", "q", "q"], [20, 30, 10, 30]]


def test_combine_codes_rejects_mismatched_sizes() -> None:
    codes = (np.array([0, 1], dtype=np.intp), np.array([1, 0], dtype=np.intp))
    with pytest.raises(ValueError, match="zip"):
        grouping.combine_codes(codes, (2,))
    with pytest.raises(ValueError, match="zip"):
        grouping.combine_codes(codes[:1], (2, 2))


# --------------------------------------------------------------------------- count_cells


def test_count_cells_flattens_2d_inputs() -> None:
    values = np.array([[0, 1, 1], [2, 0, 1]], dtype=np.int8)
    codes = np.array([[0, 1, 1], [0, 0, 1]], dtype=np.intp)
    keep = np.array([[True, True, False], [True, True, True]])
    # Rows (group, value, kept): (0,0,y) (1,1,y) (1,1,n) (0,2,y) (0,0,y) (1,1,y).
    assert grouping.count_cells(values, 3).tolist() == [2, 3, 1]
    assert grouping.count_cells(values, 3, keep=keep).tolist() == [2, 2, 1]
    assert grouping.count_cells(values, 3, codes=codes, n_groups=2).tolist() == [[2, 0, 1], [0, 3, 0]]
    assert grouping.count_cells(values.reshape(-1), 3, codes=codes, n_groups=2).tolist() == [
        [2, 0, 1],
        [0, 3, 0],
    ]
    assert grouping.count_cells(
        values.reshape(-1), 3, codes=codes.reshape(-1), n_groups=2, keep=keep
    ).tolist() == [
        [2, 0, 1],
        [0, 2, 0],
    ]


def test_count_cells_defaults_to_one_group_and_ignores_n_groups_without_codes() -> None:
    values = np.array([1, 1, 0], dtype=np.int8)
    codes = np.zeros(3, dtype=np.intp)
    counts = grouping.count_cells(values, 2, codes=codes)  # n_groups defaults to 1
    assert counts.shape == (1, 2) and counts.tolist() == [[1, 2]]
    ungrouped = grouping.count_cells(values, 2, n_groups=3)
    assert ungrouped.shape == (2,) and ungrouped.tolist() == [1, 2]


# --------------------------------------------------------------------------- sort / positions


def test_sort_within_groups_ungrouped_and_with_empty_trailing_groups() -> None:
    ordered, starts = grouping.sort_within_groups(np.array([3.0, -1.0, 2.0]), None, 1)
    assert ordered.tolist() == [-1.0, 2.0, 3.0]
    assert starts.tolist() == [0, 3] and starts.dtype == np.int64
    # Groups 1 and 2 have no rows: they start (and end) where group 0 ends.
    ordered, starts = grouping.sort_within_groups(np.array([5.0, 4.0]), np.array([0, 0], dtype=np.intp), 3)
    assert ordered.tolist() == [4.0, 5.0]
    assert starts.tolist() == [0, 2, 2, 2]


def test_quantile_positions_clip_fractions_above_one_to_the_last_rank() -> None:
    # ceil(2 n) - 1 = 1, 7, -1 for n = 1, 4, 0: clipped to 0..n-1 (0 for an empty group).
    ranks = grouping.quantile_positions(np.array([1, 4, 0]), np.array([2.0, 1.0]))
    assert ranks.tolist() == [[0, 0], [3, 3], [0, 0]]


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (0.0, np.array([4.0, 4.0, 4.0])),  # scalar low, per-row high
        (np.array([0.0, 0.0, 0.0]), 4.0),  # per-row low, scalar high
        (np.array([0.0, 0.0, 0.0]), np.array([4.0, 4.0, 4.0])),
    ],
)
def test_positions_accept_scalar_or_per_row_bounds(low: Any, high: Any) -> None:
    # (x - 0) / 4 * 8 for x = 0, 2, 4 -> 0, 4, 8 (every step exact in binary).
    assert grouping._positions(np.array([0.0, 2.0, 4.0]), low, high, 8).tolist() == [0.0, 4.0, 8.0]


@pytest.mark.parametrize(("low", "high"), [(0.0, 0.5), (np.zeros(3), np.full(3, 0.5))])
def test_positions_scale_spans_below_one(low: Any, high: Any) -> None:
    # (x - 0) / 0.5 * 8 for x = 0, 0.25, 0.5 -> 0, 4, 8: a span under 1 still fills the buckets.
    out = np.empty(3)
    result = grouping._positions(np.array([0.0, 0.25, 0.5]), low, high, 8, out=out)
    assert result is out and out.tolist() == [0.0, 4.0, 8.0]


# --------------------------------------------------------------------------- bucket selection


def test_grouped_order_statistics_against_sorted_lists() -> None:
    rng = np.random.default_rng(11)
    values = np.round(rng.normal(0, 100, 200), 1)
    values[:5] = [np.inf, -np.inf, 7.5, 7.5, -0.0]
    codes = (np.arange(200) * 7 % 3).astype(np.intp)  # groups 0..2; group 3 stays empty
    sizes = np.bincount(codes, minlength=4)
    ranks = np.array([[0, 1, sizes[g] // 2, sizes[g] - 1] if sizes[g] else [-1] * 4 for g in range(4)])
    ranks[1, 1] = -1  # a negative rank gives NaN even in a non-empty group
    got = grouping.grouped_order_statistics(values, codes, 4, ranks)
    expected = _reference_order_statistics(values.tolist(), codes.tolist(), ranks.tolist())
    assert got.shape == (4, 4) and got.dtype == np.float64
    assert np.array_equal(got, expected, equal_nan=True)


def test_grouped_order_statistics_ungrouped_single_and_2d() -> None:
    ranks = np.array([[0]])
    assert grouping.grouped_order_statistics(np.array([5.0]), None, 1, ranks).tolist() == [[5.0]]
    got = grouping.grouped_order_statistics(np.array([3.0, -1.0, 2.0, 10.0]), None, 1, np.array([[0, 2, 3]]))
    assert got.tolist() == [[-1.0, 3.0, 10.0]]  # sorted: -1, 2, 3, 10
    # A 2-D table of values is taken row-major, with one code per cell.
    table = np.array([[4.0, 1.0, 9.0], [2.0, 8.0, 3.0]])
    codes = np.array([0, 1, 0, 1, 0, 1], dtype=np.intp)  # group 0: 4, 9, 8; group 1: 1, 2, 3
    got = grouping.grouped_order_statistics(table, codes, 2, np.array([[0, 2], [1, 2]]))
    assert got.tolist() == [[4.0, 9.0], [2.0, 3.0]]
    # Values that are not float64 (here Python objects) are converted first.
    objects = np.array([3.0, 1.0, 2.0], dtype=object)
    assert grouping.grouped_order_statistics(objects, None, 1, np.array([[0, 1, 2]])).tolist() == [
        [1.0, 2.0, 3.0]
    ]


@pytest.mark.parametrize(("codes", "n_groups"), [(None, 1), (np.zeros(0, dtype=np.intp), 2)])
def test_grouped_order_statistics_of_no_values_are_nan(codes: Any, n_groups: int) -> None:
    got = grouping.grouped_order_statistics(np.zeros(0), codes, n_groups, np.full((n_groups, 2), -1))
    assert got.shape == (n_groups, 2) and got.dtype == np.float64 and np.isnan(got).all()


def test_grouped_quantiles_of_no_values() -> None:
    # Ungrouped: always one row, whatever n_groups says.
    for n_groups in (0, 1):
        values, sizes = grouping.grouped_quantiles(np.zeros(0), None, n_groups, FRACTIONS)
        assert values.shape == (1, 5) and values.dtype == np.float64 and np.isnan(values).all()
        assert sizes.tolist() == [0] and sizes.dtype == np.int64
    # Grouped: one row per group, none for no group.
    for n_groups in (0, 3):
        values, sizes = grouping.grouped_quantiles(
            np.zeros(0), np.zeros(0, dtype=np.intp), n_groups, FRACTIONS
        )
        assert values.shape == (n_groups, 5) and np.isnan(values).all()
        assert sizes.shape == (n_groups,) and sizes.dtype == np.int64


def test_grouped_quantiles_2d_and_object_values() -> None:
    table = np.array([[4.0, 1.0, 9.0, 6.0], [2.0, 8.0, 3.0, 5.0]])
    codes = (np.arange(8) % 2).astype(np.intp)
    got, sizes = grouping.grouped_quantiles(table, codes, 2, FRACTIONS)
    assert sizes.tolist() == [4, 4]
    assert np.array_equal(got, _reference_quantiles(table, codes, 2))
    got, sizes = grouping.grouped_quantiles(table.reshape(-1).astype(object), None, 1, FRACTIONS)
    assert sizes.tolist() == [8]
    assert np.array_equal(got, _reference_quantiles(table, None, 1))


def test_grouped_quantiles_with_no_finite_value() -> None:
    values = np.array([np.inf, -np.inf, np.inf, np.inf])
    got, sizes = grouping.grouped_quantiles(values, None, 1, FRACTIONS)
    # Sorted: -inf, inf, inf, inf; ranks ceil(q 4) - 1 = 0, 0, 1, 2, 3.
    assert sizes.tolist() == [4]
    assert got.tolist() == [[-np.inf, -np.inf, np.inf, np.inf, np.inf]]
    codes = np.array([0, 0, 1, 1], dtype=np.intp)
    got, _ = grouping.grouped_quantiles(values, codes, 2, FRACTIONS)
    assert np.array_equal(got, _reference_quantiles(values, codes, 2))


@pytest.mark.parametrize("select_chunk", [7, 64])
def test_first_pass_over_several_chunks(monkeypatch: pytest.MonkeyPatch, select_chunk: int) -> None:
    monkeypatch.setattr(grouping, "_SELECT_CHUNK", select_chunk)
    rng = np.random.default_rng(3)
    values = rng.integers(-50, 50, 150).astype(np.float64)
    values[::37] = np.inf
    codes = rng.integers(0, 3, 150).astype(np.intp)
    got, sizes = grouping.grouped_quantiles(values, codes, 3, FRACTIONS)
    assert sizes.tolist() == np.bincount(codes, minlength=3).tolist()
    assert np.array_equal(got, _reference_quantiles(values, codes, 3))


@pytest.mark.parametrize("codes_of", [None, lambda n: (np.arange(n) % 2).astype(np.intp)])
def test_refinement_with_few_buckets(monkeypatch: pytest.MonkeyPatch, codes_of: Any) -> None:
    # 16 histogram cells and a final sort of at most one candidate: the first pass leaves
    # many candidates per bucket, so every refinement pass runs, for ungrouped values too.
    monkeypatch.setattr(grouping, "_CELLS", 16)
    monkeypatch.setattr(grouping, "_FINAL_CANDIDATES", 1)
    rng = np.random.default_rng(5)
    values = np.r_[rng.normal(0, 1, 300), np.full(20, 0.25), [1e6]]
    codes = None if codes_of is None else codes_of(values.shape[0])
    n_groups = 1 if codes is None else 2
    got, _ = grouping.grouped_quantiles(values, codes, n_groups, FRACTIONS)
    assert np.array_equal(got, _reference_quantiles(values, codes, n_groups))
    ranks = np.array([[0, 17, 80, 159]] * n_groups)  # every group has at least 160 values
    got = grouping.grouped_order_statistics(values, codes, n_groups, ranks)
    members = [values] if codes is None else [values[codes == g] for g in range(n_groups)]
    assert got.tolist() == [
        [sorted(m.tolist())[r] for r in row] for m, row in zip(members, ranks, strict=True)
    ]


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Fail (instead of hanging) a test that runs longer than 5 s."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError("the selection did not finish within 5 s")

    if not hasattr(signal, "SIGALRM"):  # no interval timers (Windows): run without the limit
        yield
        return
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 5.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("time_limit")
def test_refinement_terminates_when_no_final_sort_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # With no candidates allowed for the final sort, refinement runs until every group is
    # answered as tied (one value left) and must then stop with nothing left to sort.
    monkeypatch.setattr(grouping, "_CELLS", 16)
    monkeypatch.setattr(grouping, "_FINAL_CANDIDATES", 0)
    values = np.r_[np.arange(40.0), np.full(10, 3.5)]
    codes = (np.arange(50) % 3).astype(np.intp)
    got, _ = grouping.grouped_quantiles(values, codes, 3, FRACTIONS)
    assert np.array_equal(got, _reference_quantiles(values, codes, 3))
