"""Read and check the programme data file: clusters, measures, phases, colours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .contrast import contrast_ratio, nearest_passing
from .editions import edition_problems
from .files import TextProblem, read_text
from .licences import LICENCES
from .locations import PROGRAMME_ENV
from .model import GENDERS, WORD_FIELDS, Cluster, Measure, Programme
from .problems import ContentProblemsError, Problem
from .programme_values import (
    COLOUR,
    COLOUR_NAMES,
    COLOUR_SCHEMES,
    PLACEHOLDER_VALUE,
    is_web_address,
    value_problems,
)
from .signup import signup_problems
from .slugs import SLUG_PATTERN
from .suggestions import closest
from .yamlsource import YamlSyntaxProblem, load

# Pairs of design tokens that must reach WCAG AA (4.5:1) for normal text.
CONTRAST_PAIRS = (
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("primary", "background"),
    ("primary_text", "primary"),
    ("accent", "background"),
    ("focus", "background"),
)


Lines = dict[tuple[Any, ...], int]


class _Report:
    """Collects problems of the programme file, each at the line of the key it is about."""

    def __init__(self, source: str, lines: Lines) -> None:
        self.source, self.lines, self.problems = source, lines, list[Problem]()

    def __call__(self, key_path: tuple[Any, ...], message: str, fix: str) -> None:
        line = self.lines.get(key_path, self.lines.get(key_path[:-1], 0)) + 1
        self.problems.append(Problem(self.source, line, message, fix))


@dataclass(frozen=True)
class ProgrammeReading:
    """The programme data as far as it could be read, and every problem found in it.

    ``programme`` is None only when nothing usable is there (no file, broken YAML, no
    ``programme:`` section); otherwise the content is still checked against it, so an
    adopter sees programme and content problems in one run.
    """

    programme: Programme | None
    problems: list[Problem]


def read_programme(path: str | Path) -> ProgrammeReading:
    """Read and check the programme data file; never raises for mistakes in it."""
    source = str(path)
    if Path(path).is_symlink():  # never read (nor shown in pages) from elsewhere on the machine
        return ProgrammeReading(None, [Problem(source, 1, "Programmdaten sind ein Verweis (Symlink), keine "
                                               "Datei", "lege programme.yml selbst in den Inhaltsordner")])
    if not Path(path).is_file():
        problem = Problem(source, 1, "Programmdaten nicht lesbar (Datei fehlt)",
                          f"lege die Datei an oder setze {PROGRAMME_ENV} auf ihren Pfad")
        return ProgrammeReading(None, [problem])
    try:
        text = read_text(Path(path))
    except TextProblem as error:
        return ProgrammeReading(None, [Problem(source, error.line, error.message, error.fix)])
    try:
        data, lines, _raw = load(text)
    except YamlSyntaxProblem as error:
        problem = Problem(source, error.line + 1, f"kein gültiges YAML: {error.message}",
                          error.fix or "prüfe Einrückung und Anführungszeichen")
        return ProgrammeReading(None, [problem])
    report = _Report(source, lines)
    if not isinstance(data, dict) or not isinstance(data.get("programme"), dict):
        report((), "Abschnitt „programme“ fehlt", "beginne die Datei mit „programme:“ und „name:“")
        return ProgrammeReading(None, report.problems)
    if not data["programme"].get("name"):
        report(("programme",), "Programmname fehlt", "setze programme.name")
        # Reported; the content is still judged against the rest, which may print the name.
        data["programme"]["name"] = "[PLATZHALTER: Programmname]"
    _check_required(data, report)
    clusters = _clusters(data, report)
    measures, flawed = _measures(data, clusters, report)
    _check_feeds(data, report)
    _check_open_data(data, report)
    for where, message, fix in edition_problems(data, str((data.get("programme") or {}).get("lang") or "de")):
        report(where, message, fix)
    written = data.get("languages")
    keys = [str(item.get("key")) for item in (written if isinstance(written, list) else [])
            if isinstance(item, dict)] or ["de"]
    for where, message, fix in signup_problems(data, keys):
        report(where, message, fix)
    report.problems.extend(value_problems(data, lines, source))
    report.problems.extend(_check_colours(data, lines, source))
    programme = Programme(source, data, clusters, measures, lines, flawed_measures=frozenset(flawed))
    return ProgrammeReading(programme, report.problems)


# What every site needs (the pages, the newsletter and the legal pages show each of these). The
# other sections (cms, languages, sign_language, events, design, phases) may be left out.
REQUIRED: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("newsletter", "feeds", "legal"),
    ("newsletter",): ("title", "key_prefix", "from_name", "from_email", "reason", "signup"),
    ("newsletter", "signup"): ("provider", "action", "lists"),
    ("legal",): ("provider", "editorial_responsibility", "data_protection_officer",
                 "supervisory_authority", "security_contact", "hosting", "accessibility"),
    ("legal", "provider"): ("name", "address", "represented_by", "email", "phone"),
    ("legal", "data_protection_officer"): ("name", "email"),
    ("legal", "supervisory_authority"): ("name", "url"),
}


def _check_required(data: dict[str, Any], report: _Report) -> None:
    """One problem per missing section or entry, at the line of the section that lacks it (a
    missing one used to stop the build with a Python error)."""
    for where, keys in REQUIRED.items():
        section: Any = data
        for part in where:
            section = section.get(part) if isinstance(section, dict) else None
        if section is None and where:
            continue  # the missing section itself is reported once, by its parent
        if not isinstance(section, dict):
            report(where, f"„{'.'.join(where)}“ hat keine Einträge",
                   "schreibe die Angaben eingerückt darunter (siehe content/programme.yml)")
            continue
        for key in keys:
            if key not in section or section[key] is None:
                shown = ".".join((*where, key))
                report(where, f"Angabe „{shown}“ fehlt",
                       "trage sie ein (zum Bauen genügt ein „[PLATZHALTER: …]“, zum Veröffentlichen "
                       "nicht); Muster: content/programme.yml")


def load_programme(path: str | Path) -> Programme:
    """Read and check the programme data file; raise ContentProblemsError if wrong."""
    reading = read_programme(path)
    if reading.problems or reading.programme is None:
        raise ContentProblemsError(reading.problems)
    return reading.programme


def _entries(data: dict[str, Any], section: str, report: _Report) -> list[dict[str, Any]]:
    """The entries of a list section; an entry that is not a block of fields is reported (and
    left out, so its position still names its line)."""
    value = data.get(section) or []
    if not isinstance(value, list):
        report((section,), f"„{section}“ ist keine Liste", "schreibe jeden Eintrag als „- slug: …“")
        return []
    entries = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            entries.append(item)
        else:
            report((section, index), f"Eintrag {index + 1} in „{section}“ hat keine Felder",
                   "schreibe ihn als „- slug: …“ mit title, … darunter")
            entries.append({"slug": ""})
    return entries


def _clusters(data: dict[str, Any], report: _Report) -> list[Cluster]:
    word = (data.get("programme") or {}).get("cluster_word")
    if word is not None and not isinstance(word, dict):
        report(("programme", "cluster_word"), "erwartet die Formen des Worts (singular, plural, …)",
               "siehe den Kommentar über „cluster_word:“ in programme.yml")
    elif isinstance(word, dict):
        for key in sorted(set(word) - set(WORD_FIELDS)):
            report(("programme", "cluster_word", key), f"unbekannte Angabe „{key}“",
                   f"erlaubt sind {', '.join(WORD_FIELDS)}")
        if "gender" in word and str(word["gender"]).strip() not in GENDERS:
            report(("programme", "cluster_word", "gender"), f"Geschlecht „{word['gender']}“ unbekannt",
                   "m (der Cluster), f (die Gruppe) oder n (das Handlungsfeld)")
    clusters: list[Cluster] = []
    for index, item in enumerate(_entries(data, "clusters", report)):
        slug = str(item.get("slug", ""))
        if not SLUG_PATTERN.fullmatch(slug):
            report(("clusters", index, "slug"), f"ungültiger Cluster-Slug „{slug}“",
                   "nur Kleinbuchstaben, Ziffern und Bindestriche")
        if any(c.slug == slug for c in clusters):
            report(("clusters", index, "slug"), f"Cluster „{slug}“ doppelt", "jeder Slug nur einmal")
        clusters.append(Cluster(slug, str(item.get("title", slug)), str(item.get("description", ""))))
    if not clusters:
        report(("clusters",), "keine Cluster definiert", "lege unter „clusters:“ mindestens einen an")
    return clusters


def _measures(data: dict[str, Any], clusters: list[Cluster], report: _Report
              ) -> tuple[list[Measure], set[str]]:
    """The usable measures, and the slugs of those defined with a mistake (already reported:
    a post naming one must not be told a second time that the measure is unknown)."""
    phases = data.get("phases") or {}
    measures: list[Measure] = []
    flawed: set[str] = set()
    for index, item in enumerate(_entries(data, "measures", report)):
        slug = str(item.get("slug", ""))
        here = ("measures", index)
        if not SLUG_PATTERN.fullmatch(slug):
            report((*here, "slug"), f"ungültiger Maßnahmen-Slug „{slug}“",
                   "nur Kleinbuchstaben, Ziffern und Bindestriche")
        if any(m.slug == slug for m in measures):
            report((*here, "slug"), f"Maßnahme „{slug}“ doppelt", "jeder Slug nur einmal")
        cluster = next((c for c in clusters if c.slug == item.get("cluster")), None)
        if cluster is None:
            names = ", ".join(c.slug for c in clusters)
            report((*here, "cluster"), f"Maßnahme „{slug}“ nennt unbekannten Cluster "
                   f"„{item.get('cluster')}“", f"wähle einen von: {names}")
            flawed.add(slug)
            continue
        phase = str(item.get("phase", ""))
        if phases and phase not in phases:
            report((*here, "phase"), f"unbekannte Phase „{phase}“",
                   f"wähle eine von: {', '.join(phases)}")
        measure = Measure(slug, str(item.get("title", slug)), cluster, phase,
                          str(phases.get(phase, phase)), str(item.get("description", "")),
                          dict(item.get("contact") or {}))
        measures.append(measure)
        cluster.measures.append(measure)
    if not measures:
        report(("measures",), "keine Maßnahmen definiert", "lege unter „measures:“ Maßnahmen an")
    return measures, flawed


# RFC 4151: the authority of a tag URI is a domain name (or an e-mail address), the date one
# on which the authority was held, as YYYY, YYYY-MM or YYYY-MM-DD.
_AUTHORITY = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_TAG_DATE = re.compile(r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _check_feeds(data: dict[str, Any], report: _Report) -> None:
    """Feed entry ids and calendar UIDs are made from these two values, forever."""
    feeds = data.get("feeds")
    if not isinstance(feeds, dict):
        return  # reported once as missing (_check_required)
    authority, since = str(feeds.get("id_authority") or ""), str(feeds.get("id_since") or "")
    keep = "und ändere ihn nie mehr: Feedreader und Kalender erkennen Einträge daran wieder"
    if not _AUTHORITY.match(authority):
        report(("feeds", "id_authority"), f"feeds.id_authority „{authority}“ ist kein Domainname",
               "setze den Namen oder die Domain des Programms in Kleinbuchstaben, "
               f"z. B. „musterstadt.digital“, {keep}")
    if not _TAG_DATE.match(since):
        report(("feeds", "id_since"), f"feeds.id_since „{since}“ ist kein Jahr",
               f"setze das Startjahr des Programms, z. B. „2024“, {keep}")


OPEN_DATA = ("licence", "publisher", "publisher_url", "contact_email")


def _check_open_data(data: dict[str, Any], report: _Report) -> None:
    """``open_data:`` (optional): whose the data catalogue is and under which licence. The kinds
    of the values (web and e-mail addresses, one line) are judged with every other value."""
    if "open_data" not in data:
        return
    section = data["open_data"]
    if not isinstance(section, dict):
        report(("open_data",), "„open_data“ hat keine Einträge",
               f"schreibe {', '.join(OPEN_DATA)} eingerückt darunter (Muster: content/programme.yml)")
        return
    for key in section:
        if key not in OPEN_DATA:
            guess = closest(str(key), OPEN_DATA)
            report(("open_data", key), f"unbekannte Angabe „open_data.{key}“",
                   f"meintest du „{guess}“?" if guess else f"erlaubt sind: {', '.join(OPEN_DATA)}")
    for key in OPEN_DATA:
        if not section.get(key):
            report(("open_data",), f"Angabe „open_data.{key}“ fehlt",
                   "trage sie ein (zum Bauen genügt ein „[PLATZHALTER: …]“, zum Veröffentlichen nicht)")
        elif not isinstance(section[key], str):
            report(("open_data", key), f"„open_data.{key}“ ist kein Text", "schreibe eine Zeile Text")
    address = section.get("publisher_url")
    # Not a web address at all: value_problems says so, once.
    if (isinstance(address, str) and not PLACEHOLDER_VALUE.fullmatch(address)
            and is_web_address(address.strip())):
        host = urlsplit(address.strip()).hostname or ""
        if not re.fullmatch(r"(?=.*[a-z])[a-z0-9.-]+\.[a-z0-9-]+", host):
            report(("open_data", "publisher_url"), f"„{address}“ nennt keinen Rechnernamen",
                   "schreibe die Adresse der Stelle mit ihrem Namen, z. B. https://www.wuerzburg.de/")
    licence = str(section.get("licence") or "")
    if licence and not PLACEHOLDER_VALUE.fullmatch(licence) and licence not in LICENCES:
        guess = closest(licence, list(LICENCES))
        report(("open_data", "licence"), f"„{licence}“ ist keine Lizenz aus DCAT-AP.de",
               f"meintest du „{guess}“?" if guess else
               "wähle eine Kennung von http://dcat-ap.de/def/licenses/, "
               "z. B. „dl-by-de/2.0“ oder „cc-by/4.0“")


def _check_colours(data: dict[str, Any], lines: Lines, source: str) -> list[Problem]:
    problems: list[Problem] = []
    design = data.get("design")
    schemes = design.get("colors") if isinstance(design, dict) else None
    if not isinstance(schemes, dict):
        return problems
    for scheme, colours in schemes.items():
        if scheme not in COLOUR_SCHEMES:
            guess = closest(str(scheme), list(COLOUR_SCHEMES))
            problems.append(Problem(source, lines.get(("design", "colors", scheme), 0) + 1,
                                    f"design.colors: Farbschema „{str(scheme)[:40]}“ gibt es nicht",
                                    f"meintest du „{guess}“?" if guess else "nur „light“ und „dark“"))
            continue
        if not isinstance(colours, dict):
            continue
        for name in colours:
            if name not in COLOUR_NAMES:
                guess = closest(str(name), list(COLOUR_NAMES))
                problems.append(Problem(
                    source, lines.get(("design", "colors", scheme, name), 0) + 1,
                    f"design.colors.{scheme}: Farbe „{str(name)[:40]}“ verwendet das Design nicht",
                    f"meintest du „{guess}“?" if guess else "möglich sind " + ", ".join(COLOUR_NAMES)))
        for fore, back in CONTRAST_PAIRS:
            if fore not in colours or back not in colours:
                continue
            if not all(COLOUR.fullmatch(str(colours[name]).strip()) for name in (fore, back)):
                continue  # not a colour: said once, by value_problems
            ratio = contrast_ratio(colours[fore], colours[back])
            if ratio < 4.5:
                line = lines.get(("design", "colors", scheme, fore), 0) + 1
                passing = nearest_passing(colours[fore], colours[back])
                fix = (f"nimm z. B. {passing} (die nächste Farbe mit mindestens 4.5:1 auf "
                       f"{str(colours[back]).strip()}, WCAG AA)" if passing else
                       "wähle Farben mit mindestens 4.5:1 (WCAG AA)")
                problems.append(Problem(
                    source, line,
                    f"Kontrast {scheme}.{fore} auf {scheme}.{back} ist nur {ratio:.2f}:1", fix))
    return problems
