"""Churn and retention: period rates from customer counts, and retention by repeat contact.

Two families of functions live here:

* **Rates from counts** (:func:`churn_rate`, :func:`retention_rate`,
  :func:`convert_churn_rate`): plain formulas that broadcast over arrays of periods.
* **Retention by repeat contact** (:func:`repeat_contact_retention`,
  :func:`returned_within`, :func:`repeat_rate`): a list of (customer identifier,
  timestamp) records, such as the phone number or e-mail address of every
  transaction, turned into cohort tables and shares of returning customers.

The record-level functions factorise the customer identifiers once (compact integers
as they are, strings by a 64-bit hash and one sort of the hashes, anything else with
``np.unique``) and then work on a dense integer key space: each (customer, period) cell is marked in a boolean
array (a bucket sort, O(records + cells)); only when that array would be much larger
than the input do they fall back to one sort of the cell keys. Every result keeps
counts of customers, so results computed on *disjoint sets of customers* (for
example one partition per customer-id hash) add with ``+``.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import (
    broadcast_named,
    check_counts,
    check_fractions,
    check_positive,
    first_shown,
    index_note,
    unwrap,
)
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.ids import active_pairs, customer_index, customer_runs
from .._core.periods import end_ordinal, fast_period_ordinals, instant_bound, record_times
from .._core.results import ARRAY_EQ, Mergeable, param, stat
from .._core.stats import divide
from .._core.time import Period, Times, calendar_clock, check_period, duration_us, period_starts

__all__ = [
    "CohortRetention",
    "RepeatRate",
    "ReturnedWithin",
    "churn_rate",
    "convert_churn_rate",
    "repeat_contact_retention",
    "repeat_rate",
    "retention_rate",
    "returned_within",
]

ChurnDenominator: TypeAlias = Literal["start", "average", "serviced"]
Convention: TypeAlias = Literal["classic", "rolling"]
_DENOMINATORS = ("start", "average", "serviced")
_CONVENTIONS = ("classic", "rolling")
_SECONDS_PER_DAY = 86_400
# Largest cohort matrix (cohorts x offsets) built; beyond it a coarser period is needed.
_MAX_MATRIX_CELLS = 1 << 25


# ----------------------------------------------------------------------------------------
# Rates from counts
# ----------------------------------------------------------------------------------------


@overload
def churn_rate(
    customers_at_start: float,
    customers_lost: float,
    *,
    new_customers: float | None = None,
    denominator: ChurnDenominator = "start",
) -> float: ...
@overload
def churn_rate(
    customers_at_start: NDArray[Any],
    customers_lost: Any,
    *,
    new_customers: Any = None,
    denominator: ChurnDenominator = "start",
) -> NDArray[np.float64]: ...
@overload
def churn_rate(
    customers_at_start: Any,
    customers_lost: Any,
    *,
    new_customers: Any = None,
    denominator: ChurnDenominator = "start",
) -> float | NDArray[np.float64]: ...
def churn_rate(
    customers_at_start: Any,
    customers_lost: Any,
    *,
    new_customers: Any = None,
    denominator: ChurnDenominator = "start",
) -> Any:  # the overloads above give the types
    r"""Customer churn rate of one or many periods, with the denominator named.

    Parameters
    ----------
    customers_at_start : int or array-like of int
        Customers at the start of each period [customers].
    customers_lost : int or array-like of int
        Customers lost during each period [customers].
    new_customers : int or array-like of int, optional
        Customers acquired during each period [customers]; required by the
        ``'average'`` and ``'serviced'`` denominators, and used to check the counts.
    denominator : {'start', 'average', 'serviced'}, default 'start'
        ``'start'``: lost / customers at the start. ``'average'``: lost / the mean of
        the customers at the start and at the end, where the end count is
        ``start + new - lost``. ``'serviced'``: lost / (start + new), every customer
        served during the period.

    Returns
    -------
    float or ndarray of float
        The churn rate of each period (arrays broadcast against each other). In
        [0, 1] for ``'start'`` and ``'serviced'``; ``'average'`` can exceed 1 when
        many customers acquired in a period leave in the same period. NaN (with an
        :class:`UndefinedMetricWarning`) where the denominator is 0.

    Raises
    ------
    InvalidInputError
        For negative, fractional or NaN counts; for ``'start'``, when more customers
        are lost than were there at the start (count only those customers, or use
        ``'serviced'``); when more are lost than start + new.

    Notes
    -----
    $\text{churn} = L / S$ (start), $L / \frac{S + E}{2}$ with $E = S + N - L$
    (average), or $L / (S + N)$ (serviced). With the start denominator the churn
    rate is one minus the retention rate of the customers present at the start; the
    average denominator is the usual choice when customers join throughout the
    period, and the serviced denominator keeps the rate in [0, 1] when customers
    acquired in the period may also leave in it. See Farris et al. (2010) for the
    definitions and the relation $\text{average lifetime} = 1 / \text{churn}$.

    References
    ----------
    P. W. Farris, N. T. Bendle, P. E. Pfeifer and D. J. Reibstein (2010),
    *Marketing Metrics*, 2nd ed., Pearson, ch. 5 "Customer Profitability".

    Examples
    --------
    200 customers at the start of a month, 40 new, 30 lost (so 210 at the end):

    >>> from cskpi import churn_rate
    >>> churn_rate(200, 30)
    0.15
    >>> round(churn_rate(200, 30, new_customers=40, denominator="average"), 4)  # 30 / 205
    0.1463
    >>> churn_rate(200, 30, new_customers=40, denominator="serviced")  # 30 / 240
    0.125
    >>> churn_rate([200, 210], [30, 21]).tolist()
    [0.15, 0.1]
    """
    if denominator not in _DENOMINATORS:
        raise InvalidInputError(f"denominator must be one of {_DENOMINATORS}; got {denominator!r}")
    start = check_counts(customers_at_start, "customers_at_start")
    lost = check_counts(customers_lost, "customers_lost")
    if new_customers is None:
        if denominator != "start":
            raise InvalidInputError(f"new_customers is required with denominator={denominator!r}; got None")
        start, lost = broadcast_named(("customers_at_start", start), ("customers_lost", lost))
        new = np.zeros_like(start)
    else:
        new = check_counts(new_customers, "new_customers")
        start, lost, new = broadcast_named(
            ("customers_at_start", start), ("customers_lost", lost), ("new_customers", new)
        )
    if denominator == "start":
        too_many = lost > start
        if np.any(too_many):
            raise InvalidInputError(
                "customers_lost must not exceed customers_at_start with denominator='start' (count only "
                "customers present at the start, or use denominator='serviced'); got "
                f"{first_shown(lost, too_many)} > {first_shown(start, too_many)}{index_note(too_many)}"
            )
        return divide(lost, start, "churn rate")
    too_many = lost > start + new
    if np.any(too_many):
        raise InvalidInputError(
            "customers_lost must not exceed customers_at_start + new_customers; got "
            f"{first_shown(lost, too_many)} > {first_shown(start + new, too_many)}{index_note(too_many)}"
        )
    if denominator == "serviced":
        return divide(lost, start + new, "churn rate")
    end = start + new - lost
    return divide(lost, (start + end) / 2.0, "churn rate")


@overload
def retention_rate(customers_at_start: float, customers_at_end: float, new_customers: float) -> float: ...
@overload
def retention_rate(
    customers_at_start: NDArray[Any], customers_at_end: Any, new_customers: Any
) -> NDArray[np.float64]: ...
@overload
def retention_rate(
    customers_at_start: Any, customers_at_end: Any, new_customers: Any
) -> float | NDArray[np.float64]: ...
def retention_rate(
    customers_at_start: Any, customers_at_end: Any, new_customers: Any
) -> Any:  # the overloads above give the types
    r"""Customer retention rate of one or many periods: ``(E - N) / S``.

    Parameters
    ----------
    customers_at_start : int or array-like of int
        Customers at the start of each period (S) [customers].
    customers_at_end : int or array-like of int
        Customers at the end of each period (E) [customers].
    new_customers : int or array-like of int
        Customers acquired during each period (N) [customers].

    Returns
    -------
    float or ndarray of float
        Share of the start customers still there at the end, in [0, 1]; arrays
        broadcast against each other. NaN (with an :class:`UndefinedMetricWarning`)
        where S is 0.

    Raises
    ------
    InvalidInputError
        For negative, fractional or NaN counts, and for impossible periods: more new
        customers than customers at the end (E - N < 0), or more customers retained
        than there were at the start (E - N > S). The message names the argument and
        the index of the first such period.

    Notes
    -----
    $\text{retention} = (E - N) / S$: the customers at the end who were not acquired
    during the period are the ones retained (Farris et al. 2010, ch. 5). It assumes
    that the end count includes the new customers still active at the end.

    References
    ----------
    P. W. Farris, N. T. Bendle, P. E. Pfeifer and D. J. Reibstein (2010),
    *Marketing Metrics*, 2nd ed., Pearson, ch. 5.

    Examples
    --------
    200 at the start, 210 at the end, 40 of them new: (210 - 40) / 200 = 0.85.

    >>> from cskpi import retention_rate
    >>> retention_rate(200, 210, 40)
    0.85
    >>> retention_rate([200, 100], [210, 90], [40, 0]).tolist()
    [0.85, 0.9]
    """
    start = check_counts(customers_at_start, "customers_at_start")
    end = check_counts(customers_at_end, "customers_at_end")
    new = check_counts(new_customers, "new_customers")
    start, end, new = broadcast_named(
        ("customers_at_start", start), ("customers_at_end", end), ("new_customers", new)
    )
    retained = end - new
    negative = retained < 0
    if np.any(negative):
        raise InvalidInputError(
            "new_customers must not exceed customers_at_end (E - N is the number of retained customers); "
            f"got {first_shown(new, negative)} > {first_shown(end, negative)}{index_note(negative)}"
        )
    too_many = retained > start
    if np.any(too_many):
        raise InvalidInputError(
            "customers_at_end - new_customers must not exceed customers_at_start (more customers retained "
            f"than there were); got {first_shown(retained, too_many)} > {first_shown(start, too_many)}"
            f"{index_note(too_many)}"
        )
    return divide(retained, start, "retention rate")


@overload
def convert_churn_rate(rate: float, periods: float) -> float: ...
@overload
def convert_churn_rate(rate: NDArray[Any], periods: Any) -> NDArray[np.float64]: ...
@overload
def convert_churn_rate(rate: Any, periods: Any) -> float | NDArray[np.float64]: ...
def convert_churn_rate(rate: Any, periods: Any) -> Any:  # the overloads above give the types
    """Convert a churn rate to a period of another length, assuming constant churn.

    Parameters
    ----------
    rate : float or array-like of float
        Churn rate per source period, in [0, 1].
    periods : float or array-like of float
        Number of source periods in the target period, > 0: 12 converts a monthly
        rate to an annual one, 1/12 an annual rate to a monthly one.

    Returns
    -------
    float or ndarray of float
        Churn rate per target period, in [0, 1]: $1 - (1 - c)^k$ for rate $c$ and $k$ ``periods``.

    Notes
    -----
    A customer survives $k$ periods with probability $(1 - c)^k$ when the churn
    rate $c$ is the same every period (a geometric lifetime), so the churn over $k$
    periods is $1 - (1 - c)^k$. Multiplying the rate by $k$ (12 × 5 % = 60 %)
    overstates it; the error grows with the rate.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention",
    Journal of Interactive Marketing 21(1), 76-90 (the constant-retention model
    as the baseline).

    Examples
    --------
    5 % a month is 1 - 0.95¹² = 45.96 % a year, not 60 %:

    >>> from cskpi import convert_churn_rate
    >>> round(convert_churn_rate(0.05, 12), 4)
    0.4596
    >>> round(convert_churn_rate(0.4596, 1 / 12), 4)
    0.05
    """
    churn = check_fractions(rate, "rate")
    factor = check_positive(periods, "periods")
    churn, factor = broadcast_named(("rate", churn), ("periods", factor))
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf: churn 1 stays 1 for any period length
        converted = -np.expm1(factor * np.log1p(-churn))
    return unwrap(converted)


# ----------------------------------------------------------------------------------------
# Records: customer identifiers and timestamps
# ----------------------------------------------------------------------------------------


def _records(customer_ids: Any, timestamps: Any) -> tuple[NDArray[np.intp], int, Times]:
    customers, n_slots = customer_index(customer_ids)
    n = customers.shape[0]
    if n == 0:
        raise InvalidInputError("customer_ids must not be empty: retention needs at least one contact")
    return customers, n_slots, record_times(timestamps, n)


# ----------------------------------------------------------------------------------------
# Cohorts by first contact
# ----------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CohortRetention(Mergeable):
    """Cohort table of retention by repeat contact.

    A cohort is the set of customers whose first contact falls in one calendar
    period; column k counts periods since that first contact (k = 0 is the first
    period itself). Only periods that have new customers appear as cohorts.

    Attributes
    ----------
    cohort_ordinals : ndarray of int64, shape (n_cohorts,)
        Calendar ordinal of each cohort's first-contact period (see
        :func:`cskpi._core.time.period_ordinals`); :attr:`cohorts` gives their start dates.
    classic_counts : ndarray of int64, shape (n_cohorts, n_offsets)
        ``[c, k]``: customers of cohort c with at least one contact in the k-th
        period after their first ("classic", also called bounded or N-period
        retention). Column 0 holds the cohort sizes.
    last_contact_counts : ndarray of int64, shape (n_cohorts, n_offsets)
        ``[c, k]``: customers of cohort c whose last contact is in the k-th period
        after their first. The rolling counts are its reverse cumulative sums.
    last_ordinal : int
        Ordinal of the last period observed. Cells after it are not observed.
    period : str
        The calendar period ('day', 'week', 'month', …).
    convention : {'classic', 'rolling'}
        Which counts :attr:`counts` and :attr:`rates` return.

    Notes
    -----
    Results computed on *disjoint sets of customers* add with ``+``: cohorts and
    offsets are aligned on the calendar and the counts summed, which equals the
    result on the concatenated records. The same customer in both parts would be
    counted twice, and their first contact could be wrong, so partition by customer,
    never by time. The merged result is observed up to the later of the two
    ``last_ordinal``; a part observed to an earlier end is taken to have had no
    contacts after it (true when the parts are cut from one extract; pass the same
    ``end=`` to every part otherwise).
    """

    _headline = "rates"
    _axes = (("cohorts", "cohort"), ("offsets", "offset"))
    _figures = ("sizes", "counts")

    cohort_ordinals: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    classic_counts: NDArray[np.int64] = stat()
    last_contact_counts: NDArray[np.int64] = stat()
    last_ordinal: int = attrs.field()
    period: str = param()
    convention: str = param()

    def __add__(self, other: CohortRetention) -> CohortRetention:
        if type(other) is not type(self):
            raise InvalidTypeError(
                f"cannot add {type(other).__name__} to {type(self).__name__}: "
                "only results of the same kind merge"
            )
        for name in ("period", "convention"):
            if getattr(self, name) != getattr(other, name):
                raise InvalidInputError(
                    f"cannot add CohortRetention results with different {name}: "
                    f"{getattr(self, name)!r} and {getattr(other, name)!r}"
                )
        ordinals = np.union1d(self.cohort_ordinals, other.cohort_ordinals)
        last = max(self.last_ordinal, other.last_ordinal)
        width = last - int(ordinals[0]) + 1
        totals = []
        for field in ("classic_counts", "last_contact_counts"):
            total = np.zeros((ordinals.shape[0], width), dtype=np.int64)
            for part in (self, other):
                counts = getattr(part, field)
                rows = np.searchsorted(ordinals, part.cohort_ordinals)
                total[rows, : counts.shape[1]] += counts
            totals.append(total)
        return CohortRetention(
            cohort_ordinals=ordinals,
            classic_counts=totals[0],
            last_contact_counts=totals[1],
            last_ordinal=last,
            period=self.period,
            convention=self.convention,
        )

    @property
    def cohorts(self) -> NDArray[np.datetime64]:
        """Start of each cohort's first-contact period (the row labels)."""
        return period_starts(self.cohort_ordinals, self.period)  # type: ignore[arg-type]

    @property
    def offsets(self) -> NDArray[np.int64]:
        """Periods since first contact of each column: ``0, 1, …, n_offsets - 1``."""
        return np.arange(self.classic_counts.shape[1], dtype=np.int64)

    @property
    def sizes(self) -> NDArray[np.int64]:
        """Number of customers in each cohort."""
        return self.classic_counts[:, 0]

    @property
    def n_customers(self) -> int:
        """Number of distinct customers."""
        return int(self.classic_counts[:, 0].sum())

    @property
    def observed(self) -> NDArray[np.bool_]:
        """True where a cell lies on or before the last observed period."""
        return (self.cohort_ordinals[:, None] + self.offsets[None, :]) <= self.last_ordinal

    @property
    def rolling_counts(self) -> NDArray[np.int64]:
        """``[c, k]``: customers of cohort c with a contact in the k-th period after their first or later."""
        reversed_cumsum = np.cumsum(self.last_contact_counts[:, ::-1], axis=1)[:, ::-1]
        return np.ascontiguousarray(reversed_cumsum)

    @property
    def counts(self) -> NDArray[np.int64]:
        """Counts of the chosen :attr:`convention` (``classic_counts`` or ``rolling_counts``)."""
        return self.classic_counts if self.convention == "classic" else self.rolling_counts

    def _rates(self, counts: NDArray[np.int64]) -> NDArray[np.float64]:
        sizes = self.sizes[:, None]
        rates = divide(counts, np.broadcast_to(sizes, counts.shape), "cohort retention rate")
        return np.where(self.observed, rates, np.nan)

    @property
    def classic_rates(self) -> NDArray[np.float64]:
        """Share of each cohort with a contact in the k-th period after the first, in [0, 1].

        NaN where the cell is not observed.
        """
        return self._rates(self.classic_counts)

    @property
    def rolling_rates(self) -> NDArray[np.float64]:
        """Share of each cohort with a contact in period k or later, in [0, 1]; NaN where not observed.

        Never increases with k.
        """
        return self._rates(self.rolling_counts)

    @property
    def rates(self) -> NDArray[np.float64]:
        """Rates of the chosen :attr:`convention`."""
        return self._rates(self.counts)

    @property
    def pooled_rates(self) -> NDArray[np.float64]:
        """Retention curve over all cohorts, in [0, 1]: for each k, the customers counted
        at k over the sizes of the cohorts observed at k (cohorts weighted by size)."""
        observed = self.observed
        counts = np.where(observed, self.counts, 0).sum(axis=0)
        exposed = np.where(observed, self.sizes[:, None], 0).sum(axis=0)
        result: NDArray[np.float64] = np.asarray(divide(counts, exposed, "pooled retention rate"))
        return result


def repeat_contact_retention(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: Period = "month",
    convention: Convention = "classic",
    end: Any = None,
    tz: str | None = None,
) -> CohortRetention:
    """Retention by repeat contact, as a cohort table (first-contact period x periods since).

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer of each contact: integers or strings (phone numbers, e-mail
        addresses; normalise them first with :func:`normalize_phone` or
        :func:`normalize_email`). NaN, ``None`` and empty strings raise.
    timestamps : array-like of datetime64 or ISO 8601 strings, shape (n,)
        Time of each contact: naive local timestamps, or time-zone-aware instants
        (see ``tz``). Unparseable values and NaT raise.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period of the cohorts and of the columns (weeks are ISO weeks).
    convention : {'classic', 'rolling'}, default 'classic'
        Which counts :attr:`CohortRetention.rates` reports (both are always
        available as ``classic_rates`` and ``rolling_rates``). ``'classic'``: a
        customer counts in column k when they had a contact *in* the k-th period
        after their first (bounded, "N-period" retention). ``'rolling'``: when they
        had a contact *in or after* that period (unbounded retention).
    end : timestamp, optional
        End of the observation: cells after its period are not observed (NaN
        rates). Default: the latest timestamp. Must not precede it.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which aware instants are assigned to
        periods; default: the zone of a zoned column. Naive timestamps with ``tz``
        raise.

    Returns
    -------
    CohortRetention
        Cohort labels (``cohorts``, ``cohort_ordinals``), ``sizes``, the counts
        matrices and the rates, each in [0, 1]. Results of disjoint customer sets
        add with ``+``.

    Raises
    ------
    InvalidInputError
        For empty input, mismatched lengths, missing identifiers, unparseable
        timestamps, or a cohort table too large for the period (use a coarser one).

    Notes
    -----
    A customer's cohort is the period of their first contact in the data. The
    classic count of cell (c, k) is the number of customers of cohort c with a
    contact in period c + k, its rate that count over the cohort size; the rolling
    count is the number whose *last* contact is in period c + k or later. Both equal
    the cohort size at k = 0, and rolling retention never increases with k. Customers
    active before the data starts are counted in the cohort of their first contact
    in the data, so the first cohorts mix new and old customers; leave a burn-in
    period out when that matters. Cells after ``end`` are unobserved, and their
    rates are NaN rather than 0 (no warning: they are censored, not undefined).

    The identifiers are factorised once (integers with a compact range are used as
    they are; strings are hashed, the hashes sorted, and a collision check falls back
    to ``np.unique``). Each distinct (customer, period) cell is then marked in a
    boolean array and the marked cells are read back in customer order (a bucket
    sort; the cell keys are sorted instead when that array would hold more than eight
    cells per record). Each customer's first and last period are the ends of their
    run of cells, and two ``np.bincount`` calls count the cells; no Python loop runs
    over records, customers or cohorts.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention",
    Journal of Interactive Marketing 21(1), 76-90 (cohort survival tables).

    Examples
    --------
    Customer 1 comes in January and March, 2 in January and February, 3 in February:

    >>> from cskpi import repeat_contact_retention
    >>> ids = [1, 2, 1, 2, 3]
    >>> times = ["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-11", "2024-02-28"]
    >>> table = repeat_contact_retention(ids, times)
    >>> table.cohorts.tolist(), table.sizes.tolist()
    ([datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)], [2, 1])
    >>> table.classic_counts.tolist()
    [[2, 1, 1], [1, 0, 0]]
    >>> table.classic_rates.tolist()  # February's cohort is not observed two months on
    [[1.0, 0.5, 0.5], [1.0, 0.0, nan]]
    >>> table.rolling_rates.tolist()  # January: both came back in or after February
    [[1.0, 1.0, 0.5], [1.0, 0.0, nan]]
    """
    valid_period = check_period(period)
    if convention not in _CONVENTIONS:
        raise InvalidInputError(f"convention must be one of {_CONVENTIONS}; got {convention!r}")
    customers, n_slots, times = _records(customer_ids, timestamps)
    clock = calendar_clock(tz, times)
    ordinals = fast_period_ordinals(clock.local(times).view(np.int64), valid_period)
    first_ordinal = int(ordinals.min())
    latest = int(ordinals.max())
    last = latest if end is None else end_ordinal(end, valid_period, latest, clock)
    width = last - first_ordinal + 1
    ordinals -= first_ordinal  # in place: the period offsets 0..width-1 (our own array)
    rows, columns = active_pairs(customers, n_slots, ordinals, width)
    del customers, times, ordinals  # the records are no longer needed: free them early
    starts, stops = customer_runs(rows)
    first = columns[starts]
    present = np.zeros(width, dtype=np.bool_)
    present[first] = True
    n_cohorts = int(np.count_nonzero(present))
    if n_cohorts * width > _MAX_MATRIX_CELLS:
        raise InvalidInputError(
            f"period={period!r} gives a cohort table of {n_cohorts} x {width} cells (more than "
            f"{_MAX_MATRIX_CELLS}); use a coarser period"
        )
    cohort_code = np.cumsum(present, dtype=np.intp) - 1
    customer_cohort = cohort_code[first]
    # Cell of each (customer, period) pair: cohort row * width + (period - first period).
    base = customer_cohort * width - first
    cells = np.repeat(base, stops - starts + 1)
    cells += columns
    n_cells = n_cohorts * width
    classic = np.bincount(cells, minlength=n_cells)
    del cells
    last_counts = np.bincount(base + columns[stops], minlength=n_cells)
    return CohortRetention(
        cohort_ordinals=np.flatnonzero(present).astype(np.int64) + first_ordinal,
        classic_counts=classic.astype(np.int64).reshape(n_cohorts, width),
        last_contact_counts=last_counts.astype(np.int64).reshape(n_cohorts, width),
        last_ordinal=last,
        period=valid_period,
        convention=convention,
    )


# ----------------------------------------------------------------------------------------
# Companions: returned within N days, repeat rate
# ----------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ReturnedWithin(Mergeable):
    """Customers who came back within a window after their first contact.

    Attributes
    ----------
    returned : int
        Customers with a later contact within ``days`` of their first.
    customers : int
        Customers whose whole window is observed (first contact at least ``days``
        before the end of the data).
    censored : int
        Customers first seen less than ``days`` before the end, left out of both
        counts because their window is incomplete.
    days : float
        Window length [days].
    """

    _headline = "rate"

    returned: Any = stat()
    customers: Any = stat()
    censored: Any = stat()
    days: float = param()

    @property
    def rate(self) -> Any:
        """Share of customers who returned within the window, in [0, 1].

        NaN (with an :class:`UndefinedMetricWarning`) when no customer's window is observed.
        """
        return divide(self.returned, self.customers, "returned-within rate")


def returned_within(
    customer_ids: Any, timestamps: Any, *, window_seconds: Any, end: Any = None
) -> ReturnedWithin:
    r"""Share of customers who came back within a window after their first contact.

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer of each contact (integers or strings; see
        :func:`repeat_contact_retention`).
    timestamps : array-like of datetime64 or ISO 8601 strings, shape (n,)
        Time of each contact, to the microsecond: naive local timestamps or
        time-zone-aware instants (never both; the window is exact between instants).
    window_seconds : float, timedelta64 or timedelta
        Window after the first contact [s], > 0 (``30 * 86400`` for 30 days). A return
        is a contact strictly after the first one and at most ``window_seconds``
        after it.
    end : timestamp, optional
        End of the observation, inclusive (default: the latest timestamp). Customers
        first seen less than ``window_seconds`` before it are censored: left out, and
        counted in ``censored``. On the clock of ``timestamps`` (naive with naive,
        an instant with aware data).

    Returns
    -------
    ReturnedWithin
        ``rate`` = returned / customers, in [0, 1]. Results of disjoint customer
        sets observed to the same ``end`` add with ``+``.

    Notes
    -----
    $$\text{rate} = \frac{\#\{\text{customers with } t_2 - t_1 \le w\}}
    {\#\{\text{customers with } \text{end} - t_1 \ge w\}}$$

    for the window $w$, where $t_1$ is a customer's first contact and $t_2$ their next
    contact after $t_1$ (records at the same instant as $t_1$ are duplicates, not returns). Leaving the
    censored customers out keeps the rate from falling as the data approach their
    end.

    Examples
    --------
    Customer 1 returns after 3 days, customer 2 after 40, customer 3 never; customer
    4 is first seen 5 days before the end, too late for a 30-day window:

    >>> from cskpi import returned_within
    >>> ids = [1, 1, 2, 2, 3, 4]
    >>> times = ["2024-01-01", "2024-01-04", "2024-01-02", "2024-02-11", "2024-01-03", "2024-03-05"]
    >>> result = returned_within(ids, times, window_seconds=30 * 86400, end="2024-03-10")
    >>> result.returned, result.customers, result.censored, round(result.rate, 4)
    (1, 3, 1, 0.3333)
    """
    window = duration_us(window_seconds, "window_seconds", positive=True)
    customers, n_slots = customer_index(customer_ids)
    times = record_times(timestamps, customers.shape[0])
    if customers.shape[0] == 0:  # no customer: the rate is undefined (NaN when read)
        return ReturnedWithin(
            returned=0, customers=0, censored=0, days=window / (_SECONDS_PER_DAY * 1_000_000)
        )
    micros = times.stamps.view(np.int64)
    latest = int(micros.max())
    if end is None:
        end_us = latest
    else:
        end_us = instant_bound(end, "end", times)
        if end_us < latest:
            latest_stamp = np.int64(latest).astype("datetime64[us]")
            raise InvalidInputError(
                f"end must not be before the latest timestamp; got {end!r} before {latest_stamp}"
            )
    never = np.iinfo(np.int64).max
    first = np.full(n_slots, never, dtype=np.int64)
    np.minimum.at(first, customers, micros)
    later = micros > first[customers]
    following = np.full(n_slots, never, dtype=np.int64)
    np.minimum.at(following, customers[later], micros[later])
    present = first != never
    complete = present & ((end_us - first) >= window)
    came_back = complete & (following != never) & ((following - first) <= window)
    return ReturnedWithin(
        returned=int(np.count_nonzero(came_back)),
        customers=int(np.count_nonzero(complete)),
        censored=int(np.count_nonzero(present & ~complete)),
        days=window / (_SECONDS_PER_DAY * 1_000_000),
    )


@attrs.frozen(kw_only=True)
class RepeatRate(Mergeable):
    """Customers with at least two contacts in a window.

    Attributes
    ----------
    repeat_customers : int
        Customers with two or more contacts.
    customers : int
        Customers with at least one contact.
    """

    _headline = "rate"

    repeat_customers: Any = stat()
    customers: Any = stat()

    @property
    def rate(self) -> Any:
        """Share of customers with two or more contacts, in [0, 1]; NaN (with a warning) without customers."""
        return divide(self.repeat_customers, self.customers, "repeat rate")


def repeat_rate(
    customer_ids: Any, timestamps: Any = None, *, start: Any = None, end: Any = None
) -> RepeatRate:
    r"""Share of customers with at least two contacts (in a time window, optionally).

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer of each contact (integers or strings).
    timestamps : array-like of datetime64 or ISO 8601 strings, shape (n,), optional
        Time of each contact; needed only with ``start`` or ``end``. Naive data
        take naive bounds and aware instants take aware bounds.
    start, end : timestamp, optional
        Count only contacts with ``start <= t <= end`` (both included, as every
        ``end`` in cskpi).

    Returns
    -------
    RepeatRate
        ``rate`` = repeat customers / customers, in [0, 1]; NaN (with an
        :class:`UndefinedMetricWarning`) when the window has no contact. Results of
        disjoint customer sets over the same window add with ``+``.

    Notes
    -----
    $\text{repeat rate} = \#\{\text{customers with} \ge 2 \text{ contacts}\}
    / \#\{\text{customers with} \ge 1\}$, each record being one contact: de-duplicate
    records first if the source can repeat them.

    Examples
    --------
    >>> from cskpi import repeat_rate
    >>> repeat_rate(["a", "b", "a", "c", "c", "c"]).rate  # a and c of a, b, c
    0.6666666666666666
    >>> times = ["2024-01-01", "2024-01-02", "2024-02-01", "2024-01-03", "2024-01-04", "2024-02-05"]
    >>> repeat_rate(["a", "b", "a", "c", "c", "c"], times, end="2024-01-31").rate  # January: c only
    0.3333333333333333
    """
    customers, n_slots = customer_index(customer_ids)
    keep: NDArray[np.bool_] | None = None
    if timestamps is None:
        if start is not None or end is not None:
            raise InvalidInputError("timestamps are required with start or end; got None")
    else:
        times = record_times(timestamps, customers.shape[0])
        micros = times.stamps.view(np.int64)
        keep = np.ones(micros.shape[0], dtype=np.bool_)
        for bound, name in ((start, "start"), (end, "end")):
            if bound is None:
                continue
            limit = instant_bound(bound, name, times)
            keep &= (micros >= limit) if name == "start" else (micros <= limit)
    kept = customers if keep is None else customers[keep]
    contacts = np.bincount(kept, minlength=n_slots)
    return RepeatRate(
        repeat_customers=int(np.count_nonzero(contacts >= 2)),
        customers=int(np.count_nonzero(contacts)),
    )
