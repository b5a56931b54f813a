"""Identities that readers' software remembers: feed entry ids and calendar UIDs.

Each entry's identity is the build's: made from the programme's id authority (RFC 4151 tag
URIs), the first publication date and the address, so it survives edits, rebuilds and a move
to another domain. A ``uid:`` in the front matter keeps the identity of a post or event that
moved; it must never be another entry's, or feed readers and calendars would replace that
entry with this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .problems import Problem


def post_entry_id(authority: str, published: date, slug: str) -> str:
    return f"tag:{authority},{published:%Y-%m-%d}:{slug}"


def event_entry_id(authority: str, announced: date, key: str) -> str:
    return f"tag:{authority},{announced:%Y-%m-%d}:termine/{key}"


def event_calendar_uid(authority: str, key: str) -> str:
    return f"termin-{key}@{authority}"


@dataclass(frozen=True)
class Identity:
    """One file's identities: those the build derives, and the one written in ``uid:``."""

    path: str  # as shown to editors
    derived: tuple[str, ...]
    written: str = ""
    line: int = 1  # the ``uid:`` line


def identity_problems(identities: Iterable[Identity]) -> list[Problem]:
    """A written ``uid:`` that another file's written or derived identity already is: refused at
    the later file's line (in path order), naming the other file."""
    owner: dict[str, str] = {}
    listed = sorted(identities, key=lambda identity: identity.path)
    for identity in listed:
        for value in identity.derived:
            owner.setdefault(value, identity.path)
    problems = []
    for identity in listed:
        uid = identity.written
        if not uid:
            continue
        other = owner.get(uid)
        if other is not None and other != identity.path:
            problems.append(Problem(
                identity.path, identity.line, f"„uid: {uid}“ ist schon die Kennung von {other}",
                "lösche die Zeile „uid:“ (sie ist nur für umgezogene Beiträge und Termine) oder "
                "setze die frühere Kennung genau dieser Datei"))
        else:
            owner[uid] = identity.path
    return problems
