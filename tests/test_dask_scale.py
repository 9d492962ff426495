"""cskpi.dask at scale: alignment by construction, every mergeable metric, whole histories, errors.

Runs on a real ``distributed.LocalCluster`` (two worker processes, one thread each)
over a Parquet data set of many small files, which Dask fuses into partitions
differently depending on the columns read.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

import cskpi  # noqa: E402
import cskpi.dask as cd  # noqa: E402
from cskpi import InvalidInputError  # noqa: E402
from cskpi._core.registry import REGISTRY, metrics  # noqa: E402

AGENTS = np.array([f"agent {k}" for k in range(7)], dtype=object)
CHANNELS = np.array(["chat", "email", "phone"], dtype=object)
START = np.datetime64("2024-01-01T00:00", "s")


def contacts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Random contacts with text keys; durations and amounts whole so that float sums are exact."""
    created = START + rng.integers(0, 90 * 86400, n).astype("timedelta64[s]")
    reply = created + rng.integers(0, 3 * 86400, n).astype("timedelta64[s]")
    reply[rng.random(n) < 0.2] = np.datetime64("NaT")
    resolved = created + rng.integers(0, 9 * 86400, n).astype("timedelta64[s]")
    resolved[rng.random(n) < 0.2] = np.datetime64("NaT")
    score = rng.integers(0, 11, n).astype(float)
    score[rng.random(n) < 0.3] = np.nan  # unanswered surveys
    talk = rng.integers(30, 900, n).astype(float)
    return pd.DataFrame(
        {
            "wait_seconds": rng.integers(0, 90, n).astype(float),
            "abandoned": rng.random(n) < 0.15,
            "channel": rng.choice(CHANNELS, n),
            "agent": rng.choice(AGENTS, n),
            "score": score,
            "rating": rng.integers(1, 6, n),
            "billing": rng.integers(1, 6, n),
            "talk": talk,
            "hold": rng.integers(0, 120, n).astype(float),
            "wrap": rng.integers(0, 200, n).astype(float),
            "available": talk + rng.integers(0, 900, n),
            "created": created.astype("datetime64[ns]"),
            "reply": reply.astype("datetime64[ns]"),
            "resolved": resolved.astype("datetime64[ns]"),
            "customer": rng.integers(0, 60, n),
            "replies": rng.integers(0, 4, n),
            "reopens": rng.integers(0, 3, n),
            "solved": rng.random(n) < 0.7,
            "amount": rng.integers(1, 200, n).astype(float),
            "check1": rng.integers(0, 2, n).astype(float),
            "check2": rng.integers(0, 2, n).astype(float),
        }
    )


N_FILES = 50


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: Any) -> tuple[Any, pd.DataFrame]:
    """50 small Parquet files of uneven sizes, and all their rows in memory (file order)."""
    directory = tmp_path_factory.mktemp("contacts")
    rng = np.random.default_rng(17)
    files = []
    for i in range(N_FILES):
        part = contacts(rng, int(rng.integers(20, 120)))
        part.to_parquet(directory / f"part.{i:02d}.parquet", index=False)
        files.append(part)
    return directory, pd.concat(files, ignore_index=True)


def partition_lengths(frame: Any) -> list[int]:
    return [len(part) for part in dask.compute(*frame.to_delayed())]


# --------------------------------------------------------------------------- 1. alignment


def test_the_data_set_partitions_differently_per_column_set(client: Any, dataset: Any) -> None:
    # The premise of the alignment tests: pairing columns computed one by one, partition by
    # partition, would pair rows of different files.
    directory, _ = dataset
    frame = dd.read_parquet(directory)
    queued = frame[frame["wait_seconds"] > 3]
    one_column = partition_lengths(queued[["wait_seconds"]])
    assert one_column != partition_lengths(queued[["wait_seconds", "abandoned", "channel"]])
    assert sum(one_column) == int((dataset[1]["wait_seconds"] > 3).sum())


def test_service_level_after_a_filter_on_many_files(client: Any, dataset: Any) -> None:
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    queued = frame[frame["wait_seconds"] > 3]
    result = cd.service_level(queued["wait_seconds"], 20, abandoned=queued["abandoned"], by=queued["channel"])
    local = rows[rows["wait_seconds"] > 3]
    assert result == cskpi.service_level(
        local["wait_seconds"], 20, abandoned=local["abandoned"], by=local["channel"]
    )
    assert result.n_offered.sum() == len(local)


def test_nps_of_answered_surveys_by_agent(client: Any, dataset: Any) -> None:
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    answered = frame[frame["score"].notnull()]
    result = cd.nps(answered["score"], by=answered["agent"])
    local = rows[rows["score"].notna()]
    assert result == cskpi.nps(local["score"], by=local["agent"])
    assert result.n.sum() == len(local)


def test_per_aspect_csat_by_channel(client: Any, dataset: Any) -> None:
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    kept = frame[frame["wait_seconds"] < 60]
    result = cd.csat(kept[["rating", "billing"]], by=kept["channel"])
    local = rows[rows["wait_seconds"] < 60]
    assert result == cskpi.csat(local[["rating", "billing"]], by=local["channel"])


def test_several_figures_in_one_compute_share_the_reading(client: Any, dataset: Any) -> None:
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    answered = frame[~frame["abandoned"]]
    sl, aht = dask.compute(
        cd.service_level(frame["wait_seconds"], 20, abandoned=frame["abandoned"], compute=False),
        cd.aht(answered["talk"], answered["hold"], answered["wrap"], by=answered["agent"], compute=False),
    )
    local = rows[~rows["abandoned"]]
    assert sl == cskpi.service_level(rows["wait_seconds"], 20, abandoned=rows["abandoned"])
    assert aht == cskpi.aht(local["talk"], local["hold"], local["wrap"], by=local["agent"])


def test_figures_in_one_pass_equal_separate_calls_and_memory(client: Any, dataset: Any) -> None:
    # The seven figures of the benchmark, each on its own rows (where=), in one pass over the
    # 50 files; equal to the separate calls on filtered frames and to the in-memory functions.
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    queued_mask = frame["wait_seconds"] > 3
    handled_mask = ~frame["abandoned"]
    together = cd.compute(
        cd.figure(cskpi.nps, frame["score"], nan_policy="omit", by=frame["agent"]),
        cd.figure(cskpi.csat, frame["rating"], by=frame["agent"]),
        cd.figure(cskpi.ces, frame["billing"], by=(frame["agent"], frame["channel"])),
        cd.figure(
            cskpi.service_level,
            frame["wait_seconds"],
            20,
            abandoned=frame["abandoned"],
            by=frame["agent"],
            where=queued_mask,
        ),
        cd.figure(cskpi.abandonment_rate, frame["abandoned"], by=frame["agent"], where=queued_mask),
        cd.figure(
            cskpi.aht, frame["talk"], frame["hold"], frame["wrap"], by=frame["agent"], where=handled_mask
        ),
        cd.figure(cskpi.asa, frame["wait_seconds"], abandoned=frame["abandoned"], where=queued_mask),
        cd.figure(cskpi.csat, frame[["rating", "billing"]], by=frame["channel"], where=queued_mask),
    )
    queued, handled = frame[queued_mask], frame[handled_mask]
    separate = dask.compute(
        cd.nps(frame["score"], nan_policy="omit", by=frame["agent"], compute=False),
        cd.csat(frame["rating"], by=frame["agent"], compute=False),
        cd.ces(frame["billing"], by=(frame["agent"], frame["channel"]), compute=False),
        cd.service_level(
            queued["wait_seconds"], 20, abandoned=queued["abandoned"], by=queued["agent"], compute=False
        ),
        cd.abandonment_rate(queued["abandoned"], by=queued["agent"], compute=False),
        cd.aht(handled["talk"], handled["hold"], handled["wrap"], by=handled["agent"], compute=False),
        cd.asa(queued["wait_seconds"], abandoned=queued["abandoned"], compute=False),
        cd.csat(queued[["rating", "billing"]], by=queued["channel"], compute=False),
    )
    local, kept = rows[rows["wait_seconds"] > 3], rows[~rows["abandoned"]]
    in_memory = (
        cskpi.nps(rows["score"], nan_policy="omit", by=rows["agent"]),
        cskpi.csat(rows["rating"], by=rows["agent"]),
        cskpi.ces(rows["billing"], by=(rows["agent"], rows["channel"])),
        cskpi.service_level(local["wait_seconds"], 20, abandoned=local["abandoned"], by=local["agent"]),
        cskpi.abandonment_rate(local["abandoned"], by=local["agent"]),
        cskpi.aht(kept["talk"], kept["hold"], kept["wrap"], by=kept["agent"]),
        cskpi.asa(local["wait_seconds"], abandoned=local["abandoned"]),
        cskpi.csat(local[["rating", "billing"]], by=local["channel"]),
    )
    for position, (got, alone, want) in enumerate(zip(together, separate, in_memory, strict=True)):
        if position in (5, 6):  # float sums, added in another order
            np.testing.assert_array_equal(np.asarray(got.n), np.asarray(want.n))
            np.testing.assert_allclose(np.asarray(got.value), np.asarray(want.value), rtol=1e-12)
            np.testing.assert_allclose(np.asarray(got.value), np.asarray(alone.value), rtol=1e-12)
        else:
            assert got == alone == want, position


def test_figures_in_one_pass_lazily_compute_with_other_dask_work(client: Any, dataset: Any) -> None:
    # compute=False: one Delayed of the tuple, computed in one dask.compute with other work;
    # nothing is computed before (a bad option still raises at once).
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    from dask.delayed import Delayed

    lazy = cd.compute(
        cd.figure(cskpi.nps, frame["score"], nan_policy="omit", by=frame["channel"]),
        cd.figure(cskpi.asa, frame["wait_seconds"], where=~frame["abandoned"]),
        compute=False,
    )
    assert isinstance(lazy, Delayed)
    (by_channel, speed), overall = dask.compute(
        lazy, cd.nps(frame["score"], nan_policy="omit", compute=False)
    )
    assert overall == cskpi.nps(rows["score"], nan_policy="omit")
    assert by_channel == cskpi.nps(rows["score"], nan_policy="omit", by=rows["channel"])
    answered = rows[~rows["abandoned"]]
    assert speed.n == len(answered)
    assert speed.value == pytest.approx(answered["wait_seconds"].mean(), rel=1e-12)
    with pytest.raises(cskpi.InvalidTypeError, match="compute must be True or False; got 'no'"):
        cd.compute(cd.figure(cskpi.nps, frame["score"]), compute="no")


def test_figures_in_one_pass_keep_the_alignment_rule(client: Any, dataset: Any) -> None:
    directory, _ = dataset
    frame = dd.read_parquet(directory)
    queued = frame[frame["wait_seconds"] > 3]
    with pytest.raises(
        InvalidInputError, match=r"figure 1 must be a column of the same Dask DataFrame as figure 0"
    ):
        cd.compute(cd.figure(cskpi.nps, frame["score"]), cd.figure(cskpi.asa, queued["wait_seconds"]))
    with pytest.raises(
        InvalidInputError, match=r"figure 0's where must be a column of the same Dask DataFrame"
    ):
        cd.compute(cd.figure(cskpi.asa, frame["wait_seconds"], where=queued["abandoned"]))
    with pytest.raises(cskpi.InvalidTypeError, match=r"figure 0: where must be a boolean Dask Series"):
        cd.compute(cd.figure(cskpi.asa, frame["wait_seconds"], where=frame["wait_seconds"]))
    with pytest.raises(InvalidInputError, match=r"first_response_time has its own Dask path"):
        cd.compute(cd.figure(cskpi.first_response_time, frame["created"], frame["reply"]))
    with pytest.raises(cskpi.InvalidTypeError, match=r"figures\[0\] must be made with cskpi.dask.figure"):
        cd.compute(cd.nps(frame["score"], nan_policy="omit", compute=False))
    with pytest.raises(InvalidInputError, match=r"scores must be"):  # bad data, on the worker
        cd.compute(cd.figure(cskpi.nps, frame["wait_seconds"], nan_policy="omit"))


def test_columns_of_different_filters_raise_before_computing(client: Any, dataset: Any) -> None:
    directory, _ = dataset
    frame = dd.read_parquet(directory)
    queued = frame[frame["wait_seconds"] > 3]
    answered = frame[frame["score"].notnull()]
    with pytest.raises(InvalidInputError, match=r"abandoned must be a column of the same Dask DataFrame as"):
        cd.service_level(queued["wait_seconds"], 20, abandoned=answered["abandoned"], compute=False)
    with pytest.raises(InvalidInputError, match=r"by must be a column of the same Dask DataFrame"):
        cd.nps(answered["score"], by=frame["agent"], compute=False)
    other = dd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1)
    with pytest.raises(InvalidInputError, match=r"by must be a column of the same Dask DataFrame"):
        cd.nps(answered["score"], by=other["x"], compute=False)


def test_derived_columns_of_one_frame_are_aligned(client: Any, dataset: Any) -> None:
    # Element-wise expressions (a comparison, a fillna) keep the frame's rows: accepted.
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    result = cd.abandonment_rate(frame["wait_seconds"] > 80, by=frame["channel"].str.upper())
    expected = cskpi.abandonment_rate(rows["wait_seconds"] > 80, by=rows["channel"].str.upper())
    assert result == expected


def test_arrays_of_unknown_chunks_raise_before_computing(client: Any) -> None:
    frame = dd.from_pandas(pd.DataFrame({"w": [1.0, 2.0, 3.0], "a": [True, False, False]}), npartitions=2)
    waits, abandoned = frame["w"].to_dask_array(), frame["a"].to_dask_array()
    with pytest.raises(InvalidInputError, match="known chunk sizes"):
        cd.service_level(waits, 20, abandoned=abandoned, compute=False)


# --------------------------------------------------------------------------- 2. the registry

INSTANTS = np.array(["2024-01-15T00:00", "2024-02-01T12:00", "2024-03-20T08:00"], "M8[s]")
WEIGHTS = np.array([1.0, 3.0])  # scores in quarters: float sums exact in any order
ROLE_COLUMNS = {
    "score": "score",
    "rating": "rating",
    "wait": "wait_seconds",
    "abandoned": "abandoned",
    "created": "created",
    "resolved": "resolved",
    "reply": "reply",
    "timestamp": "created",
    "customer": "customer",
    "flag": "solved",
    "amount": "amount",
    "label": "channel",
}
OPTIONS: dict[str, dict[str, Any]] = {
    "service_level": {"threshold_seconds": 20},
    "handle_time_against_target": {"target_seconds": 300},
    "returned_within": {"window_seconds": 30 * 86400},
    "backlog": {"age_limit_seconds": 86400},
    "nps": {"nan_policy": "omit"},
}


def call_arguments(name: str, columns: Any) -> tuple[list[Any], dict[str, Any]]:
    """Arguments of a registry metric taken from ``columns`` (a pandas or a Dask frame)."""
    spec = REGISTRY[name]
    parameters = inspect.signature(spec.function).parameters
    durations = iter(["talk", "hold", "wrap"])
    args: list[Any] = []
    kwargs: dict[str, Any] = dict(OPTIONS.get(name, {}))
    for argument, role in spec.data.items():
        if role == "instant":
            value: Any = INSTANTS
        elif role == "weight":
            value = WEIGHTS
        elif role == "checks":
            value = columns[["check1", "check2"]]
        elif role == "duration":
            value = columns["available" if argument == "available_seconds" else next(durations)]
        elif role == "count":
            value = columns["reopens" if argument == "reopens" else "replies"]
        else:
            value = columns[ROLE_COLUMNS[role]]
        if parameters[argument].kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[argument] = value
        else:
            args.append(value)
    return args, kwargs


@pytest.mark.parametrize("grouped", [False, True], ids=["total", "by_channel"])
@pytest.mark.parametrize("name", metrics(mergeable=True))
def test_every_mergeable_metric_equals_in_memory(client: Any, name: str, grouped: bool) -> None:
    spec = REGISTRY[name]
    if grouped and not spec.groupable:
        pytest.skip(f"{name} takes no by=")
    rows = contacts(np.random.default_rng(3), 400)
    frame = dd.from_pandas(rows, npartitions=6, sort=False)
    kept = frame[frame["rating"] > 1]  # a filtered frame
    local = rows[rows["rating"] > 1]
    args, kwargs = call_arguments(name, kept)
    local_args, local_kwargs = call_arguments(name, local)
    if grouped:
        kwargs["by"], local_kwargs["by"] = kept["channel"], local["channel"]
    result = cd.reduce(spec.function, *args, **kwargs)
    assert result == spec.function(*local_args, **local_kwargs)


# --------------------------------------------------------------------------- 3. whole histories


def split_customer() -> pd.DataFrame:
    """Customer 7 calls on 1 and 3 January: a repeat within 7 days, the two rows in two partitions."""
    return pd.DataFrame(
        {
            "customer": [7, 8, 9, 7, 10, 8],
            "created": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-03", "2024-02-01", "2024-03-01"]
            ),
            "channel": ["chat", "chat", "phone", "chat", "phone", "chat"],
        }
    )


def test_fcr_repeat_contact_across_partitions(client: Any) -> None:
    rows = split_customer()
    frame = dd.from_pandas(rows, npartitions=2, sort=False)
    assert frame.npartitions == 2
    expected = cskpi.fcr_repeat_contact(rows["customer"], rows["created"])
    result = cd.reduce(cskpi.fcr_repeat_contact, frame["customer"], frame["created"])
    assert result == expected
    # By hand: 8's contact of 1 March is within 7 days of the end (censored), five are
    # judged; 7's first contact is followed by a repeat two days later: four resolved.
    assert (result.n_contacts, result.n_censored, result.n_resolved) == (5, 1, 4)
    grouped = cd.fcr_repeat_contact(frame["customer"], frame["created"], by=frame["channel"])
    assert grouped == cskpi.fcr_repeat_contact(rows["customer"], rows["created"], by=rows["channel"])
    # Without the shuffle the repeat is not seen: the reason for it.
    partial = cd.reduce(
        cskpi.fcr_repeat_contact, frame["customer"], frame["created"], partitioned_by_customer=True
    )
    assert partial.rate == 1.0


@pytest.mark.parametrize("name", ["repeat_rate", "returned_within", "clv_inputs", "repeat_contact_retention"])
def test_whole_history_metrics_shuffle_by_customer(client: Any, name: str) -> None:
    rows = contacts(np.random.default_rng(11), 300)
    frame = dd.from_pandas(rows, npartitions=5, sort=False)
    spec = REGISTRY[name]
    args, kwargs = call_arguments(name, frame)
    local_args, local_kwargs = call_arguments(name, rows)
    assert cd.reduce(spec.function, *args, **kwargs) == spec.function(*local_args, **local_kwargs)


def test_metrics_that_do_not_merge_say_why(client: Any) -> None:
    frame = dd.from_pandas(split_customer(), npartitions=2, sort=False)
    with pytest.raises(InvalidInputError, match="engagement cannot run on Dask collections: contacts per"):
        cd.reduce(cskpi.engagement, frame["customer"], frame["created"])


@pytest.mark.parametrize("function", ["first_response_time", "resolution_time"])
def test_duration_percentiles_equal_in_memory(client: Any, dataset: Any, function: str) -> None:
    directory, rows = dataset
    frame = dd.read_parquet(directory)
    end = "reply" if function == "first_response_time" else "resolved"
    for by in (None, "agent"):
        result = getattr(cd, function)(frame["created"], frame[end], by=None if by is None else frame[by])
        expected = getattr(cskpi, function)(rows["created"], rows[end], by=None if by is None else rows[by])
        assert result.totals == expected.totals
        np.testing.assert_array_equal(result.median_seconds, expected.median_seconds)
        np.testing.assert_array_equal(result.p90_seconds, expected.p90_seconds)
        via_reduce = cd.reduce(getattr(cskpi, function), frame["created"], frame[end])
        assert (
            via_reduce.median_seconds == getattr(cskpi, function)(rows["created"], rows[end]).median_seconds
        )


def test_duration_percentiles_round_up_beyond_the_exact_limit(client: Any) -> None:
    created = pd.to_datetime(["2024-05-13 09:00"] * 4)
    reply = created + pd.to_timedelta([61.5, 10.2, 30.0, 45.7], unit="s")
    frame = dd.from_pandas(pd.DataFrame({"created": created, "reply": reply}), npartitions=2)
    result = cd.first_response_time(
        frame["created"], frame["reply"], resolution_seconds=10, max_exact_values=2
    )
    # Inverted CDF of 4 values: median is the 2nd smallest (30.0), p90 the 4th (61.5),
    # each rounded up to the next multiple of 10 s.
    assert (result.median_seconds, result.p90_seconds) == (30.0, 70.0)


# --------------------------------------------------------------------------- 5. errors on a worker


@pytest.fixture
def bad_dataset(tmp_path: Any) -> Any:
    rng = np.random.default_rng(5)
    for i in range(12):
        part = contacts(rng, 40)
        if i == 7:
            part.loc[33, "wait_seconds"] = -5.0
        if i == 9:
            part.loc[12, "agent"] = None
        part.to_parquet(tmp_path / f"part.{i:02d}.parquet", index=False)
    return tmp_path


def test_a_bad_value_names_partition_file_and_row(client: Any, bad_dataset: Any) -> None:
    frame = dd.read_parquet(bad_dataset)
    with pytest.raises(InvalidInputError) as raised:
        cd.service_level(frame["wait_seconds"], 20, abandoned=frame["abandoned"])
    message = str(raised.value)
    assert message.startswith("partition ")
    assert "part.07.parquet" in message
    assert "row 33 of" in message
    assert "wait_seconds must be" in message


def test_a_bad_value_in_the_report_names_partition_file_and_row(client: Any, bad_dataset: Any) -> None:
    with pytest.raises(InvalidInputError) as raised:
        cskpi.kpi_report(dd.read_parquet(bad_dataset), period="month")
    message = str(raised.value)
    assert message.startswith("partition ")
    assert "part.07.parquet" in message
    assert "row 33 of" in message
    assert "'wait_seconds' must be a non-negative number of seconds; got -5.0" in message


def test_a_mistyped_year_in_the_report_names_partition_and_file(client: Any, tmp_path: Any) -> None:
    # The report's year limits hold on Dask too, checked on the worker that reads the row.
    rng = np.random.default_rng(8)
    for i in range(6):
        part = contacts(rng, 30)
        if i == 4:
            part["created"] = part["created"].astype("datetime64[us]")
            part.loc[7, "created"] = np.datetime64("2250-01-05T10:00", "us")
        part.to_parquet(tmp_path / f"part.{i:02d}.parquet", index=False)
    with pytest.raises(InvalidInputError) as raised:
        cskpi.kpi_report(dd.read_parquet(tmp_path), period="day")
    message = str(raised.value)
    assert message.startswith("partition ")
    assert "part.04.parquet" in message
    assert "a year in 1900..2200; got 2250-01-05T10:00:00 (a mistyped year?)" in message


def test_too_many_periods_on_dask_say_so_before_measuring(client: Any, tmp_path: Any) -> None:
    # Within one partition: the partition, its file, the column and both rows.
    part = contacts(np.random.default_rng(3), 20)
    part.loc[0, "created"] = np.datetime64("1990-01-01T00:00", "ns")  # 34 years of hours
    part.to_parquet(tmp_path / "part.parquet", index=False)
    expected = (
        r"^partition 0 \(file part.parquet\): period='hour' gives \d{3},\d{3} periods from "
        r"1990-01-01T00:00:00 \(column 'created', index 0\) to 2024-.*more than 100,000"
    )
    with pytest.raises(InvalidInputError, match=expected):
        cskpi.kpi_report(dd.read_parquet(tmp_path), period="hour")


def test_too_many_periods_across_partitions_name_both_files_and_rows(client: Any, tmp_path: Any) -> None:
    # Each file alone spans few periods; together they span too many: found on merging the
    # partitions' cells, before any per-cell figure, naming where the first and last contacts are.
    rng = np.random.default_rng(4)
    for i in range(3):
        part = contacts(rng, 20)[["created", "wait_seconds"]]  # all read: one file a partition
        if i == 0:  # 90 days of contacts, 12 years earlier
            part["created"] -= np.timedelta64(12 * 365, "D")
            earliest = int(part["created"].argmin())
        part.to_parquet(tmp_path / f"part.{i:02d}.parquet", index=False)
    frame = dd.read_parquet(tmp_path)
    latest = frame["created"].max().compute()
    with pytest.raises(InvalidInputError) as raised:
        cskpi.kpi_report(frame, period="hour")
    message = str(raised.value)
    assert message.startswith("period='hour' gives ")
    assert f"(partition 0, file part.00.parquet, column 'created', row {earliest} of the file) to " in message
    assert f"to {np.datetime64(latest, 's')} (partition " in message
    assert "more than 100,000; use a coarser period" in message


def test_a_null_agent_label_gives_a_clear_message(client: Any, bad_dataset: Any) -> None:
    frame = dd.read_parquet(bad_dataset)
    kept = frame[frame["wait_seconds"] >= 0]
    with pytest.raises(InvalidInputError) as raised:
        cd.nps(kept["score"], nan_policy="omit", by=kept["agent"])
    message = str(raised.value)
    assert "by must not contain missing labels" in message
    assert "part.09.parquet" in message
    assert "row 12 of" in message


# --------------------------------------------------------------------------- 4. the report on the cluster


@pytest.fixture(scope="module")
def example(tmp_path_factory: Any) -> tuple[Any, pd.DataFrame]:
    """The bundled example contacts as a Parquet data set of 12 files, and in memory."""
    from cskpi._report.io import example_contacts_path

    contacts = pd.read_csv(example_contacts_path(), parse_dates=["created", "first_reply", "resolved"])
    directory = tmp_path_factory.mktemp("example")
    for i, part in enumerate(np.array_split(np.arange(len(contacts)), 12)):
        contacts.iloc[part].to_parquet(directory / f"part.{i:02d}.parquet", index=False)
    return directory, contacts


def assert_same_report(result: Any, expected: Any) -> None:
    """Equal counts, cells, trends and statuses; float figures equal to rounding (sums in another order)."""
    assert [k.key for k in result.kpis] == [k.key for k in expected.kpis]
    assert result.n_contacts == expected.n_contacts
    np.testing.assert_array_equal(result.periods, expected.periods)
    if expected.groups is not None:
        assert result.groups.tolist() == expected.groups.tolist()
    for got, want in zip(result.kpis, expected.kpis, strict=True):
        assert (got.label, got.unit, got.test) == (want.label, want.unit, want.test), got.key
        np.testing.assert_array_equal(got.n, want.n, err_msg=got.key)
        # The rows each figure used and left out, per cell and reason.
        np.testing.assert_array_equal(got.n_used, want.n_used, err_msg=got.key)
        assert got.reasons == want.reasons, got.key
        np.testing.assert_array_equal(got.n_excluded, want.n_excluded, err_msg=got.key)
        np.testing.assert_array_equal(got.n_rows, want.n_rows, err_msg=got.key)
        for name in ("values", "low", "high", "change", "baseline", "latest"):
            np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-12, err_msg=got.key)
        np.testing.assert_array_equal(got.change_clear, want.change_clear, err_msg=got.key)
        # The trend words (up / down / no clear change) of the statistical tests.
        assert got.trend.tolist() == want.trend.tolist(), got.key
    if expected.standards is not None:
        assert_same_standards(result.standards, expected.standards)
    assert result.cohorts == expected.cohorts


def assert_same_standards(result: Any, expected: Any) -> None:
    np.testing.assert_array_equal(result.n, expected.n)
    np.testing.assert_array_equal(result.status, expected.status)
    np.testing.assert_array_equal(result.clear, expected.clear)
    for name in ("achieved", "low", "high"):
        np.testing.assert_allclose(getattr(result, name), getattr(expected, name), rtol=1e-12)


STANDARDS = [
    cskpi.Standard(name="SL", metric="service_level", target=0.8, params={"threshold_seconds": 20}),
    cskpi.Standard(name="NPS", metric="nps", target=20),
    cskpi.Standard(name="FRT", metric="first_response_time", target=60, direction="at_most"),
    cskpi.Standard(name="AHT", metric="aht", target=420, direction="at_most"),
]


@pytest.mark.parametrize("by", [None, "channel"])
def test_kpi_report_on_the_cluster_equals_in_memory(client: Any, example: Any, by: str | None) -> None:
    directory, contacts = example
    frame = dd.read_parquet(directory)
    result = cskpi.kpi_report(frame, period="month", by=by, standards=STANDARDS)
    expected = cskpi.kpi_report(contacts, period="month", by=by, standards=STANDARDS)
    assert_same_report(result, expected)
    assert result.to_text() == expected.to_text()


@pytest.fixture(scope="module")
def example_with_gaps(tmp_path_factory: Any) -> tuple[Any, pd.DataFrame]:
    """The example contacts with blank customer ids (unknown callers), as 12 Parquet files and in memory."""
    from cskpi._report.io import example_contacts_path

    contacts = pd.read_csv(example_contacts_path(), parse_dates=["created", "first_reply", "resolved"])
    customers = contacts["customer"].astype(object)
    customers[np.arange(len(contacts)) % 13 == 5] = None
    contacts["customer"] = customers
    directory = tmp_path_factory.mktemp("example_with_gaps")
    for i, part in enumerate(np.array_split(np.arange(len(contacts)), 12)):
        contacts.iloc[part].to_parquet(directory / f"part.{i:02d}.parquet", index=False)
    return directory, contacts


@pytest.mark.parametrize(
    ("period", "by", "empty_periods"),
    [("month", None, "omit"), ("month", "channel", "omit"), ("day", "agent", "show")],
)
def test_report_rows_used_excluded_and_trends_equal_in_memory(
    client: Any, example_with_gaps: Any, period: str, by: str | None, empty_periods: str
) -> None:
    # Per-cell counts of rows used and left out (blank waits, unanswered surveys, abandoned
    # contacts, unknown callers) are summed over partitions; retention per group is counted
    # after the shuffle by customer; the trend words come from the same statistics.
    directory, contacts = example_with_gaps
    frame = dd.read_parquet(directory)
    options = {"period": period, "by": by, "empty_periods": empty_periods}
    result = cskpi.kpi_report(frame, **options)
    expected = cskpi.kpi_report(contacts, **options)
    assert_same_report(result, expected)
    assert result.to_text() == expected.to_text()
    retention = expected["retention"]
    assert retention.excluded["no customer id"].sum() == (np.arange(len(contacts)) % 13 == 5).sum()
    assert {"not surveyed", "no queue wait", "abandoned"} <= {r for s in expected.kpis for r in s.reasons}
    words = {word for series in expected.kpis for word in series.trend.tolist()}
    assert "no clear change" in words
    if period == "month":
        assert words & {"up", "down"}  # some KPI of the example moves clearly
    if by is not None:
        assert np.isfinite(retention.values).any()  # retention per group, not left out
    if empty_periods == "show":
        assert not expected.has_contacts.all()  # some agent has a day without contacts


def test_open_cases_count_tickets_resolved_after_their_partitions_last_period(
    client: Any, tmp_path: Any
) -> None:
    # Each file is one month of tickets; some close months later, one never: the open count at
    # the end of March includes January's tickets still open, though January's file has no
    # March contact. Hand count: A (Jan, closed Apr 2), B (Jan, open), C (Feb, closed Feb),
    # D (Apr, closed Apr): open at the end of Jan 2, Feb 2, Mar 2, Apr 1.
    tickets = pd.DataFrame(
        {
            "created": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03", "2026-04-07"]),
            "resolved": pd.to_datetime(["2026-04-02", None, "2026-02-04", "2026-04-08"]),
            "channel": ["chat", "phone", "chat", "chat"],
        }
    )
    for i, rows in enumerate(([0, 1], [2], [3])):
        tickets.iloc[rows].to_parquet(tmp_path / f"part.{i:02d}.parquet", index=False)
    frame = dd.read_parquet(tmp_path)
    result = cskpi.kpi_report(frame, period="month")
    assert result["open_cases"].values.tolist() == [[2.0, 2.0, 2.0, 1.0]]
    assert_same_report(result, cskpi.kpi_report(tickets, period="month"))
    by_channel = cskpi.kpi_report(frame, period="month", by="channel")
    assert by_channel["open_cases"].values.tolist() == [[1.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]
    assert_same_report(by_channel, cskpi.kpi_report(tickets, period="month", by="channel"))


def test_evaluate_standards_on_the_cluster_equals_in_memory(client: Any, example: Any) -> None:
    directory, contacts = example
    frame = dd.read_parquet(directory)
    for period, by in ((None, None), ("week", "agent")):
        result = cskpi.evaluate_standards(STANDARDS, frame, period=period, by=by)
        expected = cskpi.evaluate_standards(STANDARDS, contacts, period=period, by=by)
        assert_same_standards(result, expected)


def test_report_only_partial_results_reach_the_client(client: Any, example: Any) -> None:
    # The figures come from one compute whose result is per-cell partial results: no row.
    from cskpi._dask import report as dask_report

    directory, _ = dataset_of = example
    frame = dd.read_parquet(directory)
    options = dask_report._Options(columns=None, tz=None, period="month", by="channel", level=0.95)
    requests = (dask_report._Request("nps", "measure", "nps", {"method": "wald"}),)
    cells, measured, _, n_rows = dask_report._measure_all(frame, options, requests, False)
    assert n_rows == len(dataset_of[1])
    assert measured["nps"].values.shape == (cells.n_cells,) == (3 * 4,)


@pytest.mark.parametrize("policy", ["never_answered", "exclude"])
def test_a_percentile_standard_on_dask_equals_in_memory(client: Any, example: Any, policy: str) -> None:
    # The percentile and its distribution-free interval (which decides whether a miss is
    # clear) come from the merged counts of waits per cell: the in-memory ones.
    directory, contacts = example
    frame = dd.read_parquet(directory)
    standards = [
        cskpi.Standard(
            name="p90",
            metric="answer_time_percentile",
            target=60,
            direction="at_most",
            params={"percentile": 90, "abandoned_policy": policy},
        ),
        cskpi.Standard(name="p50", metric="answer_time_percentile", target=15, direction="at_most"),
    ]
    for period, by in ((None, None), ("month", "channel")):
        result = cskpi.evaluate_standards(standards, frame, period=period, by=by)
        expected = cskpi.evaluate_standards(standards, contacts, period=period, by=by)
        assert_same_standards(result, expected)
        assert np.isfinite(expected.low).any() and np.isfinite(expected.high).any()
    report = cskpi.kpi_report(frame, period="month", by="channel", standards=standards)
    assert_same_report(report, cskpi.kpi_report(contacts, period="month", by="channel", standards=standards))


def test_cli_report_on_a_local_cluster(example: Any) -> None:
    import subprocess
    import sys

    directory, _ = example
    options = ["--by", "channel", "--schema", "generic", "--empty-periods", "show", "--period", "week"]
    command = [sys.executable, "-m", "cskpi", "report", str(directory), "--dask", "local", *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    from cskpi._report.io import example_contacts_path

    in_memory = subprocess.run(
        [sys.executable, "-m", "cskpi", "report", str(example_contacts_path()), *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The same report (to display precision; float sums differ in the last bits), but for the
    # source named in the title.
    assert (
        done.stdout.splitlines()[0]
        == "KPI report: 5,667 contacts, 2026-01-05 to 2026-04-20, per week and channel"
    )
    assert in_memory.stdout.splitlines()[0].startswith(f"KPI report of {example_contacts_path()}: 5,667")
    assert done.stdout.splitlines()[1:] == in_memory.stdout.splitlines()[1:]


def test_cli_dask_reads_parquet_only(example: Any, capsys: Any) -> None:
    from cskpi.__main__ import main

    directory, _ = example
    for options in (["--input-format", "csv"], ["--schema", "amazon-connect"]):
        assert main(["report", str(directory), "--dask", "local", *options]) == 2
        error = capsys.readouterr().err
        assert "--dask and --scheduler read a Parquet data set" in error
    assert (
        main(["report", str(directory), "--dask", "local", "--schema", "generic", "--mapping", "m.toml"]) == 2
    )
    assert "give either --schema or --mapping, not both" in capsys.readouterr().err
