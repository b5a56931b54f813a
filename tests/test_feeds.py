"""Feeds as RSS readers get them: valid, complete, absolute, stable and deterministic."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, run_build

ATOM = "{http://www.w3.org/2005/Atom}"
SPECIAL_TITLE = 'Daten & Dienste: "<Hub>" für Würzburgs Straßen'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:

    work = tmp_path_factory.mktemp("feeds")
    shutil.copytree(FIXTURES / "good", work / "content")
    run = run_build(work, work / "content", work / "output")
    assert run.code == 0, run.stderr
    return work


@pytest.fixture(scope="module")
def feeds(built: Path) -> Path:
    return built / "output" / "feeds"


def expected_feed_paths() -> set[str]:
    programme = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    keys = ["all"] + [f"cluster/{c['slug']}" for c in programme["clusters"]] + \
        [f"massnahmen/{m['slug']}" for m in programme["measures"]] + \
        [f"sprache/{language['key']}" for language in programme.get("languages", [])[1:]]
    return {f"{key}.{fmt}.xml" for key in keys for fmt in ("atom", "rss")}


def test_34_feeds_at_documented_paths_all_well_formed(feeds: Path) -> None:
    found = {str(p.relative_to(feeds)) for p in feeds.rglob("*.xml")}
    assert found == expected_feed_paths()
    assert len(found) == 34  # the site, 3 clusters, 8 measures, 5 other languages; Atom and RSS
    for path in feeds.rglob("*.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20")


def test_atom_has_rfc4287_required_elements(feeds: Path) -> None:
    for path in feeds.rglob("*.atom.xml"):
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert (root.findtext(f"{ATOM}{name}") or "").strip(), (path, name)
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
        self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert len(self_links) == 1 and self_links[0].get("href").endswith(path.name)
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "published", "summary"):
                assert (entry.findtext(f"{ATOM}{name}") or "").strip(), (path, name)
            alternates = [link for link in entry.findall(f"{ATOM}link")
                          if link.get("rel", "alternate") == "alternate"]
            assert len(alternates) == 1, path
            assert entry.find(f"{ATOM}content").get("type") == "html"


def test_rss_has_channel_and_item_elements(feeds: Path) -> None:
    for path in feeds.rglob("*.rss.xml"):
        channel = ET.parse(path).getroot().find("channel")
        for name in ("title", "link", "description", "language", "lastBuildDate"):
            assert (channel.findtext(name) or "").strip(), (path, name)
        # RSS 2.0: the channel's link is the website the feed belongs to, not the feed (a feed
        # reader's "open website" follows it).
        assert not channel.findtext("link").endswith(".xml"), path
        for item in channel.findall("item"):
            for name in ("title", "link", "description", "guid", "pubDate"):
                assert (item.findtext(name) or "").strip(), (path, name)
            assert item.find("guid").get("isPermaLink") == "false"


def entry_by_title(path: Path, title: str):
    parsed = feedparser.parse(path.read_bytes())
    matches = [e for e in parsed.entries if e.title == title]
    assert len(matches) == 1, [e.title for e in parsed.entries]
    return matches[0]


def raw_content(path: Path, title: str) -> str:
    """The entry's HTML content exactly as written in the feed."""
    root = ET.parse(path).getroot()
    if root.tag == f"{ATOM}feed":
        entry = next(e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title)
        return entry.findtext(f"{ATOM}content")
    item = next(i for i in root.iter("item") if i.findtext("title") == title)
    return item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


class Urls(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in ("href", "src"):
                self.urls.append(value)
            if name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",")]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_content_is_full_with_absolute_urls_and_titles_survive_escaping(feeds: Path, fmt: str) -> None:
    entry = entry_by_title(feeds / f"all.{fmt}.xml", SPECIAL_TITLE)
    content = raw_content(feeds / f"all.{fmt}.xml", SPECIAL_TITLE)  # feedparser drops srcset

    assert len(content) > len(entry.summary) * 2
    assert entry.summary == "Kurz: Was der Hub für Straßen & Plätze bedeutet."
    urls = Urls(content).urls
    assert len(urls) >= 5  # measure link, fragment, img src, two srcset candidates, {filename}
    for url in urls:
        parsed = urlparse(url)
        assert parsed.scheme in ("http", "https") and parsed.netloc, url
    assert any(url.endswith("/aktuelles/2023/ausblick/") for url in urls)


def test_entry_dates_authors_categories_and_enclosure(feeds: Path, built: Path) -> None:
    atom = entry_by_title(feeds / "all.atom.xml", SPECIAL_TITLE)
    raw = (feeds / "all.atom.xml").read_text(encoding="utf-8")
    assert "<published>2023-09-01T08:15:00+02:00</published>" in raw
    assert "<updated>2023-09-02T12:00:00+02:00</updated>" in raw
    assert [a.name for a in atom.authors] == ["Redaktion", "Team Hub"]
    labels = {t.label for t in atom.tags}
    assert {"Smart City Hub", "Cluster Datensouveränität", "Daten", "Öffentlicher Raum"} <= labels
    enclosures = [link for link in atom.links if link.rel == "enclosure"]
    size = (built / "content" / "images" / "treffen.svg").stat().st_size
    assert len(enclosures) == 1 and int(enclosures[0].length) == size
    assert enclosures[0].type == "image/svg+xml"
    rss = entry_by_title(feeds / "all.rss.xml", SPECIAL_TITLE)
    assert rss.published.endswith("+0200")
    assert rss.enclosures[0].href.startswith("http") and int(rss.enclosures[0].length) == size


def test_drafts_and_future_posts_never_appear(feeds: Path) -> None:
    for path in feeds.rglob("*.xml"):
        text = path.read_text(encoding="utf-8")
        assert "Noch nicht fertig" not in text and "Beitrag aus der Zukunft" not in text


def test_measure_and_cluster_feeds_carry_their_posts(feeds: Path) -> None:
    hub = feedparser.parse((feeds / "massnahmen" / "smart-city-hub.atom.xml").read_bytes())
    assert [e.title for e in hub.entries] == [SPECIAL_TITLE]
    cluster = feedparser.parse((feeds / "cluster" / "partizipation.rss.xml").read_bytes())
    assert {e.title for e in cluster.entries} == {"Ausblick auf den Sommer",
                                                   "Erstes Treffen im Newsroom: Fragen & Antworten"}


def test_two_builds_give_byte_identical_feeds(built: Path) -> None:
    again = run_build(built, built / "content", built / "again")
    assert again.code == 0, again.stderr
    first = {p.relative_to(built / "output"): p.read_bytes() for p in (built / "output").rglob("*.xml")}
    second = {p.relative_to(built / "again"): p.read_bytes() for p in (built / "again").rglob("*.xml")}
    assert first == second


def ids_by_title(path: Path) -> dict[str, str]:
    return {e.title: e.id for e in feedparser.parse(path.read_bytes()).entries}


def test_entry_id_survives_edit_rebuild_and_domain_move(built: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(built / "content", content)
    before = ids_by_title(built / "output" / "feeds" / "all.atom.xml")
    post = content / "posts" / "2023-09-01-sonderzeichen.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nEin neuer Absatz nach der Korrektur.\n",
                    encoding="utf-8")

    run = run_build(tmp_path, content, tmp_path / "output", env={"SITEURL": "https://neu.example"})

    assert run.code == 0, run.stderr
    feed = tmp_path / "output" / "feeds" / "all.atom.xml"
    assert ids_by_title(feed) == before
    entry = entry_by_title(feed, SPECIAL_TITLE)
    assert entry.link.startswith("https://neu.example/") and "neuer Absatz" in entry.content[0].value


def test_every_feed_carries_the_newest_entries_the_setting_allows(tmp_path: Path, built: Path) -> None:
    settings = tmp_path / "capped.py"
    settings.write_text("from pelicanconf import *  # noqa\nFEED_MAX_ITEMS = 1\n", encoding="utf-8")

    run = run_build(tmp_path, built / "content", tmp_path / "output", settings=settings)

    assert run.code == 0, run.stderr
    feeds = tmp_path / "output" / "feeds"
    assert len(feedparser.parse((feeds / "all.rss.xml").read_bytes()).entries) == 1
    cluster = Path("cluster") / "partizipation.atom.xml"
    uncapped = feedparser.parse((built / "output" / "feeds" / cluster).read_bytes())
    capped = feedparser.parse((feeds / cluster).read_bytes())
    assert len(uncapped.entries) >= 2  # the sample's cluster has more than one entry
    assert [entry.id for entry in capped.entries] == [uncapped.entries[0].id]  # the newest


def test_pages_link_their_feeds_and_feeds_page_lists_all(built: Path) -> None:
    site = built / "output"
    measure = (site / "massnahmen" / "smart-city-hub" / "index.html").read_text(encoding="utf-8")
    assert ('<link rel="alternate" type="application/atom+xml" title="stadt.land.smart – Maßnahme '
            'Smart City Hub (Atom)" href="/feeds/massnahmen/smart-city-hub.atom.xml">') in measure
    assert 'href="/feeds/all.rss.xml"' in measure
    assert ">Feed abonnieren<" in measure
    cluster = (site / "cluster" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    assert 'href="/feeds/cluster/kommunikation.atom.xml"' in cluster and ">Feed abonnieren<" in cluster
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/rss+xml"' in home and "/feeds/massnahmen/" not in home.split("</head>")[0]
    overview = (site / "feeds" / "index.html").read_text(encoding="utf-8")
    for path in expected_feed_paths():
        assert f'href="/feeds/{path}"' in overview, path
    assert "Feedreader" in overview
