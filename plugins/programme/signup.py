"""Signing up for the newsletter, in each language that has a list of its own.

``newsletter.signup.lists`` names the lists a sign-up form offers (listmonk: by their UUID;
Brevo: the form's own). An entry with ``language: en`` belongs to the English edition's form:
the English newsletter goes to that list (``LISTMONK_LIST_IDS_EN`` and the like), so a reader
subscribes to it on a page in English, ``/en/newsletter/anmelden/``. Entries without
``language`` are the site's own language's. An entry may name its own ``action``: Brevo makes one
form per list, listmonk takes every list at one address. An entry with ``topic:`` (a cluster's
or a measure's key) is a topic list: its subscribers get only that topic's part of an issue, one
email however many topics they chose (the sender's ``LISTMONK_TOPIC_LISTS`` names its number;
plugins/newsletter/topics.py).
"""

from __future__ import annotations

from typing import Any

from .model import Programme

SIGNUP = "newsletter/anmelden/"
CONFIRM = "newsletter/bestaetigen/"
FIELDS = ("uuid", "title", "language", "action", "topic")


def _signup(programme_data: dict[str, Any]) -> dict[str, Any]:
    newsletter = programme_data.get("newsletter") if isinstance(programme_data, dict) else None
    signup = newsletter.get("signup") if isinstance(newsletter, dict) else None
    return signup if isinstance(signup, dict) else {}


def _lists(programme_data: dict[str, Any]) -> Any:
    return _signup(programme_data).get("lists")


def _entries(programme_data: dict[str, Any]) -> list[Any]:
    lists = _lists(programme_data)
    return lists if isinstance(lists, list) else []


def _topics(data: dict[str, Any]) -> set[str]:
    """The keys a topic list may name: the clusters' and the measures'."""
    return {str(item.get("slug")) for name in ("clusters", "measures")
            for item in (data.get(name) or []) if isinstance(item, dict) and item.get("slug")}


def signup_problems(data: dict[str, Any], keys: list[str]) -> list[tuple[tuple[Any, ...], str, str]]:
    """(where, problem, fix) for each list entry that no form could offer."""
    problems: list[tuple[tuple[Any, ...], str, str]] = []
    provider = str(_signup(data).get("provider") or "")
    lists = _lists(data)
    if lists is not None and not isinstance(lists, list):
        return [(("newsletter", "signup", "lists"), "„lists“ ist keine Liste",
                 "schreibe jede Liste als „- uuid: …“ mit „title: …“ darunter")]
    if lists and not any(isinstance(e, dict) and e.get("language") in (None, keys[0]) for e in lists):
        problems.append((("newsletter", "signup", "lists"),
                         "keine Liste für das Anmeldeformular der eigenen Sprache "
                         "(alle haben eine andere „language“)",
                         "mindestens eine Liste ohne „language“ eintragen"))
    for index, entry in enumerate(_entries(data)):
        where = ("newsletter", "signup", "lists", index)
        if not isinstance(entry, dict):
            problems.append((where, f"Liste {index + 1} hat keine Angaben",
                             "schreibe sie als „- uuid: …“ mit „title: …“ darunter"))
            continue
        for name in sorted(set(entry) - set(FIELDS), key=str):
            problems.append(((*where, name), f"unbekannte Angabe „{name}“",
                             "erlaubt sind " + ", ".join(FIELDS)))
        for name in ("uuid", "title"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                problems.append(((*where, name) if name in entry else where,
                                 f"Liste {index + 1}: Angabe „{name}“ fehlt (als Text)",
                                 "die UUID der Liste beim Anbieter und ihr Titel, wie Lesende ihn sehen"))
        language = entry.get("language")
        if isinstance(language, bool):  # YAML reads no, on, yes … as true or false
            problems.append(((*where, "language"), f"Sprachkürzel „{language}“ wurde als Ja/Nein gelesen",
                             "setze es in Anführungszeichen, z. B. language: \"no\""))
        elif language is not None and (not isinstance(language, str) or language not in keys):
            problems.append(((*where, "language"), f"Sprache „{language}“ gibt es nicht",
                             "eine der Sprachen unter „languages“: " + ", ".join(keys)))
        topic = entry.get("topic")
        known = _topics(data)
        if topic is not None and (not isinstance(topic, str) or topic not in known):
            problems.append(((*where, "topic"), f"Thema „{topic}“ gibt es nicht",
                             "der Schlüssel (slug) eines Clusters oder einer Maßnahme: "
                             + ", ".join(sorted(known))))
        action = entry.get("action")
        own = language in (None, keys[0])
        if action is not None and (not isinstance(action, str) or own):
            problems.append(((*where, "action"), "„action“ gilt nur als Text bei einer Liste mit „language“",
                             "die Adresse des Formulars dieser Sprache als Text; für die eigene Sprache "
                             "gilt newsletter.signup.action"))
        elif provider == "brevo" and not own and action is None:
            problems.append((where, f"Liste {index + 1}: mit Brevo braucht jede Sprache ihr eigenes Formular",
                             "trage bei dieser Liste „action:“ mit der Adresse ihres Brevo-Formulars ein"))
    return problems


def signup_lists(programme: Programme, key: str) -> list[dict[str, Any]]:
    """The lists the form of edition ``key`` offers."""
    own = programme.editions[0].key
    return [entry for entry in _entries(programme.data) if isinstance(entry, dict)
            and (entry.get("language") or own) == key]


def signup_editions(programme: Programme) -> list[str]:
    """The editions with a sign-up form: the site's own always, every other one with a list."""
    return [edition.key for index, edition in enumerate(programme.editions)
            if index == 0 or signup_lists(programme, edition.key)]


def signup_page(programme: Programme, key: str, page: str = SIGNUP) -> str:
    """The address of edition ``key``'s sign-up (or confirmation) page; the site's own where
    that edition has no list."""
    own = key == programme.editions[0].key or key not in signup_editions(programme)
    return page if own else f"{key}/{page}"


def signup_action(programme: Programme, key: str) -> str:
    """Where edition ``key``'s form is sent: its first list's own ``action``, else the one of
    ``newsletter.signup``."""
    signup = programme.newsletter.get("signup") or {}
    for entry in signup_lists(programme, key):
        if entry.get("action"):
            return str(entry["action"])
    return str(signup.get("action") or "")


def signup_actions(programme: Programme) -> list[str]:
    """Every address a sign-up form is sent to (the pages' form-action policy)."""
    return list(dict.fromkeys(signup_action(programme, key) for key in signup_editions(programme)))
