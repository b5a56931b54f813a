"""Language editions of the site (programme.yml ``languages:``): a translation's page in its
language and direction, linked both ways with its original and the other translations
(switcher and hreflang), and saying so when it was made from an older text of its original."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.build import INCREMENTAL, build

pytestmark = pytest.mark.slow  # whole builds

POST = "posts/2026-03-16-offen-und-uebertragbar"
ADDRESS = "aktuelles/2026/offen-und-uebertragbar/index.html"
LANGUAGES = ("ls", "en", "uk", "tr", "ar")


def build_site(content: Path, site: Path, cache: Path, incremental: bool = False) -> None:
    """A clean build, or (``incremental``) a development rebuild as `make build` makes it."""
    result = build(output=site, content=content, overrides={"PRINT_EDITIONS": False, "SEARCH_INDEX": False,
                                                            "CACHE_PATH": str(cache),
                                                            **(INCREMENTAL if incremental else {})})
    assert result.ok, result.errors + result.problems


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("editions")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    build_site(content, folder / "site", folder / "cache")
    return content, folder / "site"


def page(site: Path, key: str = "") -> str:
    return (site / key / ADDRESS if key else site / ADDRESS).read_text(encoding="utf-8")


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_each_translation_is_in_its_language_and_direction_with_german_header_and_footer(sample) -> None:
    _content, site = sample
    arabic = page(site, "ar")
    assert '<html lang="ar" dir="rtl">' in arabic
    # Header and footer speak the page's language (its catalogue); the programme's own German
    # texts in them say they are German.
    assert '<header class="sls-header">' in arabic and "انتقل إلى المحتوى" in arabic  # skip link
    assert '<summary class="sls-menu__button">القائمة</summary>' in arabic
    assert 'action="/ar/suche/"' in arabic  # the header's search is the page's language's
    assert "بيان إمكانية الوصول" in arabic.split('<footer class="sls-footer">', 1)[1]
    assert '<p>Funded by the <span lang="de" dir="ltr">Bundesprogramm' in page(site, "en")
    assert '<span lang="de" dir="ltr">Bundesprogramm' in arabic  # German reads left to right
    # The programme's own texts from programme.ar.yml; what it lacks is German and says so.
    assert '<span class="sls-brand__tagline">مدينة ذكية لمدينة فورتسبورغ ومقاطعتها</span>' in arabic
    assert 'data-pagefind-filter="cluster:Datensouveränität">سيادة البيانات</a>' in arabic
    assert 'data-pagefind-filter="massnahme:Wue App"><span lang="de" dir="ltr">Wue App</span></a>' in arabic
    assert "<h1>مفتوح وقابل للنقل" in arabic
    assert '<html lang="de" dir="ltr">' in page(site, "ls")  # Leichte Sprache is German
    assert '<html lang="uk" dir="ltr">' in page(site, "uk")
    assert '<header class="sls-header">' in page(site)  # the German page marks nothing
    assert "Zum Inhalt springen" in page(site) and "Zum Inhalt springen" in page(site, "ls")
    # A translation that does not describe its image itself shows the original's description,
    # and says it is German (screen readers read it with a German voice).
    post = "aktuelles/2024/wue-app-offen-entwickelt/index.html"
    for key in ("en", "ar"):
        html = (site / key / post).read_text(encoding="utf-8")
        assert '<figure class="sls-figure" lang="de" dir="ltr">' in html
    assert '<figure class="sls-figure">' in (site / post).read_text(encoding="utf-8")


def test_hreflang_is_reciprocal_with_the_original_as_x_default(sample) -> None:
    _content, site = sample
    pages = {key: page(site, key) for key in ("", *LANGUAGES)}
    original = alternates(pages[""])
    # Leichte Sprache shares "de" with the original: it is in the switcher, not in hreflang.
    assert set(original) == {"de", "en", "uk", "tr", "ar", "x-default"}
    assert original["x-default"] == original["de"] and original["de"].endswith("/" + ADDRESS[:-10])
    for key, html in pages.items():
        assert alternates(html) == original, key
    for key in ("en", "uk", "tr", "ar"):
        assert original[key].endswith(f"/{key}/{ADDRESS[:-10]}")


_SWITCHER = re.compile(r'<nav class="[^"]*sls-languages[^"]*" aria-label="[^"]+"[^>]*>(.*?)</nav>', re.S)
_ENTRY = re.compile(r'<li lang="([^"]+)" dir="(ltr|rtl)">(<span aria-current="page">|<a href="([^"]+)"|'
                    r'<span class="sls-languages__missing">)')


def test_every_page_has_a_language_switcher_and_its_versions_name_each_other(sample) -> None:
    """Whichever page a reader lands on (a measure, a list, the search, the figures), it names
    all six languages in themselves and leads to the same page in each, or says there is none;
    the versions of a page name the same set in their head (reciprocal)."""
    _content, site = sample
    base = "http://127.0.0.1:8000"
    checked = 0
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        if relative.startswith(("admin/", "pagefind/")) or relative == "404.html" or "<main" not in html \
                or 'http-equiv="refresh"' in html or "sls-gone" in html:
            continue  # the CMS, a moved or withdrawn address, the error page (links of its own)
        switchers = _SWITCHER.findall(html)
        assert len(switchers) == 1, relative
        entries = _ENTRY.findall(switchers[0])
        assert len(entries) == 6, relative
        assert sum(opening.startswith("<span aria-current") for _l, _d, opening, _h in entries) == 1, relative
        for _lang, _dir, _opening, href in entries:
            if href:
                target = site / href.removeprefix(base + "/").removeprefix("/")
                assert (target / "index.html" if href.endswith("/") else target).is_file(), (relative, href)
        own = alternates(html)
        for lang, url in own.items():
            other = site / url.removeprefix(base + "/") / "index.html"
            assert alternates(other.read_text(encoding="utf-8")) == own, (relative, lang)
        checked += 1
    assert checked > 100
    measure = page_at(site, "ar/massnahmen/wue-app/")
    assert '<a href="/massnahmen/wue-app/" hreflang="de">Deutsch</a>' in measure or \
        f'<a href="{base}/massnahmen/wue-app/" hreflang="de">Deutsch</a>' in measure


def page_at(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_the_sitemap_names_the_same_language_versions_as_each_page(sample) -> None:
    """Search engines read the pairs from the sitemap too: for every listed page, the alternates
    the sitemap names are those the page's own head names; pages in one language name none."""
    _content, site = sample
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    paired = 0
    for entry in root.findall("s:url", ns):
        loc = entry.findtext("s:loc", namespaces=ns)
        listed = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
        path = loc.split("://", 1)[1].split("/", 1)[1]
        own = alternates((site / path / "index.html" if not path or path.endswith("/") else site / path)
                         .read_text(encoding="utf-8"))
        # A page names itself among its versions unless its language has no hreflang of its own
        # (Leichte Sprache is German like the original): such a page, or one whose only other
        # version has none, names no versions in the sitemap (a sitemap entry includes itself).
        names_itself = loc in {url for lang, url in own.items() if lang != "x-default"}
        assert listed == (own if names_itself and len(own) > 2 else {}), (loc, listed)
        paired += bool(listed)
    # Six start pages but five hreflangs (Leichte Sprache is German), the translated posts,
    # events and pages of the sample.
    assert paired >= 5 * 3
    english = [entry for entry in root.findall("s:url", ns)
               if entry.findtext("s:loc", namespaces=ns).split("://", 1)[1].split("/", 1)[1] == "en/"]
    assert {link.get("hreflang") for link in english[0].findall("x:link", ns)} == \
        {"de", "en", "uk", "tr", "ar", "x-default"}


def test_the_switcher_names_each_language_in_itself_and_says_where_there_is_none(sample) -> None:
    _content, site = sample
    english = page(site, "en")
    switcher = english.split('<nav class="sls-languages" aria-label="Languages"', 1)[1].split("</nav>", 1)[0]
    here = "aktuelles/2026/offen-und-uebertragbar/"
    assert f'<li lang="de" dir="ltr"><a href="/{here}" hreflang="de">Deutsch</a>' in switcher
    assert f'<li lang="ar" dir="rtl"><a href="/ar/{here}" hreflang="ar">العربية</a>' in switcher
    assert '<li lang="en" dir="ltr"><span aria-current="page">English</span>' in switcher
    assert f'<li lang="de" dir="ltr"><a href="/ls/{here}">Leichte Sprache</a>' in switcher
    # A post without translations: each language says so in its own words.
    other = next(p for p in (site / "aktuelles").glob("*/*/index.html")
                 if "offen-und-uebertragbar" not in str(p)).read_text(encoding="utf-8")
    missing = '<span class="sls-languages__missing">'
    assert f'<li lang="uk" dir="ltr">{missing}Українська: не перекладено</span>' in other
    assert f'<li lang="ar" dir="rtl">{missing}العربية: غير مترجم</span>' in other
    assert 'hreflang="x-default"' not in other


def test_a_changed_original_marks_its_translations_older_until_they_are_recorded(tmp_path: Path) -> None:
    from pipeline.translations import main as record

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "site"
    build_site(content, site, tmp_path / "cache", incremental=True)
    assert "sls-outdated" not in page(site, "en")
    original = content / f"{POST}.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    build_site(content, site, tmp_path / "cache", incremental=True)  # the original's edit reaches them
    english, arabic = page(site, "en"), page(site, "ar")
    assert "This translation is older than the current original text." in english
    link = '<a href="/aktuelles/2026/offen-und-uebertragbar/" hreflang="de">'
    assert f"{link}Read the original text (Deutsch)</a>" in english
    assert "هذه الترجمة أقدم من النص الأصلي الحالي." in arabic
    assert "sls-outdated" not in page(site)
    assert record([str(content / f"{POST}.en.md")], str(content)) == 0
    build_site(content, site, tmp_path / "cache", incremental=True)
    assert "sls-outdated" not in page(site, "en")
    assert "sls-outdated" in page(site, "ar")


def test_a_development_rebuild_reads_again_only_what_an_originals_edit_changes(tmp_path: Path) -> None:
    """A translation cached without its original is read again once the original is there; an
    edit of an original reaches its translations without reading every other post again."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    original = content / f"{POST}.md"
    text = original.read_text(encoding="utf-8")
    original.unlink()
    site, cache = tmp_path / "site", tmp_path / "cache"
    refused = build(output=site, content=content, overrides={
        "PRINT_EDITIONS": False, "SEARCH_INDEX": False, "CACHE_PATH": str(cache), **INCREMENTAL})
    assert not refused.ok and any(f"{POST}.en.md" in line for line in refused.problems), refused.problems
    original.write_text(text, encoding="utf-8")
    build_site(content, site, cache, incremental=True)
    assert "Open and transferable" in page(site, "en")
    # Reading counts: only the original and its five translations are read again.
    from plugins.programme import build_state

    read: list[str] = []
    parsed = build_state.BuildState.parsed

    def counting(self: build_state.BuildState, path: str | Path) -> object:
        read.append(Path(path).name)
        return parsed(self, path)

    original.write_text(text + "\nEin neuer Absatz.\n", encoding="utf-8")
    build_state.BuildState.parsed = counting  # type: ignore[method-assign]
    try:
        build_site(content, site, cache, incremental=True)
    finally:
        build_state.BuildState.parsed = parsed  # type: ignore[method-assign]
    posts = sorted(name for name in read if name.startswith(Path(POST).name))
    assert len(posts) == 6 and len([name for name in read if name.endswith(".md")]) == 6, read
    assert "This translation is older than the current original text." in page(site, "en")


def test_translations_follow_their_original_out_of_the_site_and_a_withdrawn_one_says_so(
        tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    english = content / f"{POST}.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "status: published", 'status: withdrawn\nwithdrawn_reason: "Sample: no longer offered."'),
        encoding="utf-8")
    site = tmp_path / "site"
    build_site(content, site, tmp_path / "cache")
    gone = (site / "en" / ADDRESS).read_text(encoding="utf-8")
    assert "Sample: no longer offered." in gone
    assert "/en/aktuelles/2026/offen-und-uebertragbar/" in (site / "_redirects").read_text(encoding="utf-8")
    assert "Open and transferable" not in page(site)  # the German page is the German post's
    # The original becomes a draft: its translations leave the site with it.
    original = content / f"{POST}.md"
    original.write_text(original.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                        encoding="utf-8")
    build_site(content, site, tmp_path / "cache")
    for key in ("", "ls", "uk", "tr", "ar"):
        assert not (site / key / ADDRESS).exists(), key
    listed = (site / "aktuelles" / "index.html").read_text(encoding="utf-8") \
        + (site / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "offen-und-uebertragbar" not in listed


def test_a_translation_moves_with_its_original_in_a_development_rebuild(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "site"
    build_site(content, site, tmp_path / "cache", incremental=True)
    original = content / f"{POST}.md"
    original.write_text(original.read_text(encoding="utf-8").replace("date: 2026-03-16", "date: 2025-03-16"),
                        encoding="utf-8")
    build_site(content, site, tmp_path / "cache", incremental=True)  # the translation's cache is stale
    moved = ADDRESS.replace("2026", "2025")
    for key in ("en", "ar"):
        assert (site / key / moved).is_file() and not (site / key / ADDRESS).exists(), key


def test_each_language_has_a_feed_of_its_translations_in_that_language(sample) -> None:
    import feedparser

    _content, site = sample
    for key, title, lang in (("en", "Open and transferable", "en"), ("ar", "مفتوح وقابل للنقل", "ar"),
                             ("ls", "Offen für alle", "de")):
        for kind in ("atom", "rss"):
            parsed = feedparser.parse((site / "feeds" / "sprache" / f"{key}.{kind}.xml").read_bytes())
            assert not parsed.bozo, (key, kind, parsed.get("bozo_exception"))
            assert parsed.feed.get("language") == lang or kind == "atom", (key, parsed.feed)
            # Newest first: the three sample posts translated into every language.
            assert parsed.entries[0].title.split(":")[0] == title and len(parsed.entries) == 3, key
            assert parsed.entries[0].id.endswith(f":offen-und-uebertragbar/{key}"), parsed.entries[0].id
            assert parsed.entries[1].id.endswith(f":wue-app-offen-entwickelt/{key}"), parsed.entries[1].id
            assert parsed.entries[2].id.endswith(f":dr-smart/{key}"), parsed.entries[2].id
    atom = (site / "feeds" / "sprache" / "ar.atom.xml").read_text(encoding="utf-8")
    assert 'xml:lang="ar"' in atom
    german = (site / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Open and transferable" not in german and "مفتوح" not in german
    assert 'href="/feeds/sprache/en.atom.xml"' in page(site, "en")  # the page names its feed
    listing = (site / "feeds" / "index.html").read_text(encoding="utf-8")
    assert '<span class="sls-feed-list__title" lang="uk" dir="ltr">Українська</span>' in listing


def test_each_language_leads_to_its_own_pages_and_says_which_links_lead_to_german_ones(sample) -> None:
    _content, site = sample
    english = page(site, "en")
    header, footer = english.split("</header>")[0], english.split('<footer class="sls-footer">', 1)[1]
    # The About page is translated: the menu leads to the translation; the rest is German and
    # says so, to browsers (hreflang) and, in the footer, in words.
    assert '<a href="/en/ueber-das-programm/">About the programme</a>' in header
    assert '<a href="/gebaerdensprache/" hreflang="de">Sign language</a>' in header
    assert '<a href="/impressum/" hreflang="de">Legal notice (in German)</a>' in footer
    assert '<a href="/newsletter/" hreflang="de">Archive (in German)</a>' in footer
    assert '<a href="/leichte-sprache/" hreflang="de">Easy German</a>' in footer  # German by name
    assert '<a href="/en/feeds/">Feeds (RSS and Atom)</a>' in footer
    signup = (site / "en" / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
    signup = signup.split("<footer")[0]
    assert '<a href="/datenschutz/" hreflang="de">More in the privacy policy (in German)</a>' in signup
    arabic = page(site, "ar").split('<footer class="sls-footer">', 1)[1]
    assert '<a href="/datenschutz/" hreflang="de">حماية البيانات (بالألمانية)</a>' in arabic
    german = page(site)
    assert 'hreflang="de"' not in german.split('<footer class="sls-footer">', 1)[1]
    assert '<a href="/ueber-das-programm/">Über das Programm</a>' in german
    assert "(auf Deutsch)" not in german and "(auf Deutsch)" not in page(site, "ls")
    # Each language's feeds: its own feed first, the German ones in its words and marked German.
    listing = (site / "uk" / "feeds" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in listing and "Стрічка – це список" in listing
    feeds = re.findall(r'href="/feeds/([^"]+)" type="application/atom\+xml"', listing)
    assert feeds[:2] == ["sprache/uk.atom.xml", "all.atom.xml"] and "sprache/uk.atom.xml" not in feeds[2:]
    assert '<span lang="de">stadt.land.smart – alle Neuigkeiten</span>' in listing
    # A feed reader finds the language's feed first on its pages, lists and search included.
    for address in ("uk/feeds", "uk", "uk/aktuelles", "uk/termine", "uk/suche"):
        head = (site / address / "index.html").read_text(encoding="utf-8").split("</head>")[0]
        found = re.findall(r'type="application/atom\+xml" title="[^"]*" href="/feeds/([^"]+)"', head)
        assert found[:2] == ["sprache/uk.atom.xml", "all.atom.xml"], (address, found)
    assert '<span class="sls-feed-list__title" lang="ar" dir="rtl">العربية</span>' in listing
    assert '<html lang="ar" dir="rtl">' in (site / "ar" / "feeds" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="de">' not in (site / "feeds" / "index.html").read_text(encoding="utf-8")


def test_menu_and_footer_find_a_renamed_page_by_its_file_and_offer_no_page_the_site_lacks(
        tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    legal = content / "pages" / "impressum.md"
    renamed = legal.read_text(encoding="utf-8").replace("slug: impressum", "slug: anbieterkennzeichnung")
    legal.write_text(renamed, encoding="utf-8")
    (content / "pages" / "impressum.en.md").write_text(
        '---\ntitle: "Legal notice"\nslug: anbieterkennzeichnung\nsummary: "Who publishes this website."\n'
        "---\n\nWho publishes this website.\n", encoding="utf-8")
    (content / "pages" / "gebaerdensprache.md").unlink()
    for page in (content / "pages").glob("*.md"):  # the pages that link it name another place
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("({filename}gebaerdensprache.md)", "(https://example.org/dgs/)"),
                        encoding="utf-8")
    build_site(content, tmp_path / "site", tmp_path / "cache")
    german = (tmp_path / "site" / ADDRESS).read_text(encoding="utf-8")
    english = (tmp_path / "site" / "en" / ADDRESS).read_text(encoding="utf-8")
    assert '<a href="/anbieterkennzeichnung/">Impressum</a>' in german
    assert '<a href="/en/anbieterkennzeichnung/">Legal notice</a>' in english
    assert '<a href="/datenschutz/" hreflang="de">Privacy (in German)</a>' in english
    for html in (german, english, (tmp_path / "site" / "index.html").read_text(encoding="utf-8")):
        assert "/gebaerdensprache/" not in html and "/impressum/" not in html  # never a dead link


def test_each_language_has_a_start_page_with_its_posts_and_about_page(sample) -> None:
    _content, site = sample
    english = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english
    assert '<h2 id="neueste">Latest posts</h2>' in english
    assert f'<a href="/en/{ADDRESS[:-10]}">Open and transferable' in english
    assert '<a href="/en/ueber-das-programm/">About the programme</a>' in english
    assert '<a class="sls-brand" href="/en/">' in english  # the logo leads to this start page
    homes = {key: alternates((site / key / "index.html").read_text(encoding="utf-8"))
             for key in ("", "en", "uk", "tr", "ar", "ls")}
    assert homes[""]["x-default"].endswith(":8000/") and homes[""]["ar"].endswith("/ar/")
    assert all(found == homes[""] for found in homes.values())  # reciprocal, all six
    arabic = (site / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "عن البرنامج" in arabic
    # A translated post's breadcrumbs start at its language's start page.
    assert '<li><a href="/en/">Home</a></li>' in page(site, "en")


def test_a_translation_keeps_its_former_address(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    english = content / f"{POST}.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "status: published", "status: published\naliases: [/en/aktuelles/2026/open-and-transferable/]"),
        encoding="utf-8")
    site = tmp_path / "site"
    build_site(content, site, tmp_path / "cache")
    redirects = (site / "_redirects").read_text(encoding="utf-8")
    old, new = "/en/aktuelles/2026/open-and-transferable/", "/en/aktuelles/2026/offen-und-uebertragbar/"
    assert f"{old} {new} 301" in redirects
    moved = (site / old.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'href="{new}"' in moved


def test_every_search_and_the_index_get_the_policy_that_lets_pagefind_run(sample) -> None:
    """Pagefind's worker is held to its own response's policy: /pagefind/ needs WebAssembly
    as much as each language's search page does (found served by nginx with these headers)."""
    _content, site = sample
    headers = (site / "_headers").read_text(encoding="utf-8")
    nginx = (site / "_hosting" / "nginx-headers.conf").read_text(encoding="utf-8")
    for path in ("suche/", "pagefind/", "en/suche/", "ar/suche/"):
        block = headers.split(f"/{path}*\n", 1)[1].split("\n/", 1)[0]
        assert "'wasm-unsafe-eval'" in block, path
        assert "'wasm-unsafe-eval'" in nginx.split(f"location ^~ /{path} {{", 1)[1].split("}", 1)[0], path
    assert "/ls/suche/" not in headers  # Leichte Sprache is searched on /suche/


EVENT_ADDRESS = "termine/2027/offene-sprechstunde/index.html"


def test_an_event_is_in_every_language_with_its_page_calendar_and_structured_data(sample, tmp_path) -> None:
    import icalendar

    _content, site = sample
    pages = {key: (site / key / EVENT_ADDRESS).read_text(encoding="utf-8") for key in ("", *LANGUAGES)}
    arabic = pages["ar"]
    assert '<html lang="ar" dir="rtl">' in arabic and "<h1>ساعة استشارة مفتوحة" in arabic
    assert "<dt>متى</dt>" in arabic and "يناير 2027" in arabic  # the time in Arabic words
    assert '"inLanguage":"ar"' in arabic
    assert "Thursday, January 14, 2027, 4:00\u202fPM to 6:00\u202fPM" in pages["en"]  # CLDR's spacing
    # Every version names every other (the switcher and hreflang), the German one included.
    original = alternates(pages[""])
    assert set(original) == {"de", "en", "uk", "tr", "ar", "x-default"}
    assert all(alternates(html) == original for html in pages.values())
    assert '<a href="/ls/termine/2027/offene-sprechstunde/">Leichte Sprache</a>' in pages[""]
    # A language's start page shows the coming events in that language.
    english_home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/en/termine/2027/offene-sprechstunde/">Open consultation hour' in english_home
    # The language's calendar: every event, the translated one in Ukrainian (and saying so), the
    # others German; its own UID, so that both calendars can be subscribed side by side.
    calendar = icalendar.Calendar.from_ical((site / "kalender" / "sprache" / "uk.ics").read_bytes())
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    ukrainian = found["Відкриті консультаційні години в Coworking Newsroom"]
    assert ukrainian["SUMMARY"].params["LANGUAGE"] == "uk"
    assert "Реєстрація не потрібна." in str(ukrainian["DESCRIPTION"])
    assert found["Sprechstunde zur Wue App"]["SUMMARY"].params["LANGUAGE"] == "de"
    german = icalendar.Calendar.from_ical((site / "kalender" / "alle.ics").read_bytes())
    uids = {str(e["SUMMARY"]): str(e["UID"]) for e in german.walk("VEVENT")}
    assert str(ukrainian["UID"]) != uids["Offene Sprechstunde im Coworking Newsroom"]
    assert len(found) == len(uids)


def test_each_language_lists_the_events_in_its_words_with_its_calendar_first(sample) -> None:
    _content, site = sample
    english = (site / "en" / "termine" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english and "<h1>Events</h1>" in english
    # Each event in English where translated; the other one German, and marked so.
    assert '<a href="/en/termine/2027/offene-sprechstunde/">Open consultation hour' in english
    german_event = '<a href="/termine/2027/sprechstunde-wue-app/"><span lang="de" dir="ltr">Sprechstunde'
    assert german_event in english
    calendars = english.split('<ul class="sls-calendar-list">', 1)[1]
    assert calendars.index("/kalender/sprache/en.ics") < calendars.index("/kalender/alle.ics")
    assert "/kalender/sprache/uk.ics" not in calendars  # another language's calendar is on its page
    # Past events: those translated into it (none in the sample), the German ones one link away.
    past = english.split('<section aria-labelledby="vergangene">', 1)[1]
    assert "<p>None in this language yet.</p>" in past and "Zukunftswerkstatt" not in past
    assert '<a href="/termine/#vergangene" hreflang="de">All 2 past events in German</a>' in past
    arabic = (site / "ar" / "termine" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "<h2 id=\"kommende\">الفعاليات القادمة</h2>" in arabic
    # The way there: the navigation and a translated event's "subscribe to all events".
    english_home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/en/termine/">Events</a>' in english_home
    # So do "News" (its translated posts) and, in Leichte Sprache, its own list of posts.
    assert '<a href="/en/aktuelles/">News</a>' in english_home
    header = page(site, "ls").split('<header class="sls-header"', 1)[1].split("</header>")[0]
    assert 'href="/ls/aktuelles/"' in header
    event = (site / "en" / EVENT_ADDRESS).read_text(encoding="utf-8")
    assert 'href="/en/termine/#kalender"' in event and '<a href="/en/termine/">Events</a>' in event
    # Leichte Sprache is German: its events are on /termine/, which stays as it was.
    assert not (site / "ls" / "termine" / "index.html").exists()
    german = (site / "termine" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Termine</h1>" in german and "/kalender/sprache/en.ics" in german


def test_the_one_not_found_page_speaks_every_language_and_leads_to_its_start_page(sample) -> None:
    _content, site = sample
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert '<p lang="ar" dir="rtl"><a href="/ar/" hreflang="ar">هذه الصفحة غير موجودة.' in missing
    english = '<a href="/en/" hreflang="en">This page does not exist. To the start page in English</a>'
    assert english in missing
    assert '<a href="/ls/">Diese Seite gibt es nicht. Zur Startseite in Leichter Sprache</a>' in missing


def test_each_language_has_the_measures_in_its_words_with_its_posts_and_the_way_to_german(sample) -> None:
    _content, site = sample
    overview = (site / "en" / "massnahmen" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in overview and "<h1>Measures</h1>" in overview
    assert '<a href="/en/cluster/datensouveraenitaet/">Data sovereignty</a>' in overview
    assert '<a href="/en/massnahmen/wue-app/">' in overview
    arabic = (site / "ar" / "massnahmen" / "wue-app" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    # Its posts in Arabic; the German ones one link away, saying how many and that they are German.
    assert 'href="/ar/aktuelles/2026/offen-und-uebertragbar/"' in arabic
    assert 'href="/aktuelles/' not in arabic.split('<main', 1)[1].split("</main>", 1)[0]
    german = len(re.findall(r'<li class="sls-card">', (site / "massnahmen" / "wue-app" / "index.html")
                            .read_text(encoding="utf-8")))
    words = "جميع المنشورات عن هذا المشروع بالألمانية"
    assert f'<a href="/massnahmen/wue-app/" hreflang="de">{words} ({german})' in arabic
    # What programme.ar.yml does not translate stays German, marked with its language and direction;
    # the breadcrumbs' structured data, which search engines show, carries the name as text.
    assert '<p class="sls-lead" lang="de" dir="ltr">' in arabic  # a German paragraph aligns as German
    assert '<span aria-current="page" lang="de" dir="ltr">Wue App</span>' in arabic
    crumbs = re.search(r'"@type":"BreadcrumbList".*?</script>', arabic).group(0)
    assert '"name":"Wue App"' in crumbs and "span" not in crumbs and "\\u003c" not in crumbs
    # The ways there: the navigation, a translated post's measure and its breadcrumbs.
    post = page(site, "en")
    assert '<a href="/en/massnahmen/">Measures</a>' in post
    assert 'href="/en/massnahmen/wue-app/"' in post and 'href="/en/cluster/datensouveraenitaet/"' in post
    assert not (site / "ls" / "massnahmen").exists()  # Leichte Sprache is German: /massnahmen/


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal (apt-get install khal) imports calendars")
def test_each_languages_calendar_imports_in_khal(sample, tmp_path: Path) -> None:
    from test_events import khal

    _content, site = sample
    for key in ("ar", "uk"):
        folder = tmp_path / key
        folder.mkdir()
        khal(folder, "import", "--batch", "-a", "termine", str(site / "kalender" / "sprache" / f"{key}.ics"))
        listed = khal(folder, "list", "--once", "--day-format", "", "--format", "{start} | {title}",
                      "2027-01-01", "2027-01-31")
        title = {"ar": "ساعة استشارة مفتوحة في Coworking Newsroom",
                 "uk": "Відкриті консультаційні години в Coworking Newsroom"}[key]
        assert f"2027-01-14 16:00 | {title}" in listed, listed


def test_a_translated_event_keeps_its_former_address_and_marks_what_is_still_german(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    original = content / "termine" / "2027-01-offene-sprechstunde.md"
    original.write_text(original.read_text(encoding="utf-8").replace(
        "place_town: Würzburg\n", "place_town: Würzburg\ntransit: Straßenbahn bis Sanderring\n"),
        encoding="utf-8")
    english = content / "termine" / "2027-01-offene-sprechstunde.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "---\n", "---\naliases: [/en/termine/2027/sprechstunde/]\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    build_site(content, site, tmp_path / "cache")
    moved = (site / "en" / "termine" / "2027" / "sprechstunde" / "index.html").read_text(encoding="utf-8")
    assert "/en/termine/2027/offene-sprechstunde/" in moved
    page = (site / "en" / EVENT_ADDRESS).read_text(encoding="utf-8")
    assert '<dd lang="de" dir="ltr">Straßenbahn bis Sanderring</dd>' in page  # not translated yet: says so
    assert "This translation is older than the current original text." in page


def test_each_language_lists_all_its_posts_page_by_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "site"
    result = build(output=site, content=content, overrides={
        "PRINT_EDITIONS": False, "SEARCH_INDEX": False, "CACHE_PATH": str(tmp_path / "cache"),
        "DEFAULT_PAGINATION": 2, "HOME_LATEST_COUNT": 2})
    assert result.ok, result.errors + result.problems
    home = (site / "uk" / "index.html").read_text(encoding="utf-8")
    assert '<a class="sls-button" href="/uk/aktuelles/">Усі дописи мовою: Українська</a>' in home
    first = (site / "uk" / "aktuelles" / "index.html").read_text(encoding="utf-8")
    second = (site / "uk" / "aktuelles" / "seite" / "2" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in first and "<h1>Дописи мовою: Українська</h1>" in first
    titles = re.findall(r'<h2 class="sls-card__title"><a href="/uk/aktuelles/[^"]+">([^<]+)</a>',
                        first + second)
    assert len(titles) == 3 and titles[0].startswith("Відкрито й придатно")  # newest first
    assert 'rel="next" href="/uk/aktuelles/seite/2/">Старіші дописи' in first
    assert 'rel="prev" href="/uk/aktuelles/">Новіші дописи' in second
    arabic = (site / "ar" / "aktuelles" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and 'aria-label="الصفحات"' in arabic


def test_every_feed_of_every_language_passes_the_w3c_feed_validator(sample) -> None:
    """As validator.w3.org/feed judges them (its code, vendored: tests/vendor/feedvalidator)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "vendor"))
    try:
        import feedvalidator
        from feedvalidator import compatibility
        from feedvalidator.formatter.text_plain import Formatter
    finally:
        sys.path.remove(str(ROOT / "tests" / "vendor"))
    _content, site = sample
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert any("sprache" in str(path) for path in feeds) and len(feeds) > 30
    for path in feeds:
        address = "http://127.0.0.1:8000/" + path.relative_to(site).as_posix()  # where it says it is
        events = feedvalidator.validateString(path.read_bytes(), firstOccurrenceOnly=1, base=address)
        errors = compatibility.AA(events["loggedEvents"])
        assert not errors, (path, list(Formatter(errors)))
