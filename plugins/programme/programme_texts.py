"""The programme's own texts in the other language editions: ``programme.<key>.yml`` beside
``programme.yml`` (``programme.en.yml``: English). Only texts, by the same slugs:

    programme: {tagline: …, description: …, motto: …, newsletter_reason: …}
    clusters:  [{slug: kommunikation, title: Communication, description: …}]
    measures:  [{slug: wue-app, title: …, description: …}]

What a file leaves out stays German (and says so on the page). A slug the programme does not
have, a field that is not a text, or a language not offered is refused at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .files import TextProblem, read_text
from .post_source import INVISIBLE_FIX, invisible_problem
from .problems import Problem, display_path
from .programme_values import LENGTH_FIX, kind_of, length_problem
from .suggestions import closest
from .yamlsource import YamlSyntaxProblem, load

FIELDS = {"programme": ("tagline", "description", "motto", "newsletter_reason"),
          "clusters": ("title", "description"), "measures": ("title", "description")}
# Programme texts that programme.yml keeps in another section: why a subscriber gets the email.
ELSEWHERE = {"newsletter_reason": ("newsletter", "reason")}


@dataclass
class Texts:
    """One edition's texts: (kind, slug or "", field) → text; and, per entry (kind, slug or ""),
    the line it starts on and the German text it was made from (``translated_from``)."""

    values: dict[tuple[str, str, str], str] = field(default_factory=dict)
    path: str = ""
    entries: dict[tuple[str, str], int] = field(default_factory=dict)
    recorded: dict[tuple[str, str], str] = field(default_factory=dict)
    nodes: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)  # its place in the YAML


RECORD = "translated_from"


def german_digest(programme: Any, kind: str, slug: str) -> str:
    """What an entry of programme.<key>.yml records as ``translated_from``: the digest of the
    German texts it translates (the programme's tagline, description and motto; a cluster's or
    measure's title and description)."""
    from .editions import original_digest

    if kind == "programme":
        tagline, description, motto, reason = (_german(programme, "programme", name)
                                               for name in FIELDS["programme"])
        # Without a reason the digest is the one made before the reason was translatable.
        return original_digest(tagline, description, f"{motto}\0{reason}" if reason else motto)
    entity = next((e for e in getattr(programme, kind) if e.slug == slug), None)
    return original_digest(getattr(entity, "title", ""), getattr(entity, "description", ""), "")


def outdated_texts(programme: Any) -> list[tuple[str, int, str]]:
    """(file, line, what) for every entry of a programme.<key>.yml made from older German texts
    than programme.yml has now (or not saying which)."""
    found = []
    for texts in programme.texts.values():
        for (kind, slug), line in sorted(texts.entries.items(), key=lambda item: item[1]):
            if texts.recorded.get((kind, slug)) != german_digest(programme, kind, slug):
                found.append((texts.path, line, f"„{slug}“" if slug else "der Programmtexte"))
    return found


def _kind(entity: Any) -> tuple[str, str]:
    name = type(entity).__name__
    return ("clusters" if name == "Cluster" else "measures", str(entity.slug))


def _own(programme: Any, entity: Any, name: str, key: str) -> str | None:
    """Edition ``key``'s own ``name`` of ``entity`` ("programme" for the programme), if any."""
    kind, slug = ("programme", "") if entity == "programme" else _kind(entity)
    texts = programme.texts.get(key)
    return texts.values.get((kind, slug, name)) if texts is not None else None


def _german(programme: Any, entity: Any, name: str) -> str:
    if entity != "programme":
        return str(getattr(entity, name, ""))
    if name in ELSEWHERE:
        section, field_name = ELSEWHERE[name]
        value = programme.data.get(section)
        return str((value.get(field_name) if isinstance(value, dict) else None) or "")
    return str(programme.info.get(name) or "")


def text_in(programme: Any, entity: Any, name: str, key: str) -> Markup:
    """``entity``'s ``name`` (a cluster's or measure's title or description; ``entity`` "programme"
    for the programme's tagline, description, motto) in edition ``key``; where that edition has
    none, the German text, marked as German when the page is in another language."""
    own = _own(programme, entity, name, key)
    if own:
        return Markup(escape(own))
    german, first = _german(programme, entity, name), programme.editions[0]
    if programme.edition(key).lang == first.lang:
        return Markup(escape(german))
    # Its own direction too: on a right-to-left page a German sentence ends on its right.
    return Markup(f'<span lang="{escape(first.lang)}" dir="{escape(first.dir)}">{escape(german)}</span>')


def text_mark(programme: Any, entity: Any, name: str, key: str) -> Markup:
    """The ``lang`` and ``dir`` of an element holding nothing but ``entity``'s ``name`` in edition
    ``key`` (a paragraph: the German text of a page in another language aligns as German);
    nothing where the edition has its own or speaks German."""
    first = programme.editions[0]
    if _own(programme, entity, name, key) or programme.edition(key).lang == first.lang:
        return Markup("")
    return Markup(f' lang="{escape(first.lang)}" dir="{escape(first.dir)}"')


def has_text_in(programme: Any, entity: Any, name: str, key: str) -> bool:
    """Whether edition ``key`` has its own ``name`` of ``entity`` (else the German one shows)."""
    return bool(_own(programme, entity, name, key))


def plain_text_in(programme: Any, entity: Any, name: str, key: str) -> str:
    """The same as text, for attributes and feeds."""
    return _own(programme, entity, name, key) or _german(programme, entity, name)


def read_texts(programme_file: Path, programme: Any) -> tuple[dict[str, Texts], list[Problem]]:
    """Every ``programme.<key>.yml`` beside ``programme_file``, read and checked."""
    found: dict[str, Texts] = {}
    problems: list[Problem] = []
    keys = {e.key for e in programme.editions[1:]}
    slugs = {"clusters": {c.slug for c in programme.clusters},
             "measures": {m.slug for m in programme.measures}}
    stem = programme_file.stem
    for path in sorted(programme_file.parent.glob(f"{stem}.*{programme_file.suffix}")):
        key = path.name[len(stem) + 1:-len(programme_file.suffix)]
        shown = display_path(path)
        if key == programme.editions[0].key:
            problems.append(Problem(shown, 1, f"„{key}“ ist die Sprache von programme.yml selbst",
                                    "schreibe diese Texte in programme.yml; die Datei entfällt"))
            continue
        if key not in keys:
            problems.append(Problem(shown, 1, f"Texte für die Sprache „{key}“, die programme.yml nicht "
                                    "unter „languages:“ führt",
                                    "ergänze sie dort oder benenne die Datei nach einer der Sprachen"))
            continue
        if path.is_symlink() or not path.is_file():  # never read from elsewhere on the machine
            problems.append(Problem(shown, 1, "keine gewöhnliche Datei (ein Verweis/Symlink oder ein Ordner)",
                                    f"lege die Texte als Datei „{path.name}“ neben programme.yml"))
            continue
        try:
            data, lines, _raw = load(read_text(path))
        except TextProblem as error:
            problems.append(Problem(shown, error.line, error.message, error.fix))
            continue
        except YamlSyntaxProblem as error:
            problems.append(Problem(shown, error.line + 1, f"kein gültiges YAML ({error.message})",
                                    error.fix or "prüfe Einrückung und Anführungszeichen"))
            continue
        texts = Texts(path=shown)
        problems += _read(data or {}, lines, shown, slugs, texts)
        found[key] = texts
    return found, problems


def _read(data: Any, lines: dict[Any, int], shown: str, slugs: dict[str, set[str]],
          texts: Texts) -> list[Problem]:
    problems = []

    def report(where: tuple[Any, ...], message: str, fix: str) -> None:
        line = next((lines[where[:end]] for end in range(len(where), 0, -1) if where[:end] in lines), 0)
        problems.append(Problem(shown, line + 1, message, fix))

    if not isinstance(data, dict):
        report((), "erwartet die Abschnitte programme, clusters, measures", "siehe programme.yml")
        return problems
    if "programme" in data and not isinstance(data["programme"], dict):
        report(("programme",), "„programme“ hat keine Texte darunter",
               "schreibe tagline, description oder motto eingerückt darunter")
    for section in sorted(set(data) - set(FIELDS)):
        report((section,), f"unbekannter Abschnitt „{section}“",
               "nur Texte: programme, clusters und measures (Zahlen, Farben, Adressen bleiben "
               "in programme.yml)")
    def line_of(where: tuple[Any, ...]) -> int:
        return next((lines[where[:end]] for end in range(len(where), 0, -1) if where[:end] in lines), 0) + 1

    def recorded(where: tuple[Any, ...], entry: tuple[str, str], value: Any) -> None:
        if isinstance(value, str) and value.strip():
            texts.recorded[entry] = value.strip()
        else:
            report(where, f"„{RECORD}“ ist kein Stand",
                   f"lass es weg; „invoke translated {shown}“ trägt es ein")

    section = data.get("programme")
    if isinstance(section, dict):
        for name, value in section.items():
            if name == RECORD:
                recorded(("programme", name), ("programme", ""), value)
            elif _text(report, ("programme", name), name, value, FIELDS["programme"]):
                texts.values[("programme", "", str(name))] = value.strip()
                texts.entries.setdefault(("programme", ""), line_of(("programme",)))
                texts.nodes[("programme", "")] = ("programme",)
    for kind in ("clusters", "measures"):
        entries = data.get(kind)
        if entries is None:
            continue
        if not isinstance(entries, list):
            report((kind,), f"„{kind}“ ist keine Liste", "schreibe jeden Eintrag als „- slug: …“")
            continue
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            where = (kind, index)
            if not isinstance(entry, dict):
                report(where, f"Eintrag unter „{kind}“ ist kein Block mit „slug:“",
                       "schreibe „- slug: …“ und eingerückt darunter title oder description")
                continue
            slug = str(entry.get("slug", ""))
            if slug in seen:
                report((*where, "slug"), f"„{slug}“ steht zweimal unter „{kind}“ (zuerst Zeile {seen[slug]})",
                       "führe die beiden Einträge zu einem zusammen")
                continue
            seen[slug] = line_of((*where, "slug"))
            if slug not in slugs[kind]:
                guess = closest(slug, slugs[kind])
                report((*where, "slug"), f"„{slug}“ gibt es in programme.yml nicht unter „{kind}“",
                       f"meintest du „{guess}“?" if guess else "nimm den Slug aus programme.yml")
                continue
            for name, value in entry.items():
                if name == RECORD:
                    recorded((*where, name), (kind, slug), value)
                elif name != "slug" and _text(report, (*where, name), name, value, FIELDS[kind]):
                    texts.values[(kind, slug, str(name))] = value.strip()
                    texts.entries.setdefault((kind, slug), line_of((*where, "slug")))
                    texts.nodes[(kind, slug)] = where
    return problems


def _text(report: Any, where: tuple[Any, ...], name: Any, value: Any, allowed: tuple[str, ...]) -> bool:
    if name not in allowed:
        report(where, f"„{name}“ ist hier kein übersetzbarer Text", f"erlaubt sind {', '.join(allowed)}")
        return False
    if value is None or (isinstance(value, str) and not value.strip()):
        report(where, f"„{name}“ ist leer", "schreibe die Übersetzung, oder lass die Zeile weg: dann steht "
               "der deutsche Text da")
        return False
    if not isinstance(value, str):
        report(where, f"„{name}“ ist kein Text", "schreibe den Text in Anführungszeichen")
        return False
    invisible = invisible_problem(value)
    if invisible:
        report(where, invisible, INVISIBLE_FIX)
        return False
    too_long = length_problem(kind_of(where), value)
    if too_long:
        report(where, f"„{name}“ {too_long}", LENGTH_FIX)
        return False
    return True
