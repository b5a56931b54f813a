"""The issue as one RFC 5322 message: multipart/alternative with text and HTML."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from .compose import NewsletterIssue


def sender_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1] if "@" in address else "localhost"


def build_message(issue: NewsletterIssue, html: str, text: str, from_name: str, from_email: str,
                  to: str | None = None, programme_name: str = "", variant: str = "") -> EmailMessage:
    """A complete message; ``variant`` (e.g. "test") keeps Message-IDs of test and real sends apart."""
    message = EmailMessage()
    message["Subject"] = issue.subject
    message["From"] = formataddr((from_name, from_email))
    if to:
        message["To"] = to
    message["Date"] = format_datetime(issue.date)
    suffix = f".{variant}" if variant else ""
    message["Message-ID"] = f"<{issue.key}{suffix}.{issue.date:%Y%m%d}@{sender_domain(from_email)}>"
    message["Content-Language"] = "de"
    if programme_name:
        message["X-Newsletter-Issue"] = f"{programme_name} {issue.key}"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
