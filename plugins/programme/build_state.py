"""State of one build: created when a build starts, passed along in its settings, then dropped.

Nothing of a build survives in module globals, so a second build in the same
process behaves exactly like a fresh one.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .events import Event, event_from
from .markdown_body import BodyRenderer
from .model import Programme
from .prefetch import ParsedSource, parse_in_pool, parse_one
from .problems import ContentProblemsError, display_path
from .programme_file import read_programme
from .schema import EVENT
from .tree import ContentConfig, check_tree, find_sources

SETTING = "SLS_BUILD"  # the settings key that carries a build's state
EVENT_CACHE = "events.pickle"
EVENT_CACHE_FORMAT = 2  # raise when what the event cache holds changes (e.g. how addresses are made)


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
    markdown_config: Mapping[str, Any]
    use_pool: bool = True
    _parsed: dict[str, ParsedSource] = field(default_factory=dict)
    _pool_ran: bool = False
    _body: BodyRenderer | None = None
    _events: list[ParsedSource] | None = None
    # Pelican caches the posts it reads; events it never reads, so a cached development build
    # keeps their parsed form here (keyed by file and programme mtimes).
    event_cache: Path | None = None

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> BuildState:
        config = ContentConfig.from_settings(settings)
        reading = read_programme(display_path(config.programme_file))
        if reading.problems or reading.programme is None:
            # Nothing is built from flawed programme data; the content is judged against it
            # all the same, so that every problem is reported in this one run.
            raise ContentProblemsError(check_tree(config, reading))
        programme = reading.programme
        cached = bool(settings.get("LOAD_CONTENT_CACHE"))
        cache = Path(settings["CACHE_PATH"]) / EVENT_CACHE if cached and settings.get("CACHE_PATH") else None
        # A cached development build re-reads only changed files: no pool for those.
        return cls(config, programme, settings["MARKDOWN"], use_pool=not cached, event_cache=cache)

    def parsed(self, path: str | Path) -> ParsedSource:
        """The parsed source at ``path``, from the pool when it ran and the file is unchanged."""
        path = Path(path).resolve()
        if self.use_pool and not self._pool_ran:
            self._pool_ran = True
            paths = [p for p, _kind in find_sources(self.config)]
            self._parsed = parse_in_pool(paths, self.config, self.programme, self.markdown_config)
        found = self._parsed.pop(str(path), None)
        if found is not None and found.mtime_ns == path.stat().st_mtime_ns:
            return found
        if self._body is None:
            self._body = BodyRenderer(self.markdown_config)
        return parse_one(path, self.config, self.programme, self._body)

    def event_sources(self) -> list[ParsedSource]:
        """The event files of the tree, read and checked once per build."""
        if self._events is None:
            paths = [path for path, _kind in find_sources(self.config, (EVENT,))]
            self._events = self._cached_events(paths) if self.event_cache else \
                [self.parsed(path) for path in paths]
        return self._events

    def _cached_events(self, paths: list[Path]) -> list[ParsedSource]:
        assert self.event_cache is not None
        # A cache written by an older version of the reader (other fields, other addresses) is not reused.
        programme = (self.config.programme_file.stat().st_mtime_ns, EVENT_CACHE_FORMAT)
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
            if hit is None or hit.mtime_ns != path.stat().st_mtime_ns:
                hit, changed = self.parsed(path), True
            fresh[key] = hit
        if changed or known.get("programme") != programme:  # unchanged events: nothing written
            self.event_cache.parent.mkdir(parents=True, exist_ok=True)
            with self.event_cache.open("wb") as stream:
                pickle.dump(fresh, stream)
        return [fresh[str(path.resolve())] for path in paths]

    def events(self) -> list[Event]:
        """The events without problems, soonest first."""
        found = [event_from(p.source.relative, Path(p.source.relative).stem, p.source.slug,
                            p.source.post, self.programme, p.html) for p in self.event_sources()]
        zone = ZoneInfo(self.config.timezone)
        return sorted((e for e in found if e is not None), key=lambda e: (e.when.sort_key(zone), e.slug))


def state_of(settings: Mapping[str, Any]) -> BuildState:
    state = settings.get(SETTING)
    if not isinstance(state, BuildState):
        raise RuntimeError("no build state: the programme plugin must be enabled")
    return state
