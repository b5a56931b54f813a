"""The programme's language editions (``languages:`` in programme.yml) and translations.

An edition has a key (its address prefix and its files' suffix: ``posts/x.en.md`` is the English
translation of ``posts/x.md``, the layout Sveltia CMS writes with ``i18n.structure:
multiple_files``), a BCP 47 tag for ``lang`` attributes, its name in itself and its writing
direction. The first edition is the site's own language; without ``languages:`` there is one,
German. Leichte Sprache is an edition of its own: its key is ``ls`` and its tag ``de`` (no tag
for it exists; browsers and screen readers read it as German, which it is), so it takes no
part in ``hreflang``, which would name two addresses for one language.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KEY = re.compile(r"[a-z]{2,3}")  # "en", "uk", "ar", "ls": an ISO 639 code or "ls"
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
DIRECTIONS = ("ltr", "rtl")
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"}


@dataclass(frozen=True)
class Edition:
    key: str
    lang: str
    name: str
    dir: str = "ltr"

    @property
    def hreflang(self) -> str | None:
        """The tag search engines get; None where another edition has the same language."""
        return None if self.key == "ls" else self.lang


GERMAN = Edition("de", "de", "Deutsch")


def editions_of(data: dict[str, Any]) -> tuple[Edition, ...]:
    """The editions as written (checked by the programme data check); German alone without."""
    written = data.get("languages")
    if not isinstance(written, list) or not written:
        return (GERMAN,)
    found = []
    for item in written:
        if not isinstance(item, dict) or not KEY.fullmatch(str(item.get("key", ""))):
            continue
        key = str(item["key"])
        lang = str(item.get("lang") or ("de" if key == "ls" else key))
        direction = str(item.get("dir") or ("rtl" if lang.split("-")[0] in RIGHT_TO_LEFT else "ltr"))
        found.append(Edition(key, lang, str(item.get("name") or key), direction))
    return tuple(found) or (GERMAN,)


def edition_problems(data: dict[str, Any], site_lang: str) -> list[tuple[tuple[Any, ...], str, str]]:
    """(where, problem, fix) for every mistake in ``languages:``."""
    written = data.get("languages")
    if written is None:
        return []
    if not isinstance(written, list) or not written:
        return [(("languages",), "„languages“ ist keine Liste von Sprachen",
                 "schreibe jede Sprache als „- key: en“ mit „name: English“ darunter")]
    problems: list[tuple[tuple[Any, ...], str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(written):
        where = ("languages", index)
        if not isinstance(item, dict):
            problems.append((where, f"Sprache {index + 1} hat keine Angaben",
                             "schreibe sie als „- key: en“ mit „name: English“ darunter"))
            continue
        key = str(item.get("key", ""))
        if isinstance(item.get("key"), bool):  # YAML reads no, on, yes … as true or false
            problems.append(((*where, "key"), f"Sprachkürzel „{key}“ wurde als Ja/Nein gelesen",
                             "setze es in Anführungszeichen, z. B. key: \"no\""))
        elif not KEY.fullmatch(key):
            problems.append(((*where, "key"), f"„{key}“ ist kein Sprachkürzel für Adressen",
                             "zwei oder drei Kleinbuchstaben, z. B. „en“, „uk“, „ar“; "
                             "„ls“ für Leichte Sprache"))
        elif key in seen:
            problems.append(((*where, "key"), f"Sprache „{key}“ doppelt", "jede Sprache nur einmal"))
        seen.add(key)
        for name in sorted(set(item) - {"key", "lang", "name", "dir"}):
            problems.append(((*where, name), f"unbekannte Angabe „{name}“",
                             "erlaubt sind key, lang, name, dir"))
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            problems.append(((*where, "name") if "name" in item else where,
                             f"Sprache „{key}“ hat keinen Namen (als Text)",
                             "ihr Name in ihr selbst, z. B. „name: Українська“"))
        if "lang" in item and not LANGUAGE_TAG.fullmatch(str(item["lang"])):
            problems.append(((*where, "lang"), f"„{item['lang']}“ ist kein Sprachkürzel (BCP 47)",
                             "z. B. „de“, „en“, „uk“"))
        if "dir" in item and item["dir"] not in DIRECTIONS:
            problems.append(((*where, "dir"), f"Schreibrichtung „{item['dir']}“ unbekannt",
                             "ltr (links nach rechts) oder rtl (rechts nach links, z. B. Arabisch)"))
    tags: dict[str, str] = {}
    for index, item in enumerate(written):
        if isinstance(item, dict) and str(item.get("key")) != "ls":
            tag = str(item.get("lang") or item.get("key"))
            if tag in tags:
                problems.append((("languages", index), f"Sprache „{item.get('key')}“ hat dasselbe "
                                 f"Sprachkürzel „{tag}“ wie „{tags[tag]}“",
                                 "jede Sprache mit ihrem eigenen Kürzel (nur Leichte Sprache teilt „de“)"))
            tags.setdefault(tag, str(item.get("key")))
    first = written[0] if isinstance(written[0], dict) else None
    if first is not None and first.get("key") != site_lang:
        problems.append((("languages", 0), f"die erste Sprache ist „{first.get('key')}“, die Website "
                         f"aber „{site_lang}“ (programme.lang)",
                         "die erste Sprache ist die der Originale: setze sie an den Anfang"))
    return problems


def published_translations(originals: Iterable[Any]) -> list[Any]:
    """The published translations of ``originals`` (Pelican lists them on each original; a
    translation of an unpublished original is never published, plugins/programme/tree.py)."""
    return [t for item in originals for t in getattr(item, "translations", ()) if t.status == "published"]


def original_digest(title: Any, summary: Any, body: str) -> str:
    """What a translation records as ``translated_from``: twelve hex digits of the original's
    title, summary and text. A changed original has another one: its translations are then
    out of date until a translator looks at them and records the new value."""
    # Line endings are not text: an original saved with CRLF is the same original.
    text = "\0".join(str(part or "").replace("\r\n", "\n").replace("\r", "\n").strip()
                     for part in (title, summary, body))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
