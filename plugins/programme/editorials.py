"""Newsletter editorials (``content/newsletter/<YYYY-MM-DD>.md``) as read and checked: the same
HTML policy as posts, plus what an email needs (whole addresses, no images, one-line headers).

The build and ``invoke check --fast`` judge every editorial the same way (``editorial_problems``),
whether or not an issue carries it yet; the newsletter renders the ones its issues name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import DateProblem, parse_date
from .files import TextProblem, read_text
from .html_policy import MD_REFERENCE, MD_TARGET, html_findings, kept_by_sanitiser, prose
from .locations import UNSUBSCRIBE_SENTINEL
from .post_source import INTERNAL_LINK, INVISIBLE_FIX, invisible_problem, one_line, split_front_matter
from .problems import Problem, display_path
from .yamlsource import YamlSyntaxProblem, load

# Only whole addresses work in an email (and in its text part): no file references, no addresses
# of this site without its host, no images (the editorial is text; what the site loads is not
# loaded from a mail client).
_HREF = re.compile(r"\bhref\s*=\s*[\"']?(?P<url>[^\"'\s>]*)", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]|<img\b", re.IGNORECASE)
_WHOLE = ("https://", "http://", "mailto:", "tel:", "#")
_RESERVED_HOST = urlsplit(UNSUBSCRIBE_SENTINEL).netloc
FIELDS = ("subject", "preheader")  # and nothing else


@dataclass
class EditorialSource:
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    problems: list[Problem] = field(default_factory=list)


def editorial_files(folder: Path, timezone: str) -> list[Path]:
    """The editorials in ``folder``: Markdown files named by their date (a language edition's
    with its key: ``2026-12-01.en.md``)."""
    found = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        day, _, _key = path.stem.partition(".")
        try:
            parse_date(day, timezone)
        except DateProblem:
            continue
        found.append(path)
    return found


def read_editorial_source(path: Path) -> EditorialSource:
    """One editorial with every problem in it, each at its line."""
    source = EditorialSource(path)
    shown = display_path(path)  # as editors see it, like every other file's
    if not path.resolve().is_relative_to(path.parent.resolve()):
        source.problems.append(Problem(shown, 1, "Datei ist ein Verweis (Symlink) nach außerhalb",
                                       "lege die Datei selbst in den Newsletter-Ordner"))
        return source
    try:
        text = read_text(path)
    except TextProblem as unreadable:
        source.problems.append(Problem(shown, unreadable.line, unreadable.message, unreadable.fix))
        return source
    front, body, body_line = split_front_matter(text)
    source.body = body
    refused = [Problem(shown, body_line + f.line - 1, f.message, f.fix) for f in html_findings(body)]
    refused += [Problem(shown, body_line + line - 1, message, fix)
                for line, message, fix in _outside_an_email(prose(body))]
    lines: dict[tuple[Any, ...], int] = {}
    if front is not None:
        try:
            data, lines, _raw = load(front)
            source.meta = data if isinstance(data, dict) else {}
        except YamlSyntaxProblem as error:
            fix = error.fix or "prüfe Einrückung und Anführungszeichen"
            refused.append(Problem(shown, error.line + 2,
                                   f"Kopfbereich ist kein gültiges YAML ({error.message})", fix))
    for offset, line in enumerate(body.split("\n")):  # no mail client shows these characters
        problem = invisible_problem(line)
        if problem:
            refused.append(Problem(shown, body_line + offset, f"Text enthält ein {problem}",
                                   INVISIBLE_FIX))
    for name in sorted(set(map(str, source.meta)) - set(FIELDS)):
        refused.append(Problem(shown, lines.get((name,), 0) + 2, f"unbekanntes Feld „{name}“",
                               "ein Vorwort hat nur „subject“ (Betreff) und „preheader“ (Vorschauzeile)"))
    for name in FIELDS:  # mail headers and the inbox's preview: one line
        if name in source.meta and not isinstance(source.meta[name], str):
            refused.append(Problem(shown, lines.get((name,), 0) + 2, f"Feld „{name}“ ist kein Text",
                                   f"setze den Wert in doppelte Anführungszeichen: {name}: \"…\""))
            source.meta.pop(name)
        if isinstance(source.meta.get(name), str):
            problem = invisible_problem(source.meta[name])
            if problem:
                refused.append(Problem(shown, lines.get((name,), 0) + 2,
                                       f"Feld „{name}“ enthält ein {problem}", INVISIBLE_FIX))
            source.meta[name] = one_line(source.meta[name])
    source.problems = sorted(refused)
    return source


def editorial_problems(folder: Path, timezone: str, languages: Iterable[str] | None = None) -> list[Problem]:
    """Every editorial's problems; with ``languages`` (the other editions' keys), a file named
    for another language too (it would never be used)."""
    problems = []
    offered = sorted(languages) if languages is not None else None
    for path in editorial_files(folder, timezone):
        day, _, key = path.stem.partition(".")
        shown = display_path(path)
        if key and offered is not None and key not in offered:
            problems.append(Problem(shown, 1, f"„.{key}“ im Dateinamen ist keine Sprache der Website",
                                    f"das Vorwort einer Sprache heißt „{day}.<Kürzel>.md“ mit einem von: "
                                    f"{', '.join(offered) or '(keine weiteren Sprachen)'}; das Vorwort in "
                                    f"der Sprache der Originale „{day}.md“"))
            continue
        problems += read_editorial_source(path).problems
    return problems


def _outside_an_email(masked: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(masked.split("\n"), 1):
        if INTERNAL_LINK.search(line):
            found.append((number, "Dateiverweise ({static}, {filename}) gehen im Newsletter nicht",
                          "schreibe die ganze Adresse, z. B. https://…/aktuelles/2026/titel/"))
        elif _IMAGE.search(line):
            found.append((number, "Bilder im Vorwort sind nicht möglich",
                          "das Vorwort ist Text; ein Bild gehört in einen Beitrag"))
        if _RESERVED_HOST in line.lower():  # a link, an autolink or plain text that becomes one
            found.append((number, f"„{_RESERVED_HOST}“ ist dem Abmeldelink jedes Empfängers vorbehalten",
                          "verlinke eine andere Adresse; den Abmeldelink setzt der Newsletter selbst"))
            continue
        links = [m for m in MD_TARGET.finditer(line) if not m["image"]]
        links += [*MD_REFERENCE.finditer(line), *_HREF.finditer(line)]
        for match in links:
            target = match["url"].strip()
            # A link the sanitiser drops (file:, javascript:) is the HTML policy's one message.
            if target and not target.lower().startswith(_WHOLE) and not INTERNAL_LINK.match(target) \
                    and kept_by_sanitiser(html.unescape(target)):
                found.append((number, f"Link „{target[:60]}“ führt in einer E-Mail ins Leere",
                              "schreibe die ganze Adresse mit https://"))
    return found
