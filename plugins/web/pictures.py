"""Photos at the size the screen needs: every raster image a page shows as a ``<picture>`` of
AVIF and WebP variants in a few widths, with a JPEG (or PNG, for images with transparency)
fallback, ``width``/``height`` against layout shift, and lazy loading below the fold.

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
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup

from plugins.programme.build_state import PerBuild
from plugins.programme.files import write_atomically

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


@dataclass(eq=False)
class Pictures(PerBuild):
    content: Path
    output: Path
    derived: Path | None = None
    folders: tuple[str, ...] = ("images",)  # the static folders the content check examines
    made: dict[str, Picture | None] = field(default_factory=dict)

    def of(self, image: str) -> Picture | None:
        """The variants of ``image`` (a file of the content folder); None when it is not a
        raster image this build can read."""
        if image not in self.made:
            self.made[image] = self._make(image)
        return self.made[image]

    def _make(self, image: str) -> Picture | None:
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
        widths = sorted({w for w in WIDTHS if w < picture.width} | {min(picture.width, WIDTHS[-1])})
        tall = picture.height * widths[-1] / picture.width > MAX_SIDE
        if tall or picture.height * widths[0] < picture.width:
            return None  # a strip too long (or too flat) for the encoders: shown as it is
        stem = f"{FOLDER}/{source.stem[:60]}-{digest}"
        sources = []
        fallback_ext, fallback_options = ("png", {"optimize": True}) if alpha else ("jpg", FALLBACK_JPEG)
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


def pictures_of(settings: Any) -> Pictures:
    """This build's variants (one per build, kept in its settings)."""
    found = settings.get(SETTING)
    if not isinstance(found, Pictures):
        cache = settings.get("CACHE_PATH")
        found = settings[SETTING] = Pictures(Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]),
                                             Path(cache) / DERIVED if cache else None,
                                             tuple(settings.get("STATIC_PATHS") or ("images",)))
    return found


def picture_html(pictures: Pictures, siteurl: str, image: str, alt: str, sizes: str = SIZES,
                 lazy: bool = False) -> Markup:
    """A ``<picture>`` for a raster image; an ``<img>`` of the file itself for anything else
    (SVG: scales without variants), with its own size. ``lazy``: below the fold."""
    found = pictures.of(image)
    loading = Markup(' loading="lazy" decoding="async"' if lazy else "")
    if found is None:
        import imagesize

        try:
            width, height = imagesize.get(str(pictures.content / image))
        except (OSError, ValueError):
            width = height = -1
        # imagesize gives an SVG's size as it is written ("1200.0"): HTML wants whole pixels.
        size = (Markup(' width="{}" height="{}"').format(round(width), round(height))
                if width > 0 and height > 0 else "")
        return Markup('<img src="{}/{}" alt="{}"{}{}>').format(siteurl, image, alt, size, loading)

    def srcset(variants: tuple[Variant, ...]) -> str:
        return ", ".join(f"{siteurl}/{v.url} {v.width}w" for v in variants)

    parts = [Markup('<source type="{}" srcset="{}" sizes="{}">').format(mime, srcset(variants), sizes)
             for mime, variants in found.sources]
    default = found.fallback[1] if len(found.fallback) > 1 else found.fallback[0]  # 960 px
    parts.append(Markup('<img src="{}/{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}>')
                 .format(siteurl, default.url, srcset(found.fallback), sizes, found.width, found.height,
                         alt, loading))
    return Markup("<picture>") + Markup("").join(parts) + Markup("</picture>")


_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def responsive_body(html: str, pictures: Pictures, siteurl: str) -> Markup:
    """A body's HTML (sanitised: every attribute quoted) with each raster image of the content
    folder as a lazily loaded ``<picture>``; other images stay as they are."""
    prefix = f"{siteurl}/"

    def replace(found: re.Match[str]) -> str:
        attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(found.group(0))}
        source = attributes.get("src", "")
        if attributes.keys() - {"src", "alt", "width", "height", "loading"} or not source.startswith(prefix):
            return found.group(0)  # its own srcset, or another host's: as the editor wrote it
        image = unquote(source[len(prefix):].split("?", 1)[0].split("#", 1)[0])
        if pictures.of(image) is None:
            return found.group(0)
        return str(picture_html(pictures, siteurl, image, attributes.get("alt", ""), lazy=True))

    return Markup(_IMG.sub(replace, html))
