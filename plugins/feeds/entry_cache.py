"""Feed entries kept from the last development build, found again by what they are made of.

A cluster's feeds carry every post of the cluster: after a one-post edit, making a few hundred
unchanged entries again was most of a development rebuild's feed time. An entry is made from its
``EntryData`` alone, so the entry stored under that data's key is the one a clean build makes.
One file per group of feeds (the site feed, each cluster with its measures): each group is one
output of the feeds renderer, so each file has one writer.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.programme.files import write_atomically

from .feed import EntryData, entry_from

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry

FOLDER = "feed-entries"


def _maker() -> str:
    """What else decides how data becomes an entry: this package's code and feedgen's."""
    digest = hashlib.sha256(version("feedgen").encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


class EntryGroup:
    """The entries of one group of feeds: those of the last build, and those this build uses."""

    def __init__(self, path: Path | None, maker: str) -> None:
        self.path, self.maker = path, maker
        self._known: dict[bytes, FeedEntry] | None = None
        self.used: dict[bytes, FeedEntry] = {}

    def _load(self) -> dict[bytes, FeedEntry]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as stream:
                maker, entries = pickle.load(stream)
        except Exception:  # none yet, or unreadable: every entry is made anew
            return {}
        return entries if maker == self.maker else {}

    def _last_build(self) -> dict[bytes, FeedEntry]:
        if self._known is None:
            self._known = self._load()
        return self._known

    def entry(self, data: EntryData) -> FeedEntry:
        key = data.key
        found = self.used.get(key)
        if found is None:
            found = self._last_build().get(key) or entry_from(data)
            self.used[key] = found
        return found

    def save(self) -> None:
        """Store what this build used (entries of changed or removed posts are dropped): every
        build writes all feeds of a group or none."""
        if self.path is None:
            return
        write_atomically(self.path, pickle.dumps((self.maker, self.used), protocol=pickle.HIGHEST_PROTOCOL))


class EntryCache:
    """The entry groups of one build; without a content cache (publishing) nothing is kept."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.maker = _maker() if folder is not None else ""

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> EntryCache:
        cached = settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH")
        return cls(Path(settings["CACHE_PATH"]) / FOLDER if cached else None)

    def group(self, name: str) -> EntryGroup:
        return EntryGroup(self.folder / f"{name}.pickle" if self.folder else None, self.maker)
