"""Hypothesis strategies shared by the test suite."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def nps_scores(draw: Any, *, min_size: int = 0, max_size: int = 200) -> np.ndarray:
    """1-D integer arrays of 0-10 answers, in a random integer dtype."""
    dtype = draw(st.sampled_from([np.int8, np.uint8, np.int16, np.int32, np.int64]))
    return draw(hnp.arrays(dtype, st.integers(min_size, max_size), elements=st.integers(0, 10)))


@st.composite
def scale_and_ratings(
    draw: Any, *, min_size: int = 0, max_size: int = 200
) -> tuple[tuple[int, int], int, np.ndarray]:
    """An integer scale (low, high), a threshold on it, and ratings on it."""
    low = draw(st.integers(-3, 2))
    high = draw(st.integers(low + 1, low + 11))
    threshold = draw(st.integers(low, high))
    ratings = draw(hnp.arrays(np.int64, st.integers(min_size, max_size), elements=st.integers(low, high)))
    return (low, high), threshold, ratings


def labels_for(size: int) -> st.SearchStrategy[np.ndarray]:
    """Group labels of one of several kinds (ints, strings, booleans, dates) for ``size`` rows."""
    ints = hnp.arrays(np.int64, size, elements=st.integers(-3, 3))
    big_ints = hnp.arrays(np.int64, size, elements=st.sampled_from([-(10**12), 7, 10**15]))
    strings = hnp.arrays("U6", size, elements=st.sampled_from(["phone", "chat", "email", "é"]))
    bools = hnp.arrays(np.bool_, size)
    dates = hnp.arrays(np.int64, size, elements=st.integers(19000, 19003)).map(
        lambda a: a.astype("datetime64[D]")
    )
    return st.one_of(ints, big_ints, strings, bools, dates)


@st.composite
def scores_with_labels(draw: Any, *, max_size: int = 150) -> tuple[np.ndarray, np.ndarray]:
    scores = draw(nps_scores(min_size=1, max_size=max_size))
    labels = draw(labels_for(scores.shape[0]))
    return scores, labels


def split_point(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size)


def text_keys(size: int) -> st.SearchStrategy[list[str]]:
    """Text labels for ``size`` rows: short, long, accented, differing only at the end or by case."""
    alphabet = ["a", "A", "ab", "ab ", "é", "agent-0001", "agent-0002", "agent-00010", "x" * 30, "日本"]
    return st.lists(st.sampled_from(alphabet), min_size=size, max_size=size)


# --------------------------------------------------------------------------- registry-driven data
#
# Data for every entry of ``cskpi._core.registry.REGISTRY``: ``metric_data(name, n)`` draws the
# entry's data arguments by their roles (n rows, or n broadcast elements) and fills the
# other arguments from the valid call of ``tests/test_bad_inputs.py`` (one place says how to
# call each public function validly).

#: First instant of drawn timestamps, and their span (two months, second resolution).
EPOCH = np.datetime64("2024-05-01T00:00:00", "s")
SPAN_SECONDS = 61 * 86_400
#: Roles whose arguments have one value per row (they are permuted, split and grouped together).
ROW_ROLES = frozenset(
    {
        "score",
        "rating",
        "checks",
        "wait",
        "abandoned",
        "duration",
        "created",
        "resolved",
        "reply",
        "timestamp",
    }
    | {"customer", "label", "flag", "count", "amount", "number", "fraction"}
)
#: Roles of arguments that are not per row (item weights, observation instants): drawn once, kept.
FIXED_ROLES = frozenset({"weight", "instant"})
#: Roles whose values are offsets from the row's first timestamp (NaT: not happened yet).
AFTER_ROLES = frozenset({"resolved", "reply"})

# Broadcast numbers whose valid range depends on the argument (whole numbers of agents...).
_NUMBERS: dict[str, st.SearchStrategy[float]] = {
    "traffic": st.integers(0, 40).map(lambda x: x / 2),
    "agents": st.integers(1, 40).map(float),
    "servers": st.integers(0, 40).map(float),
    "periods": st.integers(1, 12).map(float),
    "calls": st.integers(0, 400).map(float),
    "aht_seconds": st.integers(60, 600).map(float),
    "interval_seconds": st.just(1800.0),
    "discount_rate": st.integers(0, 30).map(lambda x: x / 100),
    "purchase_frequency": st.integers(0, 20).map(lambda x: x / 2),
}


def _role_elements(role: str, name: str) -> st.SearchStrategy[Any]:
    if role == "score":
        return st.integers(0, 10)
    if role == "rating":
        return st.integers(1, 5)  # valid on every default scale (1-5, 1-7)
    if role in ("wait", "duration"):
        return st.integers(0, 2400).map(lambda x: x / 4)
    if role in ("abandoned", "flag"):
        return st.booleans()
    if role == "customer":
        return st.sampled_from(["a", "b", "c"])  # inside the bad-input call's customer_base
    if role == "label":
        return (
            st.sampled_from(["customer", "agent"]) if name == "authors" else st.sampled_from(["x", "y", "z"])
        )
    if role == "count":
        return st.integers(0, 3)
    if role == "amount":
        return st.integers(1, 400).map(lambda x: x / 2)
    if role == "fraction":
        return st.integers(0, 20).map(lambda x: x / 20)
    if role == "number":
        return _NUMBERS.get(name, st.integers(0, 100).map(float))
    raise AssertionError(f"no elements for role {role!r}")


@st.composite
def role_array(draw: Any, role: str, name: str, n: int, *, after: np.ndarray | None = None) -> np.ndarray:
    """``n`` valid values of one role; ``after`` (timestamps) anchors resolved/reply times."""
    if role in ("created", "timestamp"):
        seconds = draw(hnp.arrays(np.int64, n, elements=st.integers(0, SPAN_SECONDS)))
        return EPOCH + seconds.astype("timedelta64[s]")
    if role in AFTER_ROLES:
        base = after if after is not None else EPOCH + np.zeros(n, dtype="timedelta64[s]")
        delays = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 5 * 86_400)))
        missing = draw(hnp.arrays(np.bool_, n))
        out = base + delays.astype("timedelta64[s]")
        out[missing] = np.datetime64("NaT")
        return out
    if role == "checks":
        checks = draw(hnp.arrays(np.float64, (n, 3), elements=st.sampled_from([0.0, 0.5, 1.0])))
        checks[:, 1] = np.round(checks[:, 1])
        return checks
    if role == "weight":
        return np.array([1.0, 2.0, 3.0])
    if role == "instant":
        return np.array(["2024-05-20", "2024-06-15T12:00"], dtype="datetime64[s]")
    dtype = {"abandoned": np.bool_, "flag": np.bool_, "customer": "U1", "label": "U8", "count": np.int64}
    return draw(hnp.arrays(dtype.get(role, np.float64), n, elements=_role_elements(role, name)))


def _consistent(name: str, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Make drawn columns satisfy a metric's cross-argument rules (lost <= at start...)."""
    if name == "occupancy":  # handled time fits in the available time
        data["available_seconds"] = data["handle_seconds"] + data["available_seconds"] + 1.0
    if name == "churn_rate":
        data["customers_at_start"] = data["customers_at_start"] + data["customers_lost"]
    if name == "retention_rate":
        retained = np.minimum(data["customers_at_end"], data["customers_at_start"])
        data["customers_at_end"] = retained + data["new_customers"]
    if name == "referral_rate":
        data["new_customers"] = data["new_customers"] + data["referred_customers"]
    if name == "follower_growth":  # running totals, at least one follower
        data["counts"] = data["counts"] + 1
    return data


def valid_options(name: str) -> dict[str, Any]:
    """The non-data arguments of the bad-input matrix's valid call of metric ``name`` (no ``by``)."""
    import inspect

    from cskpi._core.registry import REGISTRY
    from test_bad_inputs import REGISTRY as CALLS

    spec = REGISTRY[name]
    call = next(call for call in CALLS if call.name == name)
    args, kwargs = call.build()
    bound = inspect.signature(spec.function).bind(*args, **kwargs).arguments
    options = {key: value for key, value in bound.items() if key not in spec.data and key != "by"}
    options.update(_OPTIONS.get(name, {}))
    return options


# Options that pin a metric's period grid, so that results of two batches line up
# (results of different grids do not merge) and every drawn timestamp fits.
_GRID = {"start": "2024-05-01", "end": "2024-07-01"}
_OPTIONS: dict[str, dict[str, Any]] = {
    "volume": _GRID,
    "ticket_flow": _GRID | {"period": "month"},
    "resolution_rate": _GRID | {"period": "month"},
    "complaints": _GRID | {"contacts": None, "n_customers": None},
    "channel_share": _GRID | {"categories": ["x", "y", "z"]},
    "reviews": _GRID,
    "follower_growth": _GRID,
    "engagement": {"period": None},
    "fcr_repeat_contact": {"end": "2024-07-31"},
    "repeat_contact_retention": {"end": "2024-07-01"},
    "returned_within": {"end": "2024-07-31"},
    "clv_inputs": {"period": "month", "end": "2024-07-01"},
}


@st.composite
def metric_data(draw: Any, name: str, n: int) -> dict[str, np.ndarray]:
    """Valid data arguments (by name) of registry metric ``name`` for ``n`` rows."""
    from cskpi._core.registry import REGISTRY

    data: dict[str, np.ndarray] = {}
    anchor = None
    for argument, role in REGISTRY[name].data.items():
        data[argument] = draw(role_array(role, argument, n, after=anchor))
        if role in ("created", "timestamp") and anchor is None:
            anchor = data[argument]
    return _consistent(name, data)
