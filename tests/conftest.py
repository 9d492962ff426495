"""Test configuration. Shared helpers live in ``helpers.py``, strategies in ``strategies.py``.

Hypothesis runs at its default profile (100 examples per test) except for the
per-example deadline, which is switched off: on a shared two-core CI machine a
200 ms deadline fails slow-but-correct examples at random, and timings are measured
in ``benchmarks/``, never asserted in tests.
"""

from __future__ import annotations

from hypothesis import settings

from helpers import read_only

settings.register_profile("cskpi", deadline=None)
settings.load_profile("cskpi")

__all__ = ["read_only"]
