"""Feed entries kept between development builds: reused only for the very same post data and the
same code, so a rebuild's feeds are those of a clean build."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime
from pathlib import Path

from plugins.feeds.entry_cache import EntryCache
from plugins.feeds.feed import EntryData, entry_from

DATA = EntryData(
    base="https://example.org/", id="tag:example.org,2023-06-01:ausblick", title="Ausblick",
    url="aktuelles/2023/ausblick/", published=datetime(2023, 6, 1, 9, tzinfo=UTC),
    updated=datetime(2023, 6, 1, 9, tzinfo=UTC), authors=("Redaktion",), summary="Kurz.",
    content='<p>Text mit <a href="/massnahmen/">Link</a></p>',
    categories=(("mach-mit", "Mach mit", "massnahmen/mach-mit/"),), enclosure=None)


def _store(folder: Path, name: str, entries: dict, maker: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pickle").write_bytes(pickle.dumps((maker, entries)))


def test_an_entry_is_made_from_its_data_with_absolute_addresses() -> None:
    entry = entry_from(DATA)
    assert entry.link()[0]["href"] == "https://example.org/aktuelles/2023/ausblick/"
    assert 'href="https://example.org/massnahmen/"' in entry.content()["content"]
    assert entry.category()[0]["scheme"] == "https://example.org/massnahmen/mach-mit/"


def test_the_stored_entry_is_taken_for_the_same_data_and_code(tmp_path: Path) -> None:
    cache = EntryCache(tmp_path / "feed-entries")
    marked = entry_from(dataclasses.replace(DATA, title="aus dem Speicher"))
    _store(cache.folder, "site", {DATA.key: marked}, cache.maker)
    assert cache.group("site").entry(DATA).title() == "aus dem Speicher"


def test_changed_data_or_other_code_makes_the_entry_anew(tmp_path: Path) -> None:
    cache = EntryCache(tmp_path / "feed-entries")
    marked = entry_from(dataclasses.replace(DATA, title="aus dem Speicher"))
    _store(cache.folder, "site", {DATA.key: marked}, cache.maker)
    edited = dataclasses.replace(DATA, content=DATA.content + "<p>Neu</p>")
    assert "Neu" in cache.group("site").entry(edited).content()["content"]
    _store(cache.folder, "site", {DATA.key: marked}, "other code")
    assert cache.group("site").entry(DATA).title() == "Ausblick"


def test_saving_keeps_only_what_the_build_used(tmp_path: Path) -> None:
    cache = EntryCache(tmp_path / "feed-entries")
    other = dataclasses.replace(DATA, id="tag:example.org,2023-07-01:andere", title="Andere")
    first = cache.group("cluster-a")
    first.entry(DATA), first.entry(other)
    first.save()
    assert set(pickle.loads((cache.folder / "cluster-a.pickle").read_bytes())[1]) == {DATA.key, other.key}
    whole = cache.group("cluster-a")
    whole.entry(DATA)
    whole.save()
    assert set(pickle.loads((cache.folder / "cluster-a.pickle").read_bytes())[1]) == {DATA.key}


def test_without_a_content_cache_nothing_is_stored(tmp_path: Path) -> None:
    cache = EntryCache.for_settings({"CACHE_PATH": str(tmp_path), "LOAD_CONTENT_CACHE": False})
    group = cache.group("site")
    group.entry(DATA)
    group.save()
    assert list(tmp_path.iterdir()) == []
