"""Optional dependencies, imported on first use and never by ``import cskpi``.

Every place in cskpi that can use pandas, polars, pyarrow or matplotlib asks this
module for it, so the import, the "not installed" case and the install hint are
written once:

- :func:`optional_module` returns the module, or None when it is not installed (the
  caller then takes its pure-numpy path);
- :func:`require` returns the module or raises :class:`MissingDependencyError` with a
  one-line ``pip install`` hint naming the extra that provides it;
- :func:`unavailable` makes modules look absent inside a ``with`` block, so tests and
  benchmarks can exercise the paths taken without them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

__all__ = ["MissingDependencyError", "optional_module", "require", "unavailable"]

# Modules made to look absent by ``unavailable``.
_HIDDEN: set[str] = set()
# Imports already attempted: module, or None when not installed.
_CACHE: dict[str, ModuleType | None] = {}
# What each extra of cskpi installs, for install hints that work however cskpi itself was
# installed (from a clone, a wheel or an index).
EXTRAS = {"plot": "matplotlib", "dask": '"dask[array,dataframe]" distributed', "cli": "pyarrow"}


class MissingDependencyError(ImportError):
    """An optional library needed for the requested operation is not installed."""


def optional_module(name: str) -> ModuleType | None:
    """The module ``name`` imported on first use, or None when it is not installed.

    Parameters
    ----------
    name : str
        Importable module name (``"pyarrow"``, ``"pandas"``).

    Returns
    -------
    module or None

    Examples
    --------
    >>> optional_module("math").sqrt(4.0)
    2.0
    >>> optional_module("no_such_module_exists") is None
    True
    """
    if name in _HIDDEN:
        return None
    if name not in _CACHE:
        try:
            _CACHE[name] = importlib.import_module(name)
        except ImportError:
            _CACHE[name] = None
    return _CACHE[name]


def require(name: str, purpose: str, extra: str | None = None) -> ModuleType:
    """The module ``name``, or :class:`MissingDependencyError` with a one-line install hint.

    The one place cskpi imports an optional library for an operation that needs it
    (conversions to DataFrames, plots, Dask). Unlike :func:`optional_module` the import
    is attempted on every call, so a library installed or removed meanwhile is seen.

    Parameters
    ----------
    name : str
        Importable module name (``"pandas"``, ``"matplotlib.pyplot"``, ``"dask.array"``).
    purpose : str
        What needs the module, completing "<purpose> needs <name>" (``"to_pandas()"``).
    extra : str, optional
        The cskpi extra that installs it (``"plot"``, ``"dask"``): the hint names what
        the extra installs, and the extra. When None it names the library itself.

    Examples
    --------
    >>> require("no_such_module_exists", "plot_trend()", "plot")
    Traceback (most recent call last):
    ...
    cskpi._core.optional.MissingDependencyError: plot_trend() needs no_such_module_exists, which is not installed; install it with: pip install matplotlib (cskpi's "plot" extra)
    """  # noqa: E501 (the doctest shows the one-line message as printed)
    package = name.split(".")[0]
    if package in _HIDDEN:
        module = None
    else:
        try:
            module = importlib.import_module(name)
        except ImportError:
            module = None
    if module is None:
        target = f'{EXTRAS[extra]} (cskpi\'s "{extra}" extra)' if extra else package
        raise MissingDependencyError(
            f"{purpose} needs {package}, which is not installed; install it with: pip install {target}"
        )
    return module


@contextmanager
def unavailable(*names: str) -> Iterator[None]:
    """Make the modules ``names`` look uninstalled to :func:`optional_module` inside the block.

    Examples
    --------
    >>> with unavailable("math"):
    ...     optional_module("math") is None
    True
    >>> optional_module("math") is None
    False
    """
    added = [name for name in names if name not in _HIDDEN]
    _HIDDEN.update(added)
    try:
        yield
    finally:
        _HIDDEN.difference_update(added)
