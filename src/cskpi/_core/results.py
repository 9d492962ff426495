"""Result classes: mergeable sufficient statistics and their grouped form.

A result is a frozen attrs class whose fields are either *statistics* (counts and
sums that add across batches) or *parameters* (scale, threshold, variant: must be
equal to merge). Headline figures are properties derived from the statistics, so
``a + b`` on two batches equals the result on the concatenated batches.

A grouped result (:class:`Grouped`) holds one such result whose statistics are
arrays with one row per group, together with the group labels.

The result protocol (:class:`Tabular`, mixed into :class:`Mergeable`,
:class:`LabelledResult` and :class:`Grouped`):

``value``
    The headline figure, under this name on every class that has one (NPS, CSAT
    share, service level, mean handle time, contacts per period…); an array aligned
    with the labels for a grouped result. ``score``, ``rate`` and the other older
    names stay as aliases. A class names its headline in ``_headline``; the classes
    without one (``CLVInputs``, ``ReplyTimes``) have no ``value``.
``to_dict()``
    A dict of equal-length columns: label columns named by the grouping keys, point
    axes declared in ``_axes`` (period, instant, cohort × offset, percentile level,
    interval: one row per group and point), then the statistics, ``n``, ``value``,
    the figures listed in ``_figures``, and ``ci_low`` / ``ci_high`` from the default
    ``confidence_interval()`` (level 0.95). Single results give columns of length 1.
``to_pandas()``, ``to_polars()``, ``to_arrow()``
    Built on ``to_dict()``; the library is imported on call, with a one-line install
    hint when it is missing.
Lookups
    ``grouped[label]``, ``label in grouped`` and :func:`label_position` are exact:
    numbers equal as numbers, bool is not a number, text is compared whole and never
    equals a number; ISO 8601 text names a datetime label at the same instant.
    Anything else is :class:`KeyError`.
Merging
    Labels are sorted, and ``a + b`` gives the sorted union, so ``f(a) + f(b) ==
    f(a ++ b)`` holds exactly for counts. ``==`` is exact; :meth:`Tabular.isclose`
    compares float figures with a tolerance.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterator
from typing import Any, ClassVar, Generic, Self, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import arrays_equal
from .errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning, warn_undefined
from .labels import Groups, combine_codes, decode_combos
from .optional import require
from .stats import rate_interval, wilson_interval

__all__ = [
    "ARRAY_EQ",
    "ConfidenceInterval",
    "Grouped",
    "LabelledResult",
    "Mergeable",
    "Tabular",
    "array_field",
    "arrays_equal",
    "label_position",
    "param",
    "per_group",
    "rate_confidence_interval",
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


_Columns = dict[str, Any]


def _field_columns(result: Any) -> list[str]:
    """Names of a result's own figures: statistics and per-group fields, or every field of a plain class."""
    fields = attrs.fields(type(result))
    chosen = [f.name for f in fields if f.metadata.get(STAT_KEY) or f.metadata.get(_PER_GROUP)]
    if chosen or isinstance(result, Mergeable | LabelledResult):
        return chosen
    return [f.name for f in fields if not f.name.startswith("_")]


def _figure_columns(result: Any, lead: tuple[int, ...]) -> tuple[_Columns, tuple[int, ...]]:
    """The columns of a result whose figures have the shape ``lead`` (+ its point axes), flattened.

    A declared point axis is used when the headline figure has it (a volume by period
    has one, a resolution rate without periods has none). A figure with fewer axes
    (the ``n`` of each group of a percentile table) is repeated over the missing ones.
    """
    declared: tuple[tuple[str, str], ...] = getattr(result, "_axes", ())
    headline = getattr(result, "_headline", None)
    extra_dims = np.ndim(getattr(result, headline)) - len(lead) if headline and declared else 0
    axes = declared[: max(extra_dims, 0)]
    reference = np.shape(getattr(result, headline)) if axes and headline else ()
    points = [
        np.asarray(getattr(result, attribute)) if attribute else np.arange(reference[len(lead) + k])
        for k, (attribute, _) in enumerate(axes)
    ]
    shape = (*lead, *(axis.shape[0] for axis in points))
    columns: _Columns = {}
    names = [*_field_columns(result), "n", "value", *getattr(result, "_figures", ())]
    skip = {attribute for attribute, _ in declared} | {"labels", "names"}
    for name in names:
        if name in columns or name in skip:
            continue
        try:
            figure = getattr(result, name)
        except AttributeError:
            continue
        if isinstance(figure, str | bool | ConfidenceInterval | Grouped | Tabular) or figure is None:
            continue
        array = np.asarray(figure)
        if array.dtype.kind not in "biufmM" or array.shape != shape[: array.ndim]:
            continue
        if array.ndim < len(lead):
            continue
        columns[name] = np.broadcast_to(array.reshape(array.shape + (1,) * (len(shape) - array.ndim)), shape)
        columns[name] = columns[name].reshape(-1)
    interval = getattr(result, "confidence_interval", None)
    # A result whose interval is computed only on request says whether it has one.
    if callable(interval) and getattr(result, "has_interval", True):
        interval = interval()
    if isinstance(interval, ConfidenceInterval) and np.shape(interval.low) == shape:
        columns["ci_low"] = np.asarray(interval.low, dtype=np.float64).reshape(-1)
        columns["ci_high"] = np.asarray(interval.high, dtype=np.float64).reshape(-1)
    axis_columns: _Columns = {}
    if points:
        grids = np.meshgrid(*points, indexing="ij")
        for (_, column), grid in zip(axes, grids, strict=True):
            # Point axes vary fastest, after the groups: one row per (group, point).
            axis_columns[column] = np.broadcast_to(grid, shape).reshape(-1)
    return {**axis_columns, **columns}, shape


def _labelled_columns(key_labels: tuple[NDArray[Any], ...], names: tuple[str, ...], values: Any) -> _Columns:
    """Label columns (one per key, repeated over the point axes) followed by the figure columns."""
    n_groups = int(key_labels[0].shape[0])
    figures, shape = _figure_columns(values, (n_groups,))
    repeat = int(np.prod(shape[1:], dtype=np.int64))
    columns: _Columns = {
        name: np.repeat(labels, repeat) for name, labels in zip(names, key_labels, strict=True)
    }
    for name, column in figures.items():
        columns.setdefault(name, column)
    return columns


def _headline_property(name: str) -> property:
    def value(self: Any) -> Any:
        return getattr(self, name)

    return property(value, doc=f"The headline figure: ``{name}`` (``value`` names it on every result class).")


class Tabular:
    """The result protocol: ``value``, ``to_dict()`` and ``to_pandas()`` / ``to_polars()`` / ``to_arrow()``.

    Mixed into :class:`Mergeable`, :class:`LabelledResult` and :class:`Grouped`; a
    result class declares only what is special to it, in class attributes:

    ``_headline``
        Name of the property that is the headline figure: the class then gets a
        ``value`` property returning it (None: no headline, and no ``value``).
    ``_figures``
        Extra derived figures (properties) that become columns of ``to_dict()``.
    ``_axes``
        ``(attribute, column)`` pairs of point axes (periods, thresholds, cohorts and
        offsets, percentile levels): ``to_dict()`` gives one row per point.
    """

    __slots__ = ()

    _headline: ClassVar[str | None] = None
    _figures: ClassVar[tuple[str, ...]] = ()
    _axes: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``value`` exists only on classes that name a headline: ``hasattr(result, "value")``
        # is False for the others, and introspection never meets a property that raises.
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("_headline")
        if isinstance(name, str):
            setattr(cls, "value", _headline_property(name))  # noqa: B010 (set on the class, by name)

    def _columns(self) -> _Columns:
        labels = getattr(self, "labels", None)
        if labels is None:
            return _figure_columns(self, ())[0]
        key_labels = labels if isinstance(labels, tuple) else (labels,)
        names = tuple(getattr(self, "names", ()) or ())
        if len(names) != len(key_labels):
            names = ("by",) if len(key_labels) == 1 else tuple(f"by[{i}]" for i in range(len(key_labels)))
        return _labelled_columns(key_labels, names, self)

    def to_dict(self) -> dict[str, Any]:
        """The result as a dict of equal-length columns (numpy arrays), one row per group and point.

        Label columns first (named by the grouping keys), then point axes, then one
        column per figure: the statistics, ``n``, ``value``, further figures and
        ``ci_low`` / ``ci_high`` (the default interval at its default level, 0.95).
        A single result gives columns of length 1. Undefined figures are NaN with one
        :class:`UndefinedMetricWarning` for the whole table.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UndefinedMetricWarning)
            columns = self._columns()
        undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
        for other in caught:
            if not issubclass(other.category, UndefinedMetricWarning):
                warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
        if undefined:
            warn_undefined(f"some figures are undefined (NaN): {undefined[0].message}")
        return columns

    def to_pandas(self) -> Any:
        """``pandas.DataFrame(self.to_dict())``; pandas is imported here, never by ``import cskpi``."""
        return require("pandas", "to_pandas()").DataFrame(self.to_dict())

    def to_polars(self) -> Any:
        """``polars.DataFrame(self.to_dict())``; polars is imported here, never by ``import cskpi``."""
        return require("polars", "to_polars()").DataFrame(self.to_dict())

    def to_arrow(self) -> Any:
        """``pyarrow.table(self.to_dict())``; pyarrow is imported here, never by ``import cskpi``."""
        return require("pyarrow", "to_arrow()").table(self.to_dict())

    def isclose(self, other: Any, *, rel_tol: float = 1e-9, abs_tol: float = 0.0) -> bool:
        """Whether two results have the same labels, parameters and figures up to float rounding.

        ``==`` is exact: the sums of a merged result (``a + b``) may differ from the
        result on the concatenated data in the last bits of a float total. Integer
        columns are compared exactly, float columns with ``numpy.isclose`` (NaN equal
        to NaN).
        """
        if type(other) is not type(self):
            return False
        if isinstance(self, Grouped) and type(self.values) is not type(other.values):  # type: ignore[attr-defined]
            return False
        mine, theirs = self._comparable(), other._comparable()
        if mine.keys() != theirs.keys():
            return False
        for name, column in mine.items():
            a, b = np.asarray(column), np.asarray(theirs[name])
            if a.shape != b.shape:
                return False
            if a.dtype.kind == "f" or b.dtype.kind == "f":
                if not np.allclose(a, b, rtol=rel_tol, atol=abs_tol, equal_nan=True):
                    return False
            elif not np.array_equal(a, b):
                return False
        return True

    def _comparable(self) -> _Columns:
        target = self.values if isinstance(self, Grouped) else self
        params = {f"param:{name}": repr(getattr(target, name)) for name in param_names(type(target))}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            columns = self._columns()
        return {**columns, **{k: np.array([v]) for k, v in params.items()}}


class Mergeable(Tabular):
    """Mixin giving attrs result classes ``+`` over their statistics, and the :class:`Tabular` protocol."""

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

    def _aligned(self, other: Self) -> tuple[Self, Self]:
        """Both operands of a merge on one common axis (a time series pads its periods); checks them."""
        self._check_mergeable(other)
        return self, other

    def __add__(self, other: Self) -> Self:
        mine, theirs = self._aligned(other)
        changes = {name: getattr(mine, name) + getattr(theirs, name) for name in stat_names(type(self))}
        return attrs.evolve(mine, **changes)  # type: ignore[misc]

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


_BOOL, _NUMBER, _TEXT, _BYTES, _TIME, _DURATION, _OTHER = (
    "bool",
    "number",
    "text",
    "bytes",
    "time",
    "duration",
    "other",
)
_LABEL_KINDS = {"b": _BOOL, "i": _NUMBER, "u": _NUMBER, "f": _NUMBER, "U": _TEXT, "S": _BYTES, "M": _TIME}
_LABEL_KINDS["m"] = _DURATION


def _kind_of(value: Any) -> str:
    """The kind of a looked-up label: bool is not a number, text is neither."""
    if isinstance(value, bool | np.bool_):
        return _BOOL
    if isinstance(value, int | float | np.integer | np.floating):
        return _NUMBER
    if isinstance(value, str):
        return _TEXT
    if isinstance(value, bytes):
        return _BYTES
    if isinstance(value, np.datetime64 | datetime.date):
        return _TIME
    if isinstance(value, np.timedelta64 | datetime.timedelta):
        return _DURATION
    return _OTHER


def _matches(labels: NDArray[Any], part: Any) -> NDArray[np.bool_]:
    """Where ``labels`` equal ``part`` exactly (see :func:`label_position` for the rule)."""
    none = np.zeros(labels.shape[0], dtype=bool)
    if labels.dtype.kind == "O":
        # Object labels are compared as Python values, one group at a time (never per row).
        kind = _kind_of(part)
        return np.array([_kind_of(v) == kind and bool(v == part) for v in labels.tolist()], dtype=bool)
    kind = _LABEL_KINDS.get(labels.dtype.kind, _OTHER)
    wanted = _kind_of(part)
    if kind == _TIME and wanted == _TEXT:
        wanted = _TIME  # ISO 8601 text names a time label: '2024-01' is the month starting 2024-01-01
    if kind != wanted or kind == _OTHER:
        return none
    try:
        if kind == _TIME:
            # numpy compares instants across units exactly ('2024-01' == '2024-01-01T00:00').
            stamp = np.datetime64(part)
            if np.isnat(stamp):
                return none
            return np.asarray(labels == stamp, dtype=bool)
        if kind == _DURATION:
            return np.asarray(labels == np.timedelta64(part), dtype=bool)
        if kind == _NUMBER and labels.dtype.kind in "iu":
            number = part.item() if isinstance(part, np.generic) else part
            if isinstance(number, float):
                if not number.is_integer():
                    return none
                number = int(number)
            info = np.iinfo(labels.dtype)
            if not info.min <= number <= info.max:
                return none
            return np.asarray(labels == number, dtype=bool)
        with np.errstate(over="ignore", invalid="ignore"):
            match = np.asarray(labels == part, dtype=bool)
    except (TypeError, ValueError, OverflowError):
        return none
    if kind == _NUMBER and match.any():
        # Float labels against a large integer: confirm each candidate with Python's exact comparison.
        positions = np.flatnonzero(match)
        exact = [labels[i].item() == part for i in positions.tolist()]
        match[positions[~np.array(exact, dtype=bool)]] = False
    return match


def label_position(key_labels: tuple[NDArray[Any], ...], label: Any) -> int:
    """Position of ``label`` among the group labels; :class:`KeyError` when no group has it.

    A lookup is exact, never a cast to the labels' dtype: a label matches only a
    label equal to it of a compatible kind. Numbers equal as numbers (``1``,
    ``np.int64(1)`` and ``1.0`` name the group ``1``; ``1.7`` and ``2**64 + 1`` name
    none); ``bool`` is not a number (``True`` never names ``1``); text never equals a
    number or a bool (``"1"`` names no group ``1``, ``"no"`` no group ``False``) and
    is compared whole (``"A10"`` never names ``"A1"``). The one conversion kept: ISO
    8601 text or a ``datetime`` names the datetime label at the same instant
    (``'2024-01'`` and ``'2024-01-01'`` the month starting 2024-01-01). With several
    keys the label is a tuple with one part per key. One vectorised comparison per key.
    """
    parts = label if len(key_labels) > 1 and isinstance(label, tuple) else (label,)
    if len(parts) != len(key_labels):
        raise KeyError(label)
    match = np.ones(key_labels[0].shape[0], dtype=bool)
    for part, labels in zip(parts, key_labels, strict=True):
        match &= _matches(labels, part)
    positions = np.flatnonzero(match)
    if positions.shape[0] == 0:
        raise KeyError(label)
    return int(positions[0])


def single_or_grouped(result: R, groups: Groups | None) -> R | Grouped[R]:
    """The result itself for an ungrouped call, wrapped in :class:`Grouped` otherwise."""
    return result if groups is None else Grouped(result, groups)


def wilson_confidence_interval(successes: Any, n: Any, confidence_level: float) -> ConfidenceInterval:
    """Wilson score interval of ``successes`` out of ``n`` as a :class:`ConfidenceInterval`."""
    low, high = wilson_interval(successes, n, confidence_level)
    return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method="wilson")


def rate_confidence_interval(
    successes: Any, n: Any, confidence_level: float, method: str = "wilson"
) -> ConfidenceInterval:
    """Interval of ``successes`` out of ``n`` by a named method (see :func:`.stats.rate_interval`).

    The one implementation behind every rate result's ``confidence_interval(method=...)``.
    """
    low, high = rate_interval(successes, n, confidence_level, method)
    return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)


def _scalarize(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


_PER_GROUP = "cskpi_per_group"


def per_group(default: Any = attrs.NOTHING, *, compare: bool = True) -> Any:
    """A per-group field of a non-mergeable result (percentiles): indexed by label, never added.

    Compared with ``numpy.array_equal(..., equal_nan=True)``: NaN marks an empty group.
    ``default`` (None for an optional figure) makes the field optional; ``compare=False``
    leaves a derived figure (an interval) out of ``==``.
    """
    eq: Any = attrs.cmp_using(eq=arrays_equal) if compare else False
    return attrs.field(default=default, eq=eq, metadata={_PER_GROUP: True})


class LabelledResult(Tabular):
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

    def __len__(self) -> int:
        return int(self._key_labels()[0].shape[0])

    def __bool__(self) -> bool:
        # A result is a value, never "empty" (``len`` is the number of groups, and only when grouped).
        return True

    def __contains__(self, label: object) -> bool:
        try:
            label_position(self._key_labels(), label)
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())

    def items(self) -> Iterator[tuple[Any, Self]]:
        """Pairs of (label, one-group result) in label order."""
        for position, key in enumerate(self.keys()):
            yield key, self.at(position)

    def at(self, position: int) -> Self:
        """The result of the group at ``position`` in label order."""
        changes: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if isinstance(value, Grouped):
                changes[field.name] = value.at(position)
            elif field.metadata.get(_PER_GROUP) and value is not None:
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


class Grouped(Tabular, Generic[R]):
    """A result per group, computed in one vectorised pass.

    ``grouped[label]`` is the result of one group (``grouped[a, b]`` for several
    keys), ``grouped.labels`` the group labels (one array, or a tuple of arrays for
    several keys), and every field or property of the underlying result is available
    as an array aligned with the labels (``grouped.score``). Grouped results of the
    same kind merge with ``+``: groups present in both are added, the others kept.
    """

    __slots__ = ("_groups", "values")

    def __init__(self, values: R, groups: Groups) -> None:
        self.values = values
        # Keep labels and names only: the per-row codes are not needed after counting.
        self._groups = Groups(codes=_NO_CODES, labels=groups.labels, names=groups.names)

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

    def __getitem__(self, label: Any) -> R:
        return self.at(label_position(self._groups.labels, label))

    def __contains__(self, label: object) -> bool:
        try:
            label_position(self._groups.labels, label)
        except KeyError:
            return False
        return True

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
        mine_values, their_values = self.values._aligned(other.values)
        if len(self._groups.labels) != len(other._groups.labels):
            raise InvalidInputError(
                "cannot add grouped results with a different number of grouping keys: "
                f"{len(self._groups.labels)} and {len(other._groups.labels)}"
            )
        mine_labels, their_labels = self._groups.labels, other._groups.labels
        if all(np.array_equal(m, t) for m, t in zip(mine_labels, their_labels, strict=True)):
            # Same groups in the same order: add the statistics row by row, keep the order.
            return Grouped(mine_values + their_values, self._groups)
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
            mine_stat = np.asarray(getattr(mine_values, name))
            theirs_stat = np.asarray(getattr(their_values, name))
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
        return Grouped(attrs.evolve(mine_values, **changes), groups)  # type: ignore[misc]

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

    @property
    def value(self) -> Any:
        """The headline figure of every group, aligned with the labels (see the result class)."""
        headline = "value"
        return getattr(self.values, headline)

    def _columns(self) -> dict[str, Any]:
        return _labelled_columns(self._groups.labels, self._groups.names, self.values)

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        # pandas and numpy would otherwise read a Grouped as a sequence of its labels
        # (``pandas.DataFrame(grouped)`` gave a frame of labels only).
        raise TypeError(
            "a Grouped result is not an array: use grouped.to_pandas(), grouped.to_polars() or "
            "pandas.DataFrame(grouped.to_dict())"
        )
