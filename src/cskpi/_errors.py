"""Exception and warning classes raised by cskpi.

Every error cskpi raises for bad input is an instance of :class:`InvalidInputError`
(a :class:`ValueError`) or :class:`InvalidTypeError` (a :class:`TypeError`), so callers
can catch either the library's own class or the built-in one. A metric that is
undefined for the data it was given (a rate over zero observations) returns NaN and
emits :class:`UndefinedMetricWarning`; turn it into an error with
``warnings.simplefilter("error", cskpi.UndefinedMetricWarning)``.
"""

from __future__ import annotations

import warnings

__all__ = ["InvalidInputError", "InvalidTypeError", "UndefinedMetricWarning", "warn_undefined"]


class InvalidInputError(ValueError):
    """An argument has the right type but a value cskpi cannot accept."""


class InvalidTypeError(TypeError):
    """An argument has a type or dtype cskpi cannot accept."""


class UndefinedMetricWarning(RuntimeWarning):
    """A metric is undefined for the data given (for example a rate over zero observations).

    The metric's value is NaN wherever this warning is emitted.
    """


def warn_undefined(message: str) -> None:
    """Emit :class:`UndefinedMetricWarning` pointing at the caller of the public function."""
    warnings.warn(message, UndefinedMetricWarning, stacklevel=3)
