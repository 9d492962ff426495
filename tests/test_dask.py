"""Tests for cskpi.dask: every distributed result equals the in-memory result on the same data.

The distributed tests run on one module-scoped ``distributed.LocalCluster`` with two
worker processes. The whole file is skipped where Dask is not installed; the last
tests check that the core never imports Dask.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import cskpi  # noqa: E402
import cskpi.dask as cd  # noqa: E402
from cskpi import InvalidInputError, InvalidTypeError, UndefinedMetricWarning  # noqa: E402
from helpers import read_only  # noqa: E402

# --------------------------------------------------------------------------- data

CHANNELS = np.array(["chat", "email", "phone"], dtype=object)
START = np.datetime64("2024-01-01T00:00", "s")


def contacts(seed: int, n: int = 240) -> pd.DataFrame:
    """Random contacts; durations in whole seconds so that float sums are exact in any order."""
    rng = np.random.default_rng(seed)
    created = START + rng.integers(0, 90 * 86400, n).astype("timedelta64[s]")
    resolved = created + rng.integers(0, 5 * 86400, n).astype("timedelta64[s]")
    resolved[rng.random(n) < 0.2] = np.datetime64("NaT")
    score_nan = rng.integers(0, 11, n).astype(float)
    score_nan[rng.random(n) < 0.1] = np.nan
    billing = rng.integers(1, 6, n).astype(float)
    billing[rng.random(n) < 0.3] = np.nan
    return pd.DataFrame(
        {
            "score": rng.integers(0, 11, n),
            "score_nan": score_nan,
            "rating": rng.integers(1, 6, n),
            "billing": billing,
            "effort": rng.integers(1, 8, n),
            "wait": rng.integers(0, 90, n).astype(float),
            "wait_frac": np.round(rng.exponential(25.0, n), 3),
            "abandoned": rng.random(n) < 0.15,
            "channel": rng.choice(CHANNELS, n),
            "agent": rng.integers(10, 16, n),
            "talk": rng.integers(30, 900, n).astype(float),
            "hold": rng.integers(0, 120, n).astype(float),
            "wrap": rng.integers(0, 200, n).astype(float),
            "ts": created.astype("datetime64[ns]"),
            "resolved": resolved.astype("datetime64[ns]"),
            "customer": rng.integers(0, 40, n),
            "customer_name": np.array([f"c{i}" for i in rng.integers(0, 40, n)], dtype=object),
        }
    )


TABLE = ["rating", "billing"]


def memory_columns(frame: pd.DataFrame) -> dict[str, Any]:
    return {**{name: frame[name] for name in frame.columns}, "table": frame[TABLE]}


def dask_columns(frame: pd.DataFrame, kind: str, seed: int) -> tuple[dict[str, Any], pd.DataFrame]:
    """Dask columns of ``frame`` with uneven partitions, one of them empty; and the rows they hold."""
    n = len(frame)
    if kind == "array":
        rng = np.random.default_rng(seed + 100)
        cuts = np.sort(rng.choice(np.arange(1, n), 4, replace=False))
        sizes = np.diff(np.r_[0, cuts, n]).tolist()
        chunks = ((*sizes[:2], 0, *sizes[2:]),)
        columns = {name: da.from_array(frame[name].to_numpy(), chunks=chunks) for name in frame.columns}
        # A 2-D table chunked along rows only.
        columns["table"] = da.from_array(frame[TABLE].to_numpy(dtype=float), chunks=(chunks[0], 1))
        return columns, frame
    # Dask DataFrame columns; the rows of the second partition are filtered out.
    ddf = dd.from_pandas(frame, npartitions=5, sort=True)
    low, high = ddf.divisions[1], ddf.divisions[2]
    kept = (frame.index < low) | (frame.index >= high)
    filtered = ddf.map_partitions(lambda part: part[(part.index < low) | (part.index >= high)])
    columns = {name: filtered[name] for name in frame.columns}
    columns["table"] = filtered[TABLE]
    return columns, frame.loc[np.asarray(kept)]


INSTANTS = np.array(["2024-01-15T00:00", "2024-02-01T12:00", "2024-03-01T00:00", "2024-03-20T08:00"], "M8[s]")


def service_level_case(policy: str) -> Any:
    short = 5 if policy == "short_abandoned_as_met" else None
    return lambda m, c: m.service_level(
        c["wait"], 20, abandoned=c["abandoned"], policy=policy, short_abandon_seconds=short, by=c["channel"]
    )


# Each case is called the same way on the module ``cskpi`` (in-memory columns) and on
# ``cskpi.dask`` (Dask columns).
CASES: dict[str, Any] = {
    "nps": lambda m, c: m.nps(c["score"]),
    "nps_by_channel": lambda m, c: m.nps(c["score"], by=c["channel"]),
    "nps_by_two_keys": lambda m, c: m.nps(c["score"], by=(c["channel"], c["agent"])),
    "nps_omit_nan": lambda m, c: m.nps(c["score_nan"], by=c["channel"], nan_policy="omit"),
    "csat_by_channel": lambda m, c: m.csat(c["rating"], by=c["channel"]),
    "csat_0_10": lambda m, c: m.csat(c["score"], scale=(0, 10), satisfied_from=9),
    # Aspect labels not in sorted order: results keep the column order within each group.
    "csat_table": lambda m, c: m.csat(c["table"], aspects=["zeta", "alpha"], nan_policy="omit"),
    "csat_table_by_channel": lambda m, c: m.csat(
        c["table"], aspects=["zeta", "alpha"], by=c["channel"], nan_policy="omit"
    ),
    "ces_by_agent": lambda m, c: m.ces(c["effort"], by=c["agent"]),
    **{f"service_level_{policy}": service_level_case(policy) for policy in cskpi.SERVICE_LEVEL_POLICIES},
    "service_level_curve_excluding_short": lambda m, c: m.service_level(
        c["wait"],
        [10, 20, 30, 60],
        abandoned=c["abandoned"],
        policy="abandoned_within_as_met",
        short_abandon_seconds=5,
        exclude_short_abandons=True,
        by=(c["channel"], c["agent"]),
    ),
    "service_level_flat": lambda m, c: m.service_level(c["wait_frac"], 20.0),
    "abandonment_rate": lambda m, c: m.abandonment_rate(c["abandoned"]),
    "abandonment_rate_short": lambda m, c: m.abandonment_rate(
        c["abandoned"], wait_seconds=c["wait"], short_abandon_seconds=5, by=c["channel"]
    ),
    "aht": lambda m, c: m.aht(c["talk"], c["hold"], c["wrap"], by=c["agent"]),
    "aht_talk_only": lambda m, c: m.aht(c["talk"]),
    "asa": lambda m, c: m.asa(c["wait"], abandoned=c["abandoned"], by=c["channel"]),
    "volume_day_by_channel": lambda m, c: m.volume(c["ts"], period="day", by=c["channel"]),
    "volume_week": lambda m, c: m.volume(c["ts"], period="week"),
    "volume_start_end": lambda m, c: m.volume(
        c["ts"], start="2024-02-01", end="2024-02-20", by=c["agent"], period="day"
    ),
    "volume_start_only": lambda m, c: m.volume(c["ts"], period="month", start="2024-02-10"),
    "volume_end_only": lambda m, c: m.volume(c["ts"], period="day", end="2024-01-20", by=c["channel"]),
    "volume_wide_range": lambda m, c: m.volume(c["ts"], period="month", start="2023-11-05", end="2024-06-01"),
    "open_cases": lambda m, c: m.open_cases(c["ts"], c["resolved"], INSTANTS, by=c["channel"]),
    "backlog": lambda m, c: m.backlog(c["ts"], c["resolved"], INSTANTS, age_limit_seconds=86400),
    "retention_weeks": lambda m, c: m.repeat_contact_retention(c["customer"], c["ts"], period="week"),
    "retention_names_rolling": lambda m, c: m.repeat_contact_retention(
        c["customer_name"], c["ts"], convention="rolling", end="2024-06-30"
    ),
    "percentiles": lambda m, c: m.answer_time_percentile(
        c["wait_frac"], quantile=[0.5, 0.8, 0.9, 1.0], abandoned=c["abandoned"], by=c["channel"]
    ),
    "percentiles_exclude": lambda m, c: m.answer_time_percentile(
        c["wait_frac"],
        quantile=0.9,
        abandoned=c["abandoned"],
        abandoned_policy="exclude",
        by=(c["channel"], c["agent"]),
    ),
    "percentile_flat": lambda m, c: m.answer_time_percentile(c["wait"], quantile=0.5),
    "percentiles_whole_seconds": lambda m, c: m.answer_time_percentile(
        c["wait"], quantile=[0.5, 0.9, 0.99], abandoned=c["abandoned"], by=c["agent"]
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_distributed_result_equals_in_memory(client: Any, case: str) -> None:
    # Three random data sets as Dask arrays and one as Dask DataFrame columns (uneven
    # partitions, one empty), computed together in one round trip to the cluster.
    expected, lazy = [], []
    series_seed = sorted(CASES).index(case) % 3
    for seed, kind in [(0, "array"), (1, "array"), (2, "array"), (series_seed, "series")]:
        columns, rows = dask_columns(contacts(seed), kind, seed)
        expected.append(CASES[case](cskpi, memory_columns(rows)))
        lazy.append(CASES[case](_Lazy(cd), columns))
    results = dask.compute(*lazy)
    for result, memory in zip(results, expected, strict=True):
        assert type(result) is type(memory)
        assert result == memory


class _Lazy:
    """``cskpi.dask`` with ``compute=False`` on every call."""

    def __init__(self, module: Any) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Any:
        function = getattr(self.module, name)
        return lambda *args, **kwargs: function(*args, compute=False, **kwargs)


def test_float_sums_agree_to_rounding(client: Any) -> None:
    # Fractional durations: the partial sums are added in another order than in memory.
    rng = np.random.default_rng(7)
    talk = rng.exponential(300.0, 5000)
    expected = cskpi.aht(talk)
    result = cd.aht(da.from_array(talk, chunks=700))
    assert result.n_handled == expected.n_handled == 5000
    assert result.total_talk_seconds == pytest.approx(expected.total_talk_seconds, rel=1e-12)
    assert result.total_talk_seconds != 0


def test_reduce_runs_any_mergeable_function(client: Any) -> None:
    rng = np.random.default_rng(3)
    available = rng.integers(600, 3600, 300).astype(float)
    handled = np.floor(available * rng.random(300))
    team = rng.choice(CHANNELS, 300)
    expected = cskpi.occupancy(handled, available, by=team)
    result = cd.reduce(
        cskpi.occupancy,
        da.from_array(handled, chunks=50),
        da.from_array(available, chunks=50),
        by=da.from_array(team, chunks=50),
    )
    assert result == expected


# --------------------------------------------------------------------------- hand-computed and published values


def test_nps_hand_computed(client: Any) -> None:
    # 4 promoters (10, 9, 9, 10), 3 passives (8, 7, 7), 3 detractors (6, 0, 3): 100 * (4 - 3) / 10 = 10.
    scores = da.from_array(np.array([10, 9, 9, 10, 8, 7, 7, 6, 0, 3]), chunks=3)
    result = cd.nps(scores)
    assert (result.promoters, result.passives, result.detractors) == (4, 3, 3)
    assert result.score == 10.0


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("abandoned_within_as_met", 880 / 1060),  # (860 + 20) / (1000 + 60) = 83.0 %
        ("abandoned_ignored", 860 / 1000),  # 860 / 1000 = 86.0 %
        ("abandoned_as_missed", 860 / 1060),  # 860 / 1060 = 81.1 %
        ("abandoned_within_ignored", 860 / 1040),  # 860 / (1000 + 40) = 82.7 %
        ("short_abandoned_as_met", 870 / 1060),  # (860 + 10) / 1060 = 82.1 %
    ],
)
def test_service_level_published_example(client: Any, policy: str, expected: float) -> None:
    # ICMI (2002), "Service Level Calculations", reproduced by Call Centre Helper: 1,000 answered,
    # 860 within 20 s; 60 abandoned, 20 within 20 s (10 of them within 5 s), 40 after.
    waits = np.r_[[10.0] * 860, [30.0] * 140, [3.0] * 10, [12.0] * 10, [45.0] * 40]
    gave_up = np.r_[[False] * 1000, [True] * 60]
    order = np.random.default_rng(0).permutation(waits.shape[0])
    result = cd.service_level(
        da.from_array(waits[order], chunks=97),
        20,
        abandoned=da.from_array(gave_up[order], chunks=97),
        policy=policy,  # type: ignore[arg-type]
        short_abandon_seconds=5 if policy == "short_abandoned_as_met" else None,
    )
    assert result.score == pytest.approx(expected, rel=1e-15)


def test_percentile_hand_computed_and_rounded(client: Any) -> None:
    # Ten waits: the 80th percentile is the ceil(0.8 * 10) = 8th smallest, 40 s. With 10 s bins
    # (at most 5 distinct waits kept exactly) the waits become 10, 10, 10, 20, 20, 20, 30, 40, 90, 200
    # and the median (5th smallest) 20 s = 10 * ceil(15 / 10).
    waits = da.from_array(np.array([2, 5, 8, 12, 15, 20, 30, 40, 90, 200.0]), chunks=3)
    exact = cd.answer_time_percentile(waits, quantile=[0.5, 0.8])
    assert exact.seconds.tolist() == [15.0, 40.0]
    rounded = cd.answer_time_percentile(waits, quantile=0.5, resolution_seconds=10, max_exact_values=5)
    assert rounded.seconds == 20.0
    counts = cd.answer_time_counts(waits, resolution_seconds=10, max_exact_values=5)
    assert counts.exact is False
    assert counts.seconds.tolist() == [10.0, 20.0, 30.0, 40.0, 90.0, 200.0]
    assert counts.counts.tolist() == [3, 3, 1, 1, 1, 1]


def test_percentile_interval_on_the_cluster_equals_in_memory(client: Any) -> None:
    # The median of ten waits at 95 %: the 2nd and 9th smallest (5 and 90 s), from counts merged
    # over three chunks; per group as in memory; lazily too.
    values = np.array([2, 5, 8, 12, 15, 20, 30, 40, 90, 200.0])
    waits = da.from_array(values, chunks=3)
    median = cd.answer_time_percentile(waits, quantile=0.5, confidence_level=0.95)
    assert (median.seconds, *median.confidence_interval()) == (15.0, 5.0, 90.0)
    groups = np.array(["a", "b"] * 5)
    lazy = cd.answer_time_percentile(
        waits, quantile=[0.5, 0.9], by=da.from_array(groups, chunks=3), confidence_level=0.9, compute=False
    )
    got = lazy.compute()
    want = cskpi.answer_time_percentile(values, quantile=[0.5, 0.9], by=groups, confidence_level=0.9)
    for name in ("seconds", "ci_low_seconds", "ci_high_seconds"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name))
    with pytest.raises(InvalidInputError, match="confidence_level"):
        cd.answer_time_percentile(waits, quantile=0.5, confidence_level=1.5)


def test_backlog_in_business_hours_of_a_zone_equals_in_memory(client: Any) -> None:
    # Aware instants meet a 09:00-17:00 weekday schedule on the wall clock of tz, on Dask as in memory.
    tickets = pd.DataFrame(
        {
            "created": pd.to_datetime(
                ["2024-03-29T07:30Z", "2024-03-29T14:00Z", "2024-04-01T06:00Z", "2024-04-01T12:00Z"]
            ),
            "resolved": pd.to_datetime([None, "2024-04-01T08:00Z", None, None]),
        }
    )
    frame = dd.from_pandas(tickets, npartitions=2)
    instants = np.array(["2024-04-01T10:00Z", "2024-04-02T10:00Z"], dtype=object)
    options = {
        "age_limit_seconds": 8 * 3600,
        "calendar": cskpi.BusinessHours.weekdays("09:00", "17:00"),
        "tz": "Europe/Paris",
    }
    got = cd.backlog(frame["created"], frame["resolved"], instants, **options)
    want = cskpi.backlog(tickets["created"], tickets["resolved"], instants, **options)
    assert got == want
    assert want.n_backlog.tolist() != want.n_open.tolist()  # the age limit matters here


def test_volume_padding_hand_computed(client: Any) -> None:
    # Chunk 1 has Jan 1 and Jan 3, chunk 2 Jan 6: merged range Jan 1..6 with zeros in between.
    stamps = np.array(["2024-01-01", "2024-01-03", "2024-01-06"], dtype="M8[D]")
    result = cd.volume(da.from_array(stamps, chunks=2), period="day")
    assert result.n_contacts.tolist() == [1, 0, 1, 0, 0, 1]
    assert str(result.periods[0]) == "2024-01-01"


def test_retention_needs_the_shuffle(client: Any) -> None:
    # Customer 1: January and March; chunk 1 holds the January contact, chunk 2 the March one.
    # Without partitioning by customer, March would look like a new customer's first contact.
    ids = da.from_array(np.array([1, 2, 1]), chunks=((2, 1),))
    times = da.from_array(np.array(["2024-01-05", "2024-01-20", "2024-03-02"], "M8[D]"), chunks=((2, 1),))
    expected = cskpi.repeat_contact_retention(
        [1, 2, 1], np.array(["2024-01-05", "2024-01-20", "2024-03-02"], "M8[D]")
    )
    assert cd.repeat_contact_retention(ids, times) == expected
    assert expected.sizes.tolist() == [2]  # one cohort: January, two customers
    naive = cd.repeat_contact_retention(ids, times, partitioned_by_customer=True)
    assert naive.sizes.tolist() == [2, 1]  # wrong on purpose: the split customer counted twice


def test_retention_already_partitioned_by_customer(client: Any) -> None:
    frame = contacts(5)
    frame = frame.sort_values("customer", kind="stable").reset_index(drop=True)
    # Partition boundaries between customers: every customer's contacts in one partition.
    ddf = dd.from_pandas(frame.set_index("customer", drop=False), npartitions=4, sort=True)
    assert ddf.known_divisions
    expected = cskpi.repeat_contact_retention(frame["customer"], frame["ts"], period="month")
    result = cd.repeat_contact_retention(ddf["customer"], ddf["ts"], partitioned_by_customer=True)
    assert result == expected


# --------------------------------------------------------------------------- the reduction itself


def test_tree_reduction_merges_split_every_at_a_time(client: Any) -> None:
    scores = np.random.default_rng(1).integers(0, 11, 200)
    lazy = cd.nps(da.from_array(scores, chunks=10), split_every=2, compute=False)
    merges = [key for key in dict(lazy.dask) if str(key).startswith("merge-")]
    # 20 partitions, 2 at a time: 10 + 5 + 3 + 2 + 1 merge tasks, never one task over all of them.
    assert len(merges) == 21
    assert lazy.compute() == cskpi.nps(scores)


def test_lazy_results_compute_together(client: Any) -> None:
    frame = contacts(4)
    columns, rows = dask_columns(frame, "series", 4)
    lazy = [
        cd.nps(columns["score"], by=columns["channel"], compute=False),
        cd.service_level(columns["wait"], 20, abandoned=columns["abandoned"], compute=False),
        cd.answer_time_percentile(columns["wait"], quantile=0.8, compute=False),
    ]
    results = dask.compute(*lazy)
    assert results[0] == cskpi.nps(rows["score"], by=rows["channel"])
    assert results[1] == cskpi.service_level(rows["wait"], 20, abandoned=rows["abandoned"])
    assert results[2] == cskpi.answer_time_percentile(rows["wait"], quantile=0.8)


def test_read_only_inputs(client: Any) -> None:
    scores = read_only(np.array([10, 9, 8, 7, 3, 0]))
    channels = read_only(np.array(["a", "b", "a", "b", "a", "b"]))
    result = cd.nps(da.from_array(scores, chunks=4), by=da.from_array(channels, chunks=4))
    assert result == cskpi.nps(scores, by=channels)


def test_empty_data_gives_the_in_memory_result(client: Any) -> None:
    empty = da.from_array(np.zeros(0, dtype=np.int64), chunks=1)
    assert cd.nps(empty) == cskpi.nps(np.zeros(0, dtype=np.int64))
    with pytest.warns(UndefinedMetricWarning):
        result = cd.answer_time_percentile(da.from_array(np.zeros(0), chunks=1), quantile=0.9)
    assert math.isnan(result.seconds) and result.n == 0
    stamps = da.from_array(np.zeros(0, dtype="M8[s]"), chunks=1)
    with pytest.raises(InvalidInputError, match="customer_ids"):
        cd.repeat_contact_retention(da.from_array(np.zeros(0, dtype=np.int64), chunks=1), stamps)


def test_bad_data_raises_from_the_worker_with_the_in_memory_message(client: Any) -> None:
    waits = da.from_array(np.array([5.0, 10.0, -3.0, 4.0]), chunks=2)
    with pytest.raises(
        InvalidInputError, match=r"wait_seconds must be non-negative durations; got -3\.0 at index 0"
    ):
        cd.service_level(waits, 20)


# --------------------------------------------------------------------------- percentiles without a cluster


def reference_percentiles(
    waits: np.ndarray, groups: np.ndarray, percentiles: list[float]
) -> dict[Any, list[float]]:
    """Slow and obvious: sort each group's waits and take the ceil(p n / 100)-th smallest."""
    out = {}
    for label in sorted(set(groups.tolist())):
        values = sorted(waits[groups == label].tolist())
        out[label] = [values[max(math.ceil(p * len(values) / 100 - 1e-9), 1) - 1] for p in percentiles]
    return out


def round_up(wait: float, resolution: float) -> float:
    """Slow and obvious: the smallest k * resolution (in floating point) at or above the wait."""
    k = math.ceil(wait / resolution)
    while k > 0 and (k - 1) * resolution >= wait:
        k -= 1
    while k * resolution < wait:
        k += 1
    return k * resolution


waits_strategy = st.lists(
    st.one_of(st.integers(0, 30).map(float), st.floats(0, 100, allow_nan=False, allow_infinity=False)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(waits=waits_strategy, data=st.data())
def test_counts_percentiles_equal_the_reference(waits: list[float], data: Any) -> None:
    values = np.array(waits)
    groups = np.array(data.draw(st.lists(st.sampled_from("xyz"), min_size=len(waits), max_size=len(waits))))
    percentiles = [10.0, 50.0, 90.0, 100.0]
    counts = cd.count_answer_times(values, by=groups)
    result = counts.percentiles(quantile=[p / 100 for p in percentiles])
    reference = reference_percentiles(values, groups, percentiles)
    assert result.labels.tolist() == list(reference)
    assert result.seconds.tolist() == list(reference.values())
    assert result == cskpi.answer_time_percentile(values, quantile=[p / 100 for p in percentiles], by=groups)


@settings(max_examples=60, deadline=None)
@given(first=waits_strategy, second=waits_strategy, limit=st.sampled_from([None, 0, 5, 1000]))
def test_counts_merge_equals_counts_of_the_concatenation(
    first: list[float], second: list[float], limit: Any
) -> None:
    a = cd.count_answer_times(first, max_exact_values=limit)
    b = cd.count_answer_times(second, max_exact_values=limit)
    assert a + b == cd.count_answer_times(first + second, max_exact_values=limit)
    assert sum([a, b]) == a + b


@settings(max_examples=30, deadline=None)
@given(
    waits=waits_strategy,
    resolution=st.sampled_from([0.1, 0.25, 1.0, 7.0]),
    percentile=st.floats(0.005, 1.0),
    abandoned_share=st.floats(0, 0.9),
    policy=st.sampled_from(cskpi.ABANDONED_POLICIES),
)
def test_rounded_percentile_is_the_exact_one_rounded_up(
    waits: list[float], resolution: float, percentile: float, abandoned_share: float, policy: str
) -> None:
    values = np.array(waits)
    gave_up = np.arange(values.shape[0]) < abandoned_share * values.shape[0]
    gave_up[-1] = False  # at least one answered contact: both policies are defined
    counts = cd.count_answer_times(
        values, abandoned=gave_up, resolution_seconds=resolution, max_exact_values=0
    )
    rounded = counts.percentiles(quantile=percentile, abandoned_policy=policy)
    exact = cskpi.answer_time_percentile(
        values, quantile=percentile, abandoned=gave_up, abandoned_policy=policy
    )  # type: ignore[arg-type]
    assert rounded.n == exact.n
    if math.isinf(exact.seconds):
        assert math.isinf(rounded.seconds)
        return
    # Never below the exact percentile, less than one bin above it (to the rounding of k * r).
    assert exact.seconds <= rounded.seconds
    assert rounded.seconds - exact.seconds < resolution * (1 + 1e-12)
    # A bin edge: k * r for a whole k.
    steps = rounded.seconds / resolution
    assert abs(steps - round(steps)) < 1e-6
    # And the percentile of the waits rounded up beforehand (rounding commutes with order statistics).
    assert rounded == cskpi.answer_time_percentile(
        [round_up(w, resolution) for w in waits],
        quantile=percentile,
        abandoned=gave_up,
        abandoned_policy=policy,  # type: ignore[arg-type]
    )


def test_exactness_does_not_depend_on_the_split() -> None:
    # 7 distinct waits with at most 6 kept exactly: rounded whether or not the parts fit.
    waits = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]
    whole = cd.count_answer_times(waits, max_exact_values=6)
    parts = cd.count_answer_times(waits[:3], max_exact_values=6) + cd.count_answer_times(
        waits[3:], max_exact_values=6
    )
    assert not whole.exact and not parts.exact
    assert whole == parts
    assert cd.count_answer_times(waits, max_exact_values=7).exact


# --------------------------------------------------------------------------- bad input


def arrays(*values: Any, chunks: int = 2) -> list[Any]:
    return [da.from_array(np.asarray(v), chunks=chunks) for v in values]


BAD_CALLS: list[tuple[str, Any, type[Exception], str]] = [
    ("numpy scores", lambda: cd.nps(np.array([1, 2])), InvalidTypeError, "scores"),
    ("list scores", lambda: cd.nps([1, 2]), InvalidTypeError, "scores"),
    ("None scores", lambda: cd.nps(None), InvalidTypeError, "scores"),
    ("numpy by", lambda: cd.nps(*arrays([1, 2]), by=np.array(["a", "b"])), InvalidTypeError, "by"),
    (
        "numpy key in by",
        lambda: cd.nps(*arrays([1, 2]), by=(arrays([1, 2])[0], [1, 2])),
        InvalidTypeError,
        "by[1]",
    ),
    (
        "series by with array scores",
        lambda: cd.nps(*arrays([1, 2]), by=dd.from_pandas(pd.Series(["a", "b"]), npartitions=1)),
        InvalidTypeError,
        "by",
    ),
    (
        "mismatched lengths",
        lambda: cd.service_level(*arrays([1.0, 2.0, 3.0]), 20, abandoned=arrays([True, False])[0]),
        InvalidInputError,
        "abandoned",
    ),
    (
        "mismatched partitions",
        lambda: cd.nps(
            dd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2),
            by=dd.from_pandas(pd.Series(list("abcd")), npartitions=1),
        ),
        InvalidInputError,
        "by",
    ),
    ("2-D scores", lambda: cd.nps(da.ones((4, 2), chunks=2)), InvalidInputError, "scores"),
    (
        "bad policy",
        lambda: cd.service_level(*arrays([1.0, 2.0]), 20, policy="nope"),
        InvalidInputError,
        "policy",
    ),  # type: ignore[arg-type]
    (
        "negative threshold",
        lambda: cd.service_level(*arrays([1.0, 2.0]), -1),
        InvalidInputError,
        "threshold_seconds",
    ),
    ("bad scale", lambda: cd.csat(*arrays([1, 2]), scale=(5, 1)), InvalidInputError, "scale"),
    ("bad split_every", lambda: cd.nps(*arrays([1, 2]), split_every=1), InvalidInputError, "split_every"),
    ("bad compute", lambda: cd.nps(*arrays([1, 2]), compute="yes"), InvalidTypeError, "compute"),  # type: ignore[arg-type]
    (
        "bad period",
        lambda: cd.volume(*arrays(np.array(["2024-01-01"], "M8[D]")), period="fortnight"),
        InvalidInputError,
        "period",
    ),  # type: ignore[arg-type]
    (
        "dask instants",
        lambda: cd.open_cases(
            *arrays(np.array(["2024-01-01"], "M8[D]"), np.array(["NaT"], "M8[D]")),
            arrays(np.array(["2024-01-02"], "M8[D]"))[0],
        ),
        InvalidTypeError,
        "instants",
    ),
    (
        "bad percentile",
        lambda: cd.answer_time_percentile(*arrays([1.0]), quantile=90),
        InvalidInputError,
        "did you mean 0.9",
    ),
    (
        "bad abandoned_policy",
        lambda: cd.answer_time_percentile(*arrays([1.0]), quantile=0.5, abandoned_policy="x"),
        InvalidInputError,
        "abandoned_policy",
    ),  # type: ignore[arg-type]
    (
        "zero resolution",
        lambda: cd.answer_time_counts(*arrays([1.0]), resolution_seconds=0),
        InvalidInputError,
        "resolution_seconds",
    ),
    (
        "negative max_exact_values",
        lambda: cd.answer_time_counts(*arrays([1.0]), max_exact_values=-1),
        InvalidInputError,
        "max_exact_values",
    ),
    (
        "float max_exact_values",
        lambda: cd.answer_time_counts(*arrays([1.0]), max_exact_values=1.5),
        InvalidTypeError,
        "max_exact_values",
    ),  # type: ignore[arg-type]
    (
        "bad convention",
        lambda: cd.repeat_contact_retention(*arrays([1], np.array(["2024-01-01"], "M8[D]")), convention="x"),
        InvalidInputError,
        "convention",
    ),  # type: ignore[arg-type]
    (
        "bad partitioned_by_customer",
        lambda: cd.repeat_contact_retention(
            *arrays([1], np.array(["2024-01-01"], "M8[D]")), partitioned_by_customer=1
        ),
        InvalidTypeError,
        "partitioned_by_customer",
    ),  # type: ignore[arg-type]
    (
        "bad npartitions",
        lambda: cd.repeat_contact_retention(*arrays([1], np.array(["2024-01-01"], "M8[D]")), npartitions=0),
        InvalidInputError,
        "npartitions",
    ),
    ("wrong dtype", lambda: cd.nps(*arrays(["a", "b"])), InvalidTypeError, "scores"),
    (
        "unknown keyword for reduce",
        lambda: cd.reduce(cskpi.nps, *arrays([1]), nope=1),
        InvalidTypeError,
        "nps",
    ),
]


@pytest.mark.parametrize(("label", "call", "error", "name"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_before_computing(label: str, call: Any, error: type[Exception], name: str) -> None:
    # No cluster and no computation: the checks run in the calling process on metadata.
    with dask.config.set(scheduler="sync"), pytest.raises(error) as info:
        call()
    assert name in str(info.value)


# --------------------------------------------------------------------------- the core without Dask


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False, timeout=60
    )


def test_core_never_imports_dask() -> None:
    done = run_python(
        """
        import sys
        import cskpi, cskpi.dask
        assert cskpi.nps([10, 9, 3]).score > 0
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("dask", "distributed"))
        print(loaded)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_dask_the_module_says_how_to_install_it() -> None:
    done = run_python(
        """
        import sys
        sys.modules["dask"] = None  # as if Dask were not installed
        import cskpi, cskpi.dask
        assert cskpi.csat([5, 4, 1]).satisfied == 2
        try:
            cskpi.dask.nps([1, 2])
        except ImportError as exc:
            print(exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert (
        "cskpi.dask needs dask, which is not installed; "
        'install it with: pip install "dask[array,dataframe]" distributed (cskpi\'s "dask" extra)'
        in done.stdout
    )


def test_csat_table_sorts_aspects_like_in_memory(client: Any) -> None:
    # The first partition has only chat answers, the second only phone: merging aligns
    # differing groups, and the aspects come sorted (alpha before zeta) as in memory.
    answers = pd.DataFrame(
        {"zeta": [5, 4, 1, 2], "alpha": [3, 5, 5, 4], "channel": ["chat", "chat", "phone", "phone"]}
    )
    frame = dd.from_pandas(answers, npartitions=2, sort=False)
    result = cd.csat(frame[["zeta", "alpha"]], by=frame["channel"])
    expected = cskpi.csat(answers[["zeta", "alpha"]], by=answers["channel"])
    assert result == expected
    assert result.keys() == [("chat", "alpha"), ("chat", "zeta"), ("phone", "alpha"), ("phone", "zeta")]
    # chat: alpha 3, 5 -> one of two; zeta 5, 4 -> both satisfied.
    assert result.score.tolist() == [0.5, 1.0, 1.0, 0.0]


def test_parquet_data_set_by_month_report_by_channel_on_the_cluster(client: Any, tmp_path: Any) -> None:
    # The how-to (docs/howto/dask-cluster.md) on the cluster: the bundled example contacts
    # written as Parquet with one directory per month, a KPI report by channel in one compute.
    from cskpi._report.io import example_contacts_path

    contacts = pd.read_csv(example_contacts_path(), parse_dates=["created", "first_reply", "resolved"])
    contacts["month"] = contacts["created"].dt.strftime("%Y-%m")
    contacts.to_parquet(tmp_path / "contacts", partition_cols=["month"])
    frame = dd.read_parquet(tmp_path / "contacts")
    assert frame.npartitions == contacts["month"].nunique() > 1
    queued = frame[frame["wait_seconds"].notnull()]
    answered = queued[~queued["abandoned"]]
    sl, aht, nps, p90, volume = dask.compute(
        cd.service_level(
            queued["wait_seconds"], 20, abandoned=queued["abandoned"], by=queued["channel"], compute=False
        ),
        cd.aht(answered["talk_seconds"], answered["hold_seconds"], by=answered["channel"], compute=False),
        cd.nps(frame["nps"], nan_policy="omit", by=frame["channel"], compute=False),
        cd.answer_time_percentile(queued["wait_seconds"], quantile=0.9, by=queued["channel"], compute=False),
        cd.volume(frame["created"], period="week", by=(frame["month"], frame["channel"]), compute=False),
    )
    local = contacts[contacts["wait_seconds"].notna()]
    local_answered = local[~local["abandoned"]]
    assert sl == cskpi.service_level(
        local["wait_seconds"], 20, abandoned=local["abandoned"], by=local["channel"]
    )
    assert nps == cskpi.nps(contacts["nps"], nan_policy="omit", by=contacts["channel"])
    assert p90 == cskpi.answer_time_percentile(local["wait_seconds"], quantile=0.9, by=local["channel"])
    assert volume == cskpi.volume(
        contacts["created"], period="week", by=(contacts["month"], contacts["channel"])
    )
    expected_aht = cskpi.aht(
        local_answered["talk_seconds"], local_answered["hold_seconds"], by=local_answered["channel"]
    )
    assert aht.keys() == expected_aht.keys()
    assert aht.n_handled.tolist() == expected_aht.n_handled.tolist()
    np.testing.assert_allclose(aht.score, expected_aht.score, rtol=1e-12)


@pytest.mark.parametrize(
    ("metric", "params", "column"),
    [
        ("first_response_time", {}, "first_reply"),
        ("resolution_time", {}, "resolved"),
        ("answer_time_percentile", {"percentile": 90}, "wait_seconds"),
        ("service_level", {"threshold_seconds": 20}, "wait_seconds"),
    ],
)
def test_a_standard_missing_its_column_raises_as_in_memory_before_reading(
    metric: str, params: dict[str, Any], column: str
) -> None:
    # Every standard's columns are checked on the frame's metadata, before any partition is read.
    rows = pd.DataFrame(
        {"created": pd.date_range("2026-01-01", periods=6, freq="D"), "nps": [9, 7, 3, 10, 8, 6]}
    )
    standard = cskpi.Standard(name="S", metric=metric, target=1, direction="at_most", params=params)
    with pytest.raises(InvalidInputError) as expected:
        cskpi.evaluate_standards([standard], rows)

    def unread(_: Any) -> Any:
        raise AssertionError("a partition was read")

    frame = dd.from_pandas(rows, npartitions=2).map_partitions(unread, meta=rows.iloc[:0])
    with dask.config.set(scheduler="sync"), pytest.raises(InvalidInputError) as found:
        cskpi.evaluate_standards([standard], frame)
    assert str(found.value) == str(expected.value)
    assert f"missing column {column!r}" in str(found.value)
