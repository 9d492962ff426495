"""Erlang B companions: the traffic lines carry, their occupancy, and their capacity.

The loss system of :func:`cskpi.erlang_b` (M/M/N/N, any service-time law with the
same mean): a call that finds every line busy is lost. Everything broadcasts; scalar
input gives a Python float.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from ..._core.checks import unwrap
from ..._core.errors import warn_undefined
from .erlang import FloatArray, blocking, broadcast, fraction, traffic_and_agents, whole

__all__ = ["erlang_b_carried_traffic", "erlang_b_occupancy", "erlang_b_traffic"]

_EPS = float(np.finfo(np.float64).eps)


@overload
def erlang_b_carried_traffic(traffic: float, servers: float) -> float: ...
@overload
def erlang_b_carried_traffic(traffic: NDArray[Any], servers: Any) -> NDArray[np.float64]: ...
@overload
def erlang_b_carried_traffic(traffic: Any, servers: Any) -> float | NDArray[np.float64]: ...
def erlang_b_carried_traffic(traffic: Any, servers: Any) -> Any:  # the overloads above give the types
    """Traffic carried by ``servers`` lines: the mean number of lines busy [Erlangs].

    Parameters
    ----------
    traffic : float or array-like
        Offered traffic [Erlangs], >= 0.
    servers : int or array-like of int
        Number of lines (servers, trunks), whole and >= 0; broadcasts.

    Returns
    -------
    float or ndarray
        Carried traffic ``A (1 - B(N, A))`` [Erlangs], in ``[0, min(A, N)]``.

    Notes
    -----
    Only calls that find a free line are carried: $A_c = A (1 - B(N, A))$, the mean
    number of busy lines (Cooper 1981, sec. 3.4).

    References
    ----------
    R. B. Cooper (1981), *Introduction to Queueing Theory*, 2nd ed., North Holland.

    Examples
    --------
    One line and one Erlang: ``B = 0.5``, so 0.5 Erlangs are carried.

    >>> from cskpi import erlang_b_carried_traffic
    >>> erlang_b_carried_traffic(1.0, 1)
    0.5
    """
    a, n = traffic_and_agents(traffic, servers, "servers")
    b = blocking(a.reshape(-1), n.reshape(-1)).reshape(a.shape)
    return unwrap(np.minimum(a * (1.0 - b), n))


@overload
def erlang_b_occupancy(traffic: float, servers: float) -> float: ...
@overload
def erlang_b_occupancy(traffic: NDArray[Any], servers: Any) -> NDArray[np.float64]: ...
@overload
def erlang_b_occupancy(traffic: Any, servers: Any) -> float | NDArray[np.float64]: ...
def erlang_b_occupancy(traffic: Any, servers: Any) -> Any:  # the overloads above give the types
    """Occupancy of lines: the share of time a line is busy (Erlang B).

    Parameters
    ----------
    traffic : float or array-like
        Offered traffic [Erlangs], >= 0.
    servers : int or array-like of int
        Number of lines, whole and >= 0; broadcasts.

    Returns
    -------
    float or ndarray
        ``A (1 - B(N, A)) / N`` in [0, 1); NaN with :class:`~cskpi.UndefinedMetricWarning`
        where ``servers`` is 0.

    Notes
    -----
    Carried traffic (:func:`erlang_b_carried_traffic`) over the number of lines
    (Cooper 1981, sec. 3.4). It stays below 1: blocked calls are lost, not queued.

    References
    ----------
    R. B. Cooper (1981), *Introduction to Queueing Theory*, 2nd ed., North Holland.

    Examples
    --------
    Two lines and one Erlang: ``B = 0.2``, carried 0.8 Erlangs, occupancy 0.4.

    >>> from cskpi import erlang_b_occupancy
    >>> round(erlang_b_occupancy(1.0, 2), 12)
    0.4
    """
    a, n = traffic_and_agents(traffic, servers, "servers")
    b = blocking(a.reshape(-1), n.reshape(-1)).reshape(a.shape)
    none = n == 0.0
    if none.any():
        warn_undefined(
            f"occupancy is undefined for zero servers; returning NaN for {int(np.count_nonzero(none))} "
            f"of {none.size} value(s)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(none, np.nan, np.minimum(a * (1.0 - b) / np.where(none, 1.0, n), 1.0))
    return unwrap(out)


@overload
def erlang_b_traffic(servers: float, *, max_blocking: float) -> float: ...
@overload
def erlang_b_traffic(servers: NDArray[Any], *, max_blocking: Any) -> NDArray[np.float64]: ...
@overload
def erlang_b_traffic(servers: Any, *, max_blocking: Any) -> float | NDArray[np.float64]: ...
def erlang_b_traffic(servers: Any, *, max_blocking: Any) -> Any:  # the overloads above give the types
    r"""Offered traffic that ``servers`` lines take at a blocking target (Erlang B inverse).

    Parameters
    ----------
    servers : int or array-like of int
        Number of lines, whole and >= 0.
    max_blocking : float or array-like
        Blocking target, a fraction in (0, 1); broadcasts against ``servers``.

    Returns
    -------
    float or ndarray
        The offered traffic ``A`` [Erlangs] with ``B(N, A) = max_blocking``; 0 for no
        lines. The traffic carried there is ``A (1 - max_blocking)``.

    Notes
    -----
    $B(N, A)$ increases continuously from 0 to 1 in $A$, so the root is unique. It
    lies in $[0, N / (1 - b)]$, because the carried traffic $A (1 - B)$ is below
    $N$. Newton's method on $\log B$ with $d \log B / dA = N / A - 1 + B$
    (Jagerman 1974), kept inside a bisection bracket, runs for all elements at once
    until the steps are below four units in the last place.

    References
    ----------
    D. L. Jagerman (1974), "Some properties of the Erlang loss function", Bell System
    Technical Journal 53(3), 525-551.

    Examples
    --------
    One line blocks ``A / (1 + A)``: at 50% blocking it takes 1 Erlang. An Erlang B
    table's row for 18 lines at 1% reads 10.44 Erlangs.

    >>> from cskpi import erlang_b_traffic
    >>> round(erlang_b_traffic(1, max_blocking=0.5), 12)
    1.0
    >>> round(erlang_b_traffic(18, max_blocking=0.01), 2)
    10.44
    """
    n = whole(servers, "servers")
    target = fraction(max_blocking, "max_blocking", low_open=True, high_open=True)
    n, target = broadcast(servers=n, max_blocking=target)
    shape = n.shape
    fn, ft = n.reshape(-1), target.reshape(-1)
    out = np.zeros_like(fn)
    some = fn > 0.0
    out[some] = _solve(fn[some], ft[some])
    return unwrap(out.reshape(shape))


def _solve(n: FloatArray, target: FloatArray) -> FloatArray:
    low = np.zeros_like(n)
    high = n / (1.0 - target)
    a = np.maximum(n * (1.0 - np.sqrt(1.0 - target)), 1e-300)  # a start inside the bracket
    log_target = np.log(target)
    live = np.arange(n.size)
    for _ in range(200):
        if not live.size:
            break
        nn, aa = n[live], a[live]
        b = blocking(aa, nn)
        with np.errstate(divide="ignore"):
            f = np.log(b) - log_target[live]
        above = f > 0.0
        high[live] = np.where(above, aa, high[live])
        low[live] = np.where(above, low[live], aa)
        step = f / (nn / aa - 1.0 + b)
        new = aa - step
        outside = ~np.isfinite(new) | (new <= low[live]) | (new >= high[live])
        new = np.where(outside, 0.5 * (low[live] + high[live]), new)
        done = np.abs(new - aa) <= 4.0 * _EPS * aa
        a[live] = new
        live = live[~done]
    return a
