"""Files editors upload (CMS or git): checked before the build publishes them.

An upload lands in a public repository and on the public site. So every file in the
media folders is checked: it lies inside the content folder, its bytes match its name,
it is not too large, an SVG carries no script or external reference, and a photo does
not tell where it was taken (GPS in EXIF or XMP, a place in XMP or IPTC, free text in PNG).
"""

from __future__ import annotations

import logging
import re
import xml.parsers.expat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .containment import inside
from .problems import Problem, display_path
from .slugs import german_slug

MIB = 1 << 20


@dataclass(frozen=True)
class MediaType:
    label: str
    limit: int  # bytes
    signatures: tuple[bytes, ...] = ()  # one must start the file; empty: checked otherwise


IMAGE_LIMIT = 5 * MIB  # also what the CMS accepts for an upload
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")  # what pages, feeds and emails show
MEDIA_TYPES = {
    ".png": MediaType("PNG-Bild", IMAGE_LIMIT, (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": MediaType("JPEG-Bild", IMAGE_LIMIT, (b"\xff\xd8\xff",)),
    ".jpeg": MediaType("JPEG-Bild", IMAGE_LIMIT, (b"\xff\xd8\xff",)),
    ".gif": MediaType("GIF-Bild", IMAGE_LIMIT, (b"GIF87a", b"GIF89a")),
    ".webp": MediaType("WebP-Bild", IMAGE_LIMIT),  # RIFF....WEBP, checked below
    ".svg": MediaType("SVG-Grafik", 1 * MIB),  # XML, checked below
    ".mp4": MediaType("MP4-Video", 300 * MIB),  # ....ftyp, checked below
    ".webm": MediaType("WebM-Video", 300 * MIB, (b"\x1a\x45\xdf\xa3",)),
    ".vtt": MediaType("Untertitel (WebVTT)", 1 * MIB, (b"WEBVTT", b"\xef\xbb\xbfWEBVTT")),
    ".pdf": MediaType("PDF-Dokument", 20 * MIB, (b"%PDF-",)),
}
GPS_IFD = 0x8825
SVG_REFUSED = {"script": "ein Skript", "foreignobject": "eingebettetes HTML (foreignObject)",
               "iframe": "eine eingebettete Seite", "embed": "ein eingebettetes Objekt",
               "object": "ein eingebettetes Objekt"}
SVG_FIX = ("speichere die Grafik ohne Skripte, externe Verweise und Metadaten neu "
           "(z. B. Inkscape: „Optimiertes SVG“)")


def _matches(path: Path, head: bytes, media: MediaType) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".mp4":
        return head[4:8] == b"ftyp"
    if suffix == ".svg":
        return b"<svg" in head.lower() or head.lstrip().startswith((b"<?xml", b"\xef\xbb\xbf<?xml"))
    return head.startswith(media.signatures)


SVG_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}


def _css_loads(text: str) -> bool:
    """Whether style text loads anything: url() other than a fragment of the SVG itself,
    image-set() (which takes plain strings as addresses), @import."""
    squeezed = "".join(text.split()).lower()
    return ("@import" in squeezed or "image-set(" in squeezed
            or any(not rest.lstrip("'\"").startswith("#") for rest in squeezed.split("url(")[1:]))


SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # rendered inside an SVG too: meta refresh, forms


# Where an SVG's metadata (XMP/RDF in <metadata>) says where a picture was made: properties of
# these namespaces, as elements or attributes, under any prefix.
_PLACE_NAMESPACES = ("http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/photoshop/1.0/",
                     "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
                     "http://iptc.org/std/Iptc4xmpExt/2008-02-29/")
_PLACE_NAMES = ("gps", "city", "state", "country", "location", "sublocation")


def _names_a_place(name: str) -> bool:
    namespace, _, local = name.rpartition(" ")
    return namespace in _PLACE_NAMESPACES and local.lower().startswith(_PLACE_NAMES)


def svg_findings(data: bytes) -> list[str]:
    """What an SVG must not contain, found by parsing it (no DTD, no entities). Names arrive as
    "namespace local" (expat's namespace processing), so a prefix of the uploader's choice hides
    nothing."""
    found: list[str] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    tree = _UseTree()
    not_svg: list[str] = []  # the root element, when it is not SVG's
    texts: list[list[str]] = []  # the character data of each open element (expat splits it)
    styles: list[bool] = []  # whether each open element is a <style>

    def refuse_doctype(*_args: object) -> None:
        found.append("eine DTD mit Entitäten")

    def instruction(*_args: object) -> None:
        found.append("eine Verarbeitungsanweisung (z. B. xml-stylesheet)")

    def element(name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        local = local.lower()
        if not styles and (namespace, local) != (SVG_NS, "svg"):
            not_svg.append(local)
        if namespace == XHTML_NS:
            found.append("HTML-Elemente (etwa eine Weiterleitung oder ein Formular)")
        if local in SVG_REFUSED:
            found.append(SVG_REFUSED[local])
        if _names_a_place(name) or any(_names_a_place(attribute) for attribute in attrs):
            found.append("Standortdaten in den Metadaten (GPS oder Ortsname)")
        if local in SVG_ANIMATIONS:
            # An animation may set any attribute: a link target, a handler, an image to load.
            target = attrs.get("attributeName", "").rsplit(":", 1)[-1].strip().lower()
            if target == "href" or target.startswith("on"):
                found.append(f"eine Animation, die „{target}“ setzt")
        for attribute, value in attrs.items():
            space, _, key = attribute.rpartition(" ")
            key = key.rsplit(":", 1)[-1].lower()
            if key.startswith("on") and not space:  # handlers have no namespace (sodipodi:onepage)
                found.append(f"das Skript-Attribut „{key}“")
            elif key == "href" and not value.strip().startswith("#"):
                found.append(f"einen externen Verweis „{value.strip()[:50]}“")
            elif _css_loads(value) or "\\" in value:  # a CSS escape can spell url( in any property
                found.append(f"einen externen Verweis im Stil („{key}“: url/image-set)")
        texts.append([])
        styles.append(local == "style")
        href = next((value for attribute, value in attrs.items() if attribute.endswith("href")), "")
        tree.open(attrs.get("id", ""), href.strip()[1:] if local == "use" else "")

    def end(_name: str) -> None:
        tree.close()
        text, style = "".join(texts.pop()), styles.pop()
        # CSS escapes (u\72l, @\69mport) spell the same words: none in a stylesheet of an upload.
        if _css_loads(text) or (style and "\\" in text):
            found.append("einen externen Verweis im Stil (@import/url)")

    def text(data: str) -> None:
        if texts:
            texts[-1].append(data)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = element
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        # After a refused DTD its entities are what breaks the parse: one cause, one message.
        # (expat's own words are English: the place is what helps.)
        if "eine DTD mit Entitäten" not in found:
            found.append(f"kein gültiges XML (Fehler in Zeile {error.lineno}, Zeichen {error.offset + 1})")
    if not_svg:  # one cause, one message: what such a document holds follows from it
        return [f"keine Grafik, sondern ein Dokument mit <{not_svg[0]}> als äußerstem Element"]
    drawn = tree.drawn()
    if drawn is None:
        found.append("<use>-Verweise, die auf sich selbst zurückführen")
    elif drawn > SVG_DRAWN_LIMIT:
        limit = f"{SVG_DRAWN_LIMIT:,}".replace(",", ".")
        found.append(f"so viele verschachtelte <use>-Verweise, dass ein Browser mehr als {limit} Elemente "
                     "zeichnen müsste")
    return list(dict.fromkeys(found))


# What a browser draws of an SVG, <use> copies counted: a file of a few kilobytes can make it
# draw billions of elements (nested <use> of groups of <use>), for every visitor.
SVG_DRAWN_LIMIT = 200_000


class _UseTree:
    """The elements of an SVG as far as <use> expansion needs them: children, ids, targets."""

    def __init__(self) -> None:
        self.children: list[list[int]] = [[]]  # element 0: the document
        self.target: list[str] = [""]
        self.ids: dict[str, int] = {}
        self.stack = [0]

    def open(self, identifier: str, target: str) -> None:
        index = len(self.children)
        self.children.append([])
        self.target.append(target)
        self.children[self.stack[-1]].append(index)
        if identifier:
            self.ids.setdefault(identifier, index)
        self.stack.append(index)

    def close(self) -> None:
        self.stack.pop()

    def drawn(self) -> int | None:
        """How many elements a browser draws (None: a <use> that contains itself), computed once
        per element, children before parents, without recursion."""
        size: dict[int, int] = {}
        for root in range(len(self.children)):
            if root in size:
                continue
            pending, state = [root], {root: 0}  # 0: children not yet pushed, 1: pushed
            while pending:
                node = pending[-1]
                refers = [self.ids[self.target[node]]] if self.target[node] in self.ids else []
                parts = self.children[node] + refers
                if state[node] == 0:
                    state[node] = 1
                    for part in parts:
                        if part in size:
                            continue
                        if state.get(part) == 1:
                            return None
                        state[part] = 0
                        pending.append(part)
                    continue
                pending.pop()
                size[node] = min(1 + sum(size[part] for part in parts), 2 * SVG_DRAWN_LIMIT)
                state[node] = 2
        return size[0] - 1


def rasterisable(width: int, height: int) -> bool:
    """Whether an image of this shape may be drawn as a lead image's PNG copy (link preview,
    email) at a fixed width: a 1 x 10,000 px SVG drawn 800 px wide would take 25 GB."""
    return width > 0 and height > 0 and 1 / 8 <= height / width <= 4


# What makes a PDF act on its own when opened or clicked, by the action's type (/S).
PDF_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "eine Aktion, die Programme startet (Launch)",
               "/SubmitForm": "ein Formular, das Daten verschickt", "/ImportData": "einen Datenimport",
               "/RichMediaExecute": "eingebettete Medien mit Skript",
               # Open another file, which may lie on another host (\\host\share: a Windows reader
               # sends the user's credentials there).
               "/GoToR": "einen Sprung in eine andere Datei", "/GoToE": "einen Sprung in eine andere Datei",
               "/Thread": "einen Sprung in eine andere Datei"}
PDF_MEDIA = {"/XFA": "ein XFA-Formular (mit eigenen Skripten)", "/RichMedia": "eingebettete Medien",
             "/3D": "eingebettete 3D-Inhalte"}
_PDF_LINKS = ("http://", "https://", "mailto:")  # what a link in a PDF may open
PDF_FIX = ("speichere das PDF ohne aktive Inhalte neu (z. B. „Drucken“ → „Als PDF speichern“ oder "
           "„PDF/A“ beim Export)")


def pdf_findings(path: Path) -> list[str]:
    """What a PDF holds that acts on its own (scripts, launch and submit actions, embedded files),
    found by walking every object reachable from its catalogue (compressed object streams too)."""
    from pypdf import PdfReader  # only sites with PDF uploads pay for it
    from pypdf.errors import DependencyError, PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    # pypdf logs in English what it repairs while reading; the editor gets one German line.
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return ["einen Kennwortschutz (so kann ihn niemand ohne Kennwort lesen)"]
        found: list[str] = []
        seen: set[tuple[int, int]] = set()
        todo: list[object] = [reader.trailer["/Root"]]
        while todo:
            item = todo.pop()
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                action = item.get("/S")
                if action in PDF_ACTIONS:
                    found.append(PDF_ACTIONS[str(action)])
                if "/JS" in item or "/JavaScript" in item:
                    found.append("JavaScript")
                found += [what for key, what in PDF_MEDIA.items() if key in item]
                if action == "/URI" and not str(item.get("/URI", "")).lower().startswith(_PDF_LINKS):
                    found.append("einen Link, der kein Weblink ist (z. B. file:)")
                if item.get("/Type") == "/EmbeddedFile" or "/EF" in item:  # a file inside the file
                    found.append("eingebettete Dateien")
                todo.extend(item.values())
            elif isinstance(item, ArrayObject):
                todo.extend(item)
        return list(dict.fromkeys(found))
    except (PdfReadError, DependencyError, ValueError, KeyError, TypeError, RecursionError):
        return ["einen Aufbau, der sich nicht lesen lässt (beschädigt?)"]
    finally:
        quiet.setLevel(level)


# WebVTT's own cue markup: class, italic, bold, underline, ruby, voice, language (timestamps
# start with a digit). Anything else in a caption is not WebVTT: a player shows it as text or
# drops it, and none of it may act.
_CUE_TAGS = {"c", "i", "b", "u", "ruby", "rt", "v", "lang"}
_CUE_TAG = re.compile(r"</?([A-Za-z][^\s.>/]*)")
VTT_FIX = ("speichere die Untertitel neu als einfaches WebVTT (z. B. mit Subtitle Edit), ohne "
           "STYLE-Block und ohne HTML")


def vtt_findings(path: Path) -> list[tuple[int, str]]:
    """(line, what) for each thing in a captions file that is not plain WebVTT: no parse, no cue,
    a STYLE block (the site styles captions itself, and a style may load files from other hosts),
    markup that WebVTT does not know."""
    import webvtt  # only sites with sign-language videos pay for it
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [(1, "keinen Text in UTF-8")]
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError, ValueError):
        return [(1, "keinen Aufbau, den ein Player lesen kann")]
    lines = text.splitlines()
    found = [(number, "einen STYLE-Block (die Website gestaltet die Untertitel selbst; ein Stil kann "
              "Dateien von anderen Servern laden)")
             for number, line in enumerate(lines, 1)
             if line.strip() == "STYLE" and (number == 1 or not lines[number - 2].strip())]
    for caption in captions:
        unknown = next((tag for tag in _CUE_TAG.finditer(caption.raw_text)
                        if tag[1].lower() not in _CUE_TAGS), None)
        if unknown is not None:
            number = next((n for n, line in enumerate(lines, 1)
                           if unknown[0] in line and "-->" not in line), 1)
            found.append((number, f"das Element „<{unknown[1][:20]}>“, das es in WebVTT nicht gibt"))
    if not captions:
        found.append((1, "keinen einzigen Untertitel (Zeitangaben wie „00:00.000 --> 00:02.000“ fehlen "
                      "oder sind falsch geschrieben)"))
    return sorted(set(found))


# Where a place is written in XMP (any container: JPEG, PNG, WebP; in PNG maybe compressed, so
# Pillow's decoded text is searched too): GPS coordinates and IPTC's location fields.
_PLACE_MARKERS = (b"gpslatitude", b"gpslongitude", b"gpsdestlatitude", b"photoshop:city",
                  b"iptc4xmpcore:location", b"iptc4xmpext:locationshown", b"iptc4xmpext:locationcreated")
# Larger photos are refused before any library decodes them (a small PNG or GIF can claim
# gigapixels, and a browser would try to decode them).
MAX_PIXELS = 50_000_000
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# A media file's name, and each folder's: the build derives names of sizes and previews from
# it ("…-1a2b3c4d5e-1440.avif"), and a file system takes at most 255 bytes per name.
MAX_NAME = 100


# IPTC-IIM (a JPEG's APP13 block) datasets that name a place: city, sublocation, province,
# country code and name, content location code and name.
_IIM_PLACES = {(2, 90), (2, 92), (2, 95), (2, 100), (2, 101), (2, 26), (2, 27)}
# PNG text chunks that only say how the file was made; any other (Comment, Description, Location,
# Source…) is free text that may say where a photo was taken: refused, and removed by the tool.
_PNG_TECHNICAL_TEXT = {"software", "creation time", "xml:com.adobe.xmp", "title", "author", "copyright"}


def location_in(path: Path) -> str | None:
    """Where the photo says it was taken, if it does: GPS in EXIF (JPEG, PNG's eXIf, WebP), GPS
    or a place in XMP, a place in IPTC-IIM, or free text in a PNG text chunk. ``None``: nothing."""
    from PIL import Image, IptcImagePlugin, UnidentifiedImageError  # only builds with photos pay for it

    try:
        with Image.open(path) as image:
            if image.getexif().get_ifd(GPS_IFD):
                return "GPS-Koordinaten (EXIF)"
            if image.format == "JPEG" and _IIM_PLACES & set(IptcImagePlugin.getiptcinfo(image) or {}):
                return "einen Ortsnamen (IPTC)"
            texts = getattr(image, "text", {}) if image.format == "PNG" else {}
            free = sorted(key for key in texts if key.lower() not in _PNG_TECHNICAL_TEXT)
            if free:
                return f"Freitext („{free[0][:30]}“), der einen Ort nennen kann"
            decoded = " ".join(str(value) for value in image.info.values()).lower().encode()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        decoded = b""
    raw = path.read_bytes().lower()
    if any(marker in raw or marker in decoded for marker in _PLACE_MARKERS):
        return "GPS-Koordinaten oder einen Ort (XMP)"
    return None


def has_location(path: Path) -> bool:
    """True when the photo says where it was taken (``location_in``)."""
    return location_in(path) is not None


def pixel_count(path: Path) -> int:
    """Width times height as the file's header says (nothing decoded); 0 when unreadable."""
    import imagesize

    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):
        width = height = -1
    if width <= 0 or height <= 0:  # a header imagesize does not read (GIF87a): Pillow's, undecoded
        from PIL import Image, UnidentifiedImageError

        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # only the header is read
        try:
            with Image.open(path) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return 0
        finally:
            Image.MAX_IMAGE_PIXELS = limit
    return int(max(width, 0) * max(height, 0))


# Formats whose files may hold an animation: every frame is drawn on the whole canvas when the
# upload is written clean (plugins/programme/originals.py), so a few hundred bytes of 1-pixel
# frames on a large canvas would take minutes. The pixels of all frames count together.
ANIMATED_SUFFIXES = (".gif", ".webp", ".png")


def gif_canvas(data: bytes) -> tuple[int, int, int] | None:
    """(width, height, frames) of a GIF as a decoder draws it: a frame placed beyond the logical
    screen grows the canvas (Pillow grows it so), which the header does not say. Read from the
    blocks' headers, nothing decoded; None for what is no readable GIF."""
    if len(data) < 13 or data[:3] != b"GIF":
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    frames = 0
    while at < len(data):
        kind = data[at]
        if kind == 0x3B:  # the trailer
            break
        if kind == 0x2C:  # a frame: its place and size, its colour table, then its data
            if at + 10 > len(data):
                return None
            left, top, w, h = (int.from_bytes(data[at + 1 + 2 * n:at + 3 + 2 * n], "little")
                               for n in range(4))
            width, height = max(width, left + w), max(height, top + h)
            frames += 1
            packed = data[at + 9]
            at += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0) + 1  # + the LZW code size
        elif kind == 0x21:  # an extension: its label, then its data
            at += 2
        else:
            return None
        while at < len(data) and data[at]:  # data sub-blocks, each after its length
            at += data[at] + 1
        at += 1
    return width, height, max(frames, 1)


def frame_count(path: Path) -> int:
    """How many frames the file holds (its headers read, nothing decoded); 1 when unreadable."""
    from PIL import Image, UnidentifiedImageError

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # only the headers are read
    try:
        with Image.open(path) as image:
            return max(1, int(getattr(image, "n_frames", 1)))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return 1
    finally:
        Image.MAX_IMAGE_PIXELS = limit


# A media file's name becomes part of addresses and of the generated server configuration
# (_headers names each SVG on a line of its own): letters, digits, ".", "_" and "-" only.
# Spaces would need escaping in Markdown links, a line break or a backslash would end the line
# in the configuration and start a header of the editor's choosing.
_SAFE_NAME = re.compile(r"[^\W_][\w.-]*")


def _safe_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    slug = german_slug(stem) or "datei"
    return f"{slug}{dot}{german_slug(suffix)}" if dot else slug


def upload_problems(path: Path, root: Path) -> list[Problem]:
    """Everything wrong with one uploaded file, as ``path:1: problem — fix``."""
    shown = display_path(path)
    relative = path.relative_to(root).as_posix()
    unsafe = [part for part in relative.split("/") if not _SAFE_NAME.fullmatch(part)]
    if unsafe:
        shown = repr(shown)[1:-1] if any(not c.isprintable() for c in shown) else shown
        return [Problem(shown, 1, f"Dateiname „{repr(unsafe[0])[1:-1]}“ enthält Zeichen, die in "
                        "Adressen nicht gehen (nur Buchstaben, Ziffern, „.“, „_“ und „-“)",
                        f"benenne die Datei um, z. B. in „{_safe_name(unsafe[0])}“")]
    long = next((part for part in relative.split("/") if len(part) > MAX_NAME), None)
    if long is not None:
        return [Problem(shown, 1, f"Dateiname ist {len(long)} Zeichen lang (höchstens {MAX_NAME}): "
                        "aus ihm werden Namen von Bildgrößen und Adressen", "kürze den Namen")]
    if not inside(root, relative):
        return [Problem(shown, 1, "Datei ist ein Verweis (Symlink) auf eine Datei außerhalb des "
                        "Inhaltsordners", "lege die Datei selbst unter content/ ab")]
    media = MEDIA_TYPES.get(path.suffix.lower())
    if media is None:
        allowed = ", ".join(sorted(MEDIA_TYPES))
        return [Problem(shown, 1, f"Dateityp „{path.suffix or path.name}“ ist nicht erlaubt",
                        f"erlaubt sind: {allowed}")]
    size = path.stat().st_size
    if size > media.limit:
        return [Problem(shown, 1, f"{media.label} ist {size / MIB:.1f} MB groß (höchstens "
                        f"{media.limit // MIB} MB)", "verkleinere die Datei vor dem Hochladen")]
    with path.open("rb") as handle:
        head = handle.read(512)
    if not _matches(path, head, media):
        return [Problem(shown, 1, f"Inhalt passt nicht zur Endung „{path.suffix}“ (kein {media.label})",
                        "speichere die Datei im richtigen Format oder gib ihr die passende Endung")]
    if path.suffix.lower() == ".svg":
        return [Problem(shown, 1, f"SVG enthält {what}", SVG_FIX) for what in svg_findings(path.read_bytes())]
    if path.suffix.lower() == ".pdf":
        return [Problem(shown, 1, f"PDF enthält {what}", PDF_FIX) for what in pdf_findings(path)]
    if path.suffix.lower() == ".vtt":
        return [Problem(shown, line, f"Untertitel enthalten {what}", VTT_FIX)
                for line, what in vtt_findings(path)]
    pixels = pixel_count(path) if path.suffix.lower() in RASTER_SUFFIXES else 0
    if pixels > MAX_PIXELS:
        return [Problem(shown, 1, f"Bild hat {pixels / 1e6:.0f} Millionen Pixel (höchstens "
                        f"{MAX_PIXELS // 1_000_000})",
                        "verkleinere es vor dem Hochladen, z. B. auf 4000 Pixel Breite")]
    canvas = gif_canvas(path.read_bytes()) if path.suffix.lower() == ".gif" else None
    if canvas is not None:  # a GIF's frames may lie beyond its screen: read from every frame's header
        pixels, frames = max(pixels, canvas[0] * canvas[1]), canvas[2]
    else:
        frames = frame_count(path) if pixels and path.suffix.lower() in ANIMATED_SUFFIXES else 1
    if pixels * frames > MAX_PIXELS:
        each = f"{pixels / 1e6:.1f}".replace(".", ",")
        return [Problem(shown, 1, f"Animation hat {frames} Einzelbilder zu je {each} Millionen Pixel, "
                        f"zusammen {pixels * frames / 1e6:.0f} Millionen "
                        f"(höchstens {MAX_PIXELS // 1_000_000})",
                        "verkleinere die Animation oder kürze sie, oder zeige sie als Video")]
    where = location_in(path) if path.suffix.lower() in RASTER_SUFFIXES else None
    if where:
        return [Problem(shown, 1, f"Foto enthält Standortdaten: {where} – es verrät, wo es aufgenommen "
                        "wurde", "entferne sie: `.venv/bin/python -m pipeline.strip_location DATEI` "
                        "(macht der pre-commit-Hook automatisch)")]
    return []


def media_problems(root: Path, folders: Iterable[str], linked: Iterable[str] = ()) -> list[Problem]:
    """Every file under the media folders, and every other file a post links, checked."""
    files = {p for folder in folders for p in (root / folder).rglob("*") if p.is_file() or p.is_symlink()}
    files |= {root / relative for relative in linked
              if (root / relative).is_file() or (root / relative).is_symlink()}
    return [problem for path in sorted(files) for problem in upload_problems(path, root)]
