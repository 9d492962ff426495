"""cskpi: customer-service KPIs computed correctly, fast, and the same way every time.

Every function takes plain arrays (lists, numpy arrays, pandas or polars Series),
validates them, and returns a small frozen result holding the sufficient statistics
(counts and sums) from which the headline figure derives; results of two batches
merge with ``+``. Rates are fractions in [0, 1] unless a docstring says otherwise
(NPS is in [-100, 100]); durations are in seconds.
"""

from __future__ import annotations

from ._core.business_hours import BusinessHours, business_seconds
from ._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from ._core.labels import keep_missing
from ._core.results import ConfidenceInterval, Grouped
from ._core.stats import mean_interval, rate_interval
from ._kpi.compare import Comparison, GroupComparison, compare, holm, mean_difference, rate_difference
from ._kpi.control import SIGNAL_RULES, ControlChart, p_chart, u_chart, xmr_chart
from ._kpi.engagement import (
    Complaints,
    Engagement,
    FollowerGrowth,
    Reviews,
    complaints,
    engagement,
    follower_growth,
    reviews,
)
from ._kpi.identity import normalize_email, normalize_phone
from ._kpi.operations import (
    AHT,
    ASA,
    AbandonmentRate,
    HandleTimeAgainstTarget,
    Occupancy,
    abandonment_rate,
    aht,
    asa,
    handle_time_against_target,
    occupancy,
)
from ._kpi.planning import minimum_detectable_change, sample_size_for_margin
from ._kpi.queueing.erlang import (
    UnstableQueueWarning,
    erlang_b,
    erlang_c,
    erlang_c_answer_time,
    erlang_c_asa,
    erlang_c_occupancy,
    erlang_c_service_level,
    traffic_intensity,
)
from ._kpi.queueing.erlang_a import (
    ERLANG_A_SERVICE_LEVEL_POLICIES,
    erlang_a,
    erlang_a_abandonment_rate,
    erlang_a_asa,
    erlang_a_mean_wait,
    erlang_a_occupancy,
    erlang_a_service_level,
)
from ._kpi.queueing.lines import erlang_b_carried_traffic, erlang_b_occupancy, erlang_b_traffic
from ._kpi.queueing.staffing import (
    Staffing,
    agents_required,
    agents_required_for_asa,
    lines_required,
    scheduled_agents,
    square_root_staffing,
)
from ._kpi.responses import (
    DurationTotals,
    ReplyTimes,
    ResolutionTime,
    ResponseTime,
    first_response_time,
    reply_times,
    resolution_time,
)
from ._kpi.retention import (
    CohortRetention,
    RepeatRate,
    ReturnedWithin,
    churn_rate,
    convert_churn_rate,
    repeat_contact_retention,
    repeat_rate,
    retention_rate,
    returned_within,
)
from ._kpi.scorecard import QAScore, qa_review_scores, qa_scorecard
from ._kpi.service_level import (
    ABANDONED_POLICIES,
    SERVICE_LEVEL_POLICIES,
    AnswerTimePercentiles,
    ServiceLevel,
    answer_time_percentile,
    service_level,
)
from ._kpi.survey import CES, CSAT, NPS, NPSBucket, NPSDifference, ces, csat, nps, nps_buckets, nps_difference
from ._kpi.tickets import (
    Backlog,
    OpenCases,
    ReopenRate,
    RepeatContactFCR,
    ResolutionRate,
    SingleReplyFCR,
    TicketFlow,
    backlog,
    fcr_repeat_contact,
    fcr_single_reply,
    open_cases,
    reopen_rate,
    resolution_rate,
    ticket_flow,
)
from ._kpi.value import (
    CLVInputs,
    clv_finite_horizon,
    clv_infinite_horizon,
    clv_inputs,
    clv_simple,
    referral_rate,
)
from ._kpi.volume import ChannelShare, Volume, channel_share, volume
from ._report.io import read_contacts
from ._report.report import KPIReport, KPISeries, kpi_report
from ._report.standards import Standard, StandardResults, evaluate_standards, load_standards, save_standards

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    # errors, results and labels
    "InvalidInputError",
    "InvalidTypeError",
    "UndefinedMetricWarning",
    "ConfidenceInterval",
    "Grouped",
    "keep_missing",
    # surveys and scorecards
    "CES",
    "CSAT",
    "NPS",
    "NPSBucket",
    "NPSDifference",
    "QAScore",
    "ces",
    "csat",
    "nps",
    "nps_buckets",
    "nps_difference",
    "qa_review_scores",
    "qa_scorecard",
    # answering: service level, answer times, handling
    "ABANDONED_POLICIES",
    "SERVICE_LEVEL_POLICIES",
    "AHT",
    "ASA",
    "AbandonmentRate",
    "AnswerTimePercentiles",
    "HandleTimeAgainstTarget",
    "Occupancy",
    "ServiceLevel",
    "abandonment_rate",
    "aht",
    "answer_time_percentile",
    "asa",
    "handle_time_against_target",
    "occupancy",
    "service_level",
    # response and resolution times, business hours
    "BusinessHours",
    "DurationTotals",
    "ReplyTimes",
    "ResolutionTime",
    "ResponseTime",
    "business_seconds",
    "first_response_time",
    "reply_times",
    "resolution_time",
    # tickets, volume and first-contact resolution
    "Backlog",
    "ChannelShare",
    "OpenCases",
    "ReopenRate",
    "RepeatContactFCR",
    "ResolutionRate",
    "SingleReplyFCR",
    "TicketFlow",
    "Volume",
    "backlog",
    "channel_share",
    "fcr_repeat_contact",
    "fcr_single_reply",
    "open_cases",
    "reopen_rate",
    "resolution_rate",
    "ticket_flow",
    "volume",
    # complaints, engagement and reviews
    "Complaints",
    "Engagement",
    "FollowerGrowth",
    "Reviews",
    "complaints",
    "engagement",
    "follower_growth",
    "reviews",
    # retention, identity and customer value
    "CLVInputs",
    "CohortRetention",
    "RepeatRate",
    "ReturnedWithin",
    "churn_rate",
    "clv_finite_horizon",
    "clv_infinite_horizon",
    "clv_inputs",
    "clv_simple",
    "convert_churn_rate",
    "normalize_email",
    "normalize_phone",
    "referral_rate",
    "repeat_contact_retention",
    "repeat_rate",
    "retention_rate",
    "returned_within",
    # queueing and staffing
    "ERLANG_A_SERVICE_LEVEL_POLICIES",
    "Staffing",
    "UnstableQueueWarning",
    "agents_required",
    "agents_required_for_asa",
    "erlang_a",
    "erlang_a_abandonment_rate",
    "erlang_a_asa",
    "erlang_a_mean_wait",
    "erlang_a_occupancy",
    "erlang_a_service_level",
    "erlang_b",
    "erlang_b_carried_traffic",
    "erlang_b_occupancy",
    "erlang_b_traffic",
    "erlang_c",
    "erlang_c_answer_time",
    "erlang_c_asa",
    "erlang_c_occupancy",
    "erlang_c_service_level",
    "lines_required",
    "scheduled_agents",
    "square_root_staffing",
    "traffic_intensity",
    # statistics: intervals, comparisons, control charts, planning
    "SIGNAL_RULES",
    "Comparison",
    "ControlChart",
    "GroupComparison",
    "compare",
    "holm",
    "mean_difference",
    "mean_interval",
    "minimum_detectable_change",
    "p_chart",
    "rate_difference",
    "rate_interval",
    "sample_size_for_margin",
    "u_chart",
    "xmr_chart",
    # standards and reports
    "KPIReport",
    "KPISeries",
    "Standard",
    "StandardResults",
    "evaluate_standards",
    "kpi_report",
    "read_contacts",
    "load_standards",
    "save_standards",
]


def __getattr__(name: str) -> object:
    """Import the optional submodules ``cskpi.plot`` (matplotlib) and ``cskpi.dask`` on first use."""
    if name in ("plot", "dask"):
        import importlib

        return importlib.import_module(f"cskpi.{name}")
    raise AttributeError(f"module 'cskpi' has no attribute {name!r}")
