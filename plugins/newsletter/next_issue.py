"""The next issue, on request: select its posts, render email HTML and text, save them for sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.programme.dates import DateProblem, parse_date
from plugins.programme.locations import UNSUBSCRIBE_SENTINEL
from plugins.programme.model import Programme
from plugins.programme.pictures import pictures_of
from plugins.programme.placeholders import is_placeholder
from plugins.programme.problems import ContentProblemsError, Problem
from plugins.programme.tree import ContentConfig

from .compose import (
    NewsletterIssue,
    SelectionError,
    compose_issue,
    language_edition,
    load_editorial,
    new_figures,
    select_next,
    upcoming_events,
)
from .email_body import EmailContext, render_html, render_text
from .images import FIGURE, chart_image, email_image
from .record import EVENT_PREFIX, RecordedIssue
from .rendered_issue import PREVIEW_FOLDER, RenderedIssue, Sender

# A placeholder is not an address; previews still need a syntactically valid From.
PREVIEW_FROM = "newsletter@example.invalid"


@dataclass(frozen=True)
class IssueRequest:
    """How the editor selects the next issue: since a date, exact slugs, and its date."""

    since: str | None = None
    posts: list[str] | None = None
    date: str | None = None

    @classmethod
    def from_setting(cls, value: dict[str, Any]) -> IssueRequest:
        return cls(value.get("since"), value.get("posts"), value.get("date"))


def _date(value: str | None, timezone: str, option: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_date(value, timezone)
    except DateProblem as problem:
        raise ContentProblemsError([Problem(option, 0, problem.message, problem.fix)]) from None


def next_issue(request: IssueRequest, articles: list[Any], record: list[RecordedIssue],
               programme: Programme, config: ContentConfig,
               events: list[Any] | None = None) -> NewsletterIssue | None:
    """The next issue as ``request`` selects it; None when no post is new."""
    zone = config.timezone
    since = _date(request.since, zone, "--since")
    date = _date(request.date, zone, "--date") or config.now.replace(second=0, microsecond=0)
    try:
        posts = select_next(articles, record, since, request.posts)
    except SelectionError as error:
        raise ContentProblemsError([Problem("--posts", 0, str(error),
                                            "nenne Slugs veröffentlichter Beiträge")]) from None
    if not posts:
        return None
    last = record[-1].date if record else None
    editorial = load_editorial(config.editorials_folder, None, last, zone)
    number = (record[-1].number + 1) if record else 1
    return compose_issue(number, date, posts, programme, editorial,
                         events=upcoming_events(events or [], date, ZoneInfo(zone)),
                         figures=new_figures(programme.indicators, last, date))


def language_editions(issue: NewsletterIssue, programme: Programme, config: ContentConfig,
                      record: list[RecordedIssue]) -> list[NewsletterIssue]:
    """The issue in each other language edition that has a current translation of one of its
    posts, each with its own editorial (``<date>.<key>.md``) where there is one."""
    last = record[-1].date if record else None
    found = []
    for edition in programme.editions[1:]:
        editorial = load_editorial(config.editorials_folder, None, last, config.timezone, edition.key)
        translated = language_edition(issue, edition.key, programme, editorial)
        if translated is not None:
            found.append(translated)
    return found


def save_next_issue(issue: NewsletterIssue, programme: Programme, settings: dict[str, Any],
                    templates: Path, output: Path, pages: tuple[Any, ...] = ()) -> RenderedIssue:
    """Render ``issue`` for email and write it to ``<output>/newsletter-preview/`` (a language
    edition's to ``newsletter-preview/<key>/``); ``pages``: the site's pages, for its legal links."""
    base = settings.get("PUBLIC_URL") or settings.get("SITEURL") or "http://127.0.0.1:8000"
    context = EmailContext(base.rstrip("/") + "/", programme,
                           settings.get("NEWSLETTER_UNSUBSCRIBE_URL") or UNSUBSCRIBE_SENTINEL,
                           pages=pages)
    for post in issue.posts:
        image = getattr(post, "image", None)
        if image and post.slug not in context.images:
            found = email_image(image, settings["PATH"], str(output), context.absolute,
                                pictures_of(settings))
            if found:
                context.images[post.slug] = found
    for indicator in issue.figures:
        context.images[FIGURE + indicator.key] = chart_image(indicator, str(output), context.absolute)
    language = programme.edition(issue.edition).lang if issue.edition else programme.editions[0].lang
    rendered = RenderedIssue(issue.number, issue.key, issue.date.isoformat(), issue.subject, issue.preheader,
                             [p.slug for p in issue.posts] + [EVENT_PREFIX + e.slug for e in issue.events],
                             context.absolute(issue.url),
                             render_html(issue, context, templates), render_text(issue, context),
                             issue.edition, language)
    info = programme.newsletter
    address = str(info.get("from_email", ""))
    sender = Sender(str(info.get("from_name", "")),
                    address if "@" in address and not is_placeholder(address) else PREVIEW_FROM)
    folder = output / PREVIEW_FOLDER
    rendered.save(folder / issue.edition if issue.edition else folder, sender)
    return rendered
