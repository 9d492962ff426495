"""Genesys Cloud conversation details: nested conversations flattened to one row per conversation.

The analytics conversation-details query and job results of Genesys Cloud list
conversations (``{"conversations": [...]}``, or one conversation per line), each
with ``participants`` (``purpose``: customer, agent, acd, ivr…), their ``sessions``
(``mediaType``, ``ani``) and the sessions' ``metrics`` (``name``, ``value``; times
in milliseconds). Source: the ``AnalyticsConversation``, ``AnalyticsParticipant``,
``AnalyticsSession`` and ``AnalyticsSessionMetric`` models of the Genesys Cloud
Platform API, https://developer.genesys.cloud/analyticsdatamanagement/analytics/detail/
and the SDK's model pages (e.g.
https://github.com/MyPureCloud/platform-client-sdk-python/blob/master/build/docs/AnalyticsSession.md).

:func:`flatten_conversations` makes one row per conversation with Arrow compute
(list flattening, parent indices) and numpy (``bincount`` sums per conversation):
no Python loop over conversations.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError
from .readers import arrow, read_json

__all__ = ["METRICS", "flatten_conversations"]

#: Session metrics summed per conversation (milliseconds), with the column they become.
METRICS = {
    "tAcd": "tAcd",  # time in the ACD queue, answered or not
    "tAbandon": "tAbandon",  # time in queue before the customer abandoned
    "tTalk": "tTalk",  # talk time
    "tHeld": "tHeld",  # hold time
    "tAcw": "tAcw",  # after-call work
}


def _read(path: str) -> Any:
    pa = arrow()
    table = read_json(path, pa, newlines_in_values=True)
    if "conversations" in table.column_names:  # a query or job result: {"conversations": [...]}
        column = table.column("conversations").combine_chunks()
        return _flat_list(column)
    return pa.StructArray.from_arrays(
        [table.column(name).combine_chunks() for name in table.column_names], names=table.column_names
    )


def _flat_list(column: Any) -> Any:
    pc: Any = importlib.import_module("pyarrow.compute")
    return pc.list_flatten(column)


def _child(structs: Any, name: str) -> Any:
    """A field of a struct array, or None when the export does not have it."""
    if structs.type.get_field_index(name) < 0:
        return None
    return structs.field(name)


def _children(lists: Any) -> tuple[Any, NDArray[np.intp]]:
    """The items of a list array and the index of the list each came from."""
    pc: Any = importlib.import_module("pyarrow.compute")
    items = pc.list_flatten(lists)
    parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.intp)
    return items, parents


def _first_per(owner: NDArray[np.intp], values: NDArray[Any], n: int, fill: Any) -> NDArray[Any]:
    """The first value of each owner (rows in order), ``fill`` for owners without one."""
    result = np.full(n, fill, dtype=object)
    if owner.shape[0]:
        owners, first = np.unique(owner, return_index=True)
        result[owners] = values[first]
    return result


def flatten_conversations(path: str | os.PathLike[str]) -> Any:
    """One row per conversation of a Genesys Cloud conversation-details file, as a pyarrow Table.

    Columns: ``conversationId``, ``conversationStart``, ``conversationEnd``,
    ``mediaType`` (of the first session), ``agent`` (the first agent participant's
    name, else user id), ``ani`` (the customer's address), and per metric of
    :data:`METRICS` its sum over the conversation's sessions in milliseconds (null
    where no session has it), plus ``queued`` (an ``acd`` participant is there) and
    ``answered`` (an agent session has talk time).
    """
    pa = arrow()
    pc: Any = importlib.import_module("pyarrow.compute")
    name = os.fspath(path)
    conversations = _read(name)
    n = len(conversations)
    for required in ("conversationStart", "participants"):
        if _child(conversations, required) is None:
            raise InvalidInputError(
                f"{name}: conversations have no field {required!r} (Genesys Cloud format)"
            )
    participants, conversation_of_participant = _children(conversations.field("participants"))
    purpose = _child(participants, "purpose")
    purposes = np.asarray(
        (pc.fill_null(purpose, "") if purpose is not None else pa.nulls(len(participants), pa.string()))
        .to_numpy(zero_copy_only=False)
        .astype(str)
    )
    sessions, participant_of_session = _children(participants.field("sessions"))
    conversation_of_session = conversation_of_participant[participant_of_session]
    session_purpose = purposes[participant_of_session]
    columns: dict[str, Any] = {
        "conversationId": _child(conversations, "conversationId"),
        "conversationStart": conversations.field("conversationStart"),
        "conversationEnd": _child(conversations, "conversationEnd"),
    }
    media = _child(sessions, "mediaType")
    if media is not None:
        values = np.asarray(pc.fill_null(media, "").to_numpy(zero_copy_only=False), dtype=object)
        columns["mediaType"] = pa.array(_first_per(conversation_of_session, values, n, ""), pa.string())
    agents = np.flatnonzero(purposes == "agent")
    label = _child(participants, "participantName") or _child(participants, "userId")
    if label is not None:
        names = np.asarray(pc.fill_null(label, "").to_numpy(zero_copy_only=False), dtype=object)
        columns["agent"] = pa.array(
            _first_per(conversation_of_participant[agents], names[agents], n, ""), pa.string()
        )
    ani = _child(sessions, "ani")
    if ani is not None:
        customer = np.flatnonzero(session_purpose == "customer")
        addresses = np.asarray(pc.fill_null(ani, "").to_numpy(zero_copy_only=False), dtype=object)
        columns["ani"] = pa.array(
            _first_per(conversation_of_session[customer], addresses[customer], n, ""), pa.string()
        )
    columns["queued"] = pa.array(np.bincount(conversation_of_participant[purposes == "acd"], minlength=n) > 0)
    metrics_list = _child(sessions, "metrics")
    if metrics_list is not None:
        metrics, session_of_metric = _children(metrics_list)
        conversation_of_metric = conversation_of_session[session_of_metric]
        metric_names = np.asarray(
            pc.fill_null(metrics.field("name"), "").to_numpy(zero_copy_only=False)
        ).astype(str)
        metric_values = np.asarray(
            pc.fill_null(pc.cast(metrics.field("value"), pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        )
        for metric, column in METRICS.items():
            rows = metric_names == metric
            owners = conversation_of_metric[rows]
            total = np.bincount(owners, weights=metric_values[rows], minlength=n)
            present = np.bincount(owners, minlength=n) > 0
            columns[column] = pa.array(np.where(present, total, np.nan), pa.float64(), mask=~present)
        talk = (metric_names == "tTalk") & (session_purpose[session_of_metric] == "agent")
        columns["answered"] = pa.array(np.bincount(conversation_of_metric[talk], minlength=n) > 0)
    return pa.table({key: value for key, value in columns.items() if value is not None})
