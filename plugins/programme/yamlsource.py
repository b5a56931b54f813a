"""YAML with line numbers: every error for editors must name the line to fix."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

# The C loader is ~9x faster than the pure-Python one on a large archive.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[Any, ...]


class YamlSyntaxProblem(ValueError):
    """Malformed YAML, with the 0-based line of the mistake inside the document; ``fix`` when the
    mistake is not one of syntax (the caller has its own advice for those)."""

    def __init__(self, message: str, line: int, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix


# PyYAML's messages as an editor reads them: (words of PyYAML's message, ours, our fix or None for
# the caller's usual advice on syntax, whether the mistake is where PyYAML began to read the thing
# it could not finish rather than where it gave up). The first that matches; an unknown message
# stays as PyYAML wrote it. Where PyYAML cannot know the cause, the message names the candidates.
LAYOUT = ("prüfe die Einrückung, und ob darüber ein Anführungszeichen oder eine Klammer offen ist "
          "oder Text nach einem schließenden Anführungszeichen steht")
GERMAN: tuple[tuple[str, str, str | None, bool], ...] = (
    ("scanning a quoted scalar", "ein Anführungszeichen wird nicht geschlossen", None, True),
    ("parsing a flow sequence", "eine eckige Klammer „[“ wird nicht geschlossen",
     "schließe sie, oder setze den ganzen Wert in Anführungszeichen", True),
    ("parsing a flow mapping", "eine geschweifte Klammer „{“ wird nicht geschlossen",
     "schließe sie, oder setze den ganzen Wert in Anführungszeichen", True),
    ("scanning a simple key", "ein Feldname ohne Doppelpunkt", None, True),
    ("mapping values are not allowed", "ein Doppelpunkt mit Leerzeichen mitten in einem Wert",
     "setze einen Text mit „: “ in Anführungszeichen; prüfe auch, ob der Zeile darüber ein Doppelpunkt "
     "fehlt", False),
    ("parsing a quoted scalar", "ein Zeichen nach „\\“ in doppelten Anführungszeichen, das YAML nicht kennt",
     "schreibe den Text in einfache Anführungszeichen", False),
    ("cannot start any token", "ein Zeichen, mit dem kein Wert beginnen kann (Tabulator, %, @ oder `)",
     "rücke mit Leerzeichen ein und setze den Wert in Anführungszeichen", False),
    ("scanning an alias", "ein Wert, der mit „*“ beginnt", "setze ihn in Anführungszeichen", False),
    ("scanning an anchor", "ein Wert, der mit „&“ beginnt", "setze ihn in Anführungszeichen", False),
    ("undefined alias", "ein Wert, der mit „*“ beginnt", "setze ihn in Anführungszeichen", False),
    ("duplicate anchor", "ein Wert, der mit „&“ beginnt", "setze ihn in Anführungszeichen", False),
    ("scanning a block scalar", "nach „|“ oder „>“ muss der Text in der nächsten Zeile beginnen",
     "schreibe den Text eingerückt in die Zeilen darunter", False),
    ("unhashable key", "eine Liste oder ein Abschnitt steht, wo ein Feldname stehen muss", None, False),
    ("could not determine a constructor", "ein YAML-Typ („!…“), den die Website nicht liest",
     "lass das „!…“ weg", False),
    ("parsing a block", "YAML kann diese Zeile nicht einordnen", LAYOUT, False),
    ("expected <block end>", "YAML kann diese Zeile nicht einordnen", LAYOUT, False),
    ("expected <document start>", "Text außerhalb der Felder",
     "jede Zeile ohne Einrückung beginnt ein Feld „name: Wert“ (ein Kommentar beginnt mit #)", False),
    ("expected a single document", "mehr als ein Dokument", "lass die zweite Zeile „---“ weg", False),
)


def _problem(error: yaml.MarkedYAMLError) -> YamlSyntaxProblem:
    message = " ".join(str(part) for part in (error.context, error.problem) if part)
    rule = next((rule for rule in GERMAN if rule[0] in message), None)
    start = rule is not None and rule[3] and error.context_mark is not None
    mark = error.context_mark if start else (error.problem_mark or error.context_mark)
    line = mark.line if mark else 0
    return YamlSyntaxProblem(rule[1], line, fix=rule[2]) if rule else YamlSyntaxProblem(message, line)


def _unreadable_character(error: yaml.reader.ReaderError, text: str) -> YamlSyntaxProblem:
    """A character YAML does not read at all (a control character from a copied text)."""
    line = text[:max(0, error.position)].count("\n")
    return YamlSyntaxProblem(f"ein unsichtbares Steuerzeichen U+{error.character:04X}", line,
                             fix="lösche es (es kommt oft beim Kopieren aus anderen Programmen mit)")


def load(text: str) -> tuple[Any, dict[Path, int], dict[Path, str]]:
    """Parse ``text``; return data, 0-based line per key path, and raw scalars.

    Raw scalars are the text as written, so dates are read exactly as typed
    rather than after YAML's own timestamp guessing.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _plain(node, set())
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise _problem(error) from None
    except yaml.reader.ReaderError as error:
        raise _unreadable_character(error, text) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxProblem(str(error), 0) from None
    except YamlSyntaxProblem:  # _plain's own (it is a ValueError too)
        raise
    except (ValueError, OverflowError):  # 2026-02-30, a number of 5,000 digits
        message, line = _unreadable(node)
        fix = "prüfe den Tag (Monate haben 28 bis 31 Tage)" if message.startswith("Datum") \
            else "schreibe Zahlen mit höchstens 15 Stellen"
        raise YamlSyntaxProblem(message, line, fix=fix) from None
    except RecursionError:  # thousands of nested brackets
        raise YamlSyntaxProblem("zu tief verschachtelt", 0, fix="schreibe Listen und Abschnitte flach") \
            from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    raw: dict[Path, str] = {}
    if node is not None:
        _walk(node, (), lines, raw)
    return data, lines, raw


def _unreadable(node: Any) -> tuple[str, int]:
    """Which scalar YAML's own types could not take (a day that does not exist, a number too long
    for Python), with its 0-based line."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            text = str(current.value)
            if current.tag.endswith(":timestamp"):
                try:
                    date.fromisoformat(text[:10])
                except ValueError:
                    return f"Datum „{text[:40]}“ gibt es nicht", current.start_mark.line
            if current.tag.endswith((":int", ":float")) and len(text) > 4000:
                return f"Zahl mit {len(text)} Stellen", current.start_mark.line
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return "Wert nicht lesbar", 0


def _plain(node: yaml.Node, seen: set[int], line: int = 0) -> None:
    """Refuse what front matter and data files never need and what hides mistakes: anchors and
    aliases (``&a`` … ``*a``: ten lines of them expand to millions of values and stop every build
    and check) and a key written twice (YAML keeps the last one silently: ``status: draft`` above
    ``status: published`` would publish). ``line``: where ``node`` is used (an alias's own node
    carries the anchor's position)."""
    if id(node) in seen:  # the composer makes a node of its own for each value but an alias's
        raise YamlSyntaxProblem("Verweis mit „*“ auf einen Anker „&“", line,
                                "schreibe die Werte aus; Anker und Verweise sind hier nicht möglich")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _plain(item, seen, node.start_mark.line)
    elif isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in keys:
                raise YamlSyntaxProblem(f"Feld „{key}“ steht ein zweites Mal da", key_node.start_mark.line,
                                        "lösche eines davon: es gilt sonst stillschweigend das letzte")
            keys.add(key)
            _plain(key_node, seen, key_node.start_mark.line)
            _plain(value_node, seen, key_node.start_mark.line)


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], raw: dict[Path, str]) -> None:
    lines[path] = node.start_mark.line
    if isinstance(node, yaml.ScalarNode):
        raw[path] = node.value
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, raw)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            _walk(value_node, (*path, key), lines, raw)
            # Point at the key's line: that is where an editor looks.
            lines[(*path, key)] = key_node.start_mark.line
