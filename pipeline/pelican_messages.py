"""Pelican's own log lines, said in German for editors.

Pelican warns in English and with the build machine's absolute paths. Editors see the
lines our checks write; what Pelican says on top is either translated here (the warnings
an editor's content can cause), dropped (what only repeats a problem our checks already
reported, or concerns Pelican's internals), or summed up in one German line that says how
to see the original (``SLS_DEBUG=1``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from plugins.programme.problems import display_path

DEBUG_VARIABLE = "SLS_DEBUG"


def _shown(value: object) -> str:
    text = str(value)
    return display_path(text) if os.path.isabs(text) else text


# Pelican's message templates (record.msg) → a German line from the record's arguments.
TRANSLATIONS: dict[str, Callable[..., str]] = {
    "Unable to find '%s', skipping url replacement.":
        lambda target: f"Link-Ziel „{_shown(target)}“ nicht gefunden — der Link bleibt, wie er ist",
    "Empty alt attribute for image %s in %s":
        lambda image, path: f"{_shown(path)}: Bild „{image}“ hat keinen Alternativtext — "
                            "beschreibe, was darauf zu sehen ist",
    "{filename} used for linking to static content %s in %s. Use {static} instead":
        lambda target, path: f"{_shown(path)}: Datei „{_shown(target)}“ ist mit {{filename}} "
                             "verlinkt — schreibe {static}",
    "Duplicate definition of `%s` for %s. Using first one.":
        lambda name, path: f"{_shown(path)}: „{name}“ ist doppelt definiert — die erste Angabe gilt",
    'Unable to generate valid slug for %s "%s".':
        lambda kind, name: f"Für „{name}“ lässt sich keine Adresse bilden — wähle einen Namen mit "
                           "Buchstaben oder Ziffern",
    "While copying %s: %s: %s":
        lambda source, file, reason: f"Datei „{_shown(file)}“ konnte nicht kopiert werden ({reason})",
    "A problem occurred copying file %s to %s; %s":
        lambda source, target, reason: f"Datei „{_shown(source)}“ konnte nicht kopiert werden",
}
# Messages that only repeat what our checks report with path and line (a file outside the
# content folder that the cache cannot stat), or that concern Pelican's own code.
DROPPED = ("Cannot get modification stamp for %s\n\t%s",)
UNKNOWN = (f"Pelican hat einen technischen Hinweis ausgegeben — für Einzelheiten mit "
           f"{DEBUG_VARIABLE}=1 bauen")


def german(records: list[logging.LogRecord], debug: bool | None = None) -> list[str]:
    """The lines an editor sees for Pelican's warnings: translated, without duplicates."""
    if debug is None:
        debug = bool(os.environ.get(DEBUG_VARIABLE))
    lines: list[str] = []
    for record in records:
        template = record.msg if isinstance(record.msg, str) else None
        if template in DROPPED and not debug:
            continue
        translate = TRANSLATIONS.get(template or "")
        line = None
        if translate is not None and isinstance(record.args, tuple):
            try:
                line = translate(*record.args)
            except TypeError:  # another Pelican version with other arguments
                line = None
        if line is None:
            line = f"Pelican: {record.getMessage()}" if debug else UNKNOWN
        if line not in lines:
            lines.append(line)
    return lines
