"""Pages the programme data defines (measures, clusters), not single Markdown files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.contents import Content

from plugins.engine.outputs import ALWAYS, NO_POSTS, Files, Page, Renderer, shows
from plugins.programme.build_state import state_of
from plugins.programme.edition_pages import foreign_editions
from plugins.programme.editions import published_translations
from plugins.programme.page_versions import FIXED, page_versions, subject_urls
from plugins.programme.problems import ContentProblemsError, Problem
from plugins.programme.reader import SOURCE_KEY

from .findability import file_of, findability_of
from .impact import CATALOGUE, IMPACT_URL, catalogue, catalogue_ready, csv_files, reach, reach_files, views
from .statement import last_check
from .stylesheet import StylesheetFor, stylesheets


def _draft_url(article: Any) -> str:
    """Pelican gives drafts no address; the one the post has when published (a translation's
    under its language)."""
    return str(Content._expand_settings(article, "url" if article.in_default_lang else "lang_url", "article"))


ABOUT = "ueber-das-programm"  # the About page's slug (the header links it)


class ProgrammePagesGenerator(Renderer):
    """Measure and cluster pages, the overview of measures, and the site's stylesheet."""

    def generate_context(self) -> None:
        programme = state_of(self.settings).programme
        self.stylesheets = stylesheets(programme.design, Path(self.theme), self.settings["THEME_STATIC_DIR"])
        # The plain one (an article page's) for the CMS preview; every page asks stylesheet_for.
        self.context["STYLESHEET_URL"] = self.stylesheets[""].path
        self.context["stylesheet_for"] = StylesheetFor(self.stylesheets)
        self.context["ACCESSIBILITY_REPORT"] = last_check(self.settings.get("ACCESSIBILITY_REPORT_FILE"),
                                                          self.settings["TIMEZONE"])

    def prepare(self) -> None:
        programme = state_of(self.settings).programme
        self._record_changes(programme)
        self.redirects = self._redirects()
        self.indicators = views(programme)

    def outputs(self) -> Any:
        programme = state_of(self.settings).programme
        sheets = list(self.stylesheets.values())
        yield Files(lambda: [(sheet.path, sheet.text.encode()) for sheet in sheets], NO_POSTS)
        yield from self.redirects
        yield Page("massnahmen/index.html", "measures", "massnahmen/", NO_POSTS)
        # The start page of each other language: its translated posts and About page.
        translated = published_translations(self.context.get("articles", []))
        about = next((p for p in self.context.get("pages", []) if p.slug == ABOUT), None)
        for edition in programme.editions[1:]:
            every = sorted((t for t in translated if t.lang == edition.key), key=lambda t: t.date,
                           reverse=True)
            posts = every[:int(self.settings.get("HOME_LATEST_COUNT") or 6)]
            page = next((t for t in getattr(about, "translations", []) if t.lang == edition.key), None)
            yield Page(f"{edition.key}/index.html", "edition_home", f"{edition.key}/", shows(posts),
                       {"edition": edition.key, "posts": posts, "about": page, "listed": len(every)})
            yield from self._edition_news(edition.key, every)
        # The search in each other language (Pagefind's index of that language's pages); Leichte
        # Sprache is German and searched on /suche/.
        for edition in programme.editions[1:]:
            if edition.lang != programme.editions[0].lang:
                yield Page(f"{edition.key}/suche/index.html", "search", f"{edition.key}/suche/", NO_POSTS,
                           {"edition": edition.key})
        for measure in programme.measures:
            posts = programme.updates_by_measure.get(measure.slug, [])
            yield Page(measure.url + "index.html", "measure", measure.url, shows(posts),
                       {"measure": measure, "articles": posts, "indicators": self._of(measure.slug)})
        for cluster in programme.clusters:
            posts = programme.updates_by_cluster.get(cluster.slug, [])
            yield Page(cluster.url + "index.html", "cluster", cluster.url, shows(posts),
                       {"cluster": cluster, "articles": posts})
        yield from self._edition_measures(programme, translated)
        base = self.settings.get("PUBLIC_URL") or self.settings.get("SITEURL") or "http://127.0.0.1:8000"
        figures = reach(programme, base, state_of(self.settings).config.now.date())
        if self.indicators or not figures.empty:
            shared = state_of(self.settings).shared
            ready = catalogue_ready(programme)
            yield Page(IMPACT_URL + "index.html", "impact", IMPACT_URL, ALWAYS,
                       {"indicators": self.indicators, "reach": figures,
                        "catalogue": CATALOGUE if ready else ""})
            yield Files(lambda: [*csv_files(programme), *reach_files(programme, figures)], ALWAYS)
            if ready:
                yield Files(lambda: [(CATALOGUE, catalogue(programme, shared.feeds, shared.agenda, base)
                                      .encode())], NO_POSTS)

    def _of(self, measure: str) -> list[Any]:
        return [view for view in self.indicators if view.indicator.measure == measure]

    def _edition_measures(self, programme: Any, translated: list[Any]) -> Any:
        """The measures, each measure and each cluster in every other language with pages of its
        own (plugins/programme/edition_pages.py): the programme's texts in that language, its
        translated posts, and the way to all posts in German."""
        for key in foreign_editions(programme):
            mine = [t for t in translated if t.lang == key]
            yield Page(f"{key}/massnahmen/index.html", "edition_measures", f"{key}/massnahmen/", NO_POSTS,
                       {"edition": key})
            for kind, subjects, updates in (("measure", programme.measures, programme.updates_by_measure),
                                            ("cluster", programme.clusters, programme.updates_by_cluster)):
                for subject in subjects:
                    german = updates.get(subject.slug, [])
                    posts = [t for t in mine
                             if any(s.slug == subject.slug for s in getattr(t, kind + "s", ()))]
                    url = f"{key}/{subject.url}"
                    yield Page(url + "index.html", f"edition_{kind}", url, shows([*german, *posts]),
                               {"edition": key, kind: subject, "articles": posts, "originals": german,
                                "indicators": self._of(subject.slug) if kind == "measure" else []})

    def _record_changes(self, programme: Any) -> None:
        """Each page's last change from the content, for the sitemap (never the build time)."""
        lastmod = findability_of(self.settings).lastmod
        articles = self.context.get("articles", [])

        def changed(item: Any) -> Any:
            return getattr(item, "modified", None) or item.date

        for article in articles:
            lastmod[article.url] = changed(article)
        newest = max((changed(a) for a in articles), default=None)
        events = state_of(self.settings).shared.agenda.events
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
        self._record_alternates(programme, articles, events)

    def _record_alternates(self, programme: Any, articles: list[Any], events: list[Any]) -> None:
        """Which pages are language versions of each other, for the sitemap: the start pages,
        and every post, page and event with translations (the pairs base.html names)."""
        found = findability_of(self.settings)
        homes = [(e.hreflang, "" if i == 0 else f"{e.key}/") for i, e in enumerate(programme.editions)]
        found.pair(homes, "")
        pages = [p for p in self.context.get("pages", []) if getattr(p, "original", None) is None]
        for item in [*articles, *pages, *events]:
            versions = [item, *(getattr(item, "translations", ()) or ())]
            found.pair([(programme.edition(v.lang).hreflang, v.url) for v in versions], item.url)
        # The site's own pages in each edition (the lists, measures, clusters, search, …).
        own = programme.editions[0].key
        for url in (*FIXED, *subject_urls(programme)):
            urls = page_versions(programme, url).urls
            found.pair([(programme.edition(key).hreflang, address) for key, address in urls.items()],
                       urls.get(own, url))

    def _edition_news(self, key: str, posts: list[Any]) -> Any:
        """All posts of a language edition, newest first, paginated as /aktuelles/ is
        (/<key>/aktuelles/, /<key>/aktuelles/seite/2/, …)."""
        from pelican.paginator import Paginator

        paginator = Paginator(f"{key}/aktuelles/index.html", f"{key}/aktuelles/", posts, self.settings,
                              self.settings.get("DEFAULT_PAGINATION") or 10)
        for number in range(1, paginator.num_pages + 1):
            page = paginator.page(number)
            neighbours = {"articles_previous_page": paginator.page(number - 1) if number > 1 else None,
                          "articles_next_page": paginator.page(number + 1) if page.has_next() else None}
            yield Page(page.save_as, "edition_news", page.url, shows(page.object_list),
                       {"edition": key, "articles_paginator": paginator, "articles_page": page, **neighbours})

    def _addresses(self) -> Any:
        """(item, its former addresses, file and line for messages) of posts, pages and events."""
        originals = [*self.context.get("articles", []), *self.context.get("pages", [])]
        for item in [*originals, *published_translations(originals)]:
            source = item.metadata[SOURCE_KEY]
            yield item, item.metadata.get("aliases", []), source.post.path, source.post.line_of("aliases")
        agenda = state_of(self.settings).shared.agenda
        for event in [*agenda.events, *agenda.translations()]:
            yield event, event.aliases, event.path, event.alias_line

    def _redirects(self) -> list[Page]:
        """Former addresses lead on (301, and a page with a link for hosts without redirects);
        the address of a withdrawn post says so (410, and a page that explains)."""
        found = findability_of(self.settings)
        entries = list(self._addresses())
        current = {item.url: item for item, _aliases, _path, _line in entries}
        # Drafts, scheduled and withdrawn posts keep their addresses too: one published later
        # (or answering "withdrawn") would meet a redirect already written there.
        for article in self.context.get("drafts", []):
            current.setdefault(_draft_url(article), article)
        problems, pages = [], []
        for item, aliases, path, line in entries:
            for alias in aliases:
                address = alias.removesuffix("index.html")
                if address in current:
                    problems.append(Problem(path, line, f"frühere Adresse „/{alias}“ ist die Adresse von "
                                            f"„{current[address].title}“",
                                            "eine Adresse, die noch gilt, kann nicht umleiten: streiche sie"))
                    continue
                found.moves[alias] = item.url
                # It names the page it leads to: an edit of that post may change it.
                pages.append(Page(file_of(alias), "moved", alias, shows([item]),
                                  {"target": item, "canonical_path": item.url}))
        if problems:
            raise ContentProblemsError(problems)
        for article in self.context.get("drafts", []):
            if article.metadata.get("withdrawn"):
                # Pelican gives drafts no address; the one the post had when published.
                url = _draft_url(article)
                found.gone.append(url)
                pages.append(Page(file_of(url), "gone", url, NO_POSTS, {"withdrawn": article}))
        return pages
