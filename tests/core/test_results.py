"""The result protocol: exact lookups, ``value``, ``to_dict`` and the converters, merge laws, NaN intervals."""

from __future__ import annotations

import inspect
import itertools
import math
import warnings
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
from cskpi import Grouped, UndefinedMetricWarning
from cskpi._core.results import LabelledResult, Mergeable, Tabular, label_position
from test_bad_inputs import LABELS, REGISTRY

# --------------------------------------------------------------------------- exact lookups


def test_text_lookup_is_whole_never_truncated() -> None:
    grouped = cskpi.nps([10, 9, 3], by=["A1", "A1", "A2"])
    assert grouped["A1"] == cskpi.nps([10, 9])
    assert "A10" not in grouped
    with pytest.raises(KeyError):
        grouped["A10"]
    assert np.str_("A2") in grouped


def test_number_lookup_is_exact_and_never_overflows() -> None:
    grouped = cskpi.nps([10, 3, 7], by=[1, 2, 3])
    # Numbers equal as numbers: 1, numpy 1 and 1.0 name the group 1.
    assert grouped[1] == grouped[np.int64(1)] == grouped[1.0] == cskpi.nps([10])
    for missing in ("1", ["1"], 1.7, 2**64 + 1, -(2**70), True, None, float("nan"), b"1"):
        assert missing not in grouped
        with pytest.raises(KeyError):
            grouped[missing]


def test_bool_labels_are_not_numbers_or_text() -> None:
    grouped = cskpi.nps([10, 3], by=[True, False])
    assert grouped[True] == cskpi.nps([10]) and grouped[np.False_] == cskpi.nps([3])
    for missing in ("no", "True", 1, 0, 1.0):
        with pytest.raises(KeyError):
            grouped[missing]


def test_float_labels_and_large_integers() -> None:
    grouped = cskpi.nps([10, 3], by=np.array([2.0**60, 0.5]))
    assert grouped[2**60] == cskpi.nps([10])
    with pytest.raises(KeyError):
        grouped[2**60 + 1]  # float(2**60 + 1) == 2.0**60, but the numbers differ
    assert grouped[0.5] == cskpi.nps([3])


def test_datetime_labels_take_iso_text_at_the_same_instant() -> None:
    months = np.array(["2024-01", "2024-02"], dtype="datetime64[M]")
    grouped = cskpi.nps([10, 3], by=months)
    assert grouped["2024-01"] == grouped["2024-01-01"] == grouped[np.datetime64("2024-01")] == cskpi.nps([10])
    for missing in ("2024-01-15", "January", 2024, "2024-03"):
        with pytest.raises(KeyError):
            grouped[missing]


def test_several_keys_need_a_tuple_of_exact_parts() -> None:
    grouped = cskpi.nps([10, 3, 7], by=(["a", "a", "b"], [1, 2, 1]))
    assert grouped["a", 2] == cskpi.nps([3])
    for missing in (("a", "2"), ("a",), "a", ("a", 2, 0), ("a", True)):
        with pytest.raises(KeyError):
            grouped[missing]


def test_labelled_result_lookup_is_exact() -> None:
    result = cskpi.answer_time_percentile([5.0, 10.0, 20.0], quantile=0.5, by=["A1", "A1", "A2"])
    assert isinstance(result, LabelledResult)
    assert result["A1"].n == 2 and result["A2"].n == 1
    with pytest.raises(KeyError):
        result["A10"]
    assert "A10" not in result and "A2" in result
    assert len(result) == 2 and list(result) == ["A1", "A2"] == result.keys()
    assert [key for key, _ in result.items()] == ["A1", "A2"]


def test_ungrouped_labelled_result_is_true_and_not_indexable() -> None:
    result = cskpi.answer_time_percentile([5.0, 10.0], quantile=0.5)
    assert bool(result)
    with pytest.raises(TypeError, match="not grouped"):
        result["a"]


def test_label_position_text_against_numbers() -> None:
    labels = (np.array([1, 2, 3]),)
    assert label_position(labels, 3) == 2
    with pytest.raises(KeyError):
        label_position(labels, "3")


def test_iteration_len_keys_items_match_labels() -> None:
    grouped = cskpi.nps([10, 3, 7, 9], by=["b", "a", "c", "a"])
    assert list(grouped) == grouped.keys() == ["a", "b", "c"]
    assert len(grouped) == 3
    assert [key for key, _ in grouped.items()] == ["a", "b", "c"]
    assert dict(grouped.items())["a"] == cskpi.nps([3, 9])


# --------------------------------------------------------------------------- every result class


def _results() -> list[tuple[str, Any]]:
    """One result of every public function that returns a result, ungrouped and grouped where it can be."""
    out: list[tuple[str, Any]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for spec in REGISTRY:
            args, kwargs = spec.build()
            result = spec.function(*args, **kwargs)
            if isinstance(result, Tabular):
                out.append((spec.name, result))
            parameters = inspect.signature(spec.function).parameters
            if "by" in parameters and kwargs.get("by") is None and isinstance(result, Tabular):
                n_rows = len(np.asarray(args[0]))
                by = LABELS[:n_rows] if n_rows == len(LABELS) else None
                try:
                    grouped = spec.function(*args, **{**kwargs, "by": by}) if by is not None else None
                except cskpi.InvalidInputError:  # grouping needs further arguments (complaints)
                    grouped = None
                if grouped is not None:
                    out.append((f"{spec.name}-by", grouped))
    return out


RESULTS = _results()
# Report objects hold many KPIs (their to_dict is a report document); the others are input
# or container types, not results.
NOT_RESULTS = {
    "ConfidenceInterval",
    "BusinessHours",
    "Standard",
    "StandardResults",
    "KPIReport",
    "KPISeries",
    "Grouped",
}
# Classes without one headline figure, and why.
NO_HEADLINE = {
    "CLVInputs": "the inputs of several CLV formulas (order value, frequency, retention), none of them the CLV",
    "ReplyTimes": "a container of three ResponseTime results (per conversation, first reply, all replies)",
}


def _result_classes() -> list[type]:
    classes = []
    for name in cskpi.__all__:
        obj = getattr(cskpi, name)
        if inspect.isclass(obj) and attrs.has(obj) and name not in NOT_RESULTS:
            classes.append(obj)
    return classes


def test_every_public_result_class_takes_part_in_the_protocol() -> None:
    built = {type(getattr(result, "values", result)) for _, result in RESULTS}
    # Results held inside others (the duration totals of a response time).
    built |= {type(result.totals.values) for _, result in RESULTS if hasattr(result, "totals")}
    for cls in _result_classes():
        assert issubclass(cls, Tabular), cls
        assert cls in built, f"no registry call builds a {cls.__name__}"


@pytest.mark.parametrize("cls", _result_classes(), ids=lambda c: c.__name__)
def test_value_is_the_headline_of_every_result_class(cls: type) -> None:
    if cls.__name__ in NO_HEADLINE:
        assert cls._headline is None and not hasattr(cls, "value")  # type: ignore[attr-defined]
        return
    headline = cls._headline  # type: ignore[attr-defined]
    assert isinstance(headline, str) and isinstance(cls.value, property)  # type: ignore[attr-defined]
    assert headline in cls.value.__doc__  # type: ignore[attr-defined]
    for _, result in RESULTS:
        if type(getattr(result, "values", result)) is cls:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                value, alias = result.value, getattr(result, headline)
            assert np.array_equal(np.asarray(value), np.asarray(alias), equal_nan=True)


def test_score_and_rate_stay_aliases_of_value() -> None:
    assert cskpi.nps([10, 3]).value == cskpi.nps([10, 3]).score == 0.0
    fcr = cskpi.repeat_rate(["a", "a", "b"])
    assert fcr.value == fcr.rate == 0.5


@pytest.mark.parametrize(("name", "result"), RESULTS, ids=[name for name, _ in RESULTS])
def test_to_dict_is_equal_length_columns(name: str, result: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        columns = result.to_dict()
    # At most one warning for the whole table, and only for undefined figures.
    assert len(caught) <= 1 and all(issubclass(w.category, UndefinedMetricWarning) for w in caught)
    assert columns and all(isinstance(key, str) for key in columns)
    lengths = {key: len(column) for key, column in columns.items()}
    assert len(set(lengths.values())) == 1, lengths
    values = getattr(result, "values", result)
    if type(values).__name__ not in NO_HEADLINE:
        assert "value" in columns
    elif type(values).__name__ == "CLVInputs":
        assert "value" not in columns
    if isinstance(result, Grouped):
        for key_name in result.names:
            assert key_name in columns
        assert len(result) == 0 or lengths["value"] % len(result) == 0


def test_single_result_gives_columns_of_length_one() -> None:
    columns = cskpi.nps([10, 10, 3, 8]).to_dict()
    # 2 promoters, 1 passive, 1 detractor: NPS 25.
    assert {key: column.tolist() for key, column in columns.items() if not key.startswith("ci_")} == {
        "promoters": [2],
        "passives": [1],
        "detractors": [1],
        "n": [4],
        "value": [25.0],
        "promoter_share": [0.5],
        "passive_share": [0.25],
        "detractor_share": [0.25],
    }
    interval = cskpi.nps([10, 10, 3, 8]).confidence_interval()
    assert columns["ci_low"].tolist() == [interval.low] and columns["ci_high"].tolist() == [interval.high]


def test_grouped_to_dict_labels_and_figures() -> None:
    grouped = cskpi.service_level([5.0, 30.0, 10.0], 20, by=(["x", "y", "x"], [1, 1, 2]))
    columns = grouped.to_dict()
    assert grouped.names == ("by[0]", "by[1]")
    assert columns["by[0]"].tolist() == ["x", "x", "y"] and columns["by[1]"].tolist() == [1, 2, 1]
    assert columns["value"].tolist() == [1.0, 1.0, 0.0]
    assert columns["n"].tolist() == [1, 1, 1]


def test_time_series_to_dict_one_row_per_group_and_period() -> None:
    stamps = np.array(["2024-01-03", "2024-02-05", "2024-02-07"], dtype="datetime64[s]")
    grouped = cskpi.volume(stamps, period="month", by=["a", "b", "a"])
    columns = grouped.to_dict()
    assert columns["by"].tolist() == ["a", "a", "b", "b"]
    assert columns["period"].astype(str).tolist() == ["2024-01", "2024-02", "2024-01", "2024-02"]
    assert columns["value"].tolist() == [1, 1, 0, 1]


def test_cohort_table_to_dict_one_row_per_cohort_and_offset() -> None:
    result = cskpi.repeat_contact_retention(
        ["a", "b", "a"],
        np.array(["2024-01-02", "2024-01-05", "2024-02-03"], dtype="datetime64[s]"),
        period="month",
    )
    columns = result.to_dict()
    n_cohorts, n_offsets = np.shape(result.rates)
    assert len(columns["cohort"]) == n_cohorts * n_offsets
    assert np.array_equal(columns["value"], np.asarray(result.rates).reshape(-1), equal_nan=True)


def test_to_pandas_polars_arrow_round_trip() -> None:
    grouped = cskpi.nps([10, 3, 7, 9], by=["b", "a", "c", "a"])
    columns = grouped.to_dict()
    pd = pytest.importorskip("pandas")
    frame = grouped.to_pandas()
    assert list(frame.columns) == list(columns)
    assert frame["by"].tolist() == ["a", "b", "c"] and frame["value"].tolist() == columns["value"].tolist()
    assert isinstance(frame, pd.DataFrame)
    pl = pytest.importorskip("polars")
    polars_frame = grouped.to_polars()
    assert isinstance(polars_frame, pl.DataFrame) and polars_frame["n"].to_list() == [2, 1, 1]
    pa = pytest.importorskip("pyarrow")
    table = grouped.to_arrow()
    assert isinstance(table, pa.Table) and table.column("value").to_pylist() == columns["value"].tolist()


def test_dataframe_of_a_grouped_result_raises_naming_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    grouped = cskpi.nps([10, 3], by=["a", "b"])
    with pytest.raises(TypeError, match="to_pandas"):
        pd.DataFrame(grouped)
    with pytest.raises(TypeError, match="to_pandas"):
        np.asarray(grouped)
    assert pd.DataFrame(grouped.to_dict())["by"].tolist() == ["a", "b"]


def test_missing_library_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_polars(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "polars":
            raise ImportError("no polars")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "polars", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_polars)
    monkeypatch.setattr("importlib.import_module", lambda name: no_polars(name))
    with pytest.raises(ImportError, match=r"to_polars\(\) needs polars, which is not installed; install it with: pip install polars"):
        cskpi.nps([10]).to_polars()


def test_isclose_tolerates_float_sums_and_eq_is_exact() -> None:
    waits = [0.1, 0.2, 0.3]
    merged = cskpi.asa([0.1, 0.2]) + cskpi.asa([0.3])
    whole = cskpi.asa(waits)
    assert merged.isclose(whole)
    assert not merged.isclose(cskpi.asa([0.1, 0.2, 0.4]))
    assert not merged.isclose(cskpi.nps([10]))
    g1, g2 = cskpi.asa([0.1, 0.2], by=["a", "a"]), cskpi.asa([0.3], by=["a"])
    assert (g1 + g2).isclose(cskpi.asa(waits, by=["a"] * 3))
    assert not (g1 + g2).isclose(cskpi.asa(waits, by=["b"] * 3))


# --------------------------------------------------------------------------- merge laws


def _split(data: list[Any], cuts: list[int]) -> list[list[Any]]:
    points = sorted({min(c, len(data)) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


rows = st.lists(
    st.tuples(st.integers(0, 10), st.sampled_from(["b", "a", "c", "é"]), st.integers(0, 2)), max_size=40
)
cuts = st.lists(st.integers(0, 40), max_size=4)


@settings(max_examples=60, deadline=None)
@given(rows, cuts)
def test_nps_merge_law_over_many_batches(data: list[tuple[int, str, int]], cut: list[int]) -> None:
    def f(part: list[tuple[int, str, int]]) -> Any:
        return cskpi.nps([s for s, _, _ in part], by=([k for _, k, _ in part], [d for _, _, d in part]))

    assert sum(f(part) for part in _split(data, cut)) == f(data)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.sampled_from(["x", "w", "y"])), max_size=30),
    cuts,
)
def test_csat_aspects_merge_law(data: list[tuple[int, int, str]], cut: list[int]) -> None:
    def f(part: list[tuple[int, int, str]]) -> Any:
        table = np.array([[a, b] for a, b, _ in part], dtype=np.int64).reshape(-1, 2)
        return cskpi.csat(table, aspects=["zeta", "alpha"], by=[k for _, _, k in part])

    parts = _split(data, cut)
    assert sum(f(part) for part in parts) == f(data)
    if len(parts) == 2:
        assert f(parts[0]) + f(parts[1]) == f(parts[1]) + f(parts[0])


def test_csat_aspects_disjoint_groups_merge_in_sorted_order() -> None:
    table_a = np.array([[5, 1], [4, 4]])
    table_b = np.array([[2, 5]])
    a = cskpi.csat(table_a, aspects=["zeta", "alpha"], by=["south", "south"])
    b = cskpi.csat(table_b, aspects=["zeta", "alpha"], by=["north"])
    both = cskpi.csat(
        np.vstack([table_a, table_b]), aspects=["zeta", "alpha"], by=["south", "south", "north"]
    )
    assert a + b == both == b + a
    assert both.keys() == [("north", "alpha"), ("north", "zeta"), ("south", "alpha"), ("south", "zeta")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.sampled_from(["q1", "q2"])), max_size=30), cuts)
def test_service_level_merge_law(data: list[tuple[float, str]], cut: list[int]) -> None:
    def f(part: list[tuple[float, str]]) -> Any:
        return cskpi.service_level([w for w, _ in part], 20, by=[k for _, k in part])

    assert sum(f(part) for part in _split(data, cut)) == f(data)


days = st.integers(0, 90).map(lambda d: np.datetime64("2024-01-01") + np.timedelta64(d, "D"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(days, st.sampled_from(["phone", "chat"])), max_size=30),
    cuts,
    st.sampled_from(["day", "week", "month"]),
)
def test_volume_merge_law_across_period_ranges(
    data: list[tuple[Any, str]], cut: list[int], period: str
) -> None:
    data = sorted(data, key=lambda row: row[0])  # batches by time: each covers its own range

    def f(part: list[tuple[Any, str]]) -> Any:
        stamps = np.array([d for d, _ in part], dtype="datetime64[s]")
        return cskpi.volume(stamps, period=period, by=[c for _, c in part])

    parts = [part for part in _split(data, cut) if part]
    if parts:
        assert sum(f(part) for part in parts) == f(data)
        single = [
            cskpi.volume(np.array([d for d, _ in part], dtype="datetime64[s]"), period=period)
            for part in parts
        ]
        assert sum(single) == cskpi.volume(
            np.array([d for d, _ in data], dtype="datetime64[s]"), period=period
        )


def test_volume_jan_plus_mar_pads_february() -> None:
    jan = cskpi.volume(np.array(["2024-01-03", "2024-01-20"], dtype="datetime64[s]"), period="month")
    mar = cskpi.volume(np.array(["2024-03-09"], dtype="datetime64[s]"), period="month")
    total = jan + mar
    assert total.periods.astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    assert total.n_contacts.tolist() == [2, 0, 1]
    assert mar + jan == total


# --------------------------------------------------------------------------- intervals over no observations


@pytest.mark.parametrize(
    "interval",
    [
        lambda: cskpi.csat([]).confidence_interval(),
        lambda: cskpi.nps([]).confidence_interval(),
        lambda: cskpi.nps([]).confidence_interval(method="adjusted_wald"),
        lambda: cskpi.service_level([], 20).confidence_interval(),
        lambda: cskpi.abandonment_rate(np.zeros(0, dtype=bool)).confidence_interval(),
        lambda: cskpi.ces([]).confidence_interval(),
    ],
    ids=["csat", "nps-wald", "nps-adjusted", "service_level", "abandonment", "ces"],
)
def test_interval_over_zero_observations_is_nan_with_a_warning(interval: Any) -> None:
    with pytest.warns(UndefinedMetricWarning, match="undefined|needs at least"):
        result = interval()
    assert math.isnan(result.low) and math.isnan(result.high)


def test_grouped_interval_is_nan_only_for_the_empty_groups_with_one_warning() -> None:
    grouped = cskpi.csat([5, 4], by=["a", "a"]) + cskpi.csat([], by=np.array([], dtype="U1"))
    padded = grouped + cskpi.csat(np.zeros(0, dtype=np.int64), by=np.array([], dtype="U1"))
    assert padded == grouped
    empty_b = cskpi.CSAT(counts=np.array([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]), scale=(1, 5), satisfied_from=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        interval = empty_b.confidence_interval()
    assert len(caught) == 1 and issubclass(caught[0].category, UndefinedMetricWarning)
    assert not math.isnan(interval.low[0]) and math.isnan(interval.low[1]) and math.isnan(interval.high[1])


@pytest.mark.parametrize("method", ["wald", "adjusted_wald"])
def test_nps_difference_of_empty_samples_is_nan_with_a_warning(method: str) -> None:
    with pytest.warns(UndefinedMetricWarning, match="zero answers"):
        test = cskpi.nps_difference(cskpi.nps([]), cskpi.nps([]), method=method)
    assert (
        math.isnan(test.p_value) and math.isnan(test.difference) and math.isnan(test.confidence_interval.low)
    )
    with pytest.warns(UndefinedMetricWarning, match="zero answers"):
        one_empty = cskpi.nps_difference(cskpi.nps([10, 3]), cskpi.nps([]), method=method)
    assert math.isnan(one_empty.p_value)


def test_mixins_are_shared() -> None:
    assert (
        issubclass(Mergeable, Tabular)
        and issubclass(LabelledResult, Tabular)
        and issubclass(Grouped, Tabular)
    )


# --------------------------------------------------------------------------- the mergeable histogram


def _value_counts(values: list[float], keys: list[str], limit: int | None) -> Any:
    from cskpi._core.histogram import ValueCounts, tabulate

    return tabulate(
        ValueCounts,
        (np.array(keys, dtype="U2"),),
        np.array(values, dtype=np.float64),
        np.ones(len(values), dtype=np.int64),
        names=("by",),
        resolution_seconds=5.0,
        max_exact_values=limit,
        exact=True,
    )


def test_value_counts_merge_exactly_and_round_up_past_the_limit() -> None:
    values, keys = [1.0, 2.0, 2.0, 7.5, 11.0, math.inf], ["a", "a", "b", "a", "b", "b"]
    whole = _value_counts(values, keys, None)
    assert _value_counts(values[:3], keys[:3], None) + _value_counts(values[3:], keys[3:], None) == whole
    # a: 1, 2, 7.5; b: 2, 11, inf: six distinct pairs, one contact each.
    assert whole.counts.tolist() == [1, 1, 1, 1, 1, 1] and whole.n == 6 and whole.exact
    rounded = _value_counts(values, keys, 3)
    # Past 3 distinct pairs every value is rounded up to a multiple of 5 s: a {5: 2, 10: 1}, b {5, 15, inf}.
    assert not rounded.exact
    assert rounded.seconds.tolist() == [5.0, 10.0, 5.0, 15.0, math.inf]
    assert rounded.counts.tolist() == [2, 1, 1, 1, 1]
    assert _value_counts(values[:2], keys[:2], 3) + _value_counts(values[2:], keys[2:], 3) == rounded
