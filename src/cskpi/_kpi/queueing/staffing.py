"""Staffing: the fewest agents (or lines) that meet a target, for many intervals at once.

The search is vectorised over intervals: each interval starts at the smallest
stable staffing (the first whole number above the traffic, or above
``traffic / max_occupancy``), evaluates Erlang B exactly there once (see
:func:`cskpi.erlang_b`), and then steps up one agent at a time with the forward
recursion ``B(n) = A B(n-1) / (n + A B(n-1))`` for all unfinished intervals
together, until each meets its target. The service level, ASA and blocking all
improve monotonically with each extra agent, so the first staffing that meets the
target is the smallest one. The number of steps is ``O(sqrt(A))`` per interval (the
square-root staffing law), each step a handful of array operations; there is no
Python loop over intervals.

With ``patience_seconds`` (Erlang A) the figures are not one recursion step apart,
and the staffing may lie below the traffic: the search brackets the answer for all
intervals at once (a lower bound from the carried load, one probe two square roots
below the traffic, an upper end grown in doubling steps) and bisects, each step one
evaluation of the model for the intervals still open (see :func:`agents_required`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from ..._core.checks import unwrap
from ..._core.errors import InvalidInputError
from ..._core.results import ARRAY_EQ, Tabular
from .erlang import (
    FloatArray,
    blocking,
    broadcast,
    check_traffic,
    fraction,
    nonnegative,
    occupancy,
    positive,
    traffic_values,
    waiting,
    whole,
)
from .erlang_a import Model, check_patience_load, occupancy_a
from .gamma import regularized_gamma

__all__ = [
    "Staffing",
    "agents_required",
    "agents_required_for_asa",
    "lines_required",
    "scheduled_agents",
    "square_root_staffing",
]

# A quotient within this relative distance of a whole number counts as that number
# when rounding up, so that 14 / (1 - 0.3) = 20.000000000000004 schedules 20, not 21.
_ROUNDING_TOLERANCE = 1e-9


def _ceil(x: FloatArray) -> FloatArray:
    nearest = np.round(x)
    close = np.abs(x - nearest) <= _ROUNDING_TOLERANCE * np.maximum(np.abs(x), 1.0)
    out: FloatArray = np.where(close, nearest, np.ceil(x))
    return out


@attrs.frozen(kw_only=True)
class Staffing(Tabular):
    """Agents required per interval and the queueing forecast at that staffing.

    The forecast is Erlang C, or Erlang A when the search was given
    ``patience_seconds`` (callers abandon).

    Every field is a Python scalar for one interval and an array (the broadcast
    shape of the arguments) for many. Staffing is not additive, so this result does
    not merge with ``+``.

    Attributes
    ----------
    traffic : float or ndarray
        Offered traffic [Erlangs].
    agents : int or ndarray of int64
        Smallest number of agents on the phones that meets the target.
    fractional_agents : float or ndarray
        Agents at which the target is met exactly, in ``(agents - 1, agents]``: for
        each target not met at ``agents - 1``, the point where the straight line
        between its figures at ``agents - 1`` and ``agents`` crosses the target; the
        largest such point. ``agents`` itself where a figure is undefined or
        infinite at ``agents - 1`` (an unstable Erlang C queue, no agents); 0 for an
        interval with no traffic.
    scheduled_agents : int or ndarray of int64
        ``agents`` grossed up for shrinkage (see :func:`scheduled_agents`).
    probability_of_waiting : float or ndarray
        Erlang C (or :func:`~cskpi.erlang_a`) at ``agents``, in [0, 1].
    service_level : float or ndarray or None
        Share of calls answered within ``threshold_seconds`` at ``agents``, in [0, 1]
        (with abandonment: answered within the threshold over offered, formula 3 of
        :func:`~cskpi.service_level`); None when no threshold was given.
    asa_seconds : float or ndarray
        Average speed of answer [s] of answered calls at ``agents``.
    abandonment_rate : float or ndarray or None
        Share of offered calls that abandon at ``agents`` (Erlang A); None for Erlang C,
        where nobody abandons.
    occupancy : float or ndarray
        Carried load over agents (``traffic / agents`` for Erlang C), in [0, 1]; NaN
        for an interval with no traffic (and so no agents).
    threshold_seconds : float or ndarray or None
        The service-level threshold [s] the figures refer to.
    shrinkage : float or ndarray
        The shrinkage used for ``scheduled_agents``.
    patience_seconds : float or ndarray or None
        Mean caller patience [s] of the Erlang A model; None for Erlang C.
    """

    _headline = "agents"
    _axes = (("", "interval"),)

    traffic: Any = attrs.field(eq=ARRAY_EQ)
    agents: Any = attrs.field(eq=ARRAY_EQ)
    fractional_agents: Any = attrs.field(eq=ARRAY_EQ)
    scheduled_agents: Any = attrs.field(eq=ARRAY_EQ)
    probability_of_waiting: Any = attrs.field(eq=ARRAY_EQ)
    service_level: Any = attrs.field(eq=ARRAY_EQ)
    asa_seconds: Any = attrs.field(eq=ARRAY_EQ)
    abandonment_rate: Any = attrs.field(eq=ARRAY_EQ)
    occupancy: Any = attrs.field(eq=ARRAY_EQ)
    threshold_seconds: Any = attrs.field(eq=ARRAY_EQ)
    shrinkage: Any = attrs.field(eq=ARRAY_EQ)
    patience_seconds: Any = attrs.field(eq=ARRAY_EQ)


@overload
def scheduled_agents(agents: float, *, shrinkage: float) -> int: ...
@overload
def scheduled_agents(agents: NDArray[Any], *, shrinkage: Any) -> NDArray[np.int64]: ...
@overload
def scheduled_agents(agents: Any, *, shrinkage: Any) -> int | NDArray[np.int64]: ...
def scheduled_agents(agents: Any, *, shrinkage: Any) -> Any:  # the overloads above give the types
    """Agents to schedule so that enough remain on the phones after shrinkage.

    Parameters
    ----------
    agents : int or array-like of int
        Agents required on the phones (for example :attr:`Staffing.agents`), >= 0.
    shrinkage : float or array-like
        Fraction in [0, 1) of paid time not available for calls (breaks, training,
        absence, meetings); broadcasts against ``agents``. 1 or more raises.

    Returns
    -------
    int or ndarray of int64
        ``ceil(agents / (1 - shrinkage))``. A quotient within 1e-9 (relative) of a
        whole number is that number, so floating-point noise never adds an agent.

    Notes
    -----
    Shrinkage is applied after the queueing model, as a separate step: the model
    says how many agents must be answering calls; shrinkage says how many must be
    paid for that (Cleveland 2012, ch. 6, "rostered staff factor").

    References
    ----------
    B. Cleveland (2012), *Call Center Management on Fast Forward*, 3rd ed., ICMI Press.

    Examples
    --------
    14 agents with 30% shrinkage: 14 / 0.7 = 20 scheduled.

    >>> from cskpi import scheduled_agents
    >>> scheduled_agents(14, shrinkage=0.3)
    20
    >>> scheduled_agents([14, 15], shrinkage=0.3).tolist()  # 15 / 0.7 = 21.4 -> 22
    [20, 22]
    """
    n = whole(agents, "agents")
    s = fraction(shrinkage, "shrinkage", high_open=True)
    n, s = broadcast(agents=n, shrinkage=s)
    return unwrap(_ceil(n / (1.0 - s)).astype(np.int64))


Criterion = Callable[..., NDArray[np.bool_]]


def _walk(
    a: FloatArray, n: FloatArray, meets: Criterion, params: tuple[FloatArray, ...]
) -> tuple[FloatArray, FloatArray]:
    """Smallest ``n' >= n`` per element with ``meets(a, n', B(n', a), *params)``.

    ``meets`` must be monotone in ``n`` (False then True). All arguments are 1-D.
    Returns ``n'`` and ``B(n', a)``.
    """
    b = blocking(a, n)
    n, b = n.copy(), b.copy()
    live = np.flatnonzero(~meets(a, n, b, *params))
    la, ln, lb = a[live], n[live], b[live]
    lp = tuple(p[live] for p in params)
    while live.size:
        ln = ln + 1.0
        lb = la * lb / (ln + la * lb)
        ok = meets(la, ln, lb, *lp)
        if ok.any():
            done = live[ok]
            n[done], b[done] = ln[ok], lb[ok]
            keep = ~ok
            live, la, ln, lb = live[keep], la[keep], ln[keep], lb[keep]
            lp = tuple(p[keep] for p in lp)
    return n, b


def _meets_service_level(
    a: FloatArray, n: FloatArray, b: FloatArray, target: FloatArray, rate_factor: FloatArray
) -> NDArray[np.bool_]:
    # rate_factor = threshold / AHT; n > a always holds on the walk.
    c = waiting(a, n, b)
    result: NDArray[np.bool_] = 1.0 - c * np.exp(-(n - a) * rate_factor) >= target
    return result


def _meets_asa(a: FloatArray, n: FloatArray, b: FloatArray, target_over_aht: FloatArray) -> NDArray[np.bool_]:
    c = waiting(a, n, b)
    result: NDArray[np.bool_] = c <= target_over_aht * (n - a)
    return result


def _meets_blocking(a: FloatArray, n: FloatArray, b: FloatArray, target: FloatArray) -> NDArray[np.bool_]:
    result: NDArray[np.bool_] = b <= target
    return result


Target = tuple[str, FloatArray, bool]  # figure name, target, True if the figure must be >= target


def _meets(figures: dict[str, FloatArray], targets: list[Target]) -> NDArray[np.bool_]:
    ok = np.ones(next(iter(figures.values())).shape, dtype=bool)
    for name, target, increasing in targets:
        value = figures[name]
        ok &= value >= target if increasing else value <= target  # NaN never meets
    return ok


def _fractional(
    n: FloatArray, before: dict[str, FloatArray], at: dict[str, FloatArray], targets: list[Target]
) -> FloatArray:
    """The documented rule of :attr:`Staffing.fractional_agents` (1-D, ``n >= 1``)."""
    out = n - 1.0
    for name, target, increasing in targets:
        low, high = before[name], at[name]
        missed = ~(low >= target) if increasing else ~(low <= target)
        with np.errstate(divide="ignore", invalid="ignore"):
            point = n - 1.0 + (target - low) / (high - low)
        point = np.where(np.isfinite(low) & np.isfinite(point), np.clip(point, n - 1.0, n), n)
        out = np.where(missed, np.maximum(out, point), out)
    return out


def _erlang_c_figures(
    a: FloatArray, n: FloatArray, b: FloatArray, t: FloatArray | None, h: FloatArray
) -> dict[str, FloatArray]:
    """Service level, ASA and occupancy of Erlang C (their unstable limits where ``n <= a``)."""
    stable = n > a
    c = waiting(a, n, b)
    gap = np.where(stable, n - a, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        figures = {
            "asa": np.where(stable, c * h / gap, np.inf),
            "occupancy": a / n,
            "waiting": c,
        }
        if t is not None:
            figures["service_level"] = np.where(
                stable, np.clip(1.0 - c * np.exp(-gap * t / h), 0.0, 1.0), 0.0
            )
    return figures


def _erlang_a_figures(
    a: FloatArray, n: FloatArray, h: FloatArray, p: FloatArray, t: FloatArray | None, names: set[str]
) -> dict[str, FloatArray]:
    """The Erlang A figures named in ``names`` (``n >= 1`` or undefined figures are NaN)."""
    model = Model(a, n, h, p)
    abandonment = model.p_abandon()
    with np.errstate(divide="ignore", invalid="ignore"):
        figures = {"abandonment": abandonment, "occupancy": np.minimum(a * (1.0 - abandonment) / n, 1.0)}
    if "waiting" in names:
        figures["waiting"] = model.p_wait()
    if "service_level" in names and t is not None:
        figures["service_level"] = model.within(t)[0]
    if "asa" in names:
        figures["asa"] = model.answered_wait()
    return figures


def _search(
    evaluate: Callable[[NDArray[np.intp], FloatArray], NDArray[np.bool_]], low: FloatArray, high: FloatArray
) -> FloatArray:
    """Smallest ``n`` with ``evaluate`` True per row, for a criterion monotone in ``n``.

    ``low`` must fail (or be below the smallest allowed staffing) and ``high > low``.
    The upper end grows in doubling steps until every row meets its target, then
    the bracket is bisected: about ``2 log2(sqrt(A))`` evaluations for all rows.
    """
    low, high = low.copy(), high.copy()
    step = np.maximum(np.ceil(np.sqrt(high)), 1.0)
    live = np.arange(low.size)
    while live.size:
        ok = evaluate(live, high[live])
        missed = live[~ok]
        low[missed] = high[missed]
        high[missed] += step[missed]
        step[missed] *= 2.0
        live = missed
    live = np.flatnonzero(high - low > 1.0)
    while live.size:
        mid = np.floor((low[live] + high[live]) / 2.0)
        ok = evaluate(live, mid)
        high[live[ok]] = mid[ok]
        low[live[~ok]] = mid[~ok]
        live = live[high[live] - low[live] > 1.0]
    return high


def _staff(
    calls: Any,
    aht_seconds: Any,
    interval_seconds: Any,
    *,
    targets: dict[str, FloatArray],
    threshold_seconds: Any,
    max_occupancy: Any,
    shrinkage: Any,
    criterion: str,
    patience_seconds: Any = None,
    max_abandonment: Any = None,
) -> Staffing:
    """Validate, broadcast and run the staffing search for a service-level or ASA target."""
    named = {
        "calls": nonnegative(calls, "calls"),
        "aht_seconds": positive(aht_seconds, "aht_seconds"),
        "interval_seconds": positive(interval_seconds, "interval_seconds"),
        **targets,
        "shrinkage": fraction(shrinkage, "shrinkage", high_open=True),
    }
    if threshold_seconds is not None:
        named["threshold_seconds"] = nonnegative(threshold_seconds, "threshold_seconds")
    if max_occupancy is not None:
        named["max_occupancy"] = fraction(max_occupancy, "max_occupancy", low_open=True)
    if patience_seconds is not None:
        named["patience_seconds"] = positive(patience_seconds, "patience_seconds")
    if max_abandonment is not None:
        if patience_seconds is None:
            raise InvalidInputError(
                "max_abandonment needs patience_seconds (without it the model is Erlang C, where "
                "nobody abandons); got patience_seconds=None"
            )
        named["max_abandonment"] = fraction(max_abandonment, "max_abandonment", low_open=True)
    arrays = dict(zip(named, broadcast(**named), strict=True))
    shape = arrays["calls"].shape
    flat = {name: array.reshape(-1) for name, array in arrays.items()}
    h = flat["aht_seconds"]
    a = flat["calls"] * h / flat["interval_seconds"]
    check_traffic(a, "calls * aht_seconds / interval_seconds")
    t = flat.get("threshold_seconds")

    rules: list[Target] = [
        (
            criterion,
            flat["service_level" if criterion == "service_level" else "asa_seconds"],
            criterion == "service_level",
        )
    ]
    if "max_occupancy" in flat:
        rules.append(("occupancy", flat["max_occupancy"], False))
    if "max_abandonment" in flat:
        rules.append(("abandonment", flat["max_abandonment"], False))

    busy = a > 0.0
    ab, hb = a[busy], h[busy]
    tb = None if t is None else t[busy]
    rules_b = [(name, target[busy], up) for name, target, up in rules]
    agents = np.zeros_like(a)
    fractional = np.zeros_like(a)
    if "patience_seconds" in flat:
        p = flat["patience_seconds"]
        with np.errstate(over="ignore"):  # an overflow to inf is refused by the check
            check_patience_load(a * p / h)
        pb = p[busy]
        names = {name for name, _, _ in rules}

        def evaluate(rows: NDArray[np.intp], n: FloatArray) -> NDArray[np.bool_]:
            trows = None if tb is None else tb[rows]
            figures = _erlang_a_figures(ab[rows], n, hb[rows], pb[rows], trows, names)
            return _meets(figures, [(name, target[rows], up) for name, target, up in rules_b])

        # Carried load A (1 - P(Ab)) is below N and at least A SL(T): N <= A SL or
        # N <= A (1 - max_abandonment) cannot meet the target.
        low = np.zeros_like(ab)
        if criterion == "service_level":
            low = np.maximum(low, np.ceil(ab * flat["service_level"][busy]) - 1.0)
        if "max_abandonment" in flat:
            low = np.maximum(low, np.ceil(ab * (1.0 - flat["max_abandonment"][busy])) - 1.0)
        # One probe two square roots below the traffic narrows most brackets to ~2 sqrt(A).
        probe = np.maximum(low + 1.0, np.floor(ab - 2.0 * np.sqrt(ab)))
        met = evaluate(np.arange(ab.size), probe)
        high = np.where(met, probe, np.maximum(probe + 1.0, np.ceil(ab)))
        nb = _search(evaluate, np.where(met, low, probe), high)
        before = _erlang_a_figures(ab, nb - 1.0, hb, pb, tb, names)
        at = _erlang_a_figures(ab, nb, hb, pb, tb, names | {"waiting", "asa", "service_level"})
        fractional[busy] = _fractional(nb, before, at, rules_b)
        agents[busy] = nb
        c, asa, ab_rate = np.zeros_like(a), np.zeros_like(a), np.zeros_like(a)
        c[busy], asa[busy], ab_rate[busy] = at["waiting"], at["asa"], at["abandonment"]
        abandonment = unwrap(ab_rate.reshape(shape))
        sl = None
        if t is not None:
            sl = np.ones_like(a)
            sl[busy] = at["service_level"]
        occ = occupancy_a(a, agents, ab_rate)
    else:
        start = np.floor(ab) + 1.0  # the smallest stable staffing
        if "max_occupancy" in flat:
            start = np.maximum(start, _ceil(ab / flat["max_occupancy"][busy]))
        if criterion == "service_level":
            rate_factor = flat["threshold_seconds"][busy] / hb
            nb, bb = _walk(ab, start, _meets_service_level, (flat["service_level"][busy], rate_factor))
        else:
            nb, bb = _walk(ab, start, _meets_asa, (flat["asa_seconds"][busy] / hb,))
        before = _erlang_c_figures(ab, nb - 1.0, blocking(ab, nb - 1.0), tb, hb)
        at = _erlang_c_figures(ab, nb, bb, tb, hb)
        # Stability (N > A) is a constraint of its own: the continuous staffing is at least A.
        fractional[busy] = np.maximum(_fractional(nb, before, at, rules_b), ab)
        agents[busy] = nb
        c = np.zeros_like(a)
        c[busy] = at["waiting"]
        asa = np.zeros_like(a)
        asa[busy] = at["asa"]
        abandonment = None
        sl = None
        if t is not None:
            sl = np.ones_like(a)
            sl[busy] = at["service_level"]
        occ = occupancy(a, agents)
    shrink = flat["shrinkage"]
    return Staffing(
        traffic=unwrap(a.reshape(shape)),
        agents=unwrap(agents.astype(np.int64).reshape(shape)),
        fractional_agents=unwrap(fractional.reshape(shape)),
        scheduled_agents=unwrap(_ceil(agents / (1.0 - shrink)).astype(np.int64).reshape(shape)),
        probability_of_waiting=unwrap(c.reshape(shape)),
        service_level=None if sl is None else unwrap(sl.reshape(shape)),
        asa_seconds=unwrap(asa.reshape(shape)),
        abandonment_rate=abandonment,
        occupancy=unwrap(occ.reshape(shape)),
        threshold_seconds=None if threshold_seconds is None else unwrap(arrays["threshold_seconds"]),
        shrinkage=unwrap(arrays["shrinkage"]),
        patience_seconds=None if patience_seconds is None else unwrap(arrays["patience_seconds"]),
    )


def agents_required(
    calls: Any,
    aht_seconds: Any,
    interval_seconds: Any,
    *,
    service_level: Any,
    threshold_seconds: Any,
    patience_seconds: Any = None,
    max_abandonment: Any = None,
    max_occupancy: Any = None,
    shrinkage: Any = 0.0,
) -> Staffing:
    r"""Fewest agents that answer a share of calls within a threshold (Erlang C or A), per interval.

    Parameters
    ----------
    calls : float or array-like
        Calls offered per interval, >= 0 (a week of half-hour forecasts is one
        array; fractional forecasts are fine).
    aht_seconds : float or array-like
        Average handle time [s], > 0.
    interval_seconds : float or array-like
        Interval length [s], > 0.
    service_level : float or array-like
        Target share of calls answered within ``threshold_seconds``, in [0, 1)
        (0.8 for "80% in 20 seconds"). 1 raises: no finite staffing answers every
        call within a finite time.
    threshold_seconds : float or array-like
        The answer-time threshold [s], >= 0.
    patience_seconds : float or array-like, optional
        Mean caller patience [s], > 0. If given, the model is Erlang A (callers
        abandon, see :func:`erlang_a`) and the service level is answered within the
        threshold over offered (formula 3 of :func:`service_level`); None (the
        default) is Erlang C.
    max_abandonment : float or array-like, optional
        If given (with ``patience_seconds``), also require an abandonment rate of at
        most this fraction, in (0, 1].
    max_occupancy : float or array-like, optional
        If given, also require occupancy (carried load over agents; ``traffic / agents``
        for Erlang C) ``<= max_occupancy``, in (0, 1]. None (the default) applies no
        occupancy cap.
    shrinkage : float or array-like, default 0
        Fraction in [0, 1) of paid time not on calls, used only for
        ``scheduled_agents`` (see :func:`scheduled_agents`); 1 or more raises.

    Returns
    -------
    Staffing
        ``agents`` (on the phones), ``fractional_agents`` (where the target is met
        exactly, see :class:`Staffing`), ``scheduled_agents``, and the forecast at
        ``agents``; scalars for scalar input, arrays of the broadcast shape otherwise.
        An interval with no calls needs 0 agents (probability of waiting 0, service
        level 1, ASA 0; occupancy NaN with :class:`~cskpi.UndefinedMetricWarning`).

    Notes
    -----
    $$\text{agents} = \min \left\{ N > A :
    1 - C(N, A)\, e^{-(N - A)\, T / \mathrm{AHT}} \ge \mathrm{SL} \right\}$$

    with $A = \text{calls} \cdot \mathrm{AHT} / \text{interval}$ (:func:`traffic_intensity`) and
    $C$ Erlang C (:func:`erlang_c`), the standard Erlang C staffing of Gans, Koole &
    Mandelbaum (2003, sec. 4.1); with ``max_occupancy`` also $N \ge A / \text{max occupancy}$.
    All intervals are solved together (see the module notes): one exact Erlang B
    evaluation at the smallest stable staffing, then one-agent steps with the
    forward Erlang B recursion, about $\sqrt{A}$ of them.

    With ``patience_seconds`` the target is $\mathrm{Ans}(T) \ge \mathrm{SL}$ with $\mathrm{Ans}(T)$ of
    :func:`erlang_a_service_level` (and $P(\mathrm{Ab}) \le$ ``max_abandonment``,
    $A (1 - P(\mathrm{Ab})) / N \le$ ``max_occupancy`` when given). Erlang A is stable at any
    staffing, so the answer can lie below the traffic. The search brackets the answer
    for all intervals at once, from the lower bound $N > A \cdot \mathrm{SL}$ (the carried load
    $A (1 - P(\mathrm{Ab})) \ge A \cdot \mathrm{Ans}(T)$ is below $N$) and an upper end grown in doubling
    steps, then bisects: every figure is monotone in $N$.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum (2003), "Telephone call centers: tutorial,
    review, and research prospects", Manufacturing & Service Operations Management 5(2).
    G. Koole (2013), *Call Center Optimization*, MG books, ch. 5.

    Examples
    --------
    The textbook case: 100 calls in 30 minutes, AHT 3 minutes (10 Erlangs), 80% in
    20 s. 13 agents give a service level of 0.796; 14 give 0.888.

    >>> from cskpi import agents_required
    >>> s = agents_required(100, 180, 1800, service_level=0.8, threshold_seconds=20, shrinkage=0.3)
    >>> s.agents, s.scheduled_agents, round(s.service_level, 3), round(s.asa_seconds, 1)
    (14, 20, 0.888, 7.8)
    >>> agents_required([10, 100, 1000], 180, 1800, service_level=0.8, threshold_seconds=20,
    ...                 max_occupancy=0.85).agents.tolist()
    [3, 14, 118]

    With a mean patience of 3 minutes (Erlang A) 12 agents suffice: callers who hang
    up shorten the queue for the others (5.3% of them abandon).

    >>> a = agents_required(100, 180, 1800, service_level=0.8, threshold_seconds=20, patience_seconds=180)
    >>> a.agents, round(a.service_level, 3), round(a.abandonment_rate, 3)
    (12, 0.802, 0.053)
    """
    targets = {"service_level": fraction(service_level, "service_level", high_open=True)}
    # Required here (optional only for the ASA target): None must raise, not skip the check.
    nonnegative(threshold_seconds, "threshold_seconds")
    return _staff(
        calls,
        aht_seconds,
        interval_seconds,
        targets=targets,
        threshold_seconds=threshold_seconds,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        criterion="service_level",
        patience_seconds=patience_seconds,
        max_abandonment=max_abandonment,
    )


def agents_required_for_asa(
    calls: Any,
    aht_seconds: Any,
    interval_seconds: Any,
    *,
    asa_seconds: Any,
    threshold_seconds: Any = None,
    patience_seconds: Any = None,
    max_abandonment: Any = None,
    max_occupancy: Any = None,
    shrinkage: Any = 0.0,
) -> Staffing:
    r"""Fewest agents whose average speed of answer is at most a target (Erlang C or A), per interval.

    Parameters
    ----------
    calls, aht_seconds, interval_seconds : float or array-like
        As for :func:`agents_required`.
    asa_seconds : float or array-like
        Target average speed of answer [s], > 0 (0 cannot be met while calls arrive).
    threshold_seconds : float or array-like, optional
        If given, the result also reports the service level for this threshold [s];
        it does not affect the staffing.
    patience_seconds, max_abandonment, max_occupancy, shrinkage
        As for :func:`agents_required`; with ``patience_seconds`` the ASA is that of
        answered calls in the Erlang A model (:func:`erlang_a_asa`).

    Returns
    -------
    Staffing
        As for :func:`agents_required`; ``service_level`` is None without
        ``threshold_seconds``.

    Notes
    -----
    $$\text{agents} = \min \left\{ N > A :
    \frac{C(N, A)\, \mathrm{AHT}}{N - A} \le \text{ASA target} \right\};$$

    the ASA falls as $N$ grows, so the search of :func:`agents_required` applies
    unchanged (Erlang A: $\min \{ N \ge 1 : \mathrm{ASA}_A(N) \le \text{target} \}$ with the
    bracketing search).

    References
    ----------
    G. Koole (2013), *Call Center Optimization*, MG books, ch. 5.

    Examples
    --------
    Textbook traffic (10 Erlangs, AHT 180 s): 13 agents give ASA 17.1 s, 14 give 7.8 s.

    >>> from cskpi import agents_required_for_asa
    >>> agents_required_for_asa(100, 180, 1800, asa_seconds=10).agents
    14
    """
    targets = {"asa_seconds": positive(asa_seconds, "asa_seconds")}
    return _staff(
        calls,
        aht_seconds,
        interval_seconds,
        targets=targets,
        threshold_seconds=threshold_seconds,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        criterion="asa",
        patience_seconds=patience_seconds,
        max_abandonment=max_abandonment,
    )


@overload
def lines_required(traffic: float, *, max_blocking: float) -> int: ...
@overload
def lines_required(traffic: NDArray[Any], *, max_blocking: Any) -> NDArray[np.int64]: ...
@overload
def lines_required(traffic: Any, *, max_blocking: Any) -> int | NDArray[np.int64]: ...
def lines_required(traffic: Any, *, max_blocking: Any) -> Any:  # the overloads above give the types
    r"""Fewest lines (servers, trunks) whose Erlang B blocking is at most a target.

    Parameters
    ----------
    traffic : float or array-like
        Offered traffic [Erlangs], >= 0 (busy-hour traffic for trunk sizing).
    max_blocking : float or array-like
        Largest acceptable share of calls lost, in (0, 1] (0.01 for "grade of service
        P.01"); broadcasts against ``traffic``.

    Returns
    -------
    int or ndarray of int64
        ``min { N >= 0 : B(N, A) <= max_blocking }``; 0 where the traffic is 0.

    Notes
    -----
    $B(N, A)$ is :func:`erlang_b`. The search starts at $\lceil A (1 - \text{target}) \rceil - 1$,
    a lower bound because the carried load $A (1 - B)$ cannot exceed $N$, and
    steps up with the forward recursion $B(n) = A\, B(n-1) / (n + A\, B(n-1))$.

    References
    ----------
    R. B. Cooper (1981), *Introduction to Queueing Theory*, 2nd ed., sec. 3.4.
    ITU-T Recommendation E.520 (1988), "Number of circuits to be provided in
    automatic and/or semi-automatic operation, without overflow facilities".

    Examples
    --------
    10 Erlangs at 1% blocking need 18 lines (Erlang B table: B(17, 10) = 0.0129,
    B(18, 10) = 0.0071); 1 Erlang at 50% needs 1 line (B(1, 1) = 0.5).

    >>> from cskpi import lines_required
    >>> lines_required(10.0, max_blocking=0.01), lines_required(1.0, max_blocking=0.5)
    (18, 1)
    """
    a = traffic_values(traffic, "traffic")
    target = fraction(max_blocking, "max_blocking", low_open=True)
    a, target = broadcast(traffic=a, max_blocking=target)
    shape = a.shape
    fa, ft = a.reshape(-1), target.reshape(-1)
    lines = np.zeros_like(fa)
    busy = fa > 0.0
    start = np.maximum(np.ceil(fa[busy] * (1.0 - ft[busy])) - 1.0, 0.0)
    lines[busy], _ = _walk(fa[busy], start, _meets_blocking, (ft[busy],))
    return unwrap(lines.astype(np.int64).reshape(shape))


@overload
def square_root_staffing(
    traffic: float,
    *,
    probability_of_waiting: float,
    patience_seconds: float | None = ...,
    aht_seconds: Any = ...,
) -> float: ...
@overload
def square_root_staffing(
    traffic: NDArray[Any], *, probability_of_waiting: Any, patience_seconds: Any = ..., aht_seconds: Any = ...
) -> NDArray[np.float64]: ...
@overload
def square_root_staffing(
    traffic: Any, *, probability_of_waiting: Any, patience_seconds: Any = ..., aht_seconds: Any = ...
) -> float | NDArray[np.float64]: ...
def square_root_staffing(
    traffic: Any, *, probability_of_waiting: Any, patience_seconds: Any = None, aht_seconds: Any = None
) -> Any:  # the overloads above give the types
    r"""Square-root staffing estimate $A + \beta \sqrt{A}$ (Halfin-Whitt / Garnett approximation).

    Parameters
    ----------
    traffic : float or array-like
        Offered traffic [Erlangs], >= 0.
    probability_of_waiting : float or array-like
        Target share of calls that wait, a fraction in (0, 1); broadcasts.
    patience_seconds : float or array-like, optional
        Mean caller patience [s], > 0: the estimate is then that of Erlang A (and
        ``beta`` may be negative: fewer agents than Erlangs). None: Erlang C.
    aht_seconds : float or array-like, optional
        Average handle time [s], > 0; required with ``patience_seconds``.

    Returns
    -------
    float or ndarray
        The approximate (continuous) number of agents; round up for a staffing. An
        approximation for quick what-ifs: :func:`agents_required` is exact.

    Notes
    -----
    In the quality-and-efficiency-driven regime, with $N = A + \beta \sqrt{A}$,
    Erlang C tends to (Halfin & Whitt 1981)

    $$P(W > 0) \to \left[1 + \frac{\beta\, \Phi(\beta)}{\varphi(\beta)}\right]^{-1}$$

    and Erlang A, with $r = \sqrt{\text{patience} / \mathrm{AHT}}$ and the normal hazard rate
    $h(x) = \varphi(x) / (1 - \Phi(x))$, to (Garnett, Mandelbaum & Reiman 2002)

    $$P(W > 0) \to \left[1 + \frac{h(\beta r)}{r\, h(-\beta)}\right]^{-1},$$

    which becomes the first as $r$ grows. $\Phi$ and $\varphi$ are the standard normal
    distribution and density, $\Phi(-x) = Q(1/2, x^2 / 2) / 2$ for $x \ge 0$
    ($h(x) = x + 1/x - 2/x^3$ beyond $x = 37$, where that underflows). $\beta$
    solves the limit for the target by bisection, in log form. Compared with the exact
    staffing for $P(W > 0) \le \text{target}$ from 1 to 1,000 Erlangs at targets from 0.05
    to 0.8, the ceiling of the Erlang C estimate is the exact answer or one agent
    short; the Erlang A estimate is within 3 agents from 50 Erlangs on (see the tests).

    References
    ----------
    S. Halfin, W. Whitt (1981), "Heavy-traffic limits for queues with many exponential
    servers", Operations Research 29(3), 567-588, doi:10.1287/opre.29.3.567.
    O. Garnett, A. Mandelbaum, M. Reiman (2002), "Designing a call center with
    impatient customers", M&SOM 4(3), 208-227, doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    At ``beta = 0`` every call waits; the classic rule of thumb ``beta = 1`` corresponds to
    ``P(W > 0) = 1 / (1 + Phi(1) / phi(1)) = 1 / (1 + 0.841345 / 0.241971) = 0.22336``, so
    100 Erlangs need about 110 agents.

    >>> from cskpi import square_root_staffing
    >>> round(square_root_staffing(100.0, probability_of_waiting=0.22336), 1)
    110.0
    """
    a = traffic_values(traffic, "traffic")
    target = fraction(probability_of_waiting, "probability_of_waiting", low_open=True, high_open=True)
    named = {"traffic": a, "probability_of_waiting": target}
    if patience_seconds is not None:
        if aht_seconds is None:
            raise InvalidInputError("aht_seconds must be given with patience_seconds; got None")
        named["patience_seconds"] = positive(patience_seconds, "patience_seconds")
        named["aht_seconds"] = positive(aht_seconds, "aht_seconds")
    arrays = broadcast(**named)
    shape = arrays[0].shape
    ft = arrays[1].reshape(-1)
    goal = np.log1p(-ft) - np.log(ft)  # log(1 / alpha - 1)
    if patience_seconds is None:
        low, high = np.zeros_like(ft), np.full_like(ft, 40.0)
    else:
        r = np.sqrt(arrays[2].reshape(-1) / arrays[3].reshape(-1))
        low, high = np.full_like(ft, -40.0), np.full_like(ft, 40.0)
    for _ in range(60):  # the bracket shrinks 2**60-fold: below double precision
        beta = 0.5 * (low + high)
        if patience_seconds is None:  # log(beta Phi(beta) / phi(beta)), beta > 0
            value = np.log(beta) + _log_normal_cdf(beta) - _log_normal_pdf(beta)
        else:
            value = _log_hazard(beta * r) - np.log(r) - _log_hazard(-beta)
        above = value > goal
        high = np.where(above, beta, high)
        low = np.where(above, low, beta)
    beta = (0.5 * (low + high)).reshape(shape)
    return unwrap(arrays[0] + beta * np.sqrt(arrays[0]))


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _log_normal_pdf(x: FloatArray) -> FloatArray:
    out: FloatArray = -0.5 * x * x - _HALF_LOG_2PI
    return out


def _log_normal_cdf(x: FloatArray) -> FloatArray:
    """``log Phi(x)`` through ``Phi(-|x|) = Q(1/2, x^2 / 2) / 2``."""
    p, q = regularized_gamma(np.full_like(x, 0.5), 0.5 * x * x)
    with np.errstate(divide="ignore"):
        out: FloatArray = np.where(x >= 0.0, np.log(0.5 * (1.0 + p)), np.log(0.5 * q))
    return out


def _log_hazard(x: FloatArray) -> FloatArray:
    """``log h(x)``, ``h(x) = phi(x) / (1 - Phi(x))``; asymptotic series beyond 37."""
    far = x > 37.0
    inner = np.where(far, 0.0, x)
    out = _log_normal_pdf(inner) - _log_normal_cdf(-inner)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv2 = 1.0 / np.where(far, x * x, 1.0)
        series = np.log(np.where(far, x, 1.0)) + np.log1p(inv2 - 2.0 * inv2 * inv2)
    result: FloatArray = np.where(far, series, out)
    return result
