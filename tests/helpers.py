"""Small helpers shared by the tests (import with ``from helpers import ...``)."""

from __future__ import annotations

import numpy as np


def read_only(array: object) -> np.ndarray:
    """A read-only copy of ``array``: any write by the library raises ValueError."""
    frozen = np.array(array)
    frozen.setflags(write=False)
    return frozen
