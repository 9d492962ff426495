"""KPI families: one module per family, each importing only :mod:`cskpi._core`."""
