"""The `invoke reach` command: page views from the web server's access logs, subscribers per list.

Writes aggregated figures into the content folder (plugins/programme/reach.py has the formats
and the privacy rules): nothing per person is ever read into a file. Page views: the months of
this run's logs replace those months in the file, so a month must be counted from all of its
logs in one run (``--log access.log --log access.log.1 --log access.log.2.gz …``). Subscribers:
one row per list and day, from the provider's API (listmonk or Brevo), with the sender's
timeouts and bounded retries; every printed line passes the redactor.
"""

from __future__ import annotations

import gzip
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TextIO
from zoneinfo import ZoneInfo

from plugins.newsletter.providers import Clock, ConfigError, load_provider
from plugins.newsletter.providers.protocol import DeadlineExceeded, ProviderError, TransientError
from plugins.newsletter.providers.retry import retrying
from plugins.newsletter.rendered_issue import Sender
from plugins.programme.locations import PROGRAMME_FILENAME
from plugins.programme.problems import ContentProblemsError, Problem, display_path, reason_in_german
from plugins.programme.reach import (
    MAX_LINE,
    MAX_NAME,
    MAX_PAGES,
    Tally,
    list_name,
    merge_page_views,
    merge_subscriber_counts,
    page_views_file,
    read_page_views,
    read_subscriber_counts,
    subscribers_file,
    write_page_views,
    write_subscriber_counts,
)

from .newsletter_send import STATE_DIR, Console, edition_env, retry_policy, unknown_lists

COUNTING_PROVIDERS = ("listmonk", "brevo")
BUDGET = 120.0  # seconds for all lists of one run
# Counting sends nothing; the sending configuration asks for a sender all the same (Brevo).
NO_SENDER = Sender("stadt.land.smart", "abonnements@zaehlung.invalid")
GZIP_MAGIC = b"\x1f\x8b"


def _open(path: Path) -> IO[bytes]:
    """A log, plain or gzip-compressed (told by its first bytes, not its name)."""
    stream = path.open("rb")
    if stream.read(2) == GZIP_MAGIC:
        stream.close()
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # a binary stream
    stream.seek(0)
    return stream


def log_lines(stream: IO[bytes]) -> Iterator[str]:
    """The lines of a log, one at a time: a line longer than MAX_LINE is read past in pieces and
    comes as "" (it counts as read, and is skipped), so memory stays bounded whatever the file."""
    while True:
        chunk = stream.readline(MAX_LINE + 1)
        if not chunk:
            return
        if len(chunk) > MAX_LINE and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(65536)
            yield ""
            continue
        yield chunk.decode("utf-8", errors="replace")


def _problems(console: Console, problems: list[Problem], what: str) -> int:
    for problem in problems:
        console.warn(str(problem))
    console.warn(f"Nichts geschrieben: {what} ist fehlerhaft – erst die genannten Zeilen korrigieren.")
    return 1


def count_logs(log_paths: Iterable[str | Path], content_folder: Path, zone: ZoneInfo,
               console: Console | None = None, replace: bool = False) -> int:
    """Count the page views in ``log_paths`` into <content>/daten/seitenaufrufe.csv; exit code."""
    console = console or Console({})
    paths = [Path(p) for p in log_paths]
    if not paths:
        console.warn("Keine Logdatei angegeben — nenne sie mit --log, z. B. --log /var/log/nginx/access.log "
                     "(mehrmals möglich: alle Logs eines Monats in einem Lauf)")
        return 1
    target = page_views_file(content_folder)
    stored, problems = read_page_views(target)
    if problems:
        return _problems(console, problems, display_path(target))
    tally = Tally(zone)
    for path in paths:
        try:
            with _open(path) as stream:
                for line in log_lines(stream):
                    tally.add(line)
        except (OSError, EOFError, zlib.error) as error:
            console.warn(f"{path}: Logdatei nicht lesbar ({reason_in_german(error)}) — Pfad und "
                         "Leserechte prüfen; nichts geschrieben")
            return 1
    console.say(f"{tally.read} Zeilen gelesen, {tally.counted} Seitenaufrufe gezählt, {tally.skipped} "
                "übersprungen (Roboter, andere Anfragen als Seitenaufrufe, Dateien, Fehler, unlesbare "
                "Zeilen).")
    if tally.overflow:
        console.warn(f"Achtung: mehr als {MAX_PAGES} verschiedene Seiten – {tally.overflow} Aufrufe weiterer "
                     "Seiten nicht gezählt.")
    if not tally.views:
        console.say(f"Keine Seitenaufrufe gefunden – {display_path(target)} bleibt unverändert.")
        return 0
    months = sorted({month for month, _page in tally.views})
    shrinking = []
    for month in months:
        before = sum(n for (m, _p), n in stored.items() if m == month)
        now = sum(n for (m, _p), n in tally.views.items() if m == month)
        if before > now:
            shrinking.append(f"{month}: bisher {before}, jetzt {now}")
    if shrinking and not replace:
        console.warn("Nichts geschrieben: weniger Aufrufe als bisher gespeichert (" + "; ".join(shrinking)
                     + ") — waren alle Logs dieser Monate dabei? Zähle einen Monat aus allen seinen Logs in "
                     "einem Lauf (z. B. --log access.log --log access.log.1 --log access.log.2.gz); "
                     "mit --replace ersetzt der Lauf die Monate trotzdem.")
        return 1
    write_page_views(target, merge_page_views(stored, tally.views))
    console.say(f"Monate ersetzt: {', '.join(months)} (andere Monate unverändert) → {display_path(target)}")
    return 0


def _unique(name: str, number: int, taken: set[str]) -> str:
    """Two lists of one language with one name: the second is told apart by its number."""
    if name not in taken:
        return name
    suffix = f" (Nr. {number})"
    return name[: MAX_NAME - len(suffix)].rstrip() + suffix


def _providers(settings: Mapping[str, str], languages: Sequence[str], clock: Clock,
               problems: list[str]) -> list[tuple[str, Any]]:
    """(language, provider) for the site's own edition and each edition with lists of its own."""
    found: list[tuple[str, Any]] = []
    editions: list[tuple[str, Mapping[str, str] | None]] = [(languages[0], settings)]
    editions += [(key, edition_env(settings, key)[0]) for key in languages[1:]]
    for key, env in editions:
        if env is None:
            continue
        try:
            found.append((key, load_provider(env, NO_SENDER, STATE_DIR, clock)))
        except ConfigError as error:
            lines = [line.strip().removeprefix("- ") for line in str(error).splitlines()[1:]] or [str(error)]
            problems += [f"{line} ({key})" if key != languages[0] else line for line in lines]
    return found


def count_subscribers(settings: Mapping[str, str], content_folder: Path, today: date, *,
                      languages: Sequence[str] | None = None, programme_file: Path | None = None,
                      clock: Clock | None = None, console: Console | None = None) -> int:
    """The subscribers of every configured list (NEWSLETTER_PROVIDER listmonk or Brevo; the lists of
    LISTMONK_LIST_IDS/BREVO_LIST_IDS, their topic lists and their language editions' ``_EN`` …)
    into <content>/daten/abonnements.csv, a row per list for ``today``; exit code. ``settings``:
    the environment the sending reads. The languages are the programme's (``programme_file``,
    default <content>/programme.yml) unless given."""
    console = console or Console(settings)
    try:
        return _count_subscribers(settings, Path(content_folder), today, languages, programme_file,
                                  clock or Clock(BUDGET), console)
    except ContentProblemsError as error:
        console.warn(str(error))
        return 1
    except Exception as error:  # last line of defence: no traceback, no secret
        console.warn(f"Abonnementzahlen nicht abrufbar: {type(error).__name__}: {error}")
        return 1


def _count_subscribers(settings: Mapping[str, str], content_folder: Path, today: date,
                       languages: Sequence[str] | None, programme_file: Path | None, clock: Clock,
                       console: Console) -> int:
    choice = settings.get("NEWSLETTER_PROVIDER", "outbox").strip() or "outbox"
    if choice not in COUNTING_PROVIDERS:
        console.warn(f"Abonnementzahlen liefern nur listmonk und Brevo (NEWSLETTER_PROVIDER ist "
                     f"„{choice}“) — NEWSLETTER_PROVIDER und seine Zugangsdaten setzen")
        return 1
    if languages is None:
        from plugins.programme.programme_file import load_programme

        programme = load_programme(programme_file or content_folder / PROGRAMME_FILENAME)
        languages = [edition.key for edition in programme.editions]
    target = subscribers_file(content_folder)
    stored, file_problems = read_subscriber_counts(target)
    if file_problems:
        return _problems(console, file_problems, display_path(target))
    policy, problem = retry_policy(settings)
    problems = [problem] if problem else []
    problems += unknown_lists(settings, list(languages[1:]))
    providers = _providers(settings, languages, clock, problems)
    if problems:
        console.warn("Konfiguration unvollständig:\n  - " + "\n  - ".join(problems))
        return 1
    counted: dict[tuple[str, str, str], int] = {}
    lines = []
    for language, provider in providers:
        taken: set[str] = set()
        for number in dict.fromkeys([*provider.list_ids, *provider.topic_lists.values()]):
            try:
                raw_name, subscribers = retrying(lambda: provider.subscriber_count(number),  # noqa: B023
                                                 clock, may_retry=lambda _error: True, policy=policy,
                                                 log=console.warn)
            except TransientError as error:
                console.warn(f"Abonnementzahlen nicht abgerufen: {error} – nach {policy.attempts} Versuchen "
                             "aufgegeben; nichts geschrieben. Später erneut aufrufen.")
                return 1
            except DeadlineExceeded:
                console.warn(f"Abonnementzahlen nicht abgerufen: Zeit ({BUDGET:.0f} s) aufgebraucht – nichts "
                             "geschrieben. Später erneut aufrufen.")
                return 1
            except ProviderError as error:
                console.warn(f"Abonnementzahlen nicht abgerufen: {error} – Listennummer {number} und "
                             f"Zugangsdaten bei {provider.name} prüfen; nichts geschrieben.")
                return 1
            name = _unique(list_name(raw_name, number), number, taken)
            taken.add(name)
            counted[(today.isoformat(), name, language)] = subscribers
            lines.append(f"  {language}  {name} (Liste {number}): {subscribers} Abonnements")
    write_subscriber_counts(target, merge_subscriber_counts(stored, counted))
    for line in lines:
        console.say(line)
    console.say(f"Stand {today.isoformat()}: {len(counted)} Listen → {display_path(target)} "
                "(frühere Tage unverändert)")
    return 0


def run(env: Mapping[str, str], logs: Sequence[str], subscribers: bool, content: str | None,
        settings_file: Path, out: TextIO | None = None, err: TextIO | None = None,
        replace: bool = False) -> int:
    """`invoke reach`: what was asked for, in this order; exit code."""
    from .settings import load_settings

    console = Console(env, out or sys.stdout, err or sys.stderr)
    if not logs and not subscribers:
        console.warn("Nichts zu zählen — nenne --log DATEI (mehrmals möglich) und/oder --subscribers, z. B. "
                     "invoke reach --log /var/log/nginx/access.log --log /var/log/nginx/access.log.1")
        return 1
    settings = load_settings(settings_file, content, env=env)
    try:
        zone = ZoneInfo(str(settings.get("TIMEZONE") or "Europe/Berlin"))
    except (ValueError, KeyError):
        console.warn(f"TIMEZONE „{settings.get('TIMEZONE')}“ ist keine Zeitzone — z. B. Europe/Berlin")
        return 1
    folder = Path(settings["PATH"])
    code = count_logs(logs, folder, zone, console, replace) if logs else 0
    if subscribers and not code:
        code = count_subscribers(env, folder, datetime.now(zone).date(),
                                 programme_file=Path(settings["PROGRAMME_FILE"]), console=console)
    return code
