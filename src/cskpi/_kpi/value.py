"""Customer value: referral rate and customer lifetime value (CLV) in named forms.

Textbooks give three closed forms of CLV for a margin m per period, retention rate r
and discount rate d, and they differ only in when the margins are booked (Fader and
Hardie 2012):

* ``timing='period_start'``: ``m (1 + d) / (1 + d - r)``, margins at the start of each
  period, the first one now;
* ``timing='period_end'``: ``m / (1 + d - r)``, margins at the end of each period, the
  first one included;
* ``timing='after_first_period'``: ``m r / (1 + d - r)``, the first margin left out
  (Gupta and Lehmann 2003).

:func:`clv_infinite_horizon` computes each of them with its ``timing`` option;

:func:`clv_finite_horizon` is the same sum cut after a number of periods (same timings),
:func:`clv_simple` the undiscounted "order value x frequency x margin x lifetime"
form, and :func:`clv_inputs` derives its inputs from a transactions table.
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
    check_numbers,
    describe_first,
    first_index,
    first_shown,
    index_note,
    to_array,
    unwrap,
)
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.ids import active_pairs, customer_index, retained_pairs
from .._core.periods import end_ordinal, fast_period_ordinals, record_times
from .._core.results import Mergeable, param, stat
from .._core.stats import divide
from .._core.time import Period, calendar_clock, check_period

__all__ = [
    "CLVInputs",
    "clv_finite_horizon",
    "clv_infinite_horizon",
    "clv_inputs",
    "clv_simple",
    "referral_rate",
]

Timing: TypeAlias = Literal["period_start", "period_end", "after_first_period"]
_TIMINGS = ("period_start", "period_end", "after_first_period")


@overload
def referral_rate(referred_customers: float, new_customers: float) -> float: ...
@overload
def referral_rate(referred_customers: NDArray[Any], new_customers: Any) -> NDArray[np.float64]: ...
@overload
def referral_rate(referred_customers: Any, new_customers: Any) -> float | NDArray[np.float64]: ...
def referral_rate(referred_customers: Any, new_customers: Any) -> Any:  # the overloads above give the types
    r"""Share of new customers who came through a referral, per period.

    Parameters
    ----------
    referred_customers : int or array-like of int
        New customers acquired through a referral in each period [customers].
    new_customers : int or array-like of int
        All new customers acquired in each period [customers].

    Returns
    -------
    float or ndarray of float
        ``referred / new`` in [0, 1]; arrays broadcast against each other. NaN (with
        an :class:`UndefinedMetricWarning`) for a period without new customers.

    Raises
    ------
    InvalidInputError
        For negative, fractional or NaN counts, or more referred than new customers.

    Notes
    -----
    $\text{referral rate} = n_\text{new by referral} / n_\text{new}$
    (Farris et al. 2010). Count a customer in the period of their first purchase or
    contact, the same period for both counts.

    References
    ----------
    P. W. Farris, N. T. Bendle, P. E. Pfeifer and D. J. Reibstein (2010),
    *Marketing Metrics*, 2nd ed., Pearson.

    Examples
    --------
    >>> from cskpi import referral_rate
    >>> referral_rate(12, 48)
    0.25
    >>> referral_rate([12, 5], [48, 50]).tolist()
    [0.25, 0.1]
    """
    referred = check_counts(referred_customers, "referred_customers")
    new = check_counts(new_customers, "new_customers")
    referred, new = broadcast_named(("referred_customers", referred), ("new_customers", new))
    too_many = referred > new
    if np.any(too_many):
        raise InvalidInputError(
            "referred_customers must not exceed new_customers; got "
            f"{first_shown(referred, too_many)} > {first_shown(new, too_many)}{index_note(too_many)}"
        )
    return divide(referred, new, "referral rate")


def _clv_arguments(
    margin: Any, retention_rate: Any, discount_rate: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    m = check_numbers(margin, "margin")
    infinite = ~np.isfinite(m)
    if np.any(infinite):
        raise InvalidInputError(
            f"margin must be finite; got {first_shown(m, infinite)!r}{index_note(infinite)}"
        )
    r = check_fractions(retention_rate, "retention_rate")
    d = check_numbers(discount_rate, "discount_rate")
    bad = ~np.isfinite(d) | (d < 0)
    if np.any(bad):
        raise InvalidInputError(
            "discount_rate must be a non-negative, finite rate per period; "
            f"got {first_shown(d, bad)!r}{index_note(bad)}"
        )
    m, r, d = broadcast_named(("margin", m), ("retention_rate", r), ("discount_rate", d))
    return m, r, d


def _perpetuity(numerator: NDArray[np.float64], r: NDArray[np.float64], d: NDArray[np.float64]) -> Any:
    # 1 + d - r is 0 only for r = 1 and d = 0: an undiscounted customer kept forever.
    return divide(numerator, 1.0 + d - r, "CLV (infinite for retention 1 and discount 0)")


@overload
def clv_infinite_horizon(
    margin: float, retention_rate: float, discount_rate: float, *, timing: Timing = "period_start"
) -> float: ...
@overload
def clv_infinite_horizon(
    margin: NDArray[Any], retention_rate: Any, discount_rate: Any, *, timing: Timing = "period_start"
) -> NDArray[np.float64]: ...
@overload
def clv_infinite_horizon(
    margin: Any, retention_rate: Any, discount_rate: Any, *, timing: Timing = "period_start"
) -> float | NDArray[np.float64]: ...
def clv_infinite_horizon(
    margin: Any, retention_rate: Any, discount_rate: Any, *, timing: Timing = "period_start"
) -> Any:  # the overloads above give the types
    r"""CLV of a new customer over an unbounded horizon, in closed form.

    Parameters
    ----------
    margin : float or array-like
        Margin per period while the customer is active (m) [currency per period].
    retention_rate : float or array-like
        Probability that a customer active in one period is active in the next (r),
        in [0, 1].
    discount_rate : float or array-like
        Discount rate per period (d), >= 0.
    timing : {'period_start', 'period_end', 'after_first_period'}, default 'period_start'
        When margins are booked: at the start of each active period, the first one
        now (``m (1 + d) / (1 + d - r)``); at the end of each active period, the
        first one included (``m / (1 + d - r)``); or at the end of each period the
        customer is retained through, without the first period's margin
        (``m r / (1 + d - r)``, Gupta and Lehmann 2003). The same names as
        :func:`clv_finite_horizon`, which converges to this as its horizon grows.

    Returns
    -------
    float or ndarray of float
        Expected present value [currency]; a float for scalar arguments, an array of
        their broadcast shape otherwise. NaN (with an :class:`UndefinedMetricWarning`)
        for r = 1 and d = 0, where the value is infinite.

    Notes
    -----
    With the margin $m$ of every period the customer is active in, retention $r$ and
    discount $d$:

    * period_start: $\mathrm{CLV} = \sum_{t \ge 0} \frac{m\, r^t}{(1 + d)^t} = \frac{m (1 + d)}{1 + d - r}$
      (case 1 of Fader and Hardie 2012, the form of Blattberg et al. 2008);
    * period_end: $\mathrm{CLV} = \sum_{t \ge 1} \frac{m\, r^{t-1}}{(1 + d)^t} = \frac{m}{1 + d - r}$, the
      period_start value divided by $1 + d$ (case 3);
    * after_first_period: $\mathrm{CLV} = \sum_{t \ge 1} \frac{m\, r^t}{(1 + d)^t} = \frac{m\, r}{1 + d - r}$
      (case 2); Gupta and Lehmann (2003) call $r / (1 + d - r)$ the *margin
      multiple*. Berger and Nasr (1998) set out the general discounted-sum framework
      these closed forms come from.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2012), "Reconciling and Clarifying CLV
    Formulas", http://brucehardie.com/notes/024/.
    S. Gupta and D. R. Lehmann (2003), "Customers as assets", Journal of
    Interactive Marketing 17(1), 9-24.
    P. D. Berger and N. I. Nasr (1998), "Customer lifetime value: Marketing models
    and applications", Journal of Interactive Marketing 12(1), 17-30.

    Examples
    --------
    m = 100, r = 0.8, d = 0.1: 100 x 1.1 / 0.3 = 366.67 at period starts, 100 / 0.3 =
    333.33 at period ends, 100 x 0.8 / 0.3 = 266.67 after the first period.

    >>> from cskpi import clv_infinite_horizon
    >>> round(clv_infinite_horizon(100, 0.8, 0.1), 2)
    366.67
    >>> round(clv_infinite_horizon(100, 0.8, 0.1, timing="period_end"), 2)
    333.33
    >>> round(clv_infinite_horizon(100, 0.8, 0.1, timing="after_first_period"), 2)
    266.67
    """
    if not isinstance(timing, str) or timing not in _TIMINGS:
        raise InvalidInputError(f"timing must be one of {_TIMINGS}; got {timing!r}")
    m, r, d = _clv_arguments(margin, retention_rate, discount_rate)
    if timing == "period_start":
        return _perpetuity(m * (1.0 + d), r, d)
    if timing == "period_end":
        return _perpetuity(m, r, d)
    return _perpetuity(m * r, r, d)


@overload
def clv_finite_horizon(
    margin: float,
    retention_rate: float,
    discount_rate: float,
    periods: float,
    *,
    timing: Timing = "period_start",
) -> float: ...
@overload
def clv_finite_horizon(
    margin: NDArray[Any],
    retention_rate: Any,
    discount_rate: Any,
    periods: Any,
    *,
    timing: Timing = "period_start",
) -> NDArray[np.float64]: ...
@overload
def clv_finite_horizon(
    margin: Any,
    retention_rate: Any,
    discount_rate: Any,
    periods: Any,
    *,
    timing: Timing = "period_start",
) -> float | NDArray[np.float64]: ...
def clv_finite_horizon(
    margin: Any,
    retention_rate: Any,
    discount_rate: Any,
    periods: Any,
    *,
    timing: Timing = "period_start",
) -> Any:  # the overloads above give the types
    r"""CLV over a horizon of a given number of periods (truncated CLV).

    Parameters
    ----------
    margin, retention_rate, discount_rate
        As in :func:`clv_infinite_horizon`.
    periods : int or array-like of int
        Length of the horizon [periods], >= 0; one margin is counted per period.
    timing : {'period_start', 'period_end', 'after_first_period'}, default 'period_start'
        When margins are booked, as in :func:`clv_infinite_horizon`, to which this
        converges as ``periods`` grows.

    Returns
    -------
    float or ndarray of float
        Expected present value of the margins of the first T periods [currency].

    Notes
    -----
    With $q = r / (1 + d)$ and $T$ periods:

    * period_start: $\sum_{t=0}^{T-1} m\, q^t = m (1 - q^T) / (1 - q)$;
    * period_end: the same divided by $1 + d$;
    * after_first_period: $\sum_{t=1}^{T} m\, q^t = m\, q (1 - q^T) / (1 - q)$;

    each $m T$ (times $1/(1 + d)$ or $q$) when $q = 1$. Fader and Hardie (2014) point
    out that such a sum is not a *lifetime* value: it ignores what the customer is
    worth after the horizon.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2014), "What's Wrong With This CLV Formula?",
    http://brucehardie.com/notes/033/.
    P. D. Berger and N. I. Nasr (1998), "Customer lifetime value: Marketing models
    and applications", Journal of Interactive Marketing 12(1), 17-30.

    Examples
    --------
    Three periods, m = 100, r = 0.8, d = 0.1: 100 (1 + 0.8/1.1 + (0.8/1.1)²) = 225.62.

    >>> from cskpi import clv_finite_horizon
    >>> round(clv_finite_horizon(100, 0.8, 0.1, 3), 2)
    225.62
    >>> round(clv_finite_horizon(100, 0.8, 0.1, 3, timing="after_first_period"), 2)
    164.09
    """
    if timing not in _TIMINGS:
        raise InvalidInputError(f"timing must be one of {_TIMINGS}; got {timing!r}")
    m, r, d = _clv_arguments(margin, retention_rate, discount_rate)
    horizon = check_counts(periods, "periods", "periods")
    m, r, d, horizon = broadcast_named(
        ("margin", m), ("retention_rate", r), ("discount_rate", d), ("periods", horizon)
    )
    q = r / (1.0 + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(q == 1.0, horizon, (1.0 - q**horizon) / np.where(q == 1.0, 0.5, 1.0 - q))
    if timing == "period_start":
        value = m * annuity
    elif timing == "period_end":
        value = m * annuity / (1.0 + d)
    else:
        value = m * q * annuity
    return unwrap(value)


@overload
def clv_simple(
    average_order_value: float, purchase_frequency: float, margin_rate: float, churn_rate: float
) -> float: ...
@overload
def clv_simple(
    average_order_value: NDArray[Any], purchase_frequency: Any, margin_rate: Any, churn_rate: Any
) -> NDArray[np.float64]: ...
@overload
def clv_simple(
    average_order_value: Any, purchase_frequency: Any, margin_rate: Any, churn_rate: Any
) -> float | NDArray[np.float64]: ...
def clv_simple(
    average_order_value: Any, purchase_frequency: Any, margin_rate: Any, churn_rate: Any
) -> Any:  # the overloads above give the types
    r"""Undiscounted CLV: order value x purchase frequency x margin x expected lifetime (1 / churn).

    Parameters
    ----------
    average_order_value : float or array-like
        Revenue per order [currency], >= 0.
    purchase_frequency : float or array-like
        Orders per active customer per period [orders per period], >= 0.
    margin_rate : float or array-like
        Gross margin as a fraction of revenue, in [0, 1].
    churn_rate : float or array-like
        Churn per period, in [0, 1]; the expected lifetime is ``1 / churn`` periods.

    Returns
    -------
    float or ndarray of float
        Expected margin over a customer's lifetime [currency]. NaN (with an
        :class:`UndefinedMetricWarning`) for churn 0, where the lifetime is infinite.

    Notes
    -----
    $$\mathrm{CLV} = \frac{\mathrm{AOV} \cdot F \cdot \text{margin}}{\text{churn}}.$$

    With a geometric lifetime (the customer leaves after each period with probability
    $c$) the expected number of periods is $1 / c$, and this is :func:`clv_infinite_horizon`
    (period_start) with $m = \mathrm{AOV} \cdot F \cdot \text{margin}$, $r = 1 - c$ and no
    discounting: $m (1 + 0) / (1 + 0 - (1 - c)) = m / c$
    (Fader and Hardie 2012). Use the discounted forms when the lifetime spans years.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2012), "Reconciling and Clarifying CLV
    Formulas", http://brucehardie.com/notes/024/.

    Examples
    --------
    Orders of 50, 4 a year, 30 % margin, 25 % churn a year: 50 x 4 x 0.3 / 0.25 = 240.

    >>> from cskpi import clv_simple
    >>> round(clv_simple(50, 4, 0.3, 0.25), 6)
    240.0
    """
    value = _non_negative(average_order_value, "average_order_value")
    frequency = _non_negative(purchase_frequency, "purchase_frequency")
    margin = check_fractions(margin_rate, "margin_rate")
    churn = check_fractions(churn_rate, "churn_rate")
    value, frequency, margin, churn = broadcast_named(
        ("average_order_value", value),
        ("purchase_frequency", frequency),
        ("margin_rate", margin),
        ("churn_rate", churn),
    )
    return divide(value * frequency * margin, churn, "CLV (infinite lifetime for churn 0)")


def _non_negative(values: Any, name: str) -> NDArray[np.float64]:
    numbers = check_numbers(values, name)
    bad = ~np.isfinite(numbers) | (numbers < 0)
    if np.any(bad):
        raise InvalidInputError(
            f"{name} must be non-negative and finite; got {first_shown(numbers, bad)!r}{index_note(bad)}"
        )
    return numbers


@attrs.frozen(kw_only=True)
class CLVInputs(Mergeable):
    """Average order value, purchase frequency and churn derived from transactions.

    A customer is *active* in a period when they have at least one transaction in
    it; churn is measured between consecutive periods.

    Attributes
    ----------
    customers : int
        Distinct customers.
    orders : int
        Transactions.
    revenue : float
        Sum of the transaction amounts [currency].
    active_periods : int
        Sum over periods of the customers active in it (customer-periods).
    retained : int
        Customer-periods followed by the same customer being active in the next
        period.
    active_in_last : int
        Customers active in the last observed period (not yet known to stay or go).
    last_ordinal : int
        Ordinal of the last observed period.
    period : str
        The calendar period of the rates ('month', 'year', …).
    """

    _headline = None
    _figures = ("average_order_value", "purchase_frequency", "retention_rate", "churn_rate")

    customers: int = stat()
    orders: int = stat()
    revenue: float = stat()
    active_periods: int = stat()
    retained: int = stat()
    active_in_last: int = stat()
    last_ordinal: int = attrs.field()
    period: str = param()

    def __add__(self, other: CLVInputs) -> CLVInputs:
        if type(other) is not type(self):
            raise InvalidTypeError(f"cannot add {type(other).__name__} to CLVInputs")
        if other.period != self.period:
            raise InvalidInputError(
                f"cannot add CLVInputs results with different period: {self.period!r} and {other.period!r}"
            )
        last = max(self.last_ordinal, other.last_ordinal)
        # A part observed to an earlier end had no transaction after it: its customers
        # active in its own last period are known to have left by the merged end.
        in_last = sum(part.active_in_last for part in (self, other) if part.last_ordinal == last)
        return CLVInputs(
            customers=self.customers + other.customers,
            orders=self.orders + other.orders,
            revenue=self.revenue + other.revenue,
            active_periods=self.active_periods + other.active_periods,
            retained=self.retained + other.retained,
            active_in_last=in_last,
            last_ordinal=last,
            period=self.period,
        )

    @property
    def average_order_value(self) -> Any:
        """Revenue per transaction [currency]."""
        return divide(self.revenue, self.orders, "average order value")

    @property
    def purchase_frequency(self) -> Any:
        """Transactions per active customer per period [orders per period]."""
        return divide(self.orders, self.active_periods, "purchase frequency")

    @property
    def retention_rate(self) -> Any:
        """Share of active customers active again in the next period, in [0, 1]."""
        return divide(self.retained, self.active_periods - self.active_in_last, "retention rate")

    @property
    def churn_rate(self) -> Any:
        """``1 - retention_rate``, in [0, 1]."""
        rate = self.retention_rate
        return 1.0 - rate

    @property
    def expected_lifetime_periods(self) -> Any:
        """``1 / churn_rate`` [periods]; NaN (with a warning) when no customer was lost."""
        lost = self.active_periods - self.active_in_last - self.retained
        return divide(self.active_periods - self.active_in_last, lost, "expected lifetime")


def clv_inputs(
    customer_ids: Any,
    timestamps: Any,
    amounts: Any,
    *,
    period: Period = "year",
    end: Any = None,
    tz: str | None = None,
) -> CLVInputs:
    r"""Average order value, purchase frequency and churn from a transactions table.

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer of each transaction (integers or strings; see
        :func:`repeat_contact_retention`).
    timestamps : array-like of datetime64 or ISO 8601 strings, shape (n,)
        Time of each transaction: naive local timestamps, or time-zone-aware
        instants (see ``tz``). NaT raises.
    amounts : array-like of float, shape (n,)
        Revenue of each transaction [currency], >= 0 (net refunds against their
        orders first).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'year'
        The period of the frequency and churn rates (it decides who counts as
        retained, so its default is the customer year, not the calendar-series
        default 'month'); use the same period for the
        margin and discount rate of the CLV.
    end : timestamp, optional
        End of the observation (default: the latest timestamp). The customers
        active in its period are not counted as churned or retained.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which aware instants are assigned to
        periods; default: the zone of a zoned column. Naive timestamps with ``tz``
        raise.

    Returns
    -------
    CLVInputs
        ``average_order_value``, ``purchase_frequency``, ``churn_rate`` and
        ``retention_rate``, ready for :func:`clv_simple` or the discounted forms.
        Results of disjoint customer sets add with ``+``.

    Notes
    -----
    $\mathrm{AOV} = \text{revenue} / \text{orders}$; $F = \text{orders} / \text{active customer-periods}$;
    $\text{retention} = \#\{\text{active in } p \text{ and in } p + 1\} / \#\{\text{active in } p\}$,
    pooled over every period $p$ before the last. With these definitions $F / \text{churn}$ is the expected
    number of orders over a run of consecutive active periods, so
    ``clv_simple(AOV, F, margin, churn)`` is the expected margin of such a run. A
    customer who skips a period counts as lost and comes back as a new run, which
    makes the estimate conservative for customers who buy less often than once a
    period: choose a period longer than the usual gap between orders.

    Examples
    --------
    Customer 1 buys in 2022 and 2023, customer 2 in 2022 only, customer 3 in 2023:
    4 orders worth 400, 4 active customer-years, 1 of the 2 customers of 2022
    active again in 2023.

    >>> from cskpi import clv_inputs, clv_simple
    >>> inputs = clv_inputs([1, 1, 2, 3], ["2022-03-01", "2023-05-01", "2022-07-01", "2023-01-09"],
    ...                     [120.0, 80.0, 100.0, 100.0], period="year")
    >>> inputs.average_order_value, inputs.purchase_frequency, inputs.churn_rate
    (100.0, 1.0, 0.5)
    >>> clv_simple(inputs.average_order_value, inputs.purchase_frequency, 0.3, inputs.churn_rate)
    60.0
    """
    valid_period = check_period(period)
    customers, n_slots = customer_index(customer_ids)
    n = customers.shape[0]
    if n == 0:
        raise InvalidInputError("customer_ids must not be empty: CLV inputs need at least one transaction")
    times = record_times(timestamps, n)
    clock = calendar_clock(tz, times)
    values = _amounts(amounts, n)
    ordinals = fast_period_ordinals(clock.local(times).view(np.int64), valid_period)
    first = int(ordinals.min())
    latest = int(ordinals.max())
    last = latest if end is None else end_ordinal(end, valid_period, latest, clock)
    width = last - first + 1
    ordinals -= first  # in place: the period offsets 0..width-1 (our own array)
    rows, columns = active_pairs(customers, n_slots, ordinals, width)
    distinct = int(np.count_nonzero(np.concatenate(([True], rows[1:] != rows[:-1])))) if rows.size else 0
    return CLVInputs(
        customers=distinct,
        orders=n,
        revenue=float(values.sum()),
        active_periods=int(rows.shape[0]),
        retained=retained_pairs(rows, columns),
        active_in_last=int(np.count_nonzero(columns == width - 1)),
        last_ordinal=last,
        period=valid_period,
    )


def _amounts(amounts: Any, n_rows: int) -> NDArray[np.float64]:
    array = to_array(amounts, "amounts")
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise InvalidTypeError(f"amounts must be numbers; got dtype {array.dtype}")
    if array.shape[0] != n_rows:
        raise InvalidInputError(
            f"amounts must have the same length as customer_ids ({n_rows}); got length {array.shape[0]}"
        )
    values = array.astype(np.float64, copy=False)
    missing = np.isnan(values)
    if missing.any():
        raise InvalidInputError(f"amounts must not contain NaN; got nan at index {first_index(missing)}")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise InvalidInputError(f"amounts must be non-negative and finite; got {describe_first(values, bad)}")
    return values
