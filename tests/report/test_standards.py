"""Tests of service standards: declaration, evaluation per period and group, TOML/JSON files."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi
from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    Standard,
    evaluate_standards,
    load_standards,
    save_standards,
)
from cskpi._core.time import period_labels
from cskpi._report.io import ContactsTable
from cskpi._report.standards import STANDARD_METRICS, standards_to_toml
from helpers import example_text_columns, read_only

SL = Standard(
    name="SL 80/20", metric="service_level", target=0.8, tolerated=0.7, params={"threshold_seconds": 20}
)


# --------------------------------------------------------------------------- declaration


def test_defaults_filled_and_direction_from_metric() -> None:
    assert SL.direction == "at_least"
    assert SL.parameters == {
        "threshold_seconds": 20.0,
        "policy": "abandoned_as_missed",
        "short_abandon_seconds": None,
    }
    assert Standard(name="ASA", metric="asa", target=30).direction == "at_most"
    assert Standard(name="FRT", metric="first_response_time", target=3600).parameters["statistic"] == "median"
    # Parameters given as a dict or as pairs are the same standard.
    pairs = Standard(name="SL 80/20", metric="service_level", target=0.8, tolerated=0.7,
                     params=(("threshold_seconds", 20),))  # fmt: skip
    assert pairs == SL


@pytest.mark.parametrize(
    ("fields", "error", "names"),
    [
        ({"metric": "speed"}, InvalidInputError, "metric"),
        ({"name": ""}, InvalidInputError, "name"),
        ({"target": "high"}, InvalidTypeError, "target"),
        ({"target": float("nan")}, InvalidTypeError, "target"),
        ({"target": 80}, InvalidInputError, "target"),  # a percentage where a fraction is wanted
        ({"target": None}, InvalidTypeError, "target"),
        ({"direction": "above"}, InvalidInputError, "direction"),
        ({"tolerated": 0.9}, InvalidInputError, "tolerated"),  # above the target of an at_least standard
        ({"tolerated": True}, InvalidTypeError, "tolerated"),
        ({"params": {"threshold": 20}}, InvalidInputError, "params"),
        ({"params": {}}, InvalidInputError, "threshold_seconds"),  # required parameter left out
        ({"params": {"threshold_seconds": -5}}, InvalidInputError, "threshold_seconds"),
        ({"params": {"threshold_seconds": "20"}}, InvalidTypeError, "threshold_seconds"),
        ({"params": {"threshold_seconds": 20, "policy": "generous"}}, InvalidInputError, "policy"),
        ({"params": [1, 2]}, InvalidTypeError, "params"),
        ({"description": 3}, InvalidTypeError, "description"),
    ],
)
def test_bad_standard_fields(fields: dict[str, Any], error: type[Exception], names: str) -> None:
    base: dict[str, Any] = {
        "name": "SL",
        "metric": "service_level",
        "target": 0.8,
        "params": {"threshold_seconds": 20},
    }
    base.update(fields)
    with pytest.raises(error, match=names):
        Standard(**base)


@pytest.mark.parametrize(
    ("metric", "params", "message"),
    [
        ("answer_time_percentile", {"percentile": 0.9 * 0}, "percentage"),
        ("answer_time_percentile", {"percentile": 150}, "percentage"),
        ("csat", {"scale": [5, 1]}, "scale"),
        ("csat", {"satisfied_from": 4.5}, "satisfied_from"),
        ("first_response_time", {"statistic": "p95"}, "statistic"),
        ("first_response_time", {"business_hours": ["9am", "5pm"]}, "business_hours"),
        ("first_response_time", {"business_hours": ["17:00", "09:00"]}, "business_hours"),
        ("nps", {"method": "exact"}, "method"),
    ],
)
def test_bad_parameters(metric: str, params: dict[str, Any], message: str) -> None:
    target = {"csat": 0.8, "nps": 10.0}.get(metric, 60.0)
    with pytest.raises((InvalidInputError, InvalidTypeError), match=message):
        Standard(name="x", metric=metric, target=target, params=params)


# --------------------------------------------------------------------------- evaluation


def test_hand_computed_service_level() -> None:
    # 6 of 8 waits are <= 20 s: 6 / 8 = 0.75, below 0.8 but above the tolerated 0.7.
    result = evaluate_standards(SL, {"wait_seconds": [5, 8, 12, 15, 19, 3, 40, 75]})
    assert result.achieved.shape == (1, 1, 1)
    assert result.achieved.item() == 0.75
    assert result.n.item() == 8
    assert result.status.item() == "within_tolerance"
    assert result.gap.item() == pytest.approx(-0.05)
    # Wilson interval of 6/8 (the metric's own) straddles 0.8: the miss is not clear.
    low, high = cskpi.service_level([5, 8, 12, 15, 19, 3, 40, 75], 20).confidence_interval()
    assert (result.low.item(), result.high.item()) == (low, high)
    assert low < 0.8 < high and not result.clear.item()
    assert result.evidence.item() == "not clear"


def test_published_service_level_example() -> None:
    # ICMI (2002), "Service Level Calculations", reproduced by Call Centre Helper: 1,000 answered
    # (860 within 20 s), 60 abandoned; formula 3 (abandons as missed) = 860 / 1060 = 81.1 %.
    waits = np.r_[[10.0] * 860, [30.0] * 140, [3.0] * 10, [12.0] * 10, [45.0] * 40]
    gave_up = np.r_[[False] * 1000, [True] * 60]
    result = evaluate_standards(SL, {"wait_seconds": waits, "abandoned": gave_up})
    assert result.achieved.item() == pytest.approx(860 / 1060)
    assert result.status.item() == "met"
    # Formula 1 (abandons within T as met) gives 880 / 1060 = 83.0 %.
    formula_1 = Standard(name="F1", metric="service_level", target=0.83,
                         params={"threshold_seconds": 20, "policy": "abandoned_within_as_met"})  # fmt: skip
    assert evaluate_standards(formula_1, {"wait_seconds": waits, "abandoned": gave_up}).achieved.item() == (
        pytest.approx(880 / 1060)
    )


def test_at_most_standard_and_clear_miss() -> None:
    # 30 abandons of 100 calls against "at most 5 %": Wilson (0.219, 0.396) lies above 0.05.
    gave_up = np.r_[[True] * 30, [False] * 70]
    standard = Standard(name="Aband", metric="abandonment_rate", target=0.05)
    result = evaluate_standards(standard, {"abandoned": gave_up})
    assert standard.direction == "at_most"
    assert result.achieved.item() == 0.3 and result.status.item() == "not_met"
    assert result.clear.item() and result.gap.item() == pytest.approx(-0.25)


def test_metric_without_interval_is_never_clear() -> None:
    result = evaluate_standards(Standard(name="ASA", metric="asa", target=30), {"wait_seconds": [10.0, 20.0]})
    # (10 + 20) / 2 = 15 s <= 30 s.
    assert result.achieved.item() == 15.0 and result.status.item() == "met"
    assert not result.has_interval.item() and not result.clear.item()
    assert result.evidence.item() == "no interval"


def test_empty_cell_is_undefined_without_warning() -> None:
    contacts = {
        "created": ["2026-01-05T09:00", "2026-03-05T09:00"],  # nothing in February
        "wait_seconds": [10.0, 30.0],
    }
    result = evaluate_standards(SL, contacts, period="month")
    assert [str(p) for p in result.periods] == ["2026-01", "2026-02", "2026-03"]
    assert result.status[0, 0].tolist() == ["met", "undefined", "not_met"]
    assert result.n[0, 0].tolist() == [1, 0, 1]


def _example_columns() -> dict[str, Any]:
    table = ContactsTable(example_text_columns())  # the bundled example, read by the csv module
    return {role: table.get(role) for role in ("created", "channel", "wait_seconds", "abandoned", "nps", "csat",
                                               "ces", "talk_seconds", "hold_seconds", "after_work_seconds",
                                               "first_reply", "resolved")}  # fmt: skip


def test_per_period_and_group_equal_the_metric_functions() -> None:
    columns = _example_columns()
    standards = [
        SL,
        Standard(name="NPS", metric="nps", target=20),
        Standard(name="CSAT", metric="csat", target=0.75),
        Standard(name="AHT", metric="aht", target=400),
    ]
    result = evaluate_standards(standards, columns, period="month", by="channel")
    months = period_labels(columns["created"], "month")
    queued = ~np.isnan(columns["wait_seconds"])
    direct_sl = cskpi.service_level(
        columns["wait_seconds"][queued], 20, abandoned=columns["abandoned"][queued],
        by=(columns["channel"][queued], months[queued]),
    )  # fmt: skip
    direct_nps = cskpi.nps(columns["nps"], by=(columns["channel"], months), nan_policy="omit")
    direct_csat = cskpi.csat(columns["csat"], by=(columns["channel"], months), nan_policy="omit")
    groups = result.groups.tolist()
    periods = result.periods.astype(months.dtype)
    for (channel, month), sl in direct_sl.items():
        cell = (groups.index(channel), int(np.flatnonzero(periods == month)[0]))
        assert result.achieved[(0, *cell)] == sl.score and result.n[(0, *cell)] == sl.n
    for (channel, month), score in direct_nps.items():
        cell = (groups.index(channel), int(np.flatnonzero(periods == month)[0]))
        assert result.achieved[(1, *cell)] == score.score
        low, high = score.confidence_interval()
        assert (result.low[(1, *cell)], result.high[(1, *cell)]) == (low, high)
    for (channel, month), score in direct_csat.items():
        cell = (groups.index(channel), int(np.flatnonzero(periods == month)[0]))
        assert result.achieved[(2, *cell)] == score.score
    # E-mails have no queue wait: their service level is undefined, never 0.
    assert (result.status[0, groups.index("email")] == "undefined").all()


@pytest.mark.parametrize("metric", sorted(STANDARD_METRICS))
def test_every_metric_whole_table_equals_grouped_cells(metric: str) -> None:
    """Registry-driven: the whole-table value equals the per-month values merged by the metric itself."""
    columns = _example_columns()
    params = {
        "service_level": {"threshold_seconds": 20},
        "first_response_within": {"threshold_seconds": 3600},
    }
    bounds = STANDARD_METRICS[metric].bounds
    target = min(max(0.5, bounds[0]), bounds[1])
    standard = Standard(name=metric, metric=metric, target=target, params=params.get(metric, {}))
    whole = evaluate_standards(standard, columns)
    by_channel = evaluate_standards(standard, columns, by="channel")
    assert whole.n.item() == by_channel.n.sum()
    assert whole.achieved.shape == (1, 1, 1) and by_channel.achieved.shape == (1, 3, 1)
    assert np.isfinite(whole.achieved.item())
    # Read-only columns work and give the same result.
    frozen = {key: read_only(value) for key, value in columns.items()}
    assert evaluate_standards(standard, frozen) == whole


def test_first_response_within_counts_unanswered_as_missed() -> None:
    # Replies after 10 min and 2 h; one ticket never answered: 1 of 3 within an hour.
    contacts = {
        "created": ["2026-01-05T09:00", "2026-01-05T09:00", "2026-01-05T09:00"],
        "first_reply": ["2026-01-05T09:10", "2026-01-05T11:00", ""],
    }
    standard = Standard(
        name="1h", metric="first_response_within", target=0.9, params={"threshold_seconds": 3600}
    )
    result = evaluate_standards(standard, contacts)
    assert result.achieved.item() == pytest.approx(1 / 3) and result.n.item() == 3
    # In business hours 09:00-17:00 a ticket created Friday 16:30 and answered Monday 09:20 waited 50 min.
    friday = {"created": ["2026-01-09T16:30"], "first_reply": ["2026-01-12T09:20"]}
    hours = Standard(name="1bh", metric="first_response_within", target=0.9,
                     params={"threshold_seconds": 3600, "business_hours": ["09:00", "17:00"]})  # fmt: skip
    assert evaluate_standards(hours, friday).achieved.item() == 1.0
    assert evaluate_standards(standard, friday).achieved.item() == 0.0


def test_missing_column_names_the_role() -> None:
    with pytest.raises(InvalidInputError, match="missing column 'wait_seconds'"):
        evaluate_standards(SL, {"nps": [10]})
    with pytest.raises(InvalidInputError, match=r"missing column 'queue'.*mapped from role 'wait_seconds'"):
        evaluate_standards(SL, {"wait": [10]}, columns={"wait_seconds": "queue"})
    assert evaluate_standards(SL, {"wait": [10.0]}, columns={"wait_seconds": "wait"}).achieved.item() == 1.0


def test_bad_values_name_column_and_index() -> None:
    with pytest.raises(
        InvalidInputError, match=r"column 'wait_seconds' must be a non-negative.*-3.0 at index 2"
    ):
        evaluate_standards(SL, {"wait_seconds": [1.0, 2.0, -3.0]})
    nps_goal = Standard(name="NPS", metric="nps", target=0)
    with pytest.raises(
        InvalidInputError, match=r"column 'nps': scores must be integers in 0..10; got 11.0 at index 3"
    ):
        evaluate_standards(nps_goal, {"nps": [10, np.nan, 5, 11]})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "fortnight"}, "period"),
        ({"by": 3}, "by"),
        ({"by": "team"}, "no column named 'team'"),
        ({"confidence_level": 1.5}, "confidence_level"),
    ],
)
def test_bad_evaluation_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError), match=message):
        evaluate_standards(SL, {"wait_seconds": [1.0], "created": ["2026-01-05"]}, **kwargs)


def test_bad_standards_argument() -> None:
    with pytest.raises(InvalidTypeError, match="standards must hold Standard objects"):
        evaluate_standards([SL, "x"], {"wait_seconds": [1.0]})
    with pytest.raises(InvalidInputError, match="distinct names"):
        evaluate_standards([SL, SL], {"wait_seconds": [1.0]})
    with pytest.raises(InvalidInputError, match="at least one contact"):
        evaluate_standards(SL, {"wait_seconds": []})


@settings(deadline=None)
@given(
    waits=hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(0, 120, allow_nan=False)),
    target=st.floats(0, 1),
    slack=st.floats(0, 0.5),
    at_least=st.booleans(),
)
def test_status_matches_side_of_target(
    waits: np.ndarray, target: float, slack: float, at_least: bool
) -> None:
    tolerated = max(0.0, target - slack) if at_least else min(1.0, target + slack)
    direction = "at_least" if at_least else "at_most"
    standard = Standard(name="s", metric="service_level", target=target, direction=direction,
                        tolerated=tolerated, params={"threshold_seconds": 30})  # fmt: skip
    result = evaluate_standards(standard, {"wait_seconds": waits})
    achieved = result.achieved.item()
    assert achieved == cskpi.service_level(waits, 30).score
    on_side = achieved >= target if at_least else achieved <= target
    tolerable = achieved >= tolerated if at_least else achieved <= tolerated
    status = result.status.item()
    assert (status == "met") == on_side
    assert (status == "within_tolerance") == (not on_side and tolerable)
    assert (result.gap.item() >= 0) == on_side or math.isclose(result.gap.item(), 0.0, abs_tol=1e-12)
    if result.clear.item():  # a clear result has its whole interval on the achieved value's side
        low, high = result.low.item(), result.high.item()
        if status == "met":
            assert (low >= target) if at_least else (high <= target)
        else:
            assert (high < target) if at_least else (low > target)


@settings(deadline=None, max_examples=30)
@given(
    waits=hnp.arrays(np.float64, st.integers(2, 60), elements=st.floats(0, 100, allow_nan=False)),
    data=st.data(),
)
def test_grouped_equals_per_group(waits: np.ndarray, data: st.DataObject) -> None:
    labels = data.draw(hnp.arrays("U1", waits.shape[0], elements=st.sampled_from(["a", "b", "c"])))
    grouped = evaluate_standards(SL, {"wait_seconds": waits, "team": labels}, by="team")
    for position, label in enumerate(grouped.groups.tolist()):
        alone = evaluate_standards(SL, {"wait_seconds": waits[labels == label]})
        assert grouped.achieved[0, position, 0] == alone.achieved.item()
        assert grouped.status[0, position, 0] == alone.status.item()


def test_rows_and_conversions() -> None:
    result = evaluate_standards(
        [SL], {"wait_seconds": [5.0, 50.0], "channel": ["chat", "phone"]}, by="channel"
    )
    rows = result.rows()
    assert [row["channel"] for row in rows] == ["chat", "phone"]
    assert rows[0]["status"] == "met" and rows[1]["status"] == "not_met"
    assert json.loads(json.dumps(result.to_dict()))["results"][0]["achieved"] == 1.0
    assert "SL 80/20" in repr(result) and "<table" in result._repr_html_()
    pandas = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and frame.shape[0] == 2


# --------------------------------------------------------------------------- files


def test_bundled_example_standards_load() -> None:
    standards = load_standards(Path(cskpi.__file__).parent / "data" / "example_standards.toml")
    assert [s.metric for s in standards] == [
        "service_level",
        "abandonment_rate",
        "first_response_within",
        "csat",
    ]


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_load_round_trip(tmp_path: Path, suffix: str) -> None:
    standards = [
        SL,
        Standard(name='CSAT "top box" ≥ 85 %', metric="csat", target=0.85, params={"scale": [1, 7], "satisfied_from": 6}),
        Standard(name="FRT", metric="first_response_time", target=3600, description="median, business hours",
                 params={"business_hours": ["09:00", "17:30"]}),
    ]  # fmt: skip
    path = tmp_path / f"standards{suffix}"
    save_standards(standards, path)
    assert load_standards(path) == tuple(standards)


@settings(deadline=None)
@given(
    name=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != ""),
    target=st.floats(-100, 100, allow_nan=False),
    description=st.text(max_size=30),
)
def test_toml_writer_round_trips_any_text(name: str, target: float, description: str) -> None:
    standard = Standard(name=name, metric="nps", target=target, description=description)
    text = standards_to_toml([standard])
    parsed = tomllib.loads(text)["standard"][0]
    assert Standard(**parsed) == standard


_GOOD = '[[standard]]\nname = "SL"\nmetric = "service_level"\ntarget = 0.8\n[standard.params]\nthreshold_seconds = 20\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no standards"),
        ("[[standard]\n", "is not valid TOML"),
        ('standard = "x"\n', "'standard' must be a list"),
        ('[[standard]]\nmetric = "nps"\ntarget = 1\n', "standard 1: field 'name' is required"),
        ('[[standard]]\nname = "N"\ntarget = 1\n', "standard 1 ('N'): field 'metric' is required"),
        ('[[standard]]\nname = "N"\nmetric = "nps"\n', "standard 1 ('N'): field 'target' is required"),
        (
            '[[standard]]\nname = "N"\nmetric = "nps"\ntarget = "high"\n',
            "standard 1 ('N'): field target must be",
        ),
        ('[[standard]]\nname = "N"\nmetric = "nps"\ntarget = 1\ngoal = 2\n', "unknown field 'goal'"),
        (
            _GOOD + '[[standard]]\nname = "C"\nmetric = "csat"\ntarget = 85\n',
            "standard 2 ('C'): field target must lie",
        ),
        (_GOOD + _GOOD, "distinct names"),
        (
            '[[standard]]\nname = "S"\nmetric = "service_level"\ntarget = 0.8\n',
            "standard 1 ('S'): field params",
        ),
        (
            '[[standard]]\nname = "N"\nmetric = "nps"\ntarget = 10\nparams = { method = "x" }\n',
            "params['method']",
        ),
        (
            'other = 1\n[[standard]]\nname = "N"\nmetric = "nps"\ntarget = 1\n',
            "unknown top-level key 'other'",
        ),
        ('[[standard]]\nname = 3\nmetric = "nps"\ntarget = 1\n', "field name must be"),
    ],
)
def test_bad_toml_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "standards.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_standards(path)
    assert str(caught.value).startswith(str(path)), str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "is not valid JSON"),
        ("[1]", "standard 1: must be a table"),
        (
            '{"standard": [{"name": "N", "metric": "nps", "target": null}]}',
            "field target must be a finite number",
        ),
        ('[{"name": "N", "metric": "nps", "target": 10}]', ""),  # a bare list is accepted
    ],
)
def test_json_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "standards.json"
    path.write_text(text, encoding="utf-8")
    if not message:
        assert load_standards(path)[0].target == 10.0
        return
    with pytest.raises(InvalidInputError, match=message):
        load_standards(path)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"must be \.toml or \.json"):
        load_standards(tmp_path / "standards.yaml")
    with pytest.raises(InvalidInputError, match="cannot be read"):
        load_standards(tmp_path / "missing.toml")
    (tmp_path / "latin1.toml").write_bytes(b'name = "caf\xe9"')
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        load_standards(tmp_path / "latin1.toml")
    with pytest.raises(InvalidInputError, match=r"must end in \.toml or \.json"):
        save_standards([SL], tmp_path / "standards.txt")
