"""What a type checker (and so an IDE) sees cskpi.dask's functions return.

mypy checks a small client module of ``typing.assert_type`` lines against this
tree's ``src``: the single result without ``by``, the grouped one with it, a
:class:`cskpi.dask.Lazy` with ``compute=False``. Lines expected to be wrong carry a
``# type: ignore[assert-type]``: under ``--strict`` an ignore that is not needed is
itself an error, so they prove the check can fail. Dask is not needed (the client
never runs); mypy is, and the test skips without it. A runtime test checks, with
Dask, that the objects returned are of the types the overloads declare.
"""

from __future__ import annotations

import hashlib
import tempfile
import textwrap
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cskpi
import cskpi.dask as cd

ROOT = Path(__file__).resolve().parent.parent

CLIENT = """
from collections.abc import Sequence
from typing import Any, assert_type

import cskpi
import cskpi.dask as cd
from cskpi import CSAT, NPS, Grouped, ServiceLevel, Volume
from cskpi.dask import Lazy


def check(
    scores: Sequence[int],
    waits: Sequence[float],
    stamps: Sequence[str],
    ids: Sequence[str],
    labels: Sequence[str],
    flag: bool,
) -> None:
    assert_type(cd.nps(scores), NPS)
    assert_type(cd.nps(scores, by=labels), Grouped[NPS])
    assert_type(cd.nps(scores, nan_policy="omit", split_every=4, compute=True), NPS)
    assert_type(cd.nps(scores, compute=False), Lazy[NPS | Grouped[NPS]])
    assert_type(cd.nps(scores, by=labels, compute=False).compute(), NPS | Grouped[NPS])
    assert_type(cd.nps(scores, compute=flag), NPS | Grouped[NPS] | Lazy[NPS | Grouped[NPS]])
    assert_type(cd.csat(scores), CSAT | Grouped[CSAT])
    assert_type(cd.csat(scores, aspects=labels), Grouped[CSAT])

    assert_type(cd.service_level(waits, 20), ServiceLevel)
    assert_type(cd.service_level(waits, 20, by=labels), Grouped[ServiceLevel])
    assert_type(cd.service_level(waits, 20, compute=False), Lazy[ServiceLevel | Grouped[ServiceLevel]])
    assert_type(cd.aht(waits, waits, by=labels), Grouped[cskpi.AHT])

    # One result whether grouped or not: its rows are the groups.
    assert_type(cd.answer_time_percentile(waits, quantile=0.8), cskpi.AnswerTimePercentiles)
    assert_type(cd.answer_time_percentile(waits, quantile=0.8, by=labels), cskpi.AnswerTimePercentiles)
    assert_type(
        cd.answer_time_percentile(waits, quantile=0.8, compute=False), Lazy[cskpi.AnswerTimePercentiles]
    )
    assert_type(cd.answer_time_counts(waits), cd.AnswerTimeCounts)
    assert_type(cd.first_response_time(stamps, stamps, by=labels), cskpi.ResponseTime)

    assert_type(cd.volume(stamps, period="day"), Volume)
    assert_type(cd.volume(stamps, by=labels), Grouped[Volume])
    assert_type(cd.open_cases(stamps, stamps, ["2026-01-01"]), cskpi.OpenCases)

    # Over a customer's whole history.
    assert_type(cd.repeat_contact_retention(ids, stamps), cskpi.CohortRetention)
    assert_type(cd.repeat_contact_retention(ids, stamps, compute=False), Lazy[cskpi.CohortRetention])
    assert_type(cd.fcr_repeat_contact(ids, stamps, by=labels), Grouped[cskpi.RepeatContactFCR])

    # Several figures, or any mergeable metric: what they return is the metric's.
    both = cd.compute(cd.figure(cskpi.nps, scores), cd.figure(cskpi.service_level, waits, 20))
    assert_type(both, tuple[Any, ...])
    assert_type(cd.compute(cd.figure(cskpi.nps, scores), compute=False), Lazy[tuple[Any, ...]])
    assert_type(cd.reduce(cskpi.occupancy, waits, waits), Any)
    assert_type(cd.reduce(cskpi.occupancy, waits, waits, compute=False), Lazy[Any])

    # Wrong on purpose: each must be reported (an unneeded ignore is an error under --strict).
    assert_type(cd.nps(scores), Grouped[NPS])  # type: ignore[assert-type]
    assert_type(cd.nps(scores, by=labels), NPS)  # type: ignore[assert-type]
    assert_type(cd.service_level(waits, 20, compute=False), ServiceLevel)  # type: ignore[assert-type]
    assert_type(cd.volume(stamps), Any)  # type: ignore[assert-type]
"""


def test_the_return_types_a_type_checker_sees() -> None:
    api = pytest.importorskip("mypy.api")
    # One cache per source tree, kept between runs: a warm check takes a few seconds.
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"cskpi-mypy-cache-{tag}"
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        client = folder / "client.py"
        client.write_text(textwrap.dedent(CLIENT), encoding="utf-8")
        config = folder / "mypy.ini"
        config.write_text(f"[mypy]\nmypy_path = {ROOT / 'src'}\n", encoding="utf-8")
        out, err, status = api.run(
            [
                "--config-file",
                str(config),
                "--strict",
                "--follow-imports=silent",  # judge the client, not the library's own imports
                "--python-version=3.11",
                "--cache-dir",
                str(cache),
                "--no-error-summary",
                str(client),
            ]
        )
    assert status == 0, out + err


def _returns(function: Any) -> list[Any]:
    return [typing.get_type_hints(item)["return"] for item in typing.get_overloads(function)]


def test_overloads_say_single_grouped_and_lazy() -> None:
    # Visible at run time too (typing.get_overloads), as the in-memory functions' are.
    returns = _returns(cd.nps)
    assert returns[:3] == [cskpi.NPS, cskpi.Grouped[cskpi.NPS], cd.Lazy[cskpi.NPS | cskpi.Grouped[cskpi.NPS]]]
    assert _returns(cd.repeat_contact_retention)[:2] == [
        cskpi.CohortRetention,
        cd.Lazy[cskpi.CohortRetention],
    ]


def test_every_public_function_has_overloads_on_compute() -> None:
    for name in cd.__all__:
        function = getattr(cd, name)
        if not callable(function) or isinstance(function, type) or name in ("figure", "count_answer_times"):
            continue
        overloads = typing.get_overloads(function)
        assert overloads, name
        computes = [typing.get_type_hints(item)["compute"] for item in overloads]
        assert typing.Literal[True] in computes and typing.Literal[False] in computes, name
        if name != "reduce":  # reduce returns what its function does: Any is the truth there
            assert Any not in _returns(function), name


def test_the_objects_returned_are_of_the_declared_types() -> None:
    da = pytest.importorskip("dask.array")
    from dask.delayed import Delayed

    scores = da.from_array(np.array([10, 9, 7, 3, 0, 10]), chunks=4)
    waits = da.from_array(np.array([5.0, 30.0, 12.0, 50.0, 8.0, 1.0]), chunks=4)
    labels = da.from_array(np.array(["a", "b", "a", "b", "a", "a"]), chunks=4)
    nps_single, nps_grouped, _, _ = _returns(cd.nps)
    sl_single, sl_grouped, _, _ = _returns(cd.service_level)
    assert isinstance(cd.nps(scores), nps_single)
    assert isinstance(cd.nps(scores, by=labels), typing.get_origin(nps_grouped))
    assert isinstance(cd.service_level(waits, 20), sl_single)
    assert isinstance(cd.service_level(waits, 20, by=labels), typing.get_origin(sl_grouped))
    percentile = _returns(cd.answer_time_percentile)[0]
    assert isinstance(cd.answer_time_percentile(waits, quantile=0.8, by=labels), percentile)
    lazy = cd.nps(scores, by=labels, compute=False)
    assert isinstance(lazy, Delayed)
    assert isinstance(lazy, cd.Lazy)  # runtime_checkable: it has compute()
    assert isinstance(lazy.compute(), cskpi.Grouped)
