"""Invariance tests driven by the metric registry, for every registered metric.

``cskpi._core.registry.REGISTRY`` declares each public metric function's data roles,
headline, bounds, and whether it merges, groups and ignores row order; these tests
check that every declaration holds: coverage of the public API, the merge law
(``f(a) + f(b) == f(a ++ b)``, also grouped and through ``sum``), the group law
(``f(x, by=g)[label] == f(x[g == label])``), permutation invariance, bounded headlines
(NaN only with an :class:`~cskpi.UndefinedMetricWarning`), monotonicity where it is
the definition, and the same result from every kind of input container. Data come
from the role strategies in ``strategies.py``; the valid calls and the bad-input
matrix are those of ``test_bad_inputs.py``. Adding an entry to the registry gives a
metric all of these tests.
"""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi
from cskpi import Grouped, UndefinedMetricWarning, UnstableQueueWarning
from cskpi._core.registry import DERIVED, REGISTRY, UNITS, MetricSpec, display_figures, metrics
from strategies import FIXED_ROLES, metric_data, valid_options
from test_bad_inputs import REGISTRY as BAD_INPUT_CALLS

# Public functions that are not metrics, and why.
NOT_METRICS = {
    "nps_buckets": "classifies each answer (a per-row transform), no figure",
    "qa_review_scores": "per-review scores (a per-row transform); qa_scorecard is the metric",
    "nps_difference": "compares two NPS results (a test), takes no data",
    "business_seconds": "element-wise time arithmetic, no KPI",
    "normalize_email": "identity normaliser",
    "normalize_phone": "identity normaliser",
    "evaluate_standards": "report over a contacts table, computed by registered metrics",
    "kpi_report": "report over a contacts table, computed by registered metrics",
    "load_standards": "file reader",
    "read_contacts": "file reader (contacts through an export schema or mapping file)",
    "save_standards": "file writer",
    "keep_missing": "marks a label array whose missing values form their own group, no figure",
    "rate_interval": "interval of given counts (statistics), takes no data",
    "mean_interval": "interval of given moments (statistics), takes no data",
    "rate_difference": "compares two rate results (a test), takes no data",
    "mean_difference": "compares two mean results (a test), takes no data",
    "compare": "compares the groups of a result with a baseline (tests), takes no data",
    "holm": "adjusts given p-values, takes no data",
    "p_chart": "control chart over periods of given counts (monitoring), not one figure",
    "u_chart": "control chart over periods of given counts (monitoring), not one figure",
    "xmr_chart": "control chart over periods of given values (monitoring), not one figure",
    "sample_size_for_margin": "planning formula over given targets, takes no data",
    "minimum_detectable_change": "planning formula over given sample sizes, takes no data",
}

# Headlines documented as NaN without a warning, and why (exceptions to the undefined rule).
NAN_WITHOUT_WARNING = {
    "follower_growth": "growth_rate is NaN for the first period (no previous total), documented, no warning",
    "repeat_contact_retention": "rates are NaN in cells not observed yet (censored, not undefined), documented",
}

# A few examples per metric and property keep the file near half a minute on two
# loaded cores (51 metrics x 6 properties); the bad-input matrix and the unit tests of
# each family test the edges in depth.
# CSKPI_REGISTRY_EXAMPLES=200 runs a deeper search.
FEW = settings(max_examples=int(os.environ.get("CSKPI_REGISTRY_EXAMPLES", "8")))
NAMES = list(REGISTRY)
ROWS = st.integers(1, 12)


def _specs(predicate: Callable[[MetricSpec], bool]) -> list[Any]:
    return [pytest.param(spec, id=spec.name) for spec in REGISTRY.values() if predicate(spec)]


def _call(spec: MetricSpec, data: dict[str, Any], *, seen: list[Any] | None = None, **extra: Any) -> Any:
    """Call the metric; every warning must be an undefined (or unstable-queue) one, kept in ``seen``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = spec.function(**data, **(valid_options(spec.name) | extra))
    for message in caught:
        assert issubclass(message.category, UndefinedMetricWarning | UnstableQueueWarning), message
    if seen is not None:
        seen.extend(caught)
    return result


def _headline(spec: MetricSpec, result: Any) -> tuple[np.ndarray, bool]:
    """The headline figure as floats, and whether reading it warned that it is undefined."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = result if spec.headline is None else getattr(result, spec.headline)
    if isinstance(value, Grouped):
        value = value.values
    undefined = any(issubclass(m.category, UndefinedMetricWarning) for m in caught)
    return np.asarray(value, dtype=np.float64), undefined


def assert_same(left: Any, right: Any, where: str = "result") -> None:
    """Equal results: counts and labels exactly, floats to summation order, NaN equal to NaN."""
    if isinstance(left, Grouped):
        assert isinstance(right, Grouped), where
        assert left.keys() == right.keys(), where
        assert_same(left.values, right.values, where)
    elif attrs.has(type(left)):
        assert type(left) is type(right), where
        for field in attrs.fields(type(left)):
            assert_same(getattr(left, field.name), getattr(right, field.name), f"{where}.{field.name}")
    elif isinstance(left, tuple | list) and not isinstance(left, str):
        assert len(left) == len(right), where
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(left, np.ndarray | np.generic | float | int):
        a, b = np.asarray(left), np.asarray(right)
        assert a.shape == b.shape, where
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=where)
        else:
            assert np.array_equal(a, b), where
    else:
        assert left == right, where


def _rows(spec: MetricSpec) -> list[str]:
    return [name for name, role in spec.data.items() if role not in FIXED_ROLES]


def _take(spec: MetricSpec, data: dict[str, np.ndarray], index: Any) -> dict[str, np.ndarray]:
    rows = set(_rows(spec))
    return {name: (array[index] if name in rows else array) for name, array in data.items()}


# --------------------------------------------------------------------------- coverage


def _public_functions() -> set[str]:
    return {name for name in cskpi.__all__ if inspect.isfunction(getattr(cskpi, name))}


def test_every_public_metric_function_has_an_entry() -> None:
    assert set(REGISTRY) == _public_functions() - set(NOT_METRICS)
    assert set(NOT_METRICS) <= _public_functions()
    assert len(REGISTRY) >= 45


@pytest.mark.parametrize("spec", [*REGISTRY.values(), *DERIVED.values()], ids=[*REGISTRY, *DERIVED])
def test_entry_matches_its_function(spec: MetricSpec) -> None:
    function = spec.function
    if spec.name in REGISTRY:
        assert function is getattr(cskpi, spec.name)
    parameters = list(inspect.signature(function).parameters)
    data = list(spec.data)
    assert data, "a metric has data"
    assert set(data) <= set(parameters), set(data) - set(parameters)
    assert data == [p for p in parameters if p in spec.data], "data roles in signature order"
    assert spec.groupable == ("by" in parameters)
    assert spec.unit in UNITS and spec.label and spec.source and spec.column


@pytest.mark.parametrize("spec", _specs(lambda spec: True))
def test_headline_and_mergeability_as_declared(spec: MetricSpec) -> None:
    call = next(call for call in BAD_INPUT_CALLS if call.name == spec.name)
    args, kwargs = call.build()
    kwargs.pop("by", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        result = spec.function(*args, **kwargs)
    if spec.headline is None:
        assert isinstance(result, np.ndarray | float | np.floating)
    else:
        assert hasattr(type(result), spec.headline) or spec.headline in attrs.fields_dict(type(result))
        assert all(hasattr(type(result), f) or f in attrs.fields_dict(type(result)) for f in spec.figures)
    merges = type(result).__module__.startswith("cskpi") and hasattr(type(result), "__add__")
    assert spec.mergeable == merges


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.headline is not None))
def test_value_is_the_declared_headline(spec: MetricSpec) -> None:
    # Every result class names its headline ``value``; the registry's headline is the
    # family word (``score``, ``rate``, ``n_open`` ...) that stays as its documented alias.
    call = next(call for call in BAD_INPUT_CALLS if call.name == spec.name)
    args, kwargs = call.build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        results = [spec.function(*args, **kwargs)]
        if spec.groupable:
            results.append(spec.function(*args, **(kwargs | {"by": None})))
        for result in results:
            if isinstance(result, Grouped):
                result = result.values
            if getattr(type(result), "_headline", None) is None:
                # containers of several figures (tests/core/test_results.py: NO_HEADLINE)
                assert spec.name in ("reply_times", "clv_inputs"), spec.name
                continue
            headline = np.asarray(getattr(result, spec.headline), dtype=np.float64)
            value = np.asarray(result.value, dtype=np.float64)
            np.testing.assert_array_equal(value, headline)


def test_helpers_select_by_declaration() -> None:
    both = metrics(mergeable=True, groupable=True)
    assert "nps" in both and "answer_time_percentile" not in both and "erlang_c" not in both
    assert set(metrics()) == set(REGISTRY)
    assert set(metrics(mergeable=False)) | set(metrics(mergeable=True)) == set(REGISTRY)
    shown = display_figures()
    assert len(set(shown)) == len(shown) and {"score", "n", "rate"} <= set(shown)


def test_a_bad_entry_is_rejected_with_the_field_named() -> None:
    good = attrs.asdict(REGISTRY["nps"], recurse=False)
    for field, value in [
        ("unit", "percent"),
        ("direction", "up"),
        ("bounds", (1.0, 0.0)),
        ("data", {"scores": "answers"}),
        ("path", "nps"),
        ("monotone", {"scores": "up"}),
        ("figures", ("n",)),  # without the headline
    ]:
        with pytest.raises(ValueError, match=field if field != "figures" else "headline"):
            MetricSpec(**(good | {field: value}))


# --------------------------------------------------------------------------- bounds


@pytest.mark.parametrize("name", NAMES)
@FEW
@given(data=st.data())
def test_headline_is_bounded_or_undefined(name: str, data: st.DataObject) -> None:
    spec = REGISTRY[name]
    caught: list[Any] = []
    value, on_read = _headline(spec, _call(spec, data.draw(metric_data(name, data.draw(ROWS))), seen=caught))
    undefined = on_read or any(issubclass(m.category, UndefinedMetricWarning) for m in caught)
    if spec.bounds is not None:
        low, high = spec.bounds
        inside = np.isnan(value) | ((value >= low) & (value <= high))
        assert inside.all(), f"{name} headline {value} outside [{low}, {high}]"
    # Per-row figures (reply_times: one per conversation) use NaN for "no reply yet".
    if np.isnan(value).any() and spec.headline is not None and spec.order_invariant:
        if name in NAN_WITHOUT_WARNING:
            return
        assert undefined, f"{name} headline is NaN without an UndefinedMetricWarning"


# Metrics that refuse zero rows, and why (every other metric gives an undefined headline
# or zero counts on empty data).
EMPTY_REFUSED = {
    "repeat_contact_retention": "a cohort table needs at least one cohort (no period axis without a contact)",
    "clv_inputs": "the customer lifetime inputs need at least one transaction (no observation span)",
}


@pytest.mark.parametrize(
    "spec", _specs(lambda spec: any(role not in FIXED_ROLES for role in spec.data.values()))
)
def test_zero_rows_give_an_undefined_headline_or_zero_counts(spec: MetricSpec) -> None:
    data, options = _valid_call(spec)
    rows = set(_rows(spec))
    empty = {name: (array[:0] if name in rows and array.ndim else array) for name, array in data.items()}
    if spec.name in EMPTY_REFUSED:
        with pytest.raises(cskpi.InvalidInputError, match="must not be empty"):
            spec.function(**empty, **options)
        return
    caught: list[Any] = []
    result = _call(spec, empty, seen=caught, **options)
    if spec.headline is None:
        return
    value, on_read = _headline(spec, result)
    undefined = on_read or any(issubclass(m.category, UndefinedMetricWarning) for m in caught)
    if value.size and np.isnan(value).any():
        if spec.name in NAN_WITHOUT_WARNING:
            return
        assert undefined, f"{spec.name}: NaN headline on zero rows without an UndefinedMetricWarning"
    else:
        assert np.all(value == 0) or value.size == 0, f"{spec.name}: headline {value} on zero rows"


# --------------------------------------------------------------------------- merge law


def _assignment(spec: MetricSpec, rows: dict[str, np.ndarray], data: st.DataObject, n: int, keys: str) -> Any:
    """A key (batch or group) for every row; rows of one ``partition`` value share their key."""
    if spec.partition is None:
        return data.draw(hnp.arrays("U1", n, elements=st.sampled_from(keys)))
    values, codes = np.unique(rows[spec.partition], return_inverse=True)
    return data.draw(hnp.arrays("U1", values.shape[0], elements=st.sampled_from(keys)))[codes]


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.mergeable))
@FEW
@given(data=st.data())
def test_merge_equals_concatenation(spec: MetricSpec, data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 15))
    rows = data.draw(metric_data(spec.name, n))
    batch = _assignment(spec, rows, data, n, "012")
    whole = _call(spec, rows)
    # Metrics of customers need one contact a batch: empty batches are left out.
    batches = [_call(spec, _take(spec, rows, batch == part)) for part in "012" if (batch == part).any()]
    merged = batches[0]
    for other in batches[1:]:
        merged = merged + other
    assert_same(merged, whole)
    assert_same(sum(batches), whole)


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.mergeable and spec.groupable))
@FEW
@given(data=st.data(), overlapping=st.booleans())
def test_grouped_merge_equals_concatenation(spec: MetricSpec, data: st.DataObject, overlapping: bool) -> None:
    n = data.draw(st.integers(2, 15))
    rows = data.draw(metric_data(spec.name, n))
    in_first = _assignment(spec, rows, data, n, "01") == "0"
    first = _assignment(spec, rows, data, n, "ab")
    second = _assignment(spec, rows, data, n, "bc" if overlapping else "cd")
    labels = np.where(in_first, first, second)
    merged = _call(spec, _take(spec, rows, in_first), by=labels[in_first]) + _call(
        spec, _take(spec, rows, ~in_first), by=labels[~in_first]
    )
    whole = _call(spec, rows, by=labels)
    assert_same(merged, whole)
    parts = [_call(spec, _take(spec, rows, labels == label), by=labels[labels == label]) for label in "abcd"]
    assert_same(
        sum(part for part, label in zip(parts, "abcd", strict=True) if (labels == label).any()), whole
    )


# --------------------------------------------------------------------------- group law


def _group(spec: MetricSpec, grouped: Any, label: str) -> Any:
    """The group ``label`` of a grouped result (a ``Grouped``, or a result with per-label rows)."""
    if isinstance(grouped, Grouped) or hasattr(type(grouped), "__getitem__"):
        return grouped[label]
    position = list(np.asarray(grouped.labels)).index(label)
    return np.asarray(getattr(grouped, spec.headline))[position]


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.groupable))
@FEW
@given(data=st.data())
def test_grouped_equals_per_group(spec: MetricSpec, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 15))
    rows = data.draw(metric_data(spec.name, n))
    labels = _assignment(spec, rows, data, n, "abc")
    grouped = _call(spec, rows, by=labels)
    for label in sorted(set(labels.tolist())):
        alone = _call(spec, _take(spec, rows, labels == label))
        part = _group(spec, grouped, label)
        if isinstance(part, np.ndarray | np.generic):  # a per-label row of a headline array
            alone = _headline(spec, alone)[0]
        assert_same(part, alone, f"{spec.name}[{label!r}]")


# --------------------------------------------------------------------------- permutation


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.order_invariant))
@FEW
@given(data=st.data())
def test_row_order_does_not_matter(spec: MetricSpec, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 15))
    rows = data.draw(metric_data(spec.name, n))
    order = np.array(data.draw(st.permutations(range(n))), dtype=np.intp)
    assert_same(_call(spec, _take(spec, rows, order)), _call(spec, rows))


@pytest.mark.parametrize("spec", _specs(lambda spec: not spec.order_invariant and spec.headline is None))
@FEW
@given(data=st.data())
def test_element_wise_formulas_follow_the_order(spec: MetricSpec, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 10))
    rows = data.draw(metric_data(spec.name, n))
    order = np.array(data.draw(st.permutations(range(n))), dtype=np.intp)
    assert_same(_call(spec, _take(spec, rows, order)), np.asarray(_call(spec, rows))[order])


# --------------------------------------------------------------------------- monotonicity


# The largest valid value of an argument raised for the monotonicity test.
_CEILING = {"score": 10, "rating": 5, "fraction": 1.0}


def _raised(spec: MetricSpec, name: str, value: Any, step: Any) -> Any:
    role = spec.data.get(name, "number")
    raised = np.asarray(value) + step
    return np.minimum(raised, _CEILING[role]) if role in _CEILING else raised


@pytest.mark.parametrize(
    ("spec", "argument"),
    [
        pytest.param(spec, argument, id=f"{spec.name}-{argument}")
        for spec in REGISTRY.values()
        for argument in spec.monotone
    ],
)
@FEW
@given(data=st.data())
def test_headline_is_monotone_where_that_is_the_definition(
    spec: MetricSpec, argument: str, data: st.DataObject
) -> None:
    n = data.draw(st.integers(1, 12))
    rows = data.draw(metric_data(spec.name, n))
    options = valid_options(spec.name)
    before = rows[argument] if argument in rows else options[argument]
    whole = spec.data.get(argument) in ("score", "rating", "count") or argument in ("agents", "servers")
    steps = st.integers(0, 3) if whole else st.integers(0, 40).map(lambda x: x / 4)
    step = data.draw(hnp.arrays(np.float64 if not whole else np.int64, np.shape(before), elements=steps))
    after = _raised(spec, argument, before, step)
    if argument in rows:
        low, high = _call(spec, rows), _call(spec, rows | {argument: after})
    else:
        low, high = _call(spec, rows, **{argument: before}), _call(spec, rows, **{argument: after})
    low_value, high_value = _headline(spec, low)[0], _headline(spec, high)[0]
    both = ~np.isnan(low_value) & ~np.isnan(high_value)
    if spec.monotone[argument] == "decreasing":
        low_value, high_value = high_value, low_value
    assert (high_value[both] >= low_value[both] - 1e-9).all(), (
        argument,
        before,
        after,
        low_value,
        high_value,
    )


def test_monotonicity_is_declared_for_the_natural_cases() -> None:
    assert REGISTRY["service_level"].monotone["threshold_seconds"] == "increasing"
    assert REGISTRY["nps"].monotone["scores"] == "increasing"
    assert REGISTRY["erlang_c_service_level"].monotone["agents"] == "increasing"
    assert sum(bool(spec.monotone) for spec in REGISTRY.values()) >= 20


# --------------------------------------------------------------------------- input kinds


def _library(name: str) -> Any:
    return pytest.importorskip(name)


def _big_endian(array: np.ndarray) -> Any:
    if array.dtype.kind in "iufM":
        return array.astype(array.dtype.newbyteorder(">"))
    pytest.skip(f"no big-endian form of {array.dtype}")


def _strided(array: np.ndarray) -> Any:
    if array.ndim == 0:
        return array
    doubled = np.repeat(array, 2, axis=0)[::2]
    assert not doubled.flags.c_contiguous or array.shape[0] <= 1
    return doubled


def _read_only(array: np.ndarray) -> Any:
    frozen = array.copy()
    frozen.setflags(write=False)
    return frozen


def _pandas(array: np.ndarray) -> Any:
    return _library("pandas").Series(array)


def _pandas_nullable(array: np.ndarray) -> Any:
    pd = _library("pandas")
    dtype = {"b": "boolean", "i": "Int64", "f": "Float64", "U": "string"}.get(array.dtype.kind)
    if dtype is None:
        pytest.skip(f"no nullable pandas dtype for {array.dtype}")
    return pd.Series(array).astype(dtype)


def _polars(array: np.ndarray) -> Any:
    if array.dtype.kind == "M":  # polars holds ms, us or ns (and D) timestamps
        array = array.astype("datetime64[ms]")
    return _library("polars").Series(array)


def _pyarrow(array: np.ndarray) -> Any:
    return _library("pyarrow").array(array)


def _masked(array: np.ndarray) -> Any:
    return np.ma.masked_array(array, mask=np.zeros(array.shape, dtype=bool))  # nothing masked


def _pandas_categorical(array: np.ndarray) -> Any:
    if array.dtype.kind not in "UO":
        pytest.skip(f"no categorical form of {array.dtype} data")
    return _library("pandas").Series(array, dtype="category")


def _pandas_zoned(array: np.ndarray) -> Any:
    if array.dtype.kind != "M":
        pytest.skip(f"{array.dtype} data are not timestamps")
    return _library("pandas").Series(array).dt.tz_localize("UTC")


KINDS: dict[str, Callable[[np.ndarray], Any]] = {
    "list": lambda array: array.tolist(),
    "masked": _masked,
    "read_only": _read_only,
    "strided": _strided,
    "big_endian": _big_endian,
    "pandas": _pandas,
    "pandas_nullable": _pandas_nullable,
    "pandas_categorical": _pandas_categorical,
    "pandas_zoned": _pandas_zoned,
    "polars": _polars,
    "pyarrow": _pyarrow,
}

# Kinds a metric's input layer does not take yet (non-strict: XPASS shows when they work).
KNOWN_KIND_GAPS: dict[tuple[str, str], str] = {}


def _valid_call(spec: MetricSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bad-input matrix's valid call, split into data arrays and options (no ``by``)."""
    call = next(call for call in BAD_INPUT_CALLS if call.name == spec.name)
    args, kwargs = call.build()
    kwargs.pop("by", None)
    bound = inspect.signature(spec.function).bind(*args, **kwargs).arguments
    data = {name: np.asarray(bound[name]) for name in spec.data if bound.get(name) is not None}
    return data, {name: value for name, value in bound.items() if name not in data}


def _kind_cases() -> list[Any]:
    cases = []
    for spec in REGISTRY.values():
        for kind in KINDS:
            marks = []
            if (spec.name, kind) in KNOWN_KIND_GAPS:
                marks = [pytest.mark.xfail(reason=KNOWN_KIND_GAPS[spec.name, kind], strict=False)]
            cases.append(pytest.param(spec, kind, id=f"{spec.name}-{kind}", marks=marks))
    return cases


@pytest.mark.parametrize(("spec", "kind"), _kind_cases())
def test_every_input_kind_gives_the_numpy_result(spec: MetricSpec, kind: str) -> None:
    data, options = _valid_call(spec)
    converted = {}
    for name, array in data.items():
        if array.ndim != 1 and kind not in ("list", "masked", "read_only", "strided", "big_endian"):
            converted[name] = array  # a table of checks: Series are 1-D
        else:
            converted[name] = KINDS[kind](array)
    converted_options = options
    if kind == "pandas_zoned":  # naive and aware never mix: timestamp options become aware too
        converted_options = {
            name: _pandas_zoned(value) if isinstance(value, np.ndarray) and value.dtype.kind == "M" else value
            for name, value in options.items()
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        expected = spec.function(**data, **options)
        actual = spec.function(**converted, **converted_options)
    assert_same(actual, expected)


@pytest.mark.parametrize("spec", _specs(lambda spec: not spec.order_invariant and spec.headline is None))
def test_zero_d_arrays_give_the_scalar_result(spec: MetricSpec) -> None:
    """Element-wise formulas: 0-d arrays of each row's values give that row's figure."""
    data, options = _valid_call(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        whole = np.asarray(spec.function(**data, **options))
    for row in range(whole.shape[0]):
        cell = {name: np.asarray(array[row] if array.ndim else array) for name, array in data.items()}
        assert all(array.ndim == 0 for array in cell.values())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            result = spec.function(**cell, **options)
        assert np.ndim(result) == 0, f"{spec.name}: 0-d inputs gave shape {np.shape(result)}"
        assert_same(np.asarray(result), whole[row], f"{spec.name} row {row}")


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("spec", _specs(lambda spec: True))
def test_bad_input_matrix_covers_every_data_argument(spec: MetricSpec) -> None:
    """The bad-input matrix (test_bad_inputs.py) runs on every data argument of every metric."""
    calls = [call for call in BAD_INPUT_CALLS if call.name == spec.name]
    assert len(calls) == 1
    tested = {arg.name for arg in calls[0].arrays}
    assert set(spec.data) <= tested | _optional_untested(spec), set(spec.data) - tested
    assert ("by" in tested) == spec.groupable or spec.name in _BY_UNTESTED


# Data arguments the bad-input matrix leaves to the family tests, and metrics whose
# ``by`` it does not exercise.
_BY_UNTESTED = frozenset({"complaints", "engagement", "follower_growth", "reviews"})


def _optional_untested(spec: MetricSpec) -> set[str]:
    return set()


# --------------------------------------------------------------------------- missing values by kind
#
# A missing value must mean the same in every container: NaT in a resolution or reply
# column ("not yet"), and NaN among answers skipped with ``nan_policy='omit'``. The numpy
# form (NaN / NaT) is the reference; a masked entry, pandas ``NA``, a polars null and a
# pyarrow null must give its result.

# The entry made missing: the first, present in every valid call of the bad-input matrix.
MISSING_AT = 0


def _missing_argument(spec: MetricSpec) -> tuple[str, dict[str, Any]] | None:
    """The data argument that may hold missing values, and the options that allow them."""
    for name, role in spec.data.items():
        if role in ("resolved", "reply"):
            return name, {}
    first_role = next(iter(spec.data.values()))
    if "nan_policy" in inspect.signature(spec.function).parameters and first_role != "checks":
        return next(iter(spec.data)), {"nan_policy": "omit"}
    return None


def _with_missing(array: np.ndarray) -> np.ndarray:
    out = array.astype("datetime64[s]" if array.dtype.kind == "M" else np.float64)
    out[MISSING_AT] = np.datetime64("NaT") if out.dtype.kind == "M" else np.nan
    return out


def _masked(array: np.ndarray) -> Any:
    mask = np.zeros(array.shape, dtype=bool)
    mask[MISSING_AT] = True
    return np.ma.masked_array(array, mask=mask)


def _pandas_na(array: np.ndarray) -> Any:
    pd = _library("pandas")
    if array.dtype.kind == "M":
        series = pd.Series(array.astype("datetime64[ns]"))
    else:
        series = pd.Series(array).astype("Int64")
    series[MISSING_AT] = pd.NA
    return series


def _polars_null(array: np.ndarray) -> Any:
    pl = _library("polars")
    values = array.astype("datetime64[ms]").tolist() if array.dtype.kind == "M" else array.tolist()
    values[MISSING_AT] = None
    return pl.Series(values)


def _pyarrow_null(array: np.ndarray) -> Any:
    pa = _library("pyarrow")
    values = array.astype("datetime64[ms]").tolist() if array.dtype.kind == "M" else array.tolist()
    values[MISSING_AT] = None
    return pa.array(values)


MISSING_KINDS: dict[str, Callable[[np.ndarray], Any]] = {
    "masked": _masked,
    "pandas_na": _pandas_na,
    "polars_null": _polars_null,
    "pyarrow_null": _pyarrow_null,
}
# Containers whose missing entries the input layer does not read as missing yet.
KNOWN_MISSING_GAPS: dict[str, str] = {}


def _missing_cases() -> list[Any]:
    cases = []
    for spec in REGISTRY.values():
        if _missing_argument(spec) is None:
            continue
        for kind in MISSING_KINDS:
            marks = []
            if kind in KNOWN_MISSING_GAPS:
                marks = [pytest.mark.xfail(reason=KNOWN_MISSING_GAPS[kind], strict=False)]
            cases.append(pytest.param(spec, kind, id=f"{spec.name}-{kind}", marks=marks))
    return cases


@pytest.mark.parametrize(("spec", "kind"), _missing_cases())
def test_a_missing_entry_means_the_same_in_every_container(spec: MetricSpec, kind: str) -> None:
    found = _missing_argument(spec)
    assert found is not None
    name, allow = found
    data, options = _valid_call(spec)
    options |= allow
    source = data[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        expected = spec.function(**(data | {name: _with_missing(source)}), **options)
        actual = spec.function(**(data | {name: MISSING_KINDS[kind](source)}), **options)
    assert_same(actual, expected)


# --------------------------------------------------------------------------- what reads the registry


def test_standards_take_names_labels_units_and_directions_from_the_registry() -> None:
    from cskpi._report.standards import STANDARD_METRICS

    for name, metric in STANDARD_METRICS.items():
        entry = REGISTRY.get(name) or DERIVED[name]
        assert (metric.label, metric.unit, metric.better) == (entry.label, entry.unit, entry.better)
        if name != "ces":  # CES targets follow the scale parameter, not the default scale's bounds
            assert metric.bounds == entry.bounds
    assert cskpi.Standard(name="NPS", metric="nps", target=30).direction == "at_least"
    assert cskpi.Standard(name="ASA", metric="asa", target=30).direction == "at_most"


def test_report_columns_take_titles_units_and_directions_from_the_registry() -> None:
    contacts = {
        "created": ["2026-01-05T09:00", "2026-02-03T11:00"],
        "wait_seconds": [10.0, 30.0],
        "abandoned": [False, True],
        "nps": [10.0, 6.0],
    }
    report = cskpi.kpi_report(contacts, service_level_threshold=15)
    metric = {"volume": "volume", "service_level": "service_level", "asa": "asa", "nps": "nps"}
    metric |= {"abandonment_rate": "abandonment_rate"}
    for series in report.kpis:
        entry = REGISTRY[metric[series.key]]
        assert (series.unit, series.better) == (entry.unit, entry.better)
        assert series.label == entry.column_title(threshold_seconds=15)
    assert [series.label for series in report.kpis] == ["contacts", "SL 15s", "ASA", "abandoned", "NPS"]


def test_display_shows_every_registered_headline() -> None:
    from cskpi._core import display

    assert display_figures() == display._HEADLINES
    for spec in REGISTRY.values():
        if spec.headline is not None:
            assert spec.headline in display._HEADLINES
            # a metric's own figures keep their declared order in the display
            positions = [display._HEADLINES.index(figure) for figure in spec.figures]
            assert positions == sorted(positions), spec.name


def test_the_laws_catch_a_wrong_declaration() -> None:
    """A customer's contacts split over two batches break the merge law: hence ``partition``."""
    customers, days = np.array(["a", "a"]), np.array(["2024-05-01", "2024-05-03"], dtype="datetime64[D]")
    split = cskpi.repeat_rate(customers[:1], days[:1]) + cskpi.repeat_rate(customers[1:], days[1:])
    with pytest.raises(AssertionError):
        assert_same(split, cskpi.repeat_rate(customers, days))
    assert REGISTRY["repeat_rate"].partition == "customer_ids"
    # Different results are told apart (the comparison is not vacuous).
    with pytest.raises(AssertionError):
        assert_same(cskpi.nps([10, 0]), cskpi.nps([10, 9]))


@pytest.mark.parametrize("spec", _specs(lambda spec: spec.headline is not None))
def test_display_renders_every_metric_with_its_headline(spec: MetricSpec) -> None:
    from cskpi._core.display import result_rows

    data, options = _valid_call(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        result = spec.function(**data, **options)
    headers, rows = result_rows(result)
    assert spec.headline in headers and rows
