"""The programme registry: programme, clusters and measures from one data file."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .contrast import contrast_ratio
from .problems import ContentProblemsError, Problem
from .yamlsource import YamlSyntaxProblem, load

PLACEHOLDER = "PLATZHALTER"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


@dataclass(eq=False)
class Cluster:
    """A group of measures (Handlungsfeld)."""

    slug: str
    title: str
    description: str
    measures: list[Measure] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"cluster/{self.slug}/"


@dataclass(eq=False)
class Measure:
    """One of the programme's measures (Maßnahme); posts name it by slug."""

    slug: str
    title: str
    cluster: Cluster
    phase: str
    phase_title: str
    description: str
    contact: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"massnahmen/{self.slug}/"


@dataclass(eq=False)
class Programme:
    """Everything the renderers know about the programme besides the posts."""

    source: str
    data: dict[str, Any]
    clusters: list[Cluster]
    measures: list[Measure]
    lines: dict[tuple, int]
    # Filled per build by the enrichment step; renderers read, never recompute.
    updates_by_measure: dict[str, list] = field(default_factory=dict)
    updates_by_cluster: dict[str, list] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.data["programme"]["name"]

    @property
    def info(self) -> dict[str, Any]:
        return self.data["programme"]

    @property
    def legal(self) -> dict[str, Any]:
        return self.data.get("legal", {})

    @property
    def design(self) -> dict[str, Any]:
        return self.data.get("design", {})

    def __post_init__(self) -> None:
        # Looked up for every post several times per build: index once.
        self._by_slug = {m.slug: m for m in self.measures}

    def measure(self, slug: str) -> Measure | None:
        return self._by_slug.get(slug)

    def cluster(self, slug: str) -> Cluster | None:
        return next((c for c in self.clusters if c.slug == slug), None)

    def suggest_measure(self, wrong: str) -> str | None:
        """The measure slug an editor most likely meant by ``wrong``."""
        candidates = {m.slug: m.slug for m in self.measures}
        candidates.update({m.title.lower(): m.slug for m in self.measures})
        key = str(wrong).strip().lower()
        key_slug = re.sub(r"[^a-z0-9]+", "-", key.replace("ü", "ue")).strip("-")
        for probe in (key, key_slug):
            if probe in candidates:
                return candidates[probe]
            close = difflib.get_close_matches(probe, list(candidates), n=1, cutoff=0.6)
            if close:
                return candidates[close[0]]
        return None

    def placeholders(self) -> list[Problem]:
        """Every value still marked as a placeholder, as publish-blocking problems."""
        found: list[Problem] = []

        def visit(value: Any, path: tuple) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    visit(item, (*path, key))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    visit(item, (*path, index))
            elif isinstance(value, str) and PLACEHOLDER in value:
                found.append(
                    Problem(
                        self.source,
                        self.lines.get(path, 0) + 1,
                        f"Platzhalter in {'.'.join(map(str, path))}: {value}",
                        "trage die echte Angabe ein",
                    )
                )

        visit(self.data, ())
        return found


def load_programme(path: str | Path) -> Programme:
    """Read and check the programme data file; raise ContentProblemsError if wrong."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        problem = Problem(source, 1, f"Programmdaten nicht lesbar ({error.strerror})",
                          "lege die Datei an oder setze PROGRAMME_FILE")
        raise ContentProblemsError([problem]) from None
    try:
        data, lines, _raw = load(text)
    except YamlSyntaxProblem as error:
        problem = Problem(source, error.line + 1, f"kein gültiges YAML: {error.message}",
                          "prüfe Einrückung und Anführungszeichen")
        raise ContentProblemsError([problem]) from None
    problems: list[Problem] = []

    def report(key_path: tuple, message: str, fix: str) -> None:
        line = lines.get(key_path, lines.get(key_path[:-1], 0)) + 1
        problems.append(Problem(source, line, message, fix))

    if not isinstance(data, dict) or not isinstance(data.get("programme"), dict):
        report((), "Abschnitt „programme“ fehlt", "beginne die Datei mit „programme:“ und „name:“")
        raise ContentProblemsError(problems)
    if not data["programme"].get("name"):
        report(("programme",), "Programmname fehlt", "setze programme.name")
    phases = data.get("phases") or {}
    clusters: list[Cluster] = []
    for index, item in enumerate(data.get("clusters") or []):
        slug = str(item.get("slug", ""))
        if not _SLUG.match(slug):
            report(("clusters", index, "slug"), f"ungültiger Cluster-Slug „{slug}“",
                   "nur Kleinbuchstaben, Ziffern und Bindestriche")
        if any(c.slug == slug for c in clusters):
            report(("clusters", index, "slug"), f"Cluster „{slug}“ doppelt", "jeder Slug nur einmal")
        clusters.append(Cluster(slug, str(item.get("title", slug)), str(item.get("description", ""))))
    if not clusters:
        report(("clusters",), "keine Cluster definiert", "lege unter „clusters:“ mindestens einen an")
    measures: list[Measure] = []
    for index, item in enumerate(data.get("measures") or []):
        slug = str(item.get("slug", ""))
        here = ("measures", index)
        if not _SLUG.match(slug):
            report((*here, "slug"), f"ungültiger Maßnahmen-Slug „{slug}“",
                   "nur Kleinbuchstaben, Ziffern und Bindestriche")
        if any(m.slug == slug for m in measures):
            report((*here, "slug"), f"Maßnahme „{slug}“ doppelt", "jeder Slug nur einmal")
        cluster = next((c for c in clusters if c.slug == item.get("cluster")), None)
        if cluster is None:
            names = ", ".join(c.slug for c in clusters)
            report((*here, "cluster"), f"Maßnahme „{slug}“ nennt unbekannten Cluster "
                   f"„{item.get('cluster')}“", f"wähle einen von: {names}")
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
    problems.extend(_check_colours(data, lines, source))
    if problems:
        raise ContentProblemsError(problems)
    return Programme(source, data, clusters, measures, lines)


def _check_colours(data: dict[str, Any], lines: dict[tuple, int], source: str) -> list[Problem]:
    problems = []
    schemes = (data.get("design") or {}).get("colors") or {}
    for scheme, colours in schemes.items():
        for fore, back in CONTRAST_PAIRS:
            if fore not in colours or back not in colours:
                continue
            try:
                ratio = contrast_ratio(colours[fore], colours[back])
            except ValueError:
                bad = fore if not str(colours[fore]).startswith("#") else back
                line = lines.get(("design", "colors", scheme, bad), 0) + 1
                problems.append(Problem(source, line, f"Farbe {scheme}.{bad} ist kein #rrggbb-Wert",
                                        "schreibe die Farbe als „#005a8c“"))
                continue
            if ratio < 4.5:
                line = lines.get(("design", "colors", scheme, fore), 0) + 1
                problems.append(Problem(
                    source, line,
                    f"Kontrast {scheme}.{fore} auf {scheme}.{back} ist nur {ratio:.2f}:1",
                    "wähle Farben mit mindestens 4.5:1 (WCAG AA)"))
    return problems
