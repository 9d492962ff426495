"""Regularized incomplete gamma functions for arrays, in numpy, for the Erlang A model.

``P(a, x) = gamma(a, x) / Gamma(a)`` and ``Q(a, x) = 1 - P(a, x)`` for real ``a > 0``
and ``x >= 0``, computed as in Press et al. (2007, sec. 6.2): the power series of
``P`` where ``x < a + 1`` and Lentz's continued fraction of ``Q`` elsewhere, each for
all array elements at once until every element has converged. The prefactor
``g(a, x) = x^a e^(-x) / Gamma(a + 1)`` is evaluated in Loader's (2000) saddle-point
form for ``a >= 16``, so that it keeps its relative accuracy where ``a`` and ``x``
are in the thousands and ``a log x`` alone would lose eight digits.

The Erlang A formulas need ratios more than the functions themselves; the kernel
:func:`gamma_parts` returns them directly (``g / P``, and the first moment of the
series) so that no large quotient is ever formed from two underflowing numbers.
"""

from __future__ import annotations

import math

import numpy as np

from .erlang import FloatArray, deviance, stirling_error

__all__ = ["digamma", "gamma_parts", "log_gamma1", "regularized_gamma"]

_EPS = float(np.finfo(np.float64).eps)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SHIFT = 16.0  # arguments are shifted up to this size before the asymptotic series


def _log_gamma_large(w: FloatArray) -> FloatArray:
    """``log Gamma(w)`` for ``w >= 16`` (Stirling series; error below 1e-16 there)."""
    inv = 1.0 / w
    inv2 = inv * inv
    series = inv * (
        1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0)))
    )
    out: FloatArray = (w - 0.5) * np.log(w) - w + _HALF_LOG_2PI + series
    return out


def log_gamma1(a: FloatArray) -> FloatArray:
    """``log Gamma(a + 1)`` (that is ``log a!``) for real ``a >= 0``."""
    z = np.asarray(a, dtype=np.float64) + 1.0
    k = np.maximum(np.ceil(_SHIFT - z), 0.0)  # z + k >= 16
    product = np.ones_like(z)
    for i in range(int(k.max(initial=0.0))):
        product = np.where(i < k, product * (z + i), product)
    return _log_gamma_large(z + k) - np.log(product)


def digamma(z: FloatArray) -> FloatArray:
    """The digamma function ``psi(z) = d log Gamma(z) / dz`` for real ``z > 0``."""
    z = np.asarray(z, dtype=np.float64)
    k = np.maximum(np.ceil(_SHIFT - z), 0.0)
    shift = np.zeros_like(z)
    for i in range(int(k.max(initial=0.0))):
        shift = np.where(i < k, shift + 1.0 / (z + i), shift)
    w = z + k
    inv2 = 1.0 / (w * w)
    series = inv2 * (
        1.0 / 12.0 - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 / 132.0)))
    )
    out: FloatArray = np.log(w) - 0.5 / w - series - shift
    return out


def log_prefactor(a: FloatArray, x: FloatArray) -> FloatArray:
    """``log g(a, x) = a log x - x - log Gamma(a + 1)`` for ``a > 0``, ``x >= 0`` (1-D)."""
    out = np.full_like(x, -np.inf)
    small = (a < _SHIFT) & (x > 0.0)
    if small.any():
        aa, xx = a[small], x[small]
        out[small] = aa * np.log(xx) - xx - log_gamma1(aa)
    big = (a >= _SHIFT) & (x > 0.0)
    if big.any():
        aa, xx = a[big], x[big]
        # Loader's form: -stirlerr(a) - [a log(a / x) + x - a] - log(2 pi a) / 2.
        out[big] = -stirling_error(aa) - deviance(aa, xx) - _HALF_LOG_2PI - 0.5 * np.log(aa)
    return out


def _series(a: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``S = sum_j t_j`` and ``M = sum_j j t_j`` with ``t_j = prod_{i<=j} x / (a + i)``.

    For ``x < a + 1`` every ratio is below 1 and the terms decrease; the sums are
    accumulated in blocks until the geometric bound on the remainder is below
    machine precision. ``P(a, x) = g(a, x) S``.
    """
    total_s = np.ones_like(a)
    total_m = np.zeros_like(a)
    order = np.argsort(a, kind="stable")
    for start in range(0, order.size, 1024):
        rows = order[start : start + 1024]
        aa, xx = a[rows], x[rows]
        s = np.ones_like(aa)
        m = np.zeros_like(aa)
        last = np.ones_like(aa)
        live = np.arange(rows.size)
        first, width = 1.0, 16
        while live.size:
            steps = np.arange(first, first + width)
            terms = np.add.outer(aa, steps)
            np.divide(xx[:, None], terms, out=terms)
            np.cumprod(terms, axis=1, out=terms)
            terms *= last[:, None]
            s_live = s[live] + terms.sum(axis=1)
            m_live = m[live] + terms @ steps
            s[live], m[live] = s_live, m_live
            last = terms[:, -1]
            j = first + width - 1.0
            r = xx / (aa + j + 1.0)  # the next ratio; all later ones are smaller
            tail = 1.0 / (1.0 - r)
            going = (last * r * tail > _EPS * s_live) | (last * r * tail * (j + tail) > _EPS * m_live)
            live, last, aa, xx = live[going], last[going], aa[going], xx[going]
            first += width
            width = min(2 * width, 256)
        total_s[rows], total_m[rows] = s, m
    return total_s, total_m


def _continued_fraction(a: FloatArray, x: FloatArray) -> FloatArray:
    """``h`` with ``Q(a, x) = a g(a, x) h`` by Lentz's method, for ``x >= a + 1``."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    out = np.empty_like(x)
    live = np.arange(x.size)
    i = 1
    while live.size:
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        done = np.abs(delta - 1.0) <= _EPS
        if done.any():
            out[live[done]] = h[done]
            keep = ~done
            live, a, b, c, d, h = live[keep], a[keep], b[keep], c[keep], d[keep], h[keep]
        i += 1
    return out


def gamma_parts(a: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """``log P(a, x)``, ``Q(a, x)``, ``g / P`` and ``x - a P(a + 1, x) / P(a, x)``.

    For 1-D arrays of ``a > 0`` and ``x >= 0``. The third value is ``1 / J`` in the
    notation of Garnett, Mandelbaum & Reiman (2002), with ``J = P / g``; the fourth
    is ``m = x - a (1 - g / P)``, the mean of the excess ``j`` (see :func:`_series`)
    times ``x``, computed as a sum of positive terms in both branches:
    ``m = M / S`` for the series and ``m = (x - a) + a g / P`` with ``x - a >= 1``
    for the continued fraction. ``P(a + 1, x) = P(a, x) - g(a, x)``.
    """
    log_p = np.empty_like(x)
    q = np.empty_like(x)
    inv_j = np.empty_like(x)
    m = np.empty_like(x)
    log_g = log_prefactor(a, x)
    low = x < a + 1.0
    if low.any():
        s, moment = _series(a[low], x[low])
        log_p[low] = log_g[low] + np.log(s)
        q[low] = -np.expm1(log_p[low])
        inv_j[low] = 1.0 / s
        m[low] = moment / s
    high = ~low
    if high.any():
        ah, gh = a[high], np.exp(log_g[high])
        qh = np.minimum(ah * gh * _continued_fraction(ah, x[high]), 1.0)
        q[high] = qh
        log_p[high] = np.log1p(-qh)
        inv_j[high] = gh / (1.0 - qh)
        m[high] = (x[high] - ah) + ah * inv_j[high]
    return log_p, q, inv_j, m


def regularized_gamma(a: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``P(a, x)`` and ``Q(a, x)`` for 1-D arrays of ``a > 0`` and ``x >= 0``."""
    log_p, q, _, _ = gamma_parts(np.asarray(a, dtype=np.float64), np.asarray(x, dtype=np.float64))
    return np.exp(log_p), q
