"""cskpi test suite (a package so that its conftest does not clash with docs/conftest.py)."""
