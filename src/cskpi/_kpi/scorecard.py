"""Quality scorecards: weighted checklists with critical items, per review and aggregated.

Used for internal quality assurance (QA) reviews of calls and tickets and for
mystery-shopper reports: each review scores a fixed list of items, each item has a
weight, and some items are critical (failing one fails the whole review).
"""

from __future__ import annotations

from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import NanPolicy, check_nan_policy, describe_first, first_index, to_array
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.labels import factorize
from .._core.results import ConfidenceInterval, Grouped, Mergeable, stat
from .._core.stats import MEAN_METHODS, check_method, divide, mean_interval

__all__ = ["QAScore", "qa_review_scores", "qa_scorecard"]


def _checks_table(checks: Any, nan_policy: NanPolicy) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    table = to_array(checks, "checks", ndim=2)
    if table.dtype.kind == "b" or table.dtype.kind in "iu":
        table = table.astype(np.float64)
    elif table.dtype.kind == "O":
        try:
            table = table.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidTypeError("checks must contain numbers in [0, 1]; got non-numeric values") from None
    elif table.dtype.kind != "f":
        raise InvalidTypeError(f"checks must contain numbers in [0, 1]; got dtype {table.dtype}")
    missing = np.isnan(table)
    if nan_policy == "raise" and missing.any():
        raise InvalidInputError(
            "checks must not contain NaN (pass nan_policy='omit' to treat NaN as "
            f"'not applicable'); got nan at index {first_index(missing)}"
        )
    bad = ~missing & ((table < 0) | (table > 1))
    if bad.any():
        raise InvalidInputError(f"checks must be in [0, 1]; got {describe_first(table, bad)}")
    return table, ~missing


def _weights(weights: Any, n_items: int) -> NDArray[np.float64]:
    array = to_array(weights, "weights")
    if array.dtype.kind not in "iuf" or array.dtype.kind == "b":
        raise InvalidTypeError(f"weights must be numbers; got dtype {array.dtype}")
    array = array.astype(np.float64)
    if array.shape[0] != n_items:
        raise InvalidInputError(f"weights must have one weight per item ({n_items}); got {array.shape[0]}")
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        raise InvalidInputError(f"weights must be finite and non-negative; got {describe_first(array, bad)}")
    if n_items and array.sum() == 0:
        raise InvalidInputError("weights must not all be zero")
    return array


def _critical(critical: Any, n_items: int) -> NDArray[np.bool_]:
    if critical is None:
        return np.zeros(n_items, dtype=bool)
    array = to_array(critical, "critical")
    if array.dtype.kind != "b":
        raise InvalidTypeError(f"critical must be a boolean mask over the items; got dtype {array.dtype}")
    if array.shape[0] != n_items:
        raise InvalidInputError(f"critical must have one flag per item ({n_items}); got {array.shape[0]}")
    return array


def _review_parts(
    checks: Any, weights: Any, critical: Any, nan_policy: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Weighted points, applicable weight and critical failure of each review."""
    policy = check_nan_policy(nan_policy)
    table, applicable = _checks_table(checks, policy)
    n_items = table.shape[1]
    item_weights = _weights(weights, n_items)
    critical_items = _critical(critical, n_items)
    answered = np.where(applicable, table, 0.0)
    on_critical = applicable & critical_items
    partial = on_critical & (answered != 0) & (answered != 1)
    if partial.any():
        raise InvalidInputError(
            f"checks must be 0 (fail) or 1 (pass) on critical items; got {describe_first(table, partial)}"
        )
    points = answered @ item_weights
    possible = applicable.astype(np.float64) @ item_weights
    critical_failed = (on_critical & (answered == 0)).any(axis=1)
    return np.where(critical_failed, 0.0, points), possible, critical_failed


def qa_review_scores(
    checks: Any, weights: Any, *, critical: Any = None, nan_policy: NanPolicy = "raise"
) -> NDArray[np.float64]:
    r"""Score of each quality review: weighted share of the checklist passed, in [0, 1].

    Parameters
    ----------
    checks : array-like of float, shape (n_reviews, n_items)
        Result of each item in each review: 1 pass, 0 fail, a fraction for partial
        credit (critical items must be 0 or 1). Booleans are accepted. NaN means
        "not applicable" when ``nan_policy='omit'``.
    weights : array-like of float, shape (n_items,)
        Non-negative weight (points) of each item.
    critical : array-like of bool, shape (n_items,), optional
        Items whose failure sets the review's score to 0.
    nan_policy : {'raise', 'omit'}, default 'raise'
        ``'omit'`` treats NaN items as not applicable: they leave both the points
        earned and the points possible.

    Returns
    -------
    ndarray of float, shape (n_reviews,)
        Score of each review in [0, 1]. NaN, with an :class:`UndefinedMetricWarning`,
        for a review with no applicable item.

    Notes
    -----
    $$\mathrm{score}_r = \begin{cases}
    0 & \text{if a critical item applicable to review } r \text{ failed,} \\
    \dfrac{\sum_i w_i\, x_{ri}\, a_{ri}}{\sum_i w_i\, a_{ri}} & \text{otherwise,}
    \end{cases}$$

    with $x_{ri}$ the item result, $w_i$ its weight and $a_{ri}$ 1 when the item applies.
    This is the weighted checklist with "auto-fail"
    critical items common in contact-centre QA forms (COPC CX Standard, section on
    transaction monitoring, distinguishes critical from non-critical errors).

    Examples
    --------
    Greeting (weight 1), verification (critical, weight 2), resolution (weight 3):

    >>> from cskpi import qa_review_scores
    >>> checks = [[1, 1, 1], [1, 1, 0.5], [1, 0, 1]]
    >>> qa_review_scores(checks, [1, 2, 3], critical=[False, True, False])
    array([1.  , 0.75, 0.  ])
    """
    points, possible, _ = _review_parts(checks, weights, critical, nan_policy)
    scores: NDArray[np.float64] = np.asarray(divide(points, possible, "QA review score"), dtype=np.float64)
    return scores.reshape(-1)


@attrs.frozen(kw_only=True)
class QAScore(Mergeable):
    """Aggregate of quality reviews.

    Attributes
    ----------
    n_reviews : int or ndarray
        Reviews with at least one applicable item (the ones that have a score).
    total : float or ndarray
        Sum of the review scores.
    total_squares : float or ndarray
        Sum of the squared review scores.
    n_critical_failures : int or ndarray
        Reviews failed on a critical item (scored 0).
    n_unscored : int or ndarray
        Reviews with no applicable item, reported here and left out of the mean.
    """

    _headline = "score"
    _figures = ("critical_failure_rate",)

    n_reviews: Any = stat()
    total: Any = stat()
    total_squares: Any = stat()
    n_critical_failures: Any = stat()
    n_unscored: Any = stat()

    @property
    def n(self) -> Any:
        """Number of scored reviews."""
        return self.n_reviews

    @property
    def score(self) -> Any:
        """Mean review score, in [0, 1]; NaN (with a warning) when no review was scored."""
        return divide(self.total, self.n_reviews, "QA score")

    @property
    def critical_failure_rate(self) -> Any:
        """Fraction of scored reviews failed on a critical item, in [0, 1]."""
        return divide(self.n_critical_failures, self.n_reviews, "critical failure rate")

    def confidence_interval(self, confidence_level: float = 0.95, *, method: str = "t") -> ConfidenceInterval:
        """Interval for the mean review score, clipped to [0, 1]; Student's t by default.

        ``method`` is ``'t'`` (Student's t with n - 1 degrees of freedom) or
        ``'normal'`` (the large-sample normal quantile), as in :func:`cskpi.mean_interval`.
        """
        check_method(method, MEAN_METHODS)
        n = np.asarray(self.n_reviews, dtype=np.float64)
        total = np.asarray(self.total, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total / n
            variance = np.maximum(np.asarray(self.total_squares) - total * mean, 0.0) / (n - 1)
        low, high = mean_interval(mean, variance, n, confidence_level, method)
        return ConfidenceInterval(
            low=np.clip(low, 0.0, 1.0) if isinstance(low, np.ndarray) else min(max(low, 0.0), 1.0),
            high=np.clip(high, 0.0, 1.0) if isinstance(high, np.ndarray) else min(max(high, 0.0), 1.0),
            confidence_level=confidence_level,
            method=method,
        )


@overload
def qa_scorecard(
    checks: Any,
    weights: Any,
    *,
    critical: Any = None,
    by: None = None,
    nan_policy: NanPolicy = "raise",
) -> QAScore: ...
@overload
def qa_scorecard(
    checks: Any,
    weights: Any,
    *,
    critical: Any = None,
    by: Any,
    nan_policy: NanPolicy = "raise",
) -> Grouped[QAScore]: ...
def qa_scorecard(
    checks: Any,
    weights: Any,
    *,
    critical: Any = None,
    by: Any = None,
    nan_policy: NanPolicy = "raise",
) -> QAScore | Grouped[QAScore]:
    """Aggregate quality reviews, overall or per agent, team or period.

    Parameters
    ----------
    checks, weights, critical, nan_policy
        As in :func:`qa_review_scores`.
    by : array-like or tuple of array-likes, shape (n_reviews,), optional
        Label of each review (agent, team, month…).

    Returns
    -------
    QAScore or Grouped[QAScore]
        ``score`` is the mean review score in [0, 1] (each review weighs the same),
        with ``critical_failure_rate``, ``n_unscored`` and ``confidence_interval()``.

    Examples
    --------
    >>> from cskpi import qa_scorecard
    >>> checks = [[1, 1, 1], [1, 1, 0.5], [1, 0, 1], [0, 1, 1]]
    >>> agents = ["ann", "ann", "bob", "bob"]
    >>> card = qa_scorecard(checks, [1, 2, 3], critical=[False, True, False], by=agents)
    >>> card.labels.tolist(), card.score.tolist(), card.n_critical_failures.tolist()
    (['ann', 'bob'], [0.875, 0.4166666666666667], [0, 1])
    """
    points, possible, critical_failed = _review_parts(checks, weights, critical, nan_policy)
    scored = possible > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(scored, points / np.where(scored, possible, 1.0), 0.0)
    failed = critical_failed & scored
    if by is None:
        result = QAScore(
            n_reviews=int(scored.sum()),
            total=float(scores.sum()),
            total_squares=float((scores * scores).sum()),
            n_critical_failures=int(failed.sum()),
            n_unscored=int((~scored).sum()),
        )
        return result
    groups = factorize(by, scores.shape[0])
    size = groups.n_groups

    def per_group(weights: NDArray[Any]) -> NDArray[np.float64]:
        return np.bincount(groups.codes, weights=weights, minlength=size).astype(np.float64)

    result = QAScore(
        n_reviews=np.bincount(groups.codes[scored], minlength=size),
        total=per_group(scores),
        total_squares=per_group(scores * scores),
        n_critical_failures=np.bincount(groups.codes[failed], minlength=size),
        n_unscored=np.bincount(groups.codes[~scored], minlength=size),
    )
    return Grouped(result, groups)
