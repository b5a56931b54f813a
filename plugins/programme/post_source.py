"""Read one Markdown source: split front matter, check every field, keep line numbers.

Pure functions with no Pelican dependency, so the editors' content check
(`invoke check --fast`) and the Pelican reader share one implementation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .containment import OUTSIDE_FIX, inside, lexically_inside
from .dates import DateProblem, parse_date
from .html_policy import BRACKETED, findings_in_prose, prose
from .model import Programme
from .problems import Problem
from .schema import (
    ARTICLE,
    BY_NAME,
    EVENT_INHERITED,
    INHERITED,
    TEMPLATES,
    FieldSpec,
    fields_for,
    required_fields,
)
from .slugs import MAX_WRITTEN_SLUG, SLUG_PATTERN, german_slug
from .suggestions import closest, closest_measure
from .uploads import IMAGE_TYPES
from .yamlsource import YamlSyntaxProblem, load

_MD_IMAGE = re.compile(rf"!(?P<alt>{BRACKETED})\((?P<src>[^)\s]*)")
_MD_LINK = re.compile(rf"(?<!!){BRACKETED}\((?P<target>[^)\s]+)")
# A path with no scheme, not site-absolute, not a {static}/{filename} reference, not an anchor.
_PLAIN_PATH = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\{|\|)\S+$")
_HTML_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"\balt\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
# Every place Pelican replaces a file reference, in any syntax it accepts ({…} and the old |…|),
# in Markdown links, reference definitions and raw HTML attributes alike; braces written
# percent-encoded too, since the renderer encodes them and markdown_body restores them.
INTERNAL_LINK = re.compile(r"""(?:[{|]|%7[bB])(?P<what>filename|static|attach)(?:[}|]|%7[dD])"""
                           r"""(?P<target>[^)\s"'>\]]+)""")


@dataclass
class InternalLink:
    """A ``{filename}``/``{static}`` link, checked once all files are known."""

    what: str
    target: str
    line: int


@dataclass
class PostSource:
    """A Markdown file after its front matter is parsed and checked."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    links: list[InternalLink] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Top-level scalars as written (YAML would turn "12:30" into 750): for checks of a kind.
    raw: dict[str, str] = field(default_factory=dict, repr=False)
    # False when the header could not be read at all: no "field missing" follow-up messages.
    readable: bool = True
    # Fields refused with a message of their own: checks that need them stay quiet.
    refused: set[str] = field(default_factory=set)

    def line_of(self, name: str) -> int:
        """1-based line of field ``name``, or of the front matter's start."""
        return self.lines.get(name, 1)

    def report(self, name_or_line: str | int, message: str, fix: str) -> None:
        line = name_or_line if isinstance(name_or_line, int) else self.line_of(name_or_line)
        self.problems.append(Problem(self.path, line, message, fix))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, 1-based line where the body starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return "\n".join(lines[1:]), "", len(lines) + 1


def read_post(path: str, text: str, programme: Programme, kind: str, content_root: str,
              timezone: str = "Europe/Berlin", extra_fields: tuple[str, ...] = (),
              inherited: tuple[dict[str, Any], dict[str, str]] | None = None,
              forced: frozenset[str] = frozenset()) -> PostSource:
    """Parse and check one source file of ``kind`` (article, page or event). ``inherited``: for
    a translation, the fields it takes from its original where it has none of its own (of
    ``forced``, even where it has, and none the original lacks: the caller reports those, and
    the checks see the original's)."""
    post = PostSource(path)
    front, body, body_line = split_front_matter(text)
    post.body = body
    readable = front is not None  # one cause, one message: no "missing field" after a broken header
    if front is None:
        post.report(1, "Kopfbereich (Front Matter) fehlt",
                    "beginne die Datei mit einer Zeile „---“, dann „title: …“ usw., dann „---“")
        front = ""
    unclosed = body_line > len(text.split("\n")) and not body
    if unclosed:
        post.report(1, "Kopfbereich wird nicht mit „---“ geschlossen",
                    "setze nach dem letzten Feld eine Zeile „---“")
    try:
        data, node_lines, raw = load(front)
    except YamlSyntaxProblem as error:
        if not unclosed:  # else the text below the header is the YAML error: one cause, one message
            post.report(error.line + 2, f"Kopfbereich ist kein gültiges YAML ({error.message})",
                        error.fix or "prüfe Einrückung; Werte mit „:“ oder Anführungszeichen in "
                        "doppelte Anführungszeichen setzen")
        data, node_lines, raw = {}, {}, {}
        readable = False
    if data is None:
        data = {}
    if not isinstance(data, dict):
        post.report(2, "Kopfbereich ist keine Liste von Feldern",
                    "schreibe jedes Feld als „name: wert“ in eine eigene Zeile")
        data, readable = {}, False
    if inherited is not None and readable:
        values, written = inherited
        for key, value in values.items():
            if key not in data or key in forced:
                data[key] = value
                if key in written:
                    raw[(key,)] = written[key]
        for key in forced - values.keys():
            data.pop(key, None)
    post.readable = readable
    post.lines = {str(path_[0]): line + 2 for path_, line in node_lines.items() if len(path_) == 1}
    post.raw = {str(key[0]): value for key, value in raw.items() if len(key) == 1}
    _check_fields(post, data, raw, programme, kind, readable, content_root, timezone, extra_fields,
                  frozenset((*INHERITED, *EVENT_INHERITED)) if inherited is not None else frozenset())
    _scan_body(post, body, body_line)
    return post


def _check_fields(post: PostSource, data: dict[str, Any], raw: dict[Any, str], programme: Programme,
                  kind: str, readable: bool, content_root: str, timezone: str,
                  extra: tuple[str, ...], inherited: frozenset[str] = frozenset()) -> None:
    meta = post.meta
    schema = fields_for(kind)
    _take_known(post, data, extra, kind, schema)
    if readable:  # one cause, one message: no "missing field" after a broken header
        _require(post, kind, inherited)
    _check_texts(post, raw, kind)
    for name in ("date", "modified", "registration_deadline"):
        if name in meta:
            try:
                meta[name] = parse_date(raw.get((name,), str(meta[name])), timezone)
            except DateProblem as problem:
                post.report(name, problem.message, problem.fix)
                meta.pop(name)
    if "measure" in meta:
        meta["measure"] = _check_measures(post, meta["measure"], programme)
    for name in ("tags", "authors", "accessibility", "posts", "events", "aliases"):
        if name in meta:
            meta[name] = _as_list(post, name, meta[name])
            if len(meta[name]) > MAX_LIST:  # each tag, alias or link makes pages and lines
                post.report(name, f"Feld „{name}“ hat {len(meta[name])} Einträge (höchstens {MAX_LIST})",
                            "nenne die wichtigsten; mehr hilft niemandem beim Finden")
                meta[name] = meta[name][:MAX_LIST]
    _check_aliases(post)
    _check_tags(post)
    _check_choices(post, schema)
    _check_meaning(post)
    _check_image(post, meta, content_root)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _take_known(post: PostSource, data: dict[str, Any], extra: tuple[str, ...], kind: str,
                schema: dict[str, FieldSpec]) -> None:
    known = set(schema) | set(extra)
    required = {spec.name for spec in required_fields(kind)}
    for name, value in data.items():
        name = str(name)
        if name in known and name not in required and _empty(value):
            continue  # an optional field left empty (as CMSs write it) means "not set"
        if name not in known:
            close = closest(name, known)
            fix = f"meintest du „{close}“?" if close else f"erlaubt sind: {', '.join(sorted(schema))}"
            post.report(name, f"unbekanntes Feld „{name}“", fix)
            continue
        post.meta[name] = value


def _require(post: PostSource, kind: str, inherited: frozenset[str] = frozenset()) -> None:
    for spec in required_fields(kind):
        if spec.name in inherited and spec.name not in post.meta:
            continue  # a translation's: from its original (a missing original is its own problem)
        value = post.meta.get(spec.name)
        blank = isinstance(value, str) and not value.strip()
        if value is None or blank or (isinstance(value, list) and not value):
            where = spec.name if spec.name in post.lines else 1
            post.report(where, f"Pflichtfeld „{spec.name}“ ({spec.label}) fehlt",
                        f"ergänze „{spec.name}: …“ im Kopfbereich ({spec.hint})")
            post.meta.pop(spec.name, None)


TEXT_FIELDS = ("title", "summary", "summary_easy", "withdrawn_reason", "image_alt", "author", "slug", "uid",
               "lang", "template",
               "place_name", "place_street", "place_town", "online_url", "transit", "registration_url",
               "registration_note")
# Entries of one list field (tags, aliases, linked posts…): each tag is a page of its own, so a
# post of 60,000 tags (a megabyte) would keep a build busy for minutes.
MAX_LIST = 50
_UID = re.compile(r"[A-Za-z0-9.:/_~@#?=&+,%-]{1,200}")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _yaml_kind(value: Any) -> str:
    """What YAML made of a value an editor meant as text (YAML 1.1 reads more than people expect)."""
    if isinstance(value, bool):
        return "Wahrheitswert (yes/no/on/off werden zu wahr/falsch)"
    if isinstance(value, (int, float)):
        return f"Zahl {value} (z. B. 1:30 als Minuten, 012 als Oktalzahl)"
    if isinstance(value, (date, datetime)):
        return "Datum"
    if isinstance(value, list):
        return "Liste"
    if isinstance(value, dict):
        return "Abschnitt mit Unterfeldern"
    return "kein Text"


# Invisible characters no text field may hold: C0/C1 controls (a CR would end a line in a calendar
# file, a NUL breaks the feeds), the bidirectional overrides that make text read differently
# from how it is stored, and Unicode's noncharacters (no XML file, feed or calendar may hold
# them). Line breaks and tabs are whitespace: they fold into one space.
_CONTROLS = "\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\u202a-\\u202e\\u2066-\\u2069"
_FIRST_PLANE_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_NONCHARACTERS = _FIRST_PLANE_NONCHARACTERS + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
_INVISIBLE = re.compile(f"[{_CONTROLS}{_NONCHARACTERS}]")
# The same without the noncharacters beyond the first plane: a class of ranges within it is read
# ten times faster, and only a text with a character beyond it (an emoji) needs the whole class.
_INVISIBLE_IN_FIRST_PLANE = re.compile(f"[{_CONTROLS}{_FIRST_PLANE_NONCHARACTERS}]")
_BEYOND_FIRST_PLANE = re.compile("[\\U00010000-\\U0010ffff]")


def find_invisible(text: str) -> re.Match[str] | None:
    """The first invisible control character or noncharacter in ``text``."""
    if _BEYOND_FIRST_PLANE.search(text):
        return _INVISIBLE.search(text)
    return _INVISIBLE_IN_FIRST_PLANE.search(text)


def one_line(value: str) -> str:
    """A front-matter text as every channel shows it: runs of whitespace, line breaks included,
    as one space (a YAML block scalar ends in a line break; a page, a calendar and a mail header
    are one line)."""
    return " ".join(value.split())


def invisible_problem(value: str) -> str | None:
    """The message for an invisible control character in ``value``, if it holds one."""
    found = find_invisible(value)
    return None if found is None else f"unsichtbares Steuerzeichen U+{ord(found.group()):04X}"


INVISIBLE_FIX = "lösche es (es kommt oft beim Kopieren aus anderen Programmen mit) oder tippe den Text neu"


MAX_TITLE = 400  # characters; the longest titles adopters were seen to write have about 300


def _check_texts(post: PostSource, raw: dict[Any, str], kind: str) -> None:
    meta = post.meta
    for name in TEXT_FIELDS:
        if name not in meta or isinstance(meta[name], str):
            continue
        value, written = meta.pop(name), raw.get((name,))
        if type(value) in (int, float) and written is not None and written == str(value):
            meta[name] = written  # a number as written, e.g. a year as the title
        elif name == "author" and isinstance(value, list):
            post.report(name, "„author“ ist für einen Namen", "für mehrere Namen schreibe „authors: [A, B]“")
        elif written is not None:
            post.report(name, f"„{written}“ liest YAML nicht als Text, sondern als {_yaml_kind(value)}",
                        f"setze den Wert in doppelte Anführungszeichen: {name}: \"{written}\"")
        else:
            post.report(name, f"Feld „{name}“ muss ein Text sein",
                        "setze den Wert in doppelte Anführungszeichen")
    for name in TEXT_FIELDS:
        if isinstance(meta.get(name), str):
            problem = invisible_problem(meta[name])
            if problem:
                post.report(name, f"Feld „{name}“ enthält ein {problem}", INVISIBLE_FIX)
                meta.pop(name)
            else:
                meta[name] = one_line(meta[name])
    title = meta.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE:
        # A heading, a mail subject, a poster: a title of a paragraph's length fits none of them.
        post.report("title", f"Titel hat {len(title)} Zeichen (höchstens {MAX_TITLE})",
                    "kürze ihn; was er außerdem sagen soll, gehört in „summary“")
    if "slug" in meta and not SLUG_PATTERN.fullmatch(meta["slug"]):
        post.report("slug", f"Slug „{meta['slug']}“ ist ungültig",
                    "nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „wie-geht-es-weiter“")
        meta.pop("slug")
    elif "slug" in meta and len(meta["slug"]) > MAX_WRITTEN_SLUG:
        post.report("slug", f"Slug ist {len(meta['slug'])} Zeichen lang",
                    f"höchstens {MAX_WRITTEN_SLUG}: kürze ihn auf die wichtigsten Wörter")
        meta.pop("slug")
    if "uid" in meta and not _UID.fullmatch(meta["uid"]):
        # It becomes an Atom entry id (an IRI) and a calendar UID: no spaces, quotes or brackets.
        post.report("uid", f"Kennung „{meta['uid'][:60]}“ ist ungültig",
                    "übernimm die bisherige Kennung unverändert (z. B. „tag:beispiel.de,2024-05-01:"
                    "/aktuelles/2024/titel/“): nur Buchstaben, Ziffern und . : / - _ ~ @ # ? = & +, "
                    "höchstens 200 Zeichen")
        meta.pop("uid")
    if "template" in meta and meta["template"] != TEMPLATES.get(kind):
        # Any other template would fail the build or show the page without its text.
        post.report("template", f"Vorlage „{meta['template']}“ gibt es hier nicht",
                    f"lass das Feld weg (die Vorlage ist „{TEMPLATES.get(kind, 'article')}“)")
        meta.pop("template")


_ADDRESS = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*(?:[A-Za-z0-9._~-]+\.html)?$")


def _check_aliases(post: PostSource) -> None:
    """Former addresses: paths on this site, as a browser shows them (``/aktuelles/2022/x/``)."""
    kept = []
    for alias in post.meta.get("aliases", []):
        if "://" in alias or alias.startswith("//"):
            post.report("aliases", f"„{alias}“ ist eine Adresse auf einer anderen Website",
                        "nenne nur den Pfad auf dieser Website, z. B. „/aktuelles/2022/alter-titel/“")
        elif not _ADDRESS.fullmatch(alias) or "/../" in alias or "/./" in alias:
            post.report("aliases", f"„{alias}“ ist keine Adresse dieser Website",
                        "schreibe sie mit „/“ am Anfang und am Ende, z. B. „/aktuelles/2022/alter-titel/“")
        else:
            kept.append(alias.lstrip("/"))
    if "aliases" in post.meta:
        post.meta["aliases"] = kept


def _check_tags(post: PostSource) -> None:
    """A tag has a page of its own (/themen/<slug>/): one of emoji or punctuation only has none."""
    kept = []
    for tag in post.meta.get("tags", []):
        if german_slug(tag):
            kept.append(tag)
        else:
            post.report("tags", f"Schlagwort „{tag}“ ergibt keine Adresse",
                        "verwende ein Schlagwort mit Buchstaben oder Ziffern")
    if "tags" in post.meta:
        post.meta["tags"] = kept


def _check_meaning(post: PostSource) -> None:
    """Values of the right type that still cannot be meant."""
    meta = post.meta
    if "lang" in meta and not _LANGUAGE_TAG.fullmatch(meta["lang"]):
        post.report("lang", f"„{meta['lang']}“ ist kein Sprachkürzel", "z. B. „de“ oder „en“ (BCP 47)")
        meta.pop("lang")
    if isinstance(meta.get("modified"), datetime) and isinstance(meta.get("date"), datetime) \
            and meta["modified"] < meta["date"]:
        post.report("modified", "„Geändert am“ liegt vor „Veröffentlicht am“",
                    "das Änderungsdatum ist das spätere; sonst „modified“ weglassen")
        meta.pop("modified")


def _check_choices(post: PostSource, schema: dict[str, FieldSpec]) -> None:
    meta = post.meta
    if "status" in meta and meta["status"] not in schema["status"].choices:
        if schema is BY_NAME:
            post.report("status", f"unbekannter Status „{meta['status']}“",
                        "schreibe „draft“ (Entwurf), „published“ (veröffentlicht) oder „withdrawn“ "
                        "(zurückgezogen)")
            meta["status"] = "draft"  # never publish what the editor may not have meant to
        else:
            guess = closest(str(meta["status"]), schema["status"].choices)
            post.report("status", f"unbekannter Stand „{meta['status']}“",
                        f"meintest du „{guess}“?" if guess else
                        f"wähle einen von: {', '.join(schema['status'].choices)}")
            meta.pop("status")
    if "registration" in meta and meta["registration"] not in schema["registration"].choices:
        post.report("registration", f"unbekannte Art der Anmeldung „{meta['registration']}“",
                    f"wähle eine von: {', '.join(schema['registration'].choices)}")
        meta.pop("registration")
    for name in ("newsletter", "example"):
        if name in meta and not isinstance(meta[name], bool):
            post.report(name, f"„{name}“ muss true oder false sein, nicht „{meta[name]}“",
                        f"schreibe „{name}: true“ oder „{name}: false“")
            meta[name] = name == "example"  # when in doubt: not sent, still marked as example
    if "legal_section" in meta and meta["legal_section"] not in BY_NAME["legal_section"].choices:
        post.report("legal_section", f"unbekannter Abschnitt „{meta['legal_section']}“",
                    f"wähle einen von: {', '.join(BY_NAME['legal_section'].choices)}")
        meta.pop("legal_section")


def _check_measures(post: PostSource, value: Any, programme: Programme) -> list[str]:
    values = value if isinstance(value, list) else [value]
    slugs: list[str] = []
    for item in values:
        slug = str(item).strip()
        if programme.measure(slug):
            slugs.append(slug)
            continue
        if slug in programme.flawed_measures:  # its definition is reported already
            continue
        cluster = programme.cluster(slug)
        if cluster is not None:
            post.report("measure", f"„{slug}“ ist ein Cluster, keine Maßnahme",
                        f"wähle eine seiner Maßnahmen: {', '.join(m.slug for m in cluster.measures)}")
            continue
        guess = closest_measure(programme, slug)
        fix = f"meintest du „{guess}“?" if guess else \
            f"wähle eine von: {', '.join(m.slug for m in programme.measures)}"
        post.report("measure", f"unbekannte Maßnahme „{slug}“", fix)
    return slugs


def _as_list(post: PostSource, name: str, value: Any) -> list[str]:
    if isinstance(value, str):
        items = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        items = [str(v) for v in value if str(v).strip()]
    else:
        post.report(name, f"Feld „{name}“ muss eine Liste sein",
                    f"schreibe „{name}: [Erstes, Zweites]“ oder durch Kommas getrennt")
        return []
    kept = []
    for item in items:
        problem = invisible_problem(item)
        if problem:
            post.report(name, f"Eintrag „{one_line(item)[:40]}“ in „{name}“ enthält ein {problem}",
                        INVISIBLE_FIX)
        else:
            kept.append(one_line(item))
    return kept


def _check_image(post: PostSource, meta: dict[str, Any], content_root: str) -> None:
    image = meta.get("image")
    if image is None:
        if meta.get("image_alt"):
            post.report("image_alt", "Alternativtext ohne Bild",
                        "ergänze „image: …“ oder entferne „image_alt“")
        return
    if not isinstance(image, str) or not image.strip():
        post.report("image", "Feld „image“ ist leer", "gib den Pfad an oder entferne das Feld")
        meta.pop("image")
        return
    meta["image"] = image = image.strip().lstrip("/")
    if not image.startswith(("http://", "https://")) and not inside(Path(content_root), image):
        if lexically_inside(image):
            # Only a symbolic link leads out: the upload check says so once, at the link itself.
            post.links.append(InternalLink("static", "/" + image, post.line_of("image")))
        else:
            post.report("image", f"Bildpfad „{image}“ zeigt aus dem Inhaltsordner heraus", OUTSIDE_FIX)
        meta.pop("image")
        return
    if not (meta.get("image_alt") or "").strip():
        post.report("image" if "image_alt" not in post.lines else "image_alt",
                    f"Bild „{image}“ hat keinen Alternativtext",
                    "ergänze „image_alt: …“ und beschreibe, was auf dem Bild zu sehen ist")
    if not image.lower().endswith(IMAGE_TYPES):
        post.report("image", f"„{image}“ ist kein Bild", "erlaubt sind Bilder vom Typ "
                    + ", ".join(IMAGE_TYPES) + " unter content/images/")
        meta.pop("image")
        return
    if not image.startswith(("http://", "https://")) and not (Path(content_root) / image).is_file():
        post.report("image", f"Bilddatei „{image}“ gibt es nicht",
                    "lege die Datei unter content/ ab oder korrigiere den Pfad")
    elif image.startswith(("http://", "https://")):
        post.report("image", "Bild von einem fremden Server",
                    "lege das Bild unter content/images/ ab (keine Anfragen an Dritte)")


def _from_content(path: str) -> str:
    """The likely path under content/ of a path written relative to a post."""
    parts = [part for part in path.split("/") if part not in ("", ".", "..")]
    return "/".join(parts[parts.index("images"):] if "images" in parts else parts)


def _scan_body(post: PostSource, body: str, first_line: int) -> None:
    if find_invisible(body):  # in code too: no feed, calendar or PDF can hold these characters
        for offset, line in enumerate(body.split("\n")):
            problem = invisible_problem(line)
            if problem:
                post.report(first_line + offset, f"Text enthält ein {problem}", INVISIBLE_FIX)
    text = prose(body)  # code blocks and spans show as text: nothing in them is checked
    for finding in findings_in_prose(text):
        post.report(first_line + finding.line - 1, finding.message, finding.fix)
    for offset, line in enumerate(text.split("\n")):
        if "[" not in line and "<" not in line and "{" not in line and "|" not in line and "%" not in line:
            continue  # no image, link, HTML or file reference can be on this line
        number = first_line + offset
        for match in _MD_IMAGE.finditer(line):
            if not match["alt"][1:-1].strip():
                post.report(number, f"Bild „{match['src']}“ hat keinen Alternativtext",
                            "schreibe ihn in die eckigen Klammern: ![Was zu sehen ist](…)")
            if _PLAIN_PATH.match(match["src"]):
                post.report(number, f"Bild „{match['src']}“ wird auf der Seite nicht gefunden "
                            "(Pfade im Text gelten ab der Seite, nicht ab content/)",
                            f"schreibe „{{static}}/{_from_content(match['src'])}“")
        for match in _MD_LINK.finditer(line):
            target = match["target"]
            if _PLAIN_PATH.match(target) and target.split("#")[0].endswith((".md", ".markdown")):
                post.report(number, f"Link auf „{target}“ führt auf der Seite ins Leere",
                            f"verweise auf Beiträge mit „{{filename}}{target}“")
        for tag in _HTML_IMG.findall(line):
            if not _HTML_ALT.search(tag):
                post.report(number, "HTML-Bild ohne alt-Attribut",
                            "ergänze alt=\"Was zu sehen ist\" im <img>-Tag")
        for match in INTERNAL_LINK.finditer(line):
            post.links.append(InternalLink(match["what"], match["target"], number))


__all__ = ["ARTICLE", "InternalLink", "PostSource", "read_post", "split_front_matter"]
