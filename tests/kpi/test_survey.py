"""Tests of NPS, CSAT and CES against hand-computed values and published examples."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cskpi
from cskpi import (
    CSAT,
    NPS,
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    NPSBucket,
    UndefinedMetricWarning,
    ces,
    csat,
    nps,
    nps_buckets,
    nps_difference,
)
from helpers import read_only
from strategies import nps_scores, scale_and_ratings, scores_with_labels

Z95 = 1.959963984540054


def _counts(**answers: int) -> list[int]:
    """Build an answer list from counts keyed like s10=3 (three answers of 10)."""
    out: list[int] = []
    for key, count in answers.items():
        out += [int(key[1:])] * count
    return out


# --------------------------------------------------------------------------- NPS


def test_nps_buckets_cover_the_scale() -> None:
    # Reichheld (2003): 0-6 detractors, 7-8 passives, 9-10 promoters.
    buckets = nps_buckets(np.arange(11))
    assert buckets.dtype == np.int8
    assert buckets.tolist() == [-1] * 7 + [0, 0] + [1, 1]
    assert NPSBucket.PROMOTER == 1 and NPSBucket.DETRACTOR == -1 and NPSBucket.PASSIVE == 0


def test_nps_bucket_mean_is_the_score() -> None:
    scores = [10, 10, 9, 8, 7, 6, 5, 0, 9, 3, 10]
    assert 100 * nps_buckets(scores).mean() == pytest.approx(nps(scores).score)


def test_nps_hand_computed() -> None:
    # 5 promoters (9, 10), 2 passives (7, 8), 3 detractors (0-6): (5 - 3) / 10 = +20.
    result = nps([9, 10, 10, 9, 9, 7, 8, 6, 0, 5])
    assert (result.promoters, result.passives, result.detractors, result.n) == (5, 2, 3, 10)
    assert result.score == pytest.approx(20.0)
    assert result.promoter_share == pytest.approx(0.5)
    assert result.passive_share == pytest.approx(0.2)
    assert result.detractor_share == pytest.approx(0.3)


def test_nps_extremes() -> None:
    assert nps([10, 9]).score == 100.0
    assert nps([0, 6, 3]).score == -100.0
    assert nps([7, 8]).score == 0.0


def test_nps_cross_validated_variance_example() -> None:
    # Cross Validated, "How can I calculate margin of error in a NPS (Net Promoter Score)
    # result?" (accepted answer): shares 1/2 promoters, 1/3 passives, 1/6 detractors give
    # NPS 1/3 and per-respondent variance 5/9. With n = 60 the Wald half-width is
    # 1.96 * sqrt((5/9) / 60) = 0.18861 -> 18.86 points.
    result = nps(_counts(s10=30, s8=20, s2=10))
    assert result.score == pytest.approx(100 / 3)
    half = Z95 * math.sqrt(5 / 9 / 60) * 100
    ci = result.confidence_interval()
    assert ci.low == pytest.approx(100 / 3 - half)
    assert ci.high == pytest.approx(100 / 3 + half)
    assert ci.method == "wald" and ci.confidence_level == 0.95
    assert result.margin_of_error() == pytest.approx(half)


def test_nps_adjusted_wald_hand_computed() -> None:
    # Rocks (2016) adjusted Wald: add 3/4 to promoters and detractors and 3 to n.
    # 30/20/10 -> n' = 63, p' = 30.75/63, d' = 10.75/63, centre = 20/63,
    # variance = p' + d' - centre^2.
    p, d, n = 30.75 / 63, 10.75 / 63, 63
    centre = p - d
    half = Z95 * math.sqrt((p + d - centre**2) / n)
    low, high = nps(_counts(s10=30, s8=20, s2=10)).confidence_interval(method="adjusted_wald")
    assert low == pytest.approx(100 * (centre - half))
    assert high == pytest.approx(100 * (centre + half))


def test_nps_adjusted_wald_is_not_degenerate_at_the_bound() -> None:
    # All promoters: the Wald interval collapses to [100, 100], the adjusted one does not.
    result = nps([10] * 20)
    assert tuple(result.confidence_interval()) == (100.0, 100.0)
    low, high = result.confidence_interval(method="adjusted_wald")
    assert low < 100.0 and high == 100.0


def test_nps_confidence_level_widens_interval() -> None:
    result = nps(_counts(s10=30, s8=20, s2=10))
    narrow = result.confidence_interval(0.8)
    wide = result.confidence_interval(0.99)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_nps_difference_hand_computed() -> None:
    # a: 50/30/20 (NPS 30, v = 0.7 - 0.09 = 0.61); b: 40/30/30 (NPS 10, v = 0.7 - 0.01 = 0.69).
    # se = sqrt(0.61/100 + 0.69/100) = sqrt(0.013); z = 0.2 / se = 1.7541;
    # p = 2 * (1 - Phi(1.7541)) = 0.0794.
    a = nps(_counts(s10=50, s7=30, s2=20))
    b = nps(_counts(s10=40, s7=30, s2=30))
    test = nps_difference(a, b)
    se = math.sqrt(0.013)
    assert test.difference == pytest.approx(20.0)
    assert test.standard_error == pytest.approx(100 * se)
    assert test.z == pytest.approx(0.2 / se)
    assert test.p_value == pytest.approx(math.erfc(0.2 / se / math.sqrt(2)))
    assert test.p_value == pytest.approx(0.0794, abs=1e-4)
    assert test.confidence_interval.low == pytest.approx(100 * (0.2 - Z95 * se))
    # Swapping the samples flips the sign and keeps the p-value.
    swapped = nps_difference(b, a)
    assert swapped.z == pytest.approx(-test.z)
    assert swapped.p_value == pytest.approx(test.p_value)


def test_nps_difference_adjusted_wald() -> None:
    a = nps(_counts(s10=5, s7=3, s2=2))
    b = nps(_counts(s10=2, s7=3, s2=5))
    pa, da, na = 5.75 / 13, 2.75 / 13, 13
    pb, db, nb = 2.75 / 13, 5.75 / 13, 13
    diff = (pa - da) - (pb - db)
    se = math.sqrt((pa + da - (pa - da) ** 2) / na + (pb + db - (pb - db) ** 2) / nb)
    test = nps_difference(a, b, method="adjusted_wald")
    assert test.difference == pytest.approx(100 * diff)
    assert test.z == pytest.approx(diff / se)


def test_nps_difference_grouped_per_group() -> None:
    labels = ["x", "x", "y", "y", "y"]
    first = nps([10, 0, 9, 9, 3], by=labels)
    second = nps([10, 10, 9, 7, 3], by=labels)
    grouped = nps_difference(first, second)
    for position, label in enumerate(["x", "y"]):
        single = nps_difference(first[label], second[label])
        assert grouped.difference[position] == pytest.approx(single.difference)
        assert grouped.p_value[position] == pytest.approx(single.p_value, nan_ok=True)


def test_nps_difference_rejects_mismatched_groups_and_types() -> None:
    with pytest.raises(InvalidInputError, match="same labels"):
        nps_difference(nps([1, 9], by=["a", "b"]), nps([1, 9], by=["a", "c"]))
    with pytest.raises(InvalidInputError, match="same labels"):
        nps_difference(nps([1, 9], by=["a", "b"]), nps([1, 9]))
    with pytest.raises(InvalidTypeError, match="b must be an NPS result"):
        nps_difference(nps([1, 9]), csat([1, 5]))
    with pytest.raises(InvalidInputError, match="method"):
        nps_difference(nps([1, 9]), nps([1, 9]), method="exact")


def test_nps_difference_undefined_cases_warn() -> None:
    with pytest.warns(UndefinedMetricWarning, match="zero variance"):
        test = nps_difference(nps([10, 10]), nps([9, 9]))
    assert math.isnan(test.z) and math.isnan(test.p_value)
    with pytest.warns(UndefinedMetricWarning, match="zero answers"):
        nps_difference(nps([]), nps([9, 3]))


def test_nps_empty_is_undefined_with_warning() -> None:
    result = nps([])
    assert result.n == 0
    with pytest.warns(UndefinedMetricWarning, match="NPS is undefined"):
        assert math.isnan(result.score)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        with pytest.raises(UndefinedMetricWarning):
            _ = result.score


def test_nps_nan_policy() -> None:
    answers = [10.0, np.nan, 3.0, 8.0]
    with pytest.raises(InvalidInputError, match=r"scores must not contain NaN.*index 1"):
        nps(answers)
    assert nps(answers, nan_policy="omit") == nps([10, 3, 8])


def test_nps_accepts_float_whole_numbers_and_objects_with_protocols() -> None:
    class SeriesLike:
        def __init__(self, values: list[int]) -> None:
            self.values = values

        def to_numpy(self) -> np.ndarray:
            return np.asarray(self.values)

    class ArrayLike:
        def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
            return np.array([9, 9, 0])

    expected = nps([9, 9, 0])
    assert nps([9.0, 9.0, 0.0]) == expected
    assert nps((9, 9, 0)) == expected
    assert nps(SeriesLike([9, 9, 0])) == expected
    assert nps(ArrayLike()) == expected
    assert nps(np.array([9, 9, 0], dtype=np.uint8)) == expected


def test_nps_by_multiple_keys() -> None:
    scores = [10, 0, 9, 8, 10, 2]
    channel = ["chat", "chat", "phone", "phone", "phone", "chat"]
    month = np.array(
        ["2024-01", "2024-02", "2024-01", "2024-01", "2024-02", "2024-01"], dtype="datetime64[M]"
    )
    grouped = nps(scores, by=(channel, month))
    assert len(grouped) == 4
    assert grouped.keys() == [
        ("chat", np.datetime64("2024-01").item()),
        ("chat", np.datetime64("2024-02").item()),
        ("phone", np.datetime64("2024-01").item()),
        ("phone", np.datetime64("2024-02").item()),
    ]
    # chat/2024-01 holds answers 10 and 2: (1 - 1) / 2 = 0.
    assert grouped["chat", np.datetime64("2024-01")].score == 0.0
    assert grouped["phone", "2024-01"].score == 50.0  # 9, 8: one promoter of two
    assert ("phone", "2024-02") in grouped and ("email", "2024-02") not in grouped
    channels, months = grouped.labels
    assert channels.tolist() == ["chat", "chat", "phone", "phone"]
    assert months.dtype == np.dtype("datetime64[M]")
    assert grouped.names == ("by[0]", "by[1]")


def test_grouped_missing_label_is_key_error() -> None:
    grouped = nps([10, 0], by=["a", "b"])
    with pytest.raises(KeyError):
        _ = grouped["z"]
    with pytest.raises(KeyError):
        _ = grouped["a", "b"]


def test_grouped_items_and_to_dict() -> None:
    grouped = nps([10, 0, 9], by=[2, 1, 2])
    assert dict(grouped.items()) == {
        1: NPS(promoters=0, passives=0, detractors=1),
        2: NPS(promoters=2, passives=0, detractors=0),
    }
    assert list(grouped) == [1, 2]
    assert "2 groups" in repr(grouped)


def test_nps_merge_and_sum() -> None:
    a, b = nps([10, 9, 3]), nps([7, 0])
    assert a + b == nps([10, 9, 3, 7, 0])
    assert sum([a, b]) == a + b
    with pytest.raises(InvalidTypeError, match="cannot add"):
        _ = a + csat([1, 2])


def test_grouped_merge_with_different_labels() -> None:
    first = nps([10, 0, 9], by=["a", "b", "a"])
    second = nps([3, 8], by=["c", "a"])
    merged = first + second
    expected = nps([10, 0, 9, 3, 8], by=["a", "b", "a", "c", "a"])
    assert merged == expected
    assert sum([first, second]) == expected


def test_grouped_merge_rejects_different_key_counts() -> None:
    with pytest.raises(InvalidInputError, match="number of grouping keys"):
        _ = nps([1], by=["a"]) + nps([1], by=(["a"], [1]))


@given(nps_scores())
def test_nps_is_bounded(scores: np.ndarray) -> None:
    result = nps(scores)
    assert result.n == scores.shape[0]
    if result.n:
        assert -100.0 <= result.score <= 100.0
        assert result.promoter_share + result.passive_share + result.detractor_share == pytest.approx(1.0)


@given(nps_scores(), st.randoms(use_true_random=False))
def test_nps_is_order_invariant(scores: np.ndarray, random: object) -> None:
    shuffled = scores.copy()
    np.random.default_rng(random.randint(0, 2**32 - 1)).shuffle(shuffled)  # type: ignore[attr-defined]
    assert nps(shuffled) == nps(scores)


@given(nps_scores(), nps_scores())
def test_nps_merge_equals_concatenation(first: np.ndarray, second: np.ndarray) -> None:
    joined = np.concatenate([first.astype(np.int64), second.astype(np.int64)])
    assert nps(first) + nps(second) == nps(joined)


@given(scores_with_labels())
def test_nps_grouped_equals_per_group(data: tuple[np.ndarray, np.ndarray]) -> None:
    scores, labels = data
    grouped = nps(scores, by=labels)
    expected_labels = np.unique(labels)
    assert np.array_equal(grouped.labels, expected_labels)
    for position, label in enumerate(expected_labels):
        expected = nps(scores[labels == label])
        assert grouped.at(position) == expected
        assert grouped[label] == expected
    assert int(np.sum(grouped.n)) == scores.shape[0]


@given(scores_with_labels(), st.data())
def test_grouped_merge_equals_concatenation(data: tuple[np.ndarray, np.ndarray], draw: st.DataObject) -> None:
    scores, labels = data
    cut = draw.draw(st.integers(1, scores.shape[0]))
    if cut == scores.shape[0]:
        return
    left = nps(scores[:cut], by=labels[:cut])
    right = nps(scores[cut:], by=labels[cut:])
    assert left + right == nps(scores, by=labels)


@given(nps_scores(min_size=1), st.sampled_from(["wald", "adjusted_wald"]), st.floats(0.5, 0.999))
def test_nps_interval_contains_estimate(scores: np.ndarray, method: str, level: float) -> None:
    result = nps(scores)
    low, high = result.confidence_interval(level, method=method)
    assert -100.0 <= low <= high <= 100.0
    if method == "wald":
        assert low <= result.score <= high


@given(nps_scores(min_size=2), st.integers(2, 20), st.sampled_from(["wald", "adjusted_wald"]))
def test_nps_interval_narrows_with_n(scores: np.ndarray, factor: int, method: str) -> None:
    # The same answer mix with k times as many respondents gives a narrower interval.
    small = nps(scores)
    large = nps(np.tile(scores, factor))
    low_s, high_s = small.confidence_interval(method=method)
    low_l, high_l = large.confidence_interval(method=method)
    assert high_l - low_l <= high_s - low_s + 1e-9


# --------------------------------------------------------------------------- CSAT


def test_csat_delighted_example() -> None:
    # Delighted help centre, "How is CSAT calculated?": 42 fives, 32 fours, 10 threes,
    # 9 twos, 14 ones -> 74 satisfied of 107 = 69.16 %.
    result = csat(_counts(s5=42, s4=32, s3=10, s2=9, s1=14))
    assert (result.satisfied, result.n) == (74, 107)
    assert result.score == pytest.approx(74 / 107)
    assert round(100 * result.score, 2) == 69.16
    assert result.counts.tolist() == [14, 9, 10, 32, 42]
    assert result.points.tolist() == [1, 2, 3, 4, 5]


def test_csat_intercom_example() -> None:
    # Intercom VoC metrics help: 10 fives, 20 fours, 10 threes, 5 twos, 5 ones -> 60 %.
    result = csat(_counts(s5=10, s4=20, s3=10, s2=5, s1=5))
    assert result.score == pytest.approx(0.6)
    # Mean rating (hand): (50 + 80 + 30 + 10 + 5) / 50 = 3.5.
    assert result.mean == pytest.approx(3.5)
    assert result.distribution.tolist() == pytest.approx([0.1, 0.1, 0.2, 0.4, 0.2])


@pytest.mark.parametrize(
    ("scale", "satisfied_from", "answers", "expected"),
    [
        ((1, 7), 6, [7, 6, 5, 1], 0.5),
        ((1, 10), 9, [10, 9, 9, 8, 1], 0.6),
        ((0, 10), 9, [0, 10, 9, 5], 0.5),
        ((-2, 2), 1, [-2, 2, 1, 0], 0.5),
    ],
)
def test_csat_other_scales(
    scale: tuple[int, int], satisfied_from: int, answers: list[int], expected: float
) -> None:
    result = csat(answers, scale=scale, satisfied_from=satisfied_from)
    assert result.score == pytest.approx(expected)
    assert result.counts.shape == (scale[1] - scale[0] + 1,)
    assert result.mean == pytest.approx(np.mean(answers))


def test_wilson_interval_newcombe_examples() -> None:
    # Newcombe (1998), Stat. Med. 17:857-872, Table I, method 3 (Wilson score):
    # 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611; 1/29 -> 0.0061-0.1718.
    cases = [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ]
    for satisfied, n, low, high in cases:
        result = csat([5] * satisfied + [1] * (n - satisfied))
        ci = result.confidence_interval()
        assert ci.low == pytest.approx(low, abs=6e-5)
        assert ci.high == pytest.approx(high, abs=6e-5)


def test_csat_variance_and_mean_interval() -> None:
    # Ratings 1, 3, 5: mean 3, sample variance ((-2)^2 + 0 + 2^2) / 2 = 4.
    result = csat([1, 3, 5])
    assert result.variance == pytest.approx(4.0)
    low, high = result.mean_confidence_interval(method="normal")
    assert low == pytest.approx(3 - Z95 * math.sqrt(4 / 3))
    assert high == pytest.approx(3 + Z95 * math.sqrt(4 / 3))
    # Default Student's t, 2 degrees of freedom: t_{0.975, 2} = 4.302653 (closed form for df 2).
    t_975_2 = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    half = t_975_2 * math.sqrt(4 / 3)
    assert tuple(result.mean_confidence_interval()) == pytest.approx((3 - half, 3 + half), rel=1e-12)


def test_csat_per_aspect_table() -> None:
    # Shipping: pick-up, on-time delivery, claim-free, billing; NaN = not answered.
    table = np.array(
        [
            [5, 4, 5, np.nan],
            [4, 2, 5, 3],
            [3, 5, np.nan, 4],
            [5, 1, 4, 5],
        ]
    )
    aspects = ["pick-up", "on-time", "claim-free", "billing"]
    with pytest.raises(InvalidInputError, match=r"ratings must not contain NaN.*\(0, 3\)"):
        csat(table, aspects=aspects)
    result = csat(table, aspects=aspects, nan_policy="omit")
    assert result.labels.tolist() == sorted(aspects)
    # billing 2/3, claim-free 3/3, on-time 2/4, pick-up 3/4 (aspects sorted like any label).
    assert result.score.tolist() == pytest.approx([2 / 3, 1.0, 0.5, 0.75])
    assert result.n.tolist() == [3, 3, 4, 4]
    for column, aspect in enumerate(aspects):
        kept = table[:, column][~np.isnan(table[:, column])]
        assert result[aspect] == csat(kept)


def test_csat_per_aspect_dataframe_like_and_by() -> None:
    class FrameLike:
        columns = ("speed", "price")

        def to_numpy(self) -> np.ndarray:
            return np.array([[5, 1], [4, 4], [2, 5]])

    result = csat(FrameLike())
    assert result.labels.tolist() == ["price", "speed"]
    assert result.score.tolist() == pytest.approx([2 / 3, 2 / 3])
    by_region = csat(FrameLike(), by=["north", "south", "north"])
    assert by_region.keys() == [
        ("north", "price"),
        ("north", "speed"),
        ("south", "price"),
        ("south", "speed"),
    ]
    assert by_region["north", "speed"] == csat([5, 2])
    assert by_region["south", "price"] == csat([4])
    assert by_region.names == ("by", "aspect")


def test_csat_aspect_argument_errors() -> None:
    with pytest.raises(InvalidInputError, match="aspects must name each of the 2 columns"):
        csat([[1, 2]], aspects=["a"])
    with pytest.raises(InvalidInputError, match="aspects must be distinct"):
        csat([[1, 2]], aspects=["a", "a"])
    with pytest.raises(InvalidInputError, match="aspects is only used with a 2-D"):
        csat([1, 2], aspects=["a"])


def test_csat_merge_checks_parameters() -> None:
    assert csat([5, 1]) + csat([4]) == csat([5, 1, 4])
    with pytest.raises(InvalidInputError, match="different satisfied_from"):
        _ = csat([5], satisfied_from=4) + csat([5], satisfied_from=5)
    with pytest.raises(InvalidInputError, match="different scale"):
        _ = csat([5], scale=(1, 5)) + csat([5], scale=(1, 7))


@given(scale_and_ratings())
def test_csat_share_is_bounded_and_matches_reference(data: tuple[tuple[int, int], int, np.ndarray]) -> None:
    scale, threshold, ratings = data
    result = csat(ratings, scale=scale, satisfied_from=threshold)
    assert result.n == ratings.shape[0]
    assert result.satisfied == int(np.sum(ratings >= threshold))
    if result.n:
        assert 0.0 <= result.score <= 1.0
        assert result.mean == pytest.approx(float(np.mean(ratings)))
        low, high = result.confidence_interval()
        assert 0.0 <= low <= result.score <= high <= 1.0


@given(scale_and_ratings(min_size=1), st.integers(2, 30))
def test_csat_wilson_narrows_with_n(data: tuple[tuple[int, int], int, np.ndarray], factor: int) -> None:
    scale, threshold, ratings = data
    small = csat(ratings, scale=scale, satisfied_from=threshold).confidence_interval()
    large = csat(np.tile(ratings, factor), scale=scale, satisfied_from=threshold).confidence_interval()
    assert large.high - large.low <= small.high - small.low + 1e-12


@given(scale_and_ratings(), scale_and_ratings())
def test_csat_merge_equals_concatenation(
    first: tuple[tuple[int, int], int, np.ndarray], second: tuple[tuple[int, int], int, np.ndarray]
) -> None:
    scale, threshold, ratings = first
    other = np.clip(second[2], *scale)
    joined = np.concatenate([ratings, other])
    kwargs = {"scale": scale, "satisfied_from": threshold}
    assert csat(ratings, **kwargs) + csat(other, **kwargs) == csat(joined, **kwargs)


# --------------------------------------------------------------------------- CES


def test_ces_cys_seven_point_example() -> None:
    # CYS Group support, "Customer Effort Score 7-point scale to average": 1000 answers
    # 80/210/140/110/160/180/120 on points 1..7 sum to 4080 -> CES 4.08.
    answers = _counts(s1=80, s2=210, s3=140, s4=110, s5=160, s6=180, s7=120)
    result = ces(answers)
    assert result.n == 1000
    assert result.score == pytest.approx(4.08)
    # Easy (5-7): 160 + 180 + 120 = 460 of 1000.
    assert result.easy == 460
    assert result.easy_share == pytest.approx(0.46)


def test_ces_five_point_scale_hand_computed() -> None:
    # The same source's 5-point example (190/240/110/330/140 "of 1000", total "2820") is
    # inconsistent: those counts sum to 1010 answers and 3020 points. Computed by hand:
    # mean 3020 / 1010 = 2.9901, easy (4-5) = 470 / 1010.
    answers = _counts(s1=190, s2=240, s3=110, s4=330, s5=140)
    result = ces(answers, scale=(1, 5), easy_from=4)
    assert result.n == 1010
    assert result.score == pytest.approx(3020 / 1010)
    assert result.easy_share == pytest.approx(470 / 1010)


def test_ces_interval_hand_computed() -> None:
    # 4, 5, 6, 7, 7: sum 29, mean 5.8 (a calculator site that uses these answers sums
    # them to 24 and reports 4.8 - an arithmetic slip). Sample variance:
    # (3.24 + 0.64 + 0.04 + 1.44 + 1.44) / 4 = 1.7.
    result = ces([4, 5, 6, 7, 7])
    assert result.score == pytest.approx(5.8)
    assert result.variance == pytest.approx(1.7)
    low, high = result.confidence_interval(method="normal")
    half = Z95 * math.sqrt(1.7 / 5)
    assert (low, high) == pytest.approx((5.8 - half, 5.8 + half))
    # Default Student's t, 4 degrees of freedom: t_{0.975, 4} = 2.776445 (printed t-tables: 2.776).
    low, high = result.confidence_interval()
    assert (high - low) / 2 == pytest.approx(2.776445105 * math.sqrt(1.7 / 5), rel=1e-9)


def test_ces_grouped() -> None:
    grouped = ces([7, 1, 5, 3], by=["a", "b", "a", "b"])
    assert grouped.score.tolist() == [6.0, 2.0]
    assert grouped.easy_share.tolist() == [1.0, 0.0]
    assert grouped.distribution.shape == (2, 7)


def test_ces_single_answer_variance_undefined() -> None:
    with pytest.warns(UndefinedMetricWarning, match="variance"):
        assert math.isnan(ces([4]).variance)


@given(scale_and_ratings(min_size=1))
def test_ces_mean_matches_numpy(data: tuple[tuple[int, int], int, np.ndarray]) -> None:
    scale, threshold, ratings = data
    result = ces(ratings, scale=scale, easy_from=threshold)
    assert result.score == pytest.approx(float(np.mean(ratings)))
    assert scale[0] <= result.score <= scale[1]
    if ratings.shape[0] > 1:
        assert result.variance == pytest.approx(float(np.var(ratings, ddof=1)), abs=1e-9)
        low, high = result.confidence_interval()
        assert low <= result.score <= high
    else:
        with pytest.warns(UndefinedMetricWarning, match="at least two answers"):
            low, high = result.confidence_interval()
        assert math.isnan(low) and math.isnan(high)


# --------------------------------------------------------------------------- input handling


def test_inputs_are_not_modified() -> None:
    scores = read_only(np.array([10, 9, 0, 7], dtype=np.int8))
    labels = read_only(np.array(["a", "b", "a", "b"]))
    nps(scores, by=labels)
    nps_buckets(scores)
    floats = read_only(np.array([1.0, np.nan, 5.0]))
    csat(floats, nan_policy="omit")
    ces(read_only(np.array([1, 7, 7])), by=read_only(np.array([True, False, True])))
    table = read_only(np.array([[1.0, 5.0], [np.nan, 4.0]]))
    csat(table, nan_policy="omit", by=read_only(np.array([3, 4])))
    assert np.isnan(floats[1]) and np.isnan(table[1, 0])


BAD_INPUTS = [
    # (function, args, kwargs, exception, text that must appear in the message)
    (nps, ([0, 11],), {}, InvalidInputError, "scores must be integers in 0..10; got 11 at index 1"),
    (nps, ([0, -1],), {}, InvalidInputError, "got -1 at index 1"),
    (nps, ([0.5],), {}, InvalidInputError, "got 0.5 at index 0"),
    (nps, ([1.0, np.inf],), {}, InvalidInputError, "got inf at index 1"),
    (nps, ([1, np.nan],), {}, InvalidInputError, "scores must not contain NaN"),
    (nps, (None,), {}, InvalidTypeError, "scores must be array-like; got None"),
    (nps, ("9",), {}, InvalidTypeError, "scores must be array-like, not a single string"),
    (nps, (9,), {}, InvalidTypeError, "scores must be array-like"),
    (nps, (["9", "10"],), {}, InvalidTypeError, "scores must contain numbers; got str '9' at index 0"),
    (nps, ([True, False],), {}, InvalidTypeError, "not booleans"),
    (nps, ([1 + 2j],), {}, InvalidTypeError, "scores must contain integer scores"),
    (nps, (np.array(["a", 1], dtype=object),), {}, InvalidTypeError, "scores must contain numbers"),
    (nps, ([[1, 2], [3]],), {}, InvalidInputError, "scores must be a rectangular array"),
    (nps, ([[1, 2], [3, 4]],), {}, InvalidInputError, "scores must be 1-D"),
    (nps, ([1, 2],), {"by": ["a"]}, InvalidInputError, "by must have one label per row (2); got length 1"),
    (nps, ([1, 2],), {"by": [1.0, np.nan]}, InvalidInputError, "by must not contain missing labels"),
    (
        nps,
        ([1, 2],),
        {"by": np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")},
        InvalidInputError,
        "NaT",
    ),
    (nps, ([1, 2],), {"by": ()}, InvalidInputError, "by must hold at least one label array"),
    (nps, ([1, 2],), {"by": (["a", "b"], [1])}, InvalidInputError, "by[1] must have one label per row"),
    (nps, ([1, 2],), {"by": [1 + 1j, 2j]}, InvalidTypeError, "by must hold sortable labels"),
    (nps, ([1],), {"nan_policy": "drop"}, InvalidInputError, "nan_policy must be one of"),
    (nps_buckets, ([12],), {}, InvalidInputError, "scores must be integers in 0..10; got 12 at index 0"),
    (nps_buckets, ([np.nan],), {}, InvalidInputError, "scores must not contain NaN"),
    (csat, ([0, 5],), {}, InvalidInputError, "ratings must be integers in 1..5; got 0 at index 0"),
    (csat, ([6],), {"scale": (1, 5)}, InvalidInputError, "got 6 at index 0"),
    (csat, ([1],), {"scale": (5, 1)}, InvalidInputError, "scale must satisfy low < high"),
    (csat, ([1],), {"scale": (1.0, 5)}, InvalidTypeError, "scale must be a pair (low, high) of integers"),
    (csat, ([1],), {"scale": 5}, InvalidTypeError, "scale must be a pair"),
    (
        csat,
        ([1],),
        {"satisfied_from": 6},
        InvalidInputError,
        "satisfied_from must lie on the scale 1..5; got 6",
    ),
    (csat, ([1],), {"satisfied_from": 4.5}, InvalidTypeError, "satisfied_from must be an integer"),
    (csat, ([[[1]]],), {}, InvalidInputError, "ratings must be 1-D or 2-D"),
    (csat, ([[1, np.nan]],), {}, InvalidInputError, "at index (0, 1)"),
    (csat, ([[1, 7]],), {}, InvalidInputError, "got 7 at index (0, 1)"),
    (ces, ([8],), {}, InvalidInputError, "ratings must be integers in 1..7; got 8 at index 0"),
    (ces, ([1],), {"easy_from": 0}, InvalidInputError, "easy_from must lie on the scale 1..7; got 0"),
    (
        ces,
        ([1, 2],),
        {"by": [1, 2, 3]},
        InvalidInputError,
        "by must have one label per row (2); got length 3",
    ),
    (ces, ([[1, 2]],), {}, InvalidInputError, "ratings must be 1-D"),
]


@pytest.mark.parametrize(("function", "args", "kwargs", "error", "message"), BAD_INPUTS)
def test_bad_input_matrix(function: object, args: tuple, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error) as raised:
        function(*args, **kwargs)  # type: ignore[operator]
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError | TypeError)


def test_confidence_level_is_validated() -> None:
    for bad in (0.0, 1.0, 95, -0.1):
        with pytest.raises(InvalidInputError, match="confidence_level must be strictly between 0 and 1"):
            nps([1, 9]).confidence_interval(bad)
    with pytest.raises(InvalidTypeError, match="confidence_level must be a number"):
        csat([1, 5]).confidence_interval("95%")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="method"):
        nps([1]).confidence_interval(method="exact")
    with pytest.raises(InvalidInputError, match="method"):
        csat([1]).confidence_interval(method="wald")


def test_public_api_is_exported() -> None:
    for name in ("nps", "csat", "ces", "nps_buckets", "nps_difference", "NPS", "CSAT", "Grouped"):
        assert name in cskpi.__all__
        assert hasattr(cskpi, name)
    assert isinstance(nps([1], by=["a"]), Grouped)
    assert isinstance(csat([[1]]), Grouped)
    assert isinstance(csat([1]), CSAT)
