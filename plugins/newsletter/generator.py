"""Pelican generator: newsletter archive pages, and the next issue's files on request."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.generators import Generator

from plugins.parallel import share_of
from plugins.programme.build_state import state_of
from plugins.programme.locations import NEWSLETTER_FOLDER, UNSUBSCRIBE_SENTINEL
from plugins.programme.problems import ContentProblemsError, Problem

from .compose import NewsletterIssue, compose_issue, load_editorial
from .next_issue import IssueRequest, next_issue, save_next_issue
from .record import RecordedIssue, load_record, record_path


class NewsletterGenerator(Generator):
    """Reads the enriched articles and the issue record; renders archive and preview."""

    splits_output = True  # only writes files: cold builds share its pages out (plugins.parallel)

    def generate_context(self) -> None:
        settings = self.settings
        settings.setdefault("NEWSLETTER_EDITORIALS", os.path.join(settings["PATH"], NEWSLETTER_FOLDER))
        settings.setdefault("NEWSLETTER_UNSUBSCRIBE_URL", UNSUBSCRIBE_SENTINEL)
        self.record_file = record_path(settings)
        self.record = load_record(self.record_file, settings["TIMEZONE"])
        published = {a.slug for a in self.context.get("articles", [])}
        problems = [
            Problem(str(self.record_file), issue.line,
                    f"Ausgabe {issue.number} nennt den Beitrag „{slug}“, den es nicht (mehr) gibt",
                    "stelle den Beitrag wieder her oder korrigiere den Slug")
            for issue in self.record for slug in issue.posts if slug not in published
        ]
        agenda = self.context.get("agenda")
        self.events = agenda.by_slug if agenda is not None else {}
        problems += [
            Problem(str(self.record_file), issue.line,
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
        editorial = load_editorial(self.settings["NEWSLETTER_EDITORIALS"], recorded.date, None,
                                   self.settings["TIMEZONE"])
        return compose_issue(recorded.number, recorded.date, [by_slug[s] for s in recorded.posts],
                             state_of(self.settings).programme, editorial, recorded.subject or None,
                             recorded.preheader or None, [self.events[s] for s in recorded.events])

    def generate_output(self, writer) -> None:
        issues = self.issues
        for issue in issues:
            writer.write_file(f"{issue.url}index.html", self.get_template("newsletter_issue"),
                              self.context, issue=issue, url=issue.url,
                              template_name="newsletter_issue")
        # The sign-up steps show no post: a development rebuild after post edits keeps them.
        steps = () if self.context.get("INCREMENTAL_PLAN") is not None else (
            ("newsletter_signup", "newsletter/anmelden/"), ("newsletter_confirm", "newsletter/bestaetigen/"))
        for name, url in steps:
            writer.write_file(f"{url}index.html", self.get_template(name), self.context, url=url,
                              template_name=name)
        writer.write_file("newsletter/index.html", self.get_template("newsletter_archive"),
                          self.context, issues=list(reversed(issues)), url="newsletter/",
                          template_name="newsletter_archive")
        request = self.settings.get("NEWSLETTER_PREVIEW")
        if request is not None and share_of(self.settings).leader:
            programme = state_of(self.settings).programme
            upcoming = next_issue(IssueRequest.from_setting(request), self.context.get("articles", []),
                                  self.record, programme, self.settings, list(self.events.values()))
            if upcoming is not None:
                save_next_issue(upcoming, programme, self.settings, Path(self.theme) / "newsletter",
                                Path(self.output_path))
