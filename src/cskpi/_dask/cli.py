"""The command line's Dask option: read a Parquet data set with Dask, on a local or remote cluster."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from .engine import dask_module

__all__ = ["dask_contacts"]


@contextlib.contextmanager
def dask_contacts(path: str, *, scheduler: str | None) -> Iterator[Any]:
    """A Dask DataFrame of the Parquet data set at ``path`` (a directory or a glob), with a client.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); None
    starts a ``distributed.LocalCluster`` of worker processes on this machine, closed
    on exit.
    """
    distributed = dask_module("distributed")
    dd = dask_module("dask.dataframe")
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(distributed.LocalCluster(processes=True, dashboard_address=":0"))
            stack.enter_context(distributed.Client(cluster))
        else:
            stack.enter_context(distributed.Client(scheduler))
        yield dd.read_parquet(path)
