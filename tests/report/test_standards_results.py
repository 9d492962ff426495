"""Service standards: the results table and its conversions, declaration checks, files (exact texts).

Complements tests/test_standards.py with exact expectations (messages, TOML and JSON texts, rows,
table cells) worked by hand, so that a change in a message, a key or a boundary is detected.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from statistics import NormalDist
from typing import Any

import attrs
import numpy as np
import pytest

from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    Standard,
    evaluate_standards,
    load_standards,
    save_standards,
)
from cskpi._report.io import ContactsTable
from cskpi._report.standards import MetricCall as _Call
from cskpi._report.standards import _toml_key, _toml_value, standards_from_data, standards_to_toml

SL = Standard(
    name="SL 80/20", metric="service_level", target=0.8, tolerated=0.7, params={"threshold_seconds": 20}
)
ASA = Standard(name="ASA", metric="asa", target=30)

# 100 chat contacts that waited 5 s; 8 phone calls of which 6 waited <= 20 s. All in January 2026.
PHONE_WAITS = [5.0, 8.0, 12.0, 15.0, 19.0, 3.0, 40.0, 75.0]
CONTACTS = {
    "wait_seconds": np.r_[[5.0] * 100, PHONE_WAITS],
    "channel": np.array(["chat"] * 100 + ["phone"] * 8),
    "created": np.array(["2026-01-05T09:00"] * 100 + ["2026-01-20T15:00"] * 8),
}
Z95 = NormalDist().inv_cdf(0.975)


def _wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval, written out from Wilson (1927); method 3 of Newcombe (1998)."""
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return centre - half, centre + half


def _exact(message: str) -> str:
    return "^" + re.escape(message) + "$"


# --------------------------------------------------------------------------- rows and conversions


def test_rows_per_group_and_period_by_hand() -> None:
    result = evaluate_standards(SL, CONTACTS, period="month", by="channel")
    chat_low, chat_high = _wilson(100, 100)  # 100 / (100 + z^2) = 0.963, 1
    phone_low, phone_high = _wilson(6, 8)  # (0.409, 0.929): straddles 0.8
    assert chat_low > 0.8 and phone_low < 0.8 < phone_high
    common = {"standard": "SL 80/20", "metric": "service_level"}
    expected = [
        {**common, "channel": "chat", "period": "2026-01", "target": 0.8, "direction": "at_least", "tolerated": 0.7,
         "achieved": 1.0, "gap": 0.2, "n": 100, "low": chat_low, "high": chat_high, "status": "met", "clear": True},
        {**common, "channel": "phone", "period": "2026-01", "target": 0.8, "direction": "at_least", "tolerated": 0.7,
         "achieved": 0.75, "gap": -0.05, "n": 8, "low": phone_low, "high": phone_high, "status": "within_tolerance",
         "clear": False},
    ]  # fmt: skip
    rows = result.rows()
    assert [list(row) for row in rows] == [list(row) for row in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row == pytest.approx(want)
        assert type(row["n"]) is int and type(row["clear"]) is bool and type(row["target"]) is float


def test_rows_without_groups_periods_or_interval() -> None:
    # ASA of waits 10 s and 20 s: (10 + 20) / 2 = 15 s, at most 30 s: met, 15 s to spare; no interval.
    result = evaluate_standards(ASA, {"wait_seconds": [10.0, 20.0]})
    assert result.groups is None and result.periods is None
    assert result.rows() == [
        {"standard": "ASA", "metric": "asa", "target": 30.0, "direction": "at_most", "tolerated": None,
         "achieved": 15.0, "gap": 15.0, "n": 2, "low": None, "high": None, "status": "met", "clear": None},
    ]  # fmt: skip
    headers, cells = result.table()
    assert headers == ["standard", "target", "achieved", "n", "status", "evidence"]
    assert cells == [["ASA", "≤ 30.0 s", "15.0 s", "2", "met", "no interval"]]


def test_group_column_is_called_group_without_by() -> None:
    result = attrs.evolve(evaluate_standards(SL, CONTACTS, by="channel"), by=None)
    assert [row["group"] for row in result.rows()] == ["chat", "phone"]
    assert result.table()[0] == ["standard", "target", "group", "achieved", "n", "status", "evidence"]


def test_table_cells_by_hand() -> None:
    result = evaluate_standards([SL, ASA], CONTACTS, period="month", by="channel")
    headers, cells = result.table()
    assert headers == ["standard", "target", "channel", "period", "achieved", "n", "status", "evidence"]
    # SL: chat 100 / 100, phone 6 / 8 = 75 %; ASA: chat 5 s, phone 177 / 8 = 22.125 s.
    assert cells == [
        ["SL 80/20", "≥ 80.0%", "chat", "2026-01", "100.0%", "100", "met", "clear"],
        ["SL 80/20", "≥ 80.0%", "phone", "2026-01", "75.0%", "8", "within tolerance", "not clear"],
        ["ASA", "≤ 30.0 s", "chat", "2026-01", "5.0 s", "100", "met", "no interval"],
        ["ASA", "≤ 30.0 s", "phone", "2026-01", "22.1 s", "8", "met", "no interval"],
    ]
    html = result._repr_html_()
    assert html.startswith(
        '<table class="cskpi"><caption style="text-align:left">2 service standards</caption>'
    )
    assert "<td>within tolerance</td>" in html


def test_to_dict_by_hand() -> None:
    result = evaluate_standards(SL, CONTACTS, period="month", by="channel", confidence_level=0.9)
    data = result.to_dict()
    assert list(data) == ["period", "by", "confidence_level", "standards", "results"]
    assert (data["period"], data["by"], data["confidence_level"]) == ("month", "channel", 0.9)
    assert result.period == "month" and result.confidence_level == 0.9
    assert data["standards"] == [
        {"name": "SL 80/20", "metric": "service_level", "target": 0.8, "direction": "at_least", "tolerated": 0.7,
         "params": {"threshold_seconds": 20.0}},
    ]  # fmt: skip
    assert [row["achieved"] for row in data["results"]] == [1.0, 0.75]
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(("module", "method"), [("pandas", "to_pandas"), ("polars", "to_polars")])
def test_conversions_name_the_missing_library(
    monkeypatch: pytest.MonkeyPatch, module: str, method: str
) -> None:
    result = evaluate_standards(ASA, {"wait_seconds": [10.0, 20.0]})
    monkeypatch.setitem(sys.modules, module, None)  # the import fails as if the library were not installed
    message = f"{method}() needs {module}, which is not installed; install it with: pip install {module}"
    with pytest.raises(ImportError, match=_exact(message)):
        getattr(result, method)()


def test_polars_and_pandas_frames_hold_the_rows() -> None:
    result = evaluate_standards(SL, CONTACTS, by="channel")
    columns = ["standard", "metric", "channel", "target", "direction", "tolerated", "achieved", "gap", "n", "low",
               "high", "status", "clear"]  # fmt: skip
    pandas = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == columns
    assert frame["achieved"].tolist() == [1.0, 0.75] and frame["n"].tolist() == [100, 8]
    polars = pytest.importorskip("polars")
    frame = result.to_polars()
    assert isinstance(frame, polars.DataFrame) and frame.columns == columns
    assert frame["achieved"].to_list() == [1.0, 0.75] and frame["status"].to_list() == [
        "met",
        "within_tolerance",
    ]


# --------------------------------------------------------------------------- evaluation


def test_evaluation_keeps_the_options_and_int_counts() -> None:
    result = evaluate_standards(SL, CONTACTS, period="month", confidence_level=0.8)
    assert result.period == "month" and result.by is None and result.confidence_level == 0.8
    assert result.n.dtype == np.int64 and result.n.tolist() == [[[108]]]
    # 100 + 6 of 108 within 20 s.
    assert result.achieved.item() == pytest.approx(106 / 108)


def test_contacts_table_keeps_its_column_mapping() -> None:
    table = ContactsTable({"wait": [5.0, 50.0]}, columns={"wait_seconds": "wait"})
    result = evaluate_standards(SL, table)  # 1 of 2 within 20 s
    assert result.achieved.item() == 0.5 and result.n.item() == 2


def test_standards_given_as_a_file_path(tmp_path: Path) -> None:
    path = tmp_path / "standards.toml"
    path.write_text('[[standard]]\nname = "ASA"\nmetric = "asa"\ntarget = 30\n', encoding="utf-8")
    result = evaluate_standards(str(path), {"wait_seconds": [10.0, 20.0]})
    assert result.standards == (ASA,) and result.achieved.item() == 15.0


def test_empty_contacts_messages(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidInputError, match=_exact("contacts must hold at least one contact; got no data rows")
    ):
        evaluate_standards(SL, {"wait_seconds": []})
    pytest.importorskip("pyarrow")  # files are read with pyarrow
    path = tmp_path / "contacts.csv"
    path.write_text("wait_seconds\n", encoding="utf-8")  # a header and no data row
    message = f"{path}: contacts must hold at least one contact; got no data rows"
    with pytest.raises(InvalidInputError, match=_exact(message)):
        evaluate_standards(SL, str(path))


def test_group_column_error_names_the_column() -> None:
    with pytest.raises(
        InvalidInputError,
        match=_exact("team must not contain missing labels (None, NaN or null); got nan at index 1"),
    ):
        evaluate_standards(SL, {"wait_seconds": [1.0, 2.0], "team": [1.0, np.nan]}, by="team")


@pytest.mark.parametrize(
    ("standards", "error", "message"),
    [
        (3, InvalidTypeError,
         "standards must be a Standard, a list or tuple of Standard objects, or the path of a standards file; got int"),
        ([SL, "x"], InvalidTypeError, "standards must hold Standard objects; got str at index 1"),
        ([SL, ASA, ASA], InvalidInputError, "standards must have distinct names; got 'ASA' twice"),
    ],
)  # fmt: skip
def test_standards_argument_messages(standards: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=_exact(message)):
        evaluate_standards(standards, {"wait_seconds": [1.0]})


def test_metric_error_names_the_table_column_and_row() -> None:
    # Row 0 abandoned (not timed); row 2's reply comes before its creation: reported at table row 2
    # (index 1 of the rows passed to first_response_time), in the reply column under its own name.
    contacts = {
        "opened": ["2026-01-05T10:00"] * 3,
        "reply": ["2026-01-05T11:00", "2026-01-05T11:00", "2026-01-05T09:00"],
        "abandoned": [True, False, False],
    }
    frt = Standard(name="FRT", metric="first_response_time", target=3600)
    pattern = r"^column 'reply': first_reply must not be before created; .* at index 2$"
    with pytest.raises(InvalidInputError, match=pattern):
        evaluate_standards(frt, contacts, columns={"created": "opened", "first_reply": "reply"})


def test_call_puts_an_error_naming_no_argument_on_the_first_column() -> None:
    table = ContactsTable({"nps": [3.0, 7.0], "csat": [1.0, 2.0]})

    def failing(*args: Any) -> None:
        raise InvalidInputError("weights must be positive; got -1 at index 1")

    with pytest.raises(
        InvalidInputError, match=_exact("column 'nps': weights must be positive; got -1 at index 1")
    ):
        _Call(table, {"scores": "nps", "ratings": "csat"})(failing)

    def ratings_fail(*args: Any) -> None:
        raise InvalidInputError("ratings must be integers in 1..5; got 6 at index 1")

    with pytest.raises(
        InvalidInputError, match=_exact("column 'csat': ratings must be integers in 1..5; got 6 at index 1")
    ):
        _Call(table, {"scores": "nps", "ratings": "csat"})(ratings_fail)


# --------------------------------------------------------------------------- declaration


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"metric": "csat", "target": 85}, InvalidInputError,
         "target must lie in [0, 1] for metric 'csat' (a fraction in [0, 1] (0.8, not 80)); got 85"),
        ({"metric": "nps", "target": 150}, InvalidInputError, "target must lie in [-100, 100] for metric 'nps' (points); got 150"),
        ({"metric": "asa", "target": -5}, InvalidInputError, "target must lie in [0, inf] for metric 'asa' (seconds); got -5"),
        ({"metric": "csat", "target": 0.8, "tolerated": 0.9}, InvalidInputError,
         "tolerated must be at most the target (0.8) for direction 'at_least'; got 0.9"),
        ({"metric": "asa", "target": 30, "tolerated": 20}, InvalidInputError,
         "tolerated must be at least the target (30) for direction 'at_most'; got 20"),
        ({"metric": "asa", "target": 30, "params": {"x": 1}}, InvalidInputError,
         "params must be parameters of 'asa' (none); got unknown parameter 'x'"),
        ({"metric": "service_level", "target": 0.8, "params": {"threshold_seconds": 20, "x": 1}}, InvalidInputError,
         "params must be parameters of 'service_level' (threshold_seconds, policy, short_abandon_seconds); "
         "got unknown parameter 'x'"),
    ],
)  # fmt: skip
def test_standard_field_messages(fields: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=_exact(message)):
        Standard(name="S", **fields)


@pytest.mark.parametrize(
    ("metric", "params", "name", "value"),
    [
        ("abandonment_rate", {"short_abandon_seconds": 0}, "short_abandon_seconds", 0.0),  # zero is allowed
        ("abandonment_rate", {"short_abandon_seconds": 0.5}, "short_abandon_seconds", 0.5),
        ("abandonment_rate", {"short_abandon_seconds": 5}, "short_abandon_seconds", 5.0),
        ("service_level", {"threshold_seconds": 0.5}, "threshold_seconds", 0.5),  # positive, below one second
        ("answer_time_percentile", {"percentile": 0.5}, "percentile", 0.5),
        ("answer_time_percentile", {"percentile": 100}, "percentile", 100.0),  # the maximum is included
        ("csat", {"scale": [1, 2], "satisfied_from": 2}, "scale", (1, 2)),
        (
            "first_response_time",
            {"business_hours": ["8:00", "17:30:00"]},
            "business_hours",
            ("8:00", "17:30:00"),
        ),
    ],
)
def test_parameter_bounds_accepted(metric: str, params: dict[str, Any], name: str, value: Any) -> None:
    target = 0.5 if metric in ("abandonment_rate", "service_level", "csat") else 60.0
    parameter = Standard(name="S", metric=metric, target=target, params=params).parameters[name]
    assert parameter == value and type(parameter) is type(value)


_SCALE = "params['scale'] must be a pair [low, high] of integers with low < high; got {!r}"
_HOURS = "params['business_hours'] must be a pair [start, end] of 'HH:MM' times (weekdays); got {!r}"


@pytest.mark.parametrize(
    ("metric", "params", "error", "message"),
    [
        ("abandonment_rate", {"short_abandon_seconds": -1}, InvalidInputError,
         "params['short_abandon_seconds'] must be a non-negative number of seconds; got -1"),
        ("service_level", {"threshold_seconds": 0}, InvalidInputError,
         "params['threshold_seconds'] must be a positive number of seconds; got 0"),
        ("service_level", {"threshold_seconds": -5}, InvalidInputError,
         "params['threshold_seconds'] must be a positive number of seconds; got -5"),
        ("answer_time_percentile", {"percentile": 100.5}, InvalidInputError,
         "params['percentile'] must be a percentage in (0, 100] (90, not 0.9); got 100.5"),
        *[("csat", {"scale": scale}, InvalidInputError, _SCALE.format(scale))
          for scale in ([1, 5, 7], ["1", "5"], 5, [1.0, 5.0], [True, 5], [3, 3])],
        *[("first_response_time", {"business_hours": hours}, InvalidInputError, _HOURS.format(hours))
          for hours in (["09:00", "17:00", "18:00"], "09:00", 5, ["9am", "5pm"], [9, 17])],
    ],
)  # fmt: skip
def test_parameter_messages(
    metric: str, params: dict[str, Any], error: type[Exception], message: str
) -> None:
    target = 0.5 if metric in ("abandonment_rate", "service_level", "csat") else 60.0
    with pytest.raises(error, match=_exact(message)):
        Standard(name="S", metric=metric, target=target, params=params)


def test_business_hours_must_be_valid_opening_hours() -> None:
    # Well-formed times, but closing before opening: BusinessHours rejects them.
    prefix = re.escape("params['business_hours'] must be valid opening hours: ")
    with pytest.raises(InvalidInputError, match="^" + prefix):
        Standard(
            name="S", metric="first_response_time", target=60, params={"business_hours": ["09:00", "08:00"]}
        )


def test_standard_to_dict_gives_lists() -> None:
    csat = Standard(name="C", metric="csat", target=0.8, params={"scale": (1, 7), "satisfied_from": 6})
    assert csat.to_dict() == {
        "name": "C", "metric": "csat", "target": 0.8, "direction": "at_least",
        "params": {"satisfied_from": 6, "scale": [1, 7]},
    }  # fmt: skip
    frt = Standard(
        name="F", metric="first_response_time", target=60, params={"business_hours": ("09:00", "17:00")}
    )
    assert frt.to_dict()["params"] == {"business_hours": ["09:00", "17:00"]}


# --------------------------------------------------------------------------- files

_FILE_STANDARDS = [
    SL,
    Standard(name='CSAT "top box" ≥ 85 %\x7f', metric="csat", target=0.85, params={"scale": [1, 7], "satisfied_from": 6}),
    Standard(name="FRT", metric="first_response_time", target=3600, direction="at_most", description="mean, office",
             params={"business_hours": ["09:00", "17:30"], "statistic": "mean"}),
]  # fmt: skip

# Written by hand: fields in the order of Standard, the params table after them (keys sorted),
# TOML basic strings with \" and the DEL character escaped, non-ASCII kept as is.
_TOML = r"""# Service standards (cskpi). Rates are fractions (0.8 = 80 %), times in seconds.

[[standard]]
name = "SL 80/20"
metric = "service_level"
target = 0.8
direction = "at_least"
tolerated = 0.7

[standard.params]
threshold_seconds = 20.0

[[standard]]
name = "CSAT \"top box\" ≥ 85 %\u007f"
metric = "csat"
target = 0.85
direction = "at_least"

[standard.params]
satisfied_from = 6
scale = [1, 7]

[[standard]]
name = "FRT"
metric = "first_response_time"
target = 3600.0
direction = "at_most"
description = "mean, office"

[standard.params]
business_hours = ["09:00", "17:30"]
statistic = "mean"
"""


def test_toml_text_by_hand(tmp_path: Path) -> None:
    assert standards_to_toml(_FILE_STANDARDS) == _TOML
    path = tmp_path / "standards.toml"
    save_standards(_FILE_STANDARDS, path)
    assert path.read_text(encoding="utf-8") == _TOML
    assert load_standards(path) == tuple(_FILE_STANDARDS)


def test_json_text_by_hand(tmp_path: Path) -> None:
    csat = Standard(name="CSAT ≥ 85 %", metric="csat", target=0.85, params={"scale": [1, 7]})
    path = tmp_path / "standards.json"
    save_standards(csat, path)
    expected = textwrap.dedent(
        """\
        {
          "standard": [
            {
              "name": "CSAT ≥ 85 %",
              "metric": "csat",
              "target": 0.85,
              "direction": "at_least",
              "params": {
                "scale": [
                  1,
                  7
                ]
              }
            }
          ]
        }
        """
    )
    assert path.read_text(encoding="utf-8") == expected
    assert load_standards(path) == (csat,)


def test_toml_values_and_keys() -> None:
    assert (_toml_value(True), _toml_value(False)) == ("true", "false")
    assert _toml_value([True, 2, 2.5, "a\x7f"]) == '[true, 2, 2.5, "a\\u007f"]'
    assert _toml_key("threshold_seconds") == "threshold_seconds"
    assert _toml_key("a b") == '"a b"' and _toml_key("é") == '"é"'
    with pytest.raises(InvalidInputError, match=_exact("cannot write a non-finite number to TOML; got inf")):
        _toml_value(math.inf)
    with pytest.raises(InvalidTypeError, match=_exact("cannot write dict to TOML; got {'a': 1}")):
        _toml_value({"a": 1})


def test_save_and_load_path_messages(tmp_path: Path) -> None:
    path = tmp_path / "standards.txt"
    with pytest.raises(
        InvalidInputError, match=_exact(f"path must end in .toml or .json; got {str(path)!r}")
    ):
        save_standards([SL], path)
    for name, got in (("standards.yaml", "'.yaml'"), ("standards", "'no suffix'")):
        source = str(tmp_path / name)
        with pytest.raises(
            InvalidInputError, match=_exact(f"{source}: standards files must be .toml or .json; got {got}")
        ):
            load_standards(source)
    missing = tmp_path / "missing.toml"
    with pytest.raises(
        InvalidInputError, match=_exact(f"{missing}: cannot be read (No such file or directory)")
    ):
        load_standards(missing)


_FIELD_LIST = "name, metric, target, direction, tolerated, params, description"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "standards: no standards: expected [[standard]] tables (TOML) or a 'standard' list"),
        ({"standard": "x"}, "standards: 'standard' must be a list of tables; got str"),
        ([1], "standards: standard 1: must be a table of fields; got int"),
        ([{"name": "N", "metric": "nps", "target": 1, "goal": 2}],
         f"standards: standard 1 ('N'): unknown field 'goal' (fields: {_FIELD_LIST})"),
    ],
)  # fmt: skip
def test_standards_data_messages(data: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=_exact(message)):
        standards_from_data(data)


def test_files_are_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Saved and loaded as UTF-8 even where the locale's encoding is ASCII (a C locale without coercion)."""
    name = "CSAT ≥ 85 %"
    path = tmp_path / "standards.toml"
    save_standards(Standard(name=name, metric="csat", target=0.85), path)  # in this process too
    script = (
        "import locale, sys; from cskpi import Standard, load_standards, save_standards\n"
        "assert locale.getpreferredencoding(False) != 'UTF-8'\n"
        f"save_standards(Standard(name={name!a}, metric='csat', target=0.85), sys.argv[1])\n"
        "print(ascii(load_standards(sys.argv[1])[0].name), ascii(load_standards(sys.argv[2])[0].name))\n"
    )
    env = {
        **os.environ,
        "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
        "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ascii.json"), str(path)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{name!a} {name!a}\n"
