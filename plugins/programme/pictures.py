"""Photos at the size each channel needs: AVIF and WebP variants in a few widths with a JPEG
(or PNG, for images with transparency) fallback for the web pages (``plugins/web/pictures.py``
writes the ``<picture>``), and one JPEG or PNG of twice the column's width for the emails.

The original an editor uploaded (a phone photo: 4000×3000, 3 MB) is never sent to a browser. The
variants are made with Pillow, without EXIF or XMP (a photo's location and camera stay out),
turned upright first, and kept between builds by the content hash of the original (like the
print editions): a clean build encodes only new images.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .build_state import PerBuild
from .files import write_atomically

SETTING = "SLS_PICTURES"
FOLDER = "bilder/formate"  # in the site: the variants
DERIVED = "images"  # under CACHE_PATH, shared with the link previews' PNG copies
RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
WIDTHS = (480, 960, 1440)
MAX_PIXELS = 50_000_000  # as the content check allows uploads (a GIF's screen counts too)
MAX_SIDE = 16_000  # WebP and AVIF refuse longer sides: such an image is shown as it is
# Encoder settings: AVIF at Pillow's default quality with a faster speed (encoding is most of a
# first build's image time), WebP and JPEG at quality a photo needs on a screen.
FORMATS = (("avif", "image/avif", {"quality": 60, "speed": 8}),
           ("webp", "image/webp", {"quality": 78, "method": 4}))
FALLBACK_JPEG = {"quality": 82, "optimize": True, "progressive": True}
SIZES = "(min-width: 48em) 42rem, 100vw"  # the article column: 42rem wide, else the screen


def _fallback(alpha: bool) -> tuple[str, dict[str, Any]]:
    return ("png", {"optimize": True}) if alpha else ("jpg", FALLBACK_JPEG)


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative
    width: int


@dataclass(frozen=True)
class Picture:
    width: int  # of the largest variant: the img element's intrinsic size (no layout shift)
    height: int
    sources: tuple[tuple[str, tuple[Variant, ...]], ...]  # (MIME type, variants) per format
    fallback: tuple[Variant, ...]  # JPEG or PNG

    @property
    def largest(self) -> Variant:
        return self.fallback[-1]

    def fitting(self, width: int) -> Variant:
        """The largest JPEG or PNG variant at most ``width`` pixels wide (else the smallest)."""
        return ([v for v in self.fallback if v.width <= width] or [self.fallback[0]])[-1]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


@dataclass(eq=False)
class Pictures(PerBuild):
    content: Path
    output: Path
    derived: Path | None = None
    folders: tuple[str, ...] = ("images",)  # the static folders the content check examines
    made: dict[str, Picture | None] = field(default_factory=dict)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)

    def size(self, image: str) -> tuple[float, float]:
        """The size a file of the content folder states (an SVG's as written), read once per
        build: (-1, -1) when it states none."""
        if image not in self.sizes:
            import imagesize

            try:
                self.sizes[image] = imagesize.get(str(self.content / image))
            except (OSError, ValueError):
                self.sizes[image] = (-1, -1)
        return self.sizes[image]

    def of(self, image: str) -> Picture | None:
        """The variants of ``image`` (a file of the content folder); None when it is not a
        raster image this build can read."""
        if image not in self.made:
            self.made[image] = self._make(image)
        return self.made[image]

    def _decode(self, image: str) -> tuple[Any, str, bool] | None:
        """(upright picture without metadata, name stem of its variants, has transparency), or
        None for anything this build shows as it is."""
        # resolve() follows ".." and links: only a file that really lies in the content folder.
        source = (self.content / image.lstrip("/")).resolve()
        root = self.content.resolve()
        # Only files the content check has examined (size, kind, location data): those of the
        # static folders. Anything else is shown as it is, never decoded here.
        if (source.suffix.lower() not in RASTER or not source.is_file() or len(source.name) > 120
                or not any(source.is_relative_to(root / folder) for folder in self.folders)):
            return None
        from PIL import Image, ImageOps

        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:10]
        try:
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    return None  # never decoded: shown as it is
                upright = ImageOps.exif_transpose(opened)
                upright.load()
        except (OSError, ValueError, Image.DecompressionBombError):
            return None  # unreadable: shown as it is
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        picture = upright.convert("RGBA" if alpha else "RGB")
        picture.info.clear()  # no comment or other metadata of the original rides along
        return picture, f"{FOLDER}/{source.stem[:60]}-{digest}", alpha

    def _make(self, image: str) -> Picture | None:
        decoded = self._decode(image)
        if decoded is None:
            return None
        picture, stem, alpha = decoded
        widths = sorted({w for w in WIDTHS if w < picture.width} | {min(picture.width, WIDTHS[-1])})
        tall = picture.height * widths[-1] / picture.width > MAX_SIDE
        if tall or picture.height * widths[0] < picture.width:
            return None  # a strip too long (or too flat) for the encoders: shown as it is
        sources = []
        fallback_ext, fallback_options = _fallback(alpha)
        try:
            for extension, mime, options in FORMATS:
                variants = tuple(self._variant(picture, stem, w, extension, options) for w in widths)
                sources.append((mime, variants))
            fallback = tuple(self._variant(picture, stem, w, fallback_ext, fallback_options)
                             for w in widths)
        except (OSError, ValueError):
            return None  # an encoder refused it: shown as it is
        largest = widths[-1]
        return Picture(largest, round(picture.height * largest / picture.width), tuple(sources), fallback)

    def single(self, image: str, width: int) -> tuple[Variant, int] | None:
        """One JPEG (or PNG) of ``image`` at most ``width`` pixels wide, and its height: for a
        channel with one fixed column (an email's 600 px, sharp on a 2x screen at 1200)."""
        if self.of(image) is None:  # the same limits as the web pages' variants
            return None
        decoded = self._decode(image)
        if decoded is None:
            return None
        picture, stem, alpha = decoded
        width = min(width, picture.width)
        try:
            variant = self._variant(picture, stem, width, *_fallback(alpha))
        except (OSError, ValueError):
            return None
        return variant, max(1, round(picture.height * width / picture.width))

    def _variant(self, picture: Any, stem: str, width: int, extension: str,
                 options: dict[str, Any]) -> Variant:
        name = f"{stem}-{width}.{extension}"
        target = self.output / name
        kept = self.derived / Path(name).name if self.derived is not None else None
        if not target.exists():
            os.makedirs(target.parent, exist_ok=True)
            if kept is not None and kept.is_file():  # same name: same original, same settings
                shutil.copyfile(kept, target)
            else:
                from PIL import Image

                height = max(1, round(picture.height * width / picture.width))
                scaled = picture if width == picture.width else picture.resize((width, height),
                                                                               Image.Resampling.LANCZOS)
                scaled.info.clear()
                buffer = io.BytesIO()
                # No exif=, no xmp=: nothing of the original's metadata is written.
                scaled.save(buffer, format="JPEG" if extension == "jpg" else extension.upper(), **options)
                # Atomic: two processes of a split build may make the same variant at once.
                write_atomically(target, buffer.getvalue(), 0o644)
                if kept is not None:
                    write_atomically(kept, buffer.getvalue(), 0o644)
        return Variant(name, width)


_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def replace_images(html: str, siteurl: str, replace: Callable[[str, dict[str, str]], str | None]) -> str:
    """``html`` (sanitised: every attribute quoted) with each ``<img>`` of a file of the content
    folder (``image``, content-relative, and its attributes) replaced by what ``replace`` makes
    of it; an image with a srcset of its own, another host's, or one ``replace`` returns None
    for stays as the editor wrote it."""
    if "<img" not in html:  # most bodies show no image: no pass over them
        return html
    prefix = f"{siteurl}/"

    def one(found: re.Match[str]) -> str:
        attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(found.group(0))}
        source = attributes.get("src", "")
        if attributes.keys() - {"src", "alt", "width", "height", "loading"} or not source.startswith(prefix):
            return found.group(0)
        image = unquote(source[len(prefix):].split("?", 1)[0].split("#", 1)[0])
        made = replace(image, attributes)
        return found.group(0) if made is None else made

    return _IMG.sub(one, html)


def fitted_body(html: str, pictures: Pictures, siteurl: str, width: int) -> str:
    """``html`` with each photo of the content folder as its JPEG or PNG variant of at most
    ``width`` pixels (feeds: a reader shows one image, never the camera's 3 MB)."""

    def fitted(image: str, attributes: dict[str, str]) -> str | None:
        picture = pictures.of(image)
        if picture is None:
            return None
        variant, alt = picture.fitting(width), escape(attributes.get("alt", ""))
        return (f'<img src="{escape(siteurl)}/{escape(variant.url)}" alt="{alt}" '
                f'width="{variant.width}" height="{picture.height_at(variant.width)}">')

    return replace_images(html, siteurl, fitted)


def pictures_of(settings: Any) -> Pictures:
    """This build's variants (one per build, kept in its settings)."""
    found = settings.get(SETTING)
    if not isinstance(found, Pictures):
        cache = settings.get("CACHE_PATH")
        found = settings[SETTING] = Pictures(Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]),
                                             Path(cache) / DERIVED if cache else None,
                                             tuple(settings.get("STATIC_PATHS") or ("images",)))
    return found


