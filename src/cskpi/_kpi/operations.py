"""Contact-centre time metrics: ASA, AHT, abandonment rate, occupancy, handle time against target.

Every function validates its per-contact arrays once, sums or counts them in one
``np.bincount`` pass (per group when ``by=`` is given) and returns a frozen result
holding those sums and counts; the headline figure (``score``) derives from them,
so results of two batches merge with ``+``. Durations are float seconds
(``timedelta64`` input is converted); rates are fractions in [0, 1].

The private helpers at the top (duration and mask checks, grouped sums) are shared
with :mod:`cskpi._kpi.service_level`.
"""

from __future__ import annotations

import itertools
from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import abandoned_mask, boolean_mask, check_same_length, first_index, to_array, unwrap
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.labels import count_cells, count_true, optional_groups, sum_by_group
from .._core.results import (
    ConfidenceInterval,
    Grouped,
    Mergeable,
    param,
    rate_confidence_interval,
    single_or_grouped,
    stat,
)
from .._core.stats import divide, moments_interval
from .._core.time import duration_seconds, to_seconds

__all__ = [
    "AHT",
    "ASA",
    "AbandonmentRate",
    "HandleTimeAgainstTarget",
    "Occupancy",
    "abandonment_rate",
    "aht",
    "asa",
    "handle_time_against_target",
    "occupancy",
]

# Relative deviations (handle / target - 1) bounding the bins of
# :func:`handle_time_against_target`: 50 % under target or more, 25-50 % under, …
DEFAULT_DEVIATION_EDGES: tuple[float, ...] = (-0.5, -0.25, -0.1, 0.0, 0.1, 0.25, 0.5, 1.0)


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- ASA


@attrs.frozen(kw_only=True)
class ASA(Mergeable):
    """Average speed of answer: number of answered contacts and their total queue wait.

    Attributes
    ----------
    n_answered : int or ndarray of int
        Answered contacts (abandoned contacts are not counted).
    total_wait_seconds : float or ndarray of float
        Sum of the queue waits of the answered contacts [s].
    total_squared_wait_seconds : float or ndarray of float
        Sum of their squares [s²] (for the interval of the mean).
    """

    _headline = "score"

    n_answered: Any = stat()
    total_wait_seconds: Any = stat()
    total_squared_wait_seconds: Any = stat()

    @property
    def n(self) -> Any:
        """Number of answered contacts the mean is taken over."""
        return self.n_answered

    @property
    def score(self) -> Any:
        """ASA [s]: mean queue wait of answered contacts; NaN (with a warning) when none was answered."""
        return divide(self.total_wait_seconds, self.n_answered, "ASA")

    def confidence_interval(self, confidence_level: float = 0.95, *, method: str = "t") -> ConfidenceInterval:
        r"""Interval for the ASA [s]: $\bar x \pm c\, s / \sqrt{n}$, Student's t by default.

        ``method='t'`` takes ``c`` from Student's t with n - 1 degrees of freedom;
        ``'normal'`` the normal quantile. Waits are skewed, so with few answered
        contacts the interval is a rough guide. NaN, with an
        :class:`UndefinedMetricWarning`, for fewer than two answered contacts. See
        :func:`cskpi.mean_interval`.

        Examples
        --------
        Waits 10, 20 and 60 s: ASA 30 s, s² = 700, ``t_{0.975, 2} = 4.30265``,
        half-width 4.30265 * sqrt(700 / 3) = 65.72:

        >>> from cskpi import asa
        >>> low, high = asa([10, 20, 60]).confidence_interval()
        >>> round(low, 2), round(high, 2)
        (-35.72, 95.72)
        """
        low, high = moments_interval(
            self.n_answered,
            self.total_wait_seconds,
            self.total_squared_wait_seconds,
            confidence_level,
            method,
            "the ASA",
            "answered contacts",
        )
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)


@overload
def asa(wait_seconds: Any, *, abandoned: Any = None, by: None = None) -> ASA: ...
@overload
def asa(wait_seconds: Any, *, abandoned: Any = None, by: Any) -> Grouped[ASA]: ...
def asa(wait_seconds: Any, *, abandoned: Any = None, by: Any = None) -> ASA | Grouped[ASA]:
    r"""Average speed of answer (ASA): the mean queue wait of answered contacts.

    Parameters
    ----------
    wait_seconds : array-like of float or timedelta64, shape (n,)
        Queue wait of each offered contact [s]; for an abandoned contact, the time
        until it hung up. Must be finite and non-negative.
    abandoned : array-like of bool, shape (n,), optional
        True for contacts that abandoned; they are left out. Default: none abandoned.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (queue, channel, interval…), computed in one vectorised pass.

    Returns
    -------
    ASA or Grouped[ASA]
        ``n_answered`` and ``total_wait_seconds``; ``score`` is the ASA in seconds.
        The result merges with ``+``.

    Notes
    -----
    $$\mathrm{ASA} = \frac{\sum_{\text{answered}} \text{wait}_i}{n_\text{answered}}.$$

    Abandoned contacts never reached an agent, so they have no speed of answer and
    are excluded (their waits are time to abandon). Zero answered contacts give NaN
    with an :class:`UndefinedMetricWarning`.

    The median and 90th percentile of the answer time are order statistics: they do
    not merge across batches, so they are not part of this result. Compute them with
    :func:`answer_time_percentile` and ``abandoned_policy='exclude'`` (the same
    population as ASA), as in the example below.

    References
    ----------
    N. Gans, G. Koole and A. Mandelbaum (2003), "Telephone Call Centers: Tutorial,
    Review, and Research Prospects", Manufacturing & Service Operations Management
    5(2), 79-141 (ASA and the service-level family of answer-time measures).

    Examples
    --------
    Three answered calls waited 10, 20 and 60 s; one abandoned after 90 s:
    ASA = (10 + 20 + 60) / 3 = 30 s.

    >>> from cskpi import asa, answer_time_percentile
    >>> waits, gave_up = [10, 20, 60, 90], [False, False, False, True]
    >>> result = asa(waits, abandoned=gave_up)
    >>> result.score, result.n_answered
    (30.0, 3)
    >>> spread = answer_time_percentile(waits, quantile=[0.5, 0.9], abandoned=gave_up,
    ...                                 abandoned_policy="exclude")
    >>> spread.seconds
    array([20., 60.])
    """
    waits = to_seconds(wait_seconds, "wait_seconds")
    mask = abandoned_mask(abandoned, ("wait_seconds", waits))
    groups = optional_groups(by, waits.shape[0])
    answered = np.ones(waits.shape[0], dtype=bool) if mask is None else ~mask
    result = ASA(
        n_answered=count_true(answered, groups),
        total_wait_seconds=sum_by_group(waits, groups, answered),
        total_squared_wait_seconds=sum_by_group(waits * waits, groups, answered),
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- AHT


@attrs.frozen(kw_only=True)
class AHT(Mergeable):
    """Average handle time: handled contacts and the total of each handle-time component.

    Attributes
    ----------
    n_handled : int or ndarray of int
        Handled contacts.
    total_talk_seconds, total_hold_seconds, total_after_work_seconds : float or ndarray
        Sum of talk time, customer hold time and after-contact work [s] (0 for a
        component that was not given).
    total_squared_handle_seconds : float or ndarray
        Sum over contacts of the squared handle time (talk + hold + after-contact
        work) [s²], for the interval of the mean.
    """

    _headline = "score"
    _figures = ("mean_talk_seconds", "mean_hold_seconds", "mean_after_work_seconds")

    n_handled: Any = stat()
    total_talk_seconds: Any = stat()
    total_hold_seconds: Any = stat()
    total_after_work_seconds: Any = stat()
    total_squared_handle_seconds: Any = stat()

    @property
    def n(self) -> Any:
        """Number of handled contacts."""
        return self.n_handled

    @property
    def total_handle_seconds(self) -> Any:
        """Talk + hold + after-contact work, summed over contacts [s]."""
        return unwrap(
            np.asarray(self.total_talk_seconds, dtype=np.float64)
            + np.asarray(self.total_hold_seconds, dtype=np.float64)
            + np.asarray(self.total_after_work_seconds, dtype=np.float64)
        )

    @property
    def score(self) -> Any:
        """AHT [s]: ``(talk + hold + after-contact work) / handled``; NaN (with a warning) when n is 0."""
        return divide(self.total_handle_seconds, self.n_handled, "AHT")

    def confidence_interval(self, confidence_level: float = 0.95, *, method: str = "t") -> ConfidenceInterval:
        r"""Interval for the AHT [s]: $\bar x \pm c\, s / \sqrt{n}$, Student's t by default.

        ``s`` is the standard deviation of the per-contact handle time (talk + hold
        + after-contact work). ``method='t'`` takes ``c`` from Student's t with n - 1
        degrees of freedom; ``'normal'`` the normal quantile. NaN, with an
        :class:`UndefinedMetricWarning`, for fewer than two contacts. See
        :func:`cskpi.mean_interval`.

        Examples
        --------
        Handle times 330 and 210 s: AHT 270 s, s² = 7,200, ``t_{0.975, 1} = 12.7062``,
        half-width 12.7062 * sqrt(7200 / 2) = 762.37:

        >>> from cskpi import aht
        >>> low, high = aht([300, 200], [30, 0], [0, 10]).confidence_interval()
        >>> round(low, 2), round(high, 2)
        (-492.37, 1032.37)
        """
        low, high = moments_interval(
            self.n_handled,
            self.total_handle_seconds,
            self.total_squared_handle_seconds,
            confidence_level,
            method,
            "the AHT",
            "handled contacts",
        )
        return ConfidenceInterval(low=low, high=high, confidence_level=confidence_level, method=method)

    @property
    def mean_talk_seconds(self) -> Any:
        """Talk-time part of the AHT [s]; the three ``mean_*`` parts add up to ``score``."""
        return divide(self.total_talk_seconds, self.n_handled, "mean talk time")

    @property
    def mean_hold_seconds(self) -> Any:
        """Hold-time part of the AHT [s]."""
        return divide(self.total_hold_seconds, self.n_handled, "mean hold time")

    @property
    def mean_after_work_seconds(self) -> Any:
        """After-contact-work part of the AHT [s]."""
        return divide(self.total_after_work_seconds, self.n_handled, "mean after-contact work")


@overload
def aht(
    talk_seconds: Any, hold_seconds: Any = None, after_work_seconds: Any = None, *, by: None = None
) -> AHT: ...
@overload
def aht(
    talk_seconds: Any, hold_seconds: Any = None, after_work_seconds: Any = None, *, by: Any
) -> Grouped[AHT]: ...
def aht(
    talk_seconds: Any, hold_seconds: Any = None, after_work_seconds: Any = None, *, by: Any = None
) -> AHT | Grouped[AHT]:
    r"""Average handle time (AHT) with its talk, hold and after-contact-work breakdown.

    Parameters
    ----------
    talk_seconds : array-like of float or timedelta64, shape (n,)
        Talk time of each handled contact [s] (time connected with the customer,
        excluding hold).
    hold_seconds : array-like of float or timedelta64, shape (n,), optional
        Time the customer was put on hold by the agent [s]. Omitted: counted as 0
        (use this when the platform's talk time already includes hold).
    after_work_seconds : array-like of float or timedelta64, shape (n,), optional
        After-contact work (wrap-up) [s]. Omitted: counted as 0.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (agent, team, channel…), computed in one vectorised pass.

    Returns
    -------
    AHT or Grouped[AHT]
        ``n_handled`` and the total of each component; ``score`` is the AHT in
        seconds, ``mean_talk_seconds``, ``mean_hold_seconds`` and
        ``mean_after_work_seconds`` its parts. Merges with ``+``.

    Notes
    -----
    $$\mathrm{AHT} = \frac{\sum \text{talk} + \sum \text{hold}
    + \sum \text{after-contact work}}{n_\text{handled}},$$

    the definition used by contact-centre platforms (e.g. Genesys Cloud's "average
    handle time", which adds dialing time for outbound calls — pass it as part of
    talk time if wanted). Every row is one handled contact. All components must be
    finite and non-negative; NaN raises. Zero contacts give NaN with an
    :class:`UndefinedMetricWarning`.

    References
    ----------
    B. Cleveland (2012), *Call Center Management on Fast Forward*, 3rd ed., ICMI
    Press (handle time = talk time + after-call work, hold included in talk time or
    counted separately). Genesys Cloud Resource Center, glossary entry "average
    handle time (AHT)".

    Examples
    --------
    Two calls: 300 s talk + 30 s hold + 60 s wrap, and 200 + 0 + 10:
    AHT = (500 + 30 + 70) / 2 = 300 s, of which 250 s talk.

    >>> from cskpi import aht
    >>> result = aht([300, 200], [30, 0], [60, 10])
    >>> result.score, result.mean_talk_seconds, result.mean_hold_seconds, result.mean_after_work_seconds
    (300.0, 250.0, 15.0, 35.0)
    >>> aht([300, 200, 100], by=["ann", "ann", "bob"]).score.tolist()
    [250.0, 100.0]
    """
    talk = to_seconds(talk_seconds, "talk_seconds")
    components: list[NDArray[np.float64] | None] = []
    for values, name in ((hold_seconds, "hold_seconds"), (after_work_seconds, "after_work_seconds")):
        if values is None:
            components.append(None)
            continue
        component = to_seconds(values, name)
        check_same_length(("talk_seconds", talk), (name, component))
        components.append(component)
    groups = optional_groups(by, talk.shape[0])
    zero = 0.0 if groups is None else np.zeros(groups.n_groups)
    hold, after_work = components
    handle = talk.copy()
    for part in components:
        if part is not None:
            handle += part
    result = AHT(
        n_handled=count_true(np.ones(talk.shape[0], dtype=bool), groups),
        total_talk_seconds=sum_by_group(talk, groups),
        total_hold_seconds=zero if hold is None else sum_by_group(hold, groups),
        total_after_work_seconds=zero if after_work is None else sum_by_group(after_work, groups),
        total_squared_handle_seconds=sum_by_group(handle * handle, groups),
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- abandonment


@attrs.frozen(kw_only=True)
class AbandonmentRate(Mergeable):
    """Offered and abandoned contacts, with the short abandons counted separately.

    Attributes
    ----------
    n_offered : int or ndarray of int
        Contacts offered to the queue (answered + abandoned).
    n_abandoned : int or ndarray of int
        Contacts that abandoned, short abandons included.
    n_abandoned_short : int or ndarray of int
        Contacts that abandoned after waiting less than ``short_abandon_seconds``
        (0 when it is None).
    short_abandon_seconds : float or None
        Short-abandon time [s]; when set, short abandons are left out of the rate.
    """

    _headline = "score"
    _figures = ("n_counted_abandoned",)

    n_offered: Any = stat()
    n_abandoned: Any = stat()
    n_abandoned_short: Any = stat()
    short_abandon_seconds: float | None = param()

    def _parts(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        abandoned = np.asarray(self.n_abandoned, dtype=np.int64)
        offered = np.asarray(self.n_offered, dtype=np.int64)
        if self.short_abandon_seconds is None:
            return abandoned, offered
        short = np.asarray(self.n_abandoned_short, dtype=np.int64)
        return abandoned - short, offered - short

    @property
    def n(self) -> Any:
        """Contacts the rate is taken over: offered, minus short abandons when they are excluded."""
        return unwrap(self._parts()[1])

    @property
    def n_counted_abandoned(self) -> Any:
        """Abandons counted in the rate: all abandons, minus short abandons when they are excluded."""
        return unwrap(self._parts()[0])

    @property
    def score(self) -> Any:
        """Abandonment rate in [0, 1]; NaN (with a warning) when no contact is counted."""
        abandoned, offered = self._parts()
        return divide(abandoned, offered, "abandonment rate")

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Interval for the abandonment rate, in [0, 1] (NaN when n is 0); Wilson by default.

        Parameters
        ----------
        confidence_level : float, default 0.95
            Two-sided level in (0, 1).
        method : {'wilson', 'agresti-coull', 'clopper-pearson', 'jeffreys'}, default 'wilson'
            See :func:`cskpi.rate_interval`.

        Examples
        --------
        6 abandons out of 100 counted contacts at 95 %: [0.028, 0.125].

        >>> from cskpi import abandonment_rate
        >>> ci = abandonment_rate([True] * 6 + [False] * 94).confidence_interval()
        >>> round(ci.low, 3), round(ci.high, 3)
        (0.028, 0.125)
        """
        abandoned, offered = self._parts()
        return rate_confidence_interval(abandoned, offered, confidence_level, method)


@overload
def abandonment_rate(
    abandoned: Any, *, wait_seconds: Any = None, short_abandon_seconds: Any = None, by: None = None
) -> AbandonmentRate: ...
@overload
def abandonment_rate(
    abandoned: Any, *, wait_seconds: Any = None, short_abandon_seconds: Any = None, by: Any
) -> Grouped[AbandonmentRate]: ...
def abandonment_rate(
    abandoned: Any, *, wait_seconds: Any = None, short_abandon_seconds: Any = None, by: Any = None
) -> AbandonmentRate | Grouped[AbandonmentRate]:
    r"""Abandonment rate: abandoned contacts over offered contacts, optionally without short abandons.

    Parameters
    ----------
    abandoned : array-like of bool, shape (n,)
        One entry per offered contact, True when it abandoned (hung up or left the
        chat before an agent answered). Must be boolean: 0/1 integers raise.
    wait_seconds : array-like of float or timedelta64, shape (n,), optional
        Queue wait of each contact [s] (for an abandoned contact, the time until it
        hung up). Needed only with ``short_abandon_seconds``.
    short_abandon_seconds : float or timedelta64, optional
        Abandons after a wait strictly shorter than this [s] are "short abandons"
        (misdials, callers who hang up at once) and are removed from the numerator
        *and* the denominator, as if they had not been offered. Default: count every
        abandon.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels, computed in one vectorised pass.

    Returns
    -------
    AbandonmentRate or Grouped[AbandonmentRate]
        ``n_offered``, ``n_abandoned``, ``n_abandoned_short``; ``score`` is the rate in
        [0, 1] and ``confidence_interval()`` its Wilson interval. Merges with ``+``.

    Notes
    -----
    $\text{rate} = n_\text{abandoned} / n_\text{offered}$; with short abandons excluded,
    $\text{rate} = (n_\text{abandoned} - n_\text{short}) / (n_\text{offered} - n_\text{short})$.
    Removing short abandons from the numerator only would count them as offered contacts that were served, and
    lower the rate for no reason; platforms with a short-abandon timer (Cisco
    Unified CCE) drop them from both. Zero counted contacts give NaN with
    an :class:`UndefinedMetricWarning`.

    References
    ----------
    Cisco Systems, Unified ICM / Contact Center Enterprise reporting documentation,
    "Planning for short calls": the abandoned-call wait timer below which abandoned
    calls are not counted as offered. Gans, Koole and Mandelbaum (2003), MSOM 5(2), 79-141.

    Examples
    --------
    100 calls offered, 6 abandoned, 2 of them within 5 s: 6 / 100 = 6 % counting
    every abandon, (6 - 2) / (100 - 2) = 4.08 % without short abandons.

    >>> from cskpi import abandonment_rate
    >>> gave_up = [True] * 6 + [False] * 94
    >>> waits = [2, 3, 30, 45, 60, 90] + [15] * 94
    >>> abandonment_rate(gave_up).score
    0.06
    >>> round(abandonment_rate(gave_up, wait_seconds=waits, short_abandon_seconds=5).score, 4)
    0.0408
    """
    mask = boolean_mask(abandoned, "abandoned", "abandoned")
    short_limit = (
        None
        if short_abandon_seconds is None
        else duration_seconds(short_abandon_seconds, "short_abandon_seconds")
    )
    short = np.zeros(mask.shape[0], dtype=bool)
    if wait_seconds is not None:
        waits = to_seconds(wait_seconds, "wait_seconds")
        check_same_length(("abandoned", mask), ("wait_seconds", waits))
        if short_limit is not None:
            short = mask & (waits < short_limit)
    elif short_limit is not None:
        raise InvalidInputError(
            "wait_seconds must be given with short_abandon_seconds (short abandons are found from the waits)"
        )
    groups = optional_groups(by, mask.shape[0])
    result = AbandonmentRate(
        n_offered=count_true(np.ones(mask.shape[0], dtype=bool), groups),
        n_abandoned=count_true(mask, groups),
        n_abandoned_short=count_true(short, groups),
        short_abandon_seconds=short_limit,
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- occupancy


@attrs.frozen(kw_only=True)
class Occupancy(Mergeable):
    """Total handle time and total available time.

    Attributes
    ----------
    total_handle_seconds : float or ndarray
        Time spent handling contacts (talk, hold, after-contact work) [s].
    total_available_seconds : float or ndarray
        Time logged in and available for contacts, breaks excluded [s]: the time
        agents were handling contacts or waiting for one.
    """

    _headline = "score"
    _figures = ("idle_seconds",)

    total_handle_seconds: Any = stat()
    total_available_seconds: Any = stat()

    @property
    def score(self) -> Any:
        """Occupancy in [0, 1]: handle time / available time; NaN (with a warning) when there was none."""
        return divide(self.total_handle_seconds, self.total_available_seconds, "occupancy")

    @property
    def idle_seconds(self) -> Any:
        """Available time not spent handling contacts [s]."""
        return unwrap(
            np.asarray(self.total_available_seconds, dtype=np.float64)
            - np.asarray(self.total_handle_seconds, dtype=np.float64)
        )


@overload
def occupancy(handle_seconds: Any, available_seconds: Any, *, by: None = None) -> Occupancy: ...
@overload
def occupancy(handle_seconds: Any, available_seconds: Any, *, by: Any) -> Grouped[Occupancy]: ...
def occupancy(
    handle_seconds: Any, available_seconds: Any, *, by: Any = None
) -> Occupancy | Grouped[Occupancy]:
    r"""Measured occupancy: the share of available time agents spent handling contacts.

    Parameters
    ----------
    handle_seconds : array-like of float or timedelta64, shape (n,)
        Handle time (talk + hold + after-contact work) of each record [s]; a record
        is typically one agent in one interval.
    available_seconds : array-like of float or timedelta64, shape (n,)
        Time the agent was logged in and not on break, meeting or other auxiliary
        state during the same record [s]: handle time plus idle (waiting) time.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (agent, team, interval…), computed in one vectorised pass.

    Returns
    -------
    Occupancy or Grouped[Occupancy]
        The two totals; ``score`` is the occupancy as a fraction in [0, 1]
        (not a percentage) and ``idle_seconds`` the available time left idle.

    Notes
    -----
    $\text{occupancy} = \sum \text{handle time} / \sum \text{available time}$, a time-weighted ratio
    (it is not the mean of per-record ratios). Each record's handle time must not
    exceed its available time — allocate handle time to the interval in which it
    was worked — so the result is a fraction. Zero available time gives NaN with an
    :class:`UndefinedMetricWarning`.

    References
    ----------
    B. Cleveland (2012), *Call Center Management on Fast Forward*, 3rd ed., ICMI
    Press (occupancy: the share of time agents on duty spend handling contacts
    rather than waiting for them).

    Examples
    --------
    An agent handled contacts for 1,500 s of 1,800 s available in one half hour and
    1,200 s of 1,800 s in the next: 2,700 / 3,600 = 0.75.

    >>> from cskpi import occupancy
    >>> occupancy([1500, 1200], [1800, 1800]).score
    0.75
    """
    handle = to_seconds(handle_seconds, "handle_seconds")
    available = to_seconds(available_seconds, "available_seconds")
    check_same_length(("handle_seconds", handle), ("available_seconds", available))
    over = handle > available
    if over.any():
        index = first_index(over)
        raise InvalidInputError(
            f"handle_seconds must not exceed available_seconds on the same record; "
            f"got {float(handle[index])!r} > {float(available[index])!r} at index {index}"
        )
    groups = optional_groups(by, handle.shape[0])
    result = Occupancy(
        total_handle_seconds=sum_by_group(handle, groups),
        total_available_seconds=sum_by_group(available, groups),
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- handle time vs target


def _deviation_edges(edges: Any) -> tuple[float, ...]:
    array = to_array(list(edges) if isinstance(edges, tuple) else edges, "deviation_edges")
    if array.dtype.kind not in "iuf":
        raise InvalidTypeError(f"deviation_edges must be numbers; got dtype {array.dtype}")
    values = array.astype(np.float64)
    if values.shape[0] == 0:
        raise InvalidInputError("deviation_edges must hold at least one edge; got an empty sequence")
    bad = ~np.isfinite(values)
    if bad.any():
        index = first_index(bad)
        raise InvalidInputError(
            f"deviation_edges must be finite; got {float(values[index])!r} at index {index}"
        )
    unsorted = np.diff(values) <= 0
    if unsorted.any():
        after = int(np.argmax(unsorted)) + 1
        raise InvalidInputError(
            f"deviation_edges must be strictly increasing; got {float(values[after])!r} at index {after}"
        )
    return tuple(float(v) for v in values)


@attrs.frozen(kw_only=True)
class HandleTimeAgainstTarget(Mergeable):
    """Contacts within their target handle time, and the distribution of relative deviations.

    Attributes
    ----------
    n : int or ndarray of int
        Contacts.
    n_within : int or ndarray of int
        Contacts whose handle time was at most their target.
    deviation_counts : ndarray of int, shape (len(deviation_edges) + 1,) or (groups, …)
        Contacts per bin of relative deviation ``handle / target - 1``: bin 0 holds
        deviations ``<= deviation_edges[0]``, bin i deviations in
        ``(deviation_edges[i-1], deviation_edges[i]]``, the last bin those above the
        last edge.
    deviation_edges : tuple of float
        Bin edges of the relative deviation (fractions: -0.1 is 10 % under target).
    """

    _headline = "score"

    n: Any = stat()
    n_within: Any = stat()
    deviation_counts: Any = stat()
    deviation_edges: tuple[float, ...] = param()

    @property
    def score(self) -> Any:
        """Share of contacts handled within target, in [0, 1]; NaN (with a warning) when n is 0."""
        return divide(self.n_within, self.n, "share within target handle time")

    @property
    def distribution(self) -> Any:
        """Share of contacts in each deviation bin (last axis), summing to 1."""
        counts = np.asarray(self.deviation_counts, dtype=np.float64)
        return divide(counts, counts.sum(axis=-1, keepdims=True), "handle time distribution")

    @property
    def bin_labels(self) -> tuple[str, ...]:
        """Readable label of each deviation bin, e.g. ``'(-10%, 0%]'``."""
        edges = [f"{100 * e:g}%" for e in self.deviation_edges]
        inner = [f"({low}, {high}]" for low, high in itertools.pairwise(edges)]
        return (f"<= {edges[0]}", *inner, f"> {edges[-1]}")

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Interval for the share within target, in [0, 1] (NaN when n is 0); Wilson by default.

        ``method`` as in :func:`cskpi.rate_interval`.
        """
        return rate_confidence_interval(self.n_within, self.n, confidence_level, method)


@overload
def handle_time_against_target(
    handle_seconds: Any,
    target_seconds: Any,
    *,
    deviation_edges: Any = DEFAULT_DEVIATION_EDGES,
    by: None = None,
) -> HandleTimeAgainstTarget: ...
@overload
def handle_time_against_target(
    handle_seconds: Any,
    target_seconds: Any,
    *,
    deviation_edges: Any = DEFAULT_DEVIATION_EDGES,
    by: Any,
) -> Grouped[HandleTimeAgainstTarget]: ...
def handle_time_against_target(
    handle_seconds: Any,
    target_seconds: Any,
    *,
    deviation_edges: Any = DEFAULT_DEVIATION_EDGES,
    by: Any = None,
) -> HandleTimeAgainstTarget | Grouped[HandleTimeAgainstTarget]:
    r"""Time with the customer against a target handle time: share within target and spread around it.

    Parameters
    ----------
    handle_seconds : array-like of float or timedelta64, shape (n,)
        Handle (or talk) time of each contact [s].
    target_seconds : float, timedelta64 or array-like of shape (n,)
        Target handle time [s], one for all contacts or one per contact (e.g. by
        contact reason). Must be positive.
    deviation_edges : sequence of float, default (-0.5, -0.25, -0.1, 0, 0.1, 0.25, 0.5, 1)
        Strictly increasing edges of the relative-deviation bins, as fractions of the
        target (0.1 = 10 % over target). Bins are closed on the right.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (agent, team…), computed in one vectorised pass.

    Returns
    -------
    HandleTimeAgainstTarget or Grouped[HandleTimeAgainstTarget]
        ``n``, ``n_within`` and ``deviation_counts``; ``score`` is the share within
        target in [0, 1], ``distribution`` the share per bin and ``bin_labels`` the
        bins in words. Merges with ``+`` when the edges are equal.

    Notes
    -----
    A contact is within target when $\text{handle} \le \text{target}$. Its relative deviation is
    $d = (\text{handle} - \text{target}) / \text{target}$ ($d \ge -1$); bin $i$ counts
    $e_{i-1} < d \le e_i$ ($e$ the ``deviation_edges``), so with 0 among the edges the bins up to and
    including the one ending at 0 add up to ``n_within``. Relative rather than
    absolute deviations make contacts with different targets comparable.

    Examples
    --------
    Target 300 s; contacts of 240, 300, 330 and 600 s: deviations -20 %, 0 %, +10 %,
    +100 %; two of four within target.

    >>> from cskpi import handle_time_against_target
    >>> result = handle_time_against_target([240, 300, 330, 600], 300)
    >>> result.score, result.deviation_counts.tolist()
    (0.5, [0, 0, 1, 1, 1, 0, 0, 1, 0])
    >>> result.bin_labels[2], result.bin_labels[7]
    ('(-25%, -10%]', '(50%, 100%]')
    """
    handle = to_seconds(handle_seconds, "handle_seconds")
    edges = _deviation_edges(deviation_edges)
    if np.ndim(target_seconds) == 0:
        target: float | NDArray[np.float64] = duration_seconds(
            target_seconds, "target_seconds", positive=True
        )
    else:
        target = to_seconds(target_seconds, "target_seconds")
        check_same_length(("handle_seconds", handle), ("target_seconds", target))
        zero = target == 0
        if zero.any():
            raise InvalidInputError(
                f"target_seconds must be positive durations; got 0.0 at index {first_index(zero)}"
            )
    deviation = (handle - target) / target
    bins = np.searchsorted(np.asarray(edges), deviation, side="left")
    within = handle <= target
    groups = optional_groups(by, handle.shape[0])
    width = len(edges) + 1
    if groups is None:
        counts = count_cells(bins, width)
    else:
        counts = count_cells(bins, width, codes=groups.codes, n_groups=groups.n_groups)
    result = HandleTimeAgainstTarget(
        n=count_true(np.ones(handle.shape[0], dtype=bool), groups),
        n_within=count_true(within, groups),
        deviation_counts=counts,
        deviation_edges=edges,
    )
    return single_or_grouped(result, groups)
