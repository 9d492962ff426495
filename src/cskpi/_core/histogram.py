"""A mergeable table of counts per (group, value): the histogram behind mergeable percentiles.

Order statistics do not add, but the number of observations at each distinct value
of each group does. :class:`ValueCounts` keeps those counts exactly while they are
few (at most ``max_exact_values`` distinct pairs) and otherwise rounds every value
*up* to the next multiple of ``resolution_seconds`` (a fixed-resolution histogram),
for good: rounding is idempotent, so merges in any order give the same table.
Percentile queries on the table live with the metric that defines them
(:class:`cskpi.dask.AnswerTimeCounts`).
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from .errors import InvalidInputError
from .labels import factorize
from .results import ARRAY_EQ

__all__ = ["ValueCounts", "resolution_steps", "round_up", "tabulate", "tuple_eq"]


def tuple_eq(a: Any, b: Any) -> bool:
    """Whether two tuples of arrays hold equal arrays, pairwise."""
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def resolution_steps(seconds: NDArray[np.float64], resolution: float) -> NDArray[np.float64]:
    """The smallest whole k with ``k * resolution >= seconds`` (in floating point); inf stays inf."""
    with np.errstate(invalid="ignore"):
        k = np.ceil(seconds / resolution)
        k = np.where((k - 1.0) * resolution >= seconds, k - 1.0, k)
        steps: NDArray[np.float64] = np.where(k * resolution < seconds, k + 1.0, k)
    return steps


def round_up(seconds: NDArray[np.float64], resolution: float) -> NDArray[np.float64]:
    """Each wait rounded up to the next multiple ``k * resolution`` (itself when it is one); inf stays inf."""
    with np.errstate(invalid="ignore"):
        rounded: NDArray[np.float64] = np.where(
            np.isinf(seconds), seconds, resolution_steps(seconds, resolution) * resolution
        )
    return rounded


V = TypeVar("V", bound="ValueCounts")


def tabulate(
    cls: type[V],
    labels: tuple[NDArray[Any], ...],
    seconds: NDArray[np.float64],
    counts: NDArray[np.int64],
    *,
    names: tuple[str, ...],
    resolution_seconds: float,
    max_exact_values: int | None,
    exact: bool,
) -> V:
    """Counts summed per distinct (labels, seconds), rounded up to the resolution unless ``exact``."""
    values = seconds if exact else round_up(seconds, resolution_seconds)
    n_rows = values.shape[0]
    cells = factorize((*labels, values), n_rows, name="by")
    totals = np.zeros(cells.n_groups, dtype=np.int64)
    np.add.at(totals, cells.codes, counts)
    if exact and max_exact_values is not None and cells.n_groups > max_exact_values:
        return tabulate(
            cls,
            cells.labels[:-1],
            cells.labels[-1],
            totals,
            names=names,
            resolution_seconds=resolution_seconds,
            max_exact_values=max_exact_values,
            exact=False,
        )
    return cls(
        labels=tuple(cells.labels[:-1]),
        seconds=cells.labels[-1].astype(np.float64),
        counts=totals,
        names=names,
        resolution_seconds=resolution_seconds,
        max_exact_values=max_exact_values,
        exact=exact,
    )


@attrs.frozen(kw_only=True)
class ValueCounts:
    """Observations counted per (group, value), mergeable with ``+`` (see the module docstring).

    Attributes
    ----------
    labels : tuple of ndarray
        Group labels of each row, one array per grouping key (empty when not grouped).
    seconds : ndarray of float, shape (m,)
        Each row's value [s]: exact, or rounded up to a multiple of
        ``resolution_seconds``; ``inf`` allowed. Rows are sorted by labels, then value.
    counts : ndarray of int64, shape (m,)
        Observations of the row's group with the row's value.
    names : tuple of str
        Name of each grouping key.
    resolution_seconds : float
        Width of the histogram bins [s] once rounded.
    max_exact_values : int or None
        Most distinct (group, value) pairs kept exactly (None: no limit).
    exact : bool
        True while the values are exact; False once rounded.
    """

    labels: tuple[NDArray[Any], ...] = attrs.field(eq=attrs.cmp_using(eq=tuple_eq))
    seconds: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    counts: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    names: tuple[str, ...]
    resolution_seconds: float
    max_exact_values: int | None
    exact: bool

    @property
    def n(self) -> int:
        """Contacts counted."""
        return int(self.counts.sum())

    def __add__(self, other: Self) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        for name in ("names", "resolution_seconds", "max_exact_values"):
            if getattr(self, name) != getattr(other, name):
                raise InvalidInputError(
                    f"cannot add {type(self).__name__} with different {name}: "
                    f"{getattr(self, name)!r} and {getattr(other, name)!r}"
                )
        return tabulate(
            type(self),
            tuple(np.concatenate([a, b]) for a, b in zip(self.labels, other.labels, strict=True)),
            np.concatenate([self.seconds, other.seconds]),
            np.concatenate([self.counts, other.counts]),
            names=self.names,
            resolution_seconds=self.resolution_seconds,
            max_exact_values=self.max_exact_values,
            exact=self.exact and other.exact,
        )

    def __radd__(self, other: object) -> Self:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented
