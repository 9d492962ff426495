"""Survey scores: NPS with its buckets and intervals, CSAT, CES.

Every function counts answers per scale point in one ``np.bincount`` pass (per group
when ``by=`` is given) and returns a frozen result holding those counts; all
headline figures are derived from the counts, so results merge with ``+``.
"""

from __future__ import annotations

import enum
from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import (
    NanPolicy,
    check_confidence_level,
    check_integer_scale,
    check_nan_policy,
    integer_scores,
    to_array,
    unwrap,
)
from .._core.errors import InvalidInputError, InvalidTypeError, warn_undefined
from .._core.kernels import scan_thresholds
from .._core.labels import Groups, count_cells, factorize
from .._core.results import ConfidenceInterval, Grouped, Mergeable, Tabular, param, stat
from .._core.stats import (
    RATE_METHODS,
    bootstrap_generator,
    check_method,
    divide,
    moments_interval,
    nan_where_empty,
    normal_quantile,
    normal_two_sided_p,
    rate_interval,
    score_difference,
)

__all__ = [
    "CES",
    "CSAT",
    "NPS",
    "NPSBucket",
    "NPSDifference",
    "ces",
    "csat",
    "nps",
    "nps_buckets",
    "nps_difference",
]

_NPS_SCALE = (0, 10)


class NPSBucket(enum.IntEnum):
    """NPS bucket codes returned by :func:`nps_buckets`.

    The code is the respondent's contribution to the NPS: the mean of the codes
    times 100 is the NPS.
    """

    DETRACTOR = -1
    PASSIVE = 0
    PROMOTER = 1


# Bucket of each answer 0..10: detractor 0-6, passive 7-8, promoter 9-10.
_BUCKET_OF_ANSWER = np.array([-1] * 7 + [0] * 2 + [1] * 2, dtype=np.int8)


def nps_buckets(scores: Any) -> NDArray[np.int8]:
    """Bucket of each 0-10 likelihood-to-recommend answer.

    Parameters
    ----------
    scores : array-like of int, shape (n,)
        Answers on the 0-10 scale. Floats are accepted when they are whole numbers;
        NaN raises (drop missing answers first, or use :func:`nps` with
        ``nan_policy='omit'``).

    Returns
    -------
    ndarray of int8, shape (n,)
        :class:`NPSBucket` codes: -1 detractor (0-6), 0 passive (7-8), 1 promoter (9-10).

    Notes
    -----
    The buckets are those of Reichheld (2003), "The One Number You Need to Grow",
    Harvard Business Review 81(12). The code is each respondent's contribution to the
    score, so ``100 * nps_buckets(s).mean()`` equals ``nps(s).score``.

    Examples
    --------
    >>> from cskpi import nps_buckets
    >>> nps_buckets([0, 6, 7, 8, 9, 10])
    array([-1, -1,  0,  0,  1,  1], dtype=int8)
    """
    values, _ = integer_scores(scores, "scores", *_NPS_SCALE)
    buckets: NDArray[np.int8] = _BUCKET_OF_ANSWER[values]
    return buckets


@attrs.frozen(kw_only=True)
class NPS(Mergeable):
    """Net Promoter Score counts; the score and its intervals derive from them.

    Attributes
    ----------
    promoters, passives, detractors : int or ndarray of int
        Number of answers 9-10, 7-8 and 0-6 (arrays aligned with the labels of a
        grouped result).
    """

    _headline = "score"
    _figures = ("promoter_share", "passive_share", "detractor_share")

    promoters: Any = stat()
    passives: Any = stat()
    detractors: Any = stat()

    @property
    def n(self) -> Any:
        """Number of answers."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> Any:
        """NPS in [-100, 100]: ``100 * (promoters - detractors) / n``; NaN (with a warning) when n is 0."""
        return divide(100.0 * np.subtract(self.promoters, self.detractors, dtype=np.float64), self.n, "NPS")

    @property
    def promoter_share(self) -> Any:
        """Fraction of answers that are promoters, in [0, 1]."""
        return divide(self.promoters, self.n, "promoter share")

    @property
    def passive_share(self) -> Any:
        """Fraction of answers that are passives, in [0, 1]."""
        return divide(self.passives, self.n, "passive share")

    @property
    def detractor_share(self) -> Any:
        """Fraction of answers that are detractors, in [0, 1]."""
        return divide(self.detractors, self.n, "detractor share")

    def _shares(self, method: str) -> tuple[Any, Any, Any]:
        """Promoter share, detractor share and effective n for an interval method."""
        check_method(method, ("wald", "adjusted_wald"))
        if method == "wald":
            n = np.asarray(self.n, dtype=np.float64)
            promoters = np.asarray(self.promoters, dtype=np.float64)
            detractors = np.asarray(self.detractors, dtype=np.float64)
        elif method == "adjusted_wald":
            n = np.asarray(self.n, dtype=np.float64) + 3.0
            promoters = np.asarray(self.promoters, dtype=np.float64) + 0.75
            detractors = np.asarray(self.detractors, dtype=np.float64) + 0.75
        with np.errstate(divide="ignore", invalid="ignore"):
            return promoters / n, detractors / n, n

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        *,
        method: str = "wald",
        n_resamples: int = 10_000,
        random_state: int | np.random.Generator | None = None,
    ) -> ConfidenceInterval:
        r"""Confidence interval for the NPS, in NPS points, clipped to [-100, 100].

        Parameters
        ----------
        confidence_level : float, default 0.95
            Two-sided confidence level in (0, 1).
        method : {'wald', 'adjusted_wald', 'bootstrap'}
            ``'wald'``: $\mathrm{NPS} \pm 100\, z \sqrt{v / n}$ with the variance of the
            per-respondent score (+1 promoter, 0 passive, -1 detractor)
            $v = p + d - (p - d)^2$, where $p$ and $d$ are the promoter and detractor
            shares. ``'adjusted_wald'``: the same with 3/4 added to the promoter and
            detractor counts and 3 to n, centred on the adjusted estimate; Rocks
            (2016) found it keeps its nominal coverage for small samples and scores
            near ±100, where the Wald interval does not. ``'bootstrap'``: the
            percentile interval of ``n_resamples`` multinomial resamples of the
            three counts (Efron & Tibshirani 1993, ch. 13), all groups at once.
        n_resamples : int, default 10000
            Bootstrap resamples (``'bootstrap'`` only).
        random_state : int, numpy.random.Generator or None
            Seed or generator of the resamples (``'bootstrap'`` only); a fixed seed
            gives the same interval on every call.

        Returns
        -------
        ConfidenceInterval
            ``low`` and ``high`` in NPS points; NaN when n is 0.

        References
        ----------
        B. Rocks (2016), "Interval Estimation for the 'Net Promoter Score'",
        The American Statistician 70(4), 365-372, doi:10.1080/00031305.2016.1158124.
        B. Efron and R. J. Tibshirani (1993), *An Introduction to the Bootstrap*,
        Chapman & Hall.

        Examples
        --------
        50 promoters, 30 passives and 20 detractors: NPS 30, p = 0.5, d = 0.2,
        v = 0.7 - 0.09 = 0.61, half-width 1.96 * 100 * sqrt(0.61 / 100) = 15.3.

        >>> from cskpi import nps
        >>> ci = nps([10] * 50 + [8] * 30 + [3] * 20).confidence_interval()
        >>> round(ci.low, 1), round(ci.high, 1)
        (14.7, 45.3)

        The bootstrap interval of the same answers is close to it:

        >>> result = nps([10] * 50 + [8] * 30 + [3] * 20)
        >>> boot = result.confidence_interval(method="bootstrap", random_state=0)
        >>> 12 < boot.low < 17 and 43 < boot.high < 48
        True
        """
        check_method(method, ("wald", "adjusted_wald", "bootstrap"))
        if method == "bootstrap":
            return self._bootstrap_interval(confidence_level, n_resamples, random_state)
        z = normal_quantile(confidence_level)
        promoter, detractor, n = self._shares(method)
        centre = promoter - detractor
        with np.errstate(divide="ignore", invalid="ignore"):
            half = z * np.sqrt((promoter + detractor - centre**2) / n)
        low = np.clip(100.0 * (centre - half), -100.0, 100.0)
        high = np.clip(100.0 * (centre + half), -100.0, 100.0)
        # The adjusted counts are never empty: an interval over no answers is NaN all the same.
        low, high = nan_where_empty(unwrap(low), unwrap(high), self.n, "the NPS interval")
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)

    def _bootstrap_interval(
        self, confidence_level: float, n_resamples: int, random_state: int | np.random.Generator | None
    ) -> ConfidenceInterval:
        level = check_confidence_level(confidence_level)
        rng = bootstrap_generator(random_state, n_resamples)
        n = np.asarray(self.n, dtype=np.int64)
        promoters = np.asarray(self.promoters, dtype=np.float64)
        detractors = np.asarray(self.detractors, dtype=np.float64)
        safe = np.maximum(n, 1)
        shape = (n_resamples, *n.shape)
        # Multinomial resampling as two binomial draws: promoters, then detractors among the rest.
        p = promoters / safe
        d_given_rest = np.where(safe - promoters > 0, detractors / np.maximum(safe - promoters, 1.0), 0.0)
        drawn_p = rng.binomial(np.broadcast_to(safe, shape), np.broadcast_to(p, shape))
        drawn_d = rng.binomial(safe - drawn_p, np.broadcast_to(d_given_rest, shape))
        scores = 100.0 * (drawn_p - drawn_d) / safe
        low, high = np.quantile(scores, [(1.0 - level) / 2.0, (1.0 + level) / 2.0], axis=0)
        low, high = nan_where_empty(unwrap(low), unwrap(high), self.n, "the NPS interval")
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method="bootstrap")

    def margin_of_error(self, confidence_level: float = 0.95) -> Any:
        r"""Half-width of the Wald interval, in NPS points: $100\, z \sqrt{v / n}$.

        Examples
        --------
        >>> from cskpi import nps
        >>> round(nps([10] * 50 + [8] * 30 + [3] * 20).margin_of_error(), 2)
        15.31
        """
        z = normal_quantile(confidence_level)
        promoter, detractor, n = self._shares("wald")
        with np.errstate(divide="ignore", invalid="ignore"):
            half = z * 100.0 * np.sqrt((promoter + detractor - (promoter - detractor) ** 2) / n)
        return nan_where_empty(unwrap(np.asarray(half)), None, self.n, "the NPS margin of error")[0]


@attrs.frozen(kw_only=True)
class NPSDifference(Tabular):
    """Result of :func:`nps_difference` (all figures in NPS points except z and p)."""

    _headline = "difference"

    difference: Any
    standard_error: Any
    z: Any
    p_value: Any
    confidence_interval: ConfidenceInterval
    method: str

    @property
    def statistic(self) -> Any:
        """The test statistic ``z`` (the name :class:`cskpi.Comparison` gives it)."""
        return self.z


def _count_scale(
    values: NDArray[np.integer[Any]],
    low: int,
    high: int,
    keep: NDArray[np.bool_] | None,
    codes: NDArray[np.intp] | None = None,
    n_groups: int = 1,
) -> NDArray[np.int64]:
    """Counts per scale point (last axis, points low..high), per group when ``codes`` is given."""
    if low < 0:
        # Shift negative scales to start at 0 (one temporary); others count from 0 and drop
        # the empty columns below ``low`` instead of making a shifted copy of the input.
        # In a dtype wide enough for high - low: int8 answers on -100..100 would wrap.
        wide = np.result_type(values.dtype, np.min_scalar_type(low), np.min_scalar_type(high - low))
        values, first, width = np.subtract(values, low, dtype=wide), 0, high - low + 1
    else:
        first, width = low, high + 1
    counts = count_cells(values, width, codes=codes, n_groups=n_groups, keep=keep)
    return counts[..., first:]


def _scale_counts(
    ratings: Any,
    name: str,
    scale: tuple[int, int],
    *,
    by: Any,
    nan_policy: NanPolicy,
    aspects: Any = None,
    allow_aspects: bool = False,
) -> tuple[NDArray[np.int64], Groups | None]:
    """Validate ratings and count them per scale point, per group and aspect."""
    low, high = scale
    ndim: tuple[int, ...] = (1, 2) if allow_aspects else (1,)
    values, keep = integer_scores(ratings, name, low, high, nan_policy=nan_policy, ndim=ndim)
    n_rows = values.shape[0]
    groups = None if by is None else factorize(by, n_rows, name="by")
    if values.ndim == 1:
        if aspects is not None:
            raise InvalidInputError(f"aspects is only used with a 2-D {name} table; got 1-D {name}")
        if groups is None:
            return _count_scale(values, low, high, keep), None
        return _count_scale(values, low, high, keep, groups.codes, groups.n_groups), groups
    n_aspects = values.shape[1]
    given = _aspect_labels(ratings, aspects, n_aspects)
    # Aspects are sorted like every other group label, so that merging batches keeps one order.
    order = np.argsort(given, kind="stable")
    rank = np.empty(n_aspects, dtype=np.intp)
    rank[order] = np.arange(n_aspects, dtype=np.intp)
    aspect_labels = given[order]
    aspect_codes = np.broadcast_to(rank, values.shape)
    if groups is None:
        counts = _count_scale(values, low, high, keep, aspect_codes, n_aspects)
        return counts, Groups(codes=aspect_codes, labels=(aspect_labels,), names=("aspect",))
    cell_codes = groups.codes[:, None] * n_aspects + aspect_codes
    counts = _count_scale(values, low, high, keep, cell_codes, groups.n_groups * n_aspects)
    outer = np.repeat(np.arange(groups.n_groups), n_aspects)
    inner = np.tile(np.arange(n_aspects), groups.n_groups)
    labels = (*(lab[outer] for lab in groups.labels), aspect_labels[inner])
    return counts, Groups(codes=aspect_codes, labels=labels, names=(*groups.names, "aspect"))


def _aspect_labels(table: Any, aspects: Any, n_aspects: int) -> NDArray[Any]:
    if aspects is None:
        columns = getattr(table, "columns", None)
        if columns is None:
            return np.arange(n_aspects)
        aspects = list(columns)
    labels = to_array(list(aspects) if not isinstance(aspects, np.ndarray) else aspects, "aspects")
    if labels.shape[0] != n_aspects:
        raise InvalidInputError(
            f"aspects must name each of the {n_aspects} columns; got {labels.shape[0]} names"
        )
    if np.unique(labels).shape[0] != n_aspects:
        raise InvalidInputError(f"aspects must be distinct; got {labels.tolist()!r}")
    return labels


@overload
def nps(scores: Any, *, by: None = None, nan_policy: NanPolicy = "raise") -> NPS: ...
@overload
def nps(scores: Any, *, by: Any, nan_policy: NanPolicy = "raise") -> Grouped[NPS]: ...
def nps(scores: Any, *, by: Any = None, nan_policy: NanPolicy = "raise") -> NPS | Grouped[NPS]:
    r"""Net Promoter Score of 0-10 likelihood-to-recommend answers.

    Parameters
    ----------
    scores : array-like of int, shape (n,)
        Answers on the 0-10 scale (lists, numpy arrays, pandas or polars Series).
        Floats are accepted when they are whole numbers.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (agent, channel, period…), or a tuple of label arrays for
        several keys. Groups are computed in one vectorised pass.
    nan_policy : {'raise', 'omit'}, default 'raise'
        What to do with NaN (unanswered): raise, or leave the answer out.

    Returns
    -------
    NPS or Grouped[NPS]
        Counts of promoters (9-10), passives (7-8) and detractors (0-6); ``score`` is
        in [-100, 100]. With ``by``, a :class:`Grouped` result whose fields are arrays
        aligned with ``labels`` and whose ``[label]`` gives one group's :class:`NPS`.

    Notes
    -----
    $$\mathrm{NPS} = 100 \cdot \frac{n_\text{promoters} - n_\text{detractors}}{n}$$

    (Reichheld 2003). The score is
    undefined for zero answers: it is NaN and an :class:`UndefinedMetricWarning` is
    emitted. See :meth:`NPS.confidence_interval` for margins of error and
    :func:`nps_difference` to compare two scores.

    References
    ----------
    F. F. Reichheld (2003), "The One Number You Need to Grow", Harvard Business
    Review 81(12), 46-54.

    Examples
    --------
    Four promoters, three passives, three detractors: (4 - 3) / 10 = +10.

    >>> from cskpi import nps
    >>> result = nps([10, 9, 9, 10, 8, 7, 7, 6, 0, 3])
    >>> result.score, result.n
    (10.0, 10)
    >>> grouped = nps([10, 9, 3, 8], by=["phone", "phone", "chat", "chat"])
    >>> grouped.labels.tolist(), grouped.score.tolist()
    (['chat', 'phone'], [-50.0, 100.0])
    >>> grouped["phone"].promoters
    2
    """
    nan_policy = check_nan_policy(nan_policy)
    if by is None:
        array = to_array(scores, "scores")
        if array.dtype.kind in "iu":
            return _nps_flat_integers(array)
    counts, groups = _scale_counts(scores, "scores", _NPS_SCALE, by=by, nan_policy=nan_policy)
    result = NPS(
        promoters=unwrap(counts[..., 9:].sum(axis=-1)),
        passives=unwrap(counts[..., 7:9].sum(axis=-1)),
        detractors=unwrap(counts[..., :7].sum(axis=-1)),
    )
    return result if groups is None else Grouped(result, groups)


def _nps_flat_integers(array: NDArray[np.integer[Any]]) -> NPS:
    """NPS of an integer array without ``by``: one blocked, threaded scan (no histogram).

    Counts answers below 7 (detractors) and below 9 (detractors and passives) while
    checking the range; ``int8`` data is scanned as ``uint8`` so that one maximum
    catches answers both above 10 and below 0.
    """
    scan = array.view(np.uint8) if array.dtype == np.int8 else array
    low, high, (below_passive, below_promoter) = scan_thresholds(scan, (7, 9))
    if low < 0 or high > 10:
        integer_scores(array, "scores", *_NPS_SCALE)  # raises, naming the first bad answer
    n = array.shape[0]
    return NPS(
        promoters=n - below_promoter, passives=below_promoter - below_passive, detractors=below_passive
    )


def nps_difference(a: NPS, b: NPS, *, method: str = "wald", confidence_level: float = 0.95) -> NPSDifference:
    r"""Test whether two Net Promoter Scores differ (two independent samples).

    Parameters
    ----------
    a, b : NPS or Grouped[NPS]
        The two results. Grouped results must have the same labels; the test is
        then done per group.
    method : {'wald', 'adjusted_wald'}, default 'wald'
        Variance estimate, as in :meth:`NPS.confidence_interval`.
    confidence_level : float, default 0.95
        Level of the interval returned for the difference.

    Returns
    -------
    NPSDifference
        ``difference`` = NPS(a) − NPS(b) in points (for ``'adjusted_wald'``, of the
        adjusted estimates), its ``standard_error`` in points, the ``z`` statistic,
        the two-sided ``p_value``, and the ``confidence_interval`` of the difference.

    Notes
    -----
    $$z = \frac{s_a - s_b}{\sqrt{v_a / n_a + v_b / n_b}},$$

    where $s$ is the mean per-respondent score (+1/0/−1) and $v = p + d - (p - d)^2$
    its variance; the p-value is $2\,(1 - \Phi(\lvert z \rvert))$. This is the
    two-sample Wald test on the trinomial means described by Rocks (2016). Undefined (NaN, with an
    :class:`UndefinedMetricWarning`) when either sample is empty or both variances
    are zero.

    Examples
    --------
    Last quarter 40 promoters, 30 passives, 30 detractors (NPS 10); this quarter
    50/30/20 (NPS 30). Variances 0.69 and 0.61, n = 100 each: se = sqrt(0.013) = 0.114,
    z = 0.2 / 0.114 = 1.754, p = 0.079, not significant at 5 %.

    >>> from cskpi import nps, nps_difference
    >>> before = nps([10] * 40 + [7] * 30 + [2] * 30)
    >>> after = nps([10] * 50 + [7] * 30 + [2] * 20)
    >>> test = nps_difference(after, before)
    >>> round(test.difference, 1), round(test.z, 3), round(test.p_value, 3)
    (20.0, 1.754, 0.079)
    """
    first = _nps_values(a, "a")
    second = _nps_values(b, "b")
    grouped = (isinstance(a, Grouped), isinstance(b, Grouped))
    if any(grouped) and (not all(grouped) or a.keys() != b.keys()):  # type: ignore[attr-defined]
        raise InvalidInputError("a and b must be grouped with the same labels to compare per group")
    z_crit = normal_quantile(check_confidence_level(confidence_level))
    pa, da, na = first._shares(method)
    pb, db, nb = second._shares(method)
    # Emptiness is judged on the observed answers, not the adjusted counts (3 pseudo-answers).
    empty = (np.asarray(first.n) == 0) | (np.asarray(second.n) == 0)
    if np.any(empty):
        warn_undefined("NPS difference is undefined when a sample has zero answers; returning NaN")
    raw_difference, raw_se = score_difference(pa, da, na, pb, db, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        difference = np.where(empty, np.nan, raw_difference)
        se = np.where(empty, np.nan, raw_se)
        z = difference / se
    if np.any((se == 0) & (difference == 0)):
        warn_undefined("NPS difference test is undefined when both samples have zero variance; returning NaN")
    p_value = normal_two_sided_p(z)
    interval = ConfidenceInterval(
        low=unwrap(100.0 * (difference - z_crit * se)),
        high=unwrap(100.0 * (difference + z_crit * se)),
        confidence_level=confidence_level,
        method=method,
    )
    return NPSDifference(
        difference=unwrap(100.0 * difference),
        standard_error=unwrap(100.0 * se),
        z=unwrap(z),
        p_value=p_value,
        confidence_interval=interval,
        method=method,
    )


def _nps_values(result: Any, name: str) -> NPS:
    values = result.values if isinstance(result, Grouped) else result
    if not isinstance(values, NPS):
        raise InvalidTypeError(f"{name} must be an NPS result; got {type(result).__name__}")
    return values


@attrs.frozen(kw_only=True)
class _RatingCounts(Mergeable):
    """Counts of answers per point of an integer scale (shared by CSAT and CES)."""

    counts: Any = stat()
    scale: tuple[int, int] = param()

    @property
    def n(self) -> Any:
        """Number of answers."""
        return unwrap(np.asarray(self.counts).sum(axis=-1))

    @property
    def points(self) -> NDArray[np.int64]:
        """The scale points ``low..high`` the columns of ``counts`` refer to."""
        return np.arange(self.scale[0], self.scale[1] + 1)

    @property
    def distribution(self) -> Any:
        """Share of answers at each scale point (last axis), each row summing to 1."""
        counts = np.asarray(self.counts, dtype=np.float64)
        return divide(counts, counts.sum(axis=-1, keepdims=True), "rating distribution")

    def _moments(self) -> tuple[Any, Any, Any]:
        counts = np.asarray(self.counts, dtype=np.float64)
        points = self.points.astype(np.float64)
        n = counts.sum(axis=-1)
        total = counts @ points
        squares = counts @ (points * points)
        return n, total, squares

    @property
    def mean(self) -> Any:
        """Mean rating, in scale points."""
        n, total, _ = self._moments()
        return divide(total, n, "mean rating")

    @property
    def variance(self) -> Any:
        """Sample variance of the ratings (divisor n - 1), in squared scale points."""
        n, total, squares = self._moments()
        with np.errstate(divide="ignore", invalid="ignore"):
            deviations = np.maximum(squares - total * total / n, 0.0)
        return divide(deviations, n - 1, "rating variance (needs two answers)")

    def mean_confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "t"
    ) -> ConfidenceInterval:
        r"""Interval for the mean rating: $\bar x \pm c\, s / \sqrt{n}$, Student's t by default.

        ``method='t'`` takes ``c`` from Student's t with n - 1 degrees of freedom;
        ``'normal'`` the normal quantile, too narrow below about 30 answers (at n = 10 a
        95 % interval covers about 92 %). See :func:`cskpi.mean_interval`. NaN, with
        an :class:`UndefinedMetricWarning`, for fewer than two answers.

        Examples
        --------
        Ratings 1, 3, 5: mean 3, s² = 4, ``t_{0.975, 2} = 4.3027``, half-width
        4.3027 * sqrt(4 / 3) = 4.968:

        >>> from cskpi import csat
        >>> low, high = csat([1, 3, 5]).mean_confidence_interval()
        >>> round(low, 3), round(high, 3)
        (-1.968, 7.968)
        """
        n, total, squares = self._moments()
        low, high = moments_interval(n, total, squares, confidence_level, method, "a mean rating", "answers")
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)

    def _count_from(self, threshold: int) -> Any:
        counts = np.asarray(self.counts)
        return unwrap(counts[..., threshold - self.scale[0] :].sum(axis=-1))


@attrs.frozen(kw_only=True)
class CSAT(_RatingCounts):
    """Customer satisfaction counts per scale point.

    Attributes
    ----------
    counts : ndarray of int, shape (k,) or (groups, k)
        Answers at each point of ``scale`` (``points`` gives the point of each column).
    scale : tuple of int
        Inclusive ``(low, high)`` answer scale.
    satisfied_from : int
        Lowest answer counted as satisfied.
    """

    _headline = "score"
    _figures = ("mean",)

    satisfied_from: int = param()

    @property
    def satisfied(self) -> Any:
        """Number of answers at or above ``satisfied_from``."""
        return self._count_from(self.satisfied_from)

    @property
    def score(self) -> Any:
        """CSAT: fraction of satisfied answers, in [0, 1]; NaN (with a warning) when n is 0."""
        return divide(self.satisfied, self.n, "CSAT")

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Confidence interval for the satisfied fraction, in [0, 1].

        Parameters
        ----------
        confidence_level : float, default 0.95
        method : {'wilson', 'agresti-coull', 'clopper-pearson', 'jeffreys'}, default 'wilson'
            The Wilson score interval (Wilson 1927) by default, recommended over the
            Wald interval for proportions by Brown, Cai and DasGupta (2001); the
            others as in :func:`cskpi.rate_interval`.

        Examples
        --------
        8 satisfied out of 10 at 95 %: Wilson gives [0.490, 0.943].

        >>> from cskpi import csat
        >>> ci = csat([5, 5, 4, 4, 4, 5, 4, 5, 2, 1]).confidence_interval()
        >>> round(ci.low, 3), round(ci.high, 3)
        (0.49, 0.943)
        """
        check_method(method, RATE_METHODS)
        low, high = rate_interval(self.satisfied, self.n, confidence_level, method)
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)


@attrs.frozen(kw_only=True)
class CES(_RatingCounts):
    """Customer effort counts per scale point (higher = easier, as in CES 2.0).

    Attributes
    ----------
    counts : ndarray of int, shape (k,) or (groups, k)
        Answers at each point of ``scale``.
    scale : tuple of int
        Inclusive ``(low, high)`` answer scale.
    easy_from : int
        Lowest answer counted as "easy".
    """

    _headline = "score"
    _figures = ("easy_share",)

    easy_from: int = param()

    @property
    def score(self) -> Any:
        """CES: mean effort answer, in scale points; NaN (with a warning) when n is 0."""
        return self.mean

    @property
    def easy(self) -> Any:
        """Number of answers at or above ``easy_from``."""
        return self._count_from(self.easy_from)

    @property
    def easy_share(self) -> Any:
        """Fraction of answers at or above ``easy_from``, in [0, 1]."""
        return divide(self.easy, self.n, "CES easy share")

    def confidence_interval(self, confidence_level: float = 0.95, *, method: str = "t") -> ConfidenceInterval:
        """Interval for the mean effort score, Student's t by default (:meth:`mean_confidence_interval`)."""
        return self.mean_confidence_interval(confidence_level, method=method)


def _threshold(value: Any, name: str, scale: tuple[int, int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidTypeError(f"{name} must be an integer on the scale {scale}; got {value!r}")
    if not scale[0] <= value <= scale[1]:
        raise InvalidInputError(f"{name} must lie on the scale {scale[0]}..{scale[1]}; got {value!r}")
    return int(value)


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: None = None,
    aspects: None = None,
    nan_policy: NanPolicy = "raise",
) -> CSAT | Grouped[CSAT]: ...  # CSAT for 1-D ratings, grouped by aspect for a 2-D table
@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any,
    aspects: Any = None,
    nan_policy: NanPolicy = "raise",
) -> Grouped[CSAT]: ...
@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any,
    nan_policy: NanPolicy = "raise",
) -> Grouped[CSAT]: ...
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any = None,
    nan_policy: NanPolicy = "raise",
) -> CSAT | Grouped[CSAT]:
    r"""Customer satisfaction (CSAT): the share of satisfied answers.

    Parameters
    ----------
    ratings : array-like of int, shape (n,) or (n, k)
        Answers on the integer ``scale``. A 2-D table (rows = responses, columns =
        aspects such as pick-up, on-time delivery, billing) gives one CSAT per aspect;
        a pandas or polars DataFrame's column names become the aspect labels.
    scale : tuple of int, default (1, 5)
        Inclusive ``(low, high)`` answer scale: any integer scale (1-5, 1-7, 1-10, 0-10).
    satisfied_from : int, default 4
        Lowest answer counted as satisfied: 4 on 1-5 is the usual "top-two-box".
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels; with a 2-D table the groups are (label, aspect) pairs.
    aspects : sequence, optional
        Names of the columns of a 2-D table (default: the DataFrame's columns, or
        0..k-1). Aspect results are sorted by aspect name, like every group label,
        so that batches merge into one order.
    nan_policy : {'raise', 'omit'}, default 'raise'
        NaN marks an unanswered question. ``'omit'`` skips it (per aspect for a
        2-D table: a response still counts for the aspects it answered).

    Returns
    -------
    CSAT or Grouped[CSAT]
        Counts per scale point; ``score`` (satisfied / n, in [0, 1]), ``mean``,
        ``distribution``, ``n`` and ``confidence_interval()`` (Wilson) derive from
        them. Grouped when ``by`` is given or ``ratings`` is 2-D.

    Notes
    -----
    $\mathrm{CSAT} = \#\{\text{answers} \ge \text{satisfied from}\} / n$: the "top-two-box" percentage
    of the American Customer Satisfaction Index tradition, expressed as a fraction.
    Over zero answers it is NaN with an :class:`UndefinedMetricWarning`.

    Examples
    --------
    Seven of ten answers are 4 or 5:

    >>> from cskpi import csat
    >>> result = csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 5])
    >>> result.score, result.satisfied, result.n, result.mean
    (0.7, 7, 10, 3.8)

    One CSAT per aspect from a table of answers (NaN = not answered):

    >>> import numpy as np
    >>> table = np.array([[5, 4], [3, np.nan], [4, 2]])
    >>> per_aspect = csat(table, aspects=["pick-up", "billing"], nan_policy="omit")
    >>> per_aspect.labels.tolist(), per_aspect.score.tolist(), per_aspect.n.tolist()
    (['billing', 'pick-up'], [0.5, 0.6666666666666666], [2, 3])
    """
    scale = check_integer_scale(scale)
    satisfied_from = _threshold(satisfied_from, "satisfied_from", scale)
    nan_policy = check_nan_policy(nan_policy)
    counts, groups = _scale_counts(
        ratings, "ratings", scale, by=by, nan_policy=nan_policy, aspects=aspects, allow_aspects=True
    )
    result = CSAT(counts=counts, scale=scale, satisfied_from=satisfied_from)
    return result if groups is None else Grouped(result, groups)


@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: None = None,
    nan_policy: NanPolicy = "raise",
) -> CES: ...
@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any,
    nan_policy: NanPolicy = "raise",
) -> Grouped[CES]: ...
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any = None,
    nan_policy: NanPolicy = "raise",
) -> CES | Grouped[CES]:
    """Customer Effort Score (CES): the mean effort answer and the share of "easy" answers.

    Parameters
    ----------
    ratings : array-like of int, shape (n,)
        Answers on the integer ``scale``, higher meaning easier ("The company made it
        easy for me to handle my issue": 1 strongly disagree .. 7 strongly agree).
    scale : tuple of int, default (1, 7)
        Inclusive ``(low, high)`` answer scale.
    easy_from : int, default 5
        Lowest answer counted as "easy" (5-7 on the 7-point scale: somewhat agree
        or stronger).
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels.
    nan_policy : {'raise', 'omit'}, default 'raise'
        What to do with NaN (unanswered).

    Returns
    -------
    CES or Grouped[CES]
        Counts per scale point; ``score`` (mean answer, in scale points),
        ``easy_share`` (in [0, 1]), ``n``, ``distribution`` and
        ``confidence_interval()`` (normal interval for the mean) derive from them.

    Notes
    -----
    CES 2.0 (Dixon, Toman and DeLisi 2013, *The Effortless Experience*) asks for
    agreement on a 1-7 scale and reports the mean; the share of 5-7 answers is the
    common companion. Over zero answers both are NaN with an
    :class:`UndefinedMetricWarning`.

    Examples
    --------
    >>> from cskpi import ces
    >>> result = ces([7, 6, 5, 5, 3, 1])
    >>> result.score, round(result.easy_share, 4)
    (4.5, 0.6667)
    """
    scale = check_integer_scale(scale)
    easy_from = _threshold(easy_from, "easy_from", scale)
    nan_policy = check_nan_policy(nan_policy)
    counts, groups = _scale_counts(ratings, "ratings", scale, by=by, nan_policy=nan_policy)
    result = CES(counts=counts, scale=scale, easy_from=easy_from)
    return result if groups is None else Grouped(result, groups)
