"""State of one build: created when a build starts, passed along in its settings, then dropped.

Nothing of a build survives in module globals, so a second build in the same
process behaves exactly like a fresh one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .context import BuildContext
from .events import Event, event_from
from .markdown_body import DEFAULT_BACKLINK_TITLE, BodyRenderer
from .model import Programme
from .prefetch import ParsedSource, PoolReading, original_stamp, parse_in_pool, parse_one
from .problems import ContentProblemsError
from .schema import ARTICLE, EVENT, PAGE
from .tree import ContentConfig, check_tree, find_sources, read_programme_of

SETTING = "SLS_BUILD"  # the settings key that carries a build's state
EVENT_CACHE = "events.pickle"


class PerBuild:
    """Base of per-build state objects kept in Pelican's settings.

    Pelican's content cache pickles articles together with their settings; state of
    one build must not travel into the next one that way, so it pickles as None.
    """

    def __reduce__(self) -> tuple[type[None], tuple[()]]:
        return (type(None), ())


@dataclass(eq=False)
class BuildState(PerBuild):
    """The content model of one build: configuration, programme, parsed sources."""

    config: ContentConfig
    programme: Programme
    body: BodyRenderer
    use_pool: bool = True
    _pool: PoolReading | None = None
    _pool_ran: bool = False
    _events: list[ParsedSource] | None = None
    # Pelican caches the posts it reads; events it never reads, so a cached development build
    # keeps their parsed form here (keyed by file and programme mtimes).
    event_cache: Path | None = None
    # What the renderers share, once the posts are read (plugin.enrich): read-only for them.
    _shared: BuildContext | None = None

    @property
    def shared(self) -> BuildContext:
        if self._shared is None:
            raise RuntimeError("the build context is made once the posts are read")
        return self._shared

    def share(self, posts: list[Any], base_url: str) -> BuildContext:
        """Compute what the renderers share, from the published ``posts`` (once per build)."""
        zone = ZoneInfo(self.config.timezone)
        self._shared = BuildContext.of(self.programme, self.events(), posts, self.config.now, zone, base_url)
        return self._shared

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> BuildState:
        config = ContentConfig.from_settings(settings)
        reading = read_programme_of(config)
        if reading.problems or reading.programme is None:
            # Nothing is built from flawed programme data; the content is judged against it
            # all the same, so that every problem is reported in this one run.
            raise ContentProblemsError(check_tree(config, reading))
        programme = reading.programme
        cached = bool(settings.get("LOAD_CONTENT_CACHE"))
        cache = Path(settings["CACHE_PATH"]) / EVENT_CACHE if cached and settings.get("CACHE_PATH") else None
        # A cached development build re-reads only changed files: no pool for those.
        body = BodyRenderer(settings.get("FOOTNOTE_BACKLINK_TITLE", DEFAULT_BACKLINK_TITLE))
        return cls(config, programme, body, use_pool=not cached, event_cache=cache)

    def parsed(self, path: str | Path) -> ParsedSource:
        """The parsed source at ``path``, from the pool when it ran and the file is unchanged."""
        path = Path(os.path.abspath(path))  # not resolved: a symlink stays inside, and is refused
        self.start_reading()
        found = self._pool.take(path) if self._pool is not None else None
        if found is not None and found.mtime_ns == path.stat().st_mtime_ns:
            return found
        return parse_one(path, self.config, self.programme, self.body)

    def start_reading(self) -> None:
        """A cold build's sources being parsed in a pool (once; nothing where it would not pay)."""
        if self.use_pool and not self._pool_ran:
            self._pool_ran = True
            self._pool = parse_in_pool(reading_order(self.config), self.config, self.programme, self.body)

    def done_reading(self) -> None:
        """Every source is read: the pool's processes end (nothing it still holds is asked for)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def event_sources(self) -> list[ParsedSource]:
        """The event files of the tree, read and checked once per build."""
        if self._events is None:
            paths = [path for path, _kind in find_sources(self.config, (EVENT,))]
            self._events = self._cached_events(paths) if self.event_cache else \
                [self.parsed(path) for path in paths]
        return self._events

    def _cached_events(self, paths: list[Path]) -> list[ParsedSource]:
        assert self.event_cache is not None
        # One written by other reading code is gone before the build starts (forget_stale_reading).
        programme = self.config.programme_file.stat().st_mtime_ns
        try:
            with self.event_cache.open("rb") as stream:
                known = pickle.load(stream)
        except Exception:  # no cache yet, or one from another version: parse again
            known = {}
        if known.get("programme") != programme:
            known = {}
        fresh: dict[str, Any] = {"programme": programme}
        changed = set(known) - {"programme"} != {str(path.resolve()) for path in paths}
        for path in paths:
            hit = known.get(key := str(path.resolve()))
            if hit is None or hit.mtime_ns != path.stat().st_mtime_ns or hit.original != original_stamp(path):
                hit, changed = self.parsed(path), True
            fresh[key] = hit
        if changed or known.get("programme") != programme:  # unchanged events: nothing written
            self.event_cache.parent.mkdir(parents=True, exist_ok=True)
            with self.event_cache.open("wb") as stream:
                pickle.dump(fresh, stream)
        return [fresh[str(path.resolve())] for path in paths]

    def events(self) -> list[Event]:
        """The events without problems in the site's own language, soonest first, each with its
        translations (``translations``; each translation knows its ``original`` and whether it
        was made from the original's present text)."""
        default = self.programme.editions[0].key
        digests = {p.source.key: p.source.digest for p in self.event_sources() if p.source.lang == default}
        found = [event for p in self.event_sources()
                 if (event := event_from(p.source.relative, Path(p.source.relative).stem, p.source.slug,
                                         p.source.post, self.programme, p.html, p.source.lang,
                                         p.source.key)) is not None]
        originals = {e.translation_key: e for e in found if e.lang == default}
        order = {edition.key: number for number, edition in enumerate(self.programme.editions)}
        for event in sorted(found, key=lambda e: order.get(e.lang, len(order))):
            original = originals.get(event.translation_key)
            if event.lang != default and original is not None:
                event.original = original
                event.outdated = event.translated_from != digests.get(event.translation_key)
                original.translations.append(event)
        for original in originals.values():
            for translation in original.translations:
                others = [t for t in original.translations if t is not translation]
                translation.translations = [original, *others]
        zone = ZoneInfo(self.config.timezone)
        return sorted(originals.values(), key=lambda e: (e.when.sort_key(zone), e.slug))


# Parsed sources Pelican keeps (its "<Generator>-Readers" files) and the events this module keeps.
READ_CACHES = ("ArticlesGenerator-Readers", "PagesGenerator-Readers", EVENT_CACHE)
READER_STAMP = "reader-code.sha256"
# What turns a source into its cached form besides this package's code.
def reader_stamp() -> str:
    """Hash of the code that reads, checks and renders sources: this package. (A new version of
    a library empties every cache anyway: the toolchain key of ``pipeline.build``.)"""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def forget_stale_reading(cache_path: Path) -> None:
    """Drop the parsed sources in ``cache_path`` when they were made by other code.

    Pelican reuses a cached post while the file's date is unchanged; after an update of the
    renderer (or the checks) unchanged posts would keep their old HTML, and a development build
    would differ from a clean one. (A translation whose original changed is read again on its
    own: ``plugin.add_reader``.)
    """
    current = reader_stamp()
    stamp = cache_path / READER_STAMP
    try:
        if stamp.read_text(encoding="ascii") == current:
            return
    except OSError:
        pass
    for name in READ_CACHES:
        (cache_path / name).unlink(missing_ok=True)
    cache_path.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current, encoding="ascii")


def reading_order(config: ContentConfig) -> list[Path]:
    """The sources in the order a build reads them: posts, pages, events, each by path."""
    found = find_sources(config)
    return [path for kind in (ARTICLE, PAGE, EVENT) for path, of_kind in found if of_kind == kind]


def stop_reading(settings: Mapping[str, Any]) -> None:
    """After every build, however it ended (an error, Ctrl+C): no reading process stays."""
    state = settings.get(SETTING)
    if isinstance(state, BuildState):
        state.done_reading()


def state_of(settings: Mapping[str, Any]) -> BuildState:
    state = settings.get(SETTING)
    if not isinstance(state, BuildState):
        raise RuntimeError("no build state: the programme plugin must be enabled")
    return state
