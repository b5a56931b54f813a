"""Render a NewsletterIssue as email HTML (Jinja → MJML → HTML) and as plain text.

Both read the same composed issue; the text is written from the data, never by
stripping the HTML. Remote fonts are switched off (mjml-python would add
Google Fonts), no tracking pixel, no link rewriting.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from plugins.programme.catalogues import catalogue, date_in, say, when_in
from plugins.programme.edition_pages import foreign_edition, lang_mark, page_link
from plugins.programme.events import N_
from plugins.programme.formatting import isodate
from plugins.programme.indicators import summary
from plugins.programme.locations import MANAGE_SENTINEL
from plugins.programme.model import Programme
from plugins.programme.programme_texts import has_text_in, plain_text_in
from plugins.programme.urls import absolute

from .compose import NewsletterIssue
from .topics import CLOSE, MANAGE_END, MANAGE_START, group_topics, open_mark, post_topics

WIDTH = 72
PREVIEW_PLACEHOLDER = "sls-preview-text-with-topics"  # replaced after MJML (render_html)
CONTENT_WIDTH = 552  # 600 px email minus padding


@dataclass(frozen=True)
class EmailImage:
    url: str
    width: int
    height: int


# The legal pages every email links where the site has them (by slug, file name or
# legal_section), with their names in the interface catalogues.
LEGAL_PAGES = (("impressum", N_("Impressum")), ("datenschutz", N_("Datenschutz")),
               ("barrierefreiheit", N_("Barrierefreiheit")))


@dataclass(frozen=True)
class LegalLink:
    label: str  # in the issue's language, "(in German)" added where the page is only German
    address: str
    lang: str  # the page's language where it is not the issue's, else ""


@dataclass
class EmailContext:
    """What the renderers need besides the issue: addresses, programme, images."""

    base_url: str
    programme: Programme
    unsubscribe_url: str
    images: dict[str, EmailImage] = field(default_factory=dict)
    # The site's pages (Pelican's, with their translations): the legal pages are linked where
    # they are, in the issue's language where translated (plugins.programme.edition_pages).
    pages: tuple[Any, ...] = ()

    def absolute(self, path: str) -> str:
        return absolute(self.base_url.rstrip("/") + "/", path)

    def page(self, slug: str, issue: NewsletterIssue) -> tuple[str, str] | None:
        """(address, the page's language where it is not the issue's) of one of the site's pages;
        None where the site has no such page (nothing to link)."""
        key = issue.edition or self.programme.editions[0].key
        if self.pages:
            found = page_link(self.programme, self.pages, slug, key)
            return None if found is None else (self.absolute(found.url), found.lang)
        # Rendered without the site's pages (the benchmark's in-process render): the usual address.
        own, first = self.programme.edition(key).lang, self.programme.editions[0].lang
        return self.absolute(f"{slug}/"), "" if own == first else first

    def legal(self, issue: NewsletterIssue) -> list[LegalLink]:
        """The legal notice, privacy and accessibility statements the site has, in the issue's
        language where translated; one only in German says so ("Privacy (in German)")."""
        key = issue.edition or ""
        found = []
        for slug, name in LEGAL_PAGES:
            page = self.page(slug, issue)
            if page is None:
                continue
            address, lang = page
            label = say(key, name)
            found.append(LegalLink(say(key, "%(page)s (auf Deutsch)", page=label) if lang else label,
                                   address, lang))
        return found

    def links(self, issue: NewsletterIssue) -> dict[str, str]:
        return {
            "web": self.absolute(issue.url),
            "unsubscribe": self.unsubscribe_url,
            "manage": MANAGE_SENTINEL,
            "signup": self.absolute("newsletter/anmelden/"),
            "home": self.absolute(""),
        }


# The environments made so far, by templates folder, programme and language: making one (and
# compiling the email's template in it) took 40 of the 45 ms an issue took to render. Bounded;
# an entry is used only for the very programme it was made for.
_ENVIRONMENTS: dict[tuple[str, int, str], tuple[Programme, Environment]] = {}
_KEPT = 12


def _environment(templates: Path, programme: Programme, key: str) -> Environment:
    """The email's templates in language edition ``key`` ("" for the originals'), made once per
    programme and language (the loader still notices a changed template file)."""
    index = (str(templates), id(programme), key)
    kept = _ENVIRONMENTS.get(index)
    if kept is not None and kept[0] is programme:
        return kept[1]
    env = _make_environment(templates, programme, key)
    if len(_ENVIRONMENTS) >= _KEPT:
        _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
    _ENVIRONMENTS[index] = (programme, env)
    return env


def _cluster_topics(group: Any) -> list[str]:
    """The topics of a cluster's part of an issue: those of every post in it."""
    return group_topics(post for measure in group.measures for post in measure.posts)


def _make_environment(templates: Path, programme: Programme, key: str) -> Environment:
    """The email's templates in language edition ``key`` ("" for the originals'): messages from
    its catalogue (escaped: a translation is text), dates, times and programme texts in it."""
    env = Environment(loader=FileSystemLoader(str(templates)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    words = catalogue(key)  # "" (the originals' language): no catalogue, the German text
    env.install_gettext_callables(lambda message: str(escape(words.gettext(message))),  # type: ignore[attr-defined]
                                  lambda one, more, n: str(escape(words.ngettext(one, more, n))),
                                  newstyle=True)
    edition = programme.edition(key) if key else programme.editions[0]
    env.globals.update(
        edition=edition, translated=bool(key),
        local_date=lambda moment: date_in(key, edition.lang, moment),
        local_when=lambda start, end=None: when_in(key, edition.lang, start, end),
        text_in=lambda entity, name: plain_text_in(programme, entity, name, edition.key),
        has_text_in=lambda entity, name: has_text_in(programme, entity, name, edition.key))
    env.filters.update(isodate=isodate)

    def foreign_lang(item: Any) -> str:
        """The language of a post or event shown in this edition where it is not the edition's
        (a German event in the English email: "de"), else ""."""
        own = foreign_edition(programme, item, edition)
        return str(own.lang) if own is not None else ""

    env.globals.update(foreign_lang=foreign_lang, lang_mark=lambda item: lang_mark(programme, item, edition))
    env.globals.update(topic_mark=lambda keys: Markup(open_mark(keys)), topic_end=Markup(CLOSE),
                       post_topics=post_topics, cluster_topics=_cluster_topics,
                       manage_start=Markup(MANAGE_START), manage_end=Markup(MANAGE_END),
                       figure_summary=summary, figure_topics=lambda i: figure_topics(i, programme),
                       figures_topics=lambda items: figures_topics(items, programme))
    return env


def render_html(issue: NewsletterIssue, context: EmailContext, templates: Path) -> str:
    """The email's HTML body (in the issue's language edition, right to left where it is)."""
    design = context.programme.design.get("colors", {})
    mjml = _environment(templates, context.programme, issue.edition).get_template("issue.mjml").render(
        issue=issue, ctx=context, links=context.links(issue), legal=context.legal(issue),
        programme=context.programme,
        preview_placeholder=PREVIEW_PLACEHOLDER,
        light=design.get("light", {}), dark=design.get("dark", {}), width=CONTENT_WIDTH)
    # fonts={} keeps mjml-python from adding Google Fonts links.
    from mjml import mjml2html  # here: the processes that write pages never load it

    html = mjml2html(mjml, fonts={})
    # MJML drops comments from the preview text: its topic marks go in afterwards.
    return html.replace(PREVIEW_PLACEHOLDER, issue.preview_marked) if issue.preview_marked else html


def _clean(text: str) -> str:
    """Content as the text part shows it: an HTML comment opener in it (a title, a summary) is
    kept from ever reading as one of our marks (plugins/newsletter/topics.py)."""
    return str(text).replace("<!--", "<!-\u2060-")


def _fill(text: str) -> str:
    return textwrap.fill(_clean(text), WIDTH)


def _underline(text: str, char: str) -> str:
    text = _clean(text)
    lines = textwrap.wrap(text, WIDTH) or [""]
    return "\n".join(lines) + "\n" + char * min(WIDTH, max(len(line) for line in lines))


def _para(text: str) -> str:
    return "\n".join(textwrap.fill(block, WIDTH) for block in _clean(text).split("\n\n") if block.strip())


def figure_topics(indicator: Any, programme: Programme) -> list[str]:
    """The topics an indicator's chart belongs to: its measure and that measure's cluster."""
    measure = programme.measure(indicator.measure)
    return [measure.slug, measure.cluster.slug] if measure is not None else []


def figures_topics(indicators: list[Any], programme: Programme) -> list[str]:
    """The topics of all ``indicators`` together; none (everyone) when one is programme-wide."""
    found: list[str] = []
    for indicator in indicators:
        topics = figure_topics(indicator, programme)
        if not topics:
            return []
        found += [topic for topic in topics if topic not in found]
    return found


def render_text(issue: NewsletterIssue, context: EmailContext) -> str:
    """The text/plain alternative, readable at 72 columns, in the issue's language edition."""
    links = context.links(issue)
    programme = context.programme
    key = issue.edition
    tag = programme.edition(key).lang if key else programme.editions[0].lang

    def _(message: str, **values: Any) -> str:  # the catalogues' keyword: its messages are extracted
        return say(key, message, **{name: _clean(value) for name, value in values.items()})

    def title(entity: Any) -> str:
        return plain_text_in(programme, entity, "title", key or programme.editions[0].key)

    def day(moment: Any) -> str:
        return date_in(key, tag, moment)

    # A language edition has no copy in the web archive (which shows the whole issue in German).
    web = [] if key else [f"Im Browser lesen: {links['web']}", ""]
    out = [_("%(name)s – Newsletter, Ausgabe %(number)s", name=programme.name, number=issue.number),
           day(issue.date), "", *web, _underline(issue.subject, "="), ""]
    if issue.editorial:
        out += [_para(issue.editorial.text), ""]
    for group in issue.groups:
        # Each cluster's part and each post marked with its topics, as in the HTML
        # (plugins/newsletter/topics.py); content never makes a mark (_clean).
        keys = _cluster_topics(group)
        heading = f"{programme.cluster_word.singular} {title(group.cluster)}"
        out += [open_mark(keys) + _underline(heading, "="), ""]
        for measure_group in group.measures:
            for post in measure_group.posts:
                measures = ", ".join(title(m) for m in post.measures)
                out += [open_mark(post_topics(post)) + _underline(post.title, "-"),
                        _fill(f"{measures} · {day(post.date)}"), "",
                        _para(post.metadata.get("summary", "")), "",
                        *([_para(_("In Leichter Sprache: %(text)s", text=post.summary_easy)), ""]
                          if getattr(post, "summary_easy", None) else []),
                        _("Weiterlesen: %(address)s", address=context.absolute(post.url)), ""]
                out[-1] += CLOSE
        out[-1] += CLOSE
    if issue.figures:
        # The heading only for those who get a chart under it (a programme-wide one: everyone).
        every = figures_topics(issue.figures, programme)
        out += [(open_mark(every) if every else "") + _underline(_("Wirkung in Zahlen"), "="), ""]
        for indicator in issue.figures:
            name = indicator.title + (" (" + _("Beispielzahlen") + ")" if indicator.example else "")
            marked = bool(indicator.measure)
            mark = open_mark(figure_topics(indicator, programme)) if marked else ""
            out += [mark + _underline(name, "-"),
                    _para(summary(indicator) + "."), "",
                    _("Alle Werte und Quellen: %(address)s",
                      address=context.absolute("wirkung/") + "#kennzahl-" + indicator.key), ""]
            if marked:
                out[-1] += CLOSE
        if every:
            out[-1] += CLOSE
    if issue.events:
        out += [_underline(_("Termine"), "="), ""]
        for event in issue.events:
            where = _("Online") if event.online else (event.place.one_line if event.place else "")
            example = N_("Beispieltermin") if event.example else ""
            notes = [_(note) for note in (event.status_label, example) if note]
            name = _("Abgesagt: %(title)s", title=event.title) if event.cancelled else event.title
            out += [_underline(name, "-"),
                    textwrap.fill(when_in(key, tag, event.when.start, event.when.end)
                                  + "".join(f" · {note}" for note in notes), WIDTH),
                    *([_fill(where)] if where else []), "",
                    _para(event.summary), "",
                    _("Mehr zum Termin: %(address)s", address=context.absolute(event.url)), ""]
    reason = plain_text_in(programme, "programme", "newsletter_reason", key or programme.editions[0].key)
    out += ["-- ", _para(reason), "",
            _("Abmelden: %(address)s", address=links["unsubscribe"]),
            MANAGE_START + _("Themen und Sprache ändern: %(address)s", address=links["manage"]) + MANAGE_END,
            *(f"{_clean(link.label)}: {link.address}" for link in context.legal(issue)),
            *web, ""]
    return "\n".join(out)
