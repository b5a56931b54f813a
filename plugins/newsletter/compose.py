"""Compose a newsletter issue from the enriched articles: which posts, in which order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.programme.dates import DateProblem, parse_date
from plugins.programme.editorials import read_editorial_source
from plugins.programme.markdown_body import render
from plugins.programme.model import Cluster, Measure
from plugins.programme.post_source import one_line
from plugins.programme.problems import ContentProblemsError

from .issue_key import DEFAULT_PREFIX, issue_key, key_prefix
from .plain_text import plain_text
from .record import RecordedIssue


class SelectionError(ValueError):
    """An editor asked for posts that cannot go into the issue."""


@dataclass
class MeasureGroup:
    measure: Measure
    posts: list[Any] = field(default_factory=list)


@dataclass
class ClusterGroup:
    cluster: Cluster
    measures: list[MeasureGroup] = field(default_factory=list)


@dataclass
class Editorial:
    """The optional opening text of an issue, written in Markdown."""

    path: str
    subject: str | None
    preheader: str | None
    html: str
    text: str


@dataclass
class NewsletterIssue:
    """Everything the email, text and archive renderers need, computed once."""

    number: int
    date: datetime
    subject: str
    preheader: str
    posts: list
    groups: list[ClusterGroup]
    editorial: Editorial | None = None
    key_prefix: str = DEFAULT_PREFIX
    events: list = field(default_factory=list)  # upcoming participation dates, soonest first
    edition: str = ""  # the language edition's key; "" for the originals' language
    # The default preheader as HTML with each title marked with its topics, so that a subscriber
    # of some topics sees only their titles in the inbox (plugins/newsletter/topics.py); "" when
    # the preheader is written by the editors.
    preview_marked: str = ""
    # Indicators with a value measured since the last issue (the site's language only: their
    # names, units and sources are written in it).
    figures: list = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identity of the issue (of its language edition) across providers, retries and
        reruns: "newsletter-0003", "newsletter-0003-en"."""
        return issue_key(self.key_prefix, self.number) + (f"-{self.edition}" if self.edition else "")

    @property
    def url(self) -> str:
        return f"newsletter/{self.number}/"


def eligible(articles: list) -> list:
    """Published posts (Pelican already dropped drafts and future posts) meant for the newsletter."""
    return [a for a in articles if a.metadata.get("newsletter", True)]


def select_next(articles: list, record: list[RecordedIssue], since: datetime | None = None,
                slugs: list[str] | None = None) -> list:
    """Posts for the next issue: explicit slugs, posts since a date, or since the last issue."""
    candidates = eligible(articles)
    if slugs:
        by_slug = {a.slug: a for a in candidates}
        everything = {a.slug for a in articles}
        chosen = []
        for slug in slugs:
            if slug not in by_slug:
                reason = ("ist nicht für den Newsletter vorgesehen (newsletter: false)"
                          if slug in everything else "gibt es nicht oder ist nicht veröffentlicht")
                raise SelectionError(f"Beitrag „{slug}“ {reason}")
            chosen.append(by_slug[slug])
        return chosen
    if since is not None:
        return [a for a in candidates if a.date >= since]
    if not record:
        return candidates
    sent = {slug for issue in record for slug in issue.posts}
    # After the newest post the last issue carried, not after its date: a post published while
    # an issue was being sent (a rerun after a partial send records the rerun's date) would
    # otherwise never go out.
    dates = {a.slug: a.date for a in articles}
    carried = [dates[slug] for slug in record[-1].posts if slug in dates]
    since = min(record[-1].date, max(carried)) if carried else record[-1].date
    # ">=": a post of the same minute as the newest carried one that the issue did not carry.
    return [a for a in candidates if a.date >= since and a.slug not in sent]


def group_posts(posts: list, programme) -> list[ClusterGroup]:
    """Clusters and measures in programme order; each post under its first measure, newest first."""
    groups: list[ClusterGroup] = []
    for cluster in programme.clusters:
        measures = []
        for measure in cluster.measures:
            own = [p for p in posts if p.measures and p.measures[0] is measure]
            if own:
                measures.append(MeasureGroup(measure, sorted(own, key=lambda p: p.date, reverse=True)))
        if measures:
            groups.append(ClusterGroup(cluster, measures))
    return groups


def ordered(groups: list[ClusterGroup]) -> list:
    return [post for group in groups for measure in group.measures for post in measure.posts]


EVENTS_PER_ISSUE = 10


def upcoming_events(events: list, date: datetime, zone: ZoneInfo) -> list:
    """The events an issue of ``date`` announces: made known by then and not yet over."""
    return [e for e in events if e.announced <= date and e.upcoming(date, zone)][:EVENTS_PER_ISSUE]


PREVIEW_TITLES = 12  # titles the marked preview text names at most (inboxes show a line)


def marked_preview(template: str, posts: list) -> str:
    """``template`` (its ``%(titles)s`` to fill) as HTML, each title marked with its topics, so
    that a subscriber of some topics reads only theirs in the inbox (every title, not only the
    first three: theirs may come later)."""
    from markupsafe import escape

    from .topics import CLOSE, open_mark, post_topics

    head, _, tail = template.partition("\0")

    def item(post: Any) -> str:
        title = str(post.title).strip()
        return (open_mark(post_topics(post)) + str(escape(title)) + ("" if title[-1:] in ".!?" else ".")
                + " " + CLOSE)

    return str(escape(head)) + "".join(item(p) for p in posts[:PREVIEW_TITLES]) + str(escape(tail))


def compose_issue(number: int, date: datetime, posts: list, programme, editorial: Editorial | None = None,
                  subject: str | None = None, preheader: str | None = None,
                  events: list | None = None, figures: list | None = None) -> NewsletterIssue:
    """Build the issue; subject and preheader fall back to the editorial, then to defaults."""
    groups = group_posts(posts, programme)
    posts = ordered(groups)
    title = programme.data.get("newsletter", {}).get("title") or f"Newsletter von {programme.name}"
    # One line (it becomes a mail header): a line break in programme data turns into a space.
    subject = one_line(subject or (editorial.subject if editorial else None) or f"{title}: Ausgabe {number}")
    marked = ""
    if not preheader:
        preheader = (editorial.preheader if editorial else None) or ""
        if not preheader:
            preheader = "In dieser Ausgabe: " + "; ".join(p.title for p in posts[:3])
            marked = marked_preview("In dieser Ausgabe: \0", posts)
    prefix = key_prefix(programme.newsletter)
    return NewsletterIssue(number, date, subject, preheader, posts, groups, editorial, prefix,
                           list(events or []), preview_marked=marked, figures=list(figures or []))


def new_figures(indicators: list, after: datetime | None, until: datetime) -> list:
    """The indicators with a value dated after the last issue (``after``) and up to ``until``."""
    return [i for i in indicators if any((after is None or v.day > after.date()) and v.day <= until.date()
                                         for v in i.values)]


def language_edition(issue: NewsletterIssue, key: str, programme: Any,
                     editorial: Editorial | None = None) -> NewsletterIssue | None:
    """Issue ``issue`` in language edition ``key``: the posts with a translation made from their
    present text (an outdated one would present an older text as new), in the same order; the
    events in that language where translated; subject and preheader from its editorial
    (``<date>.<key>.md``), else the catalogue's. None when no post of the issue has one."""
    from plugins.programme.agenda import version_of
    from plugins.programme.catalogues import say

    posts = [t for post in issue.posts for t in getattr(post, "translations", ())
             if t.lang == key and not getattr(t, "outdated", False)]
    if not posts:
        return None
    groups = group_posts(posts, programme)
    posts = ordered(groups)
    subject = one_line((editorial.subject if editorial else None) or say(
        key, "Newsletter von %(name)s: Ausgabe %(number)s", name=programme.name, number=issue.number))
    preheader = (editorial.preheader if editorial else None) or say(
        key, "In dieser Ausgabe: %(titles)s", titles="; ".join(p.title for p in posts[:3]))
    marked = "" if editorial and editorial.preheader else marked_preview(
        say(key, "In dieser Ausgabe: %(titles)s", titles="\0"), posts)
    return NewsletterIssue(issue.number, issue.date, subject, preheader, posts, groups, editorial,
                           issue.key_prefix, [version_of(e, key) for e in issue.events], key,
                           preview_marked=marked)


def load_editorial(folder: str | Path, date: datetime | None, after: datetime | None,
                   timezone: str = "Europe/Berlin", edition: str = "") -> Editorial | None:
    """The editorial for an issue: ``<folder>/<YYYY-MM-DD>.md`` (of a language edition:
    ``<YYYY-MM-DD>.<key>.md``).

    For a recorded issue ``date`` names the file exactly; for the next issue
    (``date`` None) the newest file dated after the previous issue is used.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    suffix = f".{edition}" if edition else ""
    files = sorted(p for p in folder.glob(f"*{suffix}.md") if len(p.stem) == 10 + len(suffix))
    chosen = None
    for path in files:
        try:
            day = parse_date(path.stem[:10], timezone)
        except DateProblem:
            continue
        exact = date is not None and path.stem == f"{date:%Y-%m-%d}{suffix}"
        newer = date is None and (after is None or day.date() > after.date())
        if exact or newer:
            chosen = path
    return read_editorial(chosen) if chosen else None


def read_editorial(path: Path) -> Editorial:
    """An editorial file, held to the same HTML policy as posts (it reaches every subscriber)."""
    source = read_editorial_source(path)
    if source.problems:
        raise ContentProblemsError(source.problems)
    html = render(source.body)
    # The text part from the HTML the email shows: comments and raw HTML never reach it.
    return Editorial(str(path), source.meta.get("subject"), source.meta.get("preheader"), html,
                     plain_text(html))
