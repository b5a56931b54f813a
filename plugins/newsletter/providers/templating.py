"""Content must never become a provider's template expression.

listmonk evaluates subject, body and text as Go templates; Brevo evaluates its own
``{{ … }}``/``{% … %}`` language. A post titled ``{{ .Subscriber.Email }}`` would otherwise be
filled in per subscriber, and a stray ``{{`` would make the provider reject the campaign.
"""

from __future__ import annotations

WORD_JOINER = "\u2060"  # invisible, and no template engine sees "{{" any more


def go_literal(text: str) -> str:
    """Go templates: ``{{"{{"}}`` prints the two braces; nothing else in text is special."""
    return text.replace("{{", '{{"{{"}}')


def brevo_html(html: str) -> str:
    """In HTML the braces become character references: shown as braces, never read as tags."""
    return html.replace("{{", "&#123;&#123;").replace("{%", "&#123;%")


def brevo_text(text: str) -> str:
    """Brevo documents no escape for its language; a word joiner keeps the braces apart."""
    return text.replace("{{", "{" + WORD_JOINER + "{").replace("{%", "{" + WORD_JOINER + "%")
