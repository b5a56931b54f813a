"""Findable and shareable: a sitemap of every public page and nothing else, robots.txt, and on
every page a canonical address, link-preview meta and schema.org data that parse."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, copy_good_content, run_build

BASE = "https://www.beispiel-kommune.de"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("findability")
    content = copy_good_content(work / "content")
    shutil.copyfile(ROOT / "content" / "images" / "logo.svg", content / "images" / "logo.svg")
    (content / "termine").mkdir()
    (content / "termine" / "2026-03-treffen.md").write_text(
        "---\ntitle: Treffen im Newsroom\nstart: 2026-03-12 17:00\nend: 2026-03-12 19:00\n"
        "date: 2026-02-01 09:00\nmeasure: coworking-newsroom\nsummary: Fragen und Antworten.\n"
        "place_name: Coworking Newsroom\nplace_town: Würzburg\n---\n", encoding="utf-8")
    run = run_build(work, content, work / "site", env={"SITEURL": BASE, "SLS_NOW": "2026-03-01T12:00"})
    assert run.code == 0, run.stderr
    return work / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("admin/", "newsletter-preview/")))


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return unescape(found[1]) if found else None


def structured(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_the_sitemap_lists_every_public_page_and_nothing_else(site: Path) -> None:
    tree = ElementTree.parse(site / "sitemap.xml")
    listed = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
              for url in tree.getroot().iter(f"{SITEMAP}url")}
    public = {f"{BASE}/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in pages(site)
              if not p.relative_to(site).as_posix().startswith("newsletter/bestaetigen/")
              and p.name != "404.html"}
    assert set(listed) == public
    assert not any("/admin/" in url or "entwurf" in url for url in listed)
    assert listed[f"{BASE}/aktuelles/2023/ausblick/"].startswith("2023-06-01T")
    assert listed[f"{BASE}/termine/2026/treffen/"] == "2026-02-01T09:00:00+01:00"
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
    assert all(stamp.fullmatch(moment) for moment in listed.values())
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_every_page_has_canonical_link_previews_and_structured_data_that_parse(site: Path) -> None:
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        relative = path.relative_to(site).as_posix().removesuffix("index.html")
        canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)
        assert canonical and canonical[1] == f"{BASE}/{relative}", path
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "twitter:card"):
            assert meta(html, key), (path, key)
        language = re.search(r'<html lang="([^"]+)"', html)[1]  # a translation's: its own
        expected = {"de": "de_DE", "en": "en_US", "uk": "uk_UA", "tr": "tr_TR", "ar": "ar_EG"}[language]
        assert meta(html, "og:locale") == expected and meta(html, "og:url") == canonical[1]
        image = meta(html, "og:image")
        assert image and image.startswith(BASE) and not image.endswith(".svg"), (path, image)
        assert meta(html, "og:image:alt"), path
        blocks = structured(html)
        assert blocks, path  # at least the breadcrumbs (the home page: the WebSite)
        for data in blocks:  # every block parses; every address in it is absolute
            for url in re.findall(r'"(?:url|item|urlTemplate|mainEntityOfPage|logo)": "([^"]*)"',
                                  json.dumps(data)):
                assert url.startswith(BASE), (path, url)


def test_a_post_is_a_blog_posting_with_breadcrumbs_like_the_visible_ones(site: Path) -> None:
    html = (site / "aktuelles" / "2023" / "erstes-treffen" / "index.html"
            ).read_text(encoding="utf-8")
    blocks = {data["@type"]: data for data in structured(html)}
    posting, trail = blocks["BlogPosting"], blocks["BreadcrumbList"]
    for key in ("headline", "datePublished", "dateModified", "author", "publisher", "url", "image"):
        assert key in posting, key
    assert posting["headline"] == "Erstes Treffen im Newsroom: Fragen & Antworten"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", posting["datePublished"])
    assert posting["publisher"]["@type"] == "GovernmentOrganization"
    assert posting["image"]["url"].endswith(".png")  # the SVG lead image's PNG copy
    copy = site / posting["image"]["url"].removeprefix(BASE + "/")
    assert copy.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    visible = re.findall(r"<li[^>]*>(?:<a [^>]*>|<span aria-current=\"page\">)([^<]*)<",
                         html.split('class="sls-breadcrumbs"')[1].split("</nav>")[0])
    assert [item["name"] for item in trail["itemListElement"]] == [unescape(v) for v in visible]
    assert meta(html, "og:type") == "article" and meta(html, "article:published_time")


def test_the_home_page_says_how_to_search_the_site(site: Path) -> None:
    blocks = {d["@type"]: d for d in structured((site / "index.html").read_text(encoding="utf-8"))}
    action = blocks["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/suche/?q={{search_term_string}}"


def test_a_page_says_noindex_exactly_when_the_sitemap_leaves_it_out(site: Path) -> None:
    tree = ElementTree.parse(site / "sitemap.xml")
    listed = {url.findtext(f"{SITEMAP}loc") for url in tree.getroot().iter(f"{SITEMAP}url")}
    disagree = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        noindex = '<meta name="robots" content="noindex">' in page.read_text(encoding="utf-8")
        if noindex == (f"{BASE}/" + relative.removesuffix("index.html") in listed):
            disagree.append(relative)
    assert disagree == []
    assert f"{BASE}/suche/" in listed  # the search page is a page (Lighthouse: crawlable)
    assert f"{BASE}/newsletter/bestaetigen/" not in listed
    assert (site / "newsletter" / "bestaetigen" / "index.html").is_file()  # checked above, unlisted


def test_a_breadcrumb_label_from_the_catalogues_is_text_in_the_structured_data() -> None:
    from markupsafe import Markup

    from plugins.web.findability import breadcrumb_data

    # A catalogue's translation reaches the template escaped for HTML, as every message does.
    trail = breadcrumb_data([(Markup("Events &lt;b&gt; &#34;x"), "en/termine/"), ("Wue App", None)],
                            "https://example.org", "en/termine/x/", home_label=Markup("Home &amp; more"))
    assert [item["name"] for item in trail["itemListElement"]] == ["Home & more", 'Events <b> "x', "Wue App"]
    assert trail["itemListElement"][1]["item"] == "https://example.org/en/termine/"
