"""The record of sent newsletter issues (``newsletter/issues.yml``) read with its schema.

The record is content: an editor may correct a subject by hand, a merge may garble it. Every
entry is typed here, once, for the content check and the build alike: each mistake is one German
``path:line: problem — fix``, never a Python exception, and nothing of it reaches a page, feed or
mail header except as checked one-line text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .dates import DateProblem, parse_date
from .files import TextProblem, read_text
from .post_source import INVISIBLE_FIX, invisible_problem, one_line
from .problems import Problem, display_path
from .yamlsource import YamlSyntaxProblem, load


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


FIELDS = {"number", "date", "subject", "preheader", "posts", "events", "campaigns"}
FIX_QUOTE = "setze den Wert in doppelte Anführungszeichen"
FIX_LIST = "schreibe eine Liste, ein Eintrag je Zeile: „- kennung“"


class _Entry:
    """One entry of the record while it is read: its problems, each at the line of its field."""

    def __init__(self, source: str, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int],
                 item: dict[str, Any], problems: list[Problem]) -> None:
        self.source, self.path, self.lines, self.item, self.problems = source, path, lines, item, problems

    def line(self, *key: Any) -> int:
        return self.lines.get((*self.path, *key), self.lines.get(self.path, 0)) + 1

    def report(self, key: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.source, self.line(key), message, fix))

    def text(self, name: str, required: bool = False) -> str:
        value = self.item.get(name)
        if value is None:
            if required:
                self.report(name, f"Ausgabe hat kein Feld „{name}“", f"ergänze „{name}: \"…\"“")
            return ""
        if not isinstance(value, str):
            self.report(name, f"Feld „{name}“ ist kein Text", f"{FIX_QUOTE}: {name}: \"…\"")
            return ""
        problem = invisible_problem(value)
        if problem:
            self.report(name, f"Feld „{name}“ enthält ein {problem}", INVISIBLE_FIX)
            return ""
        return one_line(value)

    def names(self, name: str) -> list[str]:
        value = self.item.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(entry, str) and entry.strip() and
                                                  not invisible_problem(entry) for entry in value):
            self.report(name, f"Feld „{name}“ ist keine Liste von Kennungen", FIX_LIST)
            return []
        return [entry.strip() for entry in value]

    def campaigns(self) -> dict[str, str]:
        value = self.item.get("campaigns")
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
                isinstance(key, str) and isinstance(entry, (str, int)) and not isinstance(entry, bool)
                and not invisible_problem(key) and not invisible_problem(str(entry))
                for key, entry in value.items()):
            self.report("campaigns", "Feld „campaigns“ ist keine Zuordnung Versanddienst → Kampagne",
                        "schreibe je Zeile „dienst: kennung“ (so, wie der Versand es eingetragen hat)")
            return {}
        return {key: str(entry) for key, entry in value.items()}


SYMLINK_FIX = "lege die Datei selbst in den Newsletter-Ordner"


def record_link_problems(record: Path) -> list[Problem]:
    """The record of sent issues is read (and its text shown in errors) only from its folder."""
    if record.is_symlink() or record.parent.is_symlink():
        return [Problem(display_path(record), 1, "Datei ist ein Verweis (Symlink), keine Datei im "
                        "Inhaltsordner", SYMLINK_FIX)]
    return []


def read_record(path: Path, timezone: str = "Europe/Berlin") -> tuple[list[RecordedIssue], list[Problem]]:
    """The issues of the record at ``path`` and every problem in it (a missing file: none sent)."""
    source = display_path(path)
    linked = record_link_problems(path)  # never read (or shown) from elsewhere
    if linked:
        return [], linked
    if not path.is_file():
        return [], []
    try:
        data, lines, raw = load(read_text(path))
    except TextProblem as unreadable:
        return [], [Problem(source, unreadable.line, unreadable.message, unreadable.fix)]
    except YamlSyntaxProblem as error:
        return [], [Problem(source, error.line + 1, f"kein gültiges YAML: {error.message}",
                            error.fix or "prüfe Einrückung und Anführungszeichen")]
    if data is None:
        return [], []
    entries = data.get("issues") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(entries, (list, type(None))):
        return [], [Problem(source, lines.get(("issues",), 0) + 1, "Datei hat keine Liste „issues:“",
                            "die Datei beginnt mit „issues:“, darunter je Ausgabe ein Eintrag „- number: …“")]
    problems: list[Problem] = []
    issues: list[RecordedIssue] = []
    expected: int | None = None
    sent: dict[str, int] = {}  # post slug (or "termin:" + event slug) → the issue that carried it
    for index, item in enumerate(entries or []):
        line = lines.get(("issues", index), 0) + 1
        if not isinstance(item, dict):
            problems.append(Problem(source, line, "Eintrag ist keine Ausgabe",
                                    "jede Ausgabe hat die Felder number, date, subject, preheader, posts"))
            expected = expected + 1 if expected else None
            continue
        entry = _Entry(source, ("issues", index), lines, item, problems)
        for name in sorted(set(map(str, item)) - FIELDS):
            entry.report(name, f"unbekanntes Feld „{name}“", "erlaubt sind: " + ", ".join(sorted(FIELDS)))
        number = item.get("number")
        if (not isinstance(number, int) or isinstance(number, bool) or number < 1
                or (expected is not None and number != expected)):
            entry.report("number", f"Ausgabe hat die Nummer „{str(number)[:20]}“", "Ausgaben sind "
                         "fortlaufend nummeriert" + (f" (hier: {expected})" if expected else ""))
            expected = expected + 1 if expected else None
            continue
        expected = number + 1  # the first may continue an older numbering
        try:
            when = parse_date(raw.get(("issues", index, "date"), str(item.get("date", ""))), timezone)
        except DateProblem as problem:
            entry.report("date", problem.message, problem.fix)
            continue
        before = len(problems)
        issue = RecordedIssue(number, when, entry.text("subject", required=True), entry.text("preheader"),
                              entry.names("posts"), line, entry.campaigns(), entry.names("events"))
        # Each post and event goes out once (the next issue carries what no issue carried before):
        # so the record is never longer than the content it sent, and no edit of it can make the
        # build render thousands of print editions of the same posts.
        carried = [*issue.posts, *(f"termin:{slug}" for slug in issue.events)]
        if len(problems) == before and not carried:
            entry.report("posts", f"Ausgabe {number} trägt keinen Beitrag und keinen Termin",
                         "eine Ausgabe nennt unter „posts:“ (oder „events:“) was sie verschickt hat")
        for name in carried:
            if name in sent:
                entry.report("posts" if not name.startswith("termin:") else "events",
                             f"„{name.removeprefix('termin:')}“ war schon in Ausgabe {sent[name]}",
                             "jeder Beitrag und Termin geht einmal hinaus: lösche ihn hier")
            sent.setdefault(name, number)
        if len(problems) == before:
            issues.append(issue)
    return issues, sorted(problems)
