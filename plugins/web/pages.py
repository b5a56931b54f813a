"""Pages the programme data defines (measures, clusters), not single Markdown files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.generators import Generator

from plugins.parallel import share_of
from plugins.programme.build_state import state_of
from plugins.programme.problems import ContentProblemsError, Problem
from plugins.programme.reader import SOURCE_KEY

from .findability import file_of, findability_of
from .statement import last_check
from .stylesheet import stylesheet


class ProgrammePagesGenerator(Generator):  # type: ignore[misc]
    """Measure and cluster pages, the overview of measures, and the site's stylesheet."""

    splits_output = True  # only writes files: cold builds share its pages out (plugins.parallel)

    def generate_context(self) -> None:
        programme = state_of(self.settings).programme
        self.stylesheet = stylesheet(programme.design, Path(self.theme) / "styles",
                                     self.settings["THEME_STATIC_DIR"])
        self.context["STYLESHEET_URL"] = self.stylesheet.path
        self.env.globals["STYLESHEET_URL"] = self.stylesheet.path
        self.context["ACCESSIBILITY_REPORT"] = last_check(self.settings.get("ACCESSIBILITY_REPORT_FILE"),
                                                          self.settings["TIMEZONE"])

    def generate_output(self, writer: Any) -> None:
        programme = state_of(self.settings).programme
        self._record_changes(programme)
        self._write_addresses(writer)
        if share_of(self.settings).leader:
            self.stylesheet.write(Path(self.output_path))
        write = writer.write_file
        if self.context.get("INCREMENTAL_PLAN") is None:  # programme data only: a post edit keeps it
            write("massnahmen/index.html", self.get_template("measures"), self.context,
                  url="massnahmen/", template_name="measures")
        for measure in programme.measures:
            write(measure.url + "index.html", self.get_template("measure"), self.context,
                  measure=measure, articles=programme.updates_by_measure.get(measure.slug, []),
                  url=measure.url, template_name="measure")
        for cluster in programme.clusters:
            write(cluster.url + "index.html", self.get_template("cluster"), self.context,
                  cluster=cluster, articles=programme.updates_by_cluster.get(cluster.slug, []),
                  url=cluster.url, template_name="cluster")

    def _record_changes(self, programme: Any) -> None:
        """Each page's last change from the content, for the sitemap (never the build time)."""
        lastmod = findability_of(self.settings).lastmod
        articles = self.context.get("articles", [])

        def changed(item: Any) -> Any:
            return getattr(item, "modified", None) or item.date

        for article in articles:
            lastmod[article.url] = changed(article)
        newest = max((changed(a) for a in articles), default=None)
        agenda = self.context.get("agenda")
        events = agenda.events if agenda is not None else []
        for event in events:
            lastmod[event.url] = event.last_modified
        if events:
            lastmod["termine/"] = max(e.last_modified for e in events)
        if newest is not None:
            for url in ("", "aktuelles/", "massnahmen/", "themen/", "feeds/"):
                lastmod[url] = newest
        for key, updates in (("measure", programme.updates_by_measure),
                             ("cluster", programme.updates_by_cluster)):
            for slug, posts in updates.items():
                subject = programme.measure(slug) if key == "measure" else programme.cluster(slug)
                if posts and subject is not None:
                    lastmod[subject.url] = max(changed(a) for a in posts)
        for tag, posts in self.context.get("tags", []):
            lastmod[tag.url] = max(changed(a) for a in posts)

    def _addresses(self) -> Any:
        """(item, its former addresses, file and line for messages) of posts, pages and events."""
        for item in [*self.context.get("articles", []), *self.context.get("pages", [])]:
            source = item.metadata[SOURCE_KEY]
            yield item, item.metadata.get("aliases", []), source.post.path, source.post.line_of("aliases")
        for event in getattr(self.context.get("agenda"), "events", []):
            yield event, event.aliases, event.path, event.alias_line

    def _write_addresses(self, writer: Any) -> None:
        """Former addresses lead on (301, and a page with a link for hosts without redirects);
        the address of a withdrawn post says so (410, and a page that explains)."""
        found = findability_of(self.settings)
        entries = list(self._addresses())
        current = {item.url: item for item, _aliases, _path, _line in entries}
        # Drafts, scheduled and withdrawn posts keep their addresses too: one published later
        # (or answering "withdrawn") would meet a redirect already written there.
        for article in self.context.get("drafts", []):
            current.setdefault(Content._expand_settings(article, "url", "article"), article)
        problems = []
        for item, aliases, path, line in entries:
            for alias in aliases:
                address = alias.removesuffix("index.html")
                if address in current:
                    problems.append(Problem(path, line, f"frühere Adresse „/{alias}“ ist die Adresse von "
                                            f"„{current[address].title}“",
                                            "eine Adresse, die noch gilt, kann nicht umleiten: streiche sie"))
                    continue
                found.moves[alias] = item.url
                writer.write_file(file_of(alias),
                                  self.get_template("moved"), self.context, target=item,
                                  url=alias, canonical_path=item.url, template_name="moved")
        if problems:
            raise ContentProblemsError(problems)
        for article in self.context.get("drafts", []):
            if article.metadata.get("withdrawn"):
                # Pelican gives drafts no address; the one the post had when published.
                url = Content._expand_settings(article, "url", "article")
                found.gone.append(url)
                writer.write_file(file_of(url), self.get_template("gone"), self.context,
                                  withdrawn=article, url=url, template_name="gone")
