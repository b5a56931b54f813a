"""The real site as citizens get it: every page there, one h1, no other host contacted."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PROGRAMME, ROOT, run_build

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    run = run_build(work, CONTENT, work / "output")
    assert run.code == 0, run.stderr
    return work / "output"


@pytest.fixture(scope="module")
def programme() -> dict:
    return yaml.safe_load((CONTENT / "programme.yml").read_text(encoding="utf-8"))


class Page(HTMLParser):
    """The parts of a page a test looks at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1: list[str] = []
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_h1 = self._in_h1 or tag == "h1"
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data

    def first(self, tag: str) -> dict | None:
        return next((attrs for name, attrs in self.tags if name == tag), None)


def html_pages(site: Path) -> list[Path]:
    """Pages for citizens; /admin/ is the editors' app shell (tested in test_cms.py)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")


def test_every_measure_cluster_and_legal_page_exists(site: Path, programme: dict) -> None:
    for measure in programme["measures"]:
        page = site / "massnahmen" / measure["slug"] / "index.html"
        assert page.is_file(), measure["slug"]
        assert measure["title"] in Page(page.read_text(encoding="utf-8")).h1[0]
    for cluster in programme["clusters"]:
        assert (site / "cluster" / cluster["slug"] / "index.html").is_file()
    for slug in ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache",
                 "gebaerdensprache", "ueber-das-programm"):
        assert (site / slug / "index.html").is_file(), slug
    for name in ("index.html", "404.html", "aktuelles/index.html", "massnahmen/index.html",
                 "themen/index.html"):
        assert (site / name).is_file(), name


def test_every_published_sample_post_has_a_page(site: Path) -> None:
    titles = {path: Page(path.read_text(encoding="utf-8")).h1[0]
              for path in (*site.glob("aktuelles/*/*/index.html"), *site.glob("*/aktuelles/*/*/index.html"))}
    for source in sorted((CONTENT / "posts").glob("*.md")):
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        language = source.suffixes[0][1:] if len(source.suffixes) > 1 else ""  # "x.en.md": under /en/
        pages = [path for path, title in titles.items() if title == front["title"]
                 and (path.relative_to(site).parts[0] == language if language
                      else path.relative_to(site).parts[0] == "aktuelles")]
        if front.get("status", "published") == "draft":
            assert pages == [], source.name
        else:
            assert len(pages) == 1, source.name


def test_sample_content_covers_all_measures_and_clusters(site: Path, programme: dict) -> None:
    for measure in programme["measures"]:
        text = (site / "massnahmen" / measure["slug"] / "index.html").read_text(encoding="utf-8")
        assert 'class="sls-card"' in text, f"no update for {measure['slug']}"
    for cluster in programme["clusters"]:
        text = (site / "cluster" / cluster["slug"] / "index.html").read_text(encoding="utf-8")
        assert 'class="sls-card"' in text, f"no update for {cluster['slug']}"


def test_pages_are_in_their_language_with_one_h1_skip_link_first_in_the_header_and_landmarks(
        site: Path, programme: dict) -> None:
    # German, left to right; a translation's page in its own language (Leichte Sprache is German).
    editions = {e["key"]: {"lang": e.get("lang", "de" if e["key"] == "ls" else e["key"]),
                           "dir": e.get("dir", "ltr")} for e in programme.get("languages", [])[1:]}
    for path in html_pages(site):
        page = Page(path.read_text(encoding="utf-8"))
        expected = editions.get(path.relative_to(site).parts[0], {"lang": "de", "dir": "ltr"})
        assert page.first("html") == expected, path
        assert len(page.h1) == 1 and page.h1[0].strip(), path
        # The skip link comes first, inside the header (banner) landmark: IBM's default policy
        # wants all content in landmarks.
        body_index = next(i for i, (tag, _) in enumerate(page.tags) if tag == "body")
        assert [tag for tag, _ in page.tags[body_index + 1:body_index + 3]] == ["header", "a"], path
        assert page.tags[body_index + 2][1].get("href") == "#inhalt", path
        main = page.first("main")
        assert main is not None and main.get("id") == "inhalt", path
        for landmark in ("header", "nav", "footer"):
            assert page.first(landmark) is not None, (path, landmark)


def test_every_page_links_the_legal_pages(site: Path) -> None:
    for path in html_pages(site):
        hrefs = {attrs.get("href") for tag, attrs in Page(path.read_text(encoding="utf-8")).tags
                 if tag == "a"}
        for slug in ("impressum", "datenschutz", "barrierefreiheit"):
            assert f"/{slug}/" in hrefs, (path, slug)


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    loading = {"img": "src", "script": "src", "link": "href", "iframe": "src", "source": "srcset",
               "video": "src", "audio": "src", "embed": "src", "object": "data"}
    for path in html_pages(site):
        text = path.read_text(encoding="utf-8")
        for tag, attrs in Page(text).tags:
            if tag in loading and attrs.get(loading[tag]):
                if tag == "link" and attrs.get("rel") not in ("stylesheet", "icon", "preload"):
                    continue
                assert not re.match(r"^(https?:)?//", attrs[loading[tag]]), (path, tag, attrs)
        assert "@import" not in text and "url(http" not in text
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.read_text(encoding="utf-8")), css


STYLED = re.compile(r"\.(sls-[a-z0-9_-]+)")


def test_every_page_links_one_stylesheet_that_styles_every_class_it_uses(site: Path) -> None:
    # The site has a stylesheet per combination of parts (lists, forms, search, charts); a page
    # whose stylesheet lacks a class another sheet styles would look broken.
    sheets = {css.relative_to(site).as_posix(): set(STYLED.findall(css.read_text(encoding="utf-8")))
              for css in (site / "theme" / "css").glob("*.css")}
    styled = set().union(*sheets.values())
    for path in html_pages(site):
        tags = Page(path.read_text(encoding="utf-8")).tags
        links = [attrs["href"] for tag, attrs in tags if tag == "link" and attrs.get("rel") == "stylesheet"]
        if not links:
            assert path.name != "index.html" or "http-equiv" in path.read_text(encoding="utf-8"), path
            continue  # a redirect page
        assert len(links) == 1, (path, links)
        own = sheets[links[0].lstrip("/")]
        used = {name for tag, attrs in tags for name in (attrs.get("class") or "").split()}
        assert not (used & styled) - own, (path, sorted((used & styled) - own))
    article = next(site.glob("aktuelles/*/*/index.html")).read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    link = re.compile(r'<link rel="stylesheet" href="/([^"]+)"')
    article_sheet, home_sheet = sheets[link.search(article)[1]], sheets[link.search(home)[1]]
    assert "sls-calendar-list" not in article_sheet and "sls-search__form" not in article_sheet
    assert "sls-chart" not in article_sheet and "sls-field" not in article_sheet
    assert "sls-hero" in home_sheet


def test_images_have_alt_text_and_whole_pixel_sizes_and_times_are_machine_readable(site: Path) -> None:
    for path in html_pages(site):
        page = Page(path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            if tag == "img":
                assert "alt" in attrs, (path, attrs)
                # Whole pixels (an SVG's size is written as "1200.0" in its file).
                sizes = [attrs[key] for key in ("width", "height") if key in attrs]
                assert all(re.fullmatch(r"[1-9]\d*", size) for size in sizes), (path, attrs)
            if tag == "time":  # a moment with its offset, or a whole day (all-day events)
                assert re.match(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d[+-]\d\d:\d\d)?$", attrs["datetime"]), path


def test_placeholders_are_visibly_marked_not_hidden(site: Path) -> None:
    impressum = (site / "impressum" / "index.html").read_text(encoding="utf-8")
    assert '<mark class="sls-placeholder">[PLATZHALTER: Telefonnummer]</mark>' in impressum


def test_colours_come_from_programme_data(site: Path, programme: dict) -> None:
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert f"--sls-color-primary:{programme['design']['colors']['light']['primary']}" in css
    assert "prefers-color-scheme:dark" in css


def test_easy_language_page_keeps_one_sentence_per_line(site: Path) -> None:
    easy = (site / "leichte-sprache" / "index.html").read_text(encoding="utf-8")
    assert "stadt.land.smart ist ein Programm.<br>" in easy
    about = (site / "ueber-das-programm" / "index.html").read_text(encoding="utf-8")
    assert "<br>" not in about.split('<main')[1].split('</main>')[0]


def test_every_name_at_the_top_of_the_site_is_a_page_or_known_to_the_content_check(site: Path) -> None:
    """The content check refuses pages and former addresses where the system writes its own
    files (plugins/programme/addresses.py): that only protects what it knows about."""
    from pipeline.settings import load_settings
    from plugins.programme.tree import ContentConfig

    config = ContentConfig.from_settings(load_settings(ROOT / "pelicanconf.py", CONTENT, None, {}))
    pages = {path.stem for path in (CONTENT / "pages").glob("*.md")}
    slugs = {line.split(":", 1)[1].strip() for path in (CONTENT / "pages").glob("*.md")
             for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("slug:")}
    # Hidden names (the build's marker) are refused as former addresses and cannot be slugs.
    unknown = {child.name for child in site.iterdir() if not child.name.startswith(".")}
    written = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))["languages"]
    languages = {language["key"] for language in written[1:]}  # the other editions' prefixes
    unknown -= config.reserved | pages | slugs | languages
    assert unknown == set()


def test_templates_name_no_programme_and_no_place(programme: dict) -> None:
    # Another municipality adopts the theme unchanged: every name, place and figure of the
    # programme comes from programme data, none is written into a template.
    names = {programme["programme"]["name"], "Würzburg", "Landkreis", "Stadt und Land",
             *(cluster["title"] for cluster in programme["clusters"]),
             *(measure["title"] for measure in programme["measures"])}
    found = []
    for path in sorted((ROOT / "theme").rglob("*")):
        if path.suffix in {".html", ".css", ".mjml", ".js", ".txt"} and "fonts" not in path.parts:
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name in text]
    assert found == []


def test_the_search_page_has_one_search_field(site: Path) -> None:
    html = (site / "suche" / "index.html").read_text(encoding="utf-8")
    assert html.count('type="search"') == 1 and html.count(">Suchbegriff</label>") == 1
    other = (site / "aktuelles" / "index.html").read_text(encoding="utf-8")
    assert other.count('type="search"') == 1  # the header's, on every other page


def test_headings_do_not_glue_a_title_into_a_phrase(site: Path, programme: dict) -> None:
    # "Nächste Termine zu Mitfahrbänke an …" reads wrong for most titles: a section's heading
    # stands under the page's own heading, which names the measure or cluster.
    titles = [*(c["title"] for c in programme["clusters"]), *(m["title"] for m in programme["measures"])]
    glued = []
    for folder in ("massnahmen", "cluster"):
        for page in sorted((site / folder).glob("*/index.html")):
            headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page.read_text(encoding="utf-8"), re.S)
            glued += [f"{page.parent.name}: {h}" for h in headings if any(t in h for t in titles)]
    assert glued == []
