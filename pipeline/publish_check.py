"""The gate before publishing: no placeholder and no missing public address may go live."""

from __future__ import annotations

from pathlib import Path

from plugins.programme.model import Programme
from plugins.programme.placeholders import programme_placeholders, text_placeholders
from plugins.programme.problems import Problem, display_path
from plugins.programme.programme_file import read_programme
from plugins.programme.schema import EVENT
from plugins.programme.tree import ContentConfig, find_sources, read_source

from .settings import load_settings


def publish_problems(settings_file: Path, content: str | None = None) -> list[Problem]:
    """Everything that must be filled in before the site may be published."""
    settings = load_settings(settings_file, content)
    problems: list[Problem] = []
    if not settings.get("SITEURL"):
        problems.append(Problem(display_path(settings_file), 1, "SITEURL ist nicht gesetzt",
                                "setze die Umgebungsvariable SITEURL auf die öffentliche Adresse"))
    reading = read_programme(display_path(settings["PROGRAMME_FILE"]))
    if reading.programme is None or reading.problems:
        return problems + reading.problems  # the content check and the build judge nothing else then
    problems.extend(programme_placeholders(reading.programme))
    for source in sorted(Path(settings["PATH"]).rglob("*.md")):
        problems.extend(text_placeholders(source, display_path(source)))
    problems.extend(example_events(settings, reading.programme))
    return problems


def example_events(settings: dict, programme: Programme) -> list[Problem]:
    """Sample dates (``example: true``) say on every channel that they are not real; they must
    not go live as if they were."""
    config = ContentConfig.from_settings(settings)
    found = []
    for path, _kind in find_sources(config, (EVENT,)):
        post = read_source(path, config, programme).post
        if post.meta.get("example") is True:
            found.append(Problem(post.path, post.line_of("example"), "Beispieltermin (example: true)",
                                 "trage den echten Termin ein und entferne „example“, oder lösche die Datei"))
    return found
