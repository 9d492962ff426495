"""Label columns read by Arrow as codes: retention and groups equal the in-memory path and a slow reference."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cskpi import kpi_report
from cskpi._report.io import ContactsTable
from cskpi._report.parsing import ColumnSpec

pa = pytest.importorskip("pyarrow")


def _contacts(seed: int, n: int = 600) -> dict[str, list[str]]:
    """Text customer ids with blanks, padding, anonymous callers, repeats across channels and months."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 150, n)
    created = [str(np.datetime64("2026-01-01") + int(d)) + f"T{h:02d}:00" for d, h in zip(day, rng.integers(0, 24, n), strict=True)]
    channel = rng.choice(["phone", "chat", " email"], n).tolist()  # a padded label: the same channel trimmed
    ids = rng.integers(0, 60, n)
    customer = [f"c{i}" if i % 7 else f" c{i} " for i in ids]  # padded ids: the same customer
    for index in rng.choice(n, 40, replace=False):
        customer[index] = rng.choice(["", "   ", "anonymous", "ANONYMOUS "])
    return {"created": created, "channel": channel, "customer": customer}


def _slow_retention(contacts: dict[str, list[str]], missing: tuple[str, ...]) -> dict[str, Any]:
    """Per channel and month: customers first seen there, and those back there the next month (loops)."""
    months = sorted({c[:7] for c in contacts["created"]})
    first_month = min(months)
    all_months = [str(m) for m in np.arange(np.datetime64(first_month), np.datetime64(max(months)) + 1)]
    channels = sorted({c.strip() for c in contacts["channel"]})
    seen: dict[tuple[str, str], set[str]] = {}
    no_id = {(g, m): 0 for g in channels for m in all_months}
    for created, channel, customer in zip(contacts["created"], contacts["channel"], contacts["customer"], strict=True):
        key = customer.strip()
        if key == "" or key.lower() in missing:
            no_id[channel.strip(), created[:7]] += 1
            continue
        seen.setdefault((channel.strip(), key), set()).add(created[:7])
    sizes = {(g, m): 0 for g in channels for m in all_months}
    back = dict(sizes)
    for (channel, _), active in seen.items():
        first = min(active)
        sizes[channel, first] += 1
        following = str(np.datetime64(first) + 1)
        back[channel, first] += following in active
    return {"channels": channels, "months": all_months, "sizes": sizes, "back": back, "no_id": no_id}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_retention_from_arrow_codes_equals_in_memory_path_and_slow_reference(seed: int, tmp_path: Path) -> None:
    contacts = _contacts(seed)
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    in_memory = kpi_report(ContactsTable(contacts, columns=spec), period="month", by="channel")
    # The same data as a pyarrow Table (strings, then dictionary-encoded) and as a CSV file.
    strings = pa.table(contacts)
    dictionary = pa.table({**contacts, "customer": pa.array(contacts["customer"]).dictionary_encode()})
    path = tmp_path / "contacts.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(contacts))
        writer.writerows(zip(*contacts.values(), strict=True))
    reference = _slow_retention(contacts, ("anonymous",))
    for data in (strings, dictionary, path):
        report = kpi_report(ContactsTable(data, columns=spec), period="month", by="channel")
        series, expected = report["retention"], in_memory["retention"]
        np.testing.assert_array_equal(series.values, expected.values)
        np.testing.assert_array_equal(series.n, expected.n)
        np.testing.assert_array_equal(series.n_used, expected.n_used)
        np.testing.assert_array_equal(series.n_excluded, expected.n_excluded)
        assert report.groups.tolist() == reference["channels"]
        assert [str(p)[:7] for p in report.periods] == reference["months"]
        for g, channel in enumerate(reference["channels"]):
            for p, month in enumerate(reference["months"]):
                size, came_back = reference["sizes"][channel, month], reference["back"][channel, month]
                assert series.n[g, p] == size
                assert series.excluded["no customer id"][g, p] == reference["no_id"][channel, month]
                if p < len(reference["months"]) - 1 and size:
                    assert series.values[g, p] == came_back / size
                else:
                    assert np.isnan(series.values[g, p])


def test_ungrouped_retention_from_arrow_codes_keeps_the_cohort_table() -> None:
    contacts = _contacts(3)
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    from_arrow = kpi_report(ContactsTable(pa.table(contacts), columns=spec), period="month")
    in_memory = kpi_report(ContactsTable(contacts, columns=spec), period="month")
    assert from_arrow.cohorts == in_memory.cohorts
    np.testing.assert_array_equal(from_arrow["retention"].values, in_memory["retention"].values)


def test_label_codes_share_a_code_exactly_for_equal_trimmed_labels() -> None:
    labels = ["b", " a", "a ", None, "", "anonymous", "b", "c", "  "]
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    chunked = pa.chunked_array([pa.array(labels[:4]).dictionary_encode(), pa.array(labels[4:]).dictionary_encode()])
    created = ["2026-01-01"] * len(labels)
    for column in (pa.array(labels), chunked, labels):
        table = ContactsTable({"created": created, "customer": column}, columns=spec)
        codes, known = table.label_codes("customer")
        assert known.tolist() == [True, True, True, False, False, False, True, True, False]
        present = [label.strip() for label, k in zip(labels, known, strict=True) if k]  # type: ignore[union-attr]
        shown = codes[known]
        for i, left in enumerate(present):
            for j, right in enumerate(present):
                assert (shown[i] == shown[j]) == (left == right)


def test_dictionary_columns_give_the_labels_and_groups_of_text() -> None:
    labels = ["b", " a", None, "a ", "c", "", "b"]
    chunked = pa.chunked_array([pa.array(labels[:3]).dictionary_encode(), pa.array(labels[3:]).dictionary_encode()])
    created = ["2026-01-01"] * len(labels)
    text = ContactsTable({"created": created, "channel": pa.array(labels)})
    coded = ContactsTable({"created": created, "channel": chunked})
    assert coded.get("channel").tolist() == text.get("channel").tolist() == ["b", "a", "", "a", "c", "", "b"]
    assert coded.groups("channel") == text.groups("channel")


def test_groups_first_then_text_equal_text_first(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("created,channel\n2026-01-01, b\n2026-01-02,\n2026-01-03,a\n2026-01-04,b \n", encoding="utf-8")
    grouped_first, text_first = ContactsTable(path), ContactsTable(path)
    groups = grouped_first.groups("channel")
    labels = text_first.get("channel")
    assert groups == text_first.groups("channel")
    assert grouped_first.get("channel").tolist() == labels.tolist() == ["b", "", "a", "b"]
    assert groups.labels[0].tolist() == ["", "a", "b"] and groups.codes.tolist() == [2, 0, 1, 2]
