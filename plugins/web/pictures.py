"""The ``<picture>`` of every raster image a page shows: AVIF and WebP variants in a few widths
(made once per build by ``plugins/programme/pictures.py``) with a JPEG or PNG fallback,
``width``/``height`` against layout shift, and lazy loading below the fold. The original an
editor uploaded (a phone photo: 4000×3000, 3 MB) is never sent to a browser.
"""

from __future__ import annotations

from markupsafe import Markup

from plugins.programme.pictures import SIZES, Pictures, Variant, pictures_of, replace_images

__all__ = ["SIZES", "picture_html", "pictures_of", "responsive_body"]


def picture_html(pictures: Pictures, siteurl: str, image: str, alt: str, sizes: str = SIZES,
                 lazy: bool = False) -> Markup:
    """A ``<picture>`` for a raster image; an ``<img>`` of the file itself for anything else
    (SVG: scales without variants), with its own size. ``lazy``: below the fold."""
    found = pictures.of(image)
    loading = Markup(' loading="lazy" decoding="async"' if lazy else "")
    if found is None:
        width, height = pictures.size(image)
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


def responsive_body(html: str, pictures: Pictures, siteurl: str) -> Markup:
    """A body's HTML (sanitised: every attribute quoted) with each raster image of the content
    folder as a lazily loaded ``<picture>``; other images stay as they are."""

    def responsive(image: str, attributes: dict[str, str]) -> str | None:
        if pictures.of(image) is None:
            return None
        return str(picture_html(pictures, siteurl, image, attributes.get("alt", ""), lazy=True))

    return Markup(replace_images(html, siteurl, responsive))
