"""Generate the bundled example contacts file ``src/cskpi/data/example_contacts.csv``.

Deterministic (fixed seed): re-running it reproduces the committed file byte for byte.
Synthetic data for demonstrations and tests; the numbers carry no meaning beyond
plausible shapes:

* 16 weeks from Monday 2026-01-05 to Sunday 2026-04-26, about 6,000 contacts, more
  on weekdays and during the day (08:00-20:00);
* three channels (phone 50 %, chat 30 %, email 20 %) and ten agents, each agent
  working mostly one or two channels;
* about 2,400 customers, a few of whom contact often (repeat contacts, for
  retention);
* phone and chat contacts queue (log-normal waits) and some abandon, more often the
  longer they wait; e-mails do not queue (``wait_seconds`` is empty);
* March is understaffed: waits are longer, so the service level falls, abandonment
  rises and the scores dip, and April recovers;
* talk, hold and after-contact-work seconds for handled contacts (empty for abandoned
  ones); first-reply and resolution timestamps, empty for e-mails not answered yet
  and for tickets still open (most of them in the last weeks);
* survey answers for about 30 % of handled contacts: NPS (0-10), CSAT (1-5) and, for
  about 60 % of those, CES (1-7), all worse after long waits.

    python scripts/make_example_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "cskpi" / "data" / "example_contacts.csv"
START = np.datetime64("2026-01-05T00:00:00")
N_DAYS = 16 * 7
END = START + np.timedelta64(N_DAYS, "D")
COLUMNS = [
    "contact_id", "created", "channel", "agent", "customer", "wait_seconds", "abandoned", "talk_seconds",
    "hold_seconds", "after_work_seconds", "first_reply", "resolved", "nps", "csat", "ces",
]  # fmt: skip


def _arrivals(rng: np.random.Generator) -> np.ndarray:
    """Arrival instants: about 60 contacts a weekday, 25 a weekend day, peaking late morning."""
    days = np.arange(N_DAYS)
    weekend = (days % 7) >= 5
    counts = rng.poisson(np.where(weekend, 25, 62))
    day = np.repeat(days, counts)
    hour = 8.0 + 12.0 * rng.beta(2.2, 2.8, day.shape[0])
    seconds = (day * 86_400 + hour * 3600).astype(np.int64)
    return START + np.sort(seconds).astype("timedelta64[s]")


def main() -> None:
    rng = np.random.default_rng(20260105)
    created = _arrivals(rng)
    n = created.shape[0]
    month = created.astype("datetime64[M]").astype(int) - START.astype("datetime64[M]").astype(int)
    march = month == 2

    channel = rng.choice(np.array(["phone", "chat", "email"]), n, p=[0.5, 0.3, 0.2])
    # Agents A01-A05 mostly on the phone, A06-A08 on chat, A09-A10 on e-mail; some overlap.
    pools = {"phone": [1, 2, 3, 4, 5, 6], "chat": [5, 6, 7, 8], "email": [8, 9, 10]}
    agent_number = np.zeros(n, dtype=int)
    for name, pool in pools.items():
        mask = channel == name
        agent_number[mask] = rng.choice(pool, int(mask.sum()))
    agent = np.char.add("A", np.char.zfill(agent_number.astype(str), 2))

    # Customers: a heavy-tailed contact frequency, so some come back often.
    n_customers = 2400
    weights = rng.pareto(1.5, n_customers) + 1.0
    customer_number = rng.choice(n_customers, n, p=weights / weights.sum())
    customer = np.char.add("CU", np.char.zfill(customer_number.astype(str), 5))

    queued = channel != "email"
    base_wait = np.where(channel == "phone", 8.0, 14.0) * np.where(march, 2.6, 1.0)
    wait = np.round(rng.lognormal(np.log(base_wait), 0.9), 1)
    give_up = rng.random(n) < np.clip(wait / 900.0, 0.01, 0.5)
    abandoned = queued & give_up
    handled = ~abandoned

    talk_mean = np.select([channel == "phone", channel == "chat"], [300.0, 540.0], 240.0)
    talk = np.round(rng.gamma(4.0, talk_mean / 4.0), 1)
    hold = np.round(rng.exponential(45.0, n) * ((channel == "phone") & (rng.random(n) < 0.3)), 1)
    after_work = np.round(rng.gamma(2.0, np.where(channel == "email", 30.0, 20.0)), 1)

    email_reply = np.round(rng.lognormal(np.log(2.5 * 3600), 1.0, n)).astype("timedelta64[s]")
    answered_at = created + np.round(wait).astype("timedelta64[s]")
    first_reply = np.where(channel == "email", created + email_reply, answered_at)
    replied = handled & (first_reply < END)

    resolve_after = np.round(rng.lognormal(np.log(np.where(channel == "email", 20.0, 2.0) * 3600), 1.3))
    resolved = first_reply + resolve_after.astype("timedelta64[s]")
    resolved_now = replied & (resolved < END) & (rng.random(n) > 0.03)

    # Scores: worse after long waits, and in March.
    penalty = np.clip(np.log1p(wait / 60.0), 0, 3) * queued + march * 0.6
    surveyed = handled & (rng.random(n) < 0.3)
    nps = np.clip(np.round(rng.normal(8.3 - penalty, 2.0)), 0, 10).astype(int)
    csat = np.clip(np.round(rng.normal(4.3 - 0.45 * penalty, 0.9)), 1, 5).astype(int)
    ces = np.clip(np.round(rng.normal(5.8 - 0.6 * penalty, 1.2)), 1, 7).astype(int)
    ces_asked = surveyed & (rng.random(n) < 0.6)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(n):
            writer.writerow(
                [
                    f"K{i + 1:05d}",
                    str(created[i]),
                    channel[i],
                    agent[i],
                    customer[i],
                    f"{wait[i]:.1f}" if queued[i] else "",
                    "true" if abandoned[i] else "false",
                    f"{talk[i]:.1f}" if handled[i] else "",
                    f"{hold[i]:.1f}" if handled[i] else "",
                    f"{after_work[i]:.1f}" if handled[i] else "",
                    str(first_reply[i]) if replied[i] else "",
                    str(resolved[i]) if resolved_now[i] else "",
                    nps[i] if surveyed[i] else "",
                    csat[i] if surveyed[i] else "",
                    ces[i] if ces_asked[i] else "",
                ]
            )


if __name__ == "__main__":
    main()
