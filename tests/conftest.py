"""Test configuration. Shared helpers live in ``helpers.py``, strategies in ``strategies.py``."""

from __future__ import annotations

from helpers import read_only

__all__ = ["read_only"]
