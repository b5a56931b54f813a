"""Write one Atom and one RSS feed for a FeedSpec with feedgen.

Known feedgen traps handled here: ``description()`` needs ``isSummary=True``
or it overwrites Atom content; ``add_entry()`` prepends unless
``order='append'``; the feed's ``updated`` would default to now.
"""

from __future__ import annotations

import copy
import hashlib
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from plugins.programme.channels import FeedSpec
from plugins.programme.identity import post_entry_id
from plugins.programme.pictures import Pictures, fitted_body, pictures_of
from plugins.programme.urls import absolute

from .absolute import absolute_html

if TYPE_CHECKING:  # feedgen (and lxml under it) is loaded where a feed is made: 4 MB that the
    # processes writing pages never need (a worker process counts what its parent loaded).
    from feedgen.entry import FeedEntry
    from feedgen.feed import FeedGenerator

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@cache
def _entry_class() -> type:
    from feedgen.entry import FeedEntry

    class _Entry(FeedEntry):
        """feedgen 1.0 drops rel, type and length of Atom entry links (a shadowed
        loop variable in ``atom_entry``), which turns an enclosure into a second
        alternate link. Rewrite the links from the data feedgen kept.

        A post is in several feeds (its cluster's, its measures', the site's), all made by
        ``build_feed`` alike: its XML is made once per format and copied into each (lxml copies in
        C; making the elements is most of a feed's cost). Entries are complete when a feed is made."""

        def _made(self, fmt: str, make):
            made = self.__dict__.setdefault("_sls_made", {})
            if fmt not in made:
                made[fmt] = make()
            return copy.deepcopy(made[fmt])

        def atom_entry(self, extensions: bool = True):
            return self._made(f"atom-{extensions}", lambda: self._atom_entry(extensions))

        def rss_entry(self, extensions: bool = True):
            return self._made(f"rss-{extensions}", lambda: super(_Entry, self).rss_entry(extensions))

        def _atom_entry(self, extensions: bool):
            entry = super().atom_entry(extensions)
            written = [child for child in entry if str(child.tag).rsplit("}", 1)[-1] == "link"]
            for element, data in zip(written, self.link() or [], strict=True):
                for name in ("rel", "type", "hreflang", "title", "length"):
                    if data.get(name):
                        element.set(name, str(data[name]))
            return entry

        def __getstate__(self):
            # The development cache keeps entries (entry_cache); their XML is made again when used.
            state = dict(self.__dict__)
            state.pop("_sls_made", None)
            return state

    _Entry.__module__, _Entry.__qualname__ = __name__, "_Entry"  # pickled by the entry cache
    return _Entry


def __getattr__(name: str) -> Any:
    """``_Entry``, made on first use: how pickle finds the class of a cached entry."""
    if name == "_Entry":
        return _entry_class()
    raise AttributeError(name)


def entry_id(article, authority: str) -> str:
    """A permanent id: the ``uid`` field, else a tag URI from first publication date and slug.

    It survives edits, rebuilds and a move to another domain (RFC 4151).
    """
    uid = getattr(article, "uid", None)
    if uid:
        return str(uid)
    found = post_entry_id(authority, article.date, article.slug)
    # A translation is an entry of its own (in its language's feed): its language follows.
    return found if getattr(article, "in_default_lang", True) else f"{found}/{article.lang}"


def plain_datetime(moment: datetime) -> datetime:
    """A plain datetime: Pelican's SafeDatetime formats through a slow locale-safe strftime."""
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                    moment.second, tzinfo=moment.tzinfo)


def updated_of(article) -> datetime:
    return plain_datetime(getattr(article, "modified", None) or article.date)


@dataclass(frozen=True)
class FeedSettings:
    """What the feeds take from the build's settings, read once."""

    base: str  # the public address, ending in "/": every URL in a feed is absolute
    authority: str  # of the tag: URIs that identify feeds and entries
    lang: str
    content: str  # the content folder (an enclosure's size)
    cluster_word: str = "Cluster"  # the programme's word for a cluster, in category labels
    siteurl: str = ""  # how a post's body addresses the site's files (SITEURL)
    # The build's photo variants: a feed's enclosure is one of them, never the original.
    pictures: Pictures | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, settings: Mapping[str, Any], programme: Any) -> FeedSettings:
        base = settings.get("PUBLIC_URL") or settings.get("SITEURL") or "http://127.0.0.1:8000"
        return cls(base.rstrip("/") + "/", settings.get("FEED_ID_AUTHORITY") or programme.id_authority,
                   settings.get("DEFAULT_LANG", "de"), settings["PATH"], programme.cluster_word.singular,
                   settings.get("SITEURL") or "", pictures_of(settings))


def build_feed(spec: FeedSpec, entries: list[FeedEntry], settings: FeedSettings, programme,
               newest: datetime, latest: datetime | None = None) -> FeedGenerator:
    """A FeedGenerator for ``spec`` holding prepared ``entries`` (newest first).

    Entries are built once per post and shared by every feed that carries the post.
    """
    base, authority = settings.base, settings.authority
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(f"tag:{authority},{programme.id_since}:{spec.atom_path.removesuffix('.atom.xml')}")
    feed.title(spec.title)
    feed.subtitle(spec.description)  # also the RSS channel description
    feed.language(settings.lang)
    feed.author({"name": programme.name})
    feed.icon(absolute(base, programme.design.get("logo", "")))
    feed.generator(programme.generator)
    # Deterministic: the feed changes only when an entry does.
    stamp = latest or newest
    feed.updated(stamp)
    feed.lastBuildDate(stamp)
    for entry in entries:
        feed.add_entry(entry, order="append")
    return feed


def serialize(feed: FeedGenerator, spec: FeedSpec, settings: FeedSettings, fmt: str) -> bytes:
    """Atom or RSS bytes; only the links (alternate page, self) differ between the two."""
    base = settings.base
    self_path, self_type = ((spec.atom_path, "application/atom+xml") if fmt == "atom"
                            else (spec.rss_path, "application/rss+xml"))
    # The page last: feedgen makes the last link RSS's channel <link> (the site, not the feed).
    feed.link([{"href": absolute(base, self_path), "rel": "self", "type": self_type},
               {"href": absolute(base, spec.page_url), "rel": "alternate", "type": "text/html"}],
              replace=True)
    return feed.atom_str(pretty=False) if fmt == "atom" else feed.rss_str(pretty=False)


@dataclass(frozen=True)
class EntryData:
    """Everything a post's feed entry is made of, read from the post (cheap); the entry itself
    is made from this alone (``entry_from``), so equal data gives an equal entry and a
    development build can take the entry from the last build (``entry_cache``)."""

    base: str
    id: str
    title: str
    url: str  # site-relative, like every URL here: joined with ``base`` when the entry is made
    published: datetime
    updated: datetime
    authors: tuple[str, ...]
    summary: str
    content: str  # the page's own rendered HTML (memoised by Pelican)
    categories: tuple[tuple[str, str, str], ...]  # term, label, URL of the scheme
    enclosure: tuple[str, str, str] | None  # URL, length, type

    @cached_property
    def key(self) -> bytes:
        return hashlib.blake2b(repr(self).encode(), digest_size=16).digest()


ENCLOSURE_WIDTH = 960  # what a feed reader shows beside an entry; a phone photo was 3 MB


def _enclosure(image: str, settings: FeedSettings) -> tuple[str, str, str]:
    """(URL, length, type) of the lead image as feeds carry it: a photo's JPEG or PNG variant
    of at most ENCLOSURE_WIDTH pixels (an SVG, or a raster image the build shows as it is,
    goes as it is)."""
    picture = settings.pictures.of(image) if settings.pictures is not None else None
    if picture is not None and settings.pictures is not None:
        variant = picture.fitting(ENCLOSURE_WIDTH)
        size = os.path.getsize(settings.pictures.output / variant.url)
        return variant.url, str(size), mimetypes.guess_type(variant.url)[0] or "image/jpeg"
    size = os.path.getsize(os.path.join(settings.content, image))
    return image, str(size), mimetypes.guess_type(image)[0] or "application/octet-stream"


def entry_data(article, settings: FeedSettings) -> EntryData:
    categories = [(m.slug, m.title, m.url) for m in article.measures]
    categories += [(c.slug, f"{settings.cluster_word} {c.title}", c.url) for c in article.clusters]
    categories += [(t.slug, str(t), t.url) for t in getattr(article, "tags", []) or []]
    image = getattr(article, "image", None)
    # Photos in the text as the variant a reader shows, never the uploaded original.
    body = article.content if settings.pictures is None else fitted_body(
        article.content, settings.pictures, settings.siteurl, ENCLOSURE_WIDTH)
    enclosure = None
    if image:
        enclosure = _enclosure(image, settings)
    return EntryData(settings.base, entry_id(article, settings.authority), article.title, article.url,
                     plain_datetime(article.date), updated_of(article),
                     tuple(str(a) for a in getattr(article, "authors", []) or []),
                     article.metadata.get("summary", ""), body, tuple(categories), enclosure)


def entry_from(data: EntryData) -> FeedEntry:
    """One post as a feed entry, with full HTML content whose URLs are all absolute."""
    url = absolute(data.base, data.url)
    entry = _entry_class()()
    entry.load_extension("dc", atom=False, rss=True)
    entry.id(data.id)
    entry.title(data.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(data.published)
    entry.updated(data.updated)
    for author in data.authors:
        entry.author({"name": author})
    if data.authors:
        # One creator for RSS: readers show a single author line (newsboat keeps only the
        # last of several dc:creator elements); Atom keeps one <author> per person.
        entry.dc.dc_creator(", ".join(data.authors))
    entry.description(data.summary, isSummary=True)
    # Made absolute here: no second pass of link replacement for a different site URL.
    entry.content(absolute_html(data.content, url), type="html")
    for term, label, scheme in data.categories:
        entry.category(term=term, label=label, scheme=absolute(data.base, scheme))
    if data.enclosure:
        path, length, kind = data.enclosure
        entry.enclosure(absolute(data.base, path), length, kind)
    return entry


def build_entry(article, settings: FeedSettings) -> FeedEntry:
    return entry_from(entry_data(article, settings))
