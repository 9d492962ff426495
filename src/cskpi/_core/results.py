"""Result classes: mergeable sufficient statistics and their grouped form.

A result is a frozen attrs class whose fields are either *statistics* (counts and
sums that add across batches) or *parameters* (scale, threshold, variant: must be
equal to merge). Headline figures are properties derived from the statistics, so
``a + b`` on two batches equals the result on the concatenated batches.

A grouped result (:class:`Grouped`) holds one such result whose statistics are
arrays with one row per group, together with the group labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, Self, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import arrays_equal
from .errors import InvalidInputError, InvalidTypeError
from .labels import Groups, combine_codes, decode_combos
from .stats import wilson_interval

__all__ = [
    "ARRAY_EQ",
    "ConfidenceInterval",
    "Grouped",
    "LabelledResult",
    "Mergeable",
    "array_field",
    "arrays_equal",
    "label_position",
    "normalise_label",
    "param",
    "per_group",
    "single_or_grouped",
    "stat",
    "wilson_confidence_interval",
]

STAT_KEY = "cskpi_stat"


ARRAY_EQ = attrs.cmp_using(eq=arrays_equal)
"""The ``eq=`` of attrs fields holding arrays (see :func:`arrays_equal`)."""


def array_field() -> Any:
    """A plain array-valued field (labels, per-cohort arrays) compared with :func:`arrays_equal`."""
    return attrs.field(eq=attrs.cmp_using(eq=arrays_equal))


def stat() -> Any:
    """An additive statistic field (count or sum); compared with :func:`arrays_equal`."""
    return attrs.field(eq=attrs.cmp_using(eq=arrays_equal), metadata={STAT_KEY: True})


def param() -> Any:
    """A parameter field: results merge only when their parameters are equal."""
    return attrs.field(metadata={STAT_KEY: False})


def stat_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if f.metadata.get(STAT_KEY))


def param_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if not f.metadata.get(STAT_KEY))


class Mergeable:
    """Mixin giving attrs result classes ``+`` over their statistic fields."""

    __slots__ = ()

    def _check_mergeable(self, other: object) -> None:
        if type(other) is not type(self):
            raise InvalidTypeError(
                f"cannot add {type(other).__name__} to {type(self).__name__}: "
                "only results of the same kind merge"
            )
        for name in param_names(type(self)):
            if getattr(self, name) != getattr(other, name):
                raise InvalidInputError(
                    f"cannot add {type(self).__name__} results with different {name}: "
                    f"{getattr(self, name)!r} and {getattr(other, name)!r}"
                )

    def __add__(self, other: Self) -> Self:
        self._check_mergeable(other)
        changes = {name: getattr(self, name) + getattr(other, name) for name in stat_names(type(self))}
        return attrs.evolve(self, **changes)  # type: ignore[misc]

    def __radd__(self, other: object) -> Self:
        # ``sum(results)`` starts from 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def _repr_html_(self) -> str:
        """Compact HTML table for Jupyter (fields and headline figures)."""
        from .display import result_html

        return result_html(self)


R = TypeVar("R", bound=Mergeable)

_NO_CODES: NDArray[np.intp] = np.zeros(0, dtype=np.intp)


@attrs.frozen
class ConfidenceInterval:
    """A two-sided confidence interval; unpacks as ``low, high``.

    ``low`` and ``high`` are floats for a single result and arrays aligned with the
    labels for a grouped result.
    """

    low: Any = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    high: Any = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    confidence_level: float
    method: str

    def __iter__(self) -> Iterator[Any]:
        return iter((self.low, self.high))


def normalise_label(key_labels: tuple[NDArray[Any], ...], label: Any) -> tuple[Any, ...]:
    """The label as a tuple of Python values in the dtypes of ``key_labels``; KeyError if it cannot be.

    ``'2024-01'`` and ``np.datetime64('2024-01')`` name the same month; a tuple names
    one label per key when there are several keys.
    """
    parts = label if len(key_labels) > 1 and isinstance(label, tuple) else (label,)
    if len(parts) != len(key_labels):
        raise KeyError(label)
    normalised = []
    for part, labels in zip(parts, key_labels, strict=True):
        try:
            normalised.append(np.asarray(part, dtype=labels.dtype).item())
        except (TypeError, ValueError):
            raise KeyError(label) from None
    return tuple(normalised)


def label_position(key_labels: tuple[NDArray[Any], ...], label: Any) -> int:
    """Position of ``label`` among the group labels (one vectorised comparison per key)."""
    wanted = normalise_label(key_labels, label)
    match = np.ones(key_labels[0].shape[0], dtype=bool)
    for part, labels in zip(wanted, key_labels, strict=True):
        match &= np.asarray(labels == np.asarray(part, dtype=labels.dtype), dtype=bool)
    positions = np.flatnonzero(match)
    if positions.shape[0] == 0:
        raise KeyError(label)
    return int(positions[0])


def single_or_grouped(result: Any, groups: Groups | None) -> Any:
    """The result itself for an ungrouped call, wrapped in :class:`Grouped` otherwise."""
    return result if groups is None else Grouped(result, groups)


def wilson_confidence_interval(successes: Any, n: Any, confidence_level: float) -> ConfidenceInterval:
    """Wilson score interval of ``successes`` out of ``n`` as a :class:`ConfidenceInterval`."""
    low, high = wilson_interval(successes, n, confidence_level)
    return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method="wilson")


def _scalarize(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


_PER_GROUP = "cskpi_per_group"


def per_group() -> Any:
    """A per-group field of a non-mergeable result (percentiles): indexed by label, never added.

    Compared with ``numpy.array_equal(..., equal_nan=True)``: NaN marks an empty group.
    """
    return attrs.field(eq=attrs.cmp_using(eq=arrays_equal), metadata={_PER_GROUP: True})


class LabelledResult:
    """Mixin for non-mergeable attrs results that hold per-group arrays and their ``labels``.

    Gives ``result[label]`` (the one-group result), ``result.keys()`` and
    ``result.at(position)``, like :class:`Grouped`. Fields made with :func:`per_group`
    are indexed; a field holding a :class:`Grouped` is indexed with its ``at``; a
    ``labels`` field is set to None and a ``names`` field to ``()`` in the one-group
    result.
    """

    __slots__ = ()

    def _key_labels(self) -> tuple[NDArray[Any], ...]:
        labels = getattr(self, "labels", None)
        if labels is None:
            raise TypeError(f"this {type(self).__name__} is not grouped: it has no labels to index")
        return labels if isinstance(labels, tuple) else (labels,)

    def __getitem__(self, label: Any) -> Self:
        return self.at(label_position(self._key_labels(), label))

    def keys(self) -> list[Any]:
        """Group labels as Python values (tuples for several keys)."""
        columns = [labels.tolist() for labels in self._key_labels()]
        return list(columns[0]) if len(columns) == 1 else list(zip(*columns, strict=True))

    def at(self, position: int) -> Self:
        """The result of the group at ``position`` in label order."""
        changes: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if isinstance(value, Grouped):
                changes[field.name] = value.at(position)
            elif field.metadata.get(_PER_GROUP):
                changes[field.name] = _scalarize(np.asarray(value)[position])
            elif field.name == "labels":
                changes[field.name] = None
            elif field.name == "names":
                changes[field.name] = ()
        return attrs.evolve(self, **changes)  # type: ignore[misc]

    def _repr_html_(self) -> str:
        """Compact HTML table for Jupyter (fields and headline figures)."""
        from .display import result_html

        return result_html(self)


class Grouped(Generic[R]):
    """A result per group, computed in one vectorised pass.

    ``grouped[label]`` is the result of one group (``grouped[a, b]`` for several
    keys), ``grouped.labels`` the group labels (one array, or a tuple of arrays for
    several keys), and every field or property of the underlying result is available
    as an array aligned with the labels (``grouped.score``). Grouped results of the
    same kind merge with ``+``: groups present in both are added, the others kept.
    """

    __slots__ = ("_groups", "_index", "values")

    def __init__(self, values: R, groups: Groups) -> None:
        self.values = values
        # Keep labels and names only: the per-row codes are not needed after counting.
        self._groups = Groups(codes=_NO_CODES, labels=groups.labels, names=groups.names)
        self._index: dict[Any, int] | None = None

    @property
    def labels(self) -> Any:
        """The group labels: one array, or a tuple of arrays for several keys."""
        labels = self._groups.labels
        return labels[0] if len(labels) == 1 else labels

    @property
    def names(self) -> tuple[str, ...]:
        """Name of each grouping key."""
        return self._groups.names

    def __len__(self) -> int:
        return self._groups.n_groups

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.values, name)

    def _key(self, label: Any) -> Any:
        return normalise_label(self._groups.labels, label)

    def _lookup(self) -> dict[Any, int]:
        if self._index is None:
            columns = [labels.tolist() for labels in self._groups.labels]
            self._index = {key: i for i, key in enumerate(zip(*columns, strict=True))}
        return self._index

    def __getitem__(self, label: Any) -> R:
        position = self._lookup().get(self._key(label))
        if position is None:
            raise KeyError(label)
        return self.at(position)

    def __contains__(self, label: object) -> bool:
        try:
            return self._key(label) in self._lookup()
        except KeyError:
            return False

    def at(self, position: int) -> R:
        """The result of the group at ``position`` in label order."""
        changes = {
            name: _scalarize(getattr(self.values, name)[position]) for name in stat_names(type(self.values))
        }
        return attrs.evolve(self.values, **changes)  # type: ignore[misc]

    def keys(self) -> list[Any]:
        """Group labels as Python values (tuples for several keys)."""
        columns = [labels.tolist() for labels in self._groups.labels]
        if len(columns) == 1:
            return list(columns[0])
        return list(zip(*columns, strict=True))

    def items(self) -> Iterator[tuple[Any, R]]:
        """Pairs of (label, result) in label order."""
        for position, key in enumerate(self.keys()):
            yield key, self.at(position)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Grouped):
            return NotImplemented
        mine, theirs = self._groups.labels, other._groups.labels
        same_labels = len(mine) == len(theirs) and all(
            np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True)
        )
        return same_labels and type(self.values) is type(other.values) and self.values == other.values

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Grouped[R]) -> Grouped[R]:
        if not isinstance(other, Grouped):
            return NotImplemented
        self.values._check_mergeable(other.values)
        if len(self._groups.labels) != len(other._groups.labels):
            raise InvalidInputError(
                "cannot add grouped results with a different number of grouping keys: "
                f"{len(self._groups.labels)} and {len(other._groups.labels)}"
            )
        mine_labels, their_labels = self._groups.labels, other._groups.labels
        if all(np.array_equal(m, t) for m, t in zip(mine_labels, their_labels, strict=True)):
            # Same groups in the same order: add the statistics row by row, keep the order.
            return Grouped(self.values + other.values, self._groups)
        n_self = len(self)
        key_codes = []
        union_labels = []
        for mine, theirs in zip(self._groups.labels, other._groups.labels, strict=True):
            joined = np.concatenate([mine, theirs])
            labels, codes = np.unique(joined, return_inverse=True)
            key_codes.append(codes.reshape(-1).astype(np.intp))
            union_labels.append(labels)
        sizes = tuple(int(lab.shape[0]) for lab in union_labels)
        codes, combos = combine_codes(tuple(key_codes), sizes)
        n_groups = int(combos.shape[0])
        changes = {}
        for name in stat_names(type(self.values)):
            mine_stat = np.asarray(getattr(self.values, name))
            theirs_stat = np.asarray(getattr(other.values, name))
            dtype = np.result_type(mine_stat, theirs_stat)
            total: NDArray[Any] = np.zeros((n_groups, *mine_stat.shape[1:]), dtype=dtype)
            total[codes[:n_self]] += mine_stat
            total[codes[n_self:]] += theirs_stat
            changes[name] = total
        groups = Groups(
            codes=_NO_CODES,
            labels=decode_combos(combos, tuple(union_labels)),
            names=self._groups.names,
        )
        return Grouped(attrs.evolve(self.values, **changes), groups)  # type: ignore[misc]

    def __radd__(self, other: object) -> Grouped[R]:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __repr__(self) -> str:
        return f"Grouped[{type(self.values).__name__}]({len(self)} groups by {', '.join(self.names)})"

    def _repr_html_(self) -> str:
        """Compact HTML table for Jupyter (fields and headline figures)."""
        from .display import result_html

        return result_html(self)

    def to_dict(self) -> dict[Any, R]:
        """Results by label as a plain dict."""
        return dict(self.items())
