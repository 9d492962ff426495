"""Fuzz targets for the validation layer and the CLI's CSV reader (bytes in, no crash out).

Each target takes arbitrary bytes, decodes them into arguments with :class:`Bytes`
(a small deterministic decoder, so that the same target runs under atheris'
coverage-guided engine — see ``fuzz_main.py`` — and under hypothesis in the normal
test run — see ``test_fuzz_smoke.py``), calls the code under test and checks:

* the only exceptions are :class:`cskpi.InvalidInputError` / :class:`cskpi.InvalidTypeError`
  (anything else propagates and is a crash);
* the only warnings are :class:`cskpi.UndefinedMetricWarning` (numpy's overflow or
  invalid-value warnings are errors);
* what is returned keeps the layer's promises: validated scores lie on their scale,
  durations are finite and non-negative float seconds, group codes index the labels,
  rates are in [0, 1] or NaN, the CSV engines agree with each other, and the CLI exits
  with status 0 or 2.

Nothing here imports atheris: pytest imports this module (``--doctest-modules``).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import cskpi
from cskpi import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from cskpi._core.checks import (
    check_confidence_level,
    check_integer_scale,
    check_nan_policy,
    check_same_length,
    integer_scores,
    to_array,
)
from cskpi._core.labels import factorize
from cskpi._core.time import to_datetime64, to_seconds

EXPECTED = (InvalidInputError, InvalidTypeError)


class Bytes:
    """Draw small values from a byte string; past its end every draw is 0 (deterministic)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def byte(self) -> int:
        if self.position >= len(self.data):
            return 0
        value = self.data[self.position]
        self.position += 1
        return value

    def below(self, n: int) -> int:
        return self.byte() % n if n > 1 else 0

    def pick(self, options: Any) -> Any:
        return options[self.below(len(options))]

    def integer(self) -> int:
        size = self.pick((1, 1, 2, 4, 8, 9))
        raw = int.from_bytes(bytes(self.byte() for _ in range(size)), "little", signed=True)
        return raw

    def number(self) -> float:
        special = self.below(12)
        if special < 6:
            return float(self.integer()) / self.pick((1, 1, 2, 10, 1000))
        return (math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324)[special - 6]

    def text(self) -> str:
        kind = self.below(6)
        if kind == 0:
            return self.pick(("2024-05-13T09:00", "2024-05-13", "NaT", "", "nan", "2024-13-45", "9999-12-31"))
        if kind == 1:
            return self.pick(("customer", "agent", "phone", "chat", "é", "true", "1", " 7 "))
        length = self.below(8)
        return "".join(
            chr(self.pick((32, 44, 34, 10, 48, 57, 97, 0x2028, 0xFFFD, 0x1F600))) for _ in range(length)
        )


DTYPES = (
    "int8",
    "uint8",
    "int64",
    "uint64",
    "float32",
    "float64",
    "complex128",
    "bool",
    "U8",
    "S4",
    "object",
    "datetime64[s]",
    "datetime64[D]",
    "timedelta64[s]",
    "timedelta64[ns]",
)


def array(source: Bytes, size: int | None = None) -> np.ndarray:
    """A numpy array of a drawn dtype and shape, possibly read-only, strided or broadcast."""
    dtype = np.dtype(source.pick(DTYPES))
    n = source.below(7) if size is None else size
    shape: tuple[int, ...] = (n,) if source.below(6) else (n, source.below(3) + 1)
    count = int(np.prod(shape))
    if dtype.kind in "iub":
        values: Any = [source.integer() for _ in range(count)]
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            values = [min(max(v, info.min), info.max) for v in values]
        result = np.array(values, dtype=dtype if dtype.kind != "b" else None).astype(dtype)
    elif dtype.kind in "fc":
        with np.errstate(over="ignore"):  # 1e308 as float32 is inf: a valid fuzz value
            result = np.array([source.number() for _ in range(count)], dtype=np.float64).astype(dtype)
    elif dtype.kind == "U":
        result = np.array([source.text() for _ in range(count)]).astype(dtype)
    elif dtype.kind == "S":
        result = np.array([source.text().encode()[:4] for _ in range(count)], dtype=dtype)
    elif dtype.kind == "O":
        result = np.empty(count, dtype=object)
        for i in range(count):
            result[i] = value(source, depth=2)
    else:  # datetime64 / timedelta64
        limit = 2**63 - 1
        ticks = [
            max(min(source.integer(), limit), -limit) if source.below(8) else -limit - 1 for _ in range(count)
        ]
        result = np.array(ticks, dtype=np.int64).view(dtype)
    result = result.reshape(shape)
    layout = source.below(5)
    if layout == 1 and result.shape[0] > 1:
        result = result[::2]
    elif layout == 2 and result.shape[0] > 0:
        result = np.broadcast_to(result[:1], result.shape)
    if source.below(2):
        result.flags.writeable = False if result.flags.owndata or layout == 1 else result.flags.writeable
    return result


def value(source: Bytes, depth: int = 0) -> Any:
    """Any argument a caller might pass: scalars, strings, lists (ragged too), arrays, None."""
    kind = source.below(11 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return bool(source.below(2))
    if kind == 2:
        return source.integer()
    if kind == 3:
        return source.number()
    if kind == 4:
        return source.text()
    if kind == 5:
        return np.float64(source.number()) if source.below(2) else np.int8(source.integer() % 100)
    if kind in (6, 7):
        return array(source)
    if kind == 8:
        return [value(source, depth + 1) for _ in range(source.below(6))]
    if kind == 9:
        return tuple(value(source, depth + 1) for _ in range(source.below(4)))
    return [source.number() for _ in range(source.below(6))]


@contextlib.contextmanager
def strict_warnings() -> Iterator[None]:
    """Every warning is an error except UndefinedMetricWarning (the documented NaN signal)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        yield


def _expect(call: Callable[[], Any]) -> Any:
    """The call's result, or None when it raised one of cskpi's input errors."""
    try:
        with strict_warnings():
            return call()
    except EXPECTED:
        return None


def _in_unit(figure: Any) -> bool:
    values = np.asarray(figure, dtype=np.float64)
    return bool(np.all(np.isnan(values) | ((values >= 0.0) & (values <= 1.0))))


def _headline(result: Any, name: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return getattr(result, name)


# --------------------------------------------------------------------------- validation layer


def _fuzz_integer_scores(source: Bytes) -> None:
    low = source.integer() % 200 - 100
    high = low + 1 + source.below(120)
    values = value(source)
    policy = source.pick(("raise", "omit"))
    result = _expect(lambda: integer_scores(values, "scores", low, high, nan_policy=policy, ndim=(1, 2)))
    if result is not None:
        scores, keep = result
        assert scores.dtype.kind in "iu", scores.dtype
        kept = scores if keep is None else scores[keep]
        assert kept.size == 0 or (int(kept.min()) >= low and int(kept.max()) <= high), (low, high, kept)


def _fuzz_to_seconds(source: Bytes) -> None:
    values = value(source)
    allow_nan, allow_negative = bool(source.below(2)), bool(source.below(2))
    seconds = _expect(
        lambda: to_seconds(values, "wait_seconds", allow_nan=allow_nan, allow_negative=allow_negative)
    )
    if seconds is not None:
        assert seconds.dtype == np.float64 and seconds.ndim == 1
        present = seconds[~np.isnan(seconds)]
        assert allow_nan or present.size == seconds.size
        assert np.isfinite(present).all()
        assert allow_negative or (present >= 0).all()


def _fuzz_to_datetime64(source: Bytes) -> None:
    values = value(source)
    allow_nat = bool(source.below(2))
    stamps = _expect(lambda: to_datetime64(values, "created", allow_nat=allow_nat))
    if stamps is not None:
        assert stamps.dtype == np.dtype("datetime64[us]")
        assert allow_nat or not np.isnat(stamps).any()


def _fuzz_factorize(source: Bytes) -> None:
    labels = value(source)
    n = source.below(8)
    groups = _expect(lambda: factorize(labels, n, name="by"))
    if groups is not None:
        assert groups.codes.shape == (n,)
        assert n == 0 or (groups.codes.min() >= 0 and groups.codes.max() < groups.n_groups)
        assert all(key.shape[0] == groups.n_groups for key in groups.labels)


def _fuzz_small_checks(source: Bytes) -> None:
    candidate = value(source)
    _expect(lambda: check_integer_scale(candidate))
    _expect(lambda: check_nan_policy(candidate))  # type: ignore[arg-type]
    level = _expect(lambda: check_confidence_level(candidate))
    assert level is None or 0.0 < level < 1.0
    first, second = array(source), array(source)
    if first.ndim and second.ndim:
        length = _expect(lambda: check_same_length(("a", first), ("b", second)))
        assert length is None or length == first.shape[0] == second.shape[0]
    converted = _expect(lambda: to_array(candidate, "values", ndim=(1, 2)))
    assert converted is None or converted.ndim in (1, 2)


def _fuzz_public(source: Bytes) -> None:
    """Public functions on fuzzed arguments: an input error, or a result in its range."""
    first, second = value(source), value(source)
    which = source.below(8)
    if which == 0:
        result = _expect(lambda: cskpi.nps(first, by=second if source.below(2) else None))
        if result is not None:
            score = np.asarray(_headline(result, "score"), dtype=np.float64)
            assert np.all(np.isnan(score) | ((score >= -100) & (score <= 100)))
    elif which == 1:
        result = _expect(lambda: cskpi.csat(first, by=second if source.below(2) else None))
        assert result is None or _in_unit(_headline(result, "score"))
    elif which == 2:
        result = _expect(lambda: cskpi.service_level(first, second))
        assert result is None or _in_unit(_headline(result, "score"))
    elif which == 3:
        result = _expect(lambda: cskpi.asa(first, abandoned=second if source.below(2) else None))
        if result is not None:
            score = np.asarray(_headline(result, "score"), dtype=np.float64)
            assert np.all(np.isnan(score) | (score >= 0))
    elif which == 4:
        result = _expect(lambda: cskpi.erlang_c(first, second))
        assert result is None or _in_unit(result)
    elif which == 5:
        result = _expect(lambda: cskpi.erlang_b(first, second))
        assert result is None or _in_unit(result)
    elif which == 6:
        result = _expect(lambda: cskpi.answer_time_percentile(first, quantile=second))
        if result is not None:
            seconds = np.asarray(result.seconds, dtype=np.float64)
            assert np.all(np.isnan(seconds) | (seconds >= 0))
    else:
        calendar = cskpi.BusinessHours.weekdays("09:00", "17:00")
        result = _expect(lambda: cskpi.business_seconds(first, second, calendar=calendar))
        if result is not None:
            seconds = np.asarray(result, dtype=np.float64)
            assert np.all(np.isnan(seconds) | (seconds >= 0))


VALIDATION_TARGETS = (
    _fuzz_integer_scores,
    _fuzz_to_seconds,
    _fuzz_to_datetime64,
    _fuzz_factorize,
    _fuzz_small_checks,
    _fuzz_public,
)


def validation_target(data: bytes) -> None:
    """One fuzz input for the validation layer: the first byte picks the check."""
    source = Bytes(data)
    source.pick(VALIDATION_TARGETS)(source)


# --------------------------------------------------------------------------- CSV reader and CLI


def csv_target(data: bytes, *, run_cli: bool = True) -> None:
    """One fuzz input for the Arrow CSV reader: the first byte picks the delimiter, the rest is the file.

    The reader either gives columns of one length (every parsing rule then converts
    them or raises :class:`BadValue`) or raises one of cskpi's input errors naming
    the file; the CLI exits 0 or 2.
    """
    from cskpi import __main__ as cli
    from cskpi._report import parsing
    from cskpi._report.readers import column_names, read_columns

    delimiter = (",", ";", "\t", "|")[data[0] % 4] if data else ","
    handle, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data[1:])
        try:
            with strict_warnings():
                names = column_names(path, delimiter=delimiter)
                columns, n_rows = read_columns(path, names, delimiter=delimiter)
        except EXPECTED:
            columns, n_rows = {}, 0
        for name, column in columns.items():
            assert len(column) == n_rows, (name, len(column), n_rows)
            spec = parsing.ColumnSpec(column=name)
            for convert in (
                parsing.arrow_durations,
                parsing.arrow_scores,
                parsing.arrow_flags,
                parsing.arrow_labels,
                lambda values, spec: parsing.arrow_timestamps(values, spec, optional=True),
            ):
                try:
                    with strict_warnings():
                        result = convert(column, spec)
                except parsing.BadValue:
                    continue
                values = result[0] if isinstance(result, tuple) else result
                assert values.shape == (n_rows,), (name, values.shape)
        if run_cli:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                status = cli.main([path, "--delimiter", delimiter]) if delimiter != "," else cli.main([path])
            assert status in (0, 2), status
    finally:
        os.unlink(path)
