"""Render a NewsletterIssue as email HTML (Jinja → MJML → HTML) and as plain text.

Both read the same composed issue; the text is written from the data, never by
stripping the HTML. Remote fonts are switched off (mjml-python would add
Google Fonts), no tracking pixel, no link rewriting.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from mjml import mjml2html

from plugins.programme.formatting import date_de, isodate, when_de
from plugins.programme.model import Programme
from plugins.programme.urls import absolute

from .compose import NewsletterIssue

WIDTH = 72
CONTENT_WIDTH = 552  # 600 px email minus padding


@dataclass(frozen=True)
class EmailImage:
    url: str
    width: int
    height: int


@dataclass
class EmailContext:
    """What the renderers need besides the issue: addresses, programme, images."""

    base_url: str
    programme: Programme
    unsubscribe_url: str
    images: dict[str, EmailImage] = field(default_factory=dict)

    def absolute(self, path: str) -> str:
        return absolute(self.base_url.rstrip("/") + "/", path)

    def links(self, issue: NewsletterIssue) -> dict[str, str]:
        return {
            "web": self.absolute(issue.url),
            "impressum": self.absolute("impressum/"),
            "datenschutz": self.absolute("datenschutz/"),
            "barrierefreiheit": self.absolute("barrierefreiheit/"),
            "unsubscribe": self.unsubscribe_url,
            "signup": self.absolute("newsletter/anmelden/"),
            "home": self.absolute(""),
        }


def _environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(date_de=date_de, isodate=isodate, when_de=when_de)
    return env


def render_html(issue: NewsletterIssue, context: EmailContext, templates: Path) -> str:
    """The email's HTML body."""
    design = context.programme.design.get("colors", {})
    mjml = _environment(templates).get_template("issue.mjml").render(
        issue=issue, ctx=context, links=context.links(issue), programme=context.programme,
        light=design.get("light", {}), dark=design.get("dark", {}), width=CONTENT_WIDTH)
    # fonts={} keeps mjml-python from adding Google Fonts links.
    return mjml2html(mjml, fonts={})


def _underline(text: str, char: str) -> str:
    lines = textwrap.wrap(text, WIDTH) or [""]
    return "\n".join(lines) + "\n" + char * min(WIDTH, max(len(line) for line in lines))


def _para(text: str) -> str:
    return "\n".join(textwrap.fill(block, WIDTH) for block in text.split("\n\n") if block.strip())


def render_text(issue: NewsletterIssue, context: EmailContext) -> str:
    """The text/plain alternative, readable at 72 columns."""
    links = context.links(issue)
    programme = context.programme
    out = [f"{programme.name} – Newsletter, Ausgabe {issue.number}", date_de(issue.date), "",
           f"Im Browser lesen: {links['web']}", "", _underline(issue.subject, "="), ""]
    if issue.editorial:
        out += [_para(issue.editorial.text), ""]
    for group in issue.groups:
        out += [_underline(f"{programme.cluster_word.singular} {group.cluster.title}", "="), ""]
        for measure_group in group.measures:
            for post in measure_group.posts:
                measures = ", ".join(m.title for m in post.measures)
                out += [_underline(post.title, "-"),
                        textwrap.fill(f"{measures} · {date_de(post.date)}", WIDTH), "",
                        _para(post.metadata.get("summary", "")), "",
                        *([_para(f"In Leichter Sprache: {post.summary_easy}"), ""]
                          if getattr(post, "summary_easy", None) else []),
                        f"Weiterlesen: {context.absolute(post.url)}", ""]
    if issue.events:
        out += [_underline("Termine", "="), ""]
        for event in issue.events:
            where = "Online" if event.online else (event.place.one_line if event.place else "")
            notes = [note for note in (event.status_label, "Beispieltermin" if event.example else "") if note]
            out += [_underline(("Abgesagt: " if event.cancelled else "") + event.title, "-"),
                    textwrap.fill(when_de(event.when.start, event.when.end)
                                  + "".join(f" · {note}" for note in notes), WIDTH),
                    *([textwrap.fill(where, WIDTH)] if where else []), "",
                    _para(event.summary), "", f"Mehr zum Termin: {context.absolute(event.url)}", ""]
    reason = programme.data.get("newsletter", {}).get("reason", "")
    out += ["-- ", _para(reason), "",
            f"Abmelden: {links['unsubscribe']}",
            f"Impressum: {links['impressum']}",
            f"Datenschutz: {links['datenschutz']}",
            f"Im Browser lesen: {links['web']}", ""]
    return "\n".join(out)
