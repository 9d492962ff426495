"""Exception and warning classes raised by cskpi.

Every error cskpi raises for bad input is an instance of :class:`InvalidInputError`
(a :class:`ValueError`) or :class:`InvalidTypeError` (a :class:`TypeError`), so callers
can catch either the library's own class or the built-in one. A metric that is
undefined for the data it was given (a rate over zero observations) returns NaN and
emits :class:`UndefinedMetricWarning`; turn it into an error with
``warnings.simplefilter("error", cskpi.UndefinedMetricWarning)``.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = [
    "InvalidInputError",
    "InvalidTypeError",
    "UndefinedMetricWarning",
    "warn_outside",
    "warn_undefined",
]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class InvalidInputError(ValueError):
    """An argument has the right type but a value cskpi cannot accept."""


class InvalidTypeError(TypeError):
    """An argument has a type or dtype cskpi cannot accept."""


class UndefinedMetricWarning(RuntimeWarning):
    """A metric is undefined for the data given (for example a rate over zero observations).

    The metric's value is NaN wherever this warning is emitted.
    """


def warn_outside(message: str, category: type[Warning]) -> None:
    """Emit a warning attributed to the first caller outside the cskpi package.

    A fixed ``stacklevel`` is right for one call depth only; public functions reach
    their warnings through different numbers of helpers, and the warning should name
    the user's line (Python's default filter shows it once per such line).
    """
    level = 2
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, category, stacklevel=level)


def warn_undefined(message: str) -> None:
    """Emit :class:`UndefinedMetricWarning` attributed to the caller of the public function."""
    warn_outside(message, UndefinedMetricWarning)
