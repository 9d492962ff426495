"""Complaints, customer engagement, online reviews and audience growth per calendar period.

Complaint and review results hold additive counts and sums per period (and group), so
they merge with ``+``. Engagement (a distribution of interactions per customer) and
audience growth (end-of-period snapshots) are not additive: they are returned as
plain frozen results; to combine batches, concatenate the raw data and call again.
"""

from __future__ import annotations

from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import (
    check_integer_scale,
    check_same_length,
    describe_first,
    first_index,
    to_array,
    unwrap,
)
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.ids import customer_index
from .._core.labels import (
    Groups,
    count_cells,
    factorize,
    optional_groups,
    quantile_positions,
    sort_within_groups,
)
from .._core.periods import (
    PARAM,
    TimeSeriesResult,
    as_int,
    calendar_columns,
    check_not_before,
    count_periods,
    growth,
    period_axis,
    period_index,
    period_labels_of,
    to_stamps,
)
from .._core.results import ARRAY_EQ, Grouped, Tabular, param, single_or_grouped, stat
from .._core.stats import divide
from .._core.time import US_PER_SECOND, calendar_clock, check_period, check_tz, parse_times, period_ordinals

__all__ = [
    "Complaints",
    "Engagement",
    "FollowerGrowth",
    "Reviews",
    "complaints",
    "engagement",
    "follower_growth",
    "reviews",
]

_QUANTILES = np.array([0.5, 0.9])


def _labels(groups: Groups | None) -> Any:
    if groups is None:
        return None
    return groups.labels[0] if len(groups.labels) == 1 else groups.labels


def _shape(counts: NDArray[Any], grouped: bool, periodic: bool) -> Any:
    """Drop the axes that were not asked for: (G, P, …) → (P, …), (G, …) or scalars."""
    if not periodic:
        counts = counts[:, 0]
    if not grouped:
        counts = counts[0]
    return unwrap(counts)


# --------------------------------------------------------------------------- complaints


@attrs.frozen(kw_only=True)
class Complaints(TimeSeriesResult):
    """Complaints per period, with the contacts and customers they are rated against.

    Attributes
    ----------
    n_complaints : ndarray of int64, shape (n_periods,)
        Complaints received in each period (``(n_groups, n_periods)`` when grouped).
    n_contacts : ndarray of int64
        Contacts in each period (zeros unless ``contacts`` was given).
    n_customers : ndarray of float64
        Customers in each period (zeros unless ``n_customers`` was given).
    period, periods
        Calendar period and the start of each period.
    has_contacts, has_customers : bool
        Whether the contact and customer denominators were given.
    """

    _headline = "n_complaints"
    _axes = (("periods", "period"),)

    n_complaints: Any = stat()
    n_contacts: Any = stat()
    n_customers: Any = stat()
    period: str = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)
    has_contacts: bool = param()
    has_customers: bool = param()

    @property
    def per_1000_contacts(self) -> Any:
        """Complaints per 1,000 contacts (a ratio, not a fraction); NaN (with a warning) without contacts."""
        if not self.has_contacts:
            raise InvalidInputError("per_1000_contacts needs the contacts: pass contacts= to complaints()")
        return divide(
            1000.0 * np.asarray(self.n_complaints), self.n_contacts, "complaints per 1,000 contacts"
        )

    @property
    def per_1000_customers(self) -> Any:
        """Complaints per 1,000 customers (a ratio, not a fraction); NaN (with a warning) for 0 customers."""
        if not self.has_customers:
            raise InvalidInputError(
                "per_1000_customers needs the customers: pass n_customers= to complaints()"
            )
        return divide(
            1000.0 * np.asarray(self.n_complaints), self.n_customers, "complaints per 1,000 customers"
        )


def _joint_groups(by: Any, n_rows: int, other_by: Any, n_other: int) -> tuple[Groups, NDArray[np.intp]]:
    """Factorise two label sets into one set of groups; returns the groups and the other rows' codes."""
    keys = by if isinstance(by, tuple) else (by,)
    others = other_by if isinstance(other_by, tuple) else (other_by,)
    if len(keys) != len(others):
        raise InvalidInputError(f"contacts_by must have as many keys as by ({len(keys)}); got {len(others)}")
    joined = []
    for i, (key, other) in enumerate(zip(keys, others, strict=True)):
        key_name = "by" if len(keys) == 1 else f"by[{i}]"
        other_name = "contacts_by" if len(keys) == 1 else f"contacts_by[{i}]"
        key_array, other_array = to_array(key, key_name), to_array(other, other_name)
        if key_array.shape[0] != n_rows:
            raise InvalidInputError(
                f"{key_name} must have one label per row ({n_rows}); got length {key_array.shape[0]}"
            )
        if other_array.shape[0] != n_other:
            raise InvalidInputError(
                f"{other_name} must have one label per contact ({n_other}); got length {other_array.shape[0]}"
            )
        joined.append(np.concatenate([key_array, other_array]))
    groups = factorize(tuple(joined) if len(joined) > 1 else joined[0], n_rows + n_other, name="by")
    mine = Groups(codes=groups.codes[:n_rows], labels=groups.labels, names=groups.names)
    return mine, groups.codes[n_rows:]


def _customer_counts(customers: Any, shape: tuple[int, ...]) -> NDArray[np.float64]:
    if isinstance(customers, str | bytes) or customers is None:
        raise InvalidTypeError(f"n_customers must be numbers of customers; got {customers!r}")
    try:
        array = np.asarray(customers)
    except ValueError:  # numpy refuses ragged nested sequences
        raise InvalidInputError(
            "n_customers must be one number or one per period; got a ragged sequence"
        ) from None
    if array.dtype.kind not in "iuf" or array.dtype.kind == "b":
        raise InvalidTypeError(f"n_customers must be numbers of customers; got dtype {array.dtype}")
    values = array.astype(np.float64)
    flat = values.reshape(-1)
    bad = ~np.isfinite(flat) | (flat < 0)
    if bad.any():
        raise InvalidInputError(
            f"n_customers must be finite non-negative counts; got {describe_first(flat, bad)}"
        )
    try:
        return np.broadcast_to(values, shape).astype(np.float64)
    except ValueError:
        raise InvalidInputError(
            f"n_customers must be one number or one per period (shape {shape}); got shape {values.shape}"
        ) from None


@overload
def complaints(
    timestamps: Any,
    *,
    period: str = "month",
    contacts: Any = None,
    n_customers: Any = None,
    by: None = None,
    contacts_by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Complaints: ...
@overload
def complaints(
    timestamps: Any,
    *,
    period: str = "month",
    contacts: Any = None,
    n_customers: Any = None,
    contacts_by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[Complaints]: ...
def complaints(
    timestamps: Any,
    *,
    period: str = "month",
    contacts: Any = None,
    n_customers: Any = None,
    by: Any = None,
    contacts_by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Complaints | Grouped[Complaints]:
    r"""Complaints per calendar period, and as a rate per 1,000 contacts or customers.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n,)
        When each complaint was received: naive local timestamps or time-zone-aware
        instants (see ``tz``).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period.
    contacts : array-like of datetime64, shape (m,), optional
        Arrival time of every contact (complaints included, if they are contacts),
        counted over the same periods for ``per_1000_contacts``.
    n_customers : float or array-like, optional
        Number of customers (or accounts) in each period: one number for every
        period, or one per period (per group and period when grouped), for
        ``per_1000_customers``. Pass ``start`` and ``end`` to fix the periods.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels of the complaints (product, channel…).
    contacts_by : array-like or tuple of array-likes, shape (m,), optional
        Group labels of the contacts; required when both ``by`` and ``contacts`` are given.
    start, end : timestamp, optional
        Range of periods (as in :func:`volume`). Default: from the earliest to the
        latest complaint or contact.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    Complaints or Grouped[Complaints]
        ``n_complaints`` per period (with ``n_contacts`` and ``n_customers``);
        ``per_1000_contacts`` and ``per_1000_customers``.

    Notes
    -----
    $$\text{per 1000 contacts}_p = 1000 \cdot \frac{\text{complaints}_p}{\text{contacts}_p}, \qquad
    \text{per 1000 customers}_p = 1000 \cdot \frac{\text{complaints}_p}{\text{customers}_p};$$

    these are
    ratios scaled to 1,000 as regulators publish them (the UK FCA asks firms to
    report complaints per 1,000 accounts; the US DOT per 100,000 passengers),
    not fractions. Undefined (NaN with an :class:`UndefinedMetricWarning`) for
    periods with no contacts or customers.

    References
    ----------
    Financial Conduct Authority, "Complaints data: technical information" (complaints
    in the context of the number of accounts), fca.org.uk/data/complaints-data.
    U.S. Department of Transportation, *Air Travel Consumer Report* (complaints per
    100,000 enplanements).

    Examples
    --------
    Two complaints in January against 400 contacts and 1,000 customers:
    5 per 1,000 contacts, 2 per 1,000 customers; one in February against 500
    contacts: 2 per 1,000.

    >>> import numpy as np
    >>> from cskpi import complaints
    >>> contacts = np.repeat(np.array(["2024-01-15", "2024-02-15"], dtype="datetime64[D]"), [400, 500])
    >>> result = complaints(["2024-01-03", "2024-01-20", "2024-02-07"], contacts=contacts, n_customers=1000)
    >>> result.n_complaints.tolist(), result.per_1000_contacts.tolist(), result.per_1000_customers.tolist()
    ([2, 1], [5.0, 2.0], [2.0, 1.0])
    """
    valid = check_period(period)
    if contacts is None:
        stamps, clock = to_stamps(timestamps, "timestamps", tz)
        contact_stamps = None
    else:
        (stamps, contact_stamps), _, clock = calendar_columns(
            tz, (timestamps, "timestamps", False), (contacts, "contacts", False)
        )
    contact_codes: NDArray[np.intp] | None = None
    if by is not None and contact_stamps is not None:
        if contacts_by is None:
            raise InvalidInputError("contacts_by must label the contacts when by and contacts are both given")
        groups: Groups | None
        groups, contact_codes = _joint_groups(by, stamps.shape[0], contacts_by, contact_stamps.shape[0])
    else:
        if contacts_by is not None:
            raise InvalidInputError("contacts_by is only used with both by and contacts")
        groups = optional_groups(by, stamps.shape[0])
    ordinals = period_ordinals(stamps, valid)
    contact_ordinals = (
        np.zeros(0, dtype=np.int64) if contact_stamps is None else period_ordinals(contact_stamps, valid)
    )
    first, n_periods = period_axis(valid, [ordinals, contact_ordinals], start, end, clock)
    index, keep = period_index(ordinals, first, n_periods)
    n_complaints = count_periods(index, keep, n_periods, groups)
    n_contacts = np.zeros(n_complaints.shape, dtype=np.int64)
    if contact_stamps is not None:
        contact_index, contact_keep = period_index(contact_ordinals, first, n_periods)
        if groups is None:
            n_contacts = count_cells(contact_index, n_periods, keep=contact_keep)
        else:
            assert contact_codes is not None
            n_contacts = count_cells(
                contact_index, n_periods, codes=contact_codes, n_groups=groups.n_groups, keep=contact_keep
            )
    customer_counts = (
        np.zeros(n_complaints.shape)
        if n_customers is None
        else _customer_counts(n_customers, n_complaints.shape)
    )
    result = Complaints(
        n_complaints=n_complaints,
        n_contacts=n_contacts,
        n_customers=customer_counts,
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
        has_contacts=contact_stamps is not None,
        has_customers=n_customers is not None,
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- engagement


@attrs.frozen(kw_only=True)
class Engagement(Tabular):
    """Interactions per customer: counts, median, 90th percentile and distribution.

    Not mergeable (a customer's events split across batches would be counted as two
    customers): concatenate the event tables and call :func:`engagement` again.

    Attributes
    ----------
    n_customers : int or ndarray of int
        Customers in each cell (group × period): the active customers, or the whole
        ``customer_base`` when given.
    n_events : int or ndarray of int
        Interactions in each cell.
    median, p90 : float or ndarray of float
        Inverted-CDF median and 90th percentile of interactions per customer (NaN for
        a cell without customers).
    distribution : ndarray of int64, shape (..., max_count + 1)
        ``distribution[..., k]`` customers with exactly k interactions (the last
        column: ``max_count`` or more when ``max_count`` was given).
    period : str or None
        Calendar period, ``None`` for the whole table.
    periods : ndarray of datetime64
        Start of each period (empty when ``period`` is None).
    labels : ndarray, tuple of ndarrays or None
        Group labels when ``by`` was given.
    """

    _headline = "mean"
    _axes = (("periods", "period"),)

    n_customers: Any = attrs.field(eq=ARRAY_EQ)
    n_events: Any = attrs.field(eq=ARRAY_EQ)
    median: Any = attrs.field(eq=ARRAY_EQ)
    p90: Any = attrs.field(eq=ARRAY_EQ)
    distribution: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    period: str | None
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ)
    labels: Any = attrs.field(eq=ARRAY_EQ)

    @property
    def mean(self) -> Any:
        """Mean interactions per customer ``n_events / n_customers``; NaN (with a warning) if none."""
        return divide(self.n_events, self.n_customers, "interactions per customer")


def _base_codes(keys: NDArray[Any], customer_base: Any) -> tuple[NDArray[np.intp], int]:
    base = to_array(customer_base, "customer_base")
    known = factorize(base, base.shape[0], name="customer_base").labels[0]
    if keys.shape[0] == 0:
        return np.zeros(0, dtype=np.intp), int(known.shape[0])
    if known.shape[0] == 0:
        first = describe_first(keys, np.ones(keys.shape[0], dtype=np.bool_))
        raise InvalidInputError(f"customer_ids must all be in customer_base; got {first}")
    try:
        position = np.minimum(np.searchsorted(known, keys), known.shape[0] - 1)
    except TypeError:
        raise InvalidTypeError(
            "customer_ids and customer_base must hold labels of one comparable type"
        ) from None
    outside = known[position] != keys
    if outside.any():
        raise InvalidInputError(
            f"customer_ids must all be in customer_base; got {describe_first(keys, outside)}"
        )
    return position.astype(np.intp), int(known.shape[0])


def engagement(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: str | None = None,
    customer_base: Any = None,
    by: Any = None,
    max_count: int | None = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Engagement:
    r"""Customer engagement: interactions per customer over a period, from an event table.

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer of each event (site visit, social interaction, app session…).
    timestamps : array-like of datetime64, shape (n,)
        Time of each event: naive local timestamps or time-zone-aware instants (see
        ``tz``).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, optional
        Count per calendar period; over the whole table when omitted.
    customer_base : array-like, optional
        All customers of the population: customers without any event count with 0
        interactions (and every event's customer must be in it). Default: only the
        customers with at least one event in the cell (active customers).
    by : array-like or tuple of array-likes, shape (n,), optional
        Labels of each event: an event type (one result per type) or a customer
        segment.
    max_count : int, optional
        Pool customers with ``max_count`` or more interactions in the last column of
        ``distribution`` (the median and p90 stay exact).
    start, end : timestamp, optional
        Range of periods (as in :func:`volume`).
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    Engagement
        Per cell (group × period): ``n_customers``, ``n_events``, ``mean``, ``median``,
        ``p90`` and the ``distribution`` of interactions per customer.

    Notes
    -----
    For a cell $c$ with customer set $U_c$ (active customers, or the base) and $x_k$ the
    number of events of customer $k$ in $c$: $\text{mean} = \sum_{k \in U_c} x_k / \lvert U_c \rvert$,
    and the median and p90 are inverted-CDF order statistics of the $x_k$ (Hyndman and Fan 1996,
    definition 1). Events are counted per (group, period, customer) with one sort
    (``np.unique``); the distribution is one bincount of those counts.

    References
    ----------
    R. J. Hyndman and Y. Fan (1996), "Sample Quantiles in Statistical Packages",
    The American Statistician 50(4), 361-365.
    E. T. Peterson (2006), *The Big Book of Key Performance Indicators*, Web
    Analytics Demystified (visits and interactions per visitor).

    Examples
    --------
    Customer a: 3 events, b: 1, c: 2, and d (in the base) none: mean 6/4 = 1.5,
    median 1 (sorted 0, 1, 2, 3: the 2nd), one customer at each of 0-3 events.

    >>> from cskpi import engagement
    >>> e = engagement(["a", "a", "b", "c", "a", "c"], ["2024-05-01"] * 6, customer_base=["a", "b", "c", "d"])
    >>> e.mean, e.median, e.distribution.tolist()
    (1.5, 1.0, [1, 1, 1, 1])
    """
    keys = to_array(customer_ids, "customer_ids")
    times = parse_times(timestamps, "timestamps")
    stamps = times.stamps
    check_same_length(("customer_ids", keys), ("timestamps", stamps))
    n_rows = keys.shape[0]
    if max_count is not None and (
        isinstance(max_count, bool) or not isinstance(max_count, int | np.integer) or max_count < 1
    ):
        raise InvalidInputError(f"max_count must be a positive integer or None; got {max_count!r}")
    groups = optional_groups(by, n_rows)
    n_groups = 1 if groups is None else groups.n_groups
    if period is None:
        if start is not None or end is not None:
            raise InvalidInputError("start and end need a period; got period=None")
        check_tz(tz)
        first, n_periods, index, keep = 0, 1, np.zeros(n_rows, dtype=np.intp), None
        periods = np.zeros(0, dtype="datetime64[D]")
        periods.setflags(write=False)
        valid: str | None = None
    else:
        checked = check_period(period)
        clock = calendar_clock(tz, times)
        ordinals = period_ordinals(clock.local(times), checked)
        first, n_periods = period_axis(checked, [ordinals], start, end, clock)
        index, keep = period_index(ordinals, first, n_periods)
        periods, valid = period_labels_of(checked, first, n_periods), checked
    if customer_base is None:
        customer_codes, n_known = customer_index(keys, "customer_ids")  # the one rule for customer ids
    else:
        customer_codes, n_known = _base_codes(keys, customer_base)
    n_cells = n_groups * n_periods
    cell = index.astype(np.int64) if groups is None else groups.codes.astype(np.int64) * n_periods + index
    key = cell * max(n_known, 1) + customer_codes
    if keep is not None:
        key = key[keep]
    combos, per_customer = np.unique(key, return_counts=True)
    cell_of = (combos // max(n_known, 1)).astype(np.intp)
    n_active = np.bincount(cell_of, minlength=n_cells).astype(np.int64)
    n_events = np.bincount(cell_of, weights=per_customer, minlength=n_cells).astype(np.int64)
    n_customers = np.full(n_cells, n_known, dtype=np.int64) if customer_base is not None else n_active
    n_zero = n_customers - n_active
    top = int(per_customer.max()) if per_customer.shape[0] else 0
    if max_count is not None:
        top = min(top, int(max_count))
    capped = np.minimum(per_customer, top)
    distribution = np.bincount(cell_of * (top + 1) + capped, minlength=n_cells * (top + 1))
    distribution = distribution.reshape(n_cells, top + 1).astype(np.int64)
    distribution[:, 0] += n_zero
    quantiles = _quantiles_with_zeros(per_customer, cell_of, n_cells, n_customers, n_zero)
    grouped, periodic = groups is not None, period is not None

    def shaped(values: NDArray[Any]) -> Any:
        return _shape(values.reshape(n_groups, n_periods, *values.shape[1:]), grouped, periodic)

    return Engagement(
        n_customers=shaped(n_customers),
        n_events=shaped(n_events),
        median=shaped(quantiles[:, 0]),
        p90=shaped(quantiles[:, 1]),
        distribution=np.asarray(shaped(distribution)),
        period=valid,
        periods=periods,
        labels=_labels(groups),
    )


def _quantiles_with_zeros(
    per_customer: NDArray[np.int64],
    cell_of: NDArray[np.intp],
    n_cells: int,
    n_customers: NDArray[np.int64],
    n_zero: NDArray[np.int64],
) -> NDArray[np.float64]:
    """Inverted-CDF quantiles per cell of the active counts plus ``n_zero`` zeros (one sort)."""
    values, starts = sort_within_groups(per_customer.astype(np.float64), cell_of, n_cells)
    ranks = quantile_positions(n_customers, _QUANTILES)
    in_active = ranks - n_zero[:, None]
    safe = np.clip(starts[:-1, None] + in_active, 0, max(values.shape[0] - 1, 0))
    picked = values[safe] if values.shape[0] else np.zeros(safe.shape)
    out = np.where(in_active < 0, 0.0, picked)
    return np.where(n_customers[:, None] == 0, np.nan, out)


# --------------------------------------------------------------------------- reviews


@attrs.frozen(kw_only=True)
class Reviews(TimeSeriesResult):
    """Online reviews per period: star counts, answers and company response time.

    Attributes
    ----------
    rating_counts : ndarray of int64, shape (n_periods, n_points)
        Reviews per period and rating point (points ``scale[0]..scale[1]``);
        ``(n_groups, n_periods, n_points)`` when grouped by source.
    n_answered : ndarray of int64, shape (n_periods,)
        Reviews with a company response.
    response_seconds : ndarray of float64, shape (n_periods,)
        Sum of the time from review to first company response over answered reviews.
    scale : tuple of int
        Rating scale ``(low, high)``.
    period, periods
        Calendar period and the start of each period (of the review).
    """

    _headline = "mean_rating"
    _axes = (("periods", "period"),)
    _figures = ("n_reviews", "answered_rate", "mean_response_seconds")

    rating_counts: Any = stat()
    n_answered: Any = stat()
    response_seconds: Any = stat()
    scale: tuple[int, int] = param()
    period: str = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)

    @property
    def n_reviews(self) -> Any:
        """Number of reviews."""
        return unwrap(np.asarray(self.rating_counts).sum(axis=-1))

    @property
    def mean_rating(self) -> Any:
        """Average star rating, on the rating scale; NaN (with a warning) without reviews."""
        points = np.arange(self.scale[0], self.scale[1] + 1, dtype=np.float64)
        total = np.asarray(self.rating_counts, dtype=np.float64) @ points
        return divide(total, self.n_reviews, "average rating")

    @property
    def answered_rate(self) -> Any:
        """Share of reviews answered by the company, in [0, 1]; NaN (with a warning) without reviews."""
        return divide(self.n_answered, self.n_reviews, "share of reviews answered")

    @property
    def mean_response_seconds(self) -> Any:
        """Mean time to first company response, in seconds; NaN (with a warning) without answers."""
        return divide(self.response_seconds, self.n_answered, "mean response time")


@overload
def reviews(
    ratings: Any,
    timestamps: Any,
    *,
    responded: Any = None,
    period: str = "month",
    scale: tuple[int, int] = (1, 5),
    by: None = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Reviews: ...
@overload
def reviews(
    ratings: Any,
    timestamps: Any,
    *,
    responded: Any = None,
    period: str = "month",
    scale: tuple[int, int] = (1, 5),
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[Reviews]: ...
def reviews(
    ratings: Any,
    timestamps: Any,
    *,
    responded: Any = None,
    period: str = "month",
    scale: tuple[int, int] = (1, 5),
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Reviews | Grouped[Reviews]:
    r"""Online reviews per period (and source): average rating, count, share answered, response time.

    Parameters
    ----------
    ratings : array-like of int, shape (n,)
        Star rating of each review, on ``scale``.
    timestamps : array-like of datetime64, shape (n,)
        When each review was posted: naive local timestamps or time-zone-aware
        instants (see ``tz``).
    responded : array-like of datetime64, shape (n,), optional
        Time of the company's first public response, on the same clock as
        ``timestamps`` (naive with naive, aware with aware); NaT when unanswered. A
        response before its review raises. Default: no review answered.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period of the review.
    scale : (int, int), default (1, 5)
        Inclusive rating scale.
    by : array-like or tuple of array-likes, shape (n,), optional
        Review source (Google, Trustpilot, app store…) or any other labels.
    start, end : timestamp, optional
        Range of periods (as in :func:`volume`).
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    Reviews or Grouped[Reviews]
        ``rating_counts``, ``n_answered`` and ``response_seconds`` per period;
        ``n_reviews``, ``mean_rating``, ``answered_rate`` and ``mean_response_seconds``
        derive from them.

    Notes
    -----
    $\text{mean rating} = \sum_k k\, n_k / \sum_k n_k$ (the arithmetic mean of the stars,
    $n_k$ reviews with $k$ stars),
    $\text{answered rate} = \#\{\text{answered}\} / \#\{\text{reviews}\}$, and ``mean_response_seconds`` the
    mean of ``responded - posted`` over answered reviews, in calendar seconds. Reviews
    count in the period they were posted. For response-time percentiles use
    :func:`cskpi.first_response_time` on the same columns.

    References
    ----------
    Google Business Profile Help, "Read & reply to reviews" (star ratings and owner
    responses), support.google.com/business.

    Examples
    --------
    May: 5, 4 and 2 stars (mean 11/3), two answered after 1 and 3 hours (mean 2 h);
    June: one 5-star review, unanswered.

    >>> from cskpi import reviews
    >>> result = reviews([5, 4, 2, 5], ["2024-05-01T10:00", "2024-05-03", "2024-05-20", "2024-06-02"],
    ...                  responded=["2024-05-01T11:00", "NaT", "2024-05-20T03:00", "NaT"])
    >>> result.n_reviews.tolist(), result.mean_rating.round(3).tolist(), result.answered_rate.tolist()
    ([3, 1], [3.667, 5.0], [0.6666666666666666, 0.0])
    >>> result.n_answered.tolist(), result.response_seconds.tolist()
    ([2, 0], [14400.0, 0.0])

    The mean response time of May is 14400 / 2 s = 2 h; June's is undefined (no
    answer: ``mean_response_seconds`` is NaN there, with an UndefinedMetricWarning).
    """
    low, high = check_integer_scale(scale, "scale")
    columns = [(timestamps, "timestamps", False)]
    if responded is not None:
        columns.append((responded, "responded", True))
    _, parsed, clock = calendar_columns(tz, *columns)
    stamps = parsed[0].stamps  # instants (aware) or wall clock (naive): exact response times
    array = to_array(ratings, "ratings")
    check_same_length(("ratings", array), ("timestamps", stamps))
    points = _ratings(array, low, high)
    n_rows = stamps.shape[0]
    if responded is None:
        answered_at: NDArray[np.datetime64] = np.full(n_rows, np.datetime64("NaT", "us"))
    else:
        answered_at = parsed[1].stamps
        check_same_length(("timestamps", stamps), ("responded", answered_at))
        check_not_before(stamps, answered_at, "timestamps", "responded")
    valid = check_period(period)
    groups = optional_groups(by, n_rows)
    ordinals = period_ordinals(clock.local(parsed[0]), valid)
    first, n_periods = period_axis(valid, [ordinals], start, end, clock)
    index, keep = period_index(ordinals, first, n_periods)
    width = high - low + 1
    cell_value = index * width + (points - low)
    n_groups = 1 if groups is None else groups.n_groups
    codes = None if groups is None else groups.codes
    counts = count_cells(cell_value, n_periods * width, codes=codes, n_groups=n_groups, keep=keep)
    answered = ~np.isnat(answered_at)
    answered_keep = answered if keep is None else answered & keep
    n_answered = count_periods(index, answered_keep, n_periods, groups)
    delay = np.where(answered, as_int(answered_at) - as_int(stamps), 0) / US_PER_SECOND
    cell = index if groups is None else groups.codes * n_periods + index
    totals = np.bincount(cell[answered_keep], weights=delay[answered_keep], minlength=n_groups * n_periods)
    shape = (n_periods,) if groups is None else (n_groups, n_periods)
    result = Reviews(
        rating_counts=counts.reshape(*shape, width),
        n_answered=n_answered,
        response_seconds=totals.reshape(shape).astype(np.float64),
        scale=(low, high),
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
    )
    return single_or_grouped(result, groups)


def _ratings(array: NDArray[Any], low: int, high: int) -> NDArray[np.int64]:
    kind = array.dtype.kind
    if kind == "b" or kind not in "iuf":
        raise InvalidTypeError(f"ratings must be integer ratings on {low}..{high}; got dtype {array.dtype}")
    if kind == "f":
        missing = np.isnan(array)
        if missing.any():
            raise InvalidInputError(f"ratings must not contain NaN; got nan at index {first_index(missing)}")
    bad = (array < low) | (array > high) | (array != np.floor(array))
    if bad.any():
        raise InvalidInputError(
            f"ratings must be integers in {low}..{high}; got {describe_first(array, bad)}"
        )
    return array.astype(np.int64, copy=False)


# --------------------------------------------------------------------------- growth


@attrs.frozen(kw_only=True)
class FollowerGrowth(Tabular):
    """Audience size at the end of each period and its period-over-period growth.

    Not mergeable (snapshots of a running total do not add across batches).

    Attributes
    ----------
    n_followers : ndarray of float64, shape (n_periods,)
        Last observed count in each period (NaN for a period without a snapshot);
        ``(n_groups, n_periods)`` when grouped.
    period : str
        Calendar period.
    periods : ndarray of datetime64
        Start of each period.
    labels : ndarray, tuple of ndarrays or None
        Group labels (platform, account) when ``by`` was given.
    """

    _headline = "growth_rate"
    _axes = (("periods", "period"),)
    _figures = ("net_change", "growth_rate")

    n_followers: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    period: str
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ)
    labels: Any = attrs.field(eq=ARRAY_EQ)

    @property
    def net_change(self) -> NDArray[np.float64]:
        """Followers gained (negative: lost) since the previous period; NaN for the first period."""
        change = np.full(self.n_followers.shape, np.nan)
        change[..., 1:] = self.n_followers[..., 1:] - self.n_followers[..., :-1]
        return change

    @property
    def growth_rate(self) -> Any:
        """``(N[p] - N[p-1]) / N[p-1]``: NaN for the first period and next to missing
        periods; NaN with an :class:`UndefinedMetricWarning` after a count of 0."""
        return growth(self.n_followers, "follower growth rate")


def follower_growth(
    counts: Any,
    timestamps: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> FollowerGrowth:
    r"""Period-over-period growth of a follower or like count from dated snapshots.

    Parameters
    ----------
    counts : array-like of number, shape (n,)
        Running total at each snapshot (followers, page likes, subscribers); finite
        and non-negative.
    timestamps : array-like of datetime64, shape (n,)
        When each snapshot was taken: naive local timestamps or time-zone-aware
        instants (see ``tz``).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period.
    by : array-like or tuple of array-likes, shape (n,), optional
        Platform or account of each snapshot.
    start, end : timestamp, optional
        Range of periods (as in :func:`volume`).
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    FollowerGrowth
        ``n_followers`` at the end of each period (the latest snapshot in it);
        ``net_change`` and ``growth_rate`` derive from them.

    Notes
    -----
    $\text{growth}_p = (N_p - N_{p-1}) / N_{p-1}$, where $N_p$ is the latest snapshot taken
    in period $p$ (ties: the one listed last). A period without a snapshot has no
    count (NaN), and so do the growth rates on either side of it. The latest snapshot
    of each (group, period) comes from one sort by (cell, time).

    References
    ----------
    OECD, *Glossary of Statistical Terms*, "Growth rates" (period-on-period rate of
    change), stats.oecd.org/glossary.

    Examples
    --------
    1,000 followers at the end of January, 1,100 at the end of February, 990 at the
    end of March: growth +10 %, then -10 %.

    >>> from cskpi import follower_growth
    >>> g = follower_growth([950, 1000, 1100, 990], ["2024-01-10", "2024-01-31", "2024-02-29", "2024-03-31"])
    >>> g.n_followers.tolist(), g.growth_rate.round(6).tolist()
    ([1000.0, 1100.0, 990.0], [nan, 0.1, -0.1])
    """
    array = to_array(counts, "counts")
    (local,), (times,), clock = calendar_columns(tz, (timestamps, "timestamps", False))
    stamps = times.stamps  # the order of snapshots is the order of instants
    check_same_length(("counts", array), ("timestamps", stamps))
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise InvalidTypeError(f"counts must be numbers (followers, likes); got dtype {array.dtype}")
    values = array.astype(np.float64)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise InvalidInputError(
            f"counts must be finite non-negative numbers; got {describe_first(array, bad)}"
        )
    valid = check_period(period)
    groups = optional_groups(by, values.shape[0])
    n_groups = 1 if groups is None else groups.n_groups
    ordinals = period_ordinals(local, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end, clock)
    index, keep = period_index(ordinals, first, n_periods)
    cell = index.astype(np.int64) if groups is None else groups.codes * n_periods + index
    rows = np.arange(values.shape[0]) if keep is None else np.flatnonzero(keep)
    order = rows[np.lexsort((as_int(stamps)[rows], cell[rows]))]
    latest = np.full(n_groups * n_periods, np.nan)
    if order.shape[0]:
        sorted_cells = cell[order]
        last = np.ones(order.shape[0], dtype=bool)
        last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
        latest[sorted_cells[last]] = values[order[last]]
    shape = (n_periods,) if groups is None else (n_groups, n_periods)
    return FollowerGrowth(
        n_followers=latest.reshape(shape),
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
        labels=_labels(groups),
    )
