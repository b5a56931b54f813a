"""Interface text in the site's other languages: gettext catalogues, German as the source.

``theme/locale/<edition>/LC_MESSAGES/sls.po`` holds one edition's translations of the German
interface text (any translator's tool opens a .po file); Babel reads it at build time, so no
compiled file is kept in the repository. A message without a translation stays German.
"""

from __future__ import annotations

import copy
import functools
import gettext
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from .formatting import date_de, size_de
from .post_source import INVISIBLE_FIX, invisible_problem
from .problems import display_path

LOCALE = Path(__file__).resolve().parent.parent.parent / "theme" / "locale"
DOMAIN = "sls"


Loaded = tuple[Any, list[Any], gettext.NullTranslations]
# A catalogue is a few hundred short messages (the sample's: 30 KB); a translator's file beyond
# this is refused, not read into every build. No language has more than six plural forms
# (Unicode CLDR): Babel makes a list of that many strings for every plural message.
MAX_CATALOGUE_BYTES = 1_000_000
MAX_PLURALS = 6
MAX_PLURAL_FORMULA = 300
UNREADABLE_FIX = ("prüfe ihn mit einem Übersetzungsprogramm (z. B. Poedit); bis dahin steht die "
                  "Oberfläche dieser Sprache auf Deutsch")
TEMPLATE_FIX = ("schreibe sie mit „.venv/bin/invoke catalogues“; bis dahin steht die Oberfläche überall "
                "auf Deutsch")


@dataclass(frozen=True)
class Refused:
    """Why a catalogue cannot be used, at which line, and what to do."""

    line: int
    why: str
    fix: str = UNREADABLE_FIX


@dataclass(frozen=True)
class Misfit:
    """A translation that cannot be used (German stands in), and why."""

    message: Any
    why: str
    fix: str


def _load(path: Path) -> Loaded | None:
    """(the catalogue as read, its translations that cannot be used (Misfit), the translations
    to use without those), or None where it cannot be used at all (``catalogue_problems`` says why). Read once
    per process while the file and the template do not change (the check and the build ask for
    each catalogue more than once)."""
    loaded = _read_catalogue(path)
    return None if isinstance(loaded, Refused) else loaded


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _read_catalogue(path: Path) -> Loaded | Refused:
    template = LOCALE / f"{DOMAIN}.pot"
    stamp, template_stamp = _stamp(path), _stamp(template)
    if stamp is None:
        return Refused(1, "Katalog lässt sich nicht lesen")
    if template_stamp is None:
        return Refused(1, f"Vorlage {display_path(template)} fehlt", TEMPLATE_FIX)
    return _load_version(path, stamp, template, template_stamp)


class _TooManyPlurals(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@functools.cache
def _bounded_catalog() -> Any:
    """Babel's Catalog, refusing a header that names more plural forms than any language has
    before Babel makes its lists (however the header spells it: Babel reads it itself)."""
    from babel.messages.catalog import Catalog

    class Bounded(Catalog):
        @property
        def num_plurals(self) -> int:
            count = super().num_plurals
            if not 1 <= count <= MAX_PLURALS:
                raise _TooManyPlurals(count)
            return count

    return Bounded


def _parse(data: bytes) -> Any:
    """A catalogue as Babel reads it; raises for a line it cannot read, too many plural forms."""
    from babel.messages.pofile import PoFileParser

    catalog = _bounded_catalog()(locale=None, domain=DOMAIN)
    PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(io.BytesIO(data))
    return catalog


@functools.lru_cache(maxsize=4)
def _german(template: Path, _stamp: tuple[int, int]) -> dict[str, tuple[str, ...]] | None:
    """The messages of the template (sls.pot, written from the templates and plugins): each
    German text (singular, or singular and plural) by its msgid. A translator writes a .po file,
    never this one: the shape and the placeholders of a translation are judged against it."""
    try:
        with template.open("rb") as pot:
            read = _parse(pot.read(MAX_CATALOGUE_BYTES + 1))
    except Exception:  # a template that cannot be read is said, never raised
        return None
    return {(m.id if isinstance(m.id, str) else m.id[0]): ((m.id,) if isinstance(m.id, str) else tuple(m.id))
            for m in read if m.id}


@functools.lru_cache(maxsize=64)
def _load_version(path: Path, _stamp: tuple[int, int], template: Path,
                  template_stamp: tuple[int, int]) -> Loaded | Refused:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError

    german = _german(template, template_stamp)
    if german is None:
        return Refused(1, f"Vorlage {display_path(template)} lässt sich nicht lesen", TEMPLATE_FIX)
    try:
        if path.is_symlink() or not path.is_file():
            return Refused(1, "Katalog ist keine gewöhnliche Datei (ein Verweis/Symlink, Ordner oder Gerät)")
        with path.open("rb") as po:
            data = po.read(MAX_CATALOGUE_BYTES + 1)
        if len(data) > MAX_CATALOGUE_BYTES:
            return Refused(1, f"Katalog ist größer als {MAX_CATALOGUE_BYTES // 1_000_000} MB")
        data = data.removeprefix(b"\xef\xbb\xbf")  # a byte order mark some editors write
        try:
            read = _parse(data)
        except PoFileError as error:
            return Refused(max(1, int(getattr(error, "lineno", 1) or 1)), "Zeile lässt sich nicht lesen")
        except _TooManyPlurals as error:
            return Refused(1, f"Plural-Forms nennt {error.count} Pluralformen (1 bis {MAX_PLURALS})")
        wrong = _plural_problem(read.plural_expr, read.num_plurals)
        if wrong:
            return Refused(1, wrong)
        misfits, unknown = [], []
        for message in read:
            if not message.id:
                continue
            source = german.get(message.id if isinstance(message.id, str) else message.id[0])
            if source is None:
                unknown.append(message)  # not asked for by any template: never shown, not said
                continue
            why = _misfit(source, message.id, message.string)
            if why:
                misfits.append(Misfit(message, *why))
        usable = copy.deepcopy(read)
        for message in (*misfits, *unknown):
            # It would stop the build: German stands in, and `invoke check --fast` names its line.
            entry = message.message if isinstance(message, Misfit) else message
            usable.delete(entry.id, entry.context)
        compiled = io.BytesIO()
        write_mo(compiled, usable, use_fuzzy=False)
        compiled.seek(0)
        translations = gettext.GNUTranslations(compiled)
        translations.plural = _guarded(translations.plural)  # type: ignore[attr-defined]
        return read, misfits, translations
    except Exception:  # a translator's file: whatever Babel trips over, German stands in
        return Refused(1, "Katalog lässt sich nicht lesen (Kopf, Zeichensatz oder Plural-Forms)")


def _guarded(choose: Any) -> Any:
    """The catalogue's plural formula, giving no form (German stands in) where it fails: it is
    tried on many numbers before use, but not on every number a page may count."""

    def plural(n: int) -> int:
        try:
            return int(choose(n))
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            return -1

    return plural


def _plural_problem(formula: str, count: int) -> str | None:
    """Why a catalogue's plural formula cannot choose among its ``count`` forms; None if it can.
    Tried on the numbers a page shows (and a few large ones): a formula that divides by zero or
    names a form the catalogue lacks would stop the build or show German at random."""
    if len(formula) > MAX_PLURAL_FORMULA:
        return f"Plural-Forms: Formel ist länger als {MAX_PLURAL_FORMULA} Zeichen"
    try:
        choose = gettext.c2py(formula)
        chosen = {choose(n) for n in (*range(1001), 10_000, 100_000, 1_000_000, 10**9)}
    except (ValueError, ArithmeticError, RecursionError, TypeError):
        return "Plural-Forms: Formel lässt sich nicht rechnen"
    if not all(isinstance(form, int) and 0 <= form < count for form in chosen):
        return f"Plural-Forms: Formel wählt eine Form, die es nicht gibt (nplurals={count})"
    return None


@functools.cache
def catalogue(key: str) -> gettext.NullTranslations:
    """The translations of edition ``key``; none (German) where it has no usable catalogue
    (`invoke check --fast` says why)."""
    path = LOCALE / key / "LC_MESSAGES" / f"{DOMAIN}.po"
    loaded = _load(path) if path.is_file() else None
    return loaded[2] if loaded is not None else gettext.NullTranslations()


@functools.cache
def has_catalogue(key: str) -> bool:
    """Whether edition ``key`` has a catalogue (asked by every page: once per process)."""
    return (LOCALE / key / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()


# Every placeholder as written, compared whole: "%(day)s" is not "%(day)20000000s" (a width
# that wrote megabytes into every page) nor "%(day)d"; "{count}" is filled by the search page's
# script; "%%" is a percent sign. Any other "%" is a format Python would trip over.
PLACEHOLDER = re.compile(r"%\([^)]*\)?[#0 +\-]*[0-9*]*(?:\.[0-9*]*)?[A-Za-z%]?|%.?|\{[^{}]*\}", re.S)
PLACEHOLDER_FIX = ("übernimm die Platzhalter wie %(name)s oder {name} unverändert; bis dahin steht dort "
                   "der deutsche Text")
# A translation may well be longer than its German text, but not by pages: a label stands on
# every page (970,000 characters in one label made every page megabytes).
LONGER = 10
LONGER_BY = 200


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def _misfit(source: tuple[str, ...], msgid: Any, msgstr: Any) -> tuple[str, str] | None:
    """Why a translation of the German text ``source`` (as the template has it: singular, or
    singular and plural) cannot be used; None if it can. Its shape and German text must be the
    template's (the msgid_plural is the translator's to write, too), its placeholders the German
    text's, its length within reason."""
    written = (msgid,) if isinstance(msgid, str) else tuple(msgid)
    if written != source:
        return ("Übersetzung hat eine andere Form als der deutsche Text in der Vorlage "
                + ("(Einzahl und Mehrzahl)" if len(source) > 1 else "(nur Einzahl)"),
                "übernimm msgid und msgid_plural unverändert aus theme/locale/sls.pot; bis dahin steht "
                "dort der deutsche Text")
    strings = [text for text in (msgstr if isinstance(msgstr, (list, tuple)) else (msgstr,)) if text]
    limit = LONGER * max(len(text) for text in source) + LONGER_BY
    if any(len(text) > limit for text in strings):
        return (f"Übersetzung ist viel länger als der deutsche Text (höchstens {limit} Zeichen)",
                "kürze sie; bis dahin steht dort der deutsche Text")
    for text in strings:
        invisible = invisible_problem(text)
        if invisible:  # it would reach pages, feeds (where XML refuses it) and mail headers
            return (f"Übersetzung enthält ein {invisible}",
                    INVISIBLE_FIX + "; bis dahin steht dort der deutsche Text")
    if len(source) > 1:
        # Plural forms: each names some of the German forms' placeholders ("One result" needs
        # no {count}), never another, and none more often than a German form does.
        allowed: Counter[str] = Counter()
        for text in source:
            allowed |= Counter(_placeholders(text))
        fits = all(not Counter(_placeholders(text)) - allowed for text in strings)
    else:
        fits = all(_placeholders(text) == _placeholders(source[0]) for text in strings)
    if fits:
        return None
    named = ", ".join(sorted(set().union(*(_placeholders(text) for text in source)))) or "keine"
    return f"Übersetzung nennt andere Platzhalter als der deutsche Text ({named})", PLACEHOLDER_FIX


def catalogue_problems() -> list[str]:
    """``path:line: problem — fix`` for every translation of the interface that cannot be used."""
    problems = []
    for path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        loaded = _read_catalogue(path)
        if isinstance(loaded, Refused):
            problems.append(f"{display_path(path)}:{loaded.line}: {loaded.why} — {loaded.fix}")
            continue
        for misfit in loaded[1]:
            problems.append(f"{display_path(path)}:{misfit.message.lineno or 1}: {misfit.why} — {misfit.fix}")
    return problems


def og_locale(tag: str) -> str:
    """Link previews' language_TERRITORY for a language tag: its likely territory ("de" → de_DE,
    "uk" → uk_UA, "ar" → ar_EG), from Unicode's data as Babel ships it; "" where none is known."""
    return _og_locale(str(tag))  # a template's Markup("de") is another key of the cache than "de"


@functools.cache
def _og_locale(tag: str) -> str:
    from babel.core import get_global

    language = tag.replace("-", "_").split("_")[0]
    likely = str(get_global("likely_subtags").get(language, ""))
    territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{language}_{territory}" if territory.isalpha() and territory.isupper() else ""


# What dates, times, sizes and plural rules read of a language's CLDR data (a test compares the
# lean locale's dates with the full one's for every month, weekday and hour).
LEAN_KEYS = ("date_formats", "time_formats", "months", "days", "day_periods", "day_period_rules", "periods",
             "eras", "number_symbols", "plural_form")


def _plain(value: Any) -> Any:
    """Babel's locale data as plain dicts (its aliases resolved): a copy that needs no other
    entry of the locale."""
    from babel.localedata import LocaleDataDict

    if isinstance(value, (dict, LocaleDataDict)):
        return {key: _plain(value[key]) for key in value}
    return value


@functools.cache
def _lean_class() -> type:
    from babel.core import Locale
    from babel.localedata import LocaleDataDict

    class LeanLocale(Locale):  # type: ignore[misc]
        """A Babel locale that holds only ``LEAN_KEYS`` of its data: a few kilobytes instead of
        megabytes (Arabic: 2 MB), as every process that writes pages would otherwise load."""

        def __init__(self, full: Locale) -> None:
            super().__init__(full.language, full.territory, full.script, full.variant, full.modifier)
            data = full._data
            self._lean = LocaleDataDict({key: _plain(data[key]) for key in LEAN_KEYS if key in data})

        @property
        def _data(self) -> Any:
            return self._lean

    return LeanLocale


@functools.cache
def lean_locale(tag: str) -> Any:
    """Babel's locale of language ``tag`` with only what dates, times, sizes and plural rules read
    (made once per process, before the build forks its workers); None where Babel has no data."""
    from babel.core import Locale, UnknownLocaleError

    try:
        return _lean_class()(Locale.parse(tag.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return None


def settle_locales(tags: Iterable[str], keys: Iterable[str] = ()) -> None:
    """Each language's locale data reduced to what pages read (``lean_locale``), its interface
    catalogue compiled, its ``og_locale`` worked out, all now; then Babel's caches let go: they
    are megabytes that every forked worker would otherwise load again for these few strings (and
    a process's memory counts them once per worker). Babel loads them again if asked."""
    import babel.core
    import babel.localedata

    for key in keys:
        catalogue(key)
    for tag in sorted(set(tags)):
        og_locale(tag)
        lean_locale(tag)
        plural_categories(tag)
        # One full locale at a time: a build that forks no worker (a rebuild) keeps its peak low.
        babel.localedata.clear_caches()  # the full locales (Locale.parse loads them again)
    babel.core._global_data = None  # Babel's lazy cache of global.dat (get_global fills it again)


THEME = LOCALE.parent / "templates"
# Babel reads the templates' messages with Jinja's own extractor ({{ _("…") }}, ngettext, trans).
EXTRACT = [("**.html", "jinja2.ext:babel_extract")]
EXTRACT_OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
                   for pattern in ("**.html", "**.mjml")}


def _sources() -> tuple[tuple[Path, list[tuple[str, str]]], ...]:
    """The folders whose files hand messages to the catalogues, with Babel's extraction method."""
    return ((THEME, EXTRACT), (LOCALE.parent / "print", EXTRACT),
            (LOCALE.parent / "newsletter", [("**.mjml", "jinja2.ext:babel_extract")]),
            (LOCALE.parent.parent / "plugins", [("**.py", "python")]))


def _sources_stamp() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file the extraction reads (a few ms to take)."""
    stamp = []
    for folder, methods in _sources():
        suffixes = tuple(pattern.removeprefix("**") for pattern, _method in methods)
        for path in sorted(folder.rglob("*")):
            if path.name.endswith(suffixes) and path.is_file():
                status = path.stat()
                stamp.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(stamp)


def interface_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message the templates hand to the catalogues, with the templates that use it. Read
    from the sources (half a second) once per process while none of them changes."""
    return {key: list(places) for key, places in _extracted(_sources_stamp()).items()}


@functools.lru_cache(maxsize=1)
def _extracted(_stamp: tuple[tuple[str, int, int], ...]) -> dict[str | tuple[str, str], list[str]]:
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    # say(edition, "…"): a message in another edition's words (the language switcher, feeds).
    keywords = {**DEFAULT_KEYWORDS, "say": (2,)}
    found: dict[str | tuple[str, str], list[str]] = {}
    for folder, method in _sources():
        for name, _line, message, _comments, _context in extract_from_dir(
                str(folder), method, EXTRACT_OPTIONS, keywords=keywords):
            key = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, []).append(name)
    return found


def missing_translations() -> dict[str, list[str]]:
    """Per edition catalogue: the messages it has no translation for (shown in German)."""
    wanted = interface_messages()
    missing = {}
    for path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        loaded = _load(path)
        if loaded is None:
            missing[path.parent.parent.name] = [str(key if isinstance(key, str) else key[0])
                                                for key in wanted]
            continue
        read, lacking = loaded[0], []
        for key in wanted:
            message = read.get(key if isinstance(key, str) else key[0])
            # A fuzzy translation is a guess the site does not use (German shows): it is missing.
            strings = message.string if message is not None and not message.fuzzy else ""
            if not (all(strings) if isinstance(strings, (list, tuple)) else strings):
                lacking.append(key if isinstance(key, str) else key[0])
        missing[path.parent.parent.name] = lacking
    return missing


def say(key: str, message: str, **values: Any) -> str:
    """``message`` in edition ``key``, with ``%(name)s`` filled from ``values``."""
    text = catalogue(key).gettext(message)
    return text % values if values else text


def date_in(key: str, tag: str, moment: Any) -> str:
    """A date in edition ``key`` of language ``tag``: German as the site always wrote it,
    else Babel's long date; ISO 8601 where Babel has no data for the language."""
    if key == "" or tag == "de":
        return date_de(moment)
    from babel.dates import format_date

    locale = lean_locale(tag)
    return f"{moment:%Y-%m-%d}" if locale is None else str(format_date(moment, format="long", locale=locale))


def when_in(key: str, tag: str, start: Any, end: Any = None) -> str:
    """An event's time (or, without ``end``, a start) in words in edition ``key`` of language
    ``tag``: German as the site always wrote it, else Babel's day and time of that language in
    the catalogue's phrase."""
    from .formatting import start_de, when_de

    if tag == "de":
        return when_de(start, end) if end is not None else start_de(start)
    from babel.dates import format_date, format_time

    locale = lean_locale(tag)
    if locale is None:  # a language Babel has no data for: German
        return when_de(start, end) if end is not None else start_de(start)

    def day(moment: Any) -> str:
        return str(format_date(moment, format="full", locale=locale))

    def clock(moment: Any) -> str:
        # "4:00 م", "4:00 PM": the time and its marker never end up on two lines.
        return str(format_time(moment, format="short", locale=locale)).replace(" ", "\u00a0")

    if end is None:
        if isinstance(start, datetime):
            return say(key, "%(day)s, %(time)s Uhr", day=day(start), time=clock(start))
        return day(start)
    if isinstance(start, datetime) and isinstance(end, datetime):
        if start.date() == end.date():
            return say(key, "%(day)s, %(start)s bis %(end)s Uhr", day=day(start), start=clock(start),
                       end=clock(end))
        return say(key, "%(day)s, %(start)s Uhr, bis %(end_day)s, %(end)s Uhr", day=day(start),
                   start=clock(start), end_day=day(end), end=clock(end))
    if start == end:
        return say(key, "%(day)s, ganztägig", day=day(start))
    return say(key, "%(day)s, bis %(end_day)s", day=day(start), end_day=day(end))


@functools.cache
def plural_categories(tag: str) -> list[tuple[str, int]]:
    """(CLDR plural category, the smallest count in it) of language ``tag`` ("other" alone where
    Babel knows none)."""
    locale = lean_locale(tag)
    if locale is None:
        return [("other", 2)]
    rule = locale.plural_form
    found: dict[str, int] = {}
    for number in range(0, 1000):
        found.setdefault(rule(number), number)
    return sorted(found.items(), key=lambda item: item[1])


def page_edition(context: Any, default: str) -> str:
    """The edition of the page a template renders: its post's, page's or event's language.
    Asked by every ``_()`` of a page: kept on the render's context (a new one per page)."""
    known = getattr(context, "sls_edition", None)
    if known is not None:
        return str(known)
    found = default
    edition = context.get("edition")
    if isinstance(edition, str) and edition:
        found = edition
    else:
        for name in ("article", "page", "event"):
            lang = getattr(context.get(name), "lang", None)
            if lang:
                found = str(lang)
                break
    context.sls_edition = found
    return found


def install(env: Any, default: str, lang_of: Any = None) -> None:
    """``_()`` and ``{% trans %}`` in templates speak the language of the page they render."""

    # Jinja takes what gettext returns for markup: a translator's "<", "&" or '"' is escaped
    # here, so a translation is always text (in an element or in an attribute).
    @pass_context
    def translated(context: Any, message: str) -> str:
        return str(escape(catalogue(page_edition(context, default)).gettext(message)))

    @pass_context
    def translated_plural(context: Any, singular: str, plural: str, number: int) -> str:
        return str(escape(catalogue(page_edition(context, default)).ngettext(singular, plural, number)))

    @pass_context
    def local_date(context: Any, moment: Any) -> str:
        """A date as the page's language writes it; German ones as the site always did."""
        key = page_edition(context, default)
        return date_in("" if key == default else key, lang_of(key) if lang_of else key, moment)

    @pass_context
    def local_when(context: Any, start: Any, end: Any = None) -> str:
        """An event's time (``end`` given) or a start in the page's language."""
        key = page_edition(context, default)
        return when_in(key, lang_of(key) if lang_of else key, start, end)

    @pass_context
    def edition_home(context: Any) -> str:
        """The site-relative address of the start page in the page's language ("" or "en/")."""
        key = page_edition(context, default)
        return "" if key == default else f"{key}/"

    @pass_context
    def local_size(context: Any, size: int) -> str:
        """A file size with the page's language's decimal sign: "1,2 MB", "1.2 MB"."""
        key = page_edition(context, default)
        tag = lang_of(key) if lang_of else key
        text = size_de(size)
        if tag == "de":
            return text
        locale = lean_locale(tag)
        try:
            return text if locale is None else text.replace(",", locale.number_symbols["latn"]["decimal"])
        except KeyError:
            return text

    @pass_context
    def plural_samples(context: Any) -> list[tuple[str, int]]:
        """(CLDR plural category, a number in it) for the page's language: a script picks the
        message for a count by the category ``Intl.PluralRules`` gives it ("one", "few", …)."""
        key = page_edition(context, default)
        return plural_categories(lang_of(key) if lang_of else key)

    env.globals["plural_samples"] = plural_samples
    env.globals["local_size"] = local_size
    env.globals["edition_home"] = edition_home
    env.globals["og_locale"] = og_locale
    env.globals["has_catalogue"] = has_catalogue
    env.add_extension("jinja2.ext.i18n")
    env.globals["local_date"] = local_date
    env.globals["local_when"] = local_when
    env.install_gettext_callables(translated, translated_plural, newstyle=True)

    # Jinja's newstyle ``_()`` calls through two more layers and escapes anew each time, and a page
    # asks for two dozen strings: each is looked up once per language and kept (as Jinja makes it).
    known: dict[tuple[str, bool, str], Any] = {}

    @pass_context
    def gettext(context: Any, message: str, **variables: Any) -> Any:
        key = (page_edition(context, default), bool(context.eval_ctx.autoescape), message)
        found = known.get(key)
        if found is None:
            found = translated(context, message)
            found = known[key] = Markup(found) if key[1] else found
        return found % variables  # always a format string, as Jinja's own ("%%" is "%")

    env.globals.update(gettext=gettext, _=gettext)
    env.globals["say"] = say
