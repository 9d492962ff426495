"""Named export schemas and mapping files: each platform's fixture (written in its published layout)
read with no preprocessing, the report's figures checked against values worked out by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cskpi import InvalidInputError, kpi_report, read_contacts
from cskpi._report.schemas import SCHEMAS, load_mapping

pytest.importorskip("pyarrow")

DATA = Path(__file__).parent / "data"


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cskpi", *arguments], capture_output=True, text=True, timeout=120
    )


def test_every_schema_cites_its_source_and_maps_known_roles() -> None:
    from cskpi._report.io import ROLES

    assert set(SCHEMAS) == {"generic", "zendesk", "freshdesk", "amazon-connect", "genesys"}
    for schema in SCHEMAS.values():
        assert schema.source.startswith("http"), schema.name
        assert set(schema.columns) <= set(ROLES), schema.name


def test_zendesk_ticket_export() -> None:
    table = read_contacts(DATA / "zendesk_tickets.csv", schema="zendesk")
    report = kpi_report(table, period="month")
    assert report["volume"].values.tolist() == [[3.0, 3.0]]
    # CSAT: Good / (Good + Bad); Offered and Not Offered are not answers.
    # January: Good, Bad, Offered -> 1/2; February: Good, Not Offered, Good -> 2/2.
    assert report["csat"].values.tolist() == [[0.5, 1.0]]
    assert report["csat"].n.tolist() == [[2, 2]]
    # Retention: January's requesters 9001 and 9002; 9001 is back in February. Requester 0
    # (anonymous) is no one.
    assert report["retention"].values[0, 0] == 0.5
    # Solved at minus Created at, ticket 101: 09:12 -> 10:42 (+0000) = 5,400 s.
    assert table.get("resolved")[0] - table.get("created")[0] == np.timedelta64(5400, "s")
    assert table.get("channel").tolist() == ["Mail", "Web form", "Mail", "Chat", "Mail", "Chat"]


def test_zendesk_satisfaction_scores_that_are_not_answers(tmp_path: Path) -> None:
    # Zendesk's export article lists "Not Offered, Offered, Good or Bad"; older exports
    # write "Unoffered".
    path = tmp_path / "tickets.csv"
    rows = ["Not Offered", "Unoffered", "Offered", "", "Good", "bad"]
    path.write_text(
        "Id,Created at,Satisfaction Score\n"
        + "".join(f"{i},2026-01-0{i + 1} 09:00:00 +0000,{score}\n" for i, score in enumerate(rows)),
        encoding="utf-8",
    )
    report = kpi_report(read_contacts(path, schema="zendesk"), period="month")
    assert report["csat"].n.tolist() == [[2]] and report["csat"].values.tolist() == [[0.5]]


def test_freshdesk_ticket_export() -> None:
    table = read_contacts(DATA / "freshdesk_tickets.csv", schema="freshdesk")
    report = kpi_report(table, period="month")
    assert report["volume"].values.tolist() == [[3.0, 1.0]]
    first_reply = table.get("first_reply") - table.get("created")
    assert np.isnat(first_reply[2])  # no reply yet
    assert first_reply[[0, 1, 3]].astype("timedelta64[s]").astype(int).tolist() == [1800, 300, 3600]
    assert report["open_cases"].values.tolist() == [[1.0, 1.0]]  # ticket 3 is still open
    assert table.get("agent").tolist() == ["Maya", "Leo", "", "Maya"]  # "No Agent" is missing


def test_amazon_connect_contact_records() -> None:
    table = read_contacts(DATA / "connect_ctr.jsonl", schema="amazon-connect")
    report = kpi_report(table, period="month")
    # January: c1 waited 15 s (answered), c2 60 s (no agent: abandoned), c3 5 s (answered).
    assert report["volume"].values.tolist() == [[3.0, 1.0]]
    assert report["service_level"].values[0, 0] == pytest.approx(2 / 3)
    assert report["asa"].values[0, 0] == 10.0  # (15 + 5) / 2
    assert report["abandonment_rate"].values[0, 0] == pytest.approx(1 / 3)
    # Handle time: interaction + hold + after-contact work: c1 300 + 20 + 45, c3 1100 + 0 + 30.
    assert report["aht"].values[0, 0] == (365 + 1130) / 2
    assert table.get("abandoned").tolist() == [False, True, False, False]
    # Sub-second instants in UTC.
    assert str(table.get("created")[2]) == "2026-01-06T14:00:00.250000"


def test_genesys_conversation_details() -> None:
    table = read_contacts(DATA / "genesys_conversations.json", schema="genesys")
    report = kpi_report(table, period="month")
    assert report["volume"].values.tolist() == [[2.0, 1.0]]
    np.testing.assert_array_equal(table.get("wait_seconds"), [18.0, 75.0, 4.0])  # tAcd, ms -> s
    assert table.get("abandoned").tolist() == [False, True, False]  # tAbandon present
    # g1: two talk segments (240 + 60 s), 20 s held, 45 s after-call work.
    np.testing.assert_array_equal(table.get("talk_seconds"), [300.0, np.nan, 1100.0])
    assert report["aht"].values.tolist() == [[365.0, 1130.0]]
    assert report["service_level"].values.tolist() == [[0.5, 1.0]]
    assert table.get("agent").tolist() == ["Maya", "", "Leo"]
    assert table.get("channel").tolist() == ["voice", "voice", "chat"]


def test_mapping_file_with_every_option(tmp_path: Path) -> None:
    export = tmp_path / "calls.csv"
    export.write_text(
        "Date;Time;Answered (Y/N);Speed of answer;Talk;Caller;Rating\n"
        "05/01/2026;9:10:10;Y;00:00:12;0:02:23;555-1;4\n"
        "05/01/2026;10:00:00;N;;;0;\n"
        "06/01/2026;11:30:00;Y;00:00:40;PT3M;555-1;n/a\n"
        "02/02/2026;08:00:00;N;00:01:10;;anonymous;\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        """
delimiter = ";"

[roles]
created = { column = "Date", time = "Time", format = "%d/%m/%Y %H:%M:%S" }
abandoned = { column = "Answered (Y/N)", true = ["Y"], false = ["N"], invert = true }
wait_seconds = "Speed of answer"
talk_seconds = "Talk"
customer = { column = "Caller", missing = ["", "0", "anonymous"] }
csat = { column = "Rating", missing = ["", "n/a"] }
""",
        encoding="utf-8",
    )
    table = read_contacts(export, mapping=mapping)
    assert table.get("created").astype(str).tolist()[0] == "2026-01-05T09:10:10.000000"
    assert table.get("abandoned").tolist() == [False, True, False, True]
    np.testing.assert_array_equal(table.get("wait_seconds"), [12.0, np.nan, 40.0, 70.0])
    np.testing.assert_array_equal(table.get("talk_seconds"), [143.0, np.nan, 180.0, np.nan])
    report = kpi_report(table, period="month")
    assert report["abandonment_rate"].values[0].tolist() == [pytest.approx(1 / 3), 1.0]  # 1 N of 3 calls
    completed = run("report", str(export), "--mapping", str(mapping), "--format", "json")
    assert completed.returncode == 0, completed.stderr
    assert '"abandonment_rate"' in completed.stdout


def test_cli_schema_runs_without_preprocessing() -> None:
    completed = run("report", str(DATA / "zendesk_tickets.csv"), "--schema", "zendesk")
    assert completed.returncode == 0, completed.stderr
    assert "CSAT" in completed.stdout and "2026-02" in completed.stdout
    completed = run(
        "report", str(DATA / "connect_ctr.jsonl"), "--schema", "amazon-connect", "--format", "csv"
    )
    assert completed.returncode == 0, completed.stderr
    completed = run(
        "report", str(DATA / "genesys_conversations.json"), "--schema", "genesys", "--by", "channel"
    )
    assert completed.returncode == 0, completed.stderr
    assert "voice" in completed.stdout and "chat" in completed.stdout


def test_input_format_option(tmp_path: Path) -> None:
    lines = tmp_path / "records.txt"  # JSON lines under a suffix that says nothing
    lines.write_text((DATA / "connect_ctr.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    completed = run("report", str(lines), "--schema", "amazon-connect")  # the schema says JSON lines
    assert completed.returncode == 0, completed.stderr
    completed = run("report", str(lines), "--schema", "amazon-connect", "--input-format", "csv")
    assert completed.returncode == 2 and "Traceback" not in completed.stderr  # as CSV: one column, no roles


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[roles\n", "is not valid TOML"),
        ('colour = "red"\n', "unknown key 'colour'"),
        ('[roles]\nwaiting = "W"\n', "roles.waiting: unknown role 'waiting'"),
        ("[roles]\ncreated = 3\n", "roles.created must be a column name or a table"),
        (
            '[roles]\nabandoned = { column = "A", invert = "yes" }\n',
            "roles.abandoned.invert must be true or false",
        ),
        (
            '[roles]\nnps = { column = "A", unit = "minutes" }\n',
            "roles.nps: option 'unit' applies to duration",
        ),
        ('[roles]\ncreated = { column = "A", tz = "Mars/Base" }\n', "roles.created.tz must be an IANA"),
        ('schema = "salesforce"\n', "schema must be one of"),
        ('delimiter = ";;"\n', "delimiter must be one character"),
    ],
)
def test_bad_mapping_file_one_line_naming_file_and_key(text: str, message: str, tmp_path: Path) -> None:
    mapping = tmp_path / "mine.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message) as error:
        load_mapping(mapping)
    assert str(error.value).startswith(str(mapping))
    completed = run("report", str(DATA / "zendesk_tickets.csv"), "--mapping", str(mapping))
    assert completed.returncode == 2 and completed.stderr.count("\n") == 1
    assert str(mapping) in completed.stderr and "Traceback" not in completed.stderr


def test_mapping_extends_a_schema(tmp_path: Path) -> None:
    mapping = tmp_path / "zendesk_plus.toml"
    mapping.write_text('schema = "zendesk"\n[roles]\nagent = "Group"\n', encoding="utf-8")
    table = read_contacts(DATA / "zendesk_tickets.csv", mapping=mapping)
    assert set(table.get("agent").tolist()) == {"Support"}
    assert table.spec("csat").values == (("good", 5.0), ("bad", 1.0))  # the rest from the schema


def test_schema_and_mapping_together_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="either schema= or mapping="):
        read_contacts(DATA / "zendesk_tickets.csv", schema="zendesk", mapping=tmp_path / "x.toml")
    with pytest.raises(InvalidInputError, match="schema must be one of"):
        read_contacts(DATA / "zendesk_tickets.csv", schema="salesforce")
