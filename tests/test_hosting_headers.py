"""The generated security headers, served by a real nginx on loopback, seen by a real Chromium:
a script inside an SVG does not run; the sign-up form and /admin/ are not blocked by their policy."""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, PROGRAMME, run_build
from fakes.listmonk import FakeListmonk
from nginx_site import nginx_serving
from waiting import wait_for

pytestmark = pytest.mark.slow  # nginx and a real browser

# A same-origin script would pass the pages' policy (script-src 'self'); only the SVG policy stops it.
EVIL_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            '<script href="/images/helfer.js"></script>'
            "<script>fetch('/svg-inline-script-ran')</script><rect width='10' height='10'/></svg>")


@pytest.fixture(scope="module")
def listmonk() -> Iterator[FakeListmonk]:
    with FakeListmonk() as server:
        yield server


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, listmonk: FakeListmonk) -> Path:
    work = tmp_path_factory.mktemp("hosting")
    content = work / "content"
    shutil.copytree(FIXTURES / "good", content)
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["newsletter"]["signup"]["action"] = f"{listmonk.url}/subscription/form"
    data["cms"].update(repo="beispiel/stadt-land-smart", app_id="0123456789abcdef")
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # An upper-case extension is an SVG to a browser too.
    shutil.copyfile(content / "images" / "treffen.svg", content / "images" / "Plan.SVG")
    run = run_build(work, content, work / "output", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    # A file that slipped past every check (or predates them): only the headers stand in its way.
    (work / "output" / "images" / "alt.svg").write_text(EVIL_SVG, encoding="utf-8")
    (work / "output" / "images" / "helfer.js").write_text("fetch('/svg-script-ran')", encoding="utf-8")
    return work / "output"


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with nginx_serving(site, tmp_path_factory.mktemp("nginx")) as base:
        yield base


def header(url: str, name: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.headers.get(name, "")


def test_pages_svgs_and_admin_get_their_policy_as_real_headers(served: str) -> None:
    assert "frame-ancestors 'self'" in header(served + "/", "Content-Security-Policy")
    assert header(served + "/images/alt.svg", "Content-Security-Policy").startswith("default-src 'none'")
    # A form in an SVG could post anywhere: form-action does not fall back to default-src.
    assert "form-action 'none'" in header(served + "/images/Plan.SVG", "Content-Security-Policy")
    assert "https://gitlab.opencode.de/api/v4/" in header(served + "/admin/", "Content-Security-Policy")
    assert header(served + "/", "X-Content-Type-Options") == "nosniff"
    assert header(served + "/", "Strict-Transport-Security").startswith("max-age=")


def test_only_the_search_page_may_run_webassembly(served: str) -> None:
    search = header(served + "/suche/", "Content-Security-Policy")
    assert "script-src 'self' 'wasm-unsafe-eval'" in search and "unsafe-inline" not in search
    assert "wasm-unsafe-eval" not in header(served + "/", "Content-Security-Policy")
    assert "wasm-unsafe-eval" not in header(served + "/aktuelles/", "Content-Security-Policy")


def test_calendars_are_served_as_calendars_with_the_site_policy(served: str) -> None:
    # Calendar apps refuse a subscription served as text/plain or application/octet-stream.
    for path in ("/kalender/alle.ics", "/kalender/massnahmen/coworking-newsroom.ics"):
        assert header(served + path, "Content-Type") == "text/calendar; charset=utf-8"
        assert header(served + path, "X-Content-Type-Options") == "nosniff"


def test_a_script_inside_an_svg_does_not_run(served: str, browser) -> None:
    with browser.new_context(locale="de-DE") as context:
        page = context.new_page()
        requests: list[str] = []
        refused: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        answer = page.goto(served + "/images/alt.svg", wait_until="load")
        assert answer is not None and answer.status == 200
        assert answer.headers["content-type"] == "image/svg+xml"
        assert page.locator("rect").count() == 1, "the SVG itself was shown"
        # Both scripts were seen and refused by the policy (not merely slow to run).
        wait_for(lambda: len(refused) >= 2, "the policy refuses the SVG's two scripts", 10)
    assert any("script-src" in text or "default-src" in text for text in refused), refused
    assert not any("script-ran" in url for url in requests), requests


def test_the_sign_up_form_reaches_the_provider(served: str, listmonk: FakeListmonk, browser) -> None:
    with browser.new_context(locale="de-DE") as context:
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(served + "/newsletter/anmelden/")
        page.fill("input[name=email]", "anna@example.org")
        for box in page.query_selector_all("input[type=checkbox]"):
            box.check()
        with page.expect_navigation():
            # The sign-up form's own button (the header's search form has one too).
            page.click("main form button[type=submit], main form input[type=submit]")
    assert blocked == []
    assert [s["email"] for s in listmonk.subscriptions] == ["anna@example.org"]


def test_admin_is_not_blocked_by_its_own_policy(served: str, browser) -> None:
    with browser.new_context() as context:
        page = context.new_page()
        blocked: list[str] = []
        # The bundle's update check against its CDN is blocked on purpose; nothing else may be.
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text and "unpkg.com" not in message.text else None)
        page.goto(served + "/admin/")
        page.get_by_text("Sign In with").first.wait_for(timeout=20000)
    assert blocked == []


def test_every_svg_is_named_in_the_headers_file_whatever_the_case_of_its_extension(site: Path) -> None:
    rules = (site / "_headers").read_text(encoding="utf-8").split("\n/")
    plan = next(rule for rule in rules if rule.startswith("images/Plan.SVG\n"))
    assert "Content-Security-Policy: default-src 'none'" in plan
