"""The gate before publishing: no placeholder and no missing public address may go live."""

from __future__ import annotations

from pathlib import Path

from plugins.programme.files import TextProblem, read_text
from plugins.programme.indicators import FOLDER as INDICATOR_FOLDER
from plugins.programme.model import Programme
from plugins.programme.placeholders import programme_placeholders, text_placeholders
from plugins.programme.problems import Problem, display_path
from plugins.programme.programme_file import read_programme
from plugins.programme.schema import EVENT
from plugins.programme.tree import ContentConfig, find_sources, read_source
from plugins.programme.yamlsource import YamlSyntaxProblem, load

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
    problems.extend(example_indicators(settings))
    return problems


def example_indicators(settings: dict) -> list[Problem]:
    """Sample figures (``example: true`` in content/kennzahlen/) must not go live as measured ones;
    so must no text placeholder there. Judged on the parsed file, however the flag is written."""
    found = []
    folder = Path(settings["PATH"]) / INDICATOR_FOLDER
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() and not folder.is_symlink() else []:
        if path.is_symlink() or not path.is_file():
            continue  # refused by the content check with its reason
        shown = display_path(path)
        found.extend(text_placeholders(path, shown))
        try:
            data, lines, _raw = load(read_text(path))
        except (TextProblem, YamlSyntaxProblem):
            continue  # the content check names the mistake
        if isinstance(data, dict) and data.get("example") is True:
            found.append(Problem(shown, lines.get(("example",), 0) + 1, "Beispielzahlen (example: true)",
                                 "trage gemessene Werte mit ihrer Quelle ein und entferne „example“, "
                                 "oder lösche die Datei"))
    return found


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
