"""Newsletter issues as subscribers get them: selection, MIME structure, accessibility, archive."""

from __future__ import annotations

import email
import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from email import policy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import FIXTURES, ROOT
from invoke import Context, Exit

import tasks
from plugins.newsletter.rendered_issue import UNSUBSCRIBE_SENTINEL

PUBLIC = "http://127.0.0.1:8000"
TREFFEN = "erstes-treffen"
HUB = "sonderzeichen"
AUSBLICK = "ausblick"  # newsletter: false


@pytest.fixture
def content(good_content: Path) -> Path:
    return good_content


def with_record(content: Path) -> Path:
    (content / "newsletter").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "newsletter" / "issues.yml", content / "newsletter" / "issues.yml")
    return content


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def preview(content: Path, *args: str) -> tuple[Done, Path]:
    """`invoke newsletter.preview` run in this process (one test runs the real command)."""
    output = content.parent / "output"
    options = dict(zip((a.removeprefix("--") for a in args[::2]), args[1::2], strict=True))
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            tasks.preview(Context(), content=str(content), output=str(output), date="2026-11-26 10:00",
                          **options)
        except Exit as stop:
            code = stop.code
    return Done(code, out.getvalue(), err.getvalue()), output / "newsletter-preview"


def preview_command(content: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    output = content.parent / "output"
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "newsletter.preview", "--content", str(content),
         "--output", str(output), "--date", "2026-11-26 10:00", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env={"PATH": os.environ["PATH"]})
    return done, output / "newsletter-preview"


def selected(folder: Path) -> list[str]:
    return json.loads((folder / "issue.json").read_text(encoding="utf-8"))["posts"]


class Html(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def urls(self) -> list[str]:
        return [attrs[name] for _tag, attrs in self.tags for name in ("href", "src")
                if attrs.get(name)]


# --- selection -------------------------------------------------------------

def test_next_issue_carries_posts_since_the_last_issue(content: Path) -> None:
    done, folder = preview(with_record(content))
    assert done.returncode == 0, done.stderr
    assert selected(folder) == [HUB]  # not the draft, the future post or the newsletter:false one
    assert json.loads((folder / "issue.json").read_text(encoding="utf-8"))["number"] == 2


def test_since_selects_every_newsletter_post_from_that_date(content: Path) -> None:
    done, folder = preview(with_record(content), "--since", "2023-01-01")
    assert done.returncode == 0, done.stderr
    assert sorted(selected(folder)) == sorted([TREFFEN, HUB])


def test_posts_selects_exactly_those(content: Path) -> None:
    done, folder = preview(content, "--posts", TREFFEN)
    assert done.returncode == 0, done.stderr
    assert selected(folder) == [TREFFEN]


def test_posts_refuses_a_post_not_meant_for_the_newsletter(content: Path) -> None:
    done, folder = preview_command(content, "--posts", AUSBLICK)
    assert done.returncode != 0
    assert f"Beitrag „{AUSBLICK}“ ist nicht für den Newsletter vorgesehen" in done.stderr
    assert not (folder / "issue.html").exists()


def test_without_new_posts_nothing_is_rendered(content: Path) -> None:
    with_record(content)
    record = content / "newsletter" / "issues.yml"
    record.write_text(record.read_text(encoding="utf-8") + (
        "  - number: 2\n    date: 2024-01-01 09:00\n    subject: Zweite\n    preheader: Zwei\n"
        f"    posts: [{HUB}]\n"), encoding="utf-8")
    done, folder = preview(content)
    assert done.returncode == 0, done.stderr
    assert "Keine neuen Beiträge" in done.stdout
    assert not folder.exists()


# --- the rendered issue ------------------------------------------------------

@pytest.fixture
def rendered(content: Path) -> Path:
    (content / "newsletter").mkdir()
    (content / "newsletter" / "2026-11-20.md").write_text(
        "---\nsubject: \"Neues aus dem Hub & dem Newsroom\"\npreheader: Zwei Beiträge\n---\n\n"
        "Liebe Leserinnen und Leser, diesmal mit **zwei** Beiträgen.\n", encoding="utf-8")
    done, folder = preview(content, "--since", "2023-01-01")
    assert done.returncode == 0, done.stderr
    return folder


def test_eml_is_multipart_alternative_with_headers(rendered: Path) -> None:
    message = email.message_from_bytes((rendered / "issue.eml").read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    assert message["Subject"] == "Neues aus dem Hub & dem Newsroom"
    for header in ("From", "Date", "Message-ID"):
        assert message[header], header
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for slug, year in ((TREFFEN, 2023), (HUB, 2023)):
        link = f"{PUBLIC}/aktuelles/{year}/{slug}/"
        assert link in html and link in text, slug
    assert "diesmal mit" in html and "diesmal mit" in text


def test_html_is_accessible_and_contacts_only_our_host(rendered: Path) -> None:
    html = (rendered / "issue.html").read_text(encoding="utf-8")
    parsed = Html(html)
    assert re.search(r'<html[^>]*\blang="de"', html)
    assert "<title>Neues aus dem Hub &amp; dem Newsroom</title>" in html
    assert "googleapis" not in html and "gstatic" not in html
    for url in parsed.urls():
        if url == UNSUBSCRIBE_SENTINEL:
            continue  # each provider puts its own unsubscribe expression here
        if url.startswith(("http://", "https://")):
            assert urlparse(url).netloc == urlparse(PUBLIC).netloc, url
        else:
            assert url.startswith("mailto:"), url
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 2
    for attrs in images:
        assert attrs.get("alt", "").strip()
        assert attrs.get("width") and attrs.get("height")
    tables = [attrs for tag, attrs in parsed.tags if tag == "table"]
    assert tables and all(attrs.get("role") == "presentation" for attrs in tables)
    assert [tag for tag, _ in parsed.tags].count("h1") == 1
    assert f'href="{PUBLIC}/newsletter/1/"' in html  # "Im Browser lesen"
    assert "Impressum" in html and "abonniert" in html
    assert 'name="color-scheme"' in html


def test_plain_text_is_readable_at_72_columns(rendered: Path) -> None:
    text = (rendered / "issue.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    for line in lines:
        assert len(line) <= 72 or "http" in line, line
    title = lines.index("Daten & Dienste: \"<Hub>\" für Würzburgs Straßen")
    assert set(lines[title + 1]) == {"-"}
    assert f"Abmelden: {UNSUBSCRIBE_SENTINEL}" in text
    assert "<" not in text.replace('"<Hub>"', "")  # written from data, not stripped HTML


def test_issue_with_ten_posts_stays_under_gmail_clipping(content: Path) -> None:
    for day in range(1, 11):
        (content / "posts" / f"2024-03-{day:02d}-beitrag-{day}.md").write_text(
            f"---\ntitle: Beitrag Nummer {day} mit einem etwas längeren Titel\n"
            f"date: 2024-03-{day:02d} 10:00\nmeasure: [mach-mit, wue-app]\n"
            "summary: Eine Zusammenfassung in zwei Sätzen. Sie ist so lang wie eine echte.\n"
            "image: images/treffen.svg\nimage_alt: Drei Kreise\n---\n\nText.\n", encoding="utf-8")
    done, folder = preview(content, "--since", "2024-03-01")
    assert done.returncode == 0, done.stderr
    assert len(selected(folder)) == 10
    assert len((folder / "issue.html").read_bytes()) < 102 * 1024


def test_archive_pages_exist_and_link_back(content: Path) -> None:
    done, folder = preview(with_record(content))
    assert done.returncode == 0, done.stderr
    site = folder.parent
    issue = (site / "newsletter" / "1" / "index.html").read_text(encoding="utf-8")
    assert "Erste Ausgabe: Fragen &amp; Antworten" in issue
    assert f'href="/aktuelles/2023/{TREFFEN}/"' in issue
    assert 'href="/newsletter/"' in issue
    archive = (site / "newsletter" / "index.html").read_text(encoding="utf-8")
    assert 'href="/newsletter/1/"' in archive
    # The measure's page leads to the issues that carried its posts (and only those).
    measure = (site / "massnahmen" / "coworking-newsroom" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/newsletter/1/">Ausgabe 1: Erste Ausgabe: Fragen &amp; Antworten</a>' in measure
    assert "im-newsletter" not in (site / "massnahmen" / "wue-app" / "index.html").read_text(encoding="utf-8")
    # So does each topic (tag) page: "Newsroom" was a tag of the carried post, "Sommer" was not.
    topic = (site / "themen" / "newsroom" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/newsletter/1/">Ausgabe 1: Erste Ausgabe: Fragen &amp; Antworten</a>' in topic
    assert "im-newsletter" not in (site / "themen" / "sommer" / "index.html").read_text(encoding="utf-8")
