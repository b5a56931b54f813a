"""The record of issues already sent: a YAML file in the repo, so every issue is reproducible."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from plugins.programme.issue_record import RecordedIssue, read_record
from plugins.programme.locations import record_file
from plugins.programme.problems import ContentProblemsError

HEADER = """\
# Newsletter issues already sent, oldest first. Written by `invoke newsletter.send`;
# edit by hand only to correct a subject. The next issue carries the posts
# published after the last issue's date that no earlier issue carried.
"""


def record_path(settings: Mapping[str, Any]) -> Path:
    """The record file: NEWSLETTER_RECORD if set, else inside the content folder."""
    return Path(settings.get("NEWSLETTER_RECORD") or record_file(settings["PATH"]))


# An issue's events travel with its posts through every provider (tags, markers, headers) as
# "termin:<slug>": the record splits them again, so each issue stores the events it carried.
EVENT_PREFIX = "termin:"


def split_carried(carried: list[str]) -> tuple[list[str], list[str]]:
    """(posts, events) of a list of carried slugs."""
    return ([s for s in carried if not s.startswith(EVENT_PREFIX)],
            [s.removeprefix(EVENT_PREFIX) for s in carried if s.startswith(EVENT_PREFIX)])


def load_record(path: str | Path, timezone: str = "Europe/Berlin") -> list[RecordedIssue]:
    """Read the record; a missing file means no issue was sent yet."""
    issues, problems = read_record(Path(path), timezone)
    if problems:
        raise ContentProblemsError(problems)
    return issues


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice out twice: the reader refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def append_issue(path: str | Path, issue: RecordedIssue) -> None:
    """Add ``issue`` to the record, keeping earlier entries exactly as they are."""
    path = Path(path)
    entry = {
        "number": issue.number,
        "date": issue.date.isoformat(timespec="minutes"),
        "subject": issue.subject,
        "preheader": issue.preheader,
        "posts": issue.posts,
    }
    if issue.events:
        entry["events"] = issue.events
    if issue.campaigns:
        entry["campaigns"] = issue.campaigns
    block = yaml.dump([entry], Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER + "issues:\n"
    if "issues: []" in text:
        text = text.replace("issues: []", "issues:")
    path.parent.mkdir(parents=True, exist_ok=True)
    indented = "".join(f"  {row}\n" if row else "\n" for row in block.rstrip("\n").split("\n"))
    path.write_text(text.rstrip("\n") + "\n" + indented, encoding="utf-8")


__all__ = ["EVENT_PREFIX", "HEADER", "RecordedIssue", "append_issue", "load_record", "record_path",
           "split_carried"]
