"""The kind of every value in the programme data file, checked before anything uses it.

Programme data reaches every page, the emails, the CMS, calendars and the hosting files (CSP
headers in server configuration). It is content too: whoever may edit it must not be able to
put a script link, a CSS rule, a server directive or an invisible character anywhere. Each
string is judged by its key: web address, e-mail address, colour, file in the content folder,
one line of text, or text of several lines. Placeholders (``[PLATZHALTER: …]``) pass here; the
publish check refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .containment import inside
from .post_source import INVISIBLE_FIX, invisible_problem
from .problems import Problem

KeyPath = tuple[Any, ...]

# A web address: https or http, a host name, IPv4 or [IPv6] address, an optional port, then a
# path, query and fragment without spaces, quotes, angle brackets, backslashes or `$` (nginx
# would expand it in a header) — nothing that could end a value in HTML, CSS or server files.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"  # a name, IPv4 or [IPv6]
# A port a browser accepts (1 to 65535), as ":8080".
PORT = r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))"
WEB_ADDRESS = re.compile(rf"https?://{HOST}{PORT}?(?:[/?#][A-Za-z0-9._~%!&'()*+,;=:@/?#\[\]-]*)?")


def is_web_address(value: str, pattern: re.Pattern[str] = WEB_ADDRESS) -> bool:
    """Whether ``value`` is a web address of ``pattern`` whose host Python's URL parser takes:
    a bracketed host must be an IPv6 address ("https://[1:2]/" stopped the build)."""
    if not pattern.fullmatch(value):
        return False
    try:
        urlsplit(value)
    except ValueError:
        return False
    return True


EMAIL = re.compile(r"[A-Za-z0-9.!#%&'*+/=?^_`{|}~-]{1,64}@" + HOST)
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}")
# The design's colour tokens (the theme's CSS uses them as --sls-color-<name>) and its schemes:
# nothing else of programme data is written into the stylesheet.
COLOUR_NAMES = ("background", "surface", "text", "muted", "primary", "primary_text", "accent", "focus",
                "border")
COLOUR_SCHEMES = ("light", "dark")
# A file of the content folder, named relative to it.
CONTENT_FILE = re.compile(r"(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[\w./ -]+")
PHONE = re.compile(r"\+?[0-9 ()/.-]{3,30}")
# A list's id in the sign-up form (listmonk: a UUID; other services: a number or a name).
LIST_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
# A branch name as git allows it (git check-ref-format), narrowed to what branches are called.
BRANCH = re.compile(r"(?![./])(?!.*(?:\.\.|//|/\.|\.lock(?:/|$)))[A-Za-z0-9._/-]{1,100}(?<![./])")
# A value still to be filled in, as a whole (publishing refuses it): nothing else rides along.
PLACEHOLDER_VALUE = re.compile(r"\[PLATZHALTER:[^\[\]\n]*\]")

URL_KEYS = frozenset({"url", "action", "base_url", "api_root"})
EMAIL_KEYS = frozenset({"email", "from_email", "feedback_email", "security_contact"})
PHONE_KEYS = frozenset({"phone", "feedback_phone"})
FILE_KEYS = frozenset({"logo", "file", "captions", "poster", "image"})
# Free text that may run over several lines (a folded block scalar ends in a line break).
TEXT_KEYS = frozenset({"description", "reason", "status", "text", "known_limitations", "address",
                       "transcript"})


# The longest value of each kind: a one-line value stands on every page (a language's name of
# 950,000 characters made every page a megabyte); texts are paragraphs, web addresses may carry
# a query.
MAX_LENGTH = {"text": 20_000, "web": 2_000}
MAX_LINE = 300
LENGTH_FIX = "kürze sie; was mehr zu sagen hat, gehört auf eine Seite unter content/pages/"


def length_problem(kind: str, value: str) -> str | None:
    """Why ``value`` is too long for a value of ``kind``; None when it is not."""
    limit = MAX_LENGTH.get(kind, MAX_LINE)
    if len(value) <= limit:
        return None
    return f"ist {len(value):,} Zeichen lang (höchstens {limit:,})".replace(",", ".")


def kind_of(path: KeyPath) -> str:
    """``web``, ``email``, ``phone``, ``colour``, ``file``, ``uuid``, ``branch``, ``text`` or ``line``."""
    names = [key for key in path if isinstance(key, str)]
    key = names[-1] if names else ""
    if path[:2] == ("design", "colors") and len(path) == 4:
        return "colour"
    if key in URL_KEYS or key.endswith("_url"):
        return "web"
    if key in EMAIL_KEYS or key.endswith("_email"):
        return "email"
    if key in PHONE_KEYS:
        return "phone"
    if key in FILE_KEYS:
        return "file"
    if key in ("uuid", "branch"):  # a list's id in the sign-up form; the branch the CMS edits
        return key
    if key in TEXT_KEYS:
        return "text"
    return "line"


# What Python's email headers and str.splitlines() take for the end of a line: a one-line value
# (a name in a mail's From, a subject) holds none of them.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


_RULES: dict[str, tuple[re.Pattern[str], str, str]] = {
    "web": (WEB_ADDRESS, "keine Internetadresse (https://…)",
            "schreibe die vollständige Adresse mit https://, ohne Leerzeichen und Anführungszeichen; "
            "Umlaute so, wie der Browser sie beim Kopieren der Adresse schreibt (z. B. %C3%A4 für ä)"),
    "email": (EMAIL, "keine E-Mail-Adresse", "schreibe sie als „name@beispiel.de“, ohne Namen davor"),
    "phone": (PHONE, "keine Telefonnummer", "nur Ziffern, Leerzeichen, +, /, - und Klammern"),
    "colour": (COLOUR, "keine Farbe im Format #rrggbb", "schreibe die Farbe als „#005a8c“"),
    "uuid": (LIST_ID, "keine Kennung einer Liste (nur Buchstaben, Ziffern, „-“ und „_“)",
             "kopiere sie aus dem Versanddienst (listmonk: Listen → Liste → UUID)"),
    "branch": (BRANCH, "kein Name eines Git-Zweigs",
               "schreibe ihn so, wie er im Repository heißt, z. B. „main“"),
    "file": (CONTENT_FILE, "kein Dateiname im Inhaltsordner",
             "nenne die Datei relativ zum Inhaltsordner, z. B. „images/logo.svg“ (keine Adresse, kein ..)"),
}


# The most entries of a list or group: every page names every language (switcher, hreflang,
# sitemap), so the output grows with pages × languages² (600 languages: 638 MB); measures,
# clusters and the other lists are shown together on pages too.
MAX_ENTRIES = 200
MAX_LANGUAGES = 30


def _sizes(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, int]]:
    if isinstance(value, (dict, list)):
        yield path, len(value)
        for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
            yield from _sizes(item, (*path, key))


# The groups whose keys the adopter names (the others' keys are settings, each checked by its
# section): a label content refers to and the CMS offers as a value, a name, never text.
NAMED_KEYS: tuple[KeyPath, ...] = (("events", "accessibility"),)
KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")


def _keys(data: dict[str, Any]) -> Iterator[tuple[KeyPath, Any]]:
    for path in NAMED_KEYS:
        group: Any = data
        for part in path:
            group = group.get(part) if isinstance(group, dict) else None
        for key in group if isinstance(group, dict) else ():
            yield path, key


def _leaves(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


# Texts pages and emails print as one sentence or paragraph: a list or number there is a slip.
WHOLE_TEXTS: tuple[KeyPath, ...] = (
    ("programme", "tagline"), ("programme", "description"), ("programme", "motto"), ("programme", "funding"),
    ("newsletter", "reason"))


def _kind_name(value: Any) -> str:
    if isinstance(value, bool):
        return "ein Ja/Nein"
    if isinstance(value, (int, float)):
        return "eine Zahl"
    if isinstance(value, list):
        return "eine Liste"
    if isinstance(value, dict):
        return "eine Gruppe von Angaben"
    return "kein Satz"


def value_problems(data: dict[str, Any], lines: dict[KeyPath, int], source: str) -> list[Problem]:
    """One problem per value of the wrong kind, at its line."""
    problems: list[Problem] = []

    def report(path: KeyPath, message: str, fix: str) -> None:
        line = next((lines[path[:end]] for end in range(len(path), -1, -1) if path[:end] in lines), 0)
        shown = ".".join(str(part)[:40] for part in path)  # a key may be as long as anything
        problems.append(Problem(source, line + 1, f"{shown}: {message}", fix))

    for path in WHOLE_TEXTS:
        section = data.get(path[0])
        value = section.get(path[1]) if isinstance(section, dict) else None
        if value is not None and not isinstance(value, str):
            report(path, f"ist kein Text, sondern {_kind_name(value)}",
                   "schreibe einen Satz (in Anführungszeichen, wenn er mit einer Zahl oder Klammer beginnt)")
    for path, key in _keys(data):
        if not KEY.fullmatch(str(key)):
            report((*path, key), f"Schlüssel „{str(key)[:40]}“ ist kein Name aus Buchstaben, Ziffern, "
                   "- und _ (höchstens 60 Zeichen)", "benenne ihn so, z. B. „rollstuhl-wc“")
    for path, size in _sizes(data, ()):
        limit = MAX_LANGUAGES if path == ("languages",) else MAX_ENTRIES
        if path and size > limit:
            report(path, f"hat {size} Einträge (höchstens {limit})",
                   "kürze die Liste; jede Seite nennt ihre Einträge")
    for path, value in _leaves(data, ()):
        if not isinstance(value, str):
            continue
        invisible = invisible_problem(value)
        if invisible:
            report(path, invisible, INVISIBLE_FIX)
            continue
        kind = kind_of(path)
        too_long = length_problem(kind, value)
        if too_long:
            report(path, too_long, LENGTH_FIX)
            continue
        if kind != "text" and _LINE_BREAK.search(value.rstrip("\n")):
            report(path, "Zeilenumbruch in einer einzeiligen Angabe", "schreibe sie in eine Zeile")
            continue
        if kind in _RULES and not PLACEHOLDER_VALUE.fullmatch(value.strip()):
            pattern, message, fix = _RULES[kind]
            if not (is_web_address(value.strip()) if kind == "web" else pattern.fullmatch(value.strip())):
                report(path, f"„{value.strip()[:80]}“ ist {message}", fix)
    return problems


# What each file of programme data must be: it is shown as an image, played as a video or read
# as captions on every page (or the sign-language page).
_PICTURE = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
FILE_TYPES = {"logo": _PICTURE, "poster": _PICTURE, "image": _PICTURE, "file": (".mp4", ".webm"),
              "captions": (".vtt",)}


def missing_files(data: dict[str, Any], lines: dict[KeyPath, int], source: str,
                  root: Path) -> list[Problem]:
    """Files programme data names (a logo, a video, its captions) that the content folder lacks,
    or that are not of their kind: every page would show a broken image or a dead link."""
    problems = []
    for path, value in _leaves(data, ()):
        if (kind_of(path) != "file" or not isinstance(value, str)
                or not CONTENT_FILE.fullmatch(value.strip()) or PLACEHOLDER_VALUE.fullmatch(value.strip())):
            continue
        name, key = value.strip(), str(path[-1])
        line = next((lines[path[:end]] for end in range(len(path), -1, -1) if path[:end] in lines), 0)
        shown = ".".join(str(part)[:40] for part in path)  # a key may be as long as anything
        if not name.lower().endswith(FILE_TYPES.get(key, ("",))):
            problems.append(Problem(source, line + 1, f"{shown}: „{name[:80]}“ ist keine Datei vom Typ "
                                    + ", ".join(FILE_TYPES[key]), "nenne eine Datei dieses Typs"))
        elif not inside(root, name) or not (root / name).is_file():
            problems.append(Problem(source, line + 1, f"{shown}: Datei „{name[:80]}“ gibt es im "
                                    "Inhaltsordner nicht", "lege sie dort ab oder korrigiere den Pfad "
                                    "(relativ zum Inhaltsordner, z. B. „images/logo.svg“)"))
    return problems
