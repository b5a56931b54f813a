"""The site's own pages in every language edition that has them: the lists, the measures and
clusters, the search, the sign-up and the feeds (posts, pages and events have translations of
their own; the start pages name each other in ``home_alternates.html``).

A page's versions are found from its address alone, the same way on each of them, so the
language switcher and ``hreflang`` of every version name the same set (reciprocal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .agenda import events_page
from .edition_pages import edition_path, news_page
from .model import Programme
from .signup import SIGNUP, signup_page

PAGINATED = "seite/"  # /aktuelles/seite/2/: a later page of a list


def _search(programme: Programme, key: str) -> str:
    # Leichte Sprache is German: it searches on the site's own page.
    return f"{key}/suche/" if programme.edition(key).lang != programme.editions[0].lang else "suche/"


FIXED: dict[str, Callable[[Programme, str], str]] = {
    "aktuelles/": news_page, "termine/": events_page, SIGNUP: signup_page, "suche/": _search,
    "massnahmen/": lambda programme, key: edition_path(programme, "massnahmen/", key),
    "feeds/": lambda programme, key: edition_path(programme, "feeds/", key),
}


class Versions(NamedTuple):
    urls: dict[str, str]  # edition key: site-relative address, the page's own included
    exact: bool  # the same page in each (False: a later page of a list, leading to their first)
    current: str  # the page's own edition


def subject_urls(programme: Programme) -> list[str]:
    """The measures' and clusters' pages (each edition with pages of its own has them too)."""
    return [*(measure.url for measure in programme.measures), *(c.url for c in programme.clusters)]


def page_versions(programme: Programme, url: str) -> Versions:
    """The page at ``url`` in every edition that has it; only the page itself where no other
    edition has it; nothing for a start page."""
    own = programme.editions[0].key
    keys = {edition.key for edition in programme.editions}
    first, _, rest = url.partition("/")
    key, base = (first, rest) if first in keys and first != own else (own, url)
    if base == "":
        return Versions({}, True, key)
    exact = True
    if PAGINATED in base:  # aktuelles/seite/2/
        base, exact = base[:base.index(PAGINATED)], False
    if base in FIXED:
        where = FIXED[base]
    elif base in subject_urls(programme):
        def where(programme: Programme, key: str) -> str:
            return edition_path(programme, base, key)
    else:
        return Versions({key: url}, True, key)
    german = where(programme, own)
    versions = {own: german}
    for edition in programme.editions[1:]:
        found = where(programme, edition.key)
        if found != german:
            versions[edition.key] = found
    if versions.get(key) != url and exact:
        return Versions({key: url}, True, key)  # an address of the family no edition links
    return Versions(versions, exact, key)
