"""The KPI report of a file against hand-written polars and pandas scripts, CSV and Parquet.

    python benchmarks/bench_report.py            # 1,000,000 rows (needs pyarrow, polars, pandas)
    python benchmarks/bench_report.py --smoke    # 2,000 rows, one run (what CI runs)

One generated contacts file (text keys for channel, agent and customer; blank waits
for e-mails; blank survey answers; a free-text column the report never reads), written
as CSV and as Parquet. Each candidate runs in its own Python process, which reports
the wall time of reading and computing (libraries already imported) and its own peak
resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which counts pyarrow's
and polars' allocators too); runs alternate between candidates and the median is
shown. The scripts compute the same figures per month and channel — volume, service
level at 20 s (abandoned contacts missed), ASA, AHT, abandonment, NPS, CSAT, and
repeat-contact retention (customers first seen in the channel in a month who come back
the next) — and the run checks that they agree with the report's to 1e-9 (the report
also computes intervals, changes and the trend, which the scripts do not).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

from harness import available, machine

FIGURES = ("volume", "service_level", "asa", "aht", "abandonment_rate", "nps", "csat", "retention")

_PRELUDE = """
import json, resource, sys, time
import numpy as np
path = sys.argv[1]
RETENTION = sys.argv[2] == "retention"
"""

_REPORT = """
import cskpi
from cskpi._report.io import ContactsTable
import pyarrow, pyarrow.compute, pyarrow.csv, pyarrow.parquet
try:
    pyarrow.scalar(0)  # pyarrow's own first-use imports (it loads pandas when installed)
except ImportError:
    pass
start = time.perf_counter()
report = cskpi.kpi_report(ContactsTable(path), period="month", by="channel")
elapsed = time.perf_counter() - start
figures = {key: report[key].values.reshape(-1).tolist() for key in FIGURES}
"""

# The report's input alone: the file read and every column the report uses converted to
# the arrays its formulas take (timestamps, numbers, flags, the channel's groups, the
# customer codes), no figure computed. Its CSV/Parquet ratio bounds the whole report's.
_INPUT = """
from cskpi._report.io import ContactsTable
import pyarrow, pyarrow.compute, pyarrow.csv, pyarrow.parquet
try:
    pyarrow.scalar(0)
except ImportError:
    pass
start = time.perf_counter()
table = ContactsTable(path)
table.plan("channel")
table.groups("channel")
table.label_codes("customer")
for role in ("created", "wait_seconds", "abandoned", "talk_seconds", "hold_seconds",
             "after_work_seconds", "nps", "csat"):
    table.get(role)
elapsed = time.perf_counter() - start
figures = {}
"""

_WITHOUT_PANDAS = """
import importlib.abc
class _NoPandas(importlib.abc.MetaPathFinder):  # as if pandas were not installed
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ImportError("pandas is not installed")
sys.meta_path.insert(0, _NoPandas())
"""

_POLARS = """
import polars as pl
start = time.perf_counter()
columns = ["created", "channel", "wait_seconds", "abandoned", "talk_seconds", "hold_seconds",
           "after_work_seconds", "nps", "csat"] + (["customer"] if RETENTION else [])
if path.endswith(".csv"):
    frame = pl.read_csv(path, columns=columns, try_parse_dates=True)
else:
    frame = pl.read_parquet(path, columns=columns)
frame = frame.with_columns(pl.col("created").dt.truncate("1mo").alias("month"))
queued = pl.col("wait_seconds").is_not_null() | pl.col("abandoned")
answered = queued & ~pl.col("abandoned")
handled = pl.col("talk_seconds").is_not_null() & ~pl.col("abandoned")
handle = (pl.col("talk_seconds") + pl.col("hold_seconds").fill_null(0)
          + pl.col("after_work_seconds").fill_null(0))
table = frame.group_by(["channel", "month"]).agg(
    pl.len().alias("volume"),
    ((answered & (pl.col("wait_seconds") <= 20)).sum() / queued.sum()).alias("service_level"),
    pl.col("wait_seconds").filter(answered).mean().alias("asa"),
    handle.filter(handled).mean().alias("aht"),
    (pl.col("abandoned").filter(queued).sum() / queued.sum()).alias("abandonment_rate"),
    (((pl.col("nps") >= 9).sum().cast(pl.Int64) - (pl.col("nps") <= 6).sum().cast(pl.Int64))
     / pl.col("nps").count() * 100).alias("nps"),
    ((pl.col("csat") >= 4).sum() / pl.col("csat").count()).alias("csat"),
)
if RETENTION:
    # Repeat-contact retention per channel: customers first seen in the channel in a month
    # who contacted the same channel the next month (the last month is not observed).
    seen = frame.select("channel", "customer", "month").drop_nulls().unique()
    first = seen.group_by(["channel", "customer"]).agg(pl.col("month").min().alias("cohort"))
    back = (seen.join(first, on=["channel", "customer"])
            .filter(pl.col("month") == pl.col("cohort").dt.offset_by("1mo"))
            .group_by(["channel", "cohort"]).agg(pl.len().alias("back")))
    cohorts = (first.group_by(["channel", "cohort"]).agg(pl.len().alias("size"))
               .join(back, on=["channel", "cohort"], how="left")
               .select("channel", pl.col("cohort").alias("month"),
                       (pl.col("back").fill_null(0) / pl.col("size")).alias("retention")))
    last = frame["month"].max()
    table = (table.join(cohorts, on=["channel", "month"], how="left")
             .with_columns(pl.when(pl.col("month") < last).then(pl.col("retention")).alias("retention")))
table = table.sort(["channel", "month"])
elapsed = time.perf_counter() - start
keys = FIGURES if RETENTION else FIGURES[:-1]
figures = {key: table[key].cast(pl.Float64).fill_nan(None).to_list() for key in keys}
"""

_PANDAS = """
import pandas as pd
start = time.perf_counter()
columns = ["created", "channel", "customer", "wait_seconds", "abandoned", "talk_seconds",
           "hold_seconds", "after_work_seconds", "nps", "csat"]
if path.endswith(".csv"):
    frame = pd.read_csv(path, usecols=columns, parse_dates=["created"], engine="pyarrow")
else:
    frame = pd.read_parquet(path, columns=columns)
frame["month"] = frame["created"].dt.to_period("M")
abandoned = frame["abandoned"].astype(bool)
queued = frame["wait_seconds"].notna() | abandoned
answered = queued & ~abandoned
frame["q"] = queued
frame["in_sl"] = answered & (frame["wait_seconds"] <= 20)
frame["answered_wait"] = frame["wait_seconds"].where(answered)
handled = frame["talk_seconds"].notna() & ~abandoned
frame["handle"] = (frame["talk_seconds"] + frame["hold_seconds"].fillna(0)
                   + frame["after_work_seconds"].fillna(0)).where(handled)
frame["ab"] = abandoned & queued
frame["promoter"] = (frame["nps"] >= 9).where(frame["nps"].notna())
frame["detractor"] = (frame["nps"] <= 6).where(frame["nps"].notna())
frame["satisfied"] = (frame["csat"] >= 4).where(frame["csat"].notna())
g = frame.groupby(["channel", "month"], sort=True)
sums = g[["q", "in_sl", "ab"]].sum()
table = pd.DataFrame({
    "volume": g.size(),
    "service_level": sums["in_sl"] / sums["q"],
    "asa": g["answered_wait"].mean(),
    "aht": g["handle"].mean(),
    "abandonment_rate": sums["ab"] / sums["q"],
    "nps": (g["promoter"].sum() - g["detractor"].sum()) / g["nps"].count() * 100,
    "satisfied": g["satisfied"].sum() / g["csat"].count(),
}).rename(columns={"satisfied": "csat"})
# Repeat-contact retention per channel (as in the polars script).
seen = frame[["channel", "customer", "month"]].dropna().drop_duplicates()
first = seen.groupby(["channel", "customer"])["month"].min().rename("cohort")
seen = seen.join(first, on=["channel", "customer"])
back = seen[seen["month"] == seen["cohort"] + 1].groupby(["channel", "cohort"]).size()
sizes = first.reset_index().groupby(["channel", "cohort"]).size()
retention = back.reindex(sizes.index, fill_value=0) / sizes
retention.index = retention.index.set_names(["channel", "month"])
table["retention"] = retention.reindex(table.index)
table.loc[table.index.get_level_values("month") == frame["month"].max(), "retention"] = float("nan")
elapsed = time.perf_counter() - start
figures = {key: table[key].astype(float).tolist() for key in FIGURES}
"""

_FOOTER = """
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
figures = {k: [None if v is None or v != v else float(v) for v in vs] for k, vs in figures.items()}
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "figures": figures}))
"""


def write_data(folder: Path, n: int, seed: int = 7) -> tuple[Path, Path]:
    """A contacts file of ``n`` rows as CSV and Parquet (the same values)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    channel = rng.choice(np.array(["phone", "chat", "email"]), n, p=[0.5, 0.3, 0.2])
    start = np.datetime64("2026-01-01T00:00:00", "s")
    created = start + np.sort(rng.integers(0, 181 * 86_400, n)).astype("timedelta64[s]")
    queued = channel != "email"
    abandoned = queued & (rng.random(n) < 0.08)
    wait = np.where(queued, np.round(rng.exponential(25.0, n)), np.nan)
    wait[abandoned & (rng.random(n) < 0.5)] = np.nan  # exports leave the wait blank when nobody answered
    talk = np.where(abandoned, np.nan, np.round(rng.gamma(4.0, 80.0, n)))
    hold = np.where(abandoned | (rng.random(n) < 0.7), np.nan, np.round(rng.exponential(30.0, n)))
    after = np.where(abandoned, np.nan, np.round(rng.exponential(40.0, n)))
    nps = np.where(rng.random(n) < 0.3, rng.integers(0, 11, n), -1)
    csat = np.where(rng.random(n) < 0.25, rng.integers(1, 6, n), -1)
    agent = np.char.add("agent-", rng.integers(0, 400, n).astype(str))
    customer = np.char.add("cust-", rng.integers(0, n // 3 + 1, n).astype(str))
    note = np.char.add("free text of the contact, not used by the report #", np.arange(n).astype(str))
    table = pa.table(
        {
            "created": pa.array(created.astype("datetime64[us]")),
            "channel": channel,
            "agent": agent,
            "customer": customer,
            "wait_seconds": pa.array(wait, mask=np.isnan(wait)),
            "abandoned": abandoned,
            "talk_seconds": pa.array(talk, mask=np.isnan(talk)),
            "hold_seconds": pa.array(hold, mask=np.isnan(hold)),
            "after_work_seconds": pa.array(after, mask=np.isnan(after)),
            "nps": pa.array(nps, mask=nps < 0),
            "csat": pa.array(csat, mask=csat < 0),
            "note": note,
        }
    )
    csv_path, parquet_path = folder / "contacts.csv", folder / "contacts.parquet"
    # ISO timestamps without a zone, 'true'/'false', blank cells: the generic layout.
    text = table.set_column(0, "created", pa.array(np.datetime_as_string(created, unit="s")))
    pa_csv.write_csv(text, csv_path, pa_csv.WriteOptions(quoting_style="needed"))
    pq.write_table(table, parquet_path)
    return csv_path, parquet_path


def _run(script: str, path: Path, mode: str = "retention") -> dict[str, object]:
    source = _PRELUDE + f"FIGURES = {FIGURES!r}\n" + script + _FOOTER
    began = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(source), str(path), mode],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-2000:])
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - began
    return result


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    missing = [name for name in ("pyarrow", "polars", "pandas") if not available(name)]
    if missing:
        print(f"skipped: needs {', '.join(missing)} (pip install -e '.[bench]')")
        return 0
    n = 2_000 if smoke else 1_000_000
    runs = 1 if smoke else 5
    for option in ("--rows", "--runs"):  # e.g. --rows 200000 --runs 1 while tuning
        if option in argv:
            value = int(argv[argv.index(option) + 1])
            n, runs = (value, runs) if option == "--rows" else (n, value)
    if "--write" in argv:  # the child that writes the files (its memory is not the parent's)
        write_data(Path(argv[argv.index("--write") + 1]), n)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, __file__, *argv, "--write", folder], check=True, timeout=1800)
        csv_path, parquet_path = Path(folder) / "contacts.csv", Path(folder) / "contacts.parquet"
        csv_, parquet = (csv_path, "retention"), (parquet_path, "retention")
        candidates = {
            "cskpi report, CSV": (_REPORT, *csv_),
            # What `pip install "cskpi[cli]"` gives: pyarrow without pandas (pyarrow imports
            # pandas, when installed, on its first array conversion: about 50 MiB).
            "cskpi, CSV, no pandas": (_WITHOUT_PANDAS + _REPORT, *csv_),
            "polars script, CSV": (_POLARS, *csv_),
            "pandas script, CSV": (_PANDAS, *csv_),
            # The polars script without retention (it then never reads the customer ids).
            "polars, no retention, CSV": (_POLARS, csv_path, "core"),
            "cskpi input only, CSV": (_INPUT, *csv_),
            "cskpi report, Parquet": (_REPORT, *parquet),
            "cskpi input only, Parquet": (_INPUT, *parquet),
            "polars script, Parquet": (_POLARS, *parquet),
            "polars, no retention, Parquet": (_POLARS, parquet_path, "core"),
        }
        results: dict[str, list[dict[str, object]]] = {name: [] for name in candidates}
        for _ in range(runs):  # alternate, so machine noise hits every candidate alike
            for name, (script, path, mode) in candidates.items():
                results[name].append(_run(script, path, mode))
        reference = results["cskpi report, CSV"][0]["figures"]
        for name, outcomes in results.items():
            for key in outcomes[0]["figures"]:  # type: ignore[attr-defined]
                mine = np.array(outcomes[0]["figures"][key], dtype=float)  # type: ignore[index]
                theirs = np.array(reference[key], dtype=float)  # type: ignore[index]
                np.testing.assert_allclose(mine, theirs, rtol=1e-9, equal_nan=True, err_msg=f"{name}: {key}")
        print(
            f"KPI report per month and channel, {n:,} rows ({csv_path.stat().st_size / 2**20:.0f} MB CSV, "
            f"{parquet_path.stat().st_size / 2**20:.0f} MB Parquet); median of {runs} run(s)"
        )
        base = statistics.median(float(r["seconds"]) for r in results["cskpi report, CSV"])  # type: ignore[arg-type]
        header = f"{'candidate':<30} {'median s':>9} {'vs cskpi CSV':>13} {'process s':>10}"
        print(f"{header} {'peak RSS MiB':>13}")
        for name, outcomes in results.items():
            seconds = statistics.median(float(r["seconds"]) for r in outcomes)  # type: ignore[arg-type]
            process = statistics.median(float(r["process_seconds"]) for r in outcomes)  # type: ignore[arg-type]
            peak = max(int(r["peak_bytes"]) for r in outcomes) / 2**20  # type: ignore[call-overload]
            print(f"{name:<30} {seconds:>9.3f} {seconds / base:>12.2f}x {process:>10.2f} {peak:>13.0f}")
        print("median s: reading and computing, libraries imported; process s: the whole command")
        print("figures agree with the report's (rtol 1e-9):", ", ".join(FIGURES))
        print("(no retention: every figure but retention; input only: the file read and its columns")
        print(" converted to the arrays the formulas take, no figure computed)")
        ratio = {
            label: statistics.median(float(r["seconds"]) for r in results[f"{label}, CSV"])  # type: ignore[arg-type]
            / statistics.median(float(r["seconds"]) for r in results[f"{label}, Parquet"])  # type: ignore[arg-type]
            for label in ("cskpi report", "cskpi input only", "polars script", "polars, no retention")
        }
        print("CSV time / Parquet time: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratio.items()))
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
