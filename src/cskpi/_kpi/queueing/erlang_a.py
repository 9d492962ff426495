"""Erlang A (Palm's M/M/n+M queue): callers who wait too long hang up.

Arrivals are Poisson with rate ``lambda`` (offered traffic ``A = lambda AHT``),
service times exponential with mean ``AHT``, ``n`` agents answer first come, first
served, and every caller has an exponential patience of mean ``patience_seconds``:
a caller still waiting when their patience runs out abandons. The queue is stable
for any traffic, so unlike Erlang C no staffing is "unstable".

All figures are exact, through ratios of regularized incomplete gamma functions
(see :mod:`cskpi._kpi.queueing.gamma`); they broadcast over arrays of any shape,
and scalar input gives a Python float.

Notation used in the Notes of every function: ``theta = 1 / patience``,
``x = A patience / AHT`` and ``a = n patience / AHT`` (the arrival rate and the
full service rate measured in units of the abandonment rate), ``P(a, x)`` the
regularized lower incomplete gamma function, ``g(a, x) = x^a e^(-x) / Gamma(a + 1)``,
``J = P(a, x) / g(a, x)`` and ``B = B(n, A)`` Erlang B. Then (Garnett, Mandelbaum &
Reiman 2002; Mandelbaum & Zeltyn, technical note):

* probability of waiting ``P(W > 0) = B J / (1 + (J - 1) B)``;
* the offered wait ``V`` (the wait until an agent would answer) of a delayed caller
  has ``P(V > t | V > 0) = P(a, x e^(-theta t)) / P(a, x)``;
* a caller is answered if ``V`` is below their patience, abandons otherwise; the
  observed wait is ``W = min(V, patience)``.

References
----------
O. Garnett, A. Mandelbaum, M. Reiman (2002), "Designing a call center with impatient
customers", Manufacturing & Service Operations Management 4(3), 208-227,
doi:10.1287/msom.4.3.208.7250.
A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
technical note, Technion (revised several times; no fixed year).
C. Palm (1943), "Intensitätsschwankungen im Fernsprechverkehr", Ericsson Technics 44.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, overload

import numpy as np
from numpy.typing import NDArray

from ..._core.checks import first_index, unwrap
from ..._core.errors import InvalidInputError, warn_undefined
from .erlang import (
    FloatArray,
    blocking,
    broadcast,
    nonnegative,
    positive,
    traffic_and_agents,
)
from .gamma import digamma, gamma_parts

__all__ = [
    "ERLANG_A_SERVICE_LEVEL_POLICIES",
    "erlang_a",
    "erlang_a_abandonment_rate",
    "erlang_a_asa",
    "erlang_a_mean_wait",
    "erlang_a_occupancy",
    "erlang_a_service_level",
]

ErlangAPolicy: TypeAlias = Literal[
    "abandoned_within_as_met",
    "abandoned_ignored",
    "abandoned_as_missed",
    "abandoned_within_ignored",
    "short_abandoned_as_met",
]
#: The service-level formulas of :func:`cskpi.service_level` (formula 1..5, same names),
#: all defined for the Erlang A model; formula 5 needs ``short_abandon_seconds``.
ERLANG_A_SERVICE_LEVEL_POLICIES: tuple[str, ...] = (
    "abandoned_within_as_met",
    "abandoned_ignored",
    "abandoned_as_missed",
    "abandoned_within_ignored",
    "short_abandoned_as_met",
)


# --------------------------------------------------------------------------- the model

#: Largest ``traffic * patience_seconds / aht_seconds`` accepted (the arrival rate in
#: units of the abandonment rate). The series and the ASA sum need about ``20 sqrt``
#: of it terms per interval: 2e6 at the limit, a second and some megabytes per
#: interval; beyond it a call would run for minutes and then run out of memory.
MAX_PATIENCE_LOAD = 1e10


def check_patience_load(load: FloatArray) -> None:
    """Raise for ``traffic * patience / aht`` above :data:`MAX_PATIENCE_LOAD`."""
    bad = load > MAX_PATIENCE_LOAD
    if bad.any():
        where = "" if load.ndim == 0 else f" at index {first_index(bad)}"
        value = float(load[first_index(bad)] if load.ndim else load)
        raise InvalidInputError(
            f"traffic * patience_seconds / aht_seconds must be at most {MAX_PATIENCE_LOAD:.0e} "
            f"(the Erlang A sums grow with it); got {value!r}{where}"
        )


class Model:
    """The Erlang A state of flat arrays of intervals (traffic, agents, AHT, patience).

    Computes what every figure needs once: Erlang B, ``P(a, x)``, ``1 / J``, the
    probability of waiting and of abandoning. Intervals without traffic and without
    agents are handled apart (no call waits; every call waits and abandons).
    """

    def __init__(
        self, traffic: FloatArray, agents: FloatArray, aht: FloatArray, patience: FloatArray
    ) -> None:
        self.traffic, self.agents, self.aht, self.patience = traffic, agents, aht, patience
        self.idle = traffic == 0.0
        self.empty = ~self.idle & (agents == 0.0)
        self.general = ~self.idle & ~self.empty
        g = self.general
        self.a = agents[g] * patience[g] / aht[g]
        self.x = traffic[g] * patience[g] / aht[g]
        b = blocking(traffic[g], agents[g])
        self.log_p, _, self.inv_j, self.m = gamma_parts(self.a, self.x)
        pw = b / (self.inv_j * (1.0 - b) + b)
        self.p_wait_general = pw
        self.p_abandon_general = np.minimum(pw * self.m / self.x, 1.0)

    def _fill(self, general: FloatArray, idle: float, empty: float | FloatArray) -> FloatArray:
        out = np.empty_like(self.traffic)
        out[self.idle] = idle
        out[self.empty] = empty
        out[self.general] = general
        return out

    def p_wait(self) -> FloatArray:
        return self._fill(self.p_wait_general, 0.0, 1.0)

    def p_abandon(self) -> FloatArray:
        return self._fill(self.p_abandon_general, 0.0, 1.0)

    def within(self, threshold: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``P(answered and W <= T)`` and ``P(abandoned and W <= T)`` per interval."""
        g = self.general
        t = threshold[g] / self.patience[g]  # theta T
        y0 = self.x * np.exp(-t)
        log_p0, _, inv_j0, m0 = gamma_parts(self.a, y0)
        ratio = np.exp(log_p0 - self.log_p)  # P(a, y0) / P(a, x) <= 1
        pw = self.p_wait_general
        pw_x = pw / self.x  # not a / x: that overflows for tiny traffic, where P(W > 0) ~ A
        # answered within T: 1 - P(W>0) + P(W>0) (a / x) [P(a+1, x) - P(a+1, y0)] / P(a, x)
        answered = (1.0 - pw) + pw_x * self.a * ((1.0 - self.inv_j) - ratio * (1.0 - inv_j0))
        # abandoned within T: P(W>0) / x [m(x) - R m(y0)]  (m as in gamma_parts)
        abandoned = pw_x * (self.m - ratio * m0)
        empty_abandoned = -np.expm1(-threshold[self.empty] / self.patience[self.empty])
        return (
            self._fill(np.clip(answered, 0.0, 1.0), 1.0, 0.0),
            self._fill(np.clip(abandoned, 0.0, 1.0), 0.0, empty_abandoned),
        )

    def answered_wait(self) -> FloatArray:
        """Mean wait [s] of answered callers; NaN where nobody is answered (no agents)."""
        g = self.general
        factor = _answered_wait_factor(self.a, self.x)
        answered = 1.0 - self.p_abandon_general
        with np.errstate(divide="ignore", invalid="ignore"):
            asa = self.p_wait_general * self.a * self.patience[g] * factor / answered
        return self._fill(asa, 0.0, np.nan)


def _answered_wait_factor(a: FloatArray, x: FloatArray) -> FloatArray:
    """``sum_j t_j w_j / sum_j t_j`` with ``w_j = (psi(a + j + 2) - psi(a + 1)) / (a + j + 1)``.

    ``t_j = prod_{i<=j} x / (a + i)`` is proportional to the probability that an
    arriving caller finds ``j`` callers waiting; ``a w_j / theta`` is
    ``E[V e^(-theta V)]`` for that caller. ``t_j`` is a Poisson(``x``) probability
    at ``a + j`` up to a constant, so the sum is taken over a window of 10 standard
    deviations around its mode, in log space.
    """
    out = np.empty_like(a)
    root = np.sqrt(x)
    # Terms below e^-40 of the largest are dropped: 9 standard deviations each side of
    # the mode where it is inside (x > a), and for x < a (mode at j = 0, ratios below
    # x / a) at most 40 / log(a / x) terms.
    start = np.maximum(np.floor(x - a - 9.0 * root - 5.0), 0.0)
    widths = np.ceil(18.0 * root + 20.0)
    with np.errstate(divide="ignore", over="ignore"):  # a / x is inf for negligible traffic
        geometric = np.ceil(40.0 / np.log(a / x) + 10.0)
    widths = np.where(a > x, np.minimum(widths, geometric), widths).astype(np.int64)
    order = np.argsort(widths, kind="stable")
    sorted_widths = widths[order]
    position = 0
    while position < order.size:
        # Rows sorted by width; chunks of at most 250,000 cells (or one row) stay in cache.
        cells = np.arange(1, order.size - position + 1) * sorted_widths[position:]
        stop = position + max(1, int(np.searchsorted(cells, 250_000, side="right")))
        width = int(sorted_widths[stop - 1])
        rows = order[position:stop]
        aa, xx, j0 = a[rows], x[rows], start[rows]
        j = j0[:, None] + np.arange(width)[None, :]
        # log t_j - log t_j0 = sum_{i=j0+1..j} log(x / (a + i))
        denominators = aa[:, None] + j
        steps = np.log(xx[:, None] / denominators)
        steps[:, 0] = 0.0
        log_t = np.cumsum(steps, axis=1)
        weights = np.exp(log_t - log_t.max(axis=1, keepdims=True))
        first_h = np.where(j0 > 0, digamma(aa + j0 + 2.0) - digamma(aa + 1.0), 1.0 / (aa + 1.0))
        denominators += 1.0  # a + j + 1
        inverse = 1.0 / denominators
        increments = inverse.copy()
        increments[:, 0] = first_h
        harmonic = np.cumsum(increments, axis=1)  # H_j = psi(a + j + 2) - psi(a + 1)
        weights *= inverse
        out[rows] = (weights * harmonic).sum(axis=1) / (weights * denominators).sum(axis=1)
        position = stop
    return out


def _model(
    traffic: Any, agents: Any, aht_seconds: Any, patience_seconds: Any, **more: FloatArray
) -> tuple[Model, tuple[int, ...], dict[str, FloatArray]]:
    """Validate, broadcast and flatten the arguments; the model and the flat extras."""
    a, n = traffic_and_agents(traffic, agents, "agents")
    h = positive(aht_seconds, "aht_seconds")
    p = positive(patience_seconds, "patience_seconds")
    arrays = broadcast(traffic=a, agents=n, aht_seconds=h, patience_seconds=p, **more)
    shape = arrays[0].shape
    flat = [array.reshape(-1) for array in arrays]
    with np.errstate(over="ignore"):  # an overflow to inf is refused just below
        check_patience_load(flat[0] * flat[3] / flat[2])
    extras = dict(zip(more, flat[4:], strict=True))
    return Model(*flat[:4]), shape, extras


# --------------------------------------------------------------------------- public functions


@overload
def erlang_a(traffic: float, agents: float, *, aht_seconds: float, patience_seconds: float) -> float: ...
@overload
def erlang_a(
    traffic: NDArray[Any], agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> NDArray[np.float64]: ...
@overload
def erlang_a(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> float | NDArray[np.float64]: ...
def erlang_a(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> Any:  # the overloads above give the types
    r"""Erlang A: probability that a call has to wait (M/M/n+M, callers abandon).

    Parameters
    ----------
    traffic : float or array-like
        Offered traffic [Erlangs], finite and >= 0.
    agents : int or array-like of int
        Number of agents, whole and >= 0.
    aht_seconds : float or array-like
        Average handle time [s], > 0.
    patience_seconds : float or array-like
        Mean patience of callers [s], > 0: the mean time a caller would wait before
        hanging up (exponentially distributed). All arguments broadcast.

    Returns
    -------
    float or ndarray
        Probability in [0, 1] that an arriving call finds every agent busy. 0 without
        traffic, 1 without agents.

    Notes
    -----
    With $x = A \cdot \text{patience} / \mathrm{AHT}$, $a = N \cdot \text{patience} / \mathrm{AHT}$
    and $B = B(N, A)$ (Garnett, Mandelbaum & Reiman 2002):

    $$P(W > 0) = \frac{B J}{1 + (J - 1) B}, \qquad
    J = \frac{P(a, x)}{g(a, x)} = 1 + \sum_{j \ge 1} \prod_{i=1}^{j} \frac{x}{a + i},$$

    with $P(a, x)$ the regularized lower incomplete gamma function and
    $g(a, x) = x^a e^{-x} / \Gamma(a + 1)$. $J$ sums the stationary probabilities of
    $N + j$ callers in the system relative to $N$: the birth rate is $\lambda$, the
    death rate $N / \mathrm{AHT} + j / \text{patience}$. As the patience grows the value tends to Erlang C
    (where ``N > A``); as it shrinks, to Erlang B.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman (2002), "Designing a call center with
    impatient customers", M&SOM 4(3), 208-227, doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    One agent: the chain has ``pi_0 = 1 / (1 + A J)`` and ``P(W > 0) = 1 - pi_0``.
    With ``A = 1``, AHT = patience (``x = a = 1``): ``J = sum_j 1 / (j + 1)! = e - 1``,
    so ``P(W > 0) = (e - 1) / e = 0.6321``.

    >>> from cskpi import erlang_a
    >>> round(erlang_a(1.0, 1, aht_seconds=100, patience_seconds=100), 4)
    0.6321
    """
    model, shape, _ = _model(traffic, agents, aht_seconds, patience_seconds)
    return unwrap(model.p_wait().reshape(shape))


@overload
def erlang_a_abandonment_rate(
    traffic: float, agents: float, *, aht_seconds: float, patience_seconds: float
) -> float: ...
@overload
def erlang_a_abandonment_rate(
    traffic: NDArray[Any], agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> NDArray[np.float64]: ...
@overload
def erlang_a_abandonment_rate(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> float | NDArray[np.float64]: ...
def erlang_a_abandonment_rate(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> Any:  # the overloads above give the types
    r"""Erlang A: probability that an arriving call abandons before it is answered.

    Parameters
    ----------
    traffic, agents, aht_seconds, patience_seconds
        As for :func:`erlang_a`.

    Returns
    -------
    float or ndarray
        Abandonment rate in [0, 1] (abandoned / offered). 0 without traffic, 1
        without agents.

    Notes
    -----
    $P(\mathrm{Ab}) = P(W > 0)\, P(\mathrm{Ab} \mid W > 0)$ with $\rho = A / N$ and (Garnett,
    Mandelbaum & Reiman 2002)

    $$P(\mathrm{Ab} \mid W > 0) = \frac{1}{\rho J} + 1 - \frac{1}{\rho}
    = \frac{x - a\, P(a + 1, x) / P(a, x)}{x},$$

    computed in the second form as a sum of positive terms (see
    :func:`cskpi._kpi.queueing.gamma.gamma_parts`). It equals
    $\theta\, E[W]$ (every waiting caller abandons at rate $\theta$), so
    :func:`erlang_a_mean_wait` is $\text{patience} \cdot P(\mathrm{Ab})$. As the patience shrinks to 0
    it tends to Erlang B's blocking ``B(N, A)``.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman (2002), M&SOM 4(3), doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    One agent, ``A = 1``, AHT = patience: ``pi_0 = 1 / e`` and the carried load is
    ``1 - pi_0``, so ``P(Ab) = 1 - (1 - 1/e) / A = 1 / e = 0.3679``.

    >>> from cskpi import erlang_a_abandonment_rate
    >>> round(erlang_a_abandonment_rate(1.0, 1, aht_seconds=100, patience_seconds=100), 4)
    0.3679
    """
    model, shape, _ = _model(traffic, agents, aht_seconds, patience_seconds)
    return unwrap(model.p_abandon().reshape(shape))


def _check_policy(policy: Any, short_abandon_seconds: Any) -> str:
    if not isinstance(policy, str) or policy not in ERLANG_A_SERVICE_LEVEL_POLICIES:
        raise InvalidInputError(f"policy must be one of {ERLANG_A_SERVICE_LEVEL_POLICIES}; got {policy!r}")
    if policy == "short_abandoned_as_met" and short_abandon_seconds is None:
        raise InvalidInputError(
            "short_abandon_seconds must be given with policy 'short_abandoned_as_met'; got None"
        )
    return policy


@overload
def erlang_a_service_level(
    traffic: float,
    agents: float,
    *,
    aht_seconds: float,
    patience_seconds: float,
    threshold_seconds: float,
    policy: ErlangAPolicy = ...,
    short_abandon_seconds: float | None = ...,
) -> float: ...
@overload
def erlang_a_service_level(
    traffic: NDArray[Any],
    agents: Any,
    *,
    aht_seconds: Any,
    patience_seconds: Any,
    threshold_seconds: Any,
    policy: ErlangAPolicy = ...,
    short_abandon_seconds: Any = ...,
) -> NDArray[np.float64]: ...
@overload
def erlang_a_service_level(
    traffic: Any,
    agents: Any,
    *,
    aht_seconds: Any,
    patience_seconds: Any,
    threshold_seconds: Any,
    policy: ErlangAPolicy = ...,
    short_abandon_seconds: Any = ...,
) -> float | NDArray[np.float64]: ...
def erlang_a_service_level(
    traffic: Any,
    agents: Any,
    *,
    aht_seconds: Any,
    patience_seconds: Any,
    threshold_seconds: Any,
    policy: ErlangAPolicy = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
) -> Any:  # the overloads above give the types
    r"""Erlang A forecast service level, by the published formula named in ``policy``.

    Parameters
    ----------
    traffic, agents, aht_seconds, patience_seconds
        As for :func:`erlang_a`.
    threshold_seconds : float or array-like
        Answer-time threshold ``T`` [s], >= 0.
    policy : str, default 'abandoned_as_missed'
        How abandoned calls enter the share, by the names of :func:`cskpi.service_level`
        (one of :data:`ERLANG_A_SERVICE_LEVEL_POLICIES`); see Notes.
    short_abandon_seconds : float or array-like, optional
        Short-abandon time ``S`` [s], >= 0; required by ``'short_abandoned_as_met'``.

    Returns
    -------
    float or ndarray
        Service level in [0, 1]; all arguments broadcast. For ``'abandoned_ignored'``
        with no agents (no call is answered) NaN with
        :class:`~cskpi.UndefinedMetricWarning`.

    Notes
    -----
    With $\mathrm{Ans}(T) = P(\text{answered}, W \le T)$, $\mathrm{Ab}(T) = P(\text{abandoned}, W \le T)$
    and $\mathrm{Ab} = P(\mathrm{Ab})$ (:func:`erlang_a_abandonment_rate`), per offered call:

    * formula 1 ``'abandoned_within_as_met'``:
      $\mathrm{Ans}(T) + \mathrm{Ab}(T) = 1 - P(V > T)\, e^{-\theta T}$;
    * formula 2 ``'abandoned_ignored'``: $\mathrm{Ans}(T) / (1 - \mathrm{Ab})$;
    * formula 3 ``'abandoned_as_missed'``: $\mathrm{Ans}(T)$;
    * formula 4 ``'abandoned_within_ignored'``: $\mathrm{Ans}(T) / (1 - \mathrm{Ab}(T))$;
    * formula 5 ``'short_abandoned_as_met'``: $\mathrm{Ans}(T) + \mathrm{Ab}(S)$.

    Integrating the offered-wait law $P(V > t) = P(W > 0)\, P(a, x e^{-\theta t}) / P(a, x)$
    against the patience (Mandelbaum & Zeltyn, technical note), with $y = x e^{-\theta T}$:

    $$\mathrm{Ans}(T) = 1 - P(W > 0) + P(W > 0)\, \frac{a}{x}\, \frac{P(a + 1, x) - P(a + 1, y)}{P(a, x)},$$

    $$\mathrm{Ab}(T) = \frac{P(W > 0)}{x} \left[m(x) - m(y) \frac{P(a, y)}{P(a, x)}\right], \qquad
    m(z) = z - a \frac{P(a + 1, z)}{P(a, z)}.$$

    References
    ----------
    A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
    technical note, Technion (revised several times; no fixed year).
    O. Garnett, A. Mandelbaum, M. Reiman (2002), M&SOM 4(3), doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    With ``T = 0`` formula 3 is the share answered at once, ``1 - P(W > 0)``: for one
    agent, ``A = 1`` and AHT = patience that is ``1 / e = 0.3679`` (see :func:`erlang_a`).

    >>> from cskpi import erlang_a_service_level
    >>> round(erlang_a_service_level(1.0, 1, aht_seconds=100, patience_seconds=100,
    ...                              threshold_seconds=0), 4)
    0.3679
    """
    checked = _check_policy(policy, short_abandon_seconds)
    more = {"threshold_seconds": nonnegative(threshold_seconds, "threshold_seconds")}
    if checked == "short_abandoned_as_met":
        more["short_abandon_seconds"] = nonnegative(short_abandon_seconds, "short_abandon_seconds")
    model, shape, extras = _model(traffic, agents, aht_seconds, patience_seconds, **more)
    answered, abandoned = model.within(extras["threshold_seconds"])
    if checked == "abandoned_within_as_met":
        out = answered + abandoned
    elif checked == "abandoned_as_missed":
        out = answered
    elif checked == "short_abandoned_as_met":
        _, short = model.within(extras["short_abandon_seconds"])
        out = answered + short
    else:
        lost = model.p_abandon() if checked == "abandoned_ignored" else abandoned
        base = 1.0 - lost
        none = base <= 0.0
        if none.any():
            warn_undefined(
                f"the service level ({checked}) is undefined where no call is answered (no agents); "
                f"returning NaN for {int(np.count_nonzero(none))} of {none.size} value(s)"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(none, np.nan, answered / np.where(none, 1.0, base))
    return unwrap(np.clip(out, 0.0, 1.0).reshape(shape))


@overload
def erlang_a_asa(traffic: float, agents: float, *, aht_seconds: float, patience_seconds: float) -> float: ...
@overload
def erlang_a_asa(
    traffic: NDArray[Any], agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> NDArray[np.float64]: ...
@overload
def erlang_a_asa(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> float | NDArray[np.float64]: ...
def erlang_a_asa(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> Any:  # the overloads above give the types
    r"""Erlang A ASA: mean wait [s] of the calls that are answered.

    Parameters
    ----------
    traffic, agents, aht_seconds, patience_seconds
        As for :func:`erlang_a`.

    Returns
    -------
    float or ndarray
        Average speed of answer [s] over answered calls (those answered at once count
        0 s), as an ACD reports it. 0 without traffic; NaN with
        :class:`~cskpi.UndefinedMetricWarning` without agents (no call is answered).

    Notes
    -----
    A caller who finds $j$ others waiting has an offered wait $V$ that is a sum of
    exponentials of rates $\theta (a + i)$, $i = 0, \dots, j$; they are answered with
    probability $E[e^{-\theta V}] = a / (a + j + 1)$ and

    $$E[V; \text{answered}] = E[V e^{-\theta V}]
    = \frac{a \left(\psi(a + j + 2) - \psi(a + 1)\right)}{\theta (a + j + 1)}$$

    ($\psi$ the digamma function). Weighting by the stationary probabilities of
    $N + j$ callers (proportional to $\prod_{i \le j} x / (a + i)$, see :func:`erlang_a`):

    $$\mathrm{ASA} = \frac{E[W; \text{answered}]}{1 - P(\mathrm{Ab})}.$$

    The mean wait of all callers, abandoned ones included, is :func:`erlang_a_mean_wait`.

    References
    ----------
    A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
    technical note, Technion (revised several times; no fixed year).

    Examples
    --------
    One agent and ``x = a = 1`` (``A = 1``, AHT = patience = 100 s): a caller finding
    ``j`` waiting is answered with probability ``1 / (j + 2)``, and the sum is
    ``E[W; answered] = 100 (Ein(1) - 1 + 1/e) = 16.45`` s, with
    ``Ein(1) = sum_k (-1)^(k+1) / (k k!) = 0.79660``; over ``1 - P(Ab) = 1 - 1/e``
    that is an ASA of 26.02 s.

    >>> from cskpi import erlang_a_asa
    >>> round(erlang_a_asa(1.0, 1, aht_seconds=100, patience_seconds=100), 2)
    26.02
    """
    model, shape, _ = _model(traffic, agents, aht_seconds, patience_seconds)
    out = model.answered_wait()
    none = np.isnan(out)
    if none.any():
        warn_undefined(
            f"ASA is undefined where no call is answered (no agents); returning NaN for "
            f"{int(np.count_nonzero(none))} of {none.size} value(s)"
        )
    return unwrap(out.reshape(shape))


@overload
def erlang_a_mean_wait(
    traffic: float, agents: float, *, aht_seconds: float, patience_seconds: float
) -> float: ...
@overload
def erlang_a_mean_wait(
    traffic: NDArray[Any], agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> NDArray[np.float64]: ...
@overload
def erlang_a_mean_wait(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> float | NDArray[np.float64]: ...
def erlang_a_mean_wait(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> Any:  # the overloads above give the types
    r"""Erlang A: mean wait [s] of all offered calls, answered and abandoned.

    Parameters
    ----------
    traffic, agents, aht_seconds, patience_seconds
        As for :func:`erlang_a`.

    Returns
    -------
    float or ndarray
        ``E[W]`` [s], with ``W`` the time to answer or to abandon; 0 without traffic,
        ``patience_seconds`` without agents.

    Notes
    -----
    Every waiting caller abandons at rate $\theta = 1 / \text{patience}$, so the
    abandonment flow is $\theta$ times the mean queue length and by Little's law
    $P(\mathrm{Ab}) = \theta\, E[W]$ (Garnett, Mandelbaum & Reiman 2002):

    $$E[W] = \text{patience} \cdot P(\mathrm{Ab}).$$

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman (2002), M&SOM 4(3), doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    One agent, ``A = 1``, AHT = patience = 100 s: ``P(Ab) = 1/e``, ``E[W] = 36.79`` s.

    >>> from cskpi import erlang_a_mean_wait
    >>> round(erlang_a_mean_wait(1.0, 1, aht_seconds=100, patience_seconds=100), 2)
    36.79
    """
    model, shape, _ = _model(traffic, agents, aht_seconds, patience_seconds)
    return unwrap((model.patience * model.p_abandon()).reshape(shape))


@overload
def erlang_a_occupancy(
    traffic: float, agents: float, *, aht_seconds: float, patience_seconds: float
) -> float: ...
@overload
def erlang_a_occupancy(
    traffic: NDArray[Any], agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> NDArray[np.float64]: ...
@overload
def erlang_a_occupancy(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> float | NDArray[np.float64]: ...
def erlang_a_occupancy(
    traffic: Any, agents: Any, *, aht_seconds: Any, patience_seconds: Any
) -> Any:  # the overloads above give the types
    r"""Erlang A forecast occupancy: carried load over agents.

    Parameters
    ----------
    traffic, agents, aht_seconds, patience_seconds
        As for :func:`erlang_a`.

    Returns
    -------
    float or ndarray
        Occupancy in [0, 1] (below 1 but for rounding); NaN with :class:`~cskpi.UndefinedMetricWarning` where
        ``agents`` is 0.

    Notes
    -----
    Only answered calls are served, so the carried load is $A (1 - P(\mathrm{Ab}))$ and
    $\text{occupancy} = A (1 - P(\mathrm{Ab})) / N$ (Garnett, Mandelbaum & Reiman 2002). It stays
    below 1 at any traffic: abandonment keeps the queue stable.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman (2002), M&SOM 4(3), doi:10.1287/msom.4.3.208.7250.

    Examples
    --------
    One agent, ``A = 1``, AHT = patience: ``1 * (1 - 1/e) / 1 = 0.6321``.

    >>> from cskpi import erlang_a_occupancy
    >>> round(erlang_a_occupancy(1.0, 1, aht_seconds=100, patience_seconds=100), 4)
    0.6321
    """
    model, shape, _ = _model(traffic, agents, aht_seconds, patience_seconds)
    return unwrap(carried_occupancy(model).reshape(shape))


def carried_occupancy(model: Model) -> FloatArray:
    """``A (1 - P(Ab)) / N`` of a model, with the warning for intervals without agents."""
    return occupancy_a(model.traffic, model.agents, model.p_abandon())


def occupancy_a(traffic: FloatArray, agents: FloatArray, abandonment: FloatArray) -> FloatArray:
    """``A (1 - P(Ab)) / N`` with the warning for intervals without agents."""
    none = agents == 0.0
    if none.any():
        warn_undefined(
            f"occupancy is undefined for zero agents; returning NaN for {int(np.count_nonzero(none))} "
            f"of {none.size} value(s)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        carried = traffic * (1.0 - abandonment)
        out: FloatArray = np.where(none, np.nan, np.minimum(carried / np.where(none, 1.0, agents), 1.0))
    return out
