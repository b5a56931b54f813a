"""Topics: the parts of an issue a subscriber chose, in one email per person.

The email's renderers mark each cluster's and each measure's part of an issue with the topics
that part belongs to (``open_mark``/``CLOSE``: HTML comments, in the text part too). A topic is
a cluster's or a measure's key; a measure's part belongs to its cluster and to itself, a
cluster's heading to the cluster and to every measure of it in the issue.

What becomes of the marks is the provider's business (``RenderedIssue.for_provider``):

- listmonk and Brevo turn them into their own template conditions on a contact attribute the
  sender keeps in step with the topic lists a subscriber is on (``plugins.newsletter.sending``),
  so one campaign per issue and language shows each person only their topics;
- ``keep`` cuts an issue to the parts of some topics (the preview and a test of one segment)
  or drops the marks and keeps everything (the web archive, the outbox, SMTP).

Everyone without a topic attribute sees everything: a missing attribute never empties an email.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

EVERYTHING = "*"  # in a subscriber's topics: on a list that carries the whole issue


def attribute(edition: str = "") -> str:
    """listmonk: the subscriber attribute with the topics of language edition ``edition`` ("":
    the originals'), a list of keys. One per edition: a subscriber may be on lists of two."""
    return f"themen_{_word(edition)}" if edition else "themen"


def brevo_attribute(edition: str = "") -> str:
    """Brevo: a text attribute per edition, ",key,key," (Brevo's names are upper case)."""
    return f"THEMEN_{_word(edition).upper()}" if edition else "THEMEN"


def _word(key: str) -> str:
    """A language key as part of an attribute name (a template reads it as a field)."""
    return re.sub(r"[^a-z0-9]", "_", key.lower())


def post_topics(post: object) -> list[str]:
    """The topics of a post: each measure it names and those measures' clusters."""
    measures = list(getattr(post, "measures", None) or [])
    return list(dict.fromkeys([*(m.slug for m in measures), *(m.cluster.slug for m in measures)]))


def group_topics(posts: Iterable[object]) -> list[str]:
    return list(dict.fromkeys(key for post in posts for key in post_topics(post)))


KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # measure and cluster keys (plugins.programme.slugs)
LIST_NUMBER = re.compile(r"[1-9][0-9]{0,9}", re.ASCII)  # a provider's list id
CLOSE = "<!--/sls-topics-->"
_MARK = re.compile(r"<!--sls-topics:([a-z0-9 -]+)-->|<!--/sls-topics-->")


# The link to the provider's preference page (topics, language): kept where it has one.
MANAGE_START, MANAGE_END = "<!--sls-manage-->", "<!--/sls-manage-->"
_MANAGE = re.compile(r"<!--sls-manage-->(.*?)<!--/sls-manage-->\n?", re.S)


def manage_link(text: str, address: str | None) -> str:
    """``text`` with its preference-page link pointing at ``address``, or without it (None)."""
    from plugins.programme.locations import MANAGE_SENTINEL

    if address is None:
        return _MANAGE.sub("", text)
    kept = _MANAGE.sub(lambda found: found[0].replace(MANAGE_START, "").replace(MANAGE_END, ""), text)
    return kept.replace(MANAGE_SENTINEL, address)


class TopicMarkError(ValueError):
    """Marks that do not nest: never produced by the renderers, so something forged them."""


def open_mark(keys: Iterable[str]) -> str:
    chosen = [key for key in keys if KEY.match(key)]
    return f"<!--sls-topics:{' '.join(chosen)}-->"


def _parts(text: str) -> list[tuple[str, str | list[str]]]:
    """("text", …), ("open", keys), ("close", "") in order; raises on marks that do not nest."""
    parts: list[tuple[str, str | list[str]]] = []
    depth, position = 0, 0
    for found in _MARK.finditer(text):
        parts.append(("text", text[position:found.start()]))
        if found[1] is not None:
            depth += 1
            parts.append(("open", found[1].split()))
        else:
            depth -= 1
            if depth < 0:
                raise TopicMarkError("Themenabschnitt endet, ohne begonnen zu haben")
            parts.append(("close", ""))
        position = found.end()
    if depth:
        raise TopicMarkError("Themenabschnitt ohne Ende")
    parts.append(("text", text[position:]))
    return parts


def topics_in(text: str) -> set[str]:
    """The topics an issue has news for."""
    return {key for kind, keys in _parts(text) if kind == "open" for key in keys}


def keep(text: str, topics: set[str] | None = None) -> str:
    """``text`` with only the parts of ``topics`` (None: every part), without marks."""
    out: list[str] = []
    hidden = 0  # depth inside a part that is cut
    for kind, value in _parts(text):
        if kind == "open":
            if hidden or (topics is not None and not (set(value) & topics)):
                hidden += 1
        elif kind == "close":
            hidden = max(0, hidden - 1)
        elif not hidden:
            out.append(str(value))
    return "".join(out)


def convert(text: str, condition: Callable[[list[str]], str], end: str) -> str:
    """``text`` with each part's marks turned into a template language's condition and end."""
    out: list[str] = []
    for kind, value in _parts(text):
        if kind == "open":
            out.append(condition(list(value)))
        elif kind == "close":
            out.append(end)
        else:
            out.append(str(value))
    return "".join(out)


def listmonk_condition(keys: list[str], edition: str = "") -> str:
    """A Go template condition on the subscriber's attribute (Sprig's ``has``, which listmonk
    ships); ``or`` stops at the first true argument, so a missing attribute shows the part."""
    name = f".Subscriber.Attribs.{attribute(edition)}"
    tests = " ".join(f'(has "{key}" {name})' for key in (EVERYTHING, *keys))
    return f"{{{{ if or (not {name}) {tests} }}}}"


LISTMONK_END = "{{ end }}"


def brevo_condition(keys: list[str], edition: str = "") -> str:
    """Brevo's template language (Django-like): ``in`` finds a text in the attribute's text,
    which the sender writes as ",key,key," so that no key is found inside another."""
    name = f"contact.{brevo_attribute(edition)}"
    tests = " or ".join(f'",{key}," in {name}' for key in (EVERYTHING, *keys))
    return f"{{% if not {name} or {tests} %}}"


BREVO_END = "{% endif %}"


def brevo_value(topics: Iterable[str]) -> str:
    return "," + ",".join(sorted(topics)) + "," if topics else ""


def parse_topic_lists(value: str, name: str) -> tuple[dict[str, int], list[str]]:
    """``wue-app:12, smart-city-hub:13`` → {topic: list id}, with a problem per wrong entry
    (whether a topic exists is for the caller, which knows the programme)."""
    lists: dict[str, int] = {}
    problems = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        key, colon, number = (s.strip() for s in part.partition(":"))
        if not colon or not LIST_NUMBER.fullmatch(number) or not KEY.match(key):
            problems.append(f"{name}: „{part}“ – Thema und Listennummer als „schluessel:12“, durch Kommas "
                            "getrennt")
        elif key in lists:
            problems.append(f"{name}: Thema „{key}“ steht zweimal darin")
        else:
            lists[key] = int(number)
    return lists, problems
