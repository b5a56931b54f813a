"""``invoke translated FILE …``: record that a translation matches its original's present text.

A translation says which text of its original it was made from (``translated_from:``, twelve
hex digits of the original's title, summary and text; plugins/programme/editions.py). When the
original changes, the translation's page says it is older, and ``invoke check --fast`` lists it;
once a translator has brought it up to date, this command writes the new value.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from plugins.programme.problems import display_path
from plugins.programme.tree import ContentConfig, read_source

from .settings import DEVELOPMENT, load_settings

FIELD = "translated_from"


def record(path: Path, digest: str) -> str:
    """The file's text with ``translated_from: <digest>`` in its front matter."""
    with path.open(encoding="utf-8", newline="") as file:  # its own line endings stay
        text = file.read()
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise ValueError("Kopfbereich (Front Matter) fehlt")
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        raise ValueError("Kopfbereich wird nicht mit „---“ geschlossen")
    line = f'{FIELD}: "{digest}"'
    for index in range(1, end):
        if re.match(rf"{FIELD}\s*:", lines[index]):
            # The old value, with any lines it continues on (a list, a block): replaced whole.
            following = index + 1
            while following < end and (lines[following][:1] in (" ", "\t", "-")):
                following += 1
            lines[index:following] = [line]
            break
    else:
        lines.insert(end, line)
    return newline.join(lines)


def main(files: list[str], content: str | None = None) -> int:
    settings = load_settings(str(DEVELOPMENT), content, None)
    config = ContentConfig.from_settings(settings)
    from plugins.programme.tree import read_programme_of

    programme = read_programme_of(config).programme
    if programme is None:
        print("programme.yml lässt sich nicht lesen — „invoke check --fast“ sagt, warum", file=sys.stderr)
        return 1
    failed = 0
    for name in files:
        path = Path(name).resolve()
        shown = display_path(path)
        if not path.is_file():
            print(f"{shown}: Datei gibt es nicht — nenne den Pfad der Übersetzung, "
                  "z. B. content/posts/2022-04-11-zukunftswerkstatt.en.md", file=sys.stderr)
            failed += 1
            continue
        if not path.is_relative_to(config.root.resolve()):
            print(f"{shown}: liegt nicht im Inhaltsordner {display_path(config.root)} — "
                  "nenne eine Datei darin oder wähle den Ordner mit --content", file=sys.stderr)
            failed += 1
            continue
        texts_file = config.programme_file.resolve()
        if path.parent == texts_file.parent and path.suffix == texts_file.suffix \
                and path.stem.startswith(texts_file.stem + "."):
            failed += _record_texts(path, programme)
            continue
        try:
            source = read_source(path, config, programme)
        except (OSError, ValueError):
            source = None
        if source is None or source.lang == programme.editions[0].key:
            print(f"{shown}: keine Übersetzung — nur eine Datei wie „beitrag.en.md“ "
                  "hat ein Original, dessen Stand sie eintragen kann", file=sys.stderr)
            failed += 1
            continue
        original = path.with_name(source.key.rsplit("/", 1)[-1] + path.suffix)
        if not original.is_file():
            print(f"{shown}: Original {display_path(original)} fehlt — lege es an", file=sys.stderr)
            failed += 1
            continue
        read = read_source(original, config, programme)
        broken = [p for p in read.post.problems if "kein gültiges YAML" in p.message]
        if broken:
            # Its text as the build reads it is not known: a digest of it would record nothing.
            print(f"{display_path(original)}:{broken[0].line}: Kopfbereich des Originals lässt sich nicht "
                  f"lesen — korrigiere ihn („invoke check --fast“ sagt, wie), dann trage den Stand ein",
                  file=sys.stderr)
            failed += 1
            continue
        digest = read.digest
        try:
            recorded = record(path, digest)
            with path.open("w", encoding="utf-8", newline="") as file:
                file.write(recorded)
        except ValueError as problem:
            print(f"{shown}:1: {problem} — prüfe den Anfang der Datei", file=sys.stderr)
            failed += 1
            continue
        print(f"{shown}: Stand des Originals eingetragen ({FIELD}: {digest})")
    return 1 if failed else 0


def _under(lines: dict[tuple[Any, ...], int], node: tuple[Any, ...]) -> set[int]:
    """The rows of what lies inside ``node`` (a value written over several lines)."""
    return {row for place, row in lines.items() if len(place) > len(node) and place[:len(node)] == node}


def _record_texts(path: Path, programme: Any) -> int:
    """``translated_from`` in every entry of a programme.<key>.yml: the German texts it now
    matches. 0 when recorded, 1 when the file cannot be read (``invoke check --fast`` says why)."""
    from plugins.programme.programme_texts import RECORD, german_digest
    from plugins.programme.yamlsource import YamlSyntaxProblem, load

    shown = display_path(path)
    key = path.stem.rpartition(".")[2]
    texts = programme.texts.get(key)
    with path.open(encoding="utf-8", newline="") as file:
        text = file.read()
    try:
        _data, lines, _raw = load(text)
    except YamlSyntaxProblem:
        texts = None
    if texts is None:
        print(f"{shown}: lässt sich nicht lesen — „invoke check --fast“ sagt, warum", file=sys.stderr)
        return 1
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = text.split(newline)
    # Entries in brackets ("clusters: [{slug: …}]") have no line of their own to write into. Only
    # rows where a key or an entry starts count: a text's own lines may begin with a bracket.
    starts = set(lines.values())
    flow = next((number for number, row in enumerate(rows, 1) if number - 1 in starts
                 and re.match(r"\s*(?:-\s*)?(?:[A-Za-z_]+\s*:\s*)?[\[{]", row.split("#", 1)[0])), None)
    if flow is not None:
        print(f"{shown}:{flow}: Einträge in Klammern kann „invoke translated“ nicht ergänzen — schreibe "
              "jeden Eintrag und jedes Feld in eine eigene Zeile, wie in programme.yml", file=sys.stderr)
        return 1
    taken = sorted(set(lines.values()))
    changes: dict[int, tuple[int, str]] = {}  # first row → (rows it replaces, new row)
    for entry, node in texts.nodes.items():
        # A new "translated_from" goes under the entry's "programme:" or "slug:" line, indented
        # like its keys; one it has already is replaced, with any lines its value took.
        keys = sorted(row for place, row in lines.items() if len(place) == len(node) + 1
                      and place[:-1] == node)
        below = lines[node] if len(node) == 1 else lines[(*node, "slug")]
        first = rows[keys[0]]
        indent = " " * (len(first) - len(first.lstrip(" -")))
        value = f'{indent}{RECORD}: "{german_digest(programme, *entry)}"'
        own = lines.get((*node, RECORD))
        if own is None:
            changes[below + 1] = (0, value)
            continue
        # Its value ends where the next key of the file starts (or at the file's end).
        end = next((row for row in taken if row > own and row not in _under(lines, (*node, RECORD))),
                   len(rows))
        while end - 1 > own and not rows[end - 1].strip():
            end -= 1  # blank lines before the next key stay
        changes[own] = (end - own, value)
    for row in sorted(changes, reverse=True):
        replaced, value = changes[row]
        rows[row:row + replaced] = [value]
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(newline.join(rows))
    print(f"{shown}: Stand von {len(changes)} Einträgen aus programme.yml eingetragen")
    return 0
