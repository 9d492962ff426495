"""pandas text columns (the ``str`` dtype of pandas 3, ``string``) with missing values in a report."""

from __future__ import annotations

import numpy as np
import pytest

import cskpi
from cskpi._report.io import as_table

pd = pytest.importorskip("pandas")


@pytest.mark.parametrize("dtype", [object, "str", "string"])
def test_a_missing_text_value_is_blank_not_the_text_nan(dtype: object) -> None:
    created = ["2026-01-01T10:00", "2026-01-02T10:00", "2026-01-03T10:00", "2026-01-04T10:00"]
    replies = ["2026-01-01T11:00", None, "2026-01-03T10:30", "2026-01-04T10:10"]
    frame = pd.DataFrame(
        {
            "created": pd.Series(created, dtype=dtype),
            "first_reply": pd.Series(replies, dtype=dtype),
            "customer": pd.Series(["a", None, "a", "b"], dtype=dtype),
        }
    )
    table = as_table(frame, None, None)
    assert table.get("customer").tolist() == ["a", "", "a", "b"]
    assert table.known("customer").tolist() == [True, False, True, True]
    report = cskpi.kpi_report(frame, period="month")
    # One contact without a reply (not a timestamp 'nan'), one unknown caller (not customer 'nan').
    assert report["frt_median"].values.tolist() == [[1800.0]]  # median of 3600, 1800 and 600 s
    assert report["frt_median"].excluded["no reply yet"].tolist() == [[1]]
    assert report["retention"].excluded["no customer id"].tolist() == [[1]]
    assert report["retention"].n.tolist() == [[2]]  # customers a and b, first seen in January
    assert np.isnan(report["retention"].values[0, 0])  # the next period is not observed


@pytest.mark.parametrize(
    ("dtype", "missing"),
    [(object, np.nan), (object, pd.NA), ("category", None), ("category", np.nan), ("string", pd.NA)],
)
def test_missing_values_of_object_and_categorical_text_are_blank(dtype: object, missing: object) -> None:
    # pandas 2's read_csv gives object columns with NaN for blank text; a categorical
    # keeps NaN for a missing category: neither is the group 'nan' or '<NA>', nor one customer.
    frame = pd.DataFrame(
        {
            "created": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-04"]),
            "channel": pd.Series(["chat", missing, "phone", "chat"], dtype=dtype),
            "customer": pd.Series(["a", missing, missing, "a"], dtype=dtype),
        }
    )
    report = cskpi.kpi_report(frame, period="month", by="channel")
    assert list(report.groups) == ["", "chat", "phone"]
    assert report["volume"].values.tolist() == [[1, 0], [1, 1], [1, 0]]
    # Two unknown callers, counted as excluded; customer a came back in February.
    assert report["retention"].excluded["no customer id"].sum() == 2
    assert report["retention"].n.tolist() == [[0, 0], [1, 0], [0, 0]]
    assert report["retention"].values[1, 0] == 1.0


def _label_kinds() -> dict[str, object]:
    """The same padded labels, with a missing one, as every in-memory input kind."""
    labels = ["a", " a", "b ", None]
    kinds: dict[str, object] = {
        "list": labels,
        "numpy object": np.array(labels, dtype=object),
        "numpy text": np.array(["a", " a", "b ", ""]),
        "pandas object": pd.Series(labels, dtype=object),
        "pandas str": pd.Series(labels, dtype="str"),
        "pandas categorical": pd.Series(pd.Categorical(labels)),
    }
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    kinds |= {
        "polars": pl.Series(labels),
        "pyarrow": pa.array(labels),
        "pyarrow dictionary": pa.array(labels).dictionary_encode(),
    }
    return kinds


@pytest.mark.parametrize("kind", list(_label_kinds()))
def test_labels_are_stripped_whatever_the_input_kind(kind: str) -> None:
    # ' a' and 'a ' are the labels a and b of a file; every in-memory kind groups them alike.
    column = _label_kinds()[kind]
    report = cskpi.kpi_report({"created": ["2026-01-01"] * 4, "agent": column}, by="agent")
    assert report.groups.tolist() == ["", "a", "b"]
    assert report["volume"].values[:, 0].tolist() == [1.0, 2.0, 1.0]


def test_a_missing_pandas_boolean_flag_is_false_as_a_polars_or_arrow_null() -> None:
    flags = pd.array([True, None, False, True], dtype="boolean")
    frame = pd.DataFrame({"created": ["2026-01-01"] * 4, "abandoned": flags, "wait_seconds": [5.0, 6, 7, 8]})
    before = frame.copy(deep=True)
    report = cskpi.kpi_report(frame)
    assert report["abandonment_rate"].values.tolist() == [[0.5]]  # NA counts as not abandoned
    assert as_table(frame, None, None).get("abandoned").tolist() == [True, False, False, True]
    pd.testing.assert_frame_equal(frame, before)
    pl = pytest.importorskip("polars")
    from_polars = cskpi.kpi_report(pl.from_pandas(frame))
    assert from_polars["abandonment_rate"].values.tolist() == [[0.5]]
