"""Sending providers, chosen by NEWSLETTER_PROVIDER; configuration only from the environment.

Every problem in the configuration is reported at once, before any network call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from plugins.programme.placeholders import is_placeholder

from ..rendered_issue import Sender
from .brevo import DEFAULT_URL as BREVO_URL
from .brevo import BrevoProvider
from .clock import Clock
from .http import Log
from .listmonk import ListmonkProvider
from .outbox import OutboxProvider
from .protocol import Campaign, ConfigError, Provider
from .smtp import SECURITY, SmtpProvider

__all__ = ["Campaign", "Clock", "ConfigError", "Provider", "load_provider", "secrets", "test_recipients"]

PROVIDERS = ("outbox", "listmonk", "brevo", "smtp")
# Values that must never be printed.
SECRET_VARIABLES = ("LISTMONK_TOKEN", "BREVO_API_KEY", "SMTP_PASSWORD")


def secrets(env: Mapping[str, str]) -> list[str]:
    """The secret values present in ``env``, to be masked in every output."""
    return [env[name] for name in SECRET_VARIABLES if env.get(name)]


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


def _require(env: Mapping[str, str], names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        if not env.get(name, "").strip():
            problems.append(f"{name} fehlt")


def test_recipients(env: Mapping[str, str]) -> list[str]:
    return [part.strip() for part in env.get("NEWSLETTER_TEST_RECIPIENTS", "").split(",") if part.strip()]


def load_provider(env: Mapping[str, str], sender: Sender, state_dir: Path, clock: Clock,
                  log: Log | None = None, test: bool = False, force: bool = False) -> Provider:
    """The configured provider, or ConfigError listing every missing or invalid variable."""
    choice = env.get("NEWSLETTER_PROVIDER", "outbox").strip() or "outbox"
    problems: list[str] = []
    if choice not in PROVIDERS:
        raise ConfigError(f"NEWSLETTER_PROVIDER „{choice}“ ist unbekannt – erlaubt: {', '.join(PROVIDERS)}")
    if test and not test_recipients(env):
        problems.append("NEWSLETTER_TEST_RECIPIENTS fehlt: Adressen für den Testversand, "
                        "durch Kommas getrennt")
    needs_sender = choice in ("brevo", "smtp")
    if needs_sender and ("@" not in sender.email or is_placeholder(sender.email)):
        problems.append("Absenderadresse fehlt: newsletter.from_email in programme.yml eintragen")
    try:
        read_timeout = float(env.get("NEWSLETTER_HTTP_TIMEOUT") or 30)
    except ValueError:
        problems.append("NEWSLETTER_HTTP_TIMEOUT muss eine Zahl (Sekunden) sein")
        read_timeout = 30.0
    provider: Provider | None = None
    if choice == "outbox":
        folder = Path(env.get("NEWSLETTER_OUTBOX") or state_dir.parent / "outbox")
        provider = OutboxProvider(folder, sender)
    elif choice == "listmonk":
        _require(env, ("LISTMONK_URL", "LISTMONK_USERNAME", "LISTMONK_TOKEN"), problems)
        ids = _ids(env, "LISTMONK_LIST_IDS", problems)
        url = env.get("LISTMONK_URL", "")
        if url and not url.startswith(("http://", "https://")):
            problems.append("LISTMONK_URL muss mit https:// beginnen")
        if not problems:
            real_sender = sender if not is_placeholder(sender.email) else Sender(sender.name, "")
            provider = ListmonkProvider(url, env["LISTMONK_USERNAME"], env["LISTMONK_TOKEN"], ids,
                                        real_sender, clock, log, read_timeout)
    elif choice == "brevo":
        _require(env, ("BREVO_API_KEY",), problems)
        ids = _ids(env, "BREVO_LIST_IDS", problems)
        if not problems:
            provider = BrevoProvider(env["BREVO_API_KEY"], ids, sender, clock,
                                     env.get("BREVO_API_URL") or BREVO_URL, log, read_timeout)
    else:
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
        if env.get("SMTP_USERNAME") and not env.get("SMTP_PASSWORD"):
            problems.append("SMTP_PASSWORD fehlt (SMTP_USERNAME ist gesetzt)")
        unsubscribe = env.get("SMTP_LIST_UNSUBSCRIBE", "")
        if unsubscribe and not unsubscribe.startswith("https://"):
            problems.append("SMTP_LIST_UNSUBSCRIBE muss eine https-Adresse sein (RFC 8058 One-Click)")
        if not problems:
            provider = SmtpProvider(env["SMTP_HOST"], port, security, env.get("SMTP_USERNAME", ""),
                                    env.get("SMTP_PASSWORD", ""), env["SMTP_TO"], sender, unsubscribe,
                                    state_dir, clock, force=force)
    if problems or provider is None:
        raise ConfigError(f"Konfiguration für „{choice}“ unvollständig:\n  - " + "\n  - ".join(problems))
    return provider
