"""Sign-language videos (BITV 2.0 § 4 and Anlage 2): real video files made with ffmpeg, checked
with ffprobe at build time; one below 25 frames per second or 320×240 pixels, or without
captions or text version, is refused at its line; one that meets Anlage 2 plays in Chromium
with its captions, and its page states size and length."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, static_site
from waiting import wait_for

from pipeline.build import build

pytestmark = pytest.mark.slow  # videos encoded, whole builds, a browser

CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:01.900\nWillkommen bei unserer Beispiel-Website.\n"
VIDEO = """  videos:
    - title: Beispielvideo zur Website
      file: {file}
      captions: videos/willkommen.vtt
      transcript: >-
        Willkommen bei unserer Beispiel-Website.
"""


def encode(target: Path, size: str, rate: int, seconds: int = 2) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size={size}:rate={rate}:duration={seconds}", "-c:v", "libvpx",
                    "-b:v", "300k", "-an", str(target)], check=True, timeout=120)
    return target


def with_video(content: Path, name: str, programme_video: str | None = None) -> int:
    """Puts the video into programme.yml; the line of its ``file:``."""
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    entry = programme_video or VIDEO.format(file=f"videos/{name}")
    text = text.replace("  videos: []\n", entry, 1)
    programme.write_text(text, encoding="utf-8")
    return next(number for number, line in enumerate(text.split("\n"), 1) if line.startswith("      file:"))


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("videos")
    encode(folder / "gut.webm", "320x240", 25)
    encode(folder / "ruckelt.webm", "640x480", 24)
    encode(folder / "klein.webm", "160x120", 25)
    (folder / "willkommen.vtt").write_text(CAPTIONS, encoding="utf-8")
    return folder


def content_with(tmp_path: Path, videos: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(videos, content / "videos")
    return content


def build_site(content: Path, site: Path):
    return build(output=site, content=content, overrides={"PRINT_EDITIONS": False, "SEARCH_INDEX": False})


@pytest.mark.parametrize(("name", "says"), [
    ("ruckelt.webm", "24 Bilder pro Sekunde (mindestens 25)"),
    ("klein.webm", "160×120 Pixel (mindestens 320×240)"),
])
def test_a_video_below_anlage_2_is_refused_at_its_line(tmp_path: Path, videos: Path, name: str,
                                                         says: str) -> None:
    content = content_with(tmp_path, videos)
    line = with_video(content, name)
    result = build_site(content, tmp_path / "site")
    assert not result.ok
    shown = [str(problem) for problem in result.problems]
    assert [p for p in shown if f"programme.yml:{line}: Video „videos/{name}“ erfüllt BITV 2.0 Anlage 2 "
            f"nicht: {says}" in p], shown
    assert not (tmp_path / "site").exists()


def test_a_video_without_captions_or_text_version_is_refused(tmp_path: Path, videos: Path) -> None:
    content = content_with(tmp_path, videos)
    with_video(content, "gut.webm", "  videos:\n    - title: Ohne alles\n      file: videos/gut.webm\n")
    result = build_site(content, tmp_path / "site")
    shown = " | ".join(str(problem) for problem in result.problems)
    assert "Video 1: Untertitel (WebVTT) („captions“) fehlt" in shown
    assert "Video 1: Textfassung („transcript“) fehlt" in shown


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, videos: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("site")
    content = content_with(folder, videos)
    with_video(content, "gut.webm")
    result = build_site(content, folder / "site")
    assert result.ok, result.errors + result.problems
    with static_site(folder / "site") as base:
        yield base, folder / "site"


def test_the_page_states_size_and_length_and_offers_the_video_and_its_text(served) -> None:
    _base, site = served
    html = (site / "gebaerdensprache" / "index.html").read_text(encoding="utf-8")
    size = (site / "videos" / "gut.webm").stat().st_size
    stated = re.search(r"\(WebM, ([0-9]+(?:,[0-9]+)?)\u00a0(KB|MB), Länge 2 Sekunden, 320×240 Pixel\)", html)
    assert stated, html.split('id="dgs-videos"', 1)[1][:1500]
    number = float(stated.group(1).replace(",", ".")) * (1000 if stated.group(2) == "KB" else 1000_000)
    assert abs(number - size) / size < 0.1  # the file's own size, as served
    assert '<a href="/videos/gut.webm" download>Video herunterladen</a>' in html
    assert "<summary>Textfassung: Beispielvideo zur Website</summary>" in html
    assert "<p>Willkommen bei unserer Beispiel-Website.</p>" in html


def test_the_video_plays_with_its_captions_in_chromium(served, browser) -> None:
    base, _site = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "/gebaerdensprache/")
        video = page.locator("video")
        video.evaluate("v => { v.muted = true; return v.play(); }")
        # The page's CSP forbids Playwright's eval-based waiting.
        wait_for(lambda: video.evaluate("v => v.currentTime") > 0.3, "the video playing", 15)
        track = page.evaluate("""() => {
            const t = document.querySelector('video').textTracks[0];
            return {mode: t.mode, kind: t.kind, language: t.language,
                    cues: t.cues ? Array.from(t.cues).map(c => c.text) : null}; }""")
        assert track == {"mode": "showing", "kind": "captions", "language": "de",
                         "cues": ["Willkommen bei unserer Beispiel-Website."]}
        assert round(video.evaluate("v => v.duration")) == 2
        assert video.evaluate("v => [v.videoWidth, v.videoHeight]") == [320, 240]
    finally:
        context.close()
