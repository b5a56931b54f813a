"""The content model's Pelican adapter: signal receivers around the pure core."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from .build_state import SETTING, BuildState, state_of
from .catalogues import settle_locales
from .enrich import enrich_articles, index_updates
from .formatting import date_de, is_calendar_date, isodate, start_de, when_de
from .indicators import number as german_number
from .placeholders import is_placeholder
from .prefetch import original_stamp
from .problems import ContentProblemsError
from .reader import ORIGINAL_KEY, SOURCE_KEY, ProgrammeMarkdownReader
from .security_policy import search_csp, site_csp
from .tree import Source, tree_problems


def start_build(pelican: Any) -> None:
    """A fresh state for every build; a broken programme file stops it before any output. A
    cold build starts parsing its sources now, while Pelican makes its generators."""
    state = BuildState.for_settings(pelican.settings)
    pelican.settings[SETTING] = state
    state.start_reading()


def add_reader(readers: Any) -> None:
    for extension in ProgrammeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ProgrammeMarkdownReader
    cached = readers.get_cached_data

    def current(path: str, default: Any = None) -> Any:
        """Pelican's cached copy of a source, unless it is a translation whose original changed
        since (Pelican looks only at the file's own date): then only that file is read again."""
        found = cached(path, default)
        metadata = found[1] if isinstance(found, tuple) and len(found) == 2 else None
        if isinstance(metadata, dict) and ORIGINAL_KEY in metadata \
                and metadata[ORIGINAL_KEY] != original_stamp(path):
            return default
        return found

    readers.get_cached_data = current


def read_in_order(generator: Any) -> None:
    """Posts and pages read by path, not in the order of Pelican's set of files (which changes
    from process to process): the order the parsing pool works in (``reading_order``), so that
    each post is ready when Pelican asks for it."""
    if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
        files = generator.get_files

        def ordered(*args: Any, **kwargs: Any) -> list[str]:
            return sorted(files(*args, **kwargs), key=PurePath)

        generator.get_files = ordered


def share_programme(generator: Any) -> None:
    programme = state_of(generator.settings).programme
    generator.context["programme"] = programme
    generator.env.globals["programme"] = programme
    generator.env.filters.update(date_de=date_de, isodate=isodate, when_de=when_de, start_de=start_de)
    generator.env.tests["placeholder"] = is_placeholder
    generator.env.tests["calendar_date"] = is_calendar_date
    generator.env.globals["SITE_CSP"] = site_csp(programme, meta=True)
    generator.env.globals["SEARCH_CSP"] = search_csp(programme, meta=True)
    generator.env.globals["BUILD_NOW"] = state_of(generator.settings).config.now
    generator.env.globals["format_number"] = german_number
    settle_locales([edition.lang for edition in programme.editions], [e.key for e in programme.editions])


class _TagPosts(list):  # type: ignore[type-arg]
    """The posts of a tag, category or author. Pelican's list pages ask of every dated post
    whether it is among them; a list answers by scanning (10,000 posts: seconds per tag), this
    one at once. Posts compare by identity, so the answer is the list's."""

    def __contains__(self, item: object) -> bool:
        if getattr(self, "_size", None) != len(self):
            self._ids, self._size = {id(post) for post in self}, len(self)
        return id(item) in self._ids


def enrich(generator: ArticlesGenerator) -> None:
    """Measures and clusters on every article as soon as all are read: the other generators'
    contexts (newsletter issues, print editions) are built from enriched articles."""
    programme = state_of(generator.settings).programme
    enrich_articles([*generator.articles, *generator.translations, *generator.drafts,
                     *generator.drafts_translations], programme)
    link_translations([*generator.articles, *generator.translations], programme.editions[0].key)
    index_updates(generator.articles, programme)
    for tag, posts in list(generator.tags.items()):
        generator.tags[tag] = _TagPosts(posts)
    generator.context["tags"] = list(generator.tags.items())
    for groups in (generator.categories, generator.authors):  # the context holds these lists
        groups[:] = [(key, _TagPosts(posts)) for key, posts in groups]
    # What every renderer and template shares, computed here once (plugins/programme/context.py).
    settings = generator.settings
    shared = state_of(settings).share(generator.articles,
                                      settings.get("PUBLIC_URL") or settings.get("SITEURL") or "")
    generator.context["agenda"], generator.context["feeds"] = shared.agenda, shared.feeds


def link_translations(items: list[Any], default: str) -> None:
    """Each translation knows its original and whether it was made from the original's present
    text (``translated_from``, see plugins/programme/editions.py); templates and feeds read it."""
    for item in items:
        item.original, item.outdated = None, False
        if item.lang == default:
            continue
        item.original = next((t for t in getattr(item, "translations", ()) if t.lang == default), None)
        if item.original is not None and SOURCE_KEY in item.original.metadata:
            recorded = str(item.metadata.get("translated_from") or "")
            item.outdated = recorded != item.original.metadata[SOURCE_KEY].digest


def pages_read(generator: Any) -> None:
    default = state_of(generator.settings).programme.editions[0].key
    link_translations([*generator.pages, *generator.translations, *generator.hidden_pages,
                       *generator.hidden_translations], default)


def validate(generators: list[Any]) -> None:
    """Judge the whole tree as `invoke check --fast` does, before anything is written."""
    context = generators[0].context
    state = state_of(generators[0].settings)
    sources: list[Source] = [item.metadata[SOURCE_KEY] for item in context["generated_content"].values()
                             if SOURCE_KEY in item.metadata]
    sources += [parsed.source for parsed in state.event_sources()]  # not Pelican's content
    state.done_reading()
    problems = tree_problems(sources, state.config, state.programme.id_authority,
                             [edition.key for edition in state.programme.editions[1:]])
    if problems:
        raise ContentProblemsError(problems)


def register() -> None:
    signals.initialized.connect(start_build)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(share_programme)
    signals.generator_init.connect(read_in_order)
    signals.article_generator_finalized.connect(enrich)
    signals.page_generator_finalized.connect(pages_read)
    signals.all_generators_finalized.connect(validate)
