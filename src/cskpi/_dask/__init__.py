"""The machinery behind :mod:`cskpi.dask`: aligned partitions, per-partition calls, tree merges.

:mod:`cskpi._dask.engine` turns the Dask collections among a metric's arguments into
one table partitioned once (columns of one Dask DataFrame) or into row blocks of Dask
arrays, runs the in-memory metric on every partition where it lives, and merges the
partial results with ``+`` in a tree. :mod:`cskpi._dask.partials` holds the partial
results that are not in-memory results (volumes over a partition's own periods,
counts of waits and durations), :mod:`cskpi._dask.report` the KPI report and the
standards on a Dask DataFrame, and :mod:`cskpi._dask.docs` derives the docstrings of
:mod:`cskpi.dask` from the in-memory functions'. Nothing here is imported by
``import cskpi``.
"""
