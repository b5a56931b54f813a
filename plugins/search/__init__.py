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

from plugins.programme.build_state import PerBuild

from .indexer import IndexRun, part_pages_of, write_search_script

SETTING = "SLS_SEARCH"


class SearchState(PerBuild):
    """Per build (never a plain setting: the incremental plan fingerprints those)."""

    def __init__(self) -> None:
        self.run: IndexRun | None = None
        self.refresh = False  # a development rebuild left the previous index in place


def needs_refresh(settings) -> bool:
    state = settings.get(SETTING)
    return isinstance(state, SearchState) and state.refresh


class SearchIndexGenerator(Generator):  # type: ignore[misc]
    def generate_context(self) -> None:
        self.settings[SETTING] = SearchState()

    def generate_output(self, writer) -> None:
        # A development rebuild after post edits keeps the previous index (kept with the
        # rest of the previous site) and has it rewritten in the background once the new site is
        # in place (pipeline.build); every full build, and so `invoke publish`, indexes anew.
        incremental = self.context.get("INCREMENTAL_PLAN") is not None
        if self.settings.get("SEARCH_INDEX", True):
            if incremental:
                self.settings[SETTING].refresh = True
            else:
                site = Path(self.output_path)
                self.settings[SETTING].run = IndexRun.start(site, part_pages_of(self.settings))


def get_generators(_pelican):
    return SearchIndexGenerator


def finalized(pelican) -> None:
    write_search_script(Path(pelican.output_path))
    state = pelican.settings.get(SETTING)
    if isinstance(state, SearchState) and state.run is not None:
        state.run.wait()


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finalized)
