"""Pelican settings for one command: the settings file plus the content folder the user chose."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pelican.settings import read_settings

from plugins.programme.locations import CONTENT_ENV, PROGRAMME_FILENAME, from_env

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT = ROOT / "pelicanconf.py"
LIVE = ROOT / "publishconf.py"


def location_overrides(content: str | Path | None = None,
                       programme: str | Path | None = None) -> dict[str, Any]:
    """PATH and PROGRAMME_FILE for a content folder given on the command line."""
    overrides: dict[str, Any] = {}
    if content is not None and str(content).strip():
        overrides["PATH"] = str(Path(content).resolve())
        overrides["PROGRAMME_FILE"] = str(Path(content).resolve() / PROGRAMME_FILENAME)
    if programme is not None and str(programme).strip():
        overrides["PROGRAMME_FILE"] = str(Path(programme).resolve())
    return overrides


class ContentFolderMissing(ValueError):
    """The content folder the command was pointed at does not exist."""


def load_settings(settings_file: str | Path = DEVELOPMENT, content: str | Path | None = None,
                  programme: str | Path | None = None,
                  overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings as the build sees them (Pelican defaults, our file, then the overrides)."""
    override = {**location_overrides(content, programme), **(overrides or {})}
    try:
        settings: dict[str, Any] = read_settings(os.fspath(settings_file), override=override)
    except ValueError as error:
        if "path containing the content" not in str(error):
            raise
        # Pelican's words name its own option; say what the adopter sets instead.
        where = override.get("PATH") or from_env(os.environ, CONTENT_ENV) or "content"
        raise ContentFolderMissing(
            f"{where}: Inhaltsordner gibt es nicht — prüfe --content bzw. {CONTENT_ENV}, "
            "oder lege einen an: .venv/bin/invoke new-site sites/<name>") from None
    return settings
