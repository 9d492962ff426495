"""Tests for complaints, engagement, reviews and follower growth (cskpi._kpi.engagement)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cskpi import (
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    complaints,
    engagement,
    follower_growth,
    reviews,
)
from helpers import read_only

BASE = np.datetime64("2024-01-01T00:00", "s")
DAY = 86_400


def days(*offsets: int) -> np.ndarray:
    return BASE + (np.array(offsets, dtype=np.int64) * DAY).astype("timedelta64[s]")


def inverted_cdf(values: list[int], q: float) -> float:
    """Obvious inverted-CDF quantile: the smallest x with at least q of the values <= x."""
    ordered = sorted(values)
    for x in ordered:
        if sum(v <= x for v in ordered) >= q * len(ordered) - 1e-12:
            return float(x)
    return float("nan")


# --------------------------------------------------------------------------- complaints


class TestComplaints:
    def test_hand_computed(self):
        # January: 2 complaints, 400 contacts, 1,000 customers -> 5.0 and 2.0 per 1,000.
        # February: 1 complaint, 500 contacts -> 2.0 per 1,000 contacts, 1.0 per 1,000 customers.
        contacts = np.repeat(np.array(["2024-01-15", "2024-02-15"], dtype="datetime64[D]"), [400, 500])
        result = complaints(["2024-01-03", "2024-01-20", "2024-02-07"], contacts=contacts, n_customers=1000)
        assert result.n_complaints.tolist() == [2, 1]
        assert result.n_contacts.tolist() == [400, 500]
        assert result.per_1000_contacts.tolist() == [5.0, 2.0]
        assert result.per_1000_customers.tolist() == [2.0, 1.0]

    def test_fca_published_example(self):
        # Cumberland Building Society's published FCA complaints data (cumberland.co.uk/complaints/data):
        # 472 banking complaints opened, 1.91 per 1,000 accounts. 472 / 1.91 * 1000 = 247,120 accounts;
        # with that customer count the rate is 1.91 to two decimals.
        stamps = np.full(472, np.datetime64("2023-03-01", "s"))
        result = complaints(stamps, period="year", n_customers=247_120)
        assert round(result.per_1000_customers[0], 2) == 1.91

    def test_customers_per_period_and_grouped_contacts(self):
        result = complaints(["2024-01-05", "2024-02-05", "2024-02-06"], n_customers=[100, 400])
        assert result.per_1000_customers.tolist() == [10.0, 5.0]
        grouped = complaints(
            ["2024-01-05", "2024-01-06"],
            by=["card", "loan"],
            contacts=["2024-01-01"] * 4 + ["2024-01-02"],
            contacts_by=["card"] * 4 + ["savings"],
        )
        assert isinstance(grouped, Grouped)
        assert grouped.labels.tolist() == ["card", "loan", "savings"]
        assert grouped.n_complaints.tolist() == [[1], [1], [0]]
        assert grouped.n_contacts.tolist() == [[4], [0], [1]]
        with pytest.warns(UndefinedMetricWarning, match="per 1,000 contacts"):
            rate = grouped.per_1000_contacts
        assert rate[0, 0] == 250.0 and np.isnan(rate[1, 0]) and rate[2, 0] == 0.0

    def test_missing_denominators_raise(self):
        result = complaints(["2024-01-05"])
        with pytest.raises(InvalidInputError, match="contacts="):
            _ = result.per_1000_contacts
        with pytest.raises(InvalidInputError, match="n_customers="):
            _ = result.per_1000_customers

    @given(data=st.data())
    def test_grouped_merge(self, data):
        n = data.draw(st.integers(0, 30))
        stamps = days(*data.draw(st.lists(st.integers(0, 120), min_size=n, max_size=n)))
        labels = np.array(
            data.draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)), dtype="<U1"
        )
        kw = {"period": "month", "start": "2024-01-01", "end": "2024-04-30", "n_customers": 50.0}
        grouped = complaints(stamps, by=labels, **kw)
        for label, result in grouped.items():
            assert result == complaints(stamps[labels == label], **kw)
        cut = data.draw(st.integers(0, n))
        both = complaints(stamps[:cut], **kw) + complaints(stamps[cut:], **kw)
        whole = complaints(stamps, **kw)
        assert np.array_equal(both.n_complaints, whole.n_complaints)
        assert np.array_equal(both.n_customers, 2 * whole.n_customers)  # two batches of 50 customers
        assert whole.n_complaints.sum() == n


# --------------------------------------------------------------------------- engagement


class TestEngagement:
    def test_hand_computed(self):
        # a: 3 events, b: 1, c: 2, d (base only): 0 -> mean 6/4 = 1.5; sorted 0,1,2,3: median is the 2nd (1),
        # p90 the ceil(3.6) = 4th (3). Distribution: one customer at each of 0..3.
        e = engagement(["a", "a", "b", "c", "a", "c"], ["2024-05-01"] * 6, customer_base=["a", "b", "c", "d"])
        assert (e.n_customers, e.n_events, e.mean, e.median, e.p90) == (4, 6, 1.5, 1.0, 3.0)
        assert e.distribution.tolist() == [1, 1, 1, 1]
        active = engagement(["a", "a", "b", "c", "a", "c"], ["2024-05-01"] * 6)
        # Active customers only: 3, 1, 2 -> mean 2, median 2.
        assert (active.n_customers, active.mean, active.median) == (3, 2.0, 2.0)
        assert active.distribution.tolist() == [0, 1, 1, 1]

    def test_per_period_and_type(self):
        customers = ["a", "a", "b", "a", "b", "b"]
        stamps = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-06-01", "2024-06-02", "2024-06-03"]
        kinds = ["visit", "visit", "social", "social", "visit", "visit"]
        e = engagement(customers, stamps, period="month", by=kinds)
        assert e.labels.tolist() == ["social", "visit"]
        # social: May b:1; June a:1 -> 1 customer each. visit: May a:2; June b:2.
        assert e.n_customers.tolist() == [[1, 1], [1, 1]]
        assert e.n_events.tolist() == [[1, 1], [2, 2]]
        assert e.median.tolist() == [[1.0, 1.0], [2.0, 2.0]]
        assert [str(p) for p in e.periods] == ["2024-05", "2024-06"]
        assert e.distribution.shape == (2, 2, 3)

    def test_max_count_pools_tail_but_keeps_quantiles_exact(self):
        e = engagement(["a"] * 10 + ["b"], ["2024-05-01"] * 11, max_count=3)
        assert e.distribution.tolist() == [0, 1, 0, 1]  # b has 1, a has 10 (pooled in "3 or more")
        assert e.p90 == 10.0

    def test_empty_cell_is_nan(self):
        e = engagement(["a", "b"], ["2024-05-01", "2024-07-01"], period="month")
        assert e.n_customers.tolist() == [1, 0, 1]
        assert np.isnan(e.median[1])
        with pytest.warns(UndefinedMetricWarning, match="interactions per customer"):
            assert np.isnan(e.mean[1])

    @given(data=st.data())
    def test_matches_reference(self, data):
        n = data.draw(st.integers(0, 40))
        customers = np.array(data.draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=np.int64)
        stamps = days(*data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)))
        kinds = np.array(
            data.draw(st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n)), dtype="<U1"
        )
        use_base = data.draw(st.booleans())
        base = np.arange(9) if use_base else None
        result = engagement(
            customers,
            stamps,
            period="month",
            by=kinds,
            customer_base=base,
            start="2024-01-01",
            end="2024-03-31",
        )
        months = stamps.astype("datetime64[M]")
        assert result.labels.tolist() == sorted(set(kinds.tolist()))
        for g, kind in enumerate(result.labels.tolist()):
            for p, month in enumerate(np.arange("2024-01", "2024-04", dtype="datetime64[M]")):
                cell = (kinds == kind) & (months == month)
                per_customer = {}
                for c in customers[cell].tolist():
                    per_customer[c] = per_customer.get(c, 0) + 1
                counts = (
                    [per_customer.get(c, 0) for c in range(9)] if use_base else list(per_customer.values())
                )
                assert result.n_customers[g, p] == len(counts)
                assert result.n_events[g, p] == cell.sum()
                assert result.distribution[g, p].sum() == len(counts)
                if counts:
                    assert result.median[g, p] == inverted_cdf(counts, 0.5)
                    assert result.p90[g, p] == inverted_cdf(counts, 0.9)
                else:
                    assert np.isnan(result.median[g, p])
        # Order invariance.
        perm = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
        again = engagement(
            customers[perm],
            stamps[perm],
            period="month",
            by=kinds[perm],
            customer_base=base,
            start="2024-01-01",
            end="2024-03-31",
        )
        assert again == result


# --------------------------------------------------------------------------- reviews


class TestReviews:
    def test_hand_computed(self):
        # May: 5, 4, 2 stars -> mean 11/3; answered after 1 h and 3 h -> 2/3 answered, mean 2 h.
        # June: one 5-star review, unanswered.
        result = reviews(
            [5, 4, 2, 5],
            ["2024-05-01T10:00", "2024-05-03", "2024-05-20", "2024-06-02"],
            responded=["2024-05-01T11:00", "NaT", "2024-05-20T03:00", "NaT"],
        )
        assert result.rating_counts.tolist() == [[0, 1, 0, 1, 1], [0, 0, 0, 0, 1]]
        assert result.n_reviews.tolist() == [3, 1]
        assert result.mean_rating.tolist() == [11 / 3, 5.0]
        assert result.answered_rate.tolist() == [2 / 3, 0.0]
        with pytest.warns(UndefinedMetricWarning, match="mean response time"):
            mean = result.mean_response_seconds
        assert mean[0] == 2 * 3600 and np.isnan(mean[1])

    def test_by_source_and_scale(self):
        grouped = reviews([10, 6, 8], ["2024-05-01"] * 3, by=["google", "app", "google"], scale=(1, 10))
        assert grouped.labels.tolist() == ["app", "google"]
        assert grouped.mean_rating.tolist() == [[6.0], [9.0]]
        assert grouped["google"].n_reviews.tolist() == [2]

    @given(data=st.data())
    def test_properties(self, data):
        n = data.draw(st.integers(0, 30))
        ratings = np.array(data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)), dtype=np.int64)
        posted = days(*data.draw(st.lists(st.integers(0, 90), min_size=n, max_size=n)))
        delays = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 5 * DAY)), min_size=n, max_size=n))
        responded = np.array(
            [
                np.datetime64("NaT", "s") if d is None else p + np.timedelta64(d, "s")
                for p, d in zip(posted, delays, strict=True)
            ],
            dtype="datetime64[s]",
        )
        source = np.array(
            data.draw(st.lists(st.sampled_from(["g", "t"]), min_size=n, max_size=n)), dtype="<U1"
        )
        kw = {"period": "month", "start": "2024-01-01", "end": "2024-03-31", "responded": None}
        whole = reviews(ratings, posted, **{**kw, "responded": responded})
        assert whole.n_reviews.sum() == n
        assert whole.n_answered.sum() == sum(d is not None for d in delays)
        assert whole.response_seconds.sum() == pytest.approx(sum(d for d in delays if d is not None))
        grouped = reviews(ratings, posted, by=source, **{**kw, "responded": responded})
        for label, result in grouped.items():
            mask = source == label
            assert result == reviews(ratings[mask], posted[mask], **{**kw, "responded": responded[mask]})
        cut = data.draw(st.integers(0, n))
        parts = reviews(ratings[:cut], posted[:cut], **{**kw, "responded": responded[:cut]}) + reviews(
            ratings[cut:], posted[cut:], **{**kw, "responded": responded[cut:]}
        )
        assert parts.rating_counts.tolist() == whole.rating_counts.tolist()
        assert np.allclose(parts.response_seconds, whole.response_seconds)


# --------------------------------------------------------------------------- growth


class TestFollowerGrowth:
    def test_hand_computed(self):
        # End of January 1,000 (the later of two snapshots), February 1,100 (+10 %), March 990 (-10 %).
        g = follower_growth([950, 1000, 1100, 990], ["2024-01-10", "2024-01-31", "2024-02-29", "2024-03-31"])
        assert g.n_followers.tolist() == [1000.0, 1100.0, 990.0]
        assert np.isnan(g.growth_rate[0]) and np.allclose(g.growth_rate[1:], [0.1, -0.1])
        assert g.net_change[1:].tolist() == [100.0, -110.0]

    def test_published_example(self):
        # Worked example of the audience growth rate (15201.com, "Audience Growth Rate Calculator"):
        # 1,000 followers growing to 1,500 is (1500 - 1000) / 1000 = 50 %.
        g = follower_growth([1000, 1500], ["2024-01-31", "2024-02-29"])
        assert g.growth_rate[1] == 0.5

    def test_gap_and_platforms(self):
        g = follower_growth(
            [10, 20, 5, 6], ["2024-01-05", "2024-03-05", "2024-01-05", "2024-02-05"], by=["x", "x", "y", "y"]
        )
        assert g.labels.tolist() == ["x", "y"]
        assert np.array_equal(g.n_followers, [[10.0, np.nan, 20.0], [5.0, 6.0, np.nan]], equal_nan=True)
        rates = g.growth_rate
        assert np.isnan(rates[0]).all()  # x: no February snapshot, so no rate on either side
        assert rates[1, 1] == pytest.approx(0.2)

    def test_zero_followers_warns(self):
        with pytest.warns(UndefinedMetricWarning, match="follower growth rate"):
            rates = follower_growth([0, 10], ["2024-01-05", "2024-02-05"]).growth_rate
        assert np.isnan(rates).all()

    def test_latest_snapshot_wins_ties_last_listed(self):
        g = follower_growth([7, 8, 9], ["2024-01-05", "2024-01-07", "2024-01-07"])
        assert g.n_followers.tolist() == [9.0]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (lambda: complaints(["2024-01-01"], period="biweekly"), InvalidInputError, "period must be one of"),
        (
            lambda: complaints(["2024-01-01"], contacts=["soon"]),
            InvalidInputError,
            "contacts must be timestamps",
        ),
        (
            lambda: complaints(["2024-01-01"], by=["a"], contacts=["2024-01-01"]),
            InvalidInputError,
            "contacts_by",
        ),
        (lambda: complaints(["2024-01-01"], contacts_by=["a"]), InvalidInputError, "contacts_by"),
        (
            lambda: complaints(["2024-01-01"], by=["a"], contacts=["2024-01-01"], contacts_by=["a", "b"]),
            InvalidInputError,
            "contacts_by must have one label per contact",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=-5),
            InvalidInputError,
            "customers must be finite non-negative",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=[1, 2]),
            InvalidInputError,
            "customers must be one number or one per period",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers="many"),
            InvalidTypeError,
            "customers must be numbers",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=[[1, 2], [3]]),
            InvalidInputError,
            "customers must be one number",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=[np.nan]),
            InvalidInputError,
            "customers must be finite",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01", "2024-01-02"]),
            InvalidInputError,
            "timestamps must have the same length",
        ),
        (
            lambda: engagement(["a", "z"], ["2024-01-01"] * 2, customer_base=["a", "b"]),
            InvalidInputError,
            "customer_ids must all be in customer_base; got 'z' at index 1",
        ),
        (lambda: engagement(["a"], ["2024-01-01"], max_count=0), InvalidInputError, "max_count"),
        (
            lambda: engagement(["a"], ["2024-01-01"], start="2024-01-01"),
            InvalidInputError,
            "start and end need a period",
        ),
        (
            lambda: engagement([np.nan], ["2024-01-01"]),
            InvalidInputError,
            "customer_ids must not contain missing identifiers",
        ),
        (
            lambda: reviews([6], ["2024-01-01"]),
            InvalidInputError,
            "ratings must be integers in 1..5; got 6 at index 0",
        ),
        (lambda: reviews([4.5], ["2024-01-01"]), InvalidInputError, "ratings must be integers"),
        (lambda: reviews([np.nan], ["2024-01-01"]), InvalidInputError, "ratings must not contain NaN"),
        (lambda: reviews(["5"], ["2024-01-01"]), InvalidTypeError, "ratings must be integer ratings"),
        (
            lambda: reviews([5], ["2024-01-02"], responded=["2024-01-01"]),
            InvalidInputError,
            "responded must not be before timestamps",
        ),
        (
            lambda: reviews([5], ["2024-01-02"], responded=["2024-01-03", "NaT"]),
            InvalidInputError,
            "responded must have the same length",
        ),
        (lambda: reviews([5], ["2024-01-02"], scale=(5, 1)), InvalidInputError, "scale"),
        (lambda: reviews([5], ["2024-01-02T00:00+00:00"]), InvalidInputError, "pass tz='Europe/Paris'"),
        (
            lambda: follower_growth([1, -1], ["2024-01-01", "2024-02-01"]),
            InvalidInputError,
            "counts must be finite non-negative",
        ),
        (
            lambda: follower_growth([1, np.inf], ["2024-01-01", "2024-02-01"]),
            InvalidInputError,
            "counts must be finite",
        ),
        (lambda: follower_growth([True], ["2024-01-01"]), InvalidTypeError, "counts must be numbers"),
        (lambda: follower_growth([1], ["2024-01-01"], period="decade"), InvalidInputError, "period"),
    ],
)
def test_bad_input(call, error, names):
    with pytest.raises(error, match=names):
        call()


def test_read_only_inputs():
    stamps = read_only(np.array(["2024-01-05", "2024-02-05"], dtype="datetime64[s]"))
    assert complaints(
        stamps, contacts=stamps, by=read_only(["a", "b"]), contacts_by=read_only(["a", "b"])
    ).n_complaints.tolist() == [[1, 0], [0, 1]]
    assert engagement(read_only([1, 1]), stamps).n_events == 2
    assert reviews(read_only([5, 3]), stamps, responded=stamps).n_answered.tolist() == [1, 1]
    assert follower_growth(read_only([5.0, 10.0]), stamps).growth_rate[1] == 1.0


# --------------------------------------------------------------------------- exact messages
# Word-for-word messages (anchored: a plain ``match`` searches and would accept extra text around
# them), including the argument names each check must report.

TS = "(datetime64 or ISO 8601 strings)"
ONE_TWO = (["a"], ["x"])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # complaints: joint grouping of complaints and contacts
        (
            lambda: complaints(["2024-01-01"], by=ONE_TWO, contacts=["2024-01-01"], contacts_by=["a"]),
            InvalidInputError,
            "contacts_by must have as many keys as by (2); got 1",
        ),
        (
            lambda: complaints(["2024-01-01"], by=["a", "b"], contacts=["2024-01-01"], contacts_by=["a"]),
            InvalidInputError,
            "by must have one label per row (1); got length 2",
        ),
        (
            lambda: complaints(
                ["2024-01-01"], by=(["a"], ["x", "y"]), contacts=["2024-01-01"], contacts_by=ONE_TWO
            ),
            InvalidInputError,
            "by[1] must have one label per row (1); got length 2",
        ),
        (
            lambda: complaints(
                ["2024-01-01"], by=ONE_TWO, contacts=["2024-01-01"], contacts_by=(["a"], ["x", "y"])
            ),
            InvalidInputError,
            "contacts_by[1] must have one label per contact (1); got length 2",
        ),
        (
            lambda: complaints(
                ["2024-01-01"], by=(["a"], None), contacts=["2024-01-01"], contacts_by=ONE_TWO
            ),
            InvalidTypeError,
            "by[1] must be array-like; got None",
        ),
        (
            lambda: complaints(
                ["2024-01-01"], by=ONE_TWO, contacts=["2024-01-01"], contacts_by=(["a"], None)
            ),
            InvalidTypeError,
            "contacts_by[1] must be array-like; got None",
        ),
        (
            lambda: complaints(["2024-01-01"], by=["a"], contacts=["2024-01-01"], contacts_by="a"),
            InvalidTypeError,
            "contacts_by must be array-like, not a single string; got 'a'",
        ),
        (
            lambda: complaints(["2024-01-01"], by=["a"], contacts=["2024-01-01"]),
            InvalidInputError,
            "contacts_by must label the contacts when by and contacts are both given",
        ),
        (
            lambda: complaints(["2024-01-01"], contacts_by=["a"]),
            InvalidInputError,
            "contacts_by is only used with both by and contacts",
        ),
        (
            lambda: complaints(["soon"]),
            InvalidInputError,
            f"timestamps must be timestamps {TS}; got 'soon' at index 0",
        ),
        # complaints: customers
        (
            lambda: complaints(["2024-01-01"], n_customers="many"),
            InvalidTypeError,
            "n_customers must be numbers of customers; got 'many'",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=["a"]),
            InvalidTypeError,
            "n_customers must be numbers of customers; got dtype <U1",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=[[1, 2], [3]]),
            InvalidInputError,
            "n_customers must be one number or one per period; got a ragged sequence",
        ),
        (
            lambda: complaints(["2024-01-01"], n_customers=[1, 2]),
            InvalidInputError,
            "n_customers must be one number or one per period (shape (1,)); got shape (2,)",
        ),
        (
            # Two groups x one period: the index of the bad value is its flat position.
            lambda: complaints(["2024-01-01"] * 2, by=["a", "b"], n_customers=[[5.0], [-1.0]]),
            InvalidInputError,
            "n_customers must be finite non-negative counts; got -1.0 at index 1",
        ),
        # engagement
        (
            lambda: engagement("abc", ["2024-01-01"]),
            InvalidTypeError,
            "customer_ids must be array-like, not a single string; got 'abc'",
        ),
        (
            lambda: engagement(["a"], ["soon"]),
            InvalidInputError,
            f"timestamps must be timestamps {TS}; got 'soon' at index 0",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01", "2024-01-02"]),
            InvalidInputError,
            "timestamps must have the same length as customer_ids (1); got length 2",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01"], max_count=True),
            InvalidInputError,
            "max_count must be a positive integer or None; got True",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01"], max_count=2.5),
            InvalidInputError,
            "max_count must be a positive integer or None; got 2.5",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01"], end="2024-01-01"),
            InvalidInputError,
            "start and end need a period; got period=None",
        ),
        (
            lambda: engagement(["a"], ["2024-01-01"], customer_base="abc"),
            InvalidTypeError,
            "customer_base must be array-like, not a single string; got 'abc'",
        ),
        (
            lambda: engagement([1.0], ["2024-01-01"], customer_base=[1.0, np.nan]),
            InvalidInputError,
            "customer_base must not contain missing labels (None, NaN or null); got nan at index 1",
        ),
        (
            lambda: engagement(["z"], ["2024-01-01"], customer_base=["a"]),
            InvalidInputError,
            "customer_ids must all be in customer_base; got 'z' at index 0",
        ),
        (
            lambda: engagement(
                np.array([1, "a"], dtype=object), ["2024-01-01"] * 2, customer_base=["a", "b"]
            ),
            InvalidTypeError,
            "customer_ids and customer_base must hold labels of one comparable type",
        ),
        # reviews
        (
            lambda: reviews([5], ["2024-01-02"], scale=(5, 1)),
            InvalidInputError,
            "scale must satisfy low < high; got (5, 1)",
        ),
        (
            lambda: reviews("5", ["2024-01-01"]),
            InvalidTypeError,
            "ratings must be array-like, not a single string; got '5'",
        ),
        (
            lambda: reviews([5, 4], ["2024-01-01"]),
            InvalidInputError,
            "timestamps must have the same length as ratings (2); got length 1",
        ),
        (
            lambda: reviews([5], ["2024-01-01"], responded=["soon"]),
            InvalidInputError,
            f"responded must be timestamps {TS}; got 'soon' at index 0",
        ),
        (
            lambda: reviews([5], ["2024-01-02"], responded=["2024-01-03", "NaT"]),
            InvalidInputError,
            "responded must have the same length as timestamps (1); got length 2",
        ),
        # follower growth
        (
            lambda: follower_growth("5", ["2024-01-01"]),
            InvalidTypeError,
            "counts must be array-like, not a single string; got '5'",
        ),
        (
            lambda: follower_growth([5], ["soon"]),
            InvalidInputError,
            f"timestamps must be timestamps {TS}; got 'soon' at index 0",
        ),
        (
            lambda: follower_growth([5, 6], ["2024-01-01"]),
            InvalidInputError,
            "timestamps must have the same length as counts (2); got length 1",
        ),
        (
            # Strings that parse as numbers are still not counts.
            lambda: follower_growth(["5"], ["2024-01-01"]),
            InvalidTypeError,
            "counts must be numbers (followers, likes); got dtype <U1",
        ),
    ],
)
def test_exact_messages(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def test_empty_customer_base_names_the_first_customer():
    # Nothing is in an empty base: the first event's customer is the one reported.
    with pytest.raises(
        InvalidInputError, match=r"^customer_ids must all be in customer_base; got .*'z'.* at index 0$"
    ):
        engagement(["z", "y"], ["2024-01-01"] * 2, customer_base=[])


def test_empty_customer_base_message_shows_plain_value():
    message = "customer_ids must all be in customer_base; got 'z' at index 0"
    with pytest.raises(InvalidInputError, match=f"^{re.escape(message)}$"):
        engagement(["z", "y"], ["2024-01-01"] * 2, customer_base=[])


# --------------------------------------------------------------------------- edge cases


def period_strings(periods: np.ndarray) -> list[str]:
    return [str(p) for p in periods.astype("datetime64[D]")]


class TestComplaintsEdgeCases:
    def test_start_end_drop_rows_outside_the_range(self):
        # Complaints on 2023-12-31 and 2024-03-05 and contacts on 2023-12-30 and 2024-04-01 fall outside
        # January-February 2024: they count nowhere (not in the first period either).
        stamps = ["2023-12-31", "2024-01-10", "2024-03-05"]
        contacts = ["2023-12-30", "2024-01-02", "2024-01-03", "2024-02-01", "2024-04-01"]
        kw = {"contacts": contacts, "start": "2024-01-01", "end": "2024-02-29"}
        result = complaints(stamps, **kw)
        assert period_strings(result.periods) == ["2024-01-01", "2024-02-01"]
        assert result.n_complaints.tolist() == [1, 0]
        assert result.n_contacts.tolist() == [2, 1]
        # a: no complaint inside, contacts on 01-02 and 02-01; b: the complaint of 01-10, the contact of 01-03.
        grouped = complaints(stamps, by=["a", "b", "a"], contacts_by=["a", "a", "b", "a", "b"], **kw)
        assert grouped.n_complaints.tolist() == [[0, 0], [1, 0]]
        assert grouped.n_contacts.tolist() == [[1, 1], [1, 0]]

    def test_period_and_period_starts(self):
        result = complaints(["2024-02-10", "2024-07-01"], period="quarter")
        assert result.period == "quarter"
        assert period_strings(result.periods) == ["2024-01-01", "2024-04-01", "2024-07-01"]
        assert result.n_complaints.tolist() == [1, 0, 1]

    def test_without_contacts_contact_counts_are_int_zeros(self):
        result = complaints(["2024-01-05", "2024-02-05"])
        assert result.n_contacts.dtype == np.int64
        assert result.n_contacts.tolist() == [0, 0]
        assert not result.has_contacts and not result.has_customers

    def test_zero_customers_is_allowed_and_undefined(self):
        # 0 customers is a valid count; the rate over it is undefined.
        result = complaints(["2024-01-05"], n_customers=0)
        assert result.n_customers.tolist() == [0.0]
        with pytest.warns(UndefinedMetricWarning, match="per 1,000 customers"):
            assert np.isnan(result.per_1000_customers).all()

    def test_grouped_with_contacts_names_and_several_keys(self):
        grouped = complaints(["2024-01-05"], by=["card"], contacts=["2024-01-01"], contacts_by=["card"])
        assert grouped.names == ("by",)
        # Groups sorted by (product, channel): (card, chat), (card, phone), (loan, chat).
        # Complaints: card/phone 1, card/chat 1. Contacts: card/phone 2, loan/chat 1.
        grouped = complaints(
            ["2024-01-05", "2024-01-06"],
            by=(["card", "card"], ["phone", "chat"]),
            contacts=["2024-01-01"] * 3,
            contacts_by=(["card", "card", "loan"], ["phone", "phone", "chat"]),
        )
        assert grouped.names == ("by[0]", "by[1]")
        products, channels = grouped.labels
        assert products.tolist() == ["card", "card", "loan"]
        assert channels.tolist() == ["chat", "phone", "chat"]
        assert grouped.n_complaints.tolist() == [[1], [1], [0]]
        assert grouped.n_contacts.tolist() == [[0], [2], [1]]


class TestEngagementEdgeCases:
    def test_no_events(self):
        # No events and no base: no customers, undefined quantiles, one column of zeros.
        e = engagement([], [])
        assert (e.n_customers, e.n_events) == (0, 0)
        assert np.isnan(e.median) and np.isnan(e.p90)
        assert e.distribution.tolist() == [0]
        # A base of two customers and no events: both have 0 interactions.
        e = engagement([], [], customer_base=["a", "b"])
        assert (e.n_customers, e.n_events, e.median, e.p90) == (2, 0, 0.0, 0.0)
        assert e.distribution.tolist() == [2]
        e = engagement([], [], customer_base=[])
        assert (e.n_customers, e.n_events) == (0, 0) and np.isnan(e.median)

    def test_small_customer_bases(self):
        # A base of one customer, a, with 2 events.
        e = engagement(["a", "a"], ["2024-05-01"] * 2, customer_base=["a"])
        assert (e.n_customers, e.n_events, e.median, e.p90) == (1, 2, 2.0, 2.0)
        assert e.distribution.tolist() == [0, 0, 1]
        # b is the last label of the base: a 0, b 1 -> sorted 0, 1: median the ceil(0.5 * 2) = 1st (0),
        # p90 the ceil(0.9 * 2) = 2nd (1).
        e = engagement(["b"], ["2024-05-01"], customer_base=["a", "b"])
        assert (e.n_customers, e.n_events, e.median, e.p90) == (2, 1, 0.0, 1.0)
        assert e.distribution.tolist() == [1, 1]

    def test_max_count_one_and_numpy_integer(self):
        # a: 2 events, b: 1 -> sorted 1, 2: median 1, p90 2; with max_count=1 both are in "1 or more".
        e = engagement(["a", "a", "b"], ["2024-05-01"] * 3, max_count=1)
        assert e.distribution.tolist() == [0, 2]
        assert (e.median, e.p90) == (1.0, 2.0)
        e = engagement(["a", "a", "b"], ["2024-05-01"] * 3, max_count=np.int64(2))
        assert e.distribution.tolist() == [0, 1, 1]

    def test_whole_table_period_fields_and_types(self):
        e = engagement(["a", "b", "a"], ["2024-05-01"] * 3)
        assert e.period is None
        assert e.periods.shape == (0,) and e.periods.dtype.kind == "M"
        assert not e.periods.flags.writeable  # like the period starts of a periodic result
        assert type(e.n_customers) is int and type(e.n_events) is int
        assert e.distribution.dtype == np.int64
        monthly = engagement(["a", "b", "a"], ["2024-05-01", "2024-05-02", "2024-06-01"], period="month")
        assert monthly.period == "month"
        assert not monthly.periods.flags.writeable
        assert monthly.n_events.dtype == np.int64 and monthly.n_events.tolist() == [2, 1]
        assert monthly.n_customers.dtype == np.int64 and monthly.n_customers.tolist() == [2, 1]
        assert monthly.distribution.dtype == np.int64

    def test_start_end(self):
        # start before the first event adds empty leading periods.
        e = engagement(["a"], ["2024-03-05"], period="month", start="2024-01-01")
        assert period_strings(e.periods) == ["2024-01-01", "2024-02-01", "2024-03-01"]
        assert e.n_customers.tolist() == [0, 0, 1]
        # Only b's event of 2024-01-05 is inside January 2024: a's two events are dropped.
        e = engagement(
            ["a", "b", "a"],
            ["2023-12-31", "2024-01-05", "2024-02-01"],
            period="month",
            start="2024-01-01",
            end="2024-01-31",
        )
        assert e.n_customers.tolist() == [1] and e.n_events.tolist() == [1]
        assert e.median.tolist() == [1.0] and e.distribution.tolist() == [[0, 1]]

    def test_several_keys_give_a_tuple_of_labels(self):
        # Groups sorted by (channel, segment): (app, 2) has a's 1 event, (web, 1) a's and b's events.
        e = engagement(["a", "b", "a"], ["2024-05-01"] * 3, by=(["web", "web", "app"], [1, 1, 2]))
        channels, segments = e.labels
        assert channels.tolist() == ["app", "web"] and segments.tolist() == [2, 1]
        assert e.n_customers.tolist() == [1, 2] and e.n_events.tolist() == [1, 2]


class TestReviewsEdgeCases:
    def test_start_end_drop_reviews_outside_the_range(self):
        # Inside January 2024: the 4-star review (unanswered) and the 3-star one (answered after 2 h).
        # The 5-star review of 2023-12-31 and the 2-star one of 2024-02-01 are answered but outside.
        result = reviews(
            [5, 4, 3, 2],
            ["2023-12-31", "2024-01-05", "2024-01-06", "2024-02-01"],
            responded=["2024-01-01", "NaT", "2024-01-06T02:00", "2024-02-01T01:00"],
            start="2024-01-01",
            end="2024-01-31",
        )
        assert result.rating_counts.tolist() == [[0, 0, 1, 1, 0]]
        assert result.n_answered.tolist() == [1]
        assert result.response_seconds.tolist() == [7200.0]

    def test_period_and_period_starts(self):
        result = reviews([5, 1], ["2024-02-10", "2024-07-01"], period="quarter")
        assert result.period == "quarter"
        assert period_strings(result.periods) == ["2024-01-01", "2024-04-01", "2024-07-01"]
        assert result.n_reviews.tolist() == [1, 0, 1]


class TestFollowerGrowthEdgeCases:
    def test_start_end(self):
        # Only the 2024-01-05 snapshot (20) is inside January-February 2024; the snapshot of
        # 2024-04-01 (99) must not become January's count.
        g = follower_growth(
            [10, 20, 99], ["2023-12-15", "2024-01-05", "2024-04-01"], start="2024-01-01", end="2024-02-29"
        )
        assert period_strings(g.periods) == ["2024-01-01", "2024-02-01"]
        assert np.array_equal(g.n_followers, [20.0, np.nan], equal_nan=True)

    def test_period_and_period_starts(self):
        g = follower_growth([5, 6], ["2024-02-10", "2024-07-01"], period="quarter")
        assert g.period == "quarter"
        assert period_strings(g.periods) == ["2024-01-01", "2024-04-01", "2024-07-01"]
        assert np.array_equal(g.n_followers, [5.0, np.nan, 6.0], equal_nan=True)

    def test_several_keys_give_a_tuple_of_labels(self):
        g = follower_growth(
            [5, 7, 6], ["2024-01-01", "2024-01-02", "2024-02-01"], by=(["x", "x", "x"], [1, 2, 1])
        )
        platforms, accounts = g.labels
        assert platforms.tolist() == ["x", "x"] and accounts.tolist() == [1, 2]
        assert np.array_equal(g.n_followers, [[5.0, 6.0], [7.0, np.nan]], equal_nan=True)
