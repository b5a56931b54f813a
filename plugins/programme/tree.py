"""The content tree: which files are posts and pages, how each is read, what is wrong across them.

The one loader of the content model. The Pelican reader and `invoke check --fast`
both read files through ``read_source`` and judge the tree through ``tree_problems``,
so the build and the editors' check report the same problems for the same tree.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .addresses import SYSTEM, alias_problem, page_slug_problem, reserved_names
from .containment import OUTSIDE_FIX, first_link, inside, lexically_inside
from .crossfile import duplicate_slugs, missing, resolve, unpublished
from .dates import DateProblem, parse_date
from .editions import KEY, original_digest
from .editorials import editorial_problems
from .events import check_event, first_start
from .files import TextProblem, read_text
from .identity import Identity, event_calendar_uid, event_entry_id, identity_problems, post_entry_id
from .indicators import FOLDER as INDICATOR_FOLDER
from .indicators import read_indicators
from .issue_record import RecordedIssue, read_record
from .locations import NEWSLETTER_FOLDER, PROGRAMME_FILENAME, RECORD_FILENAME, file_in_place
from .model import Programme
from .post_source import PostSource, read_post, split_front_matter
from .problems import Problem, display_path
from .programme_file import ProgrammeReading, read_programme
from .programme_texts import read_texts
from .programme_values import missing_files
from .reach import page_views_file, read_page_views, read_subscriber_counts, subscribers_file
from .schema import ARTICLE, EVENT, EVENT_FACTS, EVENT_INHERITED, EVENT_TEXTS, INHERITED, PAGE
from .slugs import DEFAULT_SUBSTITUTIONS, german_slug
from .suggestions import closest
from .uploads import media_problems
from .videos import video_problems
from .yamlsource import YamlSyntaxProblem, load

SOURCE_EXTENSIONS = (".md", ".markdown")
# "2024-03-11-wue-app.md" (posts), "2027-01-sprechstunde.md" (events): the date is not the address.
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?(?:-|$)")


@dataclass(frozen=True)
class ContentConfig:
    """What the content model needs from the build settings; read once per build."""

    root: Path
    programme_file: Path
    now: datetime
    article_paths: tuple[str, ...] = ("posts",)
    page_paths: tuple[str, ...] = ("pages",)
    event_paths: tuple[str, ...] = ("termine",)
    static_paths: tuple[str, ...] = ("images",)  # media folders: copied as they are, so checked
    article_excludes: tuple[str, ...] = ()
    page_excludes: tuple[str, ...] = ()
    ignore_files: tuple[str, ...] = ()
    timezone: str = "Europe/Berlin"
    default_lang: str = "de"
    extra_fields: tuple[str, ...] = ()
    slug_substitutions: tuple[tuple[str, str], ...] = DEFAULT_SUBSTITUTIONS
    with_future_dates: bool = False
    reserved: frozenset[str] = frozenset(SYSTEM)  # top-level names the system writes itself
    editorials: Path | None = None  # the newsletter's editorials (every one is judged, used or not)
    id_authority: str = ""  # FEED_ID_AUTHORITY when set, else the programme data's
    parallel_from: int = 200  # PARALLEL_MIN_FILES: from this many sources a cold build forks

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], now: datetime | None = None) -> ContentConfig:
        """From Pelican-style settings (a plain mapping: no Pelican needed)."""
        root = Path(settings["PATH"]).resolve()
        zone = settings.get("TIMEZONE", "Europe/Berlin")
        return cls(
            root=root,
            programme_file=file_in_place(settings.get("PROGRAMME_FILE") or root / PROGRAMME_FILENAME),
            now=now or build_clock(zone, settings.get("BUILD_CLOCK")),
            article_paths=tuple(settings.get("ARTICLE_PATHS", ("posts",))),
            page_paths=tuple(settings.get("PAGE_PATHS", ("pages",))),
            event_paths=tuple(settings.get("EVENT_PATHS", ("termine",))),
            static_paths=tuple(settings.get("STATIC_PATHS", ("images",))),
            article_excludes=tuple(settings.get("ARTICLE_EXCLUDES", ())),
            page_excludes=tuple(settings.get("PAGE_EXCLUDES", ())),
            ignore_files=tuple(settings.get("IGNORE_FILES", ())),
            timezone=zone,
            default_lang=settings.get("DEFAULT_LANG", "de"),
            extra_fields=tuple(settings.get("EXTRA_FRONT_MATTER_FIELDS", ())),
            slug_substitutions=tuple(tuple(pair) for pair in  # type: ignore[misc]
                                     settings.get("SLUG_REGEX_SUBSTITUTIONS") or DEFAULT_SUBSTITUTIONS),
            with_future_dates=bool(settings.get("WITH_FUTURE_DATES", False)),
            reserved=reserved_names(settings),
            editorials=Path(settings.get("NEWSLETTER_EDITORIALS") or root / NEWSLETTER_FOLDER),
            id_authority=str(settings.get("FEED_ID_AUTHORITY") or ""),
            parallel_from=int(settings.get("PARALLEL_MIN_FILES") or 200),
        )

    @property
    def editorials_folder(self) -> Path:
        return self.editorials or self.root / NEWSLETTER_FOLDER

    def kind_of(self, path: str | Path) -> str:
        """``page`` or ``event`` for files under those paths, else ``article``."""
        relative = Path(os.path.relpath(path, self.root)).parts
        for kind, paths in ((PAGE, self.page_paths), (EVENT, self.event_paths)):
            if relative and relative[0] in {Path(p).parts[0] for p in paths if Path(p).parts}:
                return kind
        return ARTICLE


def build_clock(timezone: str = "Europe/Berlin", fixed: str | None = None) -> datetime:
    """The build's one "now": ``fixed`` (ISO 8601; the setting BUILD_CLOCK, from SLS_NOW, for
    tests and previews) or the wall clock."""
    zone = ZoneInfo(timezone)
    fixed = (fixed or "").strip()
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return datetime.now(zone)


@dataclass
class Source:
    """One post or page as read and checked, with what the cross-file checks need."""

    relative: str  # posix path relative to the content folder
    kind: str
    post: PostSource
    slug: str
    lang: str
    slug_line: int = 1  # where to fix the address: the "slug:" line, the title it comes from, 1 (file name)
    # What links an original and its translations: the original's path without ".md"
    # ("posts/2022-04-11-zukunftswerkstatt"; its English translation is "….en.md").
    key: str = ""
    # What a translation of this file records as ``translated_from`` (the body is dropped
    # once rendered; this stays).
    digest: str = ""

    def is_published(self, config: ContentConfig) -> bool:
        """Published and due: the build treats a future date as not yet published."""
        if self.kind == EVENT:
            return True  # an event is shown from the day it is written, with its status
        if self.post.meta.get("status", "published") != "published":
            return False
        date = self.post.meta.get("date")
        return config.with_future_dates or not isinstance(date, datetime) or date <= config.now


def find_sources(config: ContentConfig, kinds: tuple[str, ...] = (ARTICLE, PAGE, EVENT)
                 ) -> list[tuple[Path, str]]:
    """Every Markdown source (of ``kinds``) with its kind, found the way Pelican's generators
    find them."""
    found: dict[Path, str] = {}
    ignored = re.compile("|".join(fnmatch.translate(pattern) for pattern in config.ignore_files) or "(?!)")
    for kind, roots, excludes in ((ARTICLE, config.article_paths, (*config.article_excludes,
                                                                    *config.page_paths,
                                                                    *config.event_paths)),
                                  (PAGE, config.page_paths, config.page_excludes),
                                  (EVENT, config.event_paths, ())):
        if kind not in kinds:
            continue
        left_out = [Path(e).parts for e in excludes if e]
        for root in roots:
            for path in sorted((config.root / root).rglob("*")):
                if path.suffix not in SOURCE_EXTENSIONS:
                    continue
                parts = path.relative_to(config.root).parts
                if (path.is_file() and not any(ignored.match(part) for part in parts)
                        and not any(parts[: len(out)] == out for out in left_out)):
                    found.setdefault(path, kind)
    return sorted(found.items())


def read_source(path: Path, config: ContentConfig, programme: Programme) -> Source:
    """Read and check one source file."""
    shown = display_path(path)
    kind = config.kind_of(path)
    relative = path.relative_to(config.root).as_posix()
    if not relative.isprintable():  # a line break in a name would start a line of its own in any log
        shown = repr(shown)[1:-1]
        post = PostSource(shown)
        post.report(1, "Dateiname enthält einen Zeilenumbruch oder ein Steuerzeichen",
                    "benenne die Datei um: nur Buchstaben, Ziffern und Bindestriche, z. B. "
                    "„2026-11-26-sprechstunde.md“")
        return Source(repr(relative)[1:-1], kind, post, "datei", config.default_lang)
    if not inside(config.root, relative):
        post = PostSource(shown)
        post.report(1, "Datei ist ein Verweis (Symlink) auf eine Datei außerhalb des Inhaltsordners",
                    "lege die Datei selbst unter content/ ab")
        return Source(relative, kind, post, path.stem, config.default_lang)
    try:
        text = read_text(path)
    except TextProblem as unreadable:
        post = PostSource(shown)
        post.report(unreadable.line, unreadable.message, unreadable.fix)
        return Source(path.relative_to(config.root).as_posix(), kind, post, path.stem, config.default_lang)
    original = _original_front(path, programme)
    names = EVENT_INHERITED if kind == EVENT else INHERITED
    inherited = None if original is None else (
        {key: original[0][key] for key in names if key in original[0]},
        {key: value for key, value in original[1].items() if key in names})
    event_translation = kind == EVENT and original is not None and bool(original[0])
    if event_translation and inherited is not None and original is not None:
        # Whether one registers is the original's to say, also where it only implies it.
        inherited[0]["registration"] = registration_of(original[0])
    # A translation takes its facts from the original, even where it writes them itself (an
    # event's time and place, a post's measures and image): each it writes is reported once, and
    # its checks see the original's.
    forced = frozenset(EVENT_FACTS) if event_translation else \
        frozenset(ORIGINAL_ONLY) if original is not None and kind != EVENT else frozenset()
    post = read_post(shown, text, programme, kind, str(config.root), config.timezone, config.extra_fields,
                     inherited, forced)
    if original is not None:
        _follow_original(post, original[0], original[1], config.timezone, kind)
        original_name = path.stem.rpartition(".")[0] + path.suffix
        if kind != EVENT:
            for name in ORIGINAL_ONLY:
                if name in post.lines:
                    post.report(name, f"„{name}“ steht nur im Original: eine Übersetzung übernimmt "
                                f"{ORIGINAL_ONLY[name]} von dort",
                                f"lass „{name}:“ hier weg (es gilt, was „{original_name}“ sagt)")
        if event_translation:
            for name in EVENT_FACTS:
                if name in post.lines:
                    post.report(name, f"„{name}“ steht nur im Original: ein Termin ist in jeder Sprache "
                                "derselbe", f"lass „{name}:“ hier weg und ändere es in „{original_name}“")
            if "registration_note" in post.lines and inherited is not None \
                    and inherited[0]["registration"] != "hinweis":
                post.report("registration_note", "das Original sieht keine Anmeldung mit Hinweis vor",
                            f"lass „registration_note:“ weg oder ergänze den Hinweis in „{original_name}“")
    if kind == EVENT and original is None:
        check_event(post, programme, config.timezone)
    elif event_translation:
        # Its time, place and registration are the original's: checked there, and reported there
        # only (one cause, one message); here they are only read.
        reported = len(post.problems)
        check_event(post, programme, config.timezone)
        del post.problems[reported:]
    title = post.meta.get("title")
    # The address comes from the file name, not the title (as in Jekyll and Hugo): correcting
    # a title must not move a published post - its links in sent newsletters, printed QR codes
    # and its feed entry id stay. The CMS names a new file after its title, so a new post gets
    # the address its title suggests; a file named by its date alone takes the title's.
    stem, lang = _edition_of(path, post, programme, kind)
    slug, slug_line = post.meta.get("slug"), post.lines.get("slug", 1)
    if original is not None and original[0]:
        # A translation stands at its original's address, under its language's prefix.
        given = original[0].get("slug")
        own = _address(stem, given if isinstance(given, str) and given else None,
                       original[0].get("title"), config.slug_substitutions)
        if slug and slug != own:
            post.report("slug", f"„slug: {slug}“ weicht von der Adresse des Originals ab („{own}“): eine "
                        "Übersetzung steht unter der Adresse ihres Originals in ihrer Sprache",
                        "lass „slug:“ hier weg")
        slug = own or slug
    if not slug:
        slug = german_slug(_DATE_PREFIX.sub("", stem), config.slug_substitutions)
    if not slug and title is not None:
        slug, slug_line = german_slug(str(title), config.slug_substitutions), post.lines.get("title", 1)
        if not slug:
            # A title of emoji or punctuation only: the page would be the year's folder itself.
            post.report("title", f"aus dem Titel „{title}“ lässt sich keine Adresse bilden",
                        "setze „slug: …“ mit Kleinbuchstaben und Bindestrichen, z. B. „slug: fest-der-ideen“")
    if not slug:
        slug = german_slug(path.stem, config.slug_substitutions) or "ohne-titel"
    relative = path.relative_to(config.root).as_posix()
    key = relative.rsplit("/", 1)[0] + "/" + stem if "/" in relative else stem
    return Source(relative, kind, post, slug, lang, slug_line, key, source_digest(post, kind))


# What a post's or page's translation takes from its original and may not say itself: it is
# the same post in another language (it belongs to the same measures, shows the same image,
# links the same events, goes into the same newsletters; its tags are its own). Its address
# follows the original's: a ``slug:`` of its own may only repeat it.
ORIGINAL_ONLY = {"measure": "die Maßnahmen",
                 "image": "das Titelbild", "events": "die Termine", "newsletter": "den Newsletter-Versand",
                 "legal_section": "den rechtlichen Abschnitt"}


def source_digest(post: PostSource, kind: str) -> str:
    """What a translation of this source records as ``translated_from``: its title, summary and
    text; an event's texts in words too (travel, registration note), which its translations
    translate."""
    body = post.body
    if kind == EVENT and any(post.meta.get(name) for name in EVENT_TEXTS):
        body = "\0".join([body, *(str(post.meta.get(name) or "") for name in EVENT_TEXTS)])
    return original_digest(post.meta.get("title"), post.meta.get("summary"), body)


def _language_like(suffix: str, programme: Programme) -> bool:
    """A file name's last part that names a language: an edition's key, or two letters (ISO
    639-1) that would be one ("x.fr.md"); "bericht.neu.md" is not a translation."""
    keys = {e.key for e in programme.editions}
    return suffix in keys or (len(suffix) == 2 and KEY.fullmatch(suffix) is not None
                              and suffix not in GERMAN_SHORT_WORDS)


# Two letters at the end of a German file name that are words, not languages ("treffen.am.md").
GERMAN_SHORT_WORDS = frozenset({"ab", "am", "an", "da", "du", "er", "es", "im", "in", "ja", "je", "ob",
                                "so", "um", "wo", "zu"})


def _address(stem: str, written: str | None, title: Any, substitutions: Any) -> str:
    """The address (slug) a source gets, as ``read_source`` makes it: the one written, else its
    file's name without the date, else its title's ("" where none can be made)."""
    return written or german_slug(_DATE_PREFIX.sub("", stem), substitutions) or (
        german_slug(str(title), substitutions) if title is not None else "")


def original_beside(path: Path) -> Path | None:
    """The original ("x.md") of a file named like a translation ("x.en.md"), whether it exists or
    not; None for any other name."""
    stem, dot, _key = path.stem.rpartition(".")
    return path.with_name(stem + path.suffix) if dot and stem else None


def _original_front(path: Path, programme: Programme) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The original's front matter (values, and top-level values as written) for a translation
    ("x.en.md" of "x.md"); None for an original; empty where the original cannot be read (that
    is its own problem) or the language is not offered (the one problem to report)."""
    stem, _, suffix = path.stem.rpartition(".")
    if not stem or not _language_like(suffix.lower(), programme):
        return None
    if suffix not in {e.key for e in programme.editions[1:]}:
        return {}, {}  # not offered, or the originals' own: its name is the one problem
    try:
        front = split_front_matter(read_text(path.with_name(stem + path.suffix)))[0]
        data, _lines, raw = load(front or "")
    except (TextProblem, YamlSyntaxProblem, OSError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}
    return data, {str(key[0]): value for key, value in raw.items() if len(key) == 1}


def registration_of(front: dict[str, Any]) -> str:
    """How one registers for an event as its front matter says, or implies (a link, a note)."""
    written = front.get("registration")
    if written:
        return str(written)
    if front.get("registration_url"):
        return "link"
    return "hinweis" if front.get("registration_note") else "keine"


def _follow_original(post: PostSource, original: dict[str, Any], raw: dict[str, str], timezone: str,
                     kind: str = ARTICLE) -> None:
    """A translation is public only while its original is: a draft, withdrawn or not yet due
    original keeps its translations unpublished (they would stand alone as if they were
    originals), and a translation cannot appear before its original. (An event's status says
    whether it takes place; its translation takes it, see schema.EVENT_FACTS.)"""
    status = original.get("status", "published")
    if kind != EVENT and status != "published" and post.meta.get("status", "published") == "published":
        post.meta["status"] = "draft"
    own, written = post.meta.get("date"), raw.get("date")
    if "date" not in post.lines or not isinstance(own, datetime) or not written:
        return
    try:  # the original's date as written, read as the check reads every date
        due = parse_date(written, timezone)
    except DateProblem:
        return  # the original's own problem
    if own.tzinfo is None:
        own = own.replace(tzinfo=ZoneInfo(timezone))
    if own < due:
        post.report("date", "die Übersetzung erschiene vor ihrem Original "
                    f"(„{due:%Y-%m-%d %H:%M}“)", "lass „date:“ weg: sie erscheint mit ihrem Original")


def _edition_of(path: Path, post: PostSource, programme: Programme, config_kind: str) -> tuple[str, str]:
    """(file name without its language, edition key): "x.en.md" is the English translation
    of "x.md". A language in the file name must be one of programme.yml's ``languages:``."""
    editions = programme.editions
    stem, _, suffix = path.stem.rpartition(".")
    if not stem or not _language_like(suffix.lower(), programme):
        stem, suffix = path.stem, ""
    if suffix and suffix != suffix.lower():
        post.report(1, f"Sprachkürzel „.{suffix}“ im Dateinamen ist großgeschrieben",
                    f"schreibe es klein: „{stem}.{suffix.lower()}{path.suffix}“")
        return path.stem, editions[0].key
    if suffix == editions[0].key:
        post.report(1, f"die Sprache der Originale („.{suffix}“) steht nicht im Dateinamen",
                    f"benenne die Datei „{stem}{path.suffix}“; nur Übersetzungen tragen ihre Sprache")
        return path.stem, editions[0].key
    written = post.meta.get("lang")
    if suffix and suffix not in {e.key for e in editions}:
        stem = path.stem  # its own address, not its would-be original's
        post.report(1, f"der Dateiname endet auf die Sprache „.{suffix}“, die programme.yml nicht "
                    "unter „languages:“ führt",
                    f"ergänze sie dort (z. B. „- key: {suffix}“ mit „name: …“) oder benenne die Datei um")
        return stem, editions[0].key
    if written is not None and written != (suffix or editions[0].key):
        if suffix:
            post.report("lang", f"„lang: {written}“ widerspricht der Sprache im Dateinamen („.{suffix}“)",
                        "lass „lang:“ weg: die Sprache steht im Dateinamen")
        else:
            post.report("lang", f"„lang: {written}“: eine Übersetzung trägt ihre Sprache im Dateinamen",
                        f"benenne die Datei „{path.stem}.{written}{path.suffix}“ (wie ihr Original, "
                        "mit dem Sprachkürzel davor) und lass „lang:“ weg")
    return stem, suffix or editions[0].key


MAX_GUESSES = 20


def translation_problems(sources: Iterable[Source], default: str) -> list[Problem]:
    """A translation whose original does not exist: it would have no page to belong to."""
    sources = list(sources)
    originals = {(s.kind, s.key) for s in sources if s.lang == default}

    orphans = [s for s in sources if s.lang != default and (s.kind, s.key) not in originals]

    def fix(source: Source, number: int) -> str:
        # A guess for the first few only: comparing thousands with thousands would take minutes.
        guess = closest(source.key, {key for kind, key in originals if kind == source.kind}) \
            if number < MAX_GUESSES else None
        if guess:
            return (f"meintest du „{guess}.md“? Dann benenne die Übersetzung „{guess.rsplit('/', 1)[-1]}."
                    f"{source.lang}.md“; sonst lege das Original an")
        return f"lege das Original „{source.key}.md“ an"

    return [Problem(s.post.path, 1, f"Übersetzung ohne Original: es gibt keine Datei „{s.key}.md“",
                    fix(s, number)) for number, s in enumerate(orphans)]


def outdated_translations(sources: Iterable[Source], default: str) -> list[tuple[Source, Source]]:
    """(translation, original) for every translation made from an older text of its original
    (or not saying which): its page says so until ``translated_from`` is brought up to date."""
    listed = list(sources)
    originals = {(s.kind, s.key): s for s in listed if s.lang == default}
    found = []
    for source in listed:
        original = originals.get((source.kind, source.key))
        if source.lang != default and original is not None \
                and str(source.post.meta.get("translated_from") or "") != original.digest:
            found.append((source, original))
    return found


def tree_problems(sources: Iterable[Source], config: ContentConfig, authority: str = "",
                  languages: Iterable[str] = ()) -> list[Problem]:
    """Every problem of the tree: per file, duplicate slugs and identities, broken or unpublished
    links. ``authority``: the programme's feed id authority (identities are made from it);
    ``languages``: the other editions' keys, whose address prefixes no page may take."""
    by_path = {source.relative: source for source in sources}
    prefixes = frozenset(languages)
    problems = [problem for source in by_path.values() for problem in source.post.problems]
    problems += duplicate_slugs(
        ((source.kind, source.lang, _address_year(source), source.slug), source.post.path,
         source.slug_line)
        for source in by_path.values())
    copied: set[str] = set()  # files {static}/{attach} make Pelican publish: checked like uploads
    for source in by_path.values():
        problems += _link_problems(source, by_path, config, copied)
    problems += translation_problems(by_path.values(), config.default_lang)
    problems += _related_problems(by_path.values(), config)
    problems += _alias_problems(by_path.values(), config.reserved | prefixes, config.default_lang)
    problems += _tag_problems(by_path.values(), config)
    problems += _page_address_problems(by_path.values(), config.reserved | prefixes)
    problems += _legal_section_problems(by_path.values(), config.default_lang)
    problems += identity_problems(_identities(by_path.values(), config.id_authority or authority,
                                             config.default_lang))
    problems += media_problems(config.root, config.static_paths, copied)
    if config.editorials is not None:
        problems += editorial_problems(config.editorials, config.timezone, prefixes)
        record = config.editorials / RECORD_FILENAME
        issues, record_problems = read_record(record, config.timezone)
        problems += record_problems + _record_names_problems(issues, display_path(record),
                                                             by_path.values(), config)
    return sorted(set(problems))


def _record_names_problems(issues: Iterable[RecordedIssue], shown: str, sources: Iterable[Source],
                           config: ContentConfig) -> list[Problem]:
    """A sent issue names only posts that are published and events that exist: its archive page
    and print edition show them (the build's newsletter renderer says the same, later)."""
    sources = list(sources)
    posts = {s.slug for s in sources if s.kind == ARTICLE and s.lang == config.default_lang
             and s.is_published(config)}
    events = {s.slug for s in sources if s.kind == EVENT and s.lang == config.default_lang}
    return [*(Problem(shown, issue.line, f"Ausgabe {issue.number} nennt den Beitrag „{slug}“, den es "
                      "nicht (mehr) gibt", "stelle den Beitrag wieder her oder korrigiere den Slug")
              for issue in issues for slug in issue.posts if slug not in posts),
            *(Problem(shown, issue.line, f"Ausgabe {issue.number} nennt den Termin „{slug}“, den es "
                      "nicht (mehr) gibt", "stelle die Datei unter termine/ wieder her oder korrigiere "
                      "den Slug") for issue in issues for slug in issue.events if slug not in events)]


def _legal_section_problems(sources: Iterable[Source], default: str) -> list[Problem]:
    """A legal section (legal notice, privacy, accessibility statement) belongs to one page: the
    site's footer and every email link it, and two would leave the choice to chance."""
    first: dict[str, Source] = {}
    problems = []
    for source in sorted(sources, key=lambda s: s.relative):
        section = source.post.meta.get("legal_section")
        if source.kind != PAGE or source.lang != default or not isinstance(section, str):
            continue
        if section in first:
            problems.append(Problem(source.post.path, source.post.line_of("legal_section"),
                                    f"„legal_section: {section}“ hat schon {first[section].relative}",
                                    "jeder rechtliche Abschnitt gehört zu genau einer Seite: lass es hier "
                                    "weg oder führe die Seiten zusammen"))
        else:
            first[section] = source
    return problems


def _identities(sources: Iterable[Source], authority: str, default_lang: str) -> list[Identity]:
    """What each post and event is known as to feed readers and calendars."""
    identities = []
    for source in sources:
        meta = source.post.meta
        derived: tuple[str, ...] = ()
        announced = meta.get("date")
        if isinstance(announced, date):
            if source.kind == ARTICLE:
                # A translation is an entry of its own in its language's feed (plugins.feeds):
                # its original's id with its language after it.
                found = post_entry_id(authority, announced, source.slug)
                derived = (found if source.lang == default_lang else f"{found}/{source.lang}",)
            elif source.kind == EVENT:
                key = Path(source.relative).stem
                derived = (event_entry_id(authority, announced, key), event_calendar_uid(authority, key))
        uid = meta.get("uid")
        identities.append(Identity(source.post.path, derived, str(uid) if uid else "",
                                   source.post.lines.get("uid", 1)))
    return identities


def _address_year(source: Source) -> str:
    """Events live under /termine/<year of the first start>/: a slug must be unique per year."""
    if source.kind != EVENT:
        return ""
    first = first_start(source.post.meta.get("previous_starts") or [], source.post.meta.get("when"))
    return str(first.year) if first is not None else ""


def _link_problems(source: Source, by_path: dict[str, Source], config: ContentConfig,
                   copied: set[str]) -> list[Problem]:
    problems = []
    for link in source.post.links:
        target = resolve(source.relative, link.target)
        if target is None:
            continue
        if not inside(config.root, target):
            link_at = first_link(config.root, target) if lexically_inside(target) else None
            if link_at is not None:
                copied.add(link_at)  # only a symbolic link leads out: the upload check says so, at it
                continue
            message = f"Link auf „{link.target}“ zeigt aus dem Inhaltsordner heraus"
            problems.append(Problem(source.post.path, link.line, message, OUTSIDE_FIX))
            continue
        if link.what != "filename":
            copied.add(target)
        linked = by_path.get(target)
        if link.what == "filename" and linked is not None:
            if not linked.is_published(config):
                problems.append(unpublished(source.post.path, link.line, link.target))
        elif not (config.root / target).is_file():
            problems.append(missing(source.post.path, link.line, link.target, link.what))
    return problems


def _related_problems(sources: Iterable[Source], config: ContentConfig) -> list[Problem]:
    """Posts name events (``events:``) and events name posts (``posts:``) by slug."""
    sources = list(sources)
    slugs = {EVENT: {s.slug for s in sources if s.kind == EVENT and s.lang == config.default_lang},
             ARTICLE: {s.slug for s in sources if s.kind == ARTICLE and s.is_published(config)}}
    problems = []
    for source in sources:
        if source.lang != config.default_lang and ("posts" if source.kind == EVENT else "events") \
                not in source.post.lines:
            continue  # taken from its original, whose file names the problem
        field, kind, what = ("posts", ARTICLE, "Beitrag") if source.kind == EVENT else \
            ("events", EVENT, "Termin")
        for slug in source.post.meta.get(field, []):
            if slug in slugs[kind]:
                continue
            guess = closest(slug, slugs[kind])
            problems.append(Problem(source.post.path, source.post.line_of(field),
                                    f"{what} „{slug}“ gibt es nicht (oder er ist nicht veröffentlicht)",
                                    f"meintest du „{guess}“?" if guess else
                                    f"nenne den Slug eines veröffentlichten {what}s"))
    return problems


def _tag_problems(sources: Iterable[Source], config: ContentConfig) -> list[Problem]:
    """Each topic has one page, /themen/<slug>/: two tags that differ in more than case (C++ and
    C#) would share it under the first one's name, and the second one's link would lead there."""
    def topic(name: str) -> str:  # "KI", "ki" and " KI " are one topic's spellings
        return " ".join(name.casefold().split())

    named: dict[str, tuple[str, Source]] = {}
    problems = []
    for source in sorted(sources, key=lambda s: s.relative):
        if source.kind != ARTICLE:
            continue
        for tag in source.post.meta.get("tags", []):
            slug = german_slug(str(tag), config.slug_substitutions)
            first, owner = named.setdefault(slug, (str(tag), source))
            if slug and topic(first) != topic(str(tag)):
                problems.append(Problem(
                    source.post.path, source.post.line_of("tags"),
                    f"Schlagwort „{tag}“ bekäme dieselbe Themenseite (themen/{slug}/) wie „{first}“ "
                    f"in {owner.post.path}",
                    f"schreibe es wie dort („{first}“) oder anders, z. B. mit ausgeschriebenem Zeichen"))
    return problems


# The pages a language edition has under its prefix besides its translations: its start page,
# search, news list, events list, measures and clusters, newsletter sign-up.
LANGUAGE_PAGES = ("suche", "termine", "aktuelles", "aktuelles/seite", "massnahmen", "cluster", "newsletter")
EXACT = {"termine", "aktuelles"}  # below these lie the translations' own addresses


def _language_page(address: str, lang: str) -> bool:
    if address == lang:
        return True
    rest = address.removeprefix(f"{lang}/") if address.startswith(f"{lang}/") else None
    return rest is not None and any(rest == page or (page not in EXACT and rest.startswith(page + "/"))
                                    for page in LANGUAGE_PAGES)


def current_address(source: Source, default: str) -> str | None:
    """Where the build puts ``source`` (site-relative, as Pelican's and the events' URLs): a
    translation under its language's prefix; None without a date to place it."""
    prefix = "" if source.lang == default else f"{source.lang}/"
    if source.kind == PAGE:
        return f"{prefix}{source.slug}/"
    written = source.post.meta.get("date")
    year = _address_year(source) if source.kind == EVENT else (
        str(written.year) if isinstance(written, (date, datetime)) else "")
    folder = "termine" if source.kind == EVENT else "aktuelles"
    return f"{prefix}{folder}/{year}/{source.slug}/" if year else None


def _alias_problems(sources: Iterable[Source], reserved: frozenset[str], default: str) -> list[Problem]:
    """A former address can lead to one place only, never from a page of the system and never
    from an address a post, page or event has now (drafts included: one published later would
    meet a redirect already written there)."""
    claims: dict[str, list[Source]] = {}
    problems = []
    sources = list(sources)
    current = {address: source for source in sources
               if (address := current_address(source, default)) is not None}
    for source in sources:
        for alias in source.post.meta.get("aliases", []):
            holder = current.get(alias.removesuffix("index.html"))
            if holder is not None:
                problems.append(Problem(source.post.path, source.post.line_of("aliases"),
                                        f"frühere Adresse „/{alias}“ ist die Adresse von "
                                        f"„{holder.post.meta.get('title', holder.post.path)}“",
                                        "eine Adresse, die noch gilt, kann nicht umleiten: streiche sie"))
                continue
            # A translation's former addresses lie under its own language's prefix (but its
            # language's start and search pages are the site's own).
            taken = alias_problem(alias, reserved - {source.lang})
            if not taken and source.lang in reserved and _language_page(alias.strip("/"), source.lang):
                taken = f"die Adresse „/{alias.strip('/')}/“ gehört zur Website selbst"
            if taken:
                problems.append(Problem(source.post.path, source.post.line_of("aliases"),
                                        f"frühere Adresse: {taken}",
                                        "nenne nur Adressen, unter denen dieser Beitrag, diese Seite "
                                        "oder dieser Termin früher stand"))
            else:
                claims.setdefault(alias, []).append(source)
    fix = "eine alte Adresse gehört zu genau einem Beitrag oder Termin: streiche sie bei den anderen"
    return problems + [Problem(source.post.path, source.post.line_of("aliases"),
                               f"frühere Adresse „/{alias}“ nennt auch "
                               + ", ".join(other.post.path for other in owners if other is not source), fix)
                       for alias, owners in claims.items() if len(owners) > 1 for source in owners]


def _page_address_problems(sources: Iterable[Source], reserved: frozenset[str]) -> list[Problem]:
    """A page lives at /<slug>/: never where the system writes its own files."""
    problems = []
    for source in sources:
        taken = page_slug_problem(source.slug, reserved) if source.kind == PAGE else None
        if taken:
            problems.append(Problem(source.post.path, source.slug_line, f"Seite: {taken}",
                                    "gib der Seite ein anderes „slug: …“, z. B. "
                                    f"„{source.slug}-info“"))
    return problems


def read_programme_of(config: ContentConfig) -> ProgrammeReading:
    """The programme data of ``config``, with the files it names checked in its content folder."""
    reading = read_programme(display_path(config.programme_file))
    if reading.programme is None:
        return reading
    programme = reading.programme
    programme.texts, text_problems = read_texts(config.programme_file, programme)
    programme.indicators, indicator_problems = read_indicators(
        config.root / INDICATOR_FOLDER, {m.slug: m for m in programme.measures}, config.now.date())
    programme.page_views, view_problems = read_page_views(page_views_file(config.root))
    programme.subscriber_counts, count_problems = read_subscriber_counts(subscribers_file(config.root))
    indicator_problems += view_problems + count_problems
    return ProgrammeReading(programme, reading.problems + indicator_problems + missing_files(
        programme.data, programme.lines, programme.source, config.root) + video_problems(
        programme.data, programme.lines, programme.source, config.root) + text_problems)


def check_tree(config: ContentConfig, reading: ProgrammeReading | None = None) -> list[Problem]:
    """All problems of the content folder and its programme data, without building.

    Content is checked even when the programme data has mistakes, against what of it
    could be read, so that one run reports both. ``reading``: the programme data if read already.
    """
    return read_tree(config, reading)[0]


def read_tree(config: ContentConfig, reading: ProgrammeReading | None = None
              ) -> tuple[list[Problem], list[Source]]:
    """check_tree's problems and the sources it read."""
    reading = reading or read_programme_of(config)
    if reading.programme is None:
        return sorted(set(reading.problems)), []
    sources = [read_source(path, config, reading.programme) for path, _kind in find_sources(config)]
    others = [edition.key for edition in reading.programme.editions[1:]]
    return (sorted(set(reading.problems + tree_problems(sources, config, reading.programme.id_authority,
                                                        others))),
            sources)
