"""Short hypothesis runs of the fuzz targets (the long coverage-guided runs use ``fuzz_main.py``).

Hypothesis feeds random byte strings to the same targets atheris fuzzes; a few hundred
inputs each keep this file under ten seconds. Crashes found by longer runs are pinned
as regression inputs in ``CRASHES`` below.
"""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.targets import csv_target, validation_target

# The CSV reader is pyarrow's (the cli extra): its targets skip without it.
needs_arrow = pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="needs pyarrow")

# Inputs that once crashed a target (found by fuzzing), replayed on every run.
VALIDATION_CRASHES: list[bytes] = [
    b"\xbcJ\x02\x05\x01\xd3",  # [np.float64(inf), None] as timestamps: RuntimeWarning, NaT
    b",\x1e\x01\x9cY\x00\x00\x00\x00\x00\x00\x00\x00\x01",  # a huge int in an object array: OverflowError
    b"\x04\x07\x00",  # check_nan_policy(array): ambiguous truth value
    bytes.fromhex("5fec2822ecececfcecec28282422ececececec7aef"),  # erlang_c(52, 1e308): overflow warning
    bytes.fromhex(
        "21696b6b6b6b6b6b6b6b6b6b6b6b6b6b6b7e42425d5d6b6b6b6b6b02000000000000006b6b6b6b6b6b6b6b6b6b4a"
    ),  # factorize([2**63 - 1] * 2): label wrapped to -2**63
    bytes.fromhex(
        "3909eb33ebff7733e500ff3000e9ebfbe500ff3000e9ebfbeb3909eb3909eb33eb3007e9ebeb"
    ),  # factorize(object array holding an array): numpy's ValueError
]
# Found by fuzzing the CSV reader when it had three engines (numpy, pyarrow, polars) that
# disagreed on them; replayed through the one Arrow reader, which must read each file or
# raise an input error naming it.
CSV_CRASHES = [
    pytest.param(b"\x00a,b\n", id="header-only"),
    pytest.param(b"\x00a,b", id="header-only-no-newline"),
    pytest.param(b"\x00\x00", id="nul-header"),
    pytest.param(bytes.fromhex("58222c0a0e"), id="quote-in-header"),
    pytest.param(bytes.fromhex("00600a170a0a2200"), id="unterminated-quote-last-row"),
    # A carriage return without a line feed: a line break for numpy and pyarrow, not for
    # polars (found by the atheris run after the two rules above; now an error naming the line).
    pytest.param(bytes.fromhex("0d2e0d3f"), id="bare-carriage-return"),
    # A unit separator (0x1f) in the data split polars' one-column read of the lines
    # (its SchemaError escaped); such files are now scanned by the csv module.
    pytest.param(bytes.fromhex("014a600a014a1f0a"), id="unit-separator"),
    # A tab-delimited row with one field too many, the extra one empty at the end: the
    # polars engine stripped the line (and its trailing tab) before counting delimiters.
    pytest.param(bytes.fromhex("0a71280a0209"), id="trailing-tab-delimiter"),
    # A row of a tab and 0x1f: the numpy engine skipped it as blank (Python's str.strip
    # takes 0x1c-0x1f for whitespace) where pyarrow and polars saw two fields. Only empty
    # lines are skipped now, by every engine.
    pytest.param(bytes.fromhex("26431b00000015 0a00000a091f0a".replace(" ", "")), id="unit-separator-row"),
    # A quoted column name running onto the next line ('"@' newline '@"'): the header
    # was read as one line by cskpi, as two by polars. The header must now be one line.
    pytest.param(bytes.fromhex("0a22400a4022"), id="header-spanning-lines"),
    pytest.param(bytes.fromhex("0a40220a4022"), id="stray-quote-in-header"),
    # An empty line inside a quoted field running over several lines: the numpy engine
    # skipped it as a blank line (and changed the value); now kept inside quotes.
    pytest.param(
        bytes.fromhex("6060600a220a600a0a2822220a2d132222220a2d13"), id="empty-line-inside-quoted-field"
    ),
]

SMOKE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SMOKE
@given(st.binary(max_size=200))
def test_validation_layer_never_crashes(data: bytes) -> None:
    validation_target(data)


@needs_arrow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_csv_reader_never_crashes(data: bytes) -> None:
    csv_target(data, run_cli=False)


@needs_arrow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "7", "10", " 3 ", "x", '"a,b"', "nan", "1e400", "-1", "phone"]),
            min_size=3,
            max_size=3,
        ),
        max_size=6,
    )
)
def test_csv_like_files_never_crash(rows: list[list[str]]) -> None:
    """Well-formed-ish CSV files with the CLI's columns (fuzzing deeper than random bytes)."""
    text = "nps,csat,channel\n" + "".join(",".join(row) + "\n" for row in rows)
    csv_target(b"\x00" + text.encode())


@pytest.mark.parametrize("data", VALIDATION_CRASHES)
def test_validation_regressions(data: bytes) -> None:
    validation_target(data)


@needs_arrow
@pytest.mark.parametrize("data", CSV_CRASHES)
def test_csv_regressions(data: bytes) -> None:
    csv_target(data)


# Quoting that is not RFC 4180 (a quote inside an unquoted field, text after a closing
# quote; the engines disagreed there): the Arrow reader reads it or names the file.
NON_RFC_QUOTING = [
    pytest.param(b'\x00a,b\n"1"x,2\n', id="text-after-closing-quote"),
    pytest.param(bytes.fromhex("00000a000022770a0a030000000000000022"), id="quote-inside-field"),
]


@needs_arrow
@pytest.mark.parametrize("data", NON_RFC_QUOTING)
def test_non_rfc_quoting(data: bytes) -> None:
    csv_target(data)
