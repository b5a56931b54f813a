"""Pelican settings for one command: the settings file plus the content folder the user chose."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pelican.settings import read_settings

from plugins.programme.locations import (
    CONTENT_ENV,
    PROGRAMME_ENV,
    PROGRAMME_FILENAME,
    file_in_place,
    from_env,
)
from plugins.programme.programme_values import HOST, PORT, is_web_address

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT = ROOT / "pelicanconf.py"
LIVE = ROOT / "publishconf.py"


class EnvironmentValueError(ValueError):
    """A variable of the environment the build cannot use."""


SWITCH_ON = {"1", "true", "yes", "on", "ja", "an"}
SWITCH_OFF = {"0", "false", "no", "off", "nein", "aus"}


def _switch(value: str) -> bool:
    word = value.strip().lower()
    if word not in SWITCH_ON | SWITCH_OFF:
        raise ValueError("weder an (1, true, ja) noch aus (0, false, nein)")
    return word in SWITCH_ON


def _count(value: str) -> int:
    digits = value.strip()
    # ASCII digits only (str.isdigit also takes "²" and other scripts' digits), and a size a
    # build can use.
    if not re.fullmatch(r"[0-9]{1,9}", digits) or int(digits) < 1:
        raise ValueError("keine positive ganze Zahl bis 999999999")
    return int(digits)


def _moment(value: str) -> str:
    from datetime import datetime

    try:
        datetime.fromisoformat(value.strip())  # refused here, not deep inside the build
    except ValueError:
        raise ValueError("kein Zeitpunkt nach ISO 8601 (z. B. 2026-12-01T12:00)") from None
    return value.strip()


# Every environment variable a build reads, with the setting it becomes: read here, once per
# command, and nowhere else (README, "Environment variables"). SLS_CONTENT and SLS_PROGRAMME
# choose the content folder (location_overrides); SITEURL the public address (below).
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "SLS_SEARCH_INDEX": ("SEARCH_INDEX", _switch),
    "SLS_SEARCH_PART_PAGES": ("SEARCH_PART_PAGES", _count),
    "SLS_PRINT": ("PRINT_EDITIONS", _switch),
    "SLS_NOW": ("BUILD_CLOCK", _moment),
    "SLS_PARALLEL_MIN_FILES": ("PARALLEL_MIN_FILES", _count),
}


def environment_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The settings the environment sets; an empty variable (an unset CI variable) sets none."""
    found: dict[str, Any] = {}
    for name, (setting, parse) in ENVIRONMENT.items():
        value = env.get(name, "")
        if value.strip():
            try:
                found[setting] = parse(value)
            except ValueError as error:
                raise EnvironmentValueError(f"Umgebungsvariable {name}={value.strip()[:40]!r}: {error} — "
                                            "korrigiere oder entferne sie") from None
    return found


def location_overrides(content: str | Path | None = None,
                       programme: str | Path | None = None,
                       env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """PATH and PROGRAMME_FILE for a content folder given on the command line (else by
    SLS_CONTENT and SLS_PROGRAMME in ``env``)."""
    env = {} if env is None else env
    if content is None or not str(content).strip():
        content = from_env(env, CONTENT_ENV)
    if programme is None or not str(programme).strip():
        programme = from_env(env, PROGRAMME_ENV)
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
        overrides["PROGRAMME_FILE"] = str(Path(content).resolve() / PROGRAMME_FILENAME)
    if programme is not None:
        overrides["PROGRAMME_FILE"] = str(file_in_place(programme))
    return overrides


class ContentFolderMissing(ValueError):
    """The content folder the command was pointed at does not exist."""


# The site's own address goes into every page, feed, sitemap, robots.txt, the CMS configuration
# and the server's: a scheme, a host, an optional port and a path of plain characters, nothing
# that could end a value there (quotes, spaces, angle brackets, `$`), no query or fragment.
SITE_ADDRESS = re.compile(rf"https?://{HOST}{PORT}?(?:/[A-Za-z0-9._~%!*+,;=:@-]*)*")


def checked_site_address(value: str, name: str) -> str:
    """``value`` as the site's address without a trailing slash; a German error if it is not one."""
    address = value.strip().rstrip("/")
    if address and not is_web_address(address, SITE_ADDRESS):
        raise EnvironmentValueError(
            f"{name}={address[:60]!r}: keine Adresse einer Website — schreibe sie wie "
            "https://www.example.de oder https://example.de/pfad (ohne Leerzeichen, Anführungszeichen, "
            "? oder #)")
    return address


def load_settings(settings_file: str | Path = DEVELOPMENT, content: str | Path | None = None,
                  programme: str | Path | None = None,
                  overrides: dict[str, Any] | None = None,
                  env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings as the build sees them: Pelican's defaults, the settings file, the environment
    (``env``, default: this process's), then ``overrides``. The one place settings are read."""
    env = os.environ if env is None else env
    override = {**environment_settings(env), **location_overrides(content, programme, env)}
    siteurl = checked_site_address(env.get("SITEURL", ""), "SITEURL")
    if siteurl:
        override["PUBLIC_URL"] = siteurl  # absolute addresses (feeds, calendars, emails)
    override.update(overrides or {})
    try:
        settings: dict[str, Any] = read_settings(os.fspath(settings_file), override=override)
    except ValueError as error:
        if "path containing the content" not in str(error):
            raise
        # Pelican's words name its own option; say what the adopter sets instead.
        where = override.get("PATH") or "content"
        raise ContentFolderMissing(
            f"{where}: Inhaltsordner gibt es nicht — prüfe --content bzw. {CONTENT_ENV}, "
            "oder lege einen an: .venv/bin/invoke new-site sites/<name>") from None
    if settings.get("PUBLISHING") and "SITEURL" not in (overrides or {}):
        # The live site's address comes from the deployment, never from the repository.
        settings["SITEURL"] = settings["FEED_DOMAIN"] = siteurl
        settings["PUBLIC_URL"] = siteurl
    for name in ("SITEURL", "PUBLIC_URL"):  # from the settings files and the commands too
        if isinstance(settings.get(name), str):
            checked_site_address(settings[name], name)
    for name, most in BOUNDED_COUNTS.items():  # an adopter's settings file sets these
        value = settings.get(name)
        if name in settings and (type(value) is not int or not 0 <= value <= most):
            raise EnvironmentValueError(f"{settings_file}: {name} = {str(value)[:40]!r} ist keine ganze Zahl "
                                        f"von 0 bis {most} — korrigiere die Einstellung")
    return settings


# Settings that count something, with the largest value that makes sense (plugins/paper).
BOUNDED_COUNTS = {"PRINT_ISSUES": 100, "PRINT_POSTER_DAYS": 3660}
