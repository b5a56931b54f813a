"""The browser editor: config generated from the content model, a real round trip, offline start."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, ROOT, run_build

from checks.server import StaticServer, free_port
from plugins.programme.schema import ARTICLE, required_fields

pytestmark = pytest.mark.slow  # the CMS in a real browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("cms")
    content = work / "content"
    shutil.copytree(FIXTURES / "good", content)
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["cms"].update(repo="beispiel/stadt-land-smart", app_id="0123456789abcdef")
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # A post exactly as the CMS writes it: key order of the config, folded plain scalars.
    shutil.copy(FIXTURES / "cms-post.md", content / "posts" / "2026-11-02-sprechstunde-im-newsroom.md")
    run = run_build(work, content, work / "output", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    return work / "output"


def posts_collection(site: Path) -> dict:
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    return next(c for c in config["collections"] if c["name"] == "posts")


def test_every_required_field_is_required_in_the_cms(site: Path) -> None:
    fields = {f["name"]: f for f in posts_collection(site)["fields"]}
    for spec in required_fields(ARTICLE):
        assert spec.name in fields, spec.name
        assert fields[spec.name]["required"] is True, spec.name
    programme = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    options = [o["value"] for o in fields["measure"]["options"]]
    assert options == [m["slug"] for m in programme["measures"]]
    assert fields["measure"]["multiple"] is True
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm"
    for optional in ("image", "image_alt", "summary_easy", "tags", "newsletter", "status"):
        assert optional in fields, optional


def test_post_written_by_the_cms_builds(site: Path) -> None:
    page = site / "aktuelles" / "2026" / "sprechstunde-im-newsroom" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Coworking Newsroom: offene Sprechstunde &amp; mehr" in html
    assert "bringen Sie Ihre Ideen mit." in html  # the folded summary came through whole
    assert 'href="/massnahmen/mach-mit/"' in html and "In Leichter Sprache" in html


def test_admin_starts_offline_and_contacts_no_other_host(site: Path, browser) -> None:
    assert "cdn.jsdelivr.net" not in (site / "admin" / "sveltia-cms.js").read_text(encoding="utf-8")
    port = free_port()
    with StaticServer(site, port) as base:
        context = browser.new_context()
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{base}/admin/")
        page.get_by_text("Sign In with").first.wait_for(timeout=20000)
        text = page.inner_text("body").replace("\u2068", "").replace("\u2069", "")
        context.close()
    assert "error in the CMS configuration" not in text
    assert "stadt-land-smart" in text  # the configured repository
    foreign = [u for u in requests if urlsplit(u).scheme.startswith("http")
               and urlsplit(u).netloc != urlsplit(base).netloc]
    assert foreign == []
    assert any(urlsplit(u).path == "/admin/config.yml" for u in requests), requests


def test_without_a_repository_admin_says_in_german_what_is_missing(tmp_path: Path) -> None:
    # The sample programme names its repository with a placeholder: Sveltia would show only an
    # English configuration error, and no way in.
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    run = run_build(tmp_path, content, tmp_path / "output", programme=PROGRAMME)
    assert run.code == 0, run.stderr
    page = (tmp_path / "output" / "admin" / "index.html").read_text(encoding="utf-8")
    assert "Redaktionsoberfläche noch nicht eingerichtet" in page and "repo: Gruppe/Projekt" in page
    assert "sveltia-cms.js" not in page


def test_a_bundle_the_build_cannot_keep_offline_stops_the_build_in_german(tmp_path: Path) -> None:
    # Another version of Sveltia CMS than the lock names: a place the build rewrites to load from
    # /admin/ instead of unpkg.com is not there. No /admin/ that would reach for a CDN (and hang
    # on the CSP) is published; the last site stays.
    package = tmp_path / "node_modules" / "@sveltia" / "cms"
    bundle = package / "dist" / "sveltia-cms.js"
    bundle.parent.mkdir(parents=True)
    installed = (ROOT / "node_modules" / "@sveltia" / "cms" / "dist" / "sveltia-cms.js").read_bytes()
    bundle.write_bytes(installed.replace(b"NSe=`${iP}/package.json`", b"NSe=`${iP}/paket.json`"))
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["cms"].update(repo="beispiel/stadt-land-smart", app_id="0123456789abcdef")
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *  # noqa\nCMS_PACKAGE = {str(package)!r}\n",
                        encoding="utf-8")
    run = run_build(tmp_path, content, tmp_path / "output", programme=content / "programme.yml",
                    settings=settings)
    assert run.code == 1 and not (tmp_path / "output").exists()
    assert "Fehler: Sveltia CMS: Stelle im Bundle nicht gefunden" in run.stderr, run.stderr
    assert "NSe=`${iP}/package.json`" in run.stderr and "Error" not in run.stderr
