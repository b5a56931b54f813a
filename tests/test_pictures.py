"""Photos at the size the screen needs: a post whose lead image is a 4000×3000 phone photo sends
a phone a few dozen kilobytes, never the original (Chromium's own accounting of what it
fetched), and every variant is free of the photo's metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_good_content, static_site

from benchmarks.corpus import phone_photo
from pipeline.build import build

pytestmark = pytest.mark.slow  # a build with image encoding and a real browser

PHOTO = "images/foto-vom-treffen.jpg"
BODY_PHOTO = "images/tafel.jpg"  # a photo in the text of the post


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    work = tmp_path_factory.mktemp("pictures")
    content = copy_good_content(work / "content")
    phone_photo(content / PHOTO)
    post = content / "posts" / "2023-06-01-ausblick.md"
    phone_photo(content / BODY_PHOTO)
    post.write_text(post.read_text(encoding="utf-8").replace(
        "newsletter: false\n", f"newsletter: false\nimage: {PHOTO}\n"
        "image_alt: Menschen sitzen an Tischen und sprechen über Pläne\n")
        + f"\n![Eine Tafel mit Ideen](/{BODY_PHOTO})\n\n![Nicht im Inhaltsordner](/../../etc/hosts.jpg)\n",
        encoding="utf-8")
    site = work / "site"
    result = build(output=site, content=content, overrides={"PRINT_EDITIONS": False,
                                                            "CACHE_PATH": str(work / "cache")})
    assert result.ok, result.errors + result.problems
    with static_site(site) as base:
        yield base, site


def transferred(browser, url: str, width: int) -> tuple[int, list[str]]:
    """Bytes Chromium received for ``url`` with a cold cache (its network log), and the images."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, float] = {}
        images: list[str] = []
        session.on("Network.loadingFinished",
                   lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
        session.on("Network.responseReceived", lambda event: images.append(event["response"]["url"])
                   if event["type"] == "Image" else None)
        page.goto(url, wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        return int(sum(sizes.values())), images
    finally:
        context.close()


def test_a_phone_photo_reaches_a_phone_small_and_a_wide_screen_sharp(
        served: tuple[str, Path], browser) -> None:
    base, site = served
    article = base + "/aktuelles/2023/ausblick/"
    html = (site / "aktuelles" / "2023" / "ausblick" / "index.html").read_text(encoding="utf-8")
    assert PHOTO not in html  # the original is never sent, nor named
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert 'width="1440" height="1080"' in html  # its size is known: no layout shift
    phone, phone_images = transferred(browser, article, 360)
    wide, wide_images = transferred(browser, article, 1280)
    assert phone <= 150_000, (phone, phone_images)
    assert wide <= 300_000, (wide, wide_images)
    # The phone got a small variant, the wide screen a larger one, both in a modern format.
    photo = [url for url in phone_images if "foto-vom-treffen" in url]
    assert len(photo) == 1 and photo[0].endswith(("-480.avif", "-960.avif")), phone_images
    assert any("foto-vom-treffen" in url and url.endswith(".avif") for url in wide_images)
    # A photo in the text: the same variants, loaded only when the reader scrolls to it.
    assert BODY_PHOTO not in html
    body = html.split('alt="Eine Tafel mit Ideen"', 1)[0].rsplit("<picture>", 1)[1]
    assert 'type="image/avif"' in body and "tafel-" in body
    assert 'alt="Eine Tafel mit Ideen" loading="lazy"' in html
    # The link preview for messengers is a variant too.
    assert '-1440.jpg"' in html.split('property="og:image" content="', 1)[1].split(">", 1)[0]


def test_every_variant_is_free_of_the_photos_metadata(served: tuple[str, Path]) -> None:
    from PIL import Image

    _base, site = served
    variants = sorted((site / "bilder" / "formate").glob("foto-vom-treffen-*"))
    assert {v.suffix for v in variants} == {".avif", ".webp", ".jpg"} and len(variants) == 9
    for variant in variants:
        data = variant.read_bytes()
        assert b"Beispielkamera" not in data and b"Kommentar der Kamera" not in data, variant.name
        with Image.open(variant) as opened:
            assert not opened.getexif(), variant.name


def test_an_email_gets_the_photo_at_twice_its_column_never_the_original(tmp_path: Path) -> None:
    from PIL import Image

    from plugins.newsletter.email_body import CONTENT_WIDTH
    from plugins.newsletter.images import email_image
    from plugins.programme.pictures import Pictures

    content, output = tmp_path / "content", tmp_path / "site"
    (content / "images").mkdir(parents=True)
    phone_photo(content / PHOTO)
    found = email_image(PHOTO, str(content), str(output), lambda path: f"https://beispiel.de/{path}",
                        Pictures(content, output))
    assert found is not None
    assert found.url.startswith("https://beispiel.de/") and not found.url.endswith(PHOTO)
    assert (found.width, found.height) == (CONTENT_WIDTH, CONTENT_WIDTH * 3 // 4)
    sent = output / found.url.removeprefix("https://beispiel.de/")
    with Image.open(sent) as image:
        assert image.size == (2 * CONTENT_WIDTH, 2 * CONTENT_WIDTH * 3 // 4)
        assert image.format == "JPEG" and not image.getexif() and "comment" not in image.info
    assert sent.stat().st_size < 300_000 < (content / PHOTO).stat().st_size


def test_feeds_enclose_a_photo_variant_with_its_true_length(served: tuple[str, Path]) -> None:
    import xml.etree.ElementTree as ET

    _base, site = served
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.parse(site / "feeds" / "all.atom.xml").getroot().iter(f"{atom}entry")
    enclosures = [link for entry in entries for link in entry.iter(f"{atom}link")
                  if link.get("rel") == "enclosure" and "foto-vom-treffen" in link.get("href", "")]
    assert enclosures, "the post with the photo has no enclosure"
    for link in enclosures:
        path = site / link.get("href", "").split("/", 3)[3]
        assert "bilder/formate/" in link.get("href", "") and path.suffix == ".jpg"
        assert int(link.get("length", "0")) == path.stat().st_size < 200_000
        assert link.get("type") == "image/jpeg"


def test_a_photo_in_a_posts_text_reaches_feed_readers_as_a_variant_never_the_original(
        served: tuple[str, Path]) -> None:
    import xml.etree.ElementTree as ET

    _base, site = served
    atom = "{http://www.w3.org/2005/Atom}"
    bodies = [entry.findtext(f"{atom}content") or ""
              for entry in ET.parse(site / "feeds" / "all.atom.xml").getroot().iter(f"{atom}entry")]
    body = next(text for text in bodies if "Eine Tafel mit Ideen" in text)
    sources = re.findall(r'<img src="([^"]+)" alt="Eine Tafel mit Ideen" width="(\d+)" height="(\d+)">', body)
    assert len(sources) == 1, body
    url, width, height = sources[0]
    assert "/bilder/formate/tafel-" in url and url.endswith("-960.jpg") and (width, height) == ("960", "720")
    assert BODY_PHOTO not in body  # the 4000 × 3000 original is no reader's download
    assert (site / url.split("/", 3)[3]).stat().st_size < 200_000
