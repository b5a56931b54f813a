"""What makes pages findable and shareable: link-preview images, schema.org data, the sitemap.

All addresses are absolute (``PUBLIC_URL``: ``SITEURL`` when publishing), since messengers,
search engines and calendar apps read them without the page around them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import imagesize
from markupsafe import Markup

from plugins.programme.addresses import SEARCH_INDEX
from plugins.programme.build_state import PerBuild
from plugins.programme.files import write_atomically
from plugins.programme.model import Programme
from plugins.programme.uploads import rasterisable
from plugins.programme.urls import absolute

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
PREVIEW_FOLDER = "bilder/vorschau"  # PNG copies of SVG images for link previews
PREVIEW_WIDTH = 800  # above the 600 px link previews need for a large image; cost grows with pixels
SETTING = "SLS_FINDABILITY"
DERIVED = "images"  # under CACHE_PATH: the PNG copies of SVGs, by content hash


@dataclass(frozen=True)
class PreviewImage:
    url: str
    width: int
    height: int


@dataclass(eq=False)
class Findability(PerBuild):
    """Per build: PNG copies already written, and each page's last change for the sitemap."""

    content: Path
    output: Path
    base: str
    # PNG copies of SVGs by their content hash, kept between builds like the print editions: a
    # clean build rasterises only images that are new (plugins/paper keeps its PDFs alike).
    derived: Path | None = None
    previews: dict[str, PreviewImage | None] = field(default_factory=dict)
    lastmod: dict[str, datetime] = field(default_factory=dict)  # site-relative URL → last change
    moves: dict[str, str] = field(default_factory=dict)  # former address → current one (301)
    gone: list[str] = field(default_factory=list)  # addresses of withdrawn posts (410)
    # site-relative URL → (hreflang, URL) of each language version, itself and x-default included:
    # the same pairs the pages name in their <head> (base.html), for the sitemap.
    alternates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def pair(self, versions: list[tuple[str | None, str]], default: str) -> None:
        """Record ``versions`` ((hreflang or None, URL) each) as alternates of each other, with
        ``default`` as x-default. A version without hreflang (Leichte Sprache, German like the
        original) is in the sitemap but names no alternates; one language alone pairs nothing."""
        named = [(lang, url) for lang, url in versions if lang]
        if len(named) < 2:
            return
        links = [*named, ("x-default", default)]
        for _lang, url in named:
            self.alternates[url] = links

    def absolute(self, path: str) -> str:
        return absolute(self.base.rstrip("/") + "/", path)

    def preview(self, image: str) -> PreviewImage | None:
        """A raster image for link previews: the image itself, or a PNG copy of an SVG."""
        if image not in self.previews:
            self.previews[image] = self._preview(image)
        return self.previews[image]

    def _preview(self, image: str) -> PreviewImage | None:
        source = self.content / image
        if not source.is_file():
            return None
        width, height = imagesize.get(str(source))
        if width <= 0 or height <= 0:
            return None
        if source.suffix.lower() in RASTER:
            return PreviewImage(self.absolute(image), width, height)
        if source.suffix.lower() != ".svg" or not rasterisable(width, height):
            return None  # the page goes without a preview image rather than allocate gigabytes
        import resvg_py  # only sites with SVG images need the rasteriser

        data = source.read_bytes()
        name = f"{PREVIEW_FOLDER}/{source.stem}-{hashlib.sha256(data).hexdigest()[:8]}.png"
        shown = round(PREVIEW_WIDTH * height / width)
        target = self.output / name
        kept = self.derived / f"{PREVIEW_WIDTH}-{Path(name).name}" if self.derived is not None else None
        if not target.exists():
            os.makedirs(target.parent, exist_ok=True)
            if kept is not None and kept.is_file():  # same name: same SVG content
                shutil.copyfile(kept, target)
            else:
                png = bytes(resvg_py.svg_to_bytes(svg_path=str(source), width=PREVIEW_WIDTH,
                                                  background="#ffffff"))
                # Atomic: in a split build two processes may make the same copy at once.
                write_atomically(target, png, 0o644)
                if kept is not None:
                    write_atomically(kept, png, 0o644)
        return PreviewImage(self.absolute(name), PREVIEW_WIDTH, shown)


def findability_of(settings: Any) -> Findability:
    """This build's link-preview and sitemap state (one per build, kept in its settings)."""
    found = settings.get(SETTING)
    if not isinstance(found, Findability):
        base = settings.get("PUBLIC_URL") or settings.get("SITEURL") or ""
        cache = settings.get("CACHE_PATH")
        found = settings[SETTING] = Findability(Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]),
                                                base, Path(cache) / DERIVED if cache else None)
    return found


def publisher(programme: Programme, base: str) -> dict[str, Any]:
    return {"@type": "GovernmentOrganization", "name": programme.name, "url": base.rstrip("/") + "/",
            "logo": absolute(base.rstrip("/") + "/", programme.design.get("logo", ""))}


def website_data(programme: Programme, base: str, edition: str = "") -> dict[str, Any]:
    """The site as schema.org sees it; ``edition``: another language's start page and search."""
    home = base.rstrip("/") + "/"
    other = programme.edition(edition) if edition and edition != programme.editions[0].key else None
    prefix = f"{other.key}/" if other is not None and other.lang != programme.editions[0].lang else ""
    return {"@context": "https://schema.org", "@type": "WebSite", "name": programme.name,
            "url": home + (f"{other.key}/" if other is not None else ""),
            "inLanguage": other.lang if other is not None else programme.info.get("lang", "de"),
            "publisher": publisher(programme, base),
            "potentialAction": {"@type": "SearchAction",
                                "target": {"@type": "EntryPoint",
                                           "urlTemplate": f"{home}{prefix}suche/?q={{search_term_string}}"},
                                "query-input": "required name=search_term_string"}}


def breadcrumb_data(items: list[tuple[Any, ...]], base: str, current: str,
                    home_label: str = "Startseite") -> dict[str, Any]:
    """The visible breadcrumbs (home first, the current page last) as a BreadcrumbList; an item
    is (label, address or None[, its language])."""
    home = base.rstrip("/") + "/"
    trail = [(home_label, home), *((item[0], absolute(home, item[1]) if item[1] else absolute(home, current))
                                   for item in items)]
    # A label from the catalogues comes escaped for HTML (Markup): the data names the text itself.
    trail = [(label.unescape() if isinstance(label, Markup) else str(label), url) for label, url in trail]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": index, "name": label, "item": url}
                                for index, (label, url) in enumerate(trail, start=1)]}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def posting_data(article: Any, programme: Programme, base: str, image: PreviewImage | None) -> dict[str, Any]:
    url = absolute(base.rstrip("/") + "/", article.url)
    authors = [str(a) for a in getattr(article, "authors", []) or []]
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": article.title,
        "description": article.metadata.get("summary", ""), "url": url, "mainEntityOfPage": url,
        "datePublished": _iso(article.date),
        "dateModified": _iso(getattr(article, "modified", None) or article.date),
        "inLanguage": programme.edition(article.lang).lang, "publisher": publisher(programme, base),
        "author": ([{"@type": "Person", "name": name} for name in authors] if authors
                   else [publisher(programme, base)]),
        "about": [{"@type": "Thing", "name": m.title, "url": absolute(base.rstrip("/") + "/", m.url)}
                  for m in getattr(article, "measures", [])],
    }
    if getattr(article, "tags", None):
        data["keywords"] = [str(tag) for tag in article.tags]
    if image is not None:
        data["image"] = {"@type": "ImageObject", "url": image.url, "width": image.width,
                         "height": image.height}
    return data


# Never in the sitemap: the CMS, previews, hosting files, the newsletter's confirmation step,
# and the not-found page. The search page is listed: it is one page (its results appear in the
# reader's browser, never as addresses a crawler could multiply), and the site's structured
# data names it as the site's search.
NOT_LISTED = ("admin/", "newsletter-preview/", "entwurf/", "pagefind/", "_hosting/",
              "newsletter/bestaetigen/", "404.html")


def file_of(address: str) -> str:
    """The file a site-relative address is served from: ``a/b/`` → ``a/b/index.html``."""
    return f"{address}index.html" if address.endswith("/") or not address else address


def sitemap_pages(html: list[str], moves: dict[str, str], gone: list[str]) -> list[str]:
    """Of a site's HTML files (``site_files``), the ones a sitemap lists: not moved or withdrawn
    addresses either."""
    skipped = {file_of(address) for address in [*moves, *gone]}
    return sorted(p for p in set(html) if not p.startswith(NOT_LISTED) and p not in skipped)


def site_files(site: Path) -> tuple[list[str], list[str]]:
    """(HTML files, SVG files) of a built site, site-relative, in one walk. Not into the search
    index (it holds more files than the pages, and none of either kind); HTML files not from
    folders that are never listed."""
    html, svgs = [], []
    for folder, children, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        if not prefix:
            children[:] = [c for c in children if c != SEARCH_INDEX]
        listed = not prefix.startswith(NOT_LISTED)
        for name in files:
            if listed and name.endswith(".html"):
                html.append(prefix + name)
            elif name.lower().endswith(".svg"):  # bild.SVG is an SVG to a browser too
                svgs.append(prefix + name)
    return html, svgs


def sitemap(pages: list[str], base: str, lastmod: dict[str, datetime], fallback: datetime,
            alternates: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """sitemaps.org XML of ``pages`` (site-relative HTML files); a page in several languages
    names each version with ``xhtml:link rel="alternate" hreflang`` (Google's sitemap form)."""
    home = base.rstrip("/") + "/"
    alternates = alternates or {}
    rows = []
    for relative in pages:
        url = relative.removesuffix("index.html")
        moment = lastmod.get(url, fallback)
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" '
                        f'href="{escape(absolute(home, other))}"/>'
                        for lang, other in alternates.get(url, ()))
        rows.append(f"  <url><loc>{escape(absolute(home, url))}</loc>"
                    f"<lastmod>{moment.isoformat(timespec='seconds')}</lastmod>{links}</url>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "".join(rows) + "</urlset>\n")


def robots(base: str) -> str:
    home = base.rstrip("/") + "/"
    return (f"# {home}\nUser-agent: *\nDisallow: /admin/\nDisallow: /newsletter-preview/\n"
            f"\nSitemap: {home}sitemap.xml\n")
