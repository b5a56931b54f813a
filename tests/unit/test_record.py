"""The record of sent issues is written so that it reads back: the reader refuses YAML anchors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.newsletter.record import RecordedIssue, append_issue, load_record


def test_a_value_used_twice_is_written_out_twice_and_reads_back(tmp_path: Path) -> None:
    carried = ["sprechstunde-im-newsroom"]  # one list object in two places: YAML would alias it
    record = tmp_path / "issues.yml"
    append_issue(record, RecordedIssue(7, datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Berlin")),
                                       "Neues", "Kurz", carried, events=carried))
    assert "&" not in record.read_text(encoding="utf-8")
    issue, = load_record(record)
    assert issue.posts == issue.events == carried
