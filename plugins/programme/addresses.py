"""The addresses the site itself uses, which content must not take.

A page whose slug is „admin“ would be written over by the CMS (or write over it), a page „pagefind“
would be deleted with the search index, a former address „/suche/“ would replace the search page
by a redirect. The build writes such files without asking who else writes them, so the content
check refuses them, with the file and line, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the renderers write at the top of the site besides what the settings name: the CMS, the
# search index, feeds, newsletter, measures and clusters, events and calendars, link-preview
# images, drafts' review pages, hosting files, sitemap. tests/test_site.py checks that
# every name at the top of a built site is one of these, a setting's or a page's.
SEARCH_INDEX = "pagefind"  # the search index's folder (plugins.search), never listed in the sitemap
SYSTEM = ("admin", SEARCH_INDEX, "suche", "feeds", "newsletter", "newsletter-preview", "termine",
          "massnahmen", "cluster", "kalender", "bilder", "entwurf", "_hosting", "_headers",
          "_redirects", ".htaccess", "sitemap.xml", "robots.txt", "index.html", "404.html",
          "wirkung", "daten")
# Folders the system shares with content: posts live under aktuelles/<year>/, events under
# termine/<year>/. Former addresses may lie there, except on the system's own pages.
SHARED = ("aktuelles", "termine")
SHARED_OWN = ("", "index.html", "seite/")  # the folder's list page and its further pages


def reserved_names(settings: Mapping[str, Any]) -> frozenset[str]:
    """The top-level names of the site that belong to the system."""
    names = set(SYSTEM)
    for key, value in settings.items():
        # ARTICLE_SAVE_AS "aktuelles/{date:%Y}/…" → "aktuelles"; PAGE_SAVE_AS "{slug}/…" → none.
        if key.endswith(("_SAVE_AS", "_URL")) and isinstance(value, str) and not value.startswith("{"):
            names.add(value.split("/", 1)[0])
    for key in ("STATIC_PATHS", "THEME_STATIC_PATHS"):
        names.update(str(path).strip("/").split("/", 1)[0] for path in settings.get(key) or ())
    names.add(str(settings.get("THEME_STATIC_DIR") or "theme").strip("/").split("/", 1)[0])
    names.discard("")
    return frozenset(names)


def page_slug_problem(slug: str, reserved: frozenset[str]) -> str | None:
    """Why a page cannot have ``slug`` (its address is /<slug>/), or None."""
    if slug in reserved:
        return f"die Adresse „/{slug}/“ gehört zur Website selbst"
    return None


def alias_problem(alias: str, reserved: frozenset[str]) -> str | None:
    """Why ``alias`` (site-relative, e.g. ``aktuelles/2022/alt/``) cannot be a former address."""
    top, _slash, rest = alias.partition("/")
    if not alias or alias == "index.html":
        return "„/“ ist die Startseite"
    if top in SHARED and top in reserved:
        if rest in SHARED_OWN or rest.startswith(SHARED_OWN[-1]):
            return f"„/{alias}“ ist eine Seite der Website selbst"
        return None
    if top.startswith("."):  # the build's marker, the search refresh's work folders, .htaccess
        return f"„/{alias}“ liegt in einem versteckten Ordner der Website"
    if top in reserved:
        if rest:
            return f"„/{alias}“ liegt in „/{top}/“, das zur Website selbst gehört"
        return f"„/{alias}“ gehört zur Website selbst"
    return None
