"""The gate before publishing: no placeholder and no missing public address may go live."""

from __future__ import annotations

from pathlib import Path

from plugins.programme.placeholders import programme_placeholders, text_placeholders
from plugins.programme.problems import Problem, display_path
from plugins.programme.programme_file import load_programme

from .settings import load_settings


def publish_problems(settings_file: Path, content: str | None = None) -> list[Problem]:
    """Everything that must be filled in before the site may be published."""
    settings = load_settings(settings_file, content)
    problems: list[Problem] = []
    if not settings.get("SITEURL"):
        problems.append(Problem(display_path(settings_file), 1, "SITEURL ist nicht gesetzt",
                                "setze die Umgebungsvariable SITEURL auf die öffentliche Adresse"))
    problems.extend(programme_placeholders(load_programme(display_path(settings["PROGRAMME_FILE"]))))
    for source in sorted(Path(settings["PATH"]).rglob("*.md")):
        problems.extend(text_placeholders(source, display_path(source)))
    return problems
