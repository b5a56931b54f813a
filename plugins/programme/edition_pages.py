"""Which language editions have the site's own pages in their words, beyond their translations.

Each language other than the site's, with an interface catalogue, gets its events list
(``/<key>/termine/``) and its measures (``/<key>/massnahmen/``, each measure and cluster under
``/<key>/``). Leichte Sprache is German and uses the site's pages; a language without a
catalogue would get German words under its own language tag and dates in its own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, NamedTuple

from markupsafe import Markup

from .catalogues import has_catalogue
from .editions import Edition
from .model import Programme


def foreign_editions(programme: Programme) -> list[str]:
    """The keys of the editions with pages of their own."""
    own = programme.editions[0]
    return [e.key for e in programme.editions[1:] if e.lang != own.lang and has_catalogue(e.key)]


def news_page(programme: Programme, key: str) -> str:
    """The list of all posts in edition ``key``: ``/aktuelles/``, or ``/<key>/aktuelles/`` (its
    translations), which every other edition has, Leichte Sprache included."""
    return "aktuelles/" if key == programme.editions[0].key or key not in {
        e.key for e in programme.editions} else f"{key}/aktuelles/"


def edition_path(programme: Programme, path: str, key: str) -> str:
    """The site-relative ``path`` of one of these pages ("termine/", "massnahmen/wue-app/") in
    edition ``key``: under its prefix where it has them, else the site's own."""
    return f"{key}/{path}" if key in foreign_editions(programme) else path


class PageLink(NamedTuple):
    """Where a link to one of the site's pages leads from edition ``key``: ``url`` (site-relative)
    and ``lang``, the language of the page it leads to where that is not the edition's (a German
    page linked from an English one: "de"), else ""."""

    url: str
    lang: str


def page_link(programme: Programme, pages: Iterable[Any], slug: str, key: str) -> PageLink | None:
    """The page ``slug`` (About, legal notice, …) as edition ``key`` links it: its translation
    into that edition where there is one, else the site's own page (which says its language);
    None where the site has no such page (nothing to link). A page is found by the legal section
    it holds (``legal_section: datenschutz``; one page each, the content check sees to it), else
    by its slug, else by its file's name (``pages/impressum.md`` with ``slug: anbieter``)."""
    pages = list(pages)
    ways = (lambda page: getattr(page, "legal_section", None),
            lambda page: getattr(page, "slug", None),
            lambda page: PurePath(str(getattr(page, "source_path", "") or "")).stem)
    found = next((page for way in ways for page in pages if way(page) == slug), None)
    if found is None:
        return None
    version = next((t for t in getattr(found, "translations", ()) if t.lang == key), found)
    lang = programme.edition(getattr(version, "lang", None) or programme.editions[0].key).lang
    return PageLink(str(version.url), "" if lang == programme.edition(key).lang else lang)


def foreign_edition(programme: Programme, item: Any, edition: Edition) -> Edition | None:
    """The edition of a post or event shown in ``edition`` (a page's, an email's) where its
    language or direction is another (a German event on an English page), else None."""
    own = programme.edition(getattr(item, "lang", None) or programme.editions[0].key)
    return None if (own.lang, own.dir) == (edition.lang, edition.dir) else own


def lang_mark(programme: Programme, item: Any, edition: Edition) -> Markup:
    """` lang="…" dir="…"` for such a post or event, else nothing."""
    own = foreign_edition(programme, item, edition)
    return Markup(' lang="{}" dir="{}"').format(own.lang, own.dir) if own is not None else Markup("")
