"""Site search without third parties: a Pagefind index of the built site, the page /suche/ and
its script, all served from this site.

Pagefind starts on the posts as soon as their pages are written (this plugin's generator runs
after those of posts, pages and measures) and indexes them while events, feeds, newsletter and
CMS are still being written; when the build has written everything it lets the main index
(pages, measures, events) start and waits for it.
"""

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from plugins.engine.outputs import NO_POSTS, select
from plugins.programme.build_state import PerBuild

from .indexer import IndexRun, part_pages_of, write_search_script

SETTING = "SLS_SEARCH"


class SearchState(PerBuild):
    """Per build (never a plain setting: the incremental plan fingerprints those)."""

    def __init__(self) -> None:
        self.run: IndexRun | None = None


def needs_refresh(settings) -> bool:
    """Whether the site this build leaves has an older index (a development rebuild keeps the
    last one and indexes again in the background, once the new site is in place)."""
    state = settings.get(SETTING)
    return bool(settings.get("SEARCH_INDEX", True)) and isinstance(state, SearchState) and state.run is None


class SearchIndexGenerator(Generator):  # type: ignore[misc]
    def generate_output(self, writer) -> None:
        # The index shows every page; a development rebuild after post edits keeps the last one
        # (pipeline.build has it rewritten in the background); every full build indexes anew.
        site = Path(self.output_path)
        if self.settings.get("SEARCH_INDEX", True):
            for fresh in select(self.settings, [site], lambda _site: NO_POSTS):
                self.settings[SETTING].run = IndexRun.start(fresh, part_pages_of(self.settings))


def start_build(pelican) -> None:
    pelican.settings[SETTING] = SearchState()


def get_generators(_pelican):
    return SearchIndexGenerator


def finalized(pelican) -> None:
    write_search_script(Path(pelican.output_path))
    state = pelican.settings.get(SETTING)
    if isinstance(state, SearchState) and state.run is not None:
        state.run.wait()


def register() -> None:
    signals.initialized.connect(start_build)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finalized)
