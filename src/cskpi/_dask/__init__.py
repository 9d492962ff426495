"""The machinery behind :mod:`cskpi.dask`: aligned partitions, per-partition calls, tree merges.

:mod:`cskpi._dask.engine` turns the Dask collections among a metric's arguments into
one table partitioned once (columns of one Dask DataFrame) or into row blocks of Dask
arrays, runs the in-memory metric on every partition where it lives, and merges the
partial results with ``+`` in a tree. Nothing here is imported by ``import cskpi``.
"""
