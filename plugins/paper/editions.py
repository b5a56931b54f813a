"""What goes on paper: the print editions of each newsletter issue and a poster per event.

The HTML comes from templates under ``theme/print/`` and reads the same objects as the other
renderers (the composed newsletter issue, the build's events). Addresses are those of the
public site, so QR codes and links lead there; a printed address drops the scheme, since
that is how people type it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from plugins.programme.catalogues import say
from plugins.programme.events import N_

from .pdf import QR_SCHEME, PrintDocument, PrintedFile


@dataclass(frozen=True)
class Edition:
    """A PDF as the page that offers it describes it."""

    title: str  # the link text, e.g. "Zum Ausdrucken"
    file: PrintedFile


def css_string(value: str) -> Markup:
    """A CSS string literal for text in a <style> element (where HTML escaping does not apply)."""
    text = " ".join(str(value).split())
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>' else c for c in text)
    return Markup(f'"{escaped}"')


def page_numbers(message: str) -> Markup:
    """CSS ``content`` for a page footer's "Seite %(page)s von %(pages)s" in any language: the
    text as CSS strings (with the spaces around the numbers), the placeholders as counters."""
    css = []
    for part in re.split(r"(%\(pages?\)s)", str(message)):
        if part in ("%(page)s", "%(pages)s"):
            css.append(f"counter({part[2:-2]})")
        elif part:
            css += ['" "'] if part[:1].isspace() else []
            css += [str(css_string(part))] if part.strip() else []
            css += ['" "'] if part[-1:].isspace() and part.strip() else []
    return Markup(" ".join(css))


class Editions:
    """Builds the print documents of one build from its templates and public address."""

    def __init__(self, env: Any, programme: Any, base_url: str) -> None:
        self.env, self.programme = env, programme
        self.base = base_url.rstrip("/") + "/"
        colors = (programme.design.get("colors") or {}).get("light") or {}
        self.globals = {"programme": programme, "qr": lambda address: QR_SCHEME + address,
                        "absolute": self.absolute, "printed": self.printed}
        # The same stylesheet in every document: rendered once per build.
        self.globals["stylesheet"] = Markup(env.get_template("print.css").render(
            colors={"primary": colors.get("primary", "#000000")}))

    def absolute(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def typed(self, path: str) -> str:
        """The address as people type it: without "https://" and "www."."""
        return self.absolute(path).split("://", 1)[-1].removeprefix("www.")

    def printed(self, path: str) -> Markup:
        """The typed address for the page: a line may break after a "/" but never after a "-"
        (a hyphen at the end of a line reads as hyphenation)."""
        parts = self.typed(path).split("/")
        return Markup("/<wbr>".join(str(escape(part)).replace("-", "-\u2060") for part in parts))

    def _html(self, template: str, **values: Any) -> str:
        return str(self.env.get_template(template).render(**self.globals, **values))

    def issue(self, issue: Any) -> list[tuple[str, PrintDocument]]:
        """The regular (12 pt) and the large-print (16 pt) edition of a newsletter issue."""
        found = []
        for large, suffix, title in ((False, "", N_("Zum Ausdrucken")),
                                     (True, "-grossdruck", N_("Zum Ausdrucken in Großdruck"))):
            name = f"Newsletter {issue.number}{' in Großdruck' if large else ''} – {self.programme.name}"
            footer = f"{self.programme.name} · Newsletter, Ausgabe {issue.number}"
            html = self._html("issue.html", issue=issue, large=large, title=name, footer=footer)
            found.append((title, PrintDocument(f"{issue.url}newsletter-{issue.number}{suffix}.pdf", html)))
        return found

    def poster(self, event: Any) -> tuple[str, PrintDocument]:
        """An event's poster in the event's language (a translation's in its own)."""
        key, name = event.lang, self.programme.name
        title = say(key, "Abgesagt: %(title)s", title=event.title) if event.cancelled else event.title
        heading = say(key, "%(title)s – Aushang – %(name)s", title=title, name=name)
        # A poster has no room for an imprint block: who publishes it stands in the page footer.
        provider = (self.programme.legal.get("provider") or {}).get("name") or name
        footer = say(key, "Herausgegeben von %(provider)s für %(name)s · %(address)s", provider=provider,
                     name=name, address=self.typed(""))
        edition = self.programme.edition(key)
        html = self._html("poster.html", event=event, title=heading, footer=footer, lang=edition.lang,
                          dir=edition.dir)
        # The link text is the catalogue's message: each page says it in its own language.
        return N_("Aushang zum Ausdrucken"), PrintDocument(f"{event.url}aushang-{event.slug}.pdf", html)
