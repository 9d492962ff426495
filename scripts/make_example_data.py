"""Generate the bundled example contacts file ``src/cskpi/data/example_contacts.csv``.

Deterministic (fixed seed): re-running it reproduces the committed file byte for byte.
Synthetic data for demonstrations and tests of the command line; the numbers carry
no meaning beyond plausible shapes (log-normal waits, a few abandons, survey answers
for a minority of contacts).

    python scripts/make_example_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "cskpi" / "data" / "example_contacts.csv"


def main() -> None:
    rng = np.random.default_rng(20260101)
    n = 2400
    start = np.datetime64("2026-01-05T08:00:00")
    day = rng.integers(0, 84, n)  # twelve weeks
    second_of_day = rng.integers(0, 10 * 3600, n)  # 08:00-18:00
    created = np.sort(start + (day * 86400 + second_of_day).astype("timedelta64[s]"))
    channel = rng.choice(["phone", "email", "chat"], n, p=[0.5, 0.3, 0.2])
    agent = rng.choice([f"A{i:02d}" for i in range(1, 9)], n)
    n_customers = 700
    customer_number = rng.integers(0, n_customers, n)
    phone_style = rng.integers(0, 3, n)
    customers = []
    for number, style in zip(customer_number.tolist(), phone_style.tolist(), strict=True):
        if number % 3 == 0:
            customers.append(f"customer{number}@example.com" if style else f"Customer{number}@Example.com ")
        else:
            digits = f"{7700900000 + number:010d}"
            customers.append(
                [f"+44 {digits[:4]} {digits[4:]}", f"0{digits}", f"(0{digits[:4]}) {digits[4:]}"][style]
            )
    wait = np.round(rng.lognormal(np.log(25.0), 1.0, n), 1)
    wait[channel != "phone"] = np.round(rng.lognormal(np.log(600.0), 1.2, (channel != "phone").sum()), 1)
    abandoned = (channel == "phone") & (rng.random(n) < np.clip(wait / 600.0, 0.01, 0.6))
    talk = np.where(abandoned, 0.0, np.round(rng.gamma(4.0, 60.0, n), 1))
    hold = np.where(abandoned, 0.0, np.round(rng.exponential(20.0, n) * (rng.random(n) < 0.3), 1))
    after_work = np.where(abandoned, 0.0, np.round(rng.gamma(2.0, 15.0, n), 1))
    resolved_after = np.round(rng.lognormal(np.log(3 * 3600.0), 1.5, n)).astype("timedelta64[s]")
    resolved = created + resolved_after
    unresolved = (rng.random(n) < 0.05) | abandoned
    surveyed = ~abandoned & (rng.random(n) < 0.35)
    nps = np.clip(np.round(rng.normal(7.8, 2.2, n)), 0, 10).astype(int)
    csat = np.clip(np.round(rng.normal(4.0, 1.0, n)), 1, 5).astype(int)
    ces = np.clip(np.round(rng.normal(5.3, 1.4, n)), 1, 7).astype(int)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "contact_id", "created", "channel", "agent", "customer", "wait_seconds", "abandoned",
                "talk_seconds", "hold_seconds", "after_work_seconds", "resolved", "nps", "csat", "ces",
            ]
        )  # fmt: skip
        for i in range(n):
            writer.writerow(
                [
                    f"C{i + 1:05d}",
                    str(created[i]),
                    channel[i],
                    agent[i],
                    customers[i],
                    f"{wait[i]:.1f}",
                    int(abandoned[i]),
                    f"{talk[i]:.1f}",
                    f"{hold[i]:.1f}",
                    f"{after_work[i]:.1f}",
                    "" if unresolved[i] else str(resolved[i]),
                    nps[i] if surveyed[i] else "",
                    csat[i] if surveyed[i] else "",
                    ces[i] if surveyed[i] and rng.random() < 0.6 else "",
                ]
            )


if __name__ == "__main__":
    main()
