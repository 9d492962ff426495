"""The metric registry: one declarative entry per KPI function, read by everything else.

Each :class:`MetricSpec` names a public metric function (by dotted path, imported on
first use, so that the core never imports the KPI families), the role of each of its
data arguments, the result attribute holding its headline figure, the figure's unit,
direction, bounds and display labels, whether results merge with ``+`` and whether
the function takes ``by=``. The standards table, the KPI report's columns, the result
display and the invariance tests (``tests/test_registry.py``) read these entries:
a KPI's name, label, unit and direction are typed here and nowhere else.

Examples
--------
>>> from cskpi._core.registry import REGISTRY, metrics
>>> spec = REGISTRY["service_level"]
>>> spec.unit, spec.direction, spec.headline, spec.bounds
('fraction', 'higher_is_better', 'score', (0.0, 1.0))
>>> spec.function([5.0, 30.0], 20).score
0.5
>>> "nps" in metrics(mergeable=True, groupable=True)
True
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = [
    "DERIVED",
    "DIRECTIONS",
    "REGISTRY",
    "ROLES",
    "UNITS",
    "MetricSpec",
    "display_figures",
    "metrics",
]

#: Units of a headline figure, each with the words messages use for it. ``fraction`` is
#: in [0, 1]; ``points`` are NPS points in [-100, 100]; ``score`` is a mean answer on a
#: survey scale; ``currency`` is the unit of the margins given; ``erlangs`` is offered traffic.
UNITS: Mapping[str, str] = MappingProxyType(
    {
        "fraction": "a fraction in [0, 1] (0.8, not 80)",
        "seconds": "seconds",
        "points": "points",
        "count": "a count",
        "score": "scale points",
        "currency": "currency units",
        "erlangs": "erlangs",
    }
)
#: Directions of a headline figure; None when neither higher nor lower is better.
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")
#: Roles of data arguments: what each argument holds, one word per concept.
ROLES: Mapping[str, str] = MappingProxyType(
    {
        "score": "0-10 likelihood-to-recommend answers",
        "rating": "integer answers on a rating scale",
        "checks": "(reviews, items) table of item results in [0, 1]",
        "weight": "non-negative item weights",
        "wait": "queue waits [s]",
        "abandoned": "boolean: the caller hung up before an answer",
        "duration": "durations [s]",
        "created": "timestamps when contacts or tickets arrived",
        "resolved": "timestamps of resolution (NaT: not resolved)",
        "reply": "timestamps of a reply (NaT: not answered)",
        "timestamp": "timestamps of events",
        "instant": "timestamps at which a state is observed",
        "customer": "customer identifiers",
        "label": "category labels (conversation, author, channel)",
        "flag": "booleans",
        "count": "non-negative counts",
        "amount": "money amounts",
        "number": "non-negative numbers that broadcast",
        "fraction": "fractions in [0, 1] that broadcast",
    }
)


def _function_path(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not re.fullmatch(r"cskpi(\.\w+)+:\w+", value):
        raise ValueError(f"{attribute.name} must be a 'cskpi.module:function' path; got {value!r}")


def _data(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    for name, role in value.items():
        if role not in ROLES:
            raise ValueError(
                f"{attribute.name}[{name!r}] must be one of the roles {tuple(ROLES)}; got {role!r}"
            )


def _bounds(instance: Any, attribute: attrs.Attribute[Any], value: tuple[float, float] | None) -> None:
    if value is not None and not (len(value) == 2 and value[0] < value[1]):
        raise ValueError(f"{attribute.name} must be (low, high) with low < high, or None; got {value!r}")


def _monotone(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    for name, sense in value.items():
        if sense not in ("increasing", "decreasing"):
            raise ValueError(
                f"{attribute.name}[{name!r}] must be 'increasing' or 'decreasing'; got {sense!r}"
            )


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class MetricSpec:
    """One metric function and what it computes.

    Parameters
    ----------
    name : str
        The function's public name (``'service_level'``).
    path : str
        Where the function lives, ``'cskpi.module:function'``; :attr:`function` imports it.
    data : mapping of str to str
        Data arguments in signature order, each with its role (:data:`ROLES`).
    headline : str or None
        Result attribute holding the headline figure; None when the function returns
        the figure itself (an array or a number).
    unit : str
        Unit of the headline figure (:data:`UNITS`).
    direction : str or None
        ``'higher_is_better'``, ``'lower_is_better'`` (:data:`DIRECTIONS`) or None.
    bounds : (float, float) or None
        Closed range of every defined headline value; None when unbounded both ways.
    mergeable, groupable : bool
        Results of two batches merge with ``+``; the function takes ``by=``.
    order_invariant : bool
        The result does not depend on the order of the rows (False for element-wise
        formulas, whose output follows the input's order).
    label : str
        Readable name for tables and standards (``'service level'``).
    column : str
        Short column title in reports (``'SL {threshold_seconds:g}s'``: a format
        string over the metric's parameters).
    figures : tuple of str
        Further result attributes displayed with the headline, in display order; the
        headline's position among them is its own (``('score', 'n')``).
    partition : str or None
        Data argument whose values a batch or a group must hold whole: results of
        batches merge, and a group equals its rows alone, only when no value (a
        customer) has rows in two of them. None: any split of the rows.
    monotone : mapping of str to str
        Arguments in which the headline is monotone by definition: ``'increasing'``
        (non-decreasing as the argument's values grow) or ``'decreasing'``.
    source : str
        Short citation of the definition.
    """

    name: str = attrs.field(validator=attrs.validators.matches_re(r"[a-z_][a-z0-9_]*"))
    path: str = attrs.field(validator=_function_path)
    data: Mapping[str, str] = attrs.field(converter=_mapping, validator=_data)
    headline: str | None = attrs.field(validator=attrs.validators.optional(attrs.validators.instance_of(str)))
    unit: str = attrs.field(validator=attrs.validators.in_(tuple(UNITS)))
    direction: str | None = attrs.field(validator=attrs.validators.optional(attrs.validators.in_(DIRECTIONS)))
    bounds: tuple[float, float] | None = attrs.field(validator=_bounds)
    mergeable: bool = attrs.field(validator=attrs.validators.instance_of(bool))
    groupable: bool = attrs.field(validator=attrs.validators.instance_of(bool))
    label: str = attrs.field(validator=attrs.validators.min_len(1))
    source: str = attrs.field(validator=attrs.validators.min_len(1))
    order_invariant: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    column: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    figures: tuple[str, ...] = attrs.field(default=(), converter=_names)
    monotone: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping, validator=_monotone)
    partition: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.column:
            object.__setattr__(self, "column", self.label)
        if self.headline is not None and not self.figures:
            object.__setattr__(self, "figures", (self.headline,))
        if self.partition is not None and self.partition not in self.data:
            raise ValueError(
                f"partition must be one of the data arguments {tuple(self.data)}; got {self.partition!r}"
            )
        if self.headline is not None and self.headline not in self.figures:
            raise ValueError(f"figures must include the headline {self.headline!r}; got {self.figures!r}")

    @property
    def function(self) -> Callable[..., Any]:
        """The metric function, imported on first use."""
        module, name = self.path.split(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function

    @property
    def better(self) -> str | None:
        """``'higher'``, ``'lower'`` or None: the direction in one word (standards, reports)."""
        return None if self.direction is None else self.direction.split("_", 1)[0]

    def column_title(self, **params: Any) -> str:
        """The report column title, with the metric's parameters filled in."""
        return self.column.format(**params)


_UNIT = (0.0, 1.0)
_SECONDS = (0.0, math.inf)
_COUNT = (0.0, math.inf)
_HIGHER, _LOWER = DIRECTIONS

_SURVEY = "cskpi._kpi.survey"
_OPERATIONS = "cskpi._kpi.operations"
_SL = "cskpi._kpi.service_level"
_RESPONSES = "cskpi._kpi.responses"
_TICKETS = "cskpi._kpi.tickets"
_VOLUME = "cskpi._kpi.volume"
_ENGAGEMENT = "cskpi._kpi.engagement"
_RETENTION = "cskpi._kpi.retention"
_VALUE = "cskpi._kpi.value"
_ERLANG = "cskpi._kpi.queueing.erlang"
_STAFFING = "cskpi._kpi.queueing.staffing"
_ERLANG_A = "cskpi._kpi.queueing.erlang_a"
_LINES = "cskpi._kpi.queueing.lines"
_COPC = "COPC CX Standard for customer experience operations"
_ERLANG_SOURCE = "A. K. Erlang (1917); Cooper, Introduction to Queueing Theory (1981)"
_ERLANG_A_SOURCE = "Garnett, Mandelbaum & Reiman (2002), M&SOM 4(3), doi:10.1287/msom.4.3.208.7250"
_CLV_SOURCE = "Gupta & Lehmann (2003), J. Interactive Marketing 17(1), 9-24"


def _spec(name: str, module: str, **fields: Any) -> MetricSpec:
    return MetricSpec(name=name, path=f"{module}:{name}", **fields)


def _rate(
    name: str, module: str, data: Mapping[str, str], label: str, source: str, **fields: Any
) -> MetricSpec:
    """A mergeable, groupable fraction whose headline is ``rate``."""
    options: dict[str, Any] = {"headline": "rate", "unit": "fraction", "direction": _HIGHER, "bounds": _UNIT}
    options |= {"mergeable": True, "groupable": True, "figures": ("rate",)} | fields
    return _spec(name, module, data=data, label=label, source=source, **options)


def _formula(name: str, module: str, data: Mapping[str, str], **fields: Any) -> MetricSpec:
    """An element-wise formula over broadcast numbers: the result is the figure."""
    options: dict[str, Any] = {"headline": None, "mergeable": False, "groupable": False}
    return _spec(name, module, data=data, order_invariant=False, **(options | fields))


_QUEUE = {"traffic": "number", "agents": "number"}

_ENTRIES: tuple[MetricSpec, ...] = (
    # ---- survey and scorecards
    _spec(
        "nps",
        _SURVEY,
        data={"scores": "score"},
        headline="score",
        unit="points",
        direction=_HIGHER,
        bounds=(-100.0, 100.0),
        mergeable=True,
        groupable=True,
        label="NPS",
        figures=("score", "n"),
        monotone={"scores": "increasing"},
        source="Reichheld (2003), Harvard Business Review 81(12)",
    ),
    _spec(
        "csat",
        _SURVEY,
        data={"ratings": "rating"},
        headline="score",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="CSAT",
        figures=("score", "n"),
        monotone={"ratings": "increasing"},
        source="share of satisfied (top-box) answers",
    ),
    _spec(
        "ces",
        _SURVEY,
        data={"ratings": "rating"},
        headline="score",
        unit="score",
        direction=_HIGHER,
        bounds=(1.0, 7.0),
        mergeable=True,
        groupable=True,
        label="CES",
        figures=("score", "n"),
        monotone={"ratings": "increasing"},
        source="Dixon, Freeman & Toman (2010), Harvard Business Review",
    ),
    _spec(
        "qa_scorecard",
        "cskpi._kpi.scorecard",
        data={"checks": "checks", "weights": "weight"},
        headline="score",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="QA score",
        figures=("score", "n"),
        source=_COPC,
    ),
    # ---- operations
    _spec(
        "asa",
        _OPERATIONS,
        data={"wait_seconds": "wait", "abandoned": "abandoned"},
        headline="score",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=True,
        groupable=True,
        label="ASA",
        figures=("score", "n"),
        monotone={"wait_seconds": "increasing"},
        source=_COPC,
    ),
    _spec(
        "aht",
        _OPERATIONS,
        data={"talk_seconds": "duration", "hold_seconds": "duration", "after_work_seconds": "duration"},
        headline="score",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=True,
        groupable=True,
        label="AHT",
        figures=("score", "n"),
        monotone={"talk_seconds": "increasing"},
        source=_COPC,
    ),
    _spec(
        "abandonment_rate",
        _OPERATIONS,
        data={"abandoned": "abandoned", "wait_seconds": "wait"},
        headline="score",
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="abandonment rate",
        column="abandoned",
        figures=("score", "n"),
        source=_COPC,
    ),
    _spec(
        "occupancy",
        _OPERATIONS,
        data={"handle_seconds": "duration", "available_seconds": "duration"},
        headline="score",
        unit="fraction",
        direction=None,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="occupancy",
        source=_COPC,
    ),
    _spec(
        "handle_time_against_target",
        _OPERATIONS,
        data={"handle_seconds": "duration"},
        headline="score",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="handled within target",
        figures=("score", "n"),
        source=_COPC,
    ),
    _spec(
        "service_level",
        _SL,
        data={"wait_seconds": "wait", "abandoned": "abandoned"},
        headline="score",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=True,
        label="service level",
        column="SL {threshold_seconds:g}s",
        figures=("score", "n"),
        monotone={"threshold_seconds": "increasing", "wait_seconds": "decreasing"},
        source=_COPC,
    ),
    _spec(
        "answer_time_percentile",
        _SL,
        data={"wait_seconds": "wait", "abandoned": "abandoned"},
        headline="seconds",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=False,
        groupable=True,
        label="answer-time percentile",
        figures=("n", "seconds"),
        monotone={"wait_seconds": "increasing"},
        source="Hyndman & Fan (1996), Am. Statistician 50(4)",
    ),
    _spec(
        "first_response_time",
        _RESPONSES,
        data={"created": "created", "first_reply": "reply"},
        headline="median_seconds",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=False,
        groupable=True,
        label="first response time",
        column="FRT med.",
        figures=("n", "mean_seconds", "median_seconds", "p90_seconds"),
        source=_COPC,
    ),
    _spec(
        "resolution_time",
        _RESPONSES,
        data={"created": "created", "resolved": "resolved"},
        headline="median_seconds",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=False,
        groupable=True,
        label="resolution time",
        column="resol. med.",
        figures=("n", "mean_seconds", "median_seconds", "p90_seconds"),
        source=_COPC,
    ),
    _spec(
        "reply_times",
        _RESPONSES,
        data={"conversation_ids": "label", "timestamps": "timestamp", "authors": "label", "exclude": "flag"},
        headline="first_reply_seconds",
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        mergeable=False,
        groupable=False,
        order_invariant=False,
        label="reply time",
        source=_COPC,
    ),
    # ---- tickets, volume and engagement
    _spec(
        "open_cases",
        _TICKETS,
        data={"created": "created", "resolved": "resolved", "instants": "instant"},
        headline="n_open",
        unit="count",
        direction=_LOWER,
        bounds=_COUNT,
        mergeable=True,
        groupable=True,
        label="open cases",
        column="open at end",
        source="ITIL 4 (2019), incident management",
    ),
    _spec(
        "backlog",
        _TICKETS,
        data={"created": "created", "resolved": "resolved", "instants": "instant"},
        headline="n_backlog",
        unit="count",
        direction=_LOWER,
        bounds=_COUNT,
        mergeable=True,
        groupable=True,
        label="backlog",
        source="ITIL 4 (2019), incident management",
    ),
    _spec(
        "ticket_flow",
        _TICKETS,
        data={"created": "created", "resolved": "resolved"},
        headline="n_open_at_end",
        unit="count",
        direction=_LOWER,
        bounds=_COUNT,
        mergeable=True,
        groupable=True,
        label="tickets open at end of period",
        source="ITIL 4 (2019), incident management",
    ),
    _rate(
        "resolution_rate",
        _TICKETS,
        {"assigned": "created", "resolved": "resolved"},
        "resolution rate",
        "ITIL 4 (2019), incident management",
    ),
    _rate(
        "fcr_single_reply",
        _TICKETS,
        {"replies": "count", "resolved": "flag"},
        "FCR (single reply)",
        "SQM Group, first-contact resolution",
    ),
    _rate(
        "reopen_rate",
        _TICKETS,
        {"reopens": "count", "resolved": "flag"},
        "reopen rate",
        "ITIL 4 (2019), incident management",
        direction=_LOWER,
    ),
    _rate(
        "fcr_repeat_contact",
        _TICKETS,
        {"customer_ids": "customer", "timestamps": "timestamp"},
        "FCR (no repeat contact)",
        "SQM Group, first-contact resolution",
        partition="customer_ids",
    ),
    _spec(
        "volume",
        _VOLUME,
        data={"timestamps": "timestamp"},
        headline="n_contacts",
        unit="count",
        direction=None,
        bounds=_COUNT,
        mergeable=True,
        groupable=True,
        label="contacts",
        source="contact volume per period",
    ),
    _spec(
        "channel_share",
        _VOLUME,
        data={"timestamps": "timestamp", "channels": "label"},
        headline="shares",
        unit="fraction",
        direction=None,
        bounds=_UNIT,
        mergeable=True,
        groupable=False,
        label="channel share",
        source="contact volume per channel and period",
    ),
    _spec(
        "complaints",
        _ENGAGEMENT,
        data={"timestamps": "timestamp"},
        headline="n_complaints",
        unit="count",
        direction=_LOWER,
        bounds=_COUNT,
        mergeable=True,
        groupable=True,
        label="complaints",
        source="ISO 10002:2018, complaints handling",
    ),
    _spec(
        "engagement",
        _ENGAGEMENT,
        data={"customer_ids": "customer", "timestamps": "timestamp"},
        headline="mean",
        unit="count",
        direction=_HIGHER,
        bounds=_COUNT,
        mergeable=False,
        groupable=True,
        label="contacts per customer",
        source="events per customer and period",
    ),
    _spec(
        "follower_growth",
        _ENGAGEMENT,
        data={"counts": "count", "timestamps": "timestamp"},
        headline="growth_rate",
        unit="fraction",
        direction=_HIGHER,
        bounds=(-1.0, math.inf),
        mergeable=False,
        groupable=True,
        label="follower growth",
        order_invariant=False,  # rows at one instant: the last in the input is the period's total
        source="growth of running follower totals per period",
    ),
    _spec(
        "reviews",
        _ENGAGEMENT,
        data={"ratings": "rating", "timestamps": "timestamp", "responded": "reply"},
        headline="mean_rating",
        unit="score",
        direction=_HIGHER,
        bounds=(1.0, 5.0),
        mergeable=True,
        groupable=True,
        label="review rating",
        source="public review ratings per period",
    ),
    # ---- retention and customer value
    _formula(
        "churn_rate",
        _RETENTION,
        {"customers_at_start": "count", "customers_lost": "count", "new_customers": "count"},
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="churn rate",
        source="Fader & Hardie (2007), J. Interactive Marketing 21(1)",
    ),
    _formula(
        "retention_rate",
        _RETENTION,
        {"customers_at_start": "count", "customers_at_end": "count", "new_customers": "count"},
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        label="retention rate",
        source="Reichheld & Sasser (1990), Harvard Business Review 68(5)",
    ),
    _formula(
        "convert_churn_rate",
        _RETENTION,
        {"rate": "fraction", "periods": "number"},
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="churn rate over periods",
        monotone={"rate": "increasing"},
        source="compounding of per-period survival",
    ),
    _formula(
        "referral_rate",
        _VALUE,
        {"referred_customers": "count", "new_customers": "count"},
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        label="referral rate",
        source="share of new customers referred",
    ),
    _spec(
        "repeat_contact_retention",
        _RETENTION,
        data={"customer_ids": "customer", "timestamps": "timestamp"},
        headline="rates",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=False,
        label="repeat-contact retention",
        column="returned",
        source="Fader & Hardie (2007), J. Interactive Marketing 21(1)",
        partition="customer_ids",
    ),
    _rate(
        "repeat_rate",
        _RETENTION,
        {"customer_ids": "customer", "timestamps": "timestamp"},
        "repeat rate",
        "share of customers with more than one contact",
        groupable=False,
        partition="customer_ids",
    ),
    _rate(
        "returned_within",
        _RETENTION,
        {"customer_ids": "customer", "timestamps": "timestamp"},
        "returned within window",
        "share of customers returning within a window",
        groupable=False,
        partition="customer_ids",
    ),
    _spec(
        "clv_inputs",
        _VALUE,
        data={"customer_ids": "customer", "timestamps": "timestamp", "amounts": "amount"},
        headline="retention_rate",
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        mergeable=True,
        groupable=False,
        label="CLV inputs (retention)",
        source=_CLV_SOURCE,
        partition="customer_ids",
    ),
    _formula(
        "clv_infinite_horizon",
        _VALUE,
        {"margin": "amount", "retention_rate": "fraction", "discount_rate": "number"},
        unit="currency",
        direction=_HIGHER,
        bounds=None,
        label="CLV (infinite horizon)",
        source=_CLV_SOURCE,
        monotone={"retention_rate": "increasing"},
    ),
    _formula(
        "clv_finite_horizon",
        _VALUE,
        {"margin": "amount", "retention_rate": "fraction", "discount_rate": "number", "periods": "number"},
        unit="currency",
        direction=_HIGHER,
        bounds=None,
        label="CLV (finite horizon)",
        source=_CLV_SOURCE,
    ),
    _formula(
        "clv_simple",
        _VALUE,
        {
            "average_order_value": "amount",
            "purchase_frequency": "number",
            "margin_rate": "fraction",
            "churn_rate": "fraction",
        },
        unit="currency",
        direction=_HIGHER,
        bounds=(0.0, math.inf),
        label="CLV (simple)",
        source="Kumar & Reinartz, Customer Relationship Management (2018)",
    ),
    # ---- queueing and staffing
    _formula(
        "traffic_intensity",
        _ERLANG,
        {"calls": "number"},
        unit="erlangs",
        direction=None,
        bounds=(0.0, math.inf),
        label="traffic intensity",
        monotone={"calls": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_b",
        _ERLANG,
        {"traffic": "number", "servers": "number"},
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="blocking probability",
        monotone={"servers": "decreasing", "traffic": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_c",
        _ERLANG,
        _QUEUE,
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="probability of waiting",
        monotone={"agents": "decreasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_c_occupancy",
        _ERLANG,
        _QUEUE,
        unit="fraction",
        direction=None,
        bounds=_UNIT,
        label="occupancy (Erlang C)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_c_service_level",
        _ERLANG,
        _QUEUE,
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        label="service level (Erlang C)",
        monotone={"agents": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_c_asa",
        _ERLANG,
        _QUEUE,
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        label="ASA (Erlang C)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_c_answer_time",
        _ERLANG,
        _QUEUE,
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        label="answer-time quantile (Erlang C)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_a",
        _ERLANG_A,
        _QUEUE,
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="probability of waiting (Erlang A)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_a_abandonment_rate",
        _ERLANG_A,
        _QUEUE,
        unit="fraction",
        direction=_LOWER,
        bounds=_UNIT,
        label="abandonment rate (Erlang A)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_a_service_level",
        _ERLANG_A,
        _QUEUE,
        unit="fraction",
        direction=_HIGHER,
        bounds=_UNIT,
        label="service level (Erlang A)",
        monotone={"agents": "increasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_a_asa",
        _ERLANG_A,
        _QUEUE,
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        label="ASA of answered calls (Erlang A)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_a_mean_wait",
        _ERLANG_A,
        _QUEUE,
        unit="seconds",
        direction=_LOWER,
        bounds=_SECONDS,
        label="mean wait of all calls (Erlang A)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_a_occupancy",
        _ERLANG_A,
        _QUEUE,
        unit="fraction",
        direction=None,
        bounds=_UNIT,
        label="occupancy (Erlang A)",
        monotone={"agents": "decreasing"},
        source=_ERLANG_A_SOURCE,
    ),
    _formula(
        "erlang_b_carried_traffic",
        _LINES,
        {"traffic": "number", "servers": "number"},
        unit="erlangs",
        direction=None,
        bounds=(0.0, math.inf),
        label="carried traffic (Erlang B)",
        monotone={"servers": "increasing", "traffic": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_b_occupancy",
        _LINES,
        {"traffic": "number", "servers": "number"},
        unit="fraction",
        direction=None,
        bounds=_UNIT,
        label="occupancy of lines (Erlang B)",
        monotone={"servers": "decreasing", "traffic": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "erlang_b_traffic",
        _LINES,
        {"servers": "number"},
        unit="erlangs",
        direction=None,
        bounds=(0.0, math.inf),
        label="traffic at a blocking target (Erlang B)",
        monotone={"servers": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "square_root_staffing",
        _STAFFING,
        {"traffic": "number"},
        unit="count",
        direction=None,
        bounds=(0.0, math.inf),
        label="square-root staffing estimate",
        monotone={"traffic": "increasing"},
        source="Halfin & Whitt (1981), Operations Research 29(3), doi:10.1287/opre.29.3.567",
    ),
    _formula(
        "lines_required",
        _STAFFING,
        {"traffic": "number"},
        unit="count",
        direction=None,
        bounds=_COUNT,
        label="lines required",
        monotone={"traffic": "increasing"},
        source=_ERLANG_SOURCE,
    ),
    _formula(
        "scheduled_agents",
        _STAFFING,
        {"agents": "number"},
        unit="count",
        direction=None,
        bounds=_COUNT,
        label="scheduled agents",
        monotone={"agents": "increasing"},
        source="shrinkage: agents / (1 - s)",
    ),
    *(
        _spec(
            name,
            _STAFFING,
            data={"calls": "number", "aht_seconds": "number", "interval_seconds": "number"},
            headline="agents",
            unit="count",
            direction=None,
            bounds=_COUNT,
            mergeable=False,
            groupable=False,
            order_invariant=False,
            label=label,
            monotone={"calls": "increasing"},
            source=_ERLANG_SOURCE,
        )
        for name, label in (
            ("agents_required", "agents required (service level)"),
            ("agents_required_for_asa", "agents required (ASA)"),
        )
    ),
)

#: Every public metric function, by name.
REGISTRY: Mapping[str, MetricSpec] = MappingProxyType({spec.name: spec for spec in _ENTRIES})

#: KPIs composed from metric functions rather than computed by one of their own
#: (the standards' ``first_response_within``: service level of business-time first responses).
DERIVED: Mapping[str, MetricSpec] = MappingProxyType(
    {
        "first_response_within": MetricSpec(
            name="first_response_within",
            path=f"{_SL}:service_level",
            data={"wait_seconds": "duration"},
            headline="score",
            unit="fraction",
            direction=_HIGHER,
            bounds=_UNIT,
            mergeable=True,
            groupable=True,
            label="first responses within threshold",
            figures=("score", "n"),
            source="service level of first-response times, unanswered counted as missed",
        )
    }
)


def metrics(*, mergeable: bool | None = None, groupable: bool | None = None) -> tuple[str, ...]:
    """Names of the registered metrics, optionally only the (non-)mergeable or (non-)groupable ones.

    Examples
    --------
    >>> from cskpi._core.registry import metrics
    >>> metrics(mergeable=True, groupable=True)[:3]
    ('nps', 'csat', 'ces')
    """
    return tuple(
        name
        for name, spec in REGISTRY.items()
        if (mergeable is None or spec.mergeable == mergeable)
        and (groupable is None or spec.groupable == groupable)
    )


def display_figures() -> tuple[str, ...]:
    """Result attributes a display shows, in order: every entry's figures, first appearance first."""
    return tuple(dict.fromkeys(figure for spec in REGISTRY.values() for figure in spec.figures))
