"""Reading a contacts table from CSV into named numpy columns (no pandas needed).

The parser is numpy's C reader (:func:`numpy.loadtxt` with ``dtype=str``); columns are
converted with vectorised numpy operations, never a Python loop over rows.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._errors import InvalidInputError

__all__ = ["example_contacts_path", "numeric_column", "read_csv_columns"]


def example_contacts_path() -> Path:
    """Path of the bundled example contacts CSV (synthetic data, 2,400 contacts)."""
    return Path(str(resources.files("cskpi").joinpath("data", "example_contacts.csv")))


def read_csv_columns(path: str | Path) -> dict[str, NDArray[np.str_]]:
    """Read a comma-separated file with a header row into string columns.

    Quoted fields (``"a, b"``) are supported; empty fields become empty strings.

    Examples
    --------
    >>> from cskpi._io import example_contacts_path, read_csv_columns
    >>> columns = read_csv_columns(example_contacts_path())
    >>> columns["channel"][:3].tolist()
    ['email', 'phone', 'chat']
    """
    table = np.loadtxt(path, delimiter=",", dtype=str, quotechar='"', ndmin=2, encoding="utf-8")
    if table.shape[0] == 0:
        raise InvalidInputError(f"{path} must have a header row; the file is empty")
    header = [name.strip() for name in table[0].tolist()]
    if len(set(header)) != len(header):
        raise InvalidInputError(f"{path} must have distinct column names; got {header}")
    return {name: table[1:, i] for i, name in enumerate(header)}


def numeric_column(column: NDArray[np.str_], name: str) -> NDArray[np.float64]:
    """Convert a string column to floats; empty fields become NaN.

    Raises :class:`InvalidInputError` naming the column, the first bad value and its
    line in the file (1-based, the header being line 1).
    """
    stripped = np.char.strip(column)
    filled = np.where(stripped == "", "nan", stripped)
    try:
        return filled.astype(np.float64)
    except ValueError:
        bad = _first_unparseable(filled)
        raise InvalidInputError(
            f"{name} must contain numbers; got {str(column[bad])!r} on line {bad + 2}"
        ) from None


def _first_unparseable(column: NDArray[Any]) -> int:
    # Only reached on error: find the first field float() rejects, half by half.
    low, high = 0, column.shape[0]
    while high - low > 1:
        middle = (low + high) // 2
        try:
            column[low:middle].astype(np.float64)
        except ValueError:
            high = middle
        else:
            low = middle
    return low
