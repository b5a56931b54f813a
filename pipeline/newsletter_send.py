"""The `invoke newsletter.send` and `newsletter.status` commands.

Order matters: configuration is checked before any network call, the issue is
rendered with the provider's unsubscribe placeholder, a person confirms, then
the idempotent sender runs. Every line printed passes through the redactor.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from plugins.newsletter.issue_key import issue_key, key_prefix
from plugins.newsletter.providers import (
    Clock,
    ConfigError,
    Redactor,
    load_provider,
    secret_values,
    test_recipients,
)
from plugins.newsletter.providers.retry import DEFAULT_POLICY, RetryPolicy, retrying
from plugins.newsletter.providers.secrets import printable
from plugins.newsletter.record import load_record, record_path, split_carried
from plugins.newsletter.rendered_issue import PREVIEW_FOLDER, RenderedIssue, Sender
from plugins.newsletter.sending import send_editions
from plugins.programme.programme_file import load_programme

from .build import BuildResult, build
from .settings import ROOT, load_settings

STATE_DIR = ROOT / ".newsletter"


class Console:
    """Prints for people; masks every secret value, whatever the message."""

    def __init__(self, env: Mapping[str, str], out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.redact = Redactor(secret_values(env))
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def say(self, text: str) -> None:
        print(printable(self.redact(text)), file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(printable(self.redact(text)), file=self.err, flush=True)


def _sender(programme_file: str) -> Sender:
    info = load_programme(programme_file).newsletter
    return Sender(str(info.get("from_name", "")), str(info.get("from_email", "")))


def run_send(env: Mapping[str, str], *, test: bool, yes: bool, verbose: bool,
             settings_file: Path, content: str | None = None, budget: float = 600.0,
             ask: Callable[[str], str] = input, console: Console | None = None,
             force: bool | str = False, segment: str = "") -> int:
    """Exit code: 0 sent/tested/nothing to do, 1 failed or unclear, 2 configuration."""
    console = console or Console(env)
    if segment and not test:
        console.warn("--segment gilt nur mit --test: der Versand geht an alle, jede Person sieht ihre "
                     "Themen.")
        return 2
    try:
        return _send(env, SendRequest(test, yes, verbose, force, segment), settings_file, content, budget,
                     ask, console)
    except KeyboardInterrupt:
        console.warn("Abgebrochen. Ein erneuter Aufruf setzt beim aktuellen Stand fort.")
        return 1
    except Exception as error:  # last line of defence: no traceback with secrets
        console.warn(f"Unerwarteter Fehler: {type(error).__name__}: {error}")
        if verbose:
            console.warn(traceback.format_exc())
        return 1


@dataclass(frozen=True)
class SendRequest:
    """What the person asked for on the command line."""

    test: bool
    yes: bool
    verbose: bool
    # SMTP: send although an earlier attempt may have gone out. True: the originals' edition;
    # a language key: that language's edition only (each list's archive is checked on its own).
    force: bool | str
    segment: str = ""  # a test of one topic's email: what a subscriber of that topic alone gets

    def forced(self, edition: str) -> bool:
        return (self.force is True and not edition) or (bool(edition) and self.force == edition)


def _settings(env: Mapping[str, str], settings_file: Path, content: str | None) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if env.get("SITEURL"):
        # The environment given to the command wins over what the settings module read.
        overrides.update(SITEURL=env["SITEURL"].rstrip("/"), PUBLIC_URL=env["SITEURL"].rstrip("/"))
    return load_settings(settings_file, content, overrides=overrides)


# Where each provider's recipients are set; a language edition's are the same variables with the
# edition's key ("LISTMONK_LIST_IDS_EN"; SMTP: its list and that list's unsubscribe address).
# The outbox takes every edition.
# Topic lists ("LISTMONK_TOPIC_LISTS": wue-app:12, …) follow the same rule.
LIST_SETTINGS = {"listmonk": ("LISTMONK_LIST_IDS", "LISTMONK_TOPIC_LISTS"),
                 "brevo": ("BREVO_LIST_IDS", "BREVO_TOPIC_LISTS"),
                 "smtp": ("SMTP_TO", "SMTP_LIST_UNSUBSCRIBE")}
TOPIC_SETTINGS = ("LISTMONK_TOPIC_LISTS", "BREVO_TOPIC_LISTS")


MAX_ATTEMPTS = 10


def retry_policy(env: Mapping[str, str]) -> tuple[RetryPolicy, str]:
    """Attempts per logical operation (NEWSLETTER_ATTEMPTS, default 5, at most 10), or why not."""
    written = env.get("NEWSLETTER_ATTEMPTS", "").strip()
    if not written:
        return DEFAULT_POLICY, ""
    if not written.isdigit() or not 1 <= int(written) <= MAX_ATTEMPTS:
        return DEFAULT_POLICY, (f"NEWSLETTER_ATTEMPTS „{written}“: eine Zahl von 1 bis {MAX_ATTEMPTS} "
                                "(Versuche je Schritt, Standard 5)")
    return RetryPolicy(attempts=int(written)), ""


def _choice(env: Mapping[str, str]) -> str:
    return env.get("NEWSLETTER_PROVIDER", "outbox").strip() or "outbox"


def edition_env(env: Mapping[str, str], key: str) -> tuple[Mapping[str, str] | None, str]:
    """(the environment that sends edition ``key`` to its own list, or None when it names none;
    the name of its list's setting)."""
    names = LIST_SETTINGS.get(_choice(env))
    if names is None:
        return env, ""
    own = {name: env.get(f"{name}_{key.upper()}", "").strip() for name in names}
    setting = f"{names[0]}_{key.upper()}"
    return ({**env, **own} if own[names[0]] else None), setting


def _same(value: str) -> str:
    """A list as the provider sees it: "02" and "2" are one list number, addresses ignore case."""
    value = value.strip()
    return str(int(value)) if re.fullmatch(r"\+?[0-9]{1,18}", value, re.ASCII) else value.lower()


def shared_lists(env: Mapping[str, str], keys: list[str]) -> list[str]:
    """Lists named for two editions: their subscribers would get the issue twice."""
    names = LIST_SETTINGS.get(_choice(env))
    if names is None:
        return []
    seen: dict[str, str] = {}
    problems = []
    kinds = [name for name in names if name == names[0] or name in TOPIC_SETTINGS]
    for setting in [*kinds, *(f"{name}_{key.upper()}" for key in keys for name in kinds)]:
        parts = [part.rpartition(":")[2] for part in env.get(setting, "").split(",")]
        for item in {_same(part): part.strip() for part in parts if part.strip()}:
            if item in seen and seen[item] != setting:
                problems.append(f"{setting} nennt „{item}“ wie {seen[item]}: wer darauf steht, bekäme die "
                                "Ausgabe zweimal – jede Sprache braucht ihre eigene Liste")
            seen.setdefault(item, setting)
    return problems


def unknown_lists(env: Mapping[str, str], offered: list[str]) -> list[str]:
    """List settings for a language the site does not have: that list would never get an issue."""
    names = LIST_SETTINGS.get(_choice(env), ())
    found = []
    for variable in sorted(env):
        for name in names:
            suffix = variable[len(name) + 1:] if variable.startswith(f"{name}_") else ""
            if suffix and suffix.lower() not in offered and env[variable].strip():
                found.append(f"{variable}: „{suffix.lower()}“ ist keine Sprache der Website (programme.yml, "
                             f"languages:) – diese Liste bekäme nie eine Ausgabe; nimm eine von: "
                             f"{', '.join(k.upper() for k in offered) or '(keine)'}")
    return found


def edition_problems(env: Mapping[str, str], keys: list[str], sender: Sender, test: bool) -> list[str]:
    """Every problem of the editions' lists, under the names of their own settings."""
    problems = shared_lists(env, keys)
    names = LIST_SETTINGS.get(_choice(env), ())
    for key in keys:
        own, _setting = edition_env(env, key)
        if own is None:
            continue
        if _choice(env) == "smtp" and not env.get(f"SMTP_LIST_UNSUBSCRIBE_{key.upper()}", "").strip():
            problems.append(f"SMTP_LIST_UNSUBSCRIBE_{key.upper()} fehlt: die Abmeldeadresse der Liste "
                            f"SMTP_TO_{key.upper()} (ohne sie könnte dort niemand abbestellen)")
            continue
        try:
            load_provider(own, sender, STATE_DIR, Clock(10.0), test=test)
        except ConfigError as error:
            lines = [line.strip().removeprefix("- ") for line in str(error).splitlines()[1:]]
            for line in lines:
                for name in names:
                    if line.startswith(name) and not line.startswith(f"{name}_"):
                        line = f"{name}_{key.upper()}" + line[len(name):]
                problems.append(line)
    return problems


def topic_keys(programme: Any) -> set[str]:
    return {cluster.slug for cluster in programme.clusters} | {measure.slug for measure in programme.measures}


def segment_problem(segment: str, programme: Any) -> str | None:
    """What is wrong with ``--segment``: a key that is no cluster's or measure's."""
    keys = topic_keys(programme)
    if segment in keys:
        return None
    return (f"--segment „{segment}“ ist kein Schlüssel eines Clusters oder einer Maßnahme – einer von: "
            f"{', '.join(sorted(keys))}")


def topic_problems(env: Mapping[str, str], programme: Any) -> list[str]:
    """Topic lists naming a topic the programme does not have (load_provider checks the rest)."""
    from plugins.newsletter.topics import parse_topic_lists

    known = topic_keys(programme)
    problems = []
    for variable in sorted(env):
        if not variable.startswith(TOPIC_SETTINGS) or not env[variable].strip():
            continue
        if not variable.startswith(_choice(env).upper()):
            owner = variable.split("_")[0].lower()
            problems.append(f"{variable} gilt nur für {owner} (NEWSLETTER_PROVIDER ist „{_choice(env)}“) – "
                            "entfernen oder den Anbieter wechseln")
            continue
        lists, _format = parse_topic_lists(env[variable], variable)  # the format: load_provider's
        problems += [f"{variable}: „{key}“ ist kein Schlüssel eines Clusters oder einer Maßnahme "
                     "(programme.yml)" for key in lists if key not in known]
    return problems


def preview_segment(folder: Path, topic: str, programme: Any, sender: Sender) -> list[str]:
    """The previewed issue (each language edition) as a subscriber of ``topic`` alone gets it,
    beside the whole one (``thema-<topic>/``); lines for the person who asked."""
    if topic not in topic_keys(programme):
        return [f"„{topic}“ ist kein Schlüssel eines Clusters oder einer Maßnahme – einer von: "
                f"{', '.join(sorted(topic_keys(programme)))}"]
    lines = []
    for edition in RenderedIssue.load_editions(folder):
        part = edition.segment(topic)
        where = folder / (f"{edition.edition}/" if edition.edition else "") / f"thema-{topic}"
        if topic not in edition.topics:
            lines.append(f"{edition.language}: nichts Neues zu „{topic}“ – wer nur dieses Thema gewählt hat, "
                         "bekommt keine E-Mail")
            continue
        part.save(where, sender)
        lines += [str(where / name) for name in ("issue.html", "issue.txt", "issue.eml")]
    return lines


def _render(settings_file: Path, content: str | None, settings: dict[str, Any],
            scratch: Path) -> list[RenderedIssue] | BuildResult | None:
    """The next issue and its language editions, rendered; None when there is nothing new; the
    failed build otherwise."""
    overrides = {key: settings[key] for key in ("SITEURL", "PUBLIC_URL")}
    result = build(settings_file, scratch / "site", content, overrides={
        **overrides, "NEWSLETTER_PREVIEW": {"since": None, "posts": None, "date": None}})
    if not result.ok:
        return result
    folder = scratch / "site" / PREVIEW_FOLDER
    return RenderedIssue.load_editions(folder) if (folder / "issue.json").exists() else None


def _send(env: Mapping[str, str], request: SendRequest, settings_file: Path, content: str | None,
          budget: float, ask: Callable[[str], str], console: Console) -> int:
    settings = _settings(env, settings_file, content)
    clock = Clock(budget)
    # Every problem of the configuration at once, before any request.
    policy, problem = retry_policy(env)
    problems = [problem] if problem else []
    if not request.test and not settings.get("SITEURL"):
        problems.append("SITEURL fehlt: die Links im Newsletter müssen auf die öffentliche Website zeigen")
    log = console.say if request.verbose else None
    try:
        provider = load_provider(env, _sender(settings["PROGRAMME_FILE"]), STATE_DIR, clock, log,
                                 request.test, force=request.forced(""))
    except ConfigError as error:
        problems += [line.strip().removeprefix("- ") for line in str(error).splitlines()[1:]] or [str(error)]
    if problems:
        console.warn("Konfiguration unvollständig:\n  - " + "\n  - ".join(problems))
        return 2
    with _one_send_at_a_time() as alone:
        if not alone:
            console.warn("Ein anderer Versand läuft gerade auf diesem Rechner – warten, bis er endet, dann "
                         "erneut aufrufen (er setzt beim aktuellen Stand fort).")
            return 1
        return _send_next(env, request, settings_file, content, settings, clock, policy, provider, log,
                          ask, console)


LOCK_WAIT = 30.0  # seconds a send waits for another one on this machine to end


@contextlib.contextmanager
def _one_send_at_a_time(wait: float = LOCK_WAIT) -> Iterator[bool]:
    """A lock in the state folder: two sends at once could both create the issue's campaign
    (one machine; the publish pipeline sends from one job). A send started while another ends
    waits for it a little, then gives up."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    with (STATE_DIR / "versand.lock").open("a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.1)  # polled: flock itself has no timeout
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _send_next(env: Mapping[str, str], request: SendRequest, settings_file: Path, content: str | None,
               settings: dict[str, Any], clock: Clock, policy: RetryPolicy, provider: Any, log: Any,
               ask: Callable[[str], str], console: Console) -> int:
    with tempfile.TemporaryDirectory(prefix="newsletter-") as scratch:
        rendered = _render(settings_file, content, settings, Path(scratch))
    if isinstance(rendered, BuildResult):
        console.warn(rendered.report())
        return 1
    if rendered is None:
        console.say("Keine neuen Beiträge für den Newsletter – nichts zu senden.")
        return 0
    issue = rendered[0]
    # Each language edition goes to its own list (or, without one, nowhere, and says so).
    editions: list[tuple[RenderedIssue, Any]] = [(issue, provider)]
    skipped = []
    sender = _sender(settings["PROGRAMME_FILE"])
    programme = load_programme(settings["PROGRAMME_FILE"])
    offered = [edition.key for edition in programme.editions[1:]]
    problems = unknown_lists(env, offered) + topic_problems(env, programme)
    if request.segment and (wrong := segment_problem(request.segment, programme)):
        problems.append(wrong)
    problems += edition_problems(env, [other.edition for other in rendered[1:]], sender, request.test)
    if problems:  # all at once, before any request
        console.warn("Konfiguration unvollständig:\n  - " + "\n  - ".join(problems))
        return 2
    for other in rendered[1:]:
        own, setting = edition_env(env, other.edition)
        if own is None:
            skipped.append(f"  {other.language} ({other.edition}): keine Liste ({setting}) – nicht gesendet")
            continue
        editions.append((other, load_provider(own, sender, STATE_DIR, clock, log, request.test,
                                              force=request.forced(other.edition))))
    # Languages with a list but no current translation in this issue: said, and looked up when
    # recording (an earlier run may have sent them).
    elsewhere = []
    rendered_keys = {other.edition for other in rendered[1:]}
    for edition in load_programme(settings["PROGRAMME_FILE"]).editions[1:]:
        own, _setting = edition_env(env, edition.key)
        if edition.key in rendered_keys or own is None or not LIST_SETTINGS.get(_choice(env)):
            continue
        skipped.append(f"  {edition.key}: keine aktuelle Übersetzung eines Beitrags dieser Ausgabe – "
                       "nicht gesendet")
        if not edition_problems(env, [edition.key], sender, request.test):
            elsewhere.append((edition.key, load_provider(own, sender, STATE_DIR, clock, log, request.test)))
    if request.segment:
        # The test shows what a subscriber of that topic alone gets, conditions already applied.
        empty = [edition.language for edition, _p in editions if request.segment not in edition.topics]
        console.say(f"  Test des Themas „{request.segment}“" + (
            f" – ohne Neues in {', '.join(empty)}: wer nur dieses Thema gewählt hat, bekommt dort keine "
            "E-Mail" if empty else ""))
    recipients = test_recipients(env)
    console.say(f"Ausgabe {issue.number}: „{issue.subject}“")
    posts, events = split_carried(issue.posts)
    carried = (f"{len(posts)} {'Beitrag' if len(posts) == 1 else 'Beiträge'}, "
               f"{len(events)} {'Termin' if len(events) == 1 else 'Termine'}")
    console.say(f"  {carried} · Anbieter: {provider.describe()}")
    for other, _provider in editions[1:]:
        console.say(f"  {other.language} ({other.edition}): „{other.subject}“, "
                    f"{len(split_carried(other.posts)[0])} übersetzte Beiträge, an ihre eigene Liste")
    for line in skipped:
        console.say(line)
    console.say(f"  {'Test an ' + ', '.join(recipients) if request.test else 'Versand an alle Abonnenten'}")
    if not request.test and not request.yes:
        try:
            answer = ask("Jetzt wirklich senden? [j/N] ")
        except EOFError:  # no terminal to ask on (a pipeline): only --yes sends
            console.warn("Nicht gesendet: keine Eingabe möglich – mit --yes bestätigen.")
            return 1
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            console.say("Nicht gesendet.")
            return 0
    report = send_editions(editions, test=request.test, recipients=recipients,
                           record_path=record_path(settings), clock=clock,
                           timezone=settings["TIMEZONE"], policy=policy, elsewhere=elsewhere,
                           segment=request.segment)
    (console.say if report.ok else console.warn)(report.message)
    return 0 if report.ok else 1


def segments_of(campaign: Any, provider: Any) -> str:
    """Which topics' lists a campaign went (or goes) to, from what the provider stored."""
    details = campaign.details or {}
    lists = {int(item["id"]) if isinstance(item, dict) else int(item)
             for item in details.get("lists") or (details.get("recipients") or {}).get("lists")
             or (details.get("recipients") or {}).get("listIds") or []}
    reached = [key for key, number in provider.topic_lists.items() if number in lists]
    rest = [key for key in provider.topic_lists if key not in reached]
    return (f"Themen mit Neuem (ihre Listen bekommen sie): {', '.join(reached) or 'keine'}; "
            f"ohne Neues: {', '.join(rest) or 'keine'}")


def run_status(env: Mapping[str, str], settings_file: Path, content: str | None = None,
               console: Console | None = None) -> int:
    """Show what the provider knows about the last sent issue and the next one."""
    console = console or Console(env)
    settings = load_settings(settings_file, content)
    try:
        provider = load_provider(env, _sender(settings["PROGRAMME_FILE"]), STATE_DIR, Clock(120.0))
        record = load_record(record_path(settings), settings["TIMEZONE"])
        prefix = key_prefix(load_programme(settings["PROGRAMME_FILE"]).newsletter)
        numbers = ([record[-1].number] if record else []) + [(record[-1].number + 1) if record else 1]
        console.say(f"Anbieter: {provider.describe()}")
        # Each language edition with its own list is a campaign of its own ("…-0003-en").
        editions = [("", provider)]
        for edition in load_programme(settings["PROGRAMME_FILE"]).editions[1:]:
            own, _setting = edition_env(env, edition.key)
            if own is not None:
                editions.append((edition.key, load_provider(own, _sender(settings["PROGRAMME_FILE"]),
                                                            STATE_DIR, Clock(120.0))))
        for number in numbers:
            label = "letzte Ausgabe" if record and number == record[-1].number else "nächste Ausgabe"
            for key_suffix, edition_provider in editions:
                key = issue_key(prefix, number) + (f"-{key_suffix}" if key_suffix else "")
                found = retrying(lambda: edition_provider.find(key), Clock(120.0),  # noqa: B023 - run at once
                                 may_retry=lambda _error: True)
                state = f"Kampagne {found.id}, Status „{found.status}“" if found else \
                    "beim Anbieter unbekannt"
                console.say(f"  {label} {number} ({key}): {state}")
                if found and getattr(edition_provider, "topic_lists", None):
                    console.say("    " + segments_of(found, edition_provider))
        return 0
    except ConfigError as error:
        console.warn(str(error))
        return 2
    except Exception as error:
        console.warn(f"Status nicht abrufbar: {type(error).__name__}: {error}")
        return 1
