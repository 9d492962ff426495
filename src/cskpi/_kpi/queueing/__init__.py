"""Queueing: Erlang formulas and the staffing searches built on them."""
