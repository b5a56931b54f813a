"""A rendered issue and its sender: what providers send, independent of Pelican."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from plugins.programme.locations import UNSUBSCRIBE_SENTINEL
from plugins.programme.post_source import one_line

from .topics import keep, manage_link, topics_in

POSTS_HEADER = "X-Newsletter-Posts"  # the posts an issue carries, kept with what was sent
_MARKER = re.compile(r"<!-- newsletter-posts: ([^>]*) -->")
PREVIEW_FOLDER = "newsletter-preview"  # inside the built site, written on request only
MARKED_HTML, MARKED_TEXT = "themen.html", "themen.txt"  # the issue with its topics marked


@dataclass
class RenderedIssue:
    """A rendered issue as the sender needs it (from newsletter-preview/)."""

    number: int
    key: str
    date: str
    subject: str
    preheader: str
    posts: list[str]
    web_url: str
    html: str
    text: str
    edition: str = ""  # the language edition's key; "" for the originals' language
    language: str = "de"  # its language tag (Content-Language)

    def for_provider(self, escape_html: Callable[[str], str], escape_text: Callable[[str], str],
                     unsubscribe: str, sections: Callable[[str], str] = keep,
                     manage: str | None = None) -> RenderedIssue:
        """The issue as a provider's template language must see it: content escaped, only our
        unsubscribe and preference-page expressions (``manage``; None: the provider has no such
        page and the link goes) and the topics' conditions (``sections``: what becomes of the
        topic marks; by default they go and every part stays) left to evaluate."""
        def text(value: str) -> str:
            return escape_text(value).replace(UNSUBSCRIBE_SENTINEL, unsubscribe)

        def body(value: str) -> str:
            return sections(manage_link(value, manage))

        return replace(self, subject=text(self.subject), preheader=text(self.preheader),
                       html=body(escape_html(self.html).replace(UNSUBSCRIBE_SENTINEL, unsubscribe)),
                       text=body(text(self.text)))

    @property
    def topics(self) -> set[str]:
        """The clusters and measures this issue has news for."""
        return topics_in(self.html)

    def segment(self, topic: str) -> RenderedIssue:
        """The issue as a subscriber of ``topic`` alone sees it (its parts only, no marks)."""
        return replace(self, html=keep(self.html, {topic}), text=keep(self.text, {topic}))

    def save(self, folder: Path, sender: Sender) -> None:
        """Write the issue as the sender and a person reviewing it read it: HTML, text, .eml, JSON."""
        folder.mkdir(parents=True, exist_ok=True)
        # The whole issue as a person reads it; beside it the same with its topics marked, which
        # the sender reads (plugins/newsletter/topics.py).
        whole = replace(self, html=keep(manage_link(self.html, None)),
                        text=keep(manage_link(self.text, None)))
        (folder / "issue.html").write_text(whole.html, encoding="utf-8")
        (folder / "issue.txt").write_text(whole.text, encoding="utf-8")
        (folder / MARKED_HTML).write_text(self.html, encoding="utf-8")
        (folder / MARKED_TEXT).write_text(self.text, encoding="utf-8")
        (folder / "issue.eml").write_bytes(email_message(whole, sender).as_bytes())
        summary = {"number": self.number, "key": self.key, "date": self.date, "subject": self.subject,
                   "preheader": self.preheader, "posts": self.posts, "web_url": self.web_url,
                   "edition": self.edition, "language": self.language}
        (folder / "issue.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                           encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> RenderedIssue:
        info = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
        html, text = ((folder / MARKED_HTML, folder / MARKED_TEXT) if (folder / MARKED_HTML).is_file()
                      else (folder / "issue.html", folder / "issue.txt"))
        return cls(info["number"], info["key"], info["date"], info["subject"], info["preheader"],
                   info["posts"], info["web_url"], html.read_text(encoding="utf-8"),
                   text.read_text(encoding="utf-8"), str(info.get("edition") or ""),
                   str(info.get("language") or "de"))

    @classmethod
    def load_editions(cls, folder: Path) -> list[RenderedIssue]:
        """The issue in the originals' language, then each language edition rendered beside it."""
        return [cls.load(folder), *(cls.load(sub) for sub in sorted(folder.iterdir())
                                    if sub.is_dir() and (sub / "issue.json").is_file())]


@dataclass
class Sender:
    """Who the email is from (programme data)."""

    name: str
    email: str


def posts_marker(posts: list[str]) -> str:
    """An HTML comment naming the posts (slugs have no spaces and no ``>``)."""
    return f"<!-- newsletter-posts: {' '.join(posts)} -->"


def posts_in(text: str) -> list[str] | None:
    found = _MARKER.search(text)
    return found[1].split() if found else None


def email_message(issue: RenderedIssue, sender: Sender, to: str | None = None, variant: str = "",
                    headers: dict[str, str] | None = None) -> EmailMessage:
    """multipart/alternative, text first; ``variant`` keeps test and real Message-IDs apart."""
    message = EmailMessage()
    # Headers are one line: whatever Unicode takes for a line break (U+2028, U+0085…) in programme
    # data or a subject becomes a space, as in every other channel.
    message["Subject"] = ("[TEST] " if variant == "test" else "") + one_line(issue.subject)
    message["From"] = formataddr((one_line(sender.name), sender.email))
    if to:
        message["To"] = to
    date = datetime.fromisoformat(issue.date)
    message["Date"] = format_datetime(date)
    domain = sender.email.rsplit("@", 1)[-1] if "@" in sender.email else "localhost"
    suffix = f".{variant}" if variant else ""
    message["Message-ID"] = f"<{issue.key}{suffix}.{date:%Y%m%d}@{domain}>"
    message[POSTS_HEADER] = " ".join(issue.posts)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(issue.text, subtype="plain", charset="utf-8")
    message.add_alternative(issue.html, subtype="html", charset="utf-8")
    # After the parts are made: making them moves the Content-* headers set so far into the first.
    message["Content-Language"] = issue.language
    return message
