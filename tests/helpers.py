"""Small helpers shared by the tests (import with ``from helpers import ...``)."""

from __future__ import annotations

import os
from typing import Any

import attrs
import numpy as np
import pytest

from cskpi import Grouped
from cskpi._core.results import stat_names as _stat_names

# mutmut wraps the functions of the module it mutates in trampolines that live outside the
# package, so a warning is attributed to the trampoline: tests of attribution skip there.
skip_under_mutmut = pytest.mark.skipif(
    "MUTANT_UNDER_TEST" in os.environ, reason="mutmut's trampolines add frames outside the package"
)


def read_only(array: object) -> np.ndarray:
    """A read-only copy of ``array``: any write by the library raises ValueError."""
    frozen = np.array(array)
    frozen.setflags(write=False)
    return frozen


def assert_same_result(left: Any, right: Any, *, atol: float | None = None) -> None:
    """Two results (or grouped results) hold the same statistics and parameters.

    Counts must be equal. Float sums must be equal too, unless ``atol`` is given: then
    they may differ by floating-point summation order (``rtol=1e-9`` and ``atol``).
    """
    if isinstance(left, Grouped):
        assert isinstance(right, Grouped)
        assert left.keys() == right.keys()
        left, right = left.values, right.values
    assert type(left) is type(right)
    for name in _stat_names(type(left)):
        a, b = np.asarray(getattr(left, name)), np.asarray(getattr(right, name))
        if atol is not None and (a.dtype.kind == "f" or b.dtype.kind == "f"):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=atol)
        else:
            assert np.array_equal(a, b), name
    for field in attrs.fields(type(left)):
        if field.name not in _stat_names(type(left)):
            assert getattr(left, field.name) == getattr(right, field.name)


def example_text_columns() -> dict[str, np.ndarray]:
    """The bundled example contacts read by the csv module: text columns, no pyarrow needed."""
    import csv

    from cskpi._report.io import example_contacts_path

    with open(example_contacts_path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    return {name: np.array([row[i] for row in body], dtype=str) for i, name in enumerate(header)}
