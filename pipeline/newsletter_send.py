"""The `invoke newsletter.send` and `newsletter.status` commands.

Order matters: configuration is checked before any network call, the issue is
rendered with the provider's unsubscribe placeholder, a person confirms, then
the idempotent sender runs. Every line printed passes through the redactor.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pelican.settings import read_settings  # noqa: E402

from pipeline.build import build  # noqa: E402
from plugins.newsletter.providers import (  # noqa: E402
    ConfigError,
    load_provider,
    secrets,
    test_recipients,
)
from plugins.newsletter.providers.base import Clock  # noqa: E402
from plugins.newsletter.record import load_record  # noqa: E402
from plugins.newsletter.rendered import RenderedIssue, Sender  # noqa: E402
from plugins.newsletter.sending import send_issue  # noqa: E402
from plugins.programme.registry import load_programme  # noqa: E402

STATE_DIR = ROOT / ".newsletter"


class Console:
    """Prints for people; masks every secret value, whatever the message."""

    def __init__(self, env: Mapping[str, str], out=None, err=None) -> None:
        self._secrets = [s for s in secrets(env) if len(s) >= 4]
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def say(self, text: str) -> None:
        print(self.redact(text), file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(self.redact(text), file=self.err, flush=True)


def _sender(programme_file: str) -> Sender:
    info = load_programme(programme_file).data.get("newsletter", {})
    return Sender(str(info.get("from_name", "")), str(info.get("from_email", "")))


def run_send(env: Mapping[str, str], *, test: bool, yes: bool, verbose: bool,
             settings_file: Path, content: str | None = None, budget: float = 600.0,
             ask: Callable[[str], str] = input, console: Console | None = None) -> int:
    """Exit code: 0 sent/tested/nothing to do, 1 failed or unclear, 2 configuration."""
    console = console or Console(env)
    try:
        return _send(env, test, yes, verbose, settings_file, content, budget, ask, console)
    except KeyboardInterrupt:
        console.warn("Abgebrochen. Ein erneuter Aufruf setzt beim aktuellen Stand fort.")
        return 1
    except Exception as error:  # last line of defence: no traceback with secrets
        console.warn(f"Unerwarteter Fehler: {type(error).__name__}: {error}")
        if verbose:
            console.warn(traceback.format_exc())
        return 1


def _overrides(env: Mapping[str, str], content: str | None) -> dict:
    overrides = {"PATH": str(Path(content).resolve())} if content else {}
    if env.get("SITEURL"):
        # The environment given to the command wins over what the settings module read.
        overrides.update(SITEURL=env["SITEURL"].rstrip("/"), PUBLIC_URL=env["SITEURL"].rstrip("/"))
    return overrides


def _send(env, test, yes, verbose, settings_file, content, budget, ask, console) -> int:
    overrides = _overrides(env, content)
    settings = read_settings(str(settings_file), override=overrides)
    if content:
        settings["PROGRAMME_FILE"] = str(Path(content).resolve() / "programme.yml")
    clock = Clock(budget)
    log = console.say if verbose else None
    try:
        provider = load_provider(env, _sender(settings["PROGRAMME_FILE"]), STATE_DIR, clock, log, test)
    except ConfigError as error:
        console.warn(str(error))
        return 2
    if not test and not settings.get("SITEURL"):
        console.warn("SITEURL fehlt: die Links im Newsletter müssen auf die öffentliche Website zeigen.")
        return 2
    if getattr(provider, "force", None) is not None and env.get("NEWSLETTER_FORCE") == "1":
        provider.force = True
    with tempfile.TemporaryDirectory(prefix="newsletter-") as scratch:
        result = build(settings_file, Path(scratch) / "site", content, None, overrides={
            **overrides, "NEWSLETTER_PREVIEW": {"since": None, "posts": None, "date": None},
            "NEWSLETTER_UNSUBSCRIBE_URL": provider.unsubscribe_placeholder})
        if not result.ok:
            console.warn(result.report())
            return 1
        folder = Path(scratch) / "site" / "newsletter-preview"
        if not (folder / "issue.json").exists():
            console.say("Keine neuen Beiträge für den Newsletter – nichts zu senden.")
            return 0
        issue = RenderedIssue.load(folder)
    recipients = test_recipients(env)
    console.say(f"Ausgabe {issue.number}: „{issue.subject}“")
    console.say(f"  {len(issue.posts)} Beiträge · Anbieter: {provider.describe()}")
    console.say(f"  {'Test an ' + ', '.join(recipients) if test else 'Versand an alle Abonnenten'}")
    if not test and not yes:
        answer = ask("Jetzt wirklich senden? [j/N] ")
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            console.say("Nicht gesendet.")
            return 0
    record = Path(settings.get("NEWSLETTER_RECORD") or Path(settings["PATH"]) / "newsletter" / "issues.yml")
    report = send_issue(issue, provider, test=test, recipients=recipients, record_path=record,
                        clock=clock, timezone=settings["TIMEZONE"])
    (console.say if report.ok else console.warn)(report.message)
    return 0 if report.ok else 1


def run_status(env: Mapping[str, str], settings_file: Path, content: str | None = None,
               console: Console | None = None) -> int:
    """Show what the provider knows about the last sent issue and the next one."""
    console = console or Console(env)
    overrides = {"PATH": str(Path(content).resolve())} if content else {}
    settings = read_settings(str(settings_file), override=overrides)
    programme_file = str(Path(content).resolve() / "programme.yml") if content else settings["PROGRAMME_FILE"]
    try:
        provider = load_provider(env, _sender(programme_file), STATE_DIR, Clock(120.0))
        record = load_record(Path(settings["PATH"]) / "newsletter" / "issues.yml", settings["TIMEZONE"])
        prefix = load_programme(programme_file).data.get("newsletter", {}).get("key_prefix") or "newsletter"
        numbers = ([record[-1].number] if record else []) + [(record[-1].number + 1) if record else 1]
        console.say(f"Anbieter: {provider.describe()}")
        for number in numbers:
            key = f"{prefix}-{number:04d}"
            found = provider.find(key)
            label = "letzte Ausgabe" if record and number == record[-1].number else "nächste Ausgabe"
            state = f"Kampagne {found.id}, Status „{found.status}“" if found else "beim Anbieter unbekannt"
            console.say(f"  {label} {number} ({key}): {state}")
        return 0
    except ConfigError as error:
        console.warn(str(error))
        return 2
    except Exception as error:
        console.warn(f"Status nicht abrufbar: {type(error).__name__}: {error}")
        return 1
