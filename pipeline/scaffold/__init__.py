"""`invoke new-site`: a complete, valid content folder for another municipality's programme.

The folder builds and passes the gate as written: neutral sample texts that name the new
programme, every fact only the adopter knows as a marked placeholder (publishing refuses
them), a placeholder logo, one welcome post and one sample event marked as example. Outside
the folder it adds a pre-commit hook that checks the folder and points both CI pipelines at
it (SLS_CONTENT), and reports exactly those files.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape as xml_escape

import yaml

from plugins.programme.slugs import german_slug
from plugins.programme.tree import build_clock

TEXTS = Path(__file__).resolve().parent / "texts"
PAGES = ("ueber-das-programm", "impressum", "datenschutz", "barrierefreiheit", "leichte-sprache",
         "gebaerdensprache")
PRE_COMMIT = ".pre-commit-config.yaml"
GITLAB_CI = ".gitlab-ci.yml"
GITHUB_CI = ".github/workflows/site.yml"


# The project's own folders (code, tests, tools, what builds and installs write): never a site's.
PROJECT_FOLDERS = frozenset({"benchmarks", "checks", "docs", "node_modules", "output", "pipeline", "plugins",
                             "preview", "reports", "stadt_land_smart_publishing.egg-info", "tests", "theme"})
MAX_NAME, MAX_FOLDER = 60, 120  # a folder's name, and the whole path: they end up in addresses


def _ignored(repository: Path, relative: str) -> bool:
    """Whether git ignores ``relative`` (a build's output, a cache): nothing written there is
    committed, so the browser editor and the pipelines would never see the site."""
    try:
        done = subprocess.run(["git", "-C", str(repository), "check-ignore", "-q", "--no-index", relative],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False  # no git here: the folder rules above still apply
    return done.returncode == 0


class ScaffoldError(Exception):
    """A wrong answer or a folder that cannot be written; the message is for the adopter."""


@dataclass(frozen=True)
class ClusterAnswer:
    title: str
    measures: tuple[str, ...]


@dataclass(frozen=True)
class Answers:
    """What a new programme must say about itself before anything can be built."""

    name: str
    clusters: tuple[ClusterAnswer, ...]
    owner: str = ""  # the body running it, e.g. "Gemeinde Beispielhausen"

    @classmethod
    def from_file(cls, path: Path) -> Answers:
        """A small YAML file: ``name``, optional ``owner``, ``clusters`` with ``title`` and
        ``measures`` (a list of titles)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ScaffoldError(f"{path}: Antwortdatei nicht lesbar ({error})") from None
        if not isinstance(data, dict):
            raise ScaffoldError(f"{path}: erwartet „name:“ und „clusters:“")
        clusters = []
        for item in data.get("clusters") or []:
            if not isinstance(item, dict):
                raise ScaffoldError(f"{path}: jeder Cluster braucht „title:“ und „measures:“")
            clusters.append(ClusterAnswer(str(item.get("title") or "").strip(),
                                          tuple(str(m).strip() for m in item.get("measures") or [])))
        return cls(str(data.get("name") or "").strip(), tuple(clusters),
                   str(data.get("owner") or "").strip()).checked()

    @classmethod
    def from_options(cls, name: str, clusters: list[str], owner: str = "") -> Answers:
        """``--cluster "Mobilität: Rufbus, Mitfahrbank"`` once per cluster."""
        parsed = []
        for option in clusters:
            title, _, measures = option.partition(":")
            parsed.append(ClusterAnswer(title.strip(), tuple(m.strip() for m in measures.split(",")
                                                             if m.strip())))
        return cls(name.strip(), tuple(parsed), owner.strip()).checked()

    @classmethod
    def ask(cls, ask: Callable[[str], str]) -> Answers:
        """Interactively: the name, then clusters and their measures until an empty line."""
        name = ask("Name des Programms (z. B. beispielhausen.vernetzt): ").strip()
        owner = ask("Wer trägt das Programm (z. B. Gemeinde Beispielhausen; leer = später): ").strip()
        clusters: list[ClusterAnswer] = []
        while True:
            title = ask(f"Cluster {len(clusters) + 1} (Handlungsfeld; leer = fertig): ").strip()
            if not title:
                break
            measures = ask(f"Maßnahmen in „{title}“ (durch Kommas getrennt): ")
            clusters.append(ClusterAnswer(title, tuple(m.strip() for m in measures.split(",") if m.strip())))
        return cls(name, tuple(clusters), owner).checked()

    def checked(self) -> Answers:
        problems = []
        if not self.name:
            problems.append("der Name des Programms fehlt — z. B. --name \"beispielhausen.vernetzt\"")
        if not self.clusters:
            problems.append("kein Cluster angegeben — z. B. --cluster \"Mobilität: Rufbus, Mitfahrbank\"")
        for cluster in self.clusters:
            if not cluster.title:
                problems.append("ein Cluster hat keinen Titel — schreibe „Titel: Maßnahme, Maßnahme“")
            elif not cluster.measures:
                problems.append(f"Cluster „{cluster.title}“ hat keine Maßnahme — nenne mindestens eine")
            if cluster.title and not german_slug(cluster.title):
                problems.append(f"aus „{cluster.title}“ lässt sich keine Adresse bilden — "
                                "nimm einen Titel mit Buchstaben oder Ziffern")
            problems += [f"aus „{m}“ lässt sich keine Adresse bilden — nimm einen Titel mit Buchstaben "
                         "oder Ziffern" for m in cluster.measures if not german_slug(m)]
        if problems:
            raise ScaffoldError("\n".join(problems))
        return self


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    cluster: str


def _structure(answers: Answers) -> tuple[list[dict], list[Measure]]:
    """Clusters and measures with unique slugs (a measure never shares a cluster's slug)."""
    taken: set[str] = set()
    clusters, measures = [], []
    for cluster in answers.clusters:
        slug = _unique(german_slug(cluster.title), taken)
        clusters.append({"slug": slug, "title": cluster.title})
        measures += [Measure("", title, slug) for title in cluster.measures]
    measures = [Measure(_unique(german_slug(m.title), taken), m.title, m.cluster) for m in measures]
    return clusters, measures


def _q(value: str) -> str:
    """A YAML scalar that stays text (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _yaml_structure(clusters: list[dict], measures: list[Measure]) -> str:
    lines = ["clusters:"]
    for cluster in clusters:
        lines += [f"  - slug: {cluster['slug']}", f"    title: {_q(cluster['title'])}",
                  "    description: \"[PLATZHALTER: Worum es in diesem Handlungsfeld geht]\""]
    lines += ["", "measures:"]
    for measure in measures:
        lines += [f"  - slug: {measure.slug}", f"    title: {_q(measure.title)}",
                  f"    cluster: {measure.cluster}", "    phase: idee",
                  "    description: \"[PLATZHALTER: Was die Maßnahme erreichen soll und wie]\""]
    return "\n".join(lines) + "\n"


def _table(clusters: list[dict], measures: list[Measure]) -> str:
    rows = ["| Handlungsfeld | Maßnahmen |", "|---|---|"]
    for cluster in clusters:
        names = ", ".join(m.title.replace("|", "/") for m in measures if m.cluster == cluster["slug"])
        rows.append(f"| {cluster['title'].replace('|', '/')} | {names} |")
    return "\n".join(rows)


def _in_yaml_string(value: str) -> str:
    """Inside a double-quoted YAML scalar (the front matter of the sample texts)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _in_markdown(value: str) -> str:
    """As text in a Markdown body: no HTML, no emphasis or link brackets from a name (a
    placeholder of the scaffold's own stays as it is, so that the page marks it)."""
    if re.fullmatch(r"\[PLATZHALTER: [^\]]*\]", value):
        return value
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(value, quote=False))


NUMBERS = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
           "elf", "zwölf")


def _count(number: int, one: str, many: str) -> str:
    """``one`` (with its article: "eine Maßnahme") or the number and ``many``, in words up to
    twelve as German style asks ("fünf Maßnahmen", "13 Maßnahmen")."""
    if number == 1:
        return one
    return f"{NUMBERS[number] if number < len(NUMBERS) else number} {many}"


@dataclass(frozen=True)
class Grammar:
    """How a name is said inside a sentence: a name that starts with the kind of body it is
    ("Markt Beispielheim", "Gemeinde Musterdorf") takes that word's article and case; any
    other name is a programme's proper name and takes none."""

    nominative: str  # "der Markt Beispielheim"
    accusative: str  # "den Markt Beispielheim"
    dative: str  # "dem Markt Beispielheim"
    of: str  # "des Marktes Beispielheim" / "von Musterstadt vernetzt"
    at: str  # "beim Markt Beispielheim" / "bei der Gemeinde Musterdorf" / "bei Musterstadt"
    pronoun: str  # "er" / "sie" / "es"
    possessive: str  # "seine" / "ihre"

    @property
    def starting(self) -> str:
        """The nominative at the start of a sentence."""
        return self.nominative[:1].upper() + self.nominative[1:]


# Kinds of public bodies: grammatical gender and the word's genitive.
BODIES = {"Stadt": ("f", "Stadt"), "Gemeinde": ("f", "Gemeinde"), "Marktgemeinde": ("f", "Marktgemeinde"),
          "Verwaltungsgemeinschaft": ("f", "Verwaltungsgemeinschaft"), "Kommune": ("f", "Kommune"),
          "Region": ("f", "Region"), "Große": ("f", "Großen"), "Markt": ("m", "Marktes"),
          "Landkreis": ("m", "Landkreises"), "Kreis": ("m", "Kreises"), "Bezirk": ("m", "Bezirks"),
          "Verbund": ("m", "Verbunds"), "Zweckverband": ("m", "Zweckverbands"), "Amt": ("n", "Amtes")}
ARTICLES = {"f": ("die", "die", "der", "der"), "m": ("der", "den", "dem", "des"),
            "n": ("das", "das", "dem", "des")}


def grammar_of(name: str) -> Grammar:
    first, _, rest = name.partition(" ")
    if first in BODIES and rest:
        gender, genitive = BODIES[first]
        nominative, accusative, dative, of = ARTICLES[gender]
        pronoun, possessive = {"f": ("sie", "ihre"), "m": ("er", "seine"), "n": ("es", "seine")}[gender]
        at = f"beim {name}" if dative == "dem" else f"bei {dative} {name}"
        return Grammar(f"{nominative} {name}", f"{accusative} {name}", f"{dative} {name}",
                       f"{of} {genitive} {rest}", at, pronoun, possessive)
    return Grammar(name, name, name, f"von {name}", f"bei {name}", "es", "seine")


def newsletter_key_prefix(name: str, longest: int = 24) -> str:
    """A short key for the newsletter's issues at the provider, made of whole words of the name
    (it may never change after the first issue, so it must read well as it is)."""
    words = [word for word in german_slug(name.replace(".", " ")).split("-") if word] or ["programm"]
    kept = [words[0][:longest]]
    for word in words[1:]:
        if len("-".join([*kept, word])) > longest:
            break
        kept.append(word)
    return "-".join(kept) + "-newsletter"


def _authority(name: str) -> str:
    """The feed id authority from the name: lowercase DNS labels (RFC 4151)."""
    labels = [german_slug(part) for part in name.split(".")]
    return ".".join(label for label in labels if label) or "programm"


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-zÄÖÜäöü0-9]+", name)
    return "".join(w[0] for w in words[:2]).upper() or "?"


def site_files(answers: Answers, now: datetime) -> dict[str, str]:
    """Every file of the new content folder, by path relative to it."""
    clusters, measures = _structure(answers)
    posted = (now - timedelta(minutes=1)).replace(second=0, microsecond=0)
    event = (now + timedelta(days=42)).replace(hour=17, minute=0, second=0, microsecond=0)
    owner = answers.owner or "[PLATZHALTER: Name der Kommune oder des Trägers]"
    first_post = f"{posted:%Y-%m-%d}-willkommen.md"
    said, by = grammar_of(answers.name), grammar_of(answers.owner)
    structure = (f"{_count(len(measures), 'eine Maßnahme', 'Maßnahmen')} in "
                 f"{_count(len(clusters), 'einem Handlungsfeld', 'Handlungsfeldern')}")
    values = {
        "name": answers.name, "owner": owner, "initials": _initials(answers.name),
        "name_nom": said.nominative, "Name_nom": said.starting, "name_acc": said.accusative,
        "name_dat": said.dative, "name_of": said.of, "at_name": said.at, "name_pronoun": said.pronoun,
        "name_possessive": said.possessive, "owner_of": by.of if answers.owner else f"von {owner}",
        "name_yaml": _q(answers.name), "owner_yaml": _q(owner),
        # Shown beside the name: it does not say the name again.
        "tagline_yaml": _q("Neuigkeiten, Termine und Beteiligung"),
        # Shown on every page: without an owner no placeholder in it, so that not all of it is marked.
        "description_yaml": _q((f"{said.starting} ist das Programm {by.of}. " if answers.owner else "")
                               + f"Hier berichtet {said.nominative} über {structure}."),
        "newsletter_title_yaml": _q(f"Newsletter {said.of}"),
        "reason_yaml": _q(f"Sie erhalten diese E-Mail, weil Sie den Newsletter {said.of} "
                          "abonniert und Ihre Anmeldung per E-Mail bestätigt haben."),
        "list_title_yaml": _q(f"Alle Neuigkeiten {said.of}"),
        "logo_alt_yaml": _q(f"{answers.name} – zur Startseite"),
        "key_prefix": newsletter_key_prefix(answers.name),
        "id_authority": _authority(answers.name), "id_since": str(now.year),
        "clusters_and_measures": _yaml_structure(clusters, measures),
        "measure_table": _table(clusters, measures),
        "measures_heading": structure[:1].upper() + structure[1:],
        "measure_count_easy": _count(len(measures), "einen Teil", "Teile"),
        "measure_slugs": ", ".join(m.slug for m in measures),
        "first_measure": measures[0].slug, "first_post": first_post,
        "post_date": f"{posted:%Y-%m-%d %H:%M}",
        "event_start": f"{event:%Y-%m-%d %H:%M}", "event_end": f"{event + timedelta(hours=2):%Y-%m-%d %H:%M}",
    }

    def fill(template: str, escape: Callable[[str], str]) -> str:
        return Template(template).substitute({key: escape(value) for key, value in values.items()})

    def text(name: str) -> str:
        """A text with the answers in it, each written so that it stays text where it stands."""
        template = (TEXTS / name).read_text(encoding="utf-8")
        if name.endswith(".svg"):
            return fill(template, xml_escape)
        if not name.endswith(".md"):
            return fill(template, str)  # programme.yml: its values come quoted (*_yaml)
        _, front, body = template.split("---\n", 2)
        return f"---\n{fill(front, _in_yaml_string)}---\n{fill(body, _in_markdown)}"

    files = {"programme.yml": text("programme.yml"), "images/logo.svg": text("logo.svg"),
             f"posts/{first_post}": text("willkommen.md"),
             f"termine/{event:%Y-%m}-beispieltermin.md": text("beispieltermin.md"),
             "newsletter/issues.yml": "# Record of sent newsletter issues (the send command keeps it).\n"
                                      "issues: []\n"}
    files.update({f"pages/{page}.md": text(f"{page}.md") for page in PAGES})
    return files


@dataclass
class Created:
    folder: Path
    changed: list[str]  # files outside the folder, relative to the repository
    notes: list[str]


def new_site(repository: Path, folder: Path, answers: Answers, now: datetime | None = None) -> Created:
    """Write the content folder and point the hook and the pipelines at it."""
    folder = (repository / folder).resolve() if not folder.is_absolute() else folder.resolve()
    if not folder.is_relative_to(repository.resolve()):
        raise ScaffoldError(f"{folder} liegt nicht im Repository — der Browser-Editor und die "
                            "Pipelines sehen nur Ordner im Repository; wähle z. B. sites/<name>")
    relative = folder.relative_to(repository.resolve()).as_posix()
    if relative in ("", "content") or relative.startswith(("content/", "examples/")):
        raise ScaffoldError(f"„{relative or '.'}“ gehört dem Projekt (Testdaten und Beispiel) — "
                            "wähle einen eigenen Ordner, z. B. sites/<name>")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", relative):
        raise ScaffoldError(f"„{relative}“: nur Buchstaben ohne Umlaute, Ziffern, „-“, „_“, „.“ und „/“ "
                            "im Ordnernamen (er steht in Pipelines und Hooks)")
    parts = relative.split("/")
    if any(not part[0].isalnum() for part in parts):  # .git, .venv, a hidden or "-x" folder
        raise ScaffoldError(f"„{relative}“: jeder Ordnername beginnt mit einem Buchstaben oder einer Ziffer "
                            "(versteckte Ordner wie .git sieht der Browser-Editor nicht) — z. B. "
                            "sites/<name>")
    if len(relative) > MAX_FOLDER or any(len(part) > MAX_NAME for part in parts):
        raise ScaffoldError(f"„{relative[:40]}…“ ist zu lang (höchstens {MAX_NAME} Zeichen je Ordner und "
                            f"{MAX_FOLDER} insgesamt) — wähle einen kürzeren Namen, z. B. sites/<name>")
    if parts[0].lower() in PROJECT_FOLDERS or _ignored(repository, relative):
        raise ScaffoldError(f"„{relative}“ gehört dem Projekt (Code, Tests oder erzeugte Dateien, die git "
                            "nicht aufnimmt) — wähle "
                            "einen eigenen Ordner, z. B. sites/<name>")
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{relative} ist nicht leer — nichts wurde geschrieben; wähle einen neuen Ordner")
    files = site_files(answers, now or build_clock(fixed=os.environ.get("SLS_NOW")))
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    changed, notes = [], []
    for path, edit in ((PRE_COMMIT, _hook), (GITLAB_CI, _gitlab), (GITHUB_CI, _github)):
        file = repository / path
        if not file.is_file():
            notes.append(f"{path} fehlt — nicht angepasst")
            continue
        before = file.read_text(encoding="utf-8")
        after = edit(before, relative)
        if after is None:
            notes.append(f"{path}: Stelle zum Eintragen nicht gefunden — trage SLS_CONTENT={relative} "
                         "von Hand ein")
        elif after != before:
            file.write_text(after, encoding="utf-8")
            changed.append(path)
    return Created(folder, changed, notes)


HOOK = """      - id: content-check-{id}
        name: Inhalt von {folder}/ prüfen
        entry: .venv/bin/python -m pipeline.content_check --content {folder}
        language: system
        files: ^{pattern}/
        pass_filenames: false
"""


def _hook(text: str, folder: str) -> str | None:
    """A content-check hook for the folder, before the photo hook (the hooks' order is shown)."""
    if f"--content {folder}\n" in text:
        return text
    anchor = "      - id: strip-location\n"
    if anchor not in text:
        return None
    hook = HOOK.format(id=re.sub(r"[^a-z0-9]+", "-", folder.lower()).strip("-"), folder=folder,
                       pattern=re.escape(folder))
    return text.replace(anchor, hook + anchor, 1)


def _gitlab(text: str, folder: str) -> str | None:
    """SLS_CONTENT in the pipeline's variables (a project variable of that name still wins)."""
    existing = re.search(r"^  SLS_CONTENT: .*$", text, flags=re.M)
    line = f"  SLS_CONTENT: {_q(folder)}  # written by invoke new-site"
    if existing:
        return text[:existing.start()] + line + text[existing.end():]
    if "\nvariables:\n" not in text:
        return None
    return text.replace("\nvariables:\n", f"\nvariables:\n{line}\n", 1)


def _github(text: str, folder: str) -> str | None:
    """The workflow's SLS_CONTENT falls back to the folder when no repository variable is set."""
    found = re.search(r"^  SLS_CONTENT: \$\{\{ vars\.SLS_CONTENT(?: \|\| '[^']*')? \}\}$", text, flags=re.M)
    if not found:
        return None
    line = f"  SLS_CONTENT: ${{{{ vars.SLS_CONTENT || '{folder}' }}}}"
    return text[:found.start()] + line + text[found.end():]
