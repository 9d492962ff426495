"""Public signatures: return types a type checker can see, and the shared vocabulary."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import cskpi

# Public functions still annotated ``-> Any``. The list may only shrink: a function
# given a precise return type must leave it, and a new function must not join it.
PENDING_ANY: frozenset[str] = frozenset()


def _public_functions() -> dict[str, Any]:
    return {name: getattr(cskpi, name) for name in cskpi.__all__ if inspect.isfunction(getattr(cskpi, name))}


def _returns_any(function: Any) -> bool:
    signatures = typing.get_overloads(function) or [function]
    hints = [typing.get_type_hints(signature).get("return", Any) for signature in signatures]
    # The implementation of an overloaded function may return their union; what a
    # caller sees are the overloads.
    return any(hint is Any for hint in hints)


def test_no_public_function_returns_any() -> None:
    returning_any = {name for name, function in _public_functions().items() if _returns_any(function)}
    new = sorted(returning_any - PENDING_ANY)
    assert not new, f"public functions annotated -> Any (give them a precise return type): {new}"
    fixed = sorted(PENDING_ANY - returning_any)
    assert not fixed, f"remove from PENDING_ANY, they now have a precise return type: {fixed}"


def test_overloads_of_scalar_and_array_inputs() -> None:
    import numpy as np
    from numpy.typing import NDArray

    returns = [typing.get_type_hints(s)["return"] for s in typing.get_overloads(cskpi.erlang_c)]
    assert returns[:2] == [float, NDArray[np.float64]]
    # and the runtime agrees: scalar in, float out; array in, array out
    assert type(cskpi.erlang_c(2.0, 3)) is float
    assert isinstance(cskpi.erlang_c(np.array([2.0]), 3), np.ndarray)


def test_overloads_of_by_give_the_single_and_the_grouped_result() -> None:
    overloads = typing.get_overloads(cskpi.nps)
    returns = [typing.get_type_hints(signature)["return"] for signature in overloads]
    assert returns == [cskpi.NPS, cskpi.Grouped[cskpi.NPS]]


def test_quantile_levels_share_one_name() -> None:
    # every public parameter holding quantile levels is called `quantile`
    for name, function in _public_functions().items():
        parameters = inspect.signature(function).parameters
        assert "percentiles" not in parameters, name
        assert "percentile" not in parameters, name


def test_customer_keys_share_one_name() -> None:
    for name, function in _public_functions().items():
        parameters = list(inspect.signature(function).parameters)
        assert "customers" not in parameters, f"{name}: customer keys are customer_ids, counts n_customers"
        assert "observed_until" not in parameters, f"{name}: the end of the observation is end"
        assert "days" not in parameters, f"{name}: windows are *_seconds"
