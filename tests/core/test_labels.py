"""The label layer: engine-aware factorize, the missing-label rule, several keys, customer ids.

Every fast path is checked against a slow reference built from Python values
(``sorted(set(values))`` and a dict from label to code), for every input kind the
library accepts; optional libraries are skipped when not installed.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
import cskpi._core.labels as labels_module
from cskpi import InvalidInputError, InvalidTypeError, keep_missing
from cskpi._core.ids import customer_index
from cskpi._core.labels import combine_codes, decode_combos, encode_labels, factorize
from cskpi._core.optional import MissingDependencyError, optional_module, require, unavailable
from helpers import read_only
from strategies import text_keys

MISSING = "(None, NaN or null)"


def reference(values: list[Any]) -> tuple[list[int], list[Any]]:
    """Sorted distinct labels and each row's position among them, in plain Python."""
    distinct = sorted(set(values))
    position = {label: i for i, label in enumerate(distinct)}
    return [position[value] for value in values], distinct


def exact(message: str) -> str:
    return f"^{re.escape(message)}$"


# Constructors of every input kind for a list of text labels (None for a missing label).
def _pandas(dtype: str | None) -> Any:
    def make(values: list[Any]) -> Any:
        pd = pytest.importorskip("pandas")
        return pd.Series(values, dtype=dtype)

    return make


def _pandas_index(values: list[Any]) -> Any:
    pd = pytest.importorskip("pandas")
    return pd.Index(values, dtype=object)


def _polars(categorical: bool) -> Any:
    def make(values: list[Any]) -> Any:
        pl = pytest.importorskip("polars")
        series = pl.Series(values, dtype=pl.String)
        return series.cast(pl.Categorical) if categorical else series

    return make


def _arrow(chunks: int) -> Any:
    def make(values: list[Any]) -> Any:
        pa = pytest.importorskip("pyarrow")
        if chunks == 1:
            return pa.array(values, type=pa.string())
        step = max(1, -(-len(values) // chunks))
        parts = [values[i : i + step] for i in range(0, len(values), step)] or [[]]
        return pa.chunked_array(parts, type=pa.string())

    return make


TEXT_KINDS = {
    "list": list,
    "numpy str": lambda values: np.array(values, dtype=str),
    "numpy object": lambda values: np.array(values, dtype=object),
    "read-only numpy str": lambda values: read_only(np.array(values, dtype=str)),
    "pandas object": _pandas("object"),
    "pandas string": _pandas("string"),
    "pandas string[pyarrow]": _pandas("string[pyarrow]"),
    "pandas category": _pandas("category"),
    "pandas Index": _pandas_index,
    "polars String": _polars(False),
    "polars Categorical": _polars(True),
    "pyarrow Array": _arrow(1),
    "pyarrow ChunkedArray": _arrow(3),
}


@pytest.mark.parametrize("kind", list(TEXT_KINDS))
@given(values=st.integers(0, 40).flatmap(text_keys))
@settings(max_examples=25, deadline=None)
def test_text_labels_match_the_reference(kind: str, values: list[str]) -> None:
    groups = factorize(TEXT_KINDS[kind](values), len(values))
    codes, distinct = reference(values)
    assert groups.codes.tolist() == codes
    assert groups.labels[0].tolist() == distinct
    assert groups.codes.dtype == np.intp


@pytest.mark.parametrize("kind", ["numpy str", "numpy object", "list", "polars String", "polars Categorical"])
@given(values=st.integers(0, 40).flatmap(text_keys))
@settings(max_examples=25, deadline=None)
def test_text_labels_without_pyarrow_match_the_reference(kind: str, values: list[str]) -> None:
    with unavailable("pyarrow"):
        groups = factorize(TEXT_KINDS[kind](values), len(values))
    codes, distinct = reference(values)
    assert groups.codes.tolist() == codes and groups.labels[0].tolist() == distinct


@given(values=st.integers(1, 40).flatmap(text_keys), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_groups_do_not_depend_on_row_order(values: list[str], seed: int) -> None:
    order = np.random.default_rng(seed).permutation(len(values))
    labels = np.array(values, dtype=object)
    groups = factorize(labels, len(values))
    shuffled = factorize(labels[order], len(values))
    assert shuffled.labels[0].tolist() == groups.labels[0].tolist()
    assert shuffled.codes.tolist() == groups.codes[order].tolist()


def test_label_dtypes_follow_the_input() -> None:
    assert factorize(np.array(["b", "a"]), 2).labels[0].dtype == np.dtype("<U1")
    assert factorize(np.array(["b", "a"], dtype=object), 2).labels[0].dtype == object
    assert factorize(np.array([b"b", b"a"]), 2).labels[0].tolist() == [b"a", b"b"]
    assert factorize(["b", "a", "b"], 3).labels[0].dtype.kind == "U"


@given(st.lists(st.integers(-5, 5) | st.integers(-(2**62), 2**62), min_size=0, max_size=40))
@settings(max_examples=50, deadline=None)
def test_integer_labels_match_the_reference(values: list[int]) -> None:
    groups = factorize(np.array(values, dtype=np.int64), len(values))
    codes, distinct = reference(values)
    assert groups.codes.tolist() == codes and groups.labels[0].tolist() == distinct


@pytest.mark.parametrize(
    "labels",
    [
        np.array([True, False, True]),
        np.array([2.5, -1.0, 2.5]),
        np.array([3, 1, 3], dtype=np.uint8),
        np.array([2.5, -1.0, 2.5], dtype=object),
        np.array([3, 10**18, 3], dtype=object),
    ],
)
def test_numeric_labels_match_the_reference(labels: np.ndarray) -> None:
    for variant in (labels, read_only(labels.copy())):
        groups = factorize(variant, labels.shape[0])
        codes, distinct = reference(labels.tolist())
        assert groups.codes.tolist() == codes and groups.labels[0].tolist() == distinct


def test_pandas_nullable_and_categorical_labels() -> None:
    pd = pytest.importorskip("pandas")
    groups = factorize(pd.Series([3, 1, 3], dtype="Int64"), 3)
    assert groups.labels[0].dtype == np.int64 and groups.labels[0].tolist() == [1, 3]
    assert groups.codes.tolist() == [1, 0, 1]
    # Unused categories make no group; groups are in label order, not category order.
    series = pd.Series(pd.Categorical(["b", "a", "b"], categories=["z", "b", "a"]))
    groups = factorize(series, 3)
    assert groups.labels[0].tolist() == ["a", "b"] and groups.codes.tolist() == [1, 0, 1]
    index = pd.CategoricalIndex(["y", "x", "y"], categories=["x", "y", "w"])
    assert factorize(index, 3).labels[0].tolist() == ["x", "y"]


# --------------------------------------------------------------------------- missing labels


def _missing_cases() -> list[tuple[str, Any, str]]:
    cases: list[tuple[str, Any, str]] = [
        ("list", ["a", "b", None, "a"], "None at index 2"),
        ("numpy object", np.array(["a", "b", None], dtype=object), "None at index 2"),
        ("numpy float", np.array([1.0, 2.0, np.nan]), "nan at index 2"),
        ("numpy datetime", np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"), "NaT at index 1"),
    ]
    if optional_module("pandas") is not None:
        import pandas as pd

        cases += [
            ("pandas object", pd.Series(["a", "b", None], dtype=object), "None at index 2"),
            ("pandas str", pd.Series(["a", "b", None]), "nan at index 2"),
            ("pandas string", pd.Series(["a", None, "b"], dtype="string"), "<NA> at index 1"),
            ("pandas Int64", pd.Series([1, None, 2], dtype="Int64"), "<NA> at index 1"),
            ("pandas category", pd.Series(["a", None], dtype="category"), "nan at index 1"),
        ]
    if optional_module("polars") is not None:
        import polars as pl

        cases += [
            ("polars String", pl.Series(["a", "b", None]), "None at index 2"),
            ("polars Categorical", pl.Series(["a", None, "a"], dtype=pl.Categorical), "None at index 1"),
            ("polars Float64 NaN", pl.Series([1.0, float("nan")]), "nan at index 1"),
        ]
    if optional_module("pyarrow") is not None:
        import pyarrow as pa

        cases += [
            ("pyarrow Array", pa.array(["a", None]), "None at index 1"),
            # The null is the 2nd value of the 2nd chunk: index 3 of the whole array.
            ("pyarrow ChunkedArray", pa.chunked_array([["a", "b"], ["c", None]]), "None at index 3"),
        ]
    return cases


@pytest.mark.parametrize(("kind", "labels", "shown"), _missing_cases(), ids=lambda case: str(case)[:30])
def test_missing_labels_raise_naming_the_argument_and_index(kind: str, labels: Any, shown: str) -> None:
    with pytest.raises(
        InvalidInputError, match=exact(f"team must not contain missing labels {MISSING}; got {shown}")
    ):
        factorize(labels, len(labels), name="team")


def test_polars_text_labels_use_polars_codes_with_or_without_pyarrow() -> None:
    pl = pytest.importorskip("polars")
    # Categories cast elsewhere in the process come first in a shared mapping: the codes
    # of this column are then sparse, and must still give dense groups in label order.
    pl.Series([f"elsewhere-{i}" for i in range(500)]).cast(pl.Categorical)
    cases = {
        "String": pl.Series("team", ["b", "a", None, "c", "a"]),
        "Categorical": pl.Series("team", ["b", "a", None, "c", "a"]).cast(pl.Categorical),
        "Enum": pl.Series("team", ["b", "a", None, "c", "a"], dtype=pl.Enum(["c", "b", "a"])),
    }
    for hide in ((), ("pyarrow",)):
        for kind, labels in cases.items():
            with unavailable(*hide):
                groups = factorize(cskpi.keep_missing(labels, "?"), 5)
                with pytest.raises(InvalidInputError, match="got None at index 2"):
                    factorize(labels, 5)
            assert groups.labels[0].tolist() == ["a", "b", "c", "?"], kind
            assert groups.codes.tolist() == [1, 0, 3, 2, 0], kind


def test_nan_in_an_object_array_raises_like_in_a_float_array() -> None:
    # Once [1.0, nan, 1.0, 2.0] as objects made two groups of 1.0 and one of nan, while
    # the float64 array raised: both raise now, at the same index.
    message = exact(f"by must not contain missing labels {MISSING}; got nan at index 1")
    for labels in (np.array([1.0, np.nan, 1.0, 2.0]), np.array([1.0, np.nan, 1.0, 2.0], dtype=object)):
        with pytest.raises(InvalidInputError, match=message):
            factorize(labels, 4)
        with unavailable("pyarrow"), pytest.raises(InvalidInputError, match=message):
            factorize(labels, 4)
    with pytest.raises(InvalidInputError, match=message):
        cskpi.nps([9, 9, 9, 9], by=np.array([1.0, np.nan, 1.0, 2.0], dtype=object))


@pytest.mark.parametrize(
    "kind", ["list", "numpy object", "pandas object", "polars String", "pyarrow ChunkedArray"]
)
def test_keep_missing_makes_one_last_group(kind: str) -> None:
    values = ["b", None, "a", None, "b"]
    groups = factorize(keep_missing(TEXT_KINDS[kind](values)), 5)
    # Sorted labels a, b, then the missing group.
    assert groups.labels[0].tolist() == ["a", "b", "(missing)"]
    assert groups.codes.tolist() == [1, 2, 0, 2, 1]


def test_keep_missing_label_and_collisions() -> None:
    groups = factorize(keep_missing([2.0, np.nan, 1.0], label=-1.0), 3)
    assert groups.labels[0].tolist() == [1.0, 2.0, -1.0] and groups.codes.tolist() == [1, 2, 0]
    # Without missing labels nothing is added.
    assert factorize(keep_missing(["a", "b"]), 2).labels[0].tolist() == ["a", "b"]
    with pytest.raises(InvalidInputError, match="must not already contain the label of its missing group"):
        factorize(keep_missing(["(missing)", None]), 2)
    # Several keys: only the wrapped key keeps its missing rows.
    groups = factorize((keep_missing(["x", None, "x"]), [1, 2, 1]), 3)
    assert groups.labels[0].tolist() == ["x", "(missing)"] and groups.labels[1].tolist() == [1, 2]
    result = cskpi.nps([10, 0, 9], by=keep_missing(np.array(["t", None, "t"], dtype=object)))
    assert result["t"].score == 100.0 and result["(missing)"].score == -100.0


# --------------------------------------------------------------------------- several keys


def test_several_large_keys_combine_without_overflow() -> None:
    # 5 keys of 10**4 distinct labels each: 10**20 combinations, more than int64 holds.
    rng = np.random.default_rng(7)
    n = 10_000
    keys = tuple(rng.permutation(n).astype(str) for _ in range(5))
    rows = rng.integers(0, n, 30_000)  # rows repeat combinations
    picked = tuple(key[rows] for key in keys)
    groups = factorize(picked, rows.shape[0])
    tuples = list(zip(*(key.tolist() for key in picked), strict=True))
    distinct = sorted(set(tuples))
    got = list(zip(*(labels.tolist() for labels in groups.labels), strict=True))
    assert got == distinct  # every group occurs, each once, in order
    position = {t: i for i, t in enumerate(distinct)}
    assert groups.codes.tolist() == [position[t] for t in tuples]


def test_combine_codes_refactors_when_the_radix_product_overflows() -> None:
    sizes = (2**40, 2**40, 3)
    codes = (
        np.array([2**40 - 1, 0, 2**40 - 1], dtype=np.intp),
        np.array([5, 2**40 - 1, 5], dtype=np.intp),
        np.array([2, 1, 0], dtype=np.intp),
    )
    combined, combos = combine_codes(codes, sizes)
    # Distinct code triples, sorted: (0, 2**40-1, 1), (2**40-1, 5, 0), (2**40-1, 5, 2).
    assert combined.tolist() == [2, 0, 1]
    assert combos.tolist() == [[0, 2**40 - 1, 1], [2**40 - 1, 5, 0], [2**40 - 1, 5, 2]]
    decoded = decode_combos(combos[:, 2:], (np.array(["p", "q", "r"]),))
    assert decoded[0].tolist() == ["q", "p", "r"]


def test_grouped_results_of_several_keys_still_merge() -> None:
    first = cskpi.nps([10, 0], by=(["a", "b"], [1, 2]))
    second = cskpi.nps([10, 9], by=(["b", "a"], [2, 1]))
    merged = first + second
    assert merged[("a", 1)].promoters == 2 and merged[("b", 2)].detractors == 1


# --------------------------------------------------------------------------- numpy hash paths


@pytest.mark.parametrize("container", ["str", "bytes"])
def test_hash_collisions_fall_back_to_an_exact_sort(monkeypatch: pytest.MonkeyPatch, container: str) -> None:
    values = ["b", "a", "ccc", "b", "dd", "a"]
    labels: Any = np.array(values, dtype=str)
    if container == "bytes":
        labels = np.char.encode(labels, "utf-8")
        values = [v.encode() for v in values]
    # Every row hashes alike: the exact comparison sees different strings under one hash.
    monkeypatch.setattr(labels_module, "_text_hash", lambda words: np.zeros(words.shape[0], dtype=np.uint64))
    with unavailable("pyarrow"):
        groups = factorize(labels, len(values))
    codes, distinct = reference(values)
    assert groups.codes.tolist() == codes and groups.labels[0].tolist() == distinct


class _SameHash(str):
    """A str whose every value hashes alike: the object path must still tell them apart."""

    def __hash__(self) -> int:
        return 0


def test_objects_sharing_a_hash_stay_different_labels() -> None:
    values = ["b", "a", "ccc", "b", "dd", "a"]
    labels = np.array([_SameHash(v) for v in values] + [None], dtype=object)
    with unavailable("pyarrow"):
        groups = factorize(keep_missing(labels), len(labels))
    codes, distinct = reference(values)
    assert groups.codes.tolist() == [*codes, 4] and groups.labels[0].tolist() == [*distinct, "(missing)"]


def test_hash_table_of_many_distinct_labels() -> None:
    # More distinct labels than the rows that seed the table (2**16): the second pass adds them.
    n = 200_000
    values = np.char.add("id-", np.arange(n).astype(str))[np.random.default_rng(3).permutation(n)]
    with unavailable("pyarrow"):
        codes, labels = encode_labels(values, "customer_ids", sort=False)
    assert labels.shape[0] == n and np.array_equal(labels[codes], values)


def test_mixed_objects_raise_on_every_path() -> None:
    message = "by must hold labels of one comparable type; got mixed values in dtype object"
    for hide in ((), ("pyarrow",)):
        with unavailable(*hide), pytest.raises(InvalidTypeError, match=exact(message)):
            factorize(np.array(["a", 1, "a"], dtype=object), 3)


def test_arrays_inside_object_labels_raise_a_type_error() -> None:
    labels = np.empty(2, dtype=object)
    labels[0], labels[1] = np.zeros(0), np.zeros(2)
    for hide in ((), ("pyarrow",)):
        with unavailable(*hide), pytest.raises(InvalidTypeError, match="one comparable type"):
            factorize(labels, 2)


def test_sort_false_numbers_groups_by_identity_only() -> None:
    values = ["q", "p", "q", "r"]
    codes, labels = encode_labels(np.array(values), "x", sort=False)
    assert sorted(labels.tolist()) == ["p", "q", "r"]
    assert labels[codes].tolist() == values


# --------------------------------------------------------------------------- customer ids

DAYS = ["2024-01-01", "2024-01-02", "2024-01-03"]


@pytest.mark.parametrize("bad", ["", None])
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda ids: cskpi.fcr_repeat_contact(ids, DAYS), "customer_ids"),
        (lambda ids: cskpi.engagement(ids, DAYS), "customer_ids"),
        (lambda ids: cskpi.returned_within(ids, DAYS, window_seconds=7 * 86400), "customer_ids"),
    ],
)
def test_customer_ids_one_rule_for_blanks_and_missing(call: Any, name: str, bad: Any) -> None:
    # Two anonymous contacts are not one repeat caller.
    ids = np.array(["c1", bad, bad], dtype=object)
    if bad == "":
        message = f"{name} must not contain empty strings (missing identifiers); got '' at index 1"
    else:
        message = f"{name} must not contain missing identifiers {MISSING}; got None at index 1"
    with pytest.raises(InvalidInputError, match=exact(message)):
        call(ids)


def test_customer_ids_from_every_engine_identify_customers() -> None:
    values = ["c2", "c1", "c2", "c3"]
    for kind in ("numpy str", "numpy object", "pandas string", "polars String", "pyarrow ChunkedArray"):
        codes, n_slots = customer_index(TEXT_KINDS[kind](values))
        assert n_slots == 3
        assert [codes[i] == codes[j] for i in range(4) for j in range(4)] == [
            values[i] == values[j] for i in range(4) for j in range(4)
        ]


def test_empty_customer_id_in_an_engine_object_raises() -> None:
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(InvalidInputError, match=r"got '' at index 2$"):
        customer_index(pa.chunked_array([["a"], ["b", ""]]))


# --------------------------------------------------------------------------- optional modules


def test_require_names_the_extra_to_install() -> None:
    with (
        unavailable("math"),
        pytest.raises(
            MissingDependencyError,
            match=re.escape(
                "plot_x() needs math, which is not installed; "
                'install it with: pip install matplotlib (cskpi\'s "plot" extra)'
            ),
        ),
    ):
        require("math", "plot_x()", "plot")
    assert require("math", "plot_x()", "plot").sqrt(9.0) == 3.0
    assert isinstance(MissingDependencyError("x"), ImportError)
    # without an extra the hint names the library; a dotted module names its package
    with pytest.raises(
        MissingDependencyError, match=re.escape("install it with: pip install no_such_pkg") + "$"
    ):
        require("no_such_pkg.sub", "to_pandas()")


def test_every_conversion_names_the_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    result = cskpi.nps([9, 10], by=["a", "b"])
    for module, method in (("pandas", "to_pandas"), ("polars", "to_polars"), ("pyarrow", "to_arrow")):
        monkeypatch.setitem(sys.modules, module, None)  # the import fails as if not installed
        message = f"{method}() needs {module}, which is not installed; install it with: pip install {module}"
        with pytest.raises(MissingDependencyError, match=re.escape(message)):
            getattr(result, method)()


# --------------------------------------------------------------------------- key names


def test_named_series_name_their_label_columns() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"channel": ["a", "b", "a"], "day": ["x", "x", "y"], "wait": [1.0, 30.0, 5.0]})
    single = cskpi.service_level(df["wait"], 20, by=df["channel"])
    assert single.names == ("channel",)
    assert next(iter(single.to_dict())) == "channel"
    double = cskpi.service_level(df["wait"], 20, by=(df["channel"], df["day"]))
    assert list(double.to_dict())[:2] == ["channel", "day"]
    # two keys of one name, unnamed arrays and keep_missing wrappers
    assert cskpi.nps([9, 0, 10], by=(df["channel"], df["channel"])).names == ("by[0]", "by[1]")
    assert cskpi.nps([9, 0, 10], by=["a", "b", "a"]).names == ("by",)
    assert cskpi.nps([9, 0, 10], by=cskpi.keep_missing(df["channel"])).names == ("channel",)
    # the name does not change the result: a merge with an unnamed batch keeps the first names
    merged = cskpi.nps([9, 0, 10], by=df["channel"]) + cskpi.nps([9], by=["a"])
    assert merged.names == ("channel",) and merged.n.tolist() == [3, 1]


def test_polars_series_name_their_label_column() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"agent": ["x", "y", "x"], "score": [9, 0, 10]})
    assert cskpi.nps(frame["score"], by=frame["agent"]).names == ("agent",)


def test_text_mixed_with_numbers_is_refused_with_and_without_pyarrow() -> None:
    # 1 and "1" are different customers only by accident of the export: never mix them.
    ids = np.array([1, "a", "a"], dtype=object)
    with unavailable("pyarrow"):
        with pytest.raises(InvalidTypeError, match="customer_ids must hold labels of one comparable type"):
            cskpi.repeat_rate(ids)
        with pytest.raises(InvalidTypeError, match="by must hold labels of one comparable type"):
            cskpi.nps([9, 10, 0], by=ids)
        # blanks among text keep the text path: the missing rule applies
        with pytest.raises(InvalidInputError, match="by must not contain missing labels"):
            cskpi.nps([9, 10, 0], by=np.array(["a", None, "b"], dtype=object))
    with pytest.raises(InvalidTypeError, match="customer_ids must hold labels of one comparable type"):
        cskpi.repeat_rate(ids)


# --------------------------------------------------------------------------- object arrays through pyarrow


@pytest.mark.parametrize("hide", [(), ("pyarrow",)], ids=["pyarrow", "without pyarrow"])
def test_bytes_among_text_objects_read_as_text_like_a_list(hide: tuple[str, ...]) -> None:
    # One rule on every path: bytes mixed with str are their UTF-8 text (numpy reads the
    # list ["ab", b"ab"] as two "ab"), whichever comes first; bytes alone stay bytes.
    for values in (["ab", b"ab", "cd", b"ef"], [b"ab", "ab", "cd", b"ef"]):
        with unavailable(*hide):
            groups = factorize(np.array(values, dtype=object), 4)
        assert groups.labels[0].tolist() == ["ab", "cd", "ef"] == factorize(values, 4).labels[0].tolist()
        assert [type(label) for label in groups.labels[0]] == [str, str, str]
        assert groups.codes.tolist() == [0, 0, 1, 2]
    labels = np.array([None, b"b", b"a", b"b"], dtype=object)
    with unavailable(*hide):
        only_bytes = factorize(keep_missing(labels), 4)
        with pytest.raises(InvalidInputError, match="got None at index 0"):
            factorize(labels, 4)
        with pytest.raises(InvalidTypeError, match="one comparable type"):  # not UTF-8: no text to read
            factorize(np.array(["a", b"\xff"], dtype=object), 2)
    assert only_bytes.labels[0].tolist() == [b"a", b"b", "(missing)"]
    assert only_bytes.codes.tolist() == [2, 1, 0, 1]


def test_object_labels_converted_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    # Blocks of 4 rows: a block of missing values only, labels first seen in later blocks
    # (each block has its own dictionary), and each kind of missing value.
    monkeypatch.setattr(labels_module, "_ARROW_BLOCK", 4)
    values = ["d", "b", "d", "b", None, np.nan, None, pd.NA, "a", "c", "a", "b", "e"]
    labels = np.array(values, dtype=object)
    groups = factorize(keep_missing(labels, "?"), len(values))
    assert groups.labels[0].tolist() == ["a", "b", "c", "d", "e", "?"]
    assert groups.codes.tolist() == [3, 1, 3, 1, 5, 5, 5, 5, 0, 2, 0, 1, 4]
    message = f"by must not contain missing labels {MISSING}; got nan at index 4"
    with pytest.raises(InvalidInputError, match=exact(message)):
        factorize(labels[[0, 1, 2, 3, 5]], 5)  # the NaN opens the second block
    # The first label present decides bytes against text, even past a block of blanks.
    blank_first = np.array([None] * 4 + [b"y", b"x", b"y"], dtype=object)
    assert factorize(keep_missing(blank_first), 7).labels[0].tolist() == [b"x", b"y", "(missing)"]
    # A number after the first block is refused as on every other path.
    with pytest.raises(InvalidTypeError, match="one comparable type"):
        factorize(np.array(["a", "b", "c", "d", "e", 1], dtype=object), 6)


def test_object_text_labels_sort_by_code_point() -> None:
    # pyarrow sorts the labels by their UTF-8 bytes: the same order as Python's for str.
    values = ["é", "z", "Z", "a", "\U0001f600", "ab", "", "ä", "\x00", "a\x00"]
    codes, distinct = reference(values)
    for hide in ((), ("pyarrow",)):
        with unavailable(*hide):
            groups = factorize(np.array(values, dtype=object), len(values))
        assert groups.labels[0].tolist() == distinct and groups.codes.tolist() == codes


@given(
    values=st.integers(0, 30).flatmap(
        lambda size: st.lists(
            st.one_of(st.none(), st.sampled_from(["b", "a", "é", "ab", "日本"])), min_size=size, max_size=size
        )
    ),
    block=st.integers(1, 6),
)
@settings(max_examples=60, deadline=None)
def test_object_labels_in_any_blocks_match_the_reference(values: list[str | None], block: int) -> None:
    pytest.importorskip("pyarrow")
    present = [value for value in values if value is not None]
    codes, distinct = reference(present)
    position = iter(codes)
    expected = [len(distinct) if value is None else next(position) for value in values]
    labels = np.array(values, dtype=object)
    saved = labels_module._ARROW_BLOCK
    labels_module._ARROW_BLOCK = block  # hypothesis runs the examples without the function fixture
    try:
        for hide in ((), ("pyarrow",)):
            with unavailable(*hide):
                groups = factorize(keep_missing(labels, "?"), len(values))
            missing = ["?"] if None in values else []
            assert groups.labels[0].tolist() == distinct + missing and groups.codes.tolist() == expected
    finally:
        labels_module._ARROW_BLOCK = saved
