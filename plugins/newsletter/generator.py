"""Pelican generator: newsletter archive pages, and the next issue's files on request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plugins.engine.outputs import ALWAYS, NO_POSTS, Files, Page, Renderer, shows
from plugins.programme.build_state import state_of
from plugins.programme.problems import ContentProblemsError, Problem, display_path
from plugins.programme.signup import CONFIRM, SIGNUP, signup_editions, signup_page

from .compose import NewsletterIssue, compose_issue, load_editorial
from .next_issue import IssueRequest, language_editions, next_issue, save_next_issue
from .record import RecordedIssue, load_record, record_path


class NewsletterGenerator(Renderer):
    """Reads the enriched articles and the issue record; renders archive and preview."""

    def generate_context(self) -> None:
        settings = self.settings
        self.record_file = record_path(settings)
        self.record = load_record(self.record_file, settings["TIMEZONE"])
        published = {a.slug for a in self.context.get("articles", [])}
        problems = [
            Problem(display_path(self.record_file), issue.line,
                    f"Ausgabe {issue.number} nennt den Beitrag „{slug}“, den es nicht (mehr) gibt",
                    "stelle den Beitrag wieder her oder korrigiere den Slug")
            for issue in self.record for slug in issue.posts if slug not in published
        ]
        self.events = state_of(settings).shared.agenda.by_slug
        problems += [
            Problem(display_path(self.record_file), issue.line,
                    f"Ausgabe {issue.number} nennt den Termin „{slug}“, den es nicht (mehr) gibt",
                    "stelle die Datei unter termine/ wieder her oder korrigiere den Slug")
            for issue in self.record for slug in issue.events if slug not in self.events
        ]
        if problems:
            raise ContentProblemsError(problems)
        by_slug = {a.slug: a for a in self.context.get("articles", [])}
        # Composed once, oldest first: the archive pages here, the print editions (plugins.paper).
        self.issues = [self.recorded_issue(r, by_slug) for r in self.record]
        self.context["newsletter_issues"] = self.issues

    def recorded_issue(self, recorded: RecordedIssue, by_slug: dict) -> NewsletterIssue:
        editorial = load_editorial(state_of(self.settings).config.editorials_folder, recorded.date, None,
                                   self.settings["TIMEZONE"])
        return compose_issue(recorded.number, recorded.date, [by_slug[s] for s in recorded.posts],
                             state_of(self.settings).programme, editorial, recorded.subject or None,
                             recorded.preheader or None, [self.events[s] for s in recorded.events])

    def outputs(self) -> Iterator[Any]:
        issues = self.issues
        for issue in issues:
            yield Page(f"{issue.url}index.html", "newsletter_issue", issue.url, shows(issue.posts),
                       {"issue": issue})
        # The sign-up and its confirmation in each language that has a list of its own.
        programme = state_of(self.settings).programme
        for key in signup_editions(programme):
            for name, page in (("newsletter_signup", SIGNUP), ("newsletter_confirm", CONFIRM)):
                url = signup_page(programme, key, page)
                yield Page(f"{url}index.html", name, url, NO_POSTS, {"edition": key})
        # The archive lists each issue's subject and number of posts.
        yield Page("newsletter/index.html", "newsletter_archive", "newsletter/",
                   shows(post for issue in issues for post in issue.posts),
                   {"issues": list(reversed(issues))})
        if self.settings.get("NEWSLETTER_PREVIEW") is not None:
            yield Files(self._next_issue, ALWAYS)

    def _next_issue(self) -> list[tuple[str, bytes]]:
        """The next issue's files, on request (``invoke newsletter.preview``): written by itself."""
        programme = state_of(self.settings).programme
        request = IssueRequest.from_setting(self.settings["NEWSLETTER_PREVIEW"])
        upcoming = next_issue(request, self.context.get("articles", []), self.record, programme,
                              state_of(self.settings).config, list(self.events.values()))
        if upcoming is not None:
            templates, output = Path(self.theme) / "newsletter", Path(self.output_path)
            pages = tuple(self.context.get("pages") or ())
            save_next_issue(upcoming, programme, self.settings, templates, output, pages)
            for edition in language_editions(upcoming, programme, state_of(self.settings).config,
                                             self.record):
                save_next_issue(edition, programme, self.settings, templates, output, pages)
        return []
