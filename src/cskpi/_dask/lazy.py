"""The static type of what :mod:`cskpi.dask` returns with ``compute=False``.

At run time that object is a :class:`dask.delayed.Delayed`. Naming Dask's class in the
annotations would make type checkers (and ``typing.get_type_hints``) need Dask installed,
and would say nothing of what computing it gives; this protocol needs neither Dask nor
a stub, and carries the result's type: ``Lazy[NPS]`` computes to a :class:`cskpi.NPS`.
A :class:`~dask.delayed.Delayed` satisfies it structurally, so ``dask.compute(a, b)`` and
every other Dask API still accept what these functions return.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = ["Lazy"]

T_co = TypeVar("T_co", covariant=True)


@runtime_checkable
class Lazy(Protocol[T_co]):
    """A result not computed yet: what :mod:`cskpi.dask`'s functions return with ``compute=False``.

    At run time a :class:`dask.delayed.Delayed`; for type checkers and IDEs, ``Lazy[NPS]``
    is one that computes to a :class:`cskpi.NPS`. Compute several at once with
    ``dask.compute(a, b, c)`` (one pass over the shared inputs), or one with
    ``lazy.compute()``.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import dask
    >>> import numpy as np
    >>> import cskpi.dask
    >>> scores = da.from_array(np.array([10, 9, 7, 3]), chunks=2)
    >>> lazy = cskpi.dask.nps(scores, compute=False)
    >>> lazy.compute().score
    25.0
    >>> (result,) = dask.compute(lazy)
    >>> result.n
    4
    """

    # Written out so that the class keeps an initialiser of its own module (the API
    # reference cannot follow the one typing.Protocol puts in otherwise); a protocol is
    # never made directly, only satisfied.
    def __init__(self) -> None:
        raise TypeError("cskpi.dask.Lazy is a protocol: it describes what compute=False returns")

    def compute(self, **kwargs: Any) -> T_co:
        """The result, computed on the current Dask scheduler (see :meth:`dask.delayed.Delayed.compute`)."""
        ...
