"""Export schemas: how a platform's export maps onto the contact roles, and user mapping files.

A :class:`Schema` maps contact roles (:data:`cskpi._report.io.ROLES`) to the columns
of one platform's export, each with its parsing options
(:class:`~cskpi._report.parsing.ColumnSpec`), and says the file format. The named
schemas (:data:`SCHEMAS`) are written from each platform's published field list,
cited in their ``source``; :func:`load_mapping` reads a user's mapping file (TOML),
whose format is described in ``docs/howto/mapping-file.md``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .._core.errors import InvalidInputError
from .parsing import ColumnSpec, spec_from_options
from .readers import FORMATS

__all__ = ["SCHEMAS", "Schema", "load_mapping", "schema_specs"]


@attrs.frozen(kw_only=True)
class Schema:
    """A mapping from an export's columns to contact roles.

    Attributes
    ----------
    name : str
        Schema name (``--schema NAME``).
    description : str
        What export it reads.
    source : str
        URL of the published field list it was written from.
    columns : dict of str to ColumnSpec
        Role -> column and parsing options.
    format : str or None
        File format (``'csv'``, ``'parquet'``, ``'json'``); None: from the suffix.
    delimiter : str
        CSV delimiter.
    tz : str or None
        Zone in which instants are read as wall-clock times (the report's calendar).
    """

    name: str
    description: str
    source: str
    columns: dict[str, ColumnSpec]
    format: str | None = None
    delimiter: str = ","
    tz: str | None = None


def _plain(**columns: str) -> dict[str, ColumnSpec]:
    return {role: ColumnSpec(column=column) for role, column in columns.items()}


GENERIC = Schema(
    name="generic",
    description="cskpi's own column names (the roles), as in the bundled example",
    source="https://cskpi.readthedocs.io (docs/standards-and-reports.md, the contacts table)",
    columns={},
)

_MISSING_IDS = ("", "0", "anonymous", "unknown")

# Headings checked against the CSV export's field table in Zendesk's "Exporting ticket,
# user, or organization data from your account" (the source URL): Created at, Via,
# Assignee, Solved at, Satisfaction Score (Not Offered, Offered, Good or Bad). The article
# writes "Requester ID"; exported files, as several public scripts that read or imitate
# them show, head the column "Requester id", which is used here. Dates are in the
# account's time zone.
ZENDESK = Schema(
    name="zendesk",
    description="Zendesk Support ticket export (CSV, one row per ticket)",
    source="https://support.zendesk.com/hc/en-us/articles/4408886165402",
    columns={
        "created": ColumnSpec(column="Created at"),
        "channel": ColumnSpec(column="Via"),
        "agent": ColumnSpec(column="Assignee"),
        "customer": ColumnSpec(column="Requester id", missing=_MISSING_IDS),
        "resolved": ColumnSpec(column="Solved at"),
        # Good / Bad ratings as the two ends of a 1-5 scale: CSAT = good / (good + bad).
        "csat": ColumnSpec(
            column="Satisfaction Score",
            values=(("good", 5.0), ("bad", 1.0)),
            missing=("", "offered", "not offered", "unoffered"),
        ),
    },
)

# No Freshdesk page listing the CSV export's headings was found: the headings are those
# Freshdesk's ticket export writes by default as seen in public scripts that read such
# exports (Created time, Source, Agent, Contact ID, Initial response time, Resolved
# time), and the fields' meanings are the API's ticket fields (the source URL).
FRESHDESK = Schema(
    name="freshdesk",
    description="Freshdesk ticket export (CSV, one row per ticket)",
    source=(
        "https://support.freshdesk.com (Tickets > Export; ticket fields as in "
        "https://schemas.apis.io/schemas/freshdesk/freshdesk-ticket/)"
    ),
    columns={
        "created": ColumnSpec(column="Created time"),
        "channel": ColumnSpec(column="Source"),
        "agent": ColumnSpec(column="Agent", missing=("", "no agent")),
        "customer": ColumnSpec(column="Contact ID", missing=_MISSING_IDS),
        "first_reply": ColumnSpec(column="Initial response time"),
        "resolved": ColumnSpec(column="Resolved time"),
    },
)

# Field names checked against the data model page (the source URL) and public sample
# records: Agent is null for a contact that never reached an agent.
AMAZON_CONNECT = Schema(
    name="amazon-connect",
    description="Amazon Connect contact records (CTR), JSON lines, nested fields",
    source="https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html",
    format="json",
    columns={
        "created": ColumnSpec(column="InitiationTimestamp"),
        "channel": ColumnSpec(column="Channel"),
        "agent": ColumnSpec(column="Agent.Username"),
        "customer": ColumnSpec(column="CustomerEndpoint.Address", missing=_MISSING_IDS),
        # QueueInfo: Duration is the time in queue [s]; a queued contact never connected to
        # an agent abandoned.
        "wait_seconds": ColumnSpec(column="Queue.Duration"),
        "abandoned": ColumnSpec(column="Agent.ConnectedToAgentTimestamp", present=True, invert=True),
        "talk_seconds": ColumnSpec(column="Agent.AgentInteractionDuration"),
        "hold_seconds": ColumnSpec(column="Agent.CustomerHoldDuration"),
        "after_work_seconds": ColumnSpec(column="Agent.AfterContactWorkDuration"),
    },
)

# The nesting (conversation > participants > sessions > metrics) and the session fields
# (``mediaType``, ``ani``, ``metrics``) are checked against the Genesys Cloud SDK's
# AnalyticsSession model page; see cskpi._report.genesys for the sources.
GENESYS = Schema(
    name="genesys",
    description="Genesys Cloud analytics conversation details (JSON), one row per conversation",
    source="https://developer.genesys.cloud/analyticsdatamanagement/analytics/detail/",
    format="genesys",
    columns={
        "created": ColumnSpec(column="conversationStart"),
        "channel": ColumnSpec(column="mediaType"),
        "agent": ColumnSpec(column="agent"),
        "customer": ColumnSpec(column="ani", missing=_MISSING_IDS),
        "wait_seconds": ColumnSpec(column="tAcd", unit="milliseconds"),
        "abandoned": ColumnSpec(column="tAbandon", present=True),
        "talk_seconds": ColumnSpec(column="tTalk", unit="milliseconds"),
        "hold_seconds": ColumnSpec(column="tHeld", unit="milliseconds"),
        "after_work_seconds": ColumnSpec(column="tAcw", unit="milliseconds"),
    },
)

#: The named export schemas, by name.
SCHEMAS: dict[str, Schema] = {
    schema.name: schema for schema in (GENERIC, ZENDESK, FRESHDESK, AMAZON_CONNECT, GENESYS)
}


def schema_specs(name: str) -> Schema:
    """The named schema ``name`` (see :data:`SCHEMAS`)."""
    if not isinstance(name, str) or name not in SCHEMAS:
        raise InvalidInputError(f"schema must be one of {', '.join(SCHEMAS)}; got {name!r}")
    return SCHEMAS[name]


_TOP_KEYS = ("schema", "format", "delimiter", "tz", "roles")


def load_mapping(path: str | os.PathLike[str]) -> Schema:
    """Read a mapping file (TOML): roles to columns with parsing options.

    Errors are one line naming the file and the key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "mine.toml").write_text('''
    ... [roles]
    ... created = "Start"
    ... abandoned = { column = "Answered (Y/N)", true = ["Y"], false = ["N"], invert = true }
    ... ''')
    >>> mapping = load_mapping(folder / "mine.toml")
    >>> mapping.columns["abandoned"].invert, mapping.columns["created"].column
    (True, 'Start')
    """
    from .io import ROLES

    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise InvalidInputError(f"{name}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{name}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"{name}: is not valid TOML ({error})") from None
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise InvalidInputError(f"{name}: unknown key {unknown[0]!r}; keys are: {', '.join(_TOP_KEYS)}")
    base = GENERIC
    if "schema" in data:
        if not isinstance(data["schema"], str) or data["schema"] not in SCHEMAS:
            raise InvalidInputError(
                f"{name}: schema must be one of {', '.join(SCHEMAS)}; got {data['schema']!r}"
            )
        base = SCHEMAS[data["schema"]]
    for key in ("format", "delimiter", "tz"):
        if key in data and not isinstance(data[key], str):
            raise InvalidInputError(f"{name}: {key} must be a string; got {data[key]!r}")
    if "format" in data and data["format"] not in FORMATS:
        raise InvalidInputError(f"{name}: format must be one of {', '.join(FORMATS)}; got {data['format']!r}")
    if "delimiter" in data and len(data["delimiter"]) != 1:
        raise InvalidInputError(f"{name}: delimiter must be one character; got {data['delimiter']!r}")
    if "tz" in data:
        from .._core.time import check_tz

        try:
            check_tz(data["tz"])
        except InvalidInputError:
            raise InvalidInputError(
                f"{name}: tz must be an IANA time zone name such as 'Europe/Paris'; got {data['tz']!r}"
            ) from None
    roles = data.get("roles", {})
    if not isinstance(roles, Mapping):
        raise InvalidInputError(f'{name}: roles must be a table of role = "column" entries; got {roles!r}')
    columns = dict(base.columns)
    for role, entry in roles.items():
        where = f"{name}: roles.{role}"
        if role not in ROLES:
            raise InvalidInputError(f"{where}: unknown role {role!r}; roles are: {', '.join(ROLES)}")
        if isinstance(entry, str):
            columns[role] = ColumnSpec(column=entry)
            continue
        if not isinstance(entry, Mapping) or not isinstance(entry.get("column"), str):
            raise InvalidInputError(
                f'{where} must be a column name or a table with column = "NAME"; got {entry!r}'
            )
        options: dict[str, Any] = dict(entry)
        column = options.pop("column")
        spec = spec_from_options(column, options, where)
        spec.check(ROLES[role][0], where)
        columns[role] = spec
    return Schema(
        name=name,
        description=f"mapping file {name}",
        source=name,
        columns=columns,
        format=data.get("format", base.format),
        delimiter=data.get("delimiter", base.delimiter),
        tz=data.get("tz", base.tz),
    )
