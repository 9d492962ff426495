"""Adapters at the edge: file readers, standards, the KPI report and the command line."""
