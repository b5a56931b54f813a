"""The record of issues already sent: a YAML file in the repo, so every issue is reproducible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from plugins.programme.dates import DateProblem, parse_date
from plugins.programme.locations import record_file
from plugins.programme.problems import ContentProblemsError, Problem
from plugins.programme.tree import record_link_problems
from plugins.programme.yamlsource import YamlSyntaxProblem, load

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


@dataclass
class RecordedIssue:
    """One sent issue: what it carried, so its archive page can be rebuilt."""

    number: int
    date: datetime
    subject: str
    preheader: str
    posts: list[str]
    line: int = 0
    campaigns: dict[str, str] = field(default_factory=dict)  # provider → campaign id
    events: list[str] = field(default_factory=list)  # slugs of the events it announced


def load_record(path: str | Path, timezone: str = "Europe/Berlin") -> list[RecordedIssue]:
    """Read the record; a missing file means no issue was sent yet."""
    path = Path(path)
    source = str(path)
    linked = record_link_problems(path)  # never read (or shown) from elsewhere
    if linked:
        raise ContentProblemsError(linked)
    if not path.exists():
        return []
    try:
        data, lines, raw = load(path.read_text(encoding="utf-8"))
    except YamlSyntaxProblem as error:
        raise ContentProblemsError([Problem(source, error.line + 1, f"kein gültiges YAML: {error.message}",
                                            error.fix or "prüfe Einrückung und Anführungszeichen")]) from None
    problems: list[Problem] = []
    issues: list[RecordedIssue] = []
    for index, item in enumerate((data or {}).get("issues") or []):
        line = lines.get(("issues", index), 0) + 1
        try:
            date = parse_date(raw.get(("issues", index, "date"), str(item.get("date", ""))), timezone)
        except DateProblem as problem:
            problems.append(Problem(source, line, problem.message, problem.fix))
            continue
        number = item.get("number")
        if not isinstance(number, int) or (issues and number != issues[-1].number + 1):
            problems.append(Problem(source, line, f"Ausgabe hat die Nummer „{number}“",
                                    "Ausgaben sind fortlaufend nummeriert, beginnend mit 1"))
            continue
        issues.append(RecordedIssue(number, date, str(item.get("subject", "")),
                                    str(item.get("preheader", "")),
                                    [str(slug) for slug in item.get("posts") or []], line,
                                    dict(item.get("campaigns") or {}),
                                    [str(slug) for slug in item.get("events") or []]))
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
