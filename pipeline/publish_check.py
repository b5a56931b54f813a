"""The gate before publishing: no placeholder and no missing public address may go live."""

from __future__ import annotations

import sys
from pathlib import Path

from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.programme.problems import Problem  # noqa: E402
from plugins.programme.registry import PLACEHOLDER, load_programme  # noqa: E402


def publish_problems(settings_file: Path) -> list[Problem]:
    """Everything that must be filled in before the site may be published."""
    settings = read_settings(str(settings_file))
    problems: list[Problem] = []
    if not settings.get("SITEURL"):
        problems.append(Problem(str(settings_file), 1, "SITEURL ist nicht gesetzt",
                                "setze die Umgebungsvariable SITEURL auf die öffentliche Adresse"))
    problems.extend(load_programme(settings["PROGRAMME_FILE"]).placeholders())
    content = Path(settings["PATH"])
    for source in sorted(content.rglob("*.md")):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if PLACEHOLDER in line:
                problems.append(Problem(str(source.relative_to(ROOT) if source.is_relative_to(ROOT)
                                            else source), number,
                                        "Platzhalter im Text", "ersetze ihn durch die echte Angabe"))
    return problems
