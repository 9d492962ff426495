"""The ``cskpi`` command line: KPI reports and summaries of a contacts file.

``cskpi`` alone prints a short summary of the bundled example data;
``cskpi report contacts.csv --period month --by channel`` prints the KPI report of
a file (CSV, Parquet or JSON lines; ``--schema zendesk`` or ``--mapping mine.toml``
for a platform's export; ``--format json|csv|markdown`` for machines and documents,
``--standards standards.toml`` for pass/fail); ``cskpi report --example`` runs it on
the bundled example. Files are read with pyarrow (the ``cli`` extra).
Mistakes in the input (a missing column, an unparseable timestamp, a bad value, an
empty file, a wrong delimiter, a bad mapping file) are reported on one line naming
the file, the row and the column (or the key), with exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import tomllib
import warnings
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from ._core.optional import MissingDependencyError
from ._core.time import PERIODS
from ._kpi.service_level import SERVICE_LEVEL_POLICIES
from ._kpi.survey import ces, csat, nps
from ._report.io import ROLES, ContactsTable, example_contacts_path, located, read_contacts
from ._report.readers import arrow
from ._report.report import kpi_report
from ._report.schemas import SCHEMAS
from ._report.standards import load_standards

COMMANDS = ("report", "summary", "example")
FORMATS = ("text", "json", "csv", "markdown")
EXIT_USER_ERROR = 2


def example_standards_path() -> Path:
    """Path of the bundled example standards file (used by ``cskpi report --example``)."""
    return Path(str(resources.files("cskpi").joinpath("data", "example_standards.toml")))


# --------------------------------------------------------------------------- summary


def _format(kind: str, label: str, result: Any) -> str:
    low, high = (
        result.confidence_interval(method="adjusted_wald") if kind == "nps" else result.confidence_interval()
    )
    if kind == "nps":
        return (
            f"{label:<10} NPS   {result.value:+7.1f}  95% CI [{low:+.1f}, {high:+.1f}]  n={result.n}"
            f"  promoters {result.promoter_share:.1%}  detractors {result.detractor_share:.1%}"
        )
    if kind == "csat":
        return (
            f"{label:<10} CSAT  {result.value:7.1%}  95% CI [{low:.1%}, {high:.1%}]  n={result.n}"
            f"  mean {result.mean:.2f} / 5"
        )
    return (
        f"{label:<10} CES   {result.value:7.2f}  95% CI [{low:.2f}, {high:.2f}]  n={result.n}"
        f"  easy {result.easy_share:.1%}"
    )


def _survey_lines(table: ContactsTable) -> list[str]:
    """Overall and per-channel survey KPIs, each grouped metric in one pass."""
    metrics: dict[str, Callable[..., Any]] = {"nps": nps, "csat": csat, "ces": ces}
    overall: list[str] = []
    by_channel: dict[str, list[str]] = {}
    for kind, metric in metrics.items():
        if not table.has(kind):
            continue
        answers = table.get(kind)
        answered = ~np.isnan(answers)
        if not answered.any():
            continue
        try:
            result = metric(answers[answered])
        except InvalidInputError as error:  # name the file, row and column of the bad answer
            raise located(error, table, table.column_of(kind), np.flatnonzero(answered)) from None
        overall.append(_format(kind, "all", result))
        if table.has("channel"):
            grouped = metric(answers[answered], by=table.get("channel")[answered])
            for label, result in grouped.items():
                by_channel.setdefault(str(label), []).append(_format(kind, str(label), result))
    return overall + [line for label in sorted(by_channel) for line in by_channel[label]]


def _operations_lines(table: ContactsTable) -> list[str]:
    """Whole-period operations KPIs (one cell of a report), when the columns exist."""
    if not table.has("created"):
        return []
    report = kpi_report(table, period="year")
    if report.periods.shape[0] > 1:
        return []
    skip = {"nps", "csat", "ces", "volume", "retention"}
    from ._core.display import format_value

    parts = [f"{s.label} {format_value(s.values[0, 0], s.unit)}" for s in report.kpis if s.key not in skip]
    return ["all        " + ", ".join(parts)] if parts else []


def _summary(path: str | None, options: argparse.Namespace) -> int:
    source = path or str(example_contacts_path())
    table = _read(source, options)
    print(f"cskpi summary of {source} ({table.n_rows} contacts)")
    lines = _survey_lines(table) + _operations_lines(table)
    print("\n".join(lines) if lines else "no KPI columns found (nps, csat, ces, created, wait_seconds…)")
    if path is None:
        print("Full report by month and channel: cskpi report --example --by channel")
    return 0


# --------------------------------------------------------------------------- report


def _mapping(options: argparse.Namespace) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if getattr(options, "columns", None):
        mapping.update(_mapping_file(options.columns))
    for item in getattr(options, "column", None) or []:
        role, separator, name = item.partition("=")
        if not separator or not role.strip() or not name.strip():
            raise InvalidInputError(f"--column must be ROLE=NAME (e.g. created=opened_at); got {item!r}")
        mapping[role.strip()] = name.strip()
    unknown = sorted(set(mapping) - set(ROLES))
    if unknown:
        raise InvalidInputError(f"unknown column role {unknown[0]!r}; roles are: {', '.join(ROLES)}")
    return mapping


def _mapping_file(path: str) -> dict[str, str]:
    """Role -> column mapping from a TOML or JSON file (flat, or under a ``columns`` table)."""
    suffix = Path(path).suffix.lower()
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise InvalidInputError(
            f"{path}: is not valid {'TOML' if suffix == '.toml' else 'JSON'} ({error})"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict):
        raise InvalidInputError(f'{path}: must map roles to column names (role = "column")')
    for role, name in data.items():
        if not isinstance(name, str):
            raise InvalidInputError(f"{path}: column for role {role!r} must be a string; got {name!r}")
        if role not in ROLES:
            raise InvalidInputError(f"{path}: unknown column role {role!r}; roles are: {', '.join(ROLES)}")
    return {str(role): str(name) for role, name in data.items()}


def _read(path: str, options: argparse.Namespace) -> ContactsTable:
    """The contacts file through the schema or mapping file of the options (pyarrow checked first)."""
    arrow()
    return read_contacts(
        path,
        schema=getattr(options, "schema", None),
        mapping=getattr(options, "mapping", None),
        columns=_mapping(options),
        tz=getattr(options, "tz", None),
        delimiter=options.delimiter,
        format=getattr(options, "input_format", None),
    )


def _dask_columns(options: argparse.Namespace) -> tuple[dict[str, Any], str | None]:
    """Role -> column spec and zone of a Parquet data set read with Dask (schema, mapping, --column)."""
    from ._report.schemas import load_mapping, schema_specs

    if options.schema is not None and options.mapping is not None:
        raise InvalidInputError("give either --schema or --mapping, not both")
    loaded = (
        load_mapping(options.mapping)
        if options.mapping is not None
        else schema_specs(options.schema or "generic")
    )
    formats = {"--input-format": options.input_format, f"the {loaded.name} format": loaded.format}
    for what, format in formats.items():
        if format not in (None, "parquet"):
            raise InvalidInputError(
                f"--dask and --scheduler read a Parquet data set; got {what} {format!r} "
                "(report other files without --dask)"
            )
    specs: dict[str, Any] = dict(loaded.columns)
    specs.update(_mapping(options))
    return specs, options.tz if options.tz is not None else loaded.tz


def _report(options: argparse.Namespace) -> int:
    if options.example and options.csv:
        raise InvalidInputError("give either a CSV file or --example, not both")
    if not options.example and not options.csv:
        raise InvalidInputError("give a contacts CSV file, or --example for the bundled example data")
    path = str(example_contacts_path()) if options.example else options.csv
    standards: Any = None
    if options.standards:
        standards = load_standards(options.standards)
    elif options.example:
        standards = load_standards(example_standards_path())
    cluster, extra = contextlib.ExitStack(), dict[str, Any]()
    if options.dask or options.scheduler:  # a Parquet data set, reported on a Dask cluster
        from ._dask.cli import dask_contacts

        columns, tz = _dask_columns(options)
        table: Any = cluster.enter_context(dask_contacts(path, scheduler=options.scheduler))
        extra = {"columns": columns, "tz": tz}
    else:
        table = _read(path, options)
    baseline: Any = options.baseline
    if baseline is not None and baseline.lstrip("-").isdigit() and len(baseline) < 4:
        baseline = int(baseline)
    with cluster:
        report = kpi_report(
            table,
            period=options.period,
            by=options.by,
            standards=standards,
            baseline=baseline,
            service_level_threshold=options.sl_threshold,
            service_level_policy=options.sl_policy,
            confidence_level=options.confidence,
            empty_periods=options.empty_periods,
            **extra,
        )
    render: dict[str, Callable[[], str]] = {
        "text": report.to_text,
        "json": report.to_json,
        "csv": report.to_csv,
        "markdown": report.to_markdown,
    }
    output = render[options.format]()
    text = output if output.endswith("\n") else output + "\n"
    if options.output:
        inputs = [path, options.standards, options.columns, options.mapping]
        write_output(options.output, text, inputs=[item for item in inputs if item])
    else:
        sys.stdout.write(text)
    return 0


def _example(options: argparse.Namespace) -> int:
    source = example_standards_path() if options.standards else example_contacts_path()
    text = source.read_text(encoding="utf-8")
    if options.output:
        write_output(options.output, text, inputs=[])
    else:
        sys.stdout.write(text)
    return 0


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, or that of a new file under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_output(path: str, text: str, *, inputs: Sequence[str | Path]) -> None:
    """Write ``text`` to ``path`` atomically, refusing to overwrite one of the command's inputs.

    The text goes to a temporary file in the same folder, which then replaces ``path``
    in one rename: a failed write (a full disk, a missing folder) leaves any previous
    file as it was and no partial file behind. Errors are one line naming the file.
    """
    target = Path(path)
    for source in inputs:
        try:
            same = target.exists() and target.resolve() == Path(source).resolve()
        except OSError:  # an unreadable path cannot be the input that was just read
            same = False
        if same:
            raise InvalidInputError(f"{path}: is an input of this command; write the output to another file")
        if os.path.isdir(source) and target.resolve().is_relative_to(Path(source).resolve()):
            # A folder input is a dataset: a report written inside it would be read with it next time.
            raise InvalidInputError(
                f"{path}: is inside the input folder {source}; write the output outside the dataset"
            )
    folder = target.parent
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, _file_mode(target))  # mkstemp makes 0600; keep the usual mode
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInputError(f"{path}: cannot write the output: {reason}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# --------------------------------------------------------------------------- parser


def _add_table_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--delimiter", help="field delimiter of a CSV file (default ',')")
    parser.add_argument(
        "--schema",
        choices=tuple(SCHEMAS),
        help="named export schema of the file (generic, zendesk, freshdesk, amazon-connect, genesys)",
    )
    parser.add_argument(
        "--mapping", metavar="FILE", help="mapping file (TOML): roles to columns with parsing options"
    )
    parser.add_argument(
        "--input-format",
        choices=("csv", "parquet", "json"),
        help="format of the file (default: from its suffix; a folder is Parquet)",
    )
    parser.add_argument(
        "--column",
        action="append",
        metavar="ROLE=NAME",
        help=f"the column holding a role, repeatable (roles: {', '.join(ROLES)})",
    )
    parser.add_argument("--columns", metavar="FILE", help="TOML or JSON file mapping roles to column names")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cskpi``."""
    parser = argparse.ArgumentParser(
        prog="cskpi",
        description="Customer-service KPIs of a contacts CSV. Without a command: a short summary of the "
        "bundled example data.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    report = commands.add_parser("report", help="KPI report per period (and group), with trend and standards")
    report.add_argument(
        "csv", nargs="?", help="contacts file (CSV, Parquet, JSON lines), one row per contact"
    )
    report.add_argument("--example", action="store_true", help="use the bundled example data and standards")
    report.add_argument("--period", choices=PERIODS, default="month", help="calendar period (default month)")
    report.add_argument(
        "--by", metavar="COLUMN", help="break every KPI down by this column (channel, agent…)"
    )
    report.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    report.add_argument("--standards", metavar="FILE", help="service standards (TOML or JSON) to evaluate")
    report.add_argument(
        "--baseline", metavar="PERIOD", help="baseline period, e.g. 2026-01 (default: the first)"
    )
    report.add_argument(
        "--sl-threshold",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="service-level threshold (default 20)",
    )
    report.add_argument(
        "--sl-policy",
        choices=SERVICE_LEVEL_POLICIES,
        default="abandoned_as_missed",
        help="service-level formula",
    )
    report.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    report.add_argument(
        "--tz",
        metavar="ZONE",
        help="IANA time zone (Europe/Paris) of timestamps with UTC offsets: periods follow its wall clock",
    )
    report.add_argument(
        "--empty-periods",
        choices=("omit", "show"),
        default="omit",
        help="periods without contacts: leave them out (default) or show them marked",
    )
    report.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parquet = "read CSV as a Parquet data set (directory or glob) with Dask"
    report.add_argument("--dask", choices=("local",), help=f"{parquet}, on a local cluster")
    report.add_argument("--scheduler", metavar="ADDRESS", help=f"{parquet}, on the cluster at ADDRESS")
    _add_table_options(report)
    summary = commands.add_parser("summary", help="survey and operations KPIs over the whole file")
    summary.add_argument("csv", nargs="?", help="contacts file (default: the bundled example)")
    _add_table_options(summary)
    example = commands.add_parser("example", help="print the bundled example contacts CSV (or standards)")
    example.add_argument("--standards", action="store_true", help="print the example standards file instead")
    example.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m cskpi`` and the ``cskpi`` script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # ``cskpi contacts.csv`` (no command) keeps working: a summary of that file.
    if arguments and arguments[0] not in COMMANDS and not arguments[0].startswith("-"):
        arguments.insert(0, "summary")
    parser = build_parser()
    options = parser.parse_args(arguments)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            if options.command == "report":
                return _report(options)
            if options.command == "example":
                return _example(options)
            if options.command == "summary":
                return _summary(options.csv, options)
            options.delimiter, options.column, options.columns = None, None, None
            return _summary(None, options)
    except (InvalidInputError, InvalidTypeError, MissingDependencyError) as error:
        print(f"cskpi: {_one_line(error)}", file=sys.stderr)
    except FileNotFoundError as error:
        print(f"cskpi: {error.filename}: no such file", file=sys.stderr)
    except IsADirectoryError as error:
        print(f"cskpi: {error.filename}: is a directory, not a CSV file", file=sys.stderr)
    except PermissionError as error:
        print(f"cskpi: {error.filename}: permission denied", file=sys.stderr)
    except UnicodeDecodeError:
        print("cskpi: the file is not UTF-8 text", file=sys.stderr)
    except BrokenPipeError:  # pragma: no cover - e.g. `cskpi report --example | head`
        sys.stderr.close()
        return 0
    return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
