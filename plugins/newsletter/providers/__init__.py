"""Sending providers, chosen by NEWSLETTER_PROVIDER; configuration only from the environment.

Every problem in the configuration is reported at once, before any network call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from plugins.programme.placeholders import is_placeholder

from ..rendered_issue import Sender
from ..topics import parse_topic_lists
from .brevo import DEFAULT_URL as BREVO_URL
from .brevo import BrevoProvider
from .clock import Clock
from .http import Log
from .listmonk import ListmonkProvider
from .outbox import OutboxProvider
from .protocol import Campaign, ConfigError, Provider
from .secrets import Redactor, secret_values, transport_problem
from .smtp import SECURITY, SmtpProvider

__all__ = ["Campaign", "Clock", "ConfigError", "Provider", "Redactor", "load_provider", "secret_values",
           "test_recipients"]

def _secret(env: Mapping[str, str], name: str) -> str:
    """A secret as meant: a copied token's trailing newline is not part of it."""
    return env.get(name, "").strip()


def _ids(env: Mapping[str, str], name: str, problems: list[str]) -> list[int]:
    raw = env.get(name, "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        problems.append(f"{name}: nur Zahlen, durch Kommas getrennt (z. B. „3,7“)")
        return []
    if not ids:
        problems.append(f"{name} fehlt: die Nummern der Empfängerlisten, z. B. „3“")
    return ids


def _topic_lists(env: Mapping[str, str], name: str, ids: list[int], problems: list[str]) -> dict[str, int]:
    """``NAME``: a list per topic (``wue-app:12, smart-city-hub:13``); none of them the whole
    issue's list (whose subscribers see every topic)."""
    lists, found = parse_topic_lists(env.get(name, ""), name)
    problems += found
    for key, number in lists.items():
        if number in ids:
            problems.append(f"{name}: Liste {number} (Thema „{key}“) bekommt schon die ganze Ausgabe – "
                            "jedes Thema braucht eine Liste für sich")
    return lists


def _require(env: Mapping[str, str], names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        if not env.get(name, "").strip():
            problems.append(f"{name} fehlt")


def test_recipients(env: Mapping[str, str]) -> list[str]:
    return [part.strip() for part in env.get("NEWSLETTER_TEST_RECIPIENTS", "").split(",") if part.strip()]


@dataclass
class _Setup:
    """What every provider's configuration reads, and the problems found so far."""

    env: Mapping[str, str]
    sender: Sender
    state_dir: Path
    clock: Clock
    log: Log | None
    force: bool
    read_timeout: float = 30.0
    problems: list[str] = field(default_factory=list)


def _outbox(setup: _Setup) -> Provider:
    return OutboxProvider(Path(setup.env.get("NEWSLETTER_OUTBOX") or setup.state_dir.parent / "outbox"),
                          setup.sender)


def _listmonk(setup: _Setup) -> Provider | None:
    env, problems = setup.env, setup.problems
    _require(env, ("LISTMONK_URL", "LISTMONK_USERNAME", "LISTMONK_TOKEN"), problems)
    ids = _ids(env, "LISTMONK_LIST_IDS", problems)
    topics = _topic_lists(env, "LISTMONK_TOPIC_LISTS", ids, problems)
    url = env.get("LISTMONK_URL", "").strip()
    insecure = transport_problem("LISTMONK_URL", url) if url else None
    if insecure:
        problems.append(insecure)
    if problems:
        return None
    sender = setup.sender if not is_placeholder(setup.sender.email) else Sender(setup.sender.name, "")
    return ListmonkProvider(url, env["LISTMONK_USERNAME"].strip(), _secret(env, "LISTMONK_TOKEN"), ids,
                            sender, setup.clock, setup.log, setup.read_timeout, topics)


def _brevo(setup: _Setup) -> Provider | None:
    _require(setup.env, ("BREVO_API_KEY",), setup.problems)
    ids = _ids(setup.env, "BREVO_LIST_IDS", setup.problems)
    topics = _topic_lists(setup.env, "BREVO_TOPIC_LISTS", ids, setup.problems)
    url = setup.env.get("BREVO_API_URL", "").strip() or BREVO_URL
    insecure = transport_problem("BREVO_API_URL", url)
    if insecure:
        setup.problems.append(insecure)
    if setup.problems:
        return None
    return BrevoProvider(_secret(setup.env, "BREVO_API_KEY"), ids, setup.sender, setup.clock, url, setup.log,
                         setup.read_timeout, topics)


def _smtp(setup: _Setup) -> Provider | None:
    env, problems = setup.env, setup.problems
    _require(env, ("SMTP_HOST", "SMTP_TO", "SMTP_LIST_UNSUBSCRIBE"), problems)
    security = env.get("SMTP_SECURITY", "starttls")
    if security not in SECURITY:
        problems.append(f"SMTP_SECURITY „{security}“ – erlaubt: {', '.join(SECURITY)}")
    default_port = {"ssl": 465, "starttls": 587}.get(security, 25)
    try:
        port = int(env.get("SMTP_PORT") or default_port)
    except ValueError:
        problems.append("SMTP_PORT muss eine Zahl sein")
        port = 0
    if port and not 1 <= port <= 65535:
        problems.append(f"SMTP_PORT {port}: eine Portnummer von 1 bis 65535")
    if env.get("SMTP_USERNAME") and not _secret(env, "SMTP_PASSWORD"):
        problems.append("SMTP_PASSWORD fehlt (SMTP_USERNAME ist gesetzt)")
    if env.get("SMTP_USERNAME") and security == "none":
        problems.append("SMTP_SECURITY „none“ mit Anmeldung: das Passwort ginge unverschlüsselt über das "
                        "Netz – „starttls“ oder „ssl“ verwenden")
    unsubscribe = env.get("SMTP_LIST_UNSUBSCRIBE", "")
    if unsubscribe and not unsubscribe.startswith("https://"):
        problems.append("SMTP_LIST_UNSUBSCRIBE muss eine https-Adresse sein (RFC 8058 One-Click)")
    if problems:
        return None
    return SmtpProvider(env["SMTP_HOST"], port, security, env.get("SMTP_USERNAME", "").strip(),
                        _secret(env, "SMTP_PASSWORD"), env["SMTP_TO"], setup.sender, unsubscribe,
                        setup.state_dir, setup.clock, force=setup.force)


_FACTORIES: dict[str, Callable[[_Setup], Provider | None]] = {
    "outbox": _outbox, "listmonk": _listmonk, "brevo": _brevo, "smtp": _smtp}
PROVIDERS = tuple(_FACTORIES)
NEEDS_SENDER = ("brevo", "smtp")


def load_provider(env: Mapping[str, str], sender: Sender, state_dir: Path, clock: Clock,
                  log: Log | None = None, test: bool = False, force: bool = False) -> Provider:
    """The configured provider, or ConfigError listing every missing or invalid variable."""
    choice = env.get("NEWSLETTER_PROVIDER", "outbox").strip() or "outbox"
    if choice not in _FACTORIES:
        raise ConfigError(f"NEWSLETTER_PROVIDER „{choice}“ ist unbekannt – erlaubt: {', '.join(PROVIDERS)}")
    setup = _Setup(env, sender, state_dir, clock, log, force)
    if test and not test_recipients(env):
        setup.problems.append("NEWSLETTER_TEST_RECIPIENTS fehlt: Adressen für den Testversand, "
                              "durch Kommas getrennt")
    if choice in NEEDS_SENDER and ("@" not in sender.email or is_placeholder(sender.email)):
        setup.problems.append("Absenderadresse fehlt: newsletter.from_email in programme.yml eintragen")
    try:
        setup.read_timeout = float(env.get("NEWSLETTER_HTTP_TIMEOUT") or 30)
    except ValueError:
        setup.problems.append("NEWSLETTER_HTTP_TIMEOUT muss eine Zahl (Sekunden) sein")
    provider = _FACTORIES[choice](setup)  # each adds its own problems: all are listed at once
    if setup.problems or provider is None:
        listed = "\n  - ".join(setup.problems)
        raise ConfigError(f"Konfiguration für „{choice}“ unvollständig:\n  - {listed}")
    return provider
