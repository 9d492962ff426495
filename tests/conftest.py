"""Test configuration. Shared helpers live in ``helpers.py``, strategies in ``strategies.py``.

Hypothesis runs at its default profile (100 examples per test) except for the
per-example deadline, which is switched off: on a shared two-core CI machine a
200 ms deadline fails slow-but-correct examples at random, and timings are measured
in ``benchmarks/``, never asserted in tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from helpers import read_only

settings.register_profile("cskpi", deadline=None)
settings.load_profile("cskpi")

__all__ = ["client", "read_only"]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A real Dask cluster for the Dask tests: two worker processes with one thread each."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client
