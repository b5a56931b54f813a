"""Pelican generator: newsletter archive pages, and the next issue's preview on request."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins.programme.dates import DateProblem, parse_date
from plugins.programme.problems import ContentProblemsError, Problem

from .compose import NewsletterIssue, SelectionError, compose, load_editorial, select_next
from .images import email_image
from .record import RecordedIssue, load_record
from .render import EmailContext, render_html, render_text
from .rendered import RenderedIssue, Sender, compose_message

PREVIEW_FOLDER = "newsletter-preview"


class NewsletterGenerator(Generator):
    """Reads the enriched articles and the issue record; renders archive and preview."""

    def generate_context(self) -> None:
        settings = self.settings
        content = settings["PATH"]
        settings.setdefault("NEWSLETTER_RECORD", os.path.join(content, "newsletter", "issues.yml"))
        settings.setdefault("NEWSLETTER_EDITORIALS", os.path.join(content, "newsletter"))
        settings.setdefault("NEWSLETTER_UNSUBSCRIBE_URL", "{{ UnsubscribeURL }}")
        self.record = load_record(settings["NEWSLETTER_RECORD"], settings["TIMEZONE"])
        published = {a.slug for a in self.context.get("articles", [])}
        problems = [
            Problem(settings["NEWSLETTER_RECORD"], issue.line,
                    f"Ausgabe {issue.number} nennt den Beitrag „{slug}“, den es nicht (mehr) gibt",
                    "stelle den Beitrag wieder her oder korrigiere den Slug")
            for issue in self.record for slug in issue.posts if slug not in published
        ]
        if problems:
            raise ContentProblemsError(problems)
        self.context["newsletter_issues"] = list(reversed(self.record))

    def _email_context(self) -> EmailContext:
        programme = self.context["programme"]
        base = self.settings["PUBLIC_URL"].rstrip("/") + "/"
        context = EmailContext(base, programme, self.settings["NEWSLETTER_UNSUBSCRIBE_URL"])
        return context

    def _add_images(self, issue: NewsletterIssue, context: EmailContext) -> None:
        for post in issue.posts:
            image = getattr(post, "image", None)
            if image and post.slug not in context.images:
                found = email_image(image, self.settings["PATH"], self.output_path, context.absolute)
                if found:
                    context.images[post.slug] = found

    def recorded_issue(self, recorded: RecordedIssue, by_slug: dict) -> NewsletterIssue:
        editorial = load_editorial(self.settings["NEWSLETTER_EDITORIALS"], recorded.date, None,
                                   self.settings["TIMEZONE"])
        return compose(recorded.number, recorded.date, [by_slug[s] for s in recorded.posts],
                       self.context["programme"], editorial, recorded.subject or None,
                       recorded.preheader or None)

    def generate_output(self, writer) -> None:
        by_slug = {a.slug: a for a in self.context.get("articles", [])}
        issues = [self.recorded_issue(r, by_slug) for r in self.record]
        for issue in issues:
            writer.write_file(f"{issue.url}index.html", self.get_template("newsletter_issue"),
                              self.context, issue=issue, url=issue.url,
                              template_name="newsletter_issue")
        for name, url in (("newsletter_signup", "newsletter/anmelden/"),
                          ("newsletter_confirm", "newsletter/bestaetigen/")):
            writer.write_file(f"{url}index.html", self.get_template(name), self.context, url=url,
                              template_name=name)
        writer.write_file("newsletter/index.html", self.get_template("newsletter_archive"),
                          self.context, issues=list(reversed(issues)), url="newsletter/",
                          template_name="newsletter_archive")
        request = self.settings.get("NEWSLETTER_PREVIEW")
        if request is not None:
            self.write_preview(request)

    def next_issue(self, request: dict) -> NewsletterIssue | None:
        """The next issue as ``request`` (since, posts, date) selects it; None when empty."""
        settings = self.settings
        zone = ZoneInfo(settings["TIMEZONE"])
        since = _date(request.get("since"), settings["TIMEZONE"])
        date = _date(request.get("date"), settings["TIMEZONE"]) or \
            datetime.now(zone).replace(second=0, microsecond=0)
        try:
            posts = select_next(self.context.get("articles", []), self.record, since,
                                request.get("posts"))
        except SelectionError as error:
            raise ContentProblemsError([Problem("--posts", 0, str(error),
                                                "nenne Slugs veröffentlichter Beiträge")]) from None
        if not posts:
            return None
        last = self.record[-1].date if self.record else None
        editorial = load_editorial(settings["NEWSLETTER_EDITORIALS"], None, last, settings["TIMEZONE"])
        number = (self.record[-1].number + 1) if self.record else 1
        return compose(number, date, posts, self.context["programme"], editorial)

    def write_preview(self, request: dict) -> None:
        issue = self.next_issue(request)
        if issue is None:
            return
        context = self._email_context()
        self._add_images(issue, context)
        html = render_html(issue, context, Path(self.theme) / "newsletter")
        text = render_text(issue, context)
        info = self.context["programme"].data.get("newsletter", {})
        rendered = RenderedIssue(issue.number, issue.key, issue.date.isoformat(), issue.subject,
                                 issue.preheader, [p.slug for p in issue.posts],
                                 context.absolute(issue.url), html, text)
        sender = Sender(info.get("from_name", ""), _usable_address(info.get("from_email", "")))
        folder = Path(self.output_path) / PREVIEW_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "issue.html").write_text(html, encoding="utf-8")
        (folder / "issue.txt").write_text(text, encoding="utf-8")
        (folder / "issue.eml").write_bytes(compose_message(rendered, sender).as_bytes())
        summary = {"number": issue.number, "key": issue.key, "date": rendered.date,
                   "subject": issue.subject, "preheader": issue.preheader, "posts": rendered.posts,
                   "web_url": rendered.web_url}
        (folder / "issue.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                           encoding="utf-8")

def _date(value: str | None, timezone: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_date(value, timezone)
    except DateProblem as problem:
        raise ContentProblemsError([Problem("--since", 0, problem.message, problem.fix)]) from None


def _usable_address(address: str) -> str:
    # A placeholder is not an address; previews still need a syntactically valid From.
    return address if "@" in address and "PLATZHALTER" not in address else "newsletter@example.invalid"
