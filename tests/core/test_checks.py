"""Value rules of the input layer (cskpi._core.checks), as every family sees them.

Each rule is checked through public functions of three families: scores (``nps``),
durations (``aht``, ``answer_time_percentile``) and flags (``service_level``'s
``abandoned``), so that a family bypassing the layer would fail here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cskpi
from cskpi import InvalidInputError, InvalidTypeError

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")


# --------------------------------------------------------------------------- booleans are not numbers


def test_booleans_among_scores_raise() -> None:
    # numpy turns [True, 9, 10] into [1, 9, 10]: a detractor would be counted for True.
    with pytest.raises(
        InvalidTypeError, match=r"scores must contain numbers, not booleans; got True at index 0"
    ):
        cskpi.nps([True, 9, 10])
    with pytest.raises(InvalidTypeError, match=r"not booleans; got False at index 2"):
        cskpi.nps(pd.Series([9, 10, False], dtype=object))


def test_booleans_among_durations_raise() -> None:
    with pytest.raises(
        InvalidTypeError, match=r"talk_seconds must contain numbers, not booleans; got True at index 1"
    ):
        cskpi.aht([30.0, True])


def test_plain_numbers_still_pass() -> None:
    assert cskpi.nps([0, 9, 10]).score == pytest.approx(100 / 3)  # (2 - 1) / 3
    assert cskpi.nps(pd.Series([0, 9, 10], dtype=object)).score == pytest.approx(100 / 3)


# --------------------------------------------------------------------------- strings are not numbers


@pytest.mark.parametrize(
    "scores",
    [
        pd.Series(["9", "10"]),
        pd.Series(["9", "10"], dtype=object),
        np.array(["9", "10"]),
        pl.Series(["9", "10"]),
    ],
    ids=["pandas-str", "pandas-object", "numpy-unicode", "polars"],
)
def test_digit_strings_are_not_scores(scores: object) -> None:
    with pytest.raises(InvalidTypeError, match=r"^scores must contain numbers; got str '9' at index 0$"):
        cskpi.nps(scores)


def test_digit_strings_are_not_durations() -> None:
    with pytest.raises(
        InvalidTypeError, match=r"^talk_seconds must contain numbers; got str '30' at index 0$"
    ):
        cskpi.aht(pd.Series(["30", "40"]))
    with pytest.raises(InvalidTypeError, match=r"wait_seconds must contain numbers; got str '5' at index 1"):
        cskpi.service_level(pd.Series([1.0, "5"], dtype=object), 20)


def test_digit_strings_are_not_counts() -> None:
    with pytest.raises(InvalidTypeError, match=r"must contain numbers; got str '3' at index 0"):
        cskpi.churn_rate(np.array(["3"], dtype=object), [10])


# --------------------------------------------------------------------------- masked arrays


def test_masked_scores_are_missing_answers() -> None:
    # Before: the mask was ignored and the masked 0 and 3 counted as detractors.
    scores = np.ma.array([9, 10, 0, 3], mask=[False, False, True, True])
    with pytest.raises(
        InvalidInputError, match=r"scores must not contain NaN .*nan_policy='omit'.* at index 2"
    ):
        cskpi.nps(scores)
    omitted = cskpi.nps(scores, nan_policy="omit")
    assert (omitted.n, omitted.score) == (2, 100.0)
    assert omitted == cskpi.nps([9.0, 10.0, np.nan, np.nan], nan_policy="omit")


def test_masked_durations_are_missing() -> None:
    # Before: the masked value counted in n but not in the sum.
    talk = np.ma.array([100.0, 200.0, 300.0], mask=[False, True, False])
    with pytest.raises(InvalidInputError, match=r"talk_seconds must not contain NaN; got nan at index 1"):
        cskpi.aht(talk)
    assert cskpi.aht(talk.compressed()).value == 200.0


def test_masked_flags_are_missing_flags() -> None:
    flags = np.ma.array([True, False], mask=[False, True])
    with pytest.raises(
        InvalidInputError, match=r"abandoned must not contain missing values; got None at index 1"
    ):
        cskpi.service_level([1.0, 30.0], 20, abandoned=flags)


def test_masked_timestamps_are_nat() -> None:
    created = np.array(["2024-01-01T00:00", "2024-01-01T00:00"], dtype="datetime64[s]")
    resolved = np.ma.array(
        np.array(["2024-01-01T01:00", "2024-01-01T02:00"], dtype="datetime64[s]"), mask=[False, True]
    )
    plain = np.array(["2024-01-01T01:00", "NaT"], dtype="datetime64[s]")
    assert cskpi.resolution_time(created, resolved) == cskpi.resolution_time(created, plain)


def test_masked_labels_are_missing_labels() -> None:
    labels = np.ma.array(["a", "b", "a"], mask=[False, True, False])
    with pytest.raises(InvalidInputError, match=r"by must not contain missing labels .* at index 1"):
        cskpi.nps([9, 10, 0], by=labels)
    grouped = cskpi.nps([9, 10, 0], by=cskpi.keep_missing(labels))
    assert grouped.n.tolist() == [2, 1]


def test_the_input_is_not_modified_by_unmasking() -> None:
    scores = np.ma.array([9.0, 10.0, 0.0], mask=[False, True, False])
    cskpi.nps(scores, nan_policy="omit")
    assert scores.data.tolist() == [9.0, 10.0, 0.0]
    assert scores.mask.tolist() == [False, True, False]


def test_a_mask_hiding_nothing_is_the_plain_array() -> None:
    scores = np.ma.array([9, 10, 0], mask=False)
    assert cskpi.nps(scores) == cskpi.nps([9, 10, 0])
    assert cskpi.aht(np.ma.array([100.0, 300.0])).score == 200.0
    # and the compressed array is what the message suggests
    assert cskpi.nps(np.ma.array([9, 10, 0, 3], mask=[0, 0, 1, 1]).compressed()).score == 100.0


# --------------------------------------------------------------------------- nullable dtypes and nulls


def _null_scores() -> list[object]:
    return [
        pd.Series([9, None, 10, 0], dtype="Int64"),
        pd.Series([9.0, None, 10.0, 0.0], dtype="Float64"),
        pd.Series([9, None, 10, 0], dtype=object),
        pl.Series([9, None, 10, 0]),
        pa.array([9, None, 10, 0]),
        pa.chunked_array([[9, None], [10, 0]]),
    ]


NULL_IDS = ["pandas-Int64", "pandas-Float64", "pandas-object-None", "polars", "pyarrow", "pyarrow-chunked"]


@pytest.mark.parametrize("scores", _null_scores(), ids=NULL_IDS)
def test_null_scores_are_missing_like_nan(scores: object) -> None:
    with pytest.raises(
        InvalidInputError, match=r"scores must not contain NaN .*nan_policy='omit'.* at index 1"
    ):
        cskpi.nps(scores)
    # omitted: 9, 10, 0 -> (2 - 1) / 3
    omitted = cskpi.nps(scores, nan_policy="omit")
    assert omitted.score == pytest.approx(100 / 3)
    assert omitted.n == 3


@pytest.mark.parametrize(
    "talk",
    [
        pd.Series([100.0, None, 300.0], dtype="Float64"),
        pd.Series([100, None, 300], dtype="Int64"),
        pl.Series([100.0, None, 300.0]),
        pa.array([100.0, None, 300.0]),
    ],
    ids=["pandas-Float64", "pandas-Int64", "polars", "pyarrow"],
)
def test_null_durations_raise_like_nan(talk: object) -> None:
    with pytest.raises(InvalidInputError, match=r"talk_seconds must not contain NaN; got nan at index 1"):
        cskpi.aht(talk)


@pytest.mark.parametrize(
    "talk",
    [pd.Series([100, 300], dtype="Int64"), pd.Series([100.0, 300.0], dtype="Float64"), pl.Series([100, 300])],
    ids=["pandas-Int64", "pandas-Float64", "polars"],
)
def test_nullable_durations_without_nulls_are_numbers(talk: object) -> None:
    assert cskpi.aht(talk).score == 200.0


@pytest.mark.parametrize(
    "flags",
    [
        pd.Series([False, None, True], dtype="boolean"),
        pl.Series([False, None, True]),
        pa.array([False, None, True]),
    ],
    ids=["pandas-boolean", "polars", "pyarrow"],
)
def test_null_flags_raise(flags: object) -> None:
    with pytest.raises(
        InvalidInputError, match=r"abandoned must not contain missing values; got .* at index 1"
    ):
        cskpi.service_level([1.0, 5.0, 30.0], 20, abandoned=flags)


@pytest.mark.parametrize(
    "flags",
    [
        pd.Series([False, False, True], dtype="boolean"),
        pl.Series([False, False, True]),
        pa.array([False, False, True]),
    ],
    ids=["pandas-boolean", "polars", "pyarrow"],
)
def test_flags_without_nulls_are_booleans(flags: object) -> None:
    # 1 s and 5 s answered within 20 s; the third abandoned after 30 s (missed): 2 of 3
    result = cskpi.service_level([1.0, 5.0, 30.0], 20, abandoned=flags)
    assert result == cskpi.service_level([1.0, 5.0, 30.0], 20, abandoned=[False, False, True])
    assert result.score == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- quantile levels


def test_quantile_levels_are_fractions() -> None:
    waits = [2, 5, 8, 12, 15, 20, 30, 40, 90, 200]
    # ceil(0.9 * 10) = 9th smallest wait
    assert cskpi.answer_time_percentile(waits, quantile=0.9).seconds == 90.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cskpi.answer_time_percentile([1.0], quantile=90), "got 90 — did you mean 0.9?"),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=[0.5, 95]),
            "got 95 at index 1 — did you mean 0.95?",
        ),
        (
            lambda: cskpi.erlang_c_answer_time(2.0, 3, aht_seconds=180, quantile=80),
            "got 80 — did you mean 0.8?",
        ),
    ],
)
def test_a_percent_level_raises_with_the_fraction(call: object, message: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value) == f"quantile levels are fractions in [0, 1]; {message}"


def test_quantile_nan_raises() -> None:
    with pytest.raises(InvalidInputError, match="quantile must not contain NaN"):
        cskpi.answer_time_percentile([1.0], quantile=math.nan)


def test_a_confidence_level_too_close_to_1_for_a_float_tail_is_refused() -> None:
    # 1 - 2**-53 is below 1, but its upper tail 1 - α/2 rounds to 1.0 (statistics'
    # inv_cdf used to raise StatisticsError); 1 - 2**-52 is the largest level accepted.
    from cskpi._core.checks import check_confidence_level

    largest = 1.0 - 2.0**-52
    assert check_confidence_level(largest) == largest
    with pytest.raises(InvalidInputError, match=r"confidence_level must be at most 0\.9999999999999998"):
        check_confidence_level(0.9999999999999999)
    with pytest.raises(InvalidInputError, match=r"at most 0\.9999999999999998"):
        cskpi.csat([5, 4, 1]).confidence_interval(0.9999999999999999)
    low, high = cskpi.csat([5, 4, 1, 5, 5]).confidence_interval(largest)
    assert 0.0 <= low < high <= 1.0
