"""URLs that last: a renamed post and a moved event keep their former addresses (301 from the
generated server configuration, a page with a link where a host has no redirects); a withdrawn
post answers 410 with a page that explains. Served by a real nginx."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import chdir
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import copy_good_content, run_build
from nginx_site import nginx_serving

from pipeline.content_check import content_problems

RENAMED = """---
title: Neuer Titel für den Sommer
date: 2023-06-01 09:00
measure: [mach-mit, wue-app]
summary: Was im Sommer ansteht.
aliases: [/aktuelles/2023/ausblick/]
slug: sommer
---

Im Sommer laden wir ein.
"""
EVENT = """---
title: Treffen im Newsroom am Abend
start: 2026-03-12 17:00
end: 2026-03-12 19:00
date: 2026-02-01 09:00
measure: coworking-newsroom
summary: Fragen und Antworten.
place_name: Coworking Newsroom
place_town: Würzburg
aliases: [/termine/2026/treffen/]
---
"""
WITHDRAWN = """---
title: Falsche Öffnungszeiten
date: 2023-08-01 09:00
measure: coworking-newsroom
summary: Diese Angaben stimmten nicht.
status: withdrawn
withdrawn_reason: Die genannten Zeiten waren falsch; die richtigen stehen auf der Seite des Newsrooms.
---

Text.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("addresses")
    content = copy_good_content(work / "content")
    # A new address (the file keeps its name: other posts link to it) and a renamed event file.
    (content / "posts" / "2023-06-01-ausblick.md").write_text(RENAMED, encoding="utf-8")
    (content / "posts" / "2023-08-01-falsch.md").write_text(WITHDRAWN, encoding="utf-8")
    (content / "termine").mkdir()
    (content / "termine" / "2026-03-treffen-am-abend.md").write_text(EVENT, encoding="utf-8")
    run = run_build(work, content, work / "site", env={"SLS_NOW": "2026-03-01T12:00"})
    assert run.code == 0, run.stderr
    return work / "site"


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with nginx_serving(site, tmp_path_factory.mktemp("nginx")) as base:
        yield base


def get(base: str, path: str) -> tuple[int, str, str]:
    """Status, Location and body, without following redirects."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=5)
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read().decode("utf-8", "replace")
    connection.close()
    return answer.status, answer.getheader("Location") or "", body


@pytest.mark.slow  # nginx
@pytest.mark.parametrize(("old", "new"), [
    ("/aktuelles/2023/ausblick/", "/aktuelles/2023/sommer/"),
    ("/termine/2026/treffen/", "/termine/2026/treffen-am-abend/"),
])
def test_a_former_address_answers_301_to_the_current_one(served: str, site: Path, old: str, new: str) -> None:
    status, location, _body = get(served, old)
    assert (status, location) == (301, new)
    assert get(served, new)[0] == 200
    # Hosts without redirects serve the page left at the old address: it links on.
    stub = (site / old.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'href="{new}"' in stub and 'http-equiv="refresh"' in stub and "noindex" in stub
    assert f"{old} {new} 301" in (site / "_redirects").read_text(encoding="utf-8")
    assert f'Redirect permanent "{old}" "{new}"' in (site / ".htaccess").read_text(encoding="utf-8")


@pytest.mark.slow  # nginx
def test_a_withdrawn_post_answers_410_with_an_explanation(served: str, site: Path) -> None:
    status, _location, body = get(served, "/aktuelles/2023/falsch/")
    assert status == 410
    assert "Dieser Beitrag wurde zurückgezogen" in body and "Die genannten Zeiten waren falsch" in body
    for listed in ("index.html", "aktuelles/index.html", "feeds/all.atom.xml", "sitemap.xml"):
        assert "/aktuelles/2023/falsch/" not in (site / listed).read_text(encoding="utf-8"), listed
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/ausblick/" not in sitemap and "/aktuelles/2023/sommer/" in sitemap


@pytest.mark.parametrize(("aliases", "words"), [
    ("[https://andere-seite.example/alt/]", "ist eine Adresse auf einer anderen Website"),
    ("[aktuelles/../../etc/]", "ist keine Adresse dieser Website"),
    ("[/aktuelles/2023/erstes-treffen/]", "ist die Adresse von"),
    ("[/impressum/index.html]", "ist die Adresse von „Impressum“"),
    # A post that appears later keeps its address: a redirect there would meet it on its day.
    ("[/aktuelles/2099/zukunft/]", "ist die Adresse von „Beitrag aus der Zukunft“"),
    # Pages of the system itself: a redirect written there would replace the CMS, the search,
    # the home page, a list or a tag page.
    ("[/admin/]", "„/admin/“ gehört zur Website selbst"),
    ("[/suche/]", "„/suche/“ gehört zur Website selbst"),
    ("[/]", "„/“ ist die Startseite"),
    ("[/aktuelles/seite/2/]", "„/aktuelles/seite/2/“ ist eine Seite der Website selbst"),
    ("[/themen/beteiligung/]", "liegt in „/themen/“, das zur Website selbst gehört"),
    ("[/pagefind/alt.html]", "liegt in „/pagefind/“"),
    ("[/.pagefind-next/]", "liegt in einem versteckten Ordner"),
])
def test_a_former_address_that_cannot_be_meant_is_refused_at_its_line(
        tmp_path: Path, good_content: Path, aliases: str, words: str) -> None:
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    post.write_text(RENAMED.replace("aliases: [/aktuelles/2023/ausblick/]",
                                    f"aliases: {aliases}"), encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 1
    assert any(row.startswith("content/posts/2023-06-01-ausblick.md:6: ") and words in row
               for row in run.stderr.splitlines()), run.stderr
    # The editors' check says the same before any build (pre-commit, the CMS's save).
    with chdir(tmp_path):
        checked = [str(problem) for problem in content_problems(str(good_content))]
    assert any(row.startswith("content/posts/2023-06-01-ausblick.md:6: ") and words in row
               for row in checked), checked


def test_one_former_address_for_two_files_is_refused_by_build_and_check(
        tmp_path: Path, good_content: Path) -> None:
    for name in ("2023-06-01-ausblick.md", "2023-06-02-zweiter.md"):
        (good_content / "posts" / name).write_text(
            RENAMED.replace("slug: sommer", f"slug: sommer-{name[:10]}"), encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    with chdir(tmp_path):  # paths in the problems are relative to the folder
        checked = [str(p) for p in content_problems(str(good_content))]
    for name in ("2023-06-01-ausblick.md", "2023-06-02-zweiter.md"):
        line = f"content/posts/{name}:6: frühere Adresse „/aktuelles/2023/ausblick/“ nennt"
        assert any(row.startswith(line) for row in run.stderr.splitlines()), run.stderr
        assert any(row.startswith(line) for row in checked)


def test_an_old_address_outside_the_system_s_pages_still_leads_on(tmp_path: Path, good_content: Path) -> None:
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    post.write_text(RENAMED.replace("aliases: [/aktuelles/2023/ausblick/]",
                                    "aliases: [/aktuelles/2021/sommer/, /blog/sommer.html]"),
                    encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    for old in ("aktuelles/2021/sommer/index.html", "blog/sommer.html"):
        assert "/aktuelles/2023/sommer/" in (tmp_path / "output" / old).read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ["admin", "pagefind", "suche", "feeds", "aktuelles", "themen", "images"])
def test_a_page_cannot_take_an_address_of_the_system(tmp_path: Path, good_content: Path, slug: str) -> None:
    (good_content / "pages" / "eigene.md").write_text(
        f"---\ntitle: Eigene Seite\nslug: {slug}\nsummary: Eine Seite.\n---\n\nText.\n", encoding="utf-8")
    first = run_build(tmp_path, good_content, tmp_path / "output")
    assert first.code == 1
    assert [row for row in first.stderr.splitlines() if row.startswith("content/pages/eigene.md:")] == [
        f"content/pages/eigene.md:3: Seite: die Adresse „/{slug}/“ gehört zur Website selbst — gib der "
        f"Seite ein anderes „slug: …“, z. B. „{slug}-info“"]
    with chdir(tmp_path):  # paths in the problems are relative to the folder
        checked = [str(p) for p in content_problems(str(good_content))]
    assert any(row.startswith("content/pages/eigene.md:3: ") for row in checked)
