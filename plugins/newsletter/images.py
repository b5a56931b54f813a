"""Email-safe lead images: a photo as one JPEG (or PNG) of twice the column's width, never the
original; many mail clients show no SVG, so SVGs get a PNG copy."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import imagesize

from plugins.programme.charts import HEIGHT, WIDTH, chart_svg
from plugins.programme.files import write_atomically
from plugins.programme.pictures import Pictures
from plugins.programme.uploads import rasterisable

from .email_body import CONTENT_WIDTH, EmailImage

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
FOLDER = "newsletter/bilder"


def email_image(image: str, content_root: str, output: str, absolute,
                pictures: Pictures | None = None) -> EmailImage | None:
    """The image as the email shows it: a raster image at twice the column's width (from
    ``pictures``), a 2x PNG for SVG sources written into ``output``."""
    source = Path(content_root) / image
    if not source.is_file():
        return None
    width, height = imagesize.get(str(source))
    if width <= 0 or height <= 0:
        return None
    shown_height = round(CONTENT_WIDTH * height / width)
    if source.suffix.lower() in RASTER:
        sized = pictures.single(image, CONTENT_WIDTH * 2) if pictures is not None else None
        if sized is None:
            return None  # the email goes without the image rather than with the original
        variant, height = sized
        return EmailImage(absolute(variant.url), CONTENT_WIDTH, round(CONTENT_WIDTH * height / variant.width))
    if source.suffix.lower() != ".svg" or not rasterisable(width, height):
        return None  # the email goes without the image: drawn at its width it would take gigabytes
    import resvg_py  # imported here: only issues with SVG images need the rasteriser

    data = source.read_bytes()
    name = f"{FOLDER}/{source.stem}-{hashlib.sha256(data).hexdigest()[:8]}.png"
    target = Path(output) / name
    if not target.exists():
        os.makedirs(target.parent, exist_ok=True)
        png = resvg_py.svg_to_bytes(svg_path=str(source), width=CONTENT_WIDTH * 2,
                                    background="#ffffff")
        write_atomically(target, bytes(png), 0o644)
    return EmailImage(absolute(name), CONTENT_WIDTH, shown_height)


FIGURE = "kennzahl:"  # an indicator's chart among the images (posts go by slug)


def chart_image(indicator: Any, output: str, absolute: Any) -> EmailImage:
    """An indicator's chart as a PNG at twice the column's width (mail clients show no inline SVG),
    named by its drawing, so a changed chart gets a new address."""
    import resvg_py

    svg = chart_svg(indicator, "k", standalone=True)
    name = f"{FOLDER}/kennzahl-{indicator.key}-{hashlib.sha256(svg.encode()).hexdigest()[:8]}.png"
    target = Path(output) / name
    if not target.exists():
        os.makedirs(target.parent, exist_ok=True)
        png = resvg_py.svg_to_bytes(svg_string=svg, width=CONTENT_WIDTH * 2, background="#ffffff")
        write_atomically(target, bytes(png), 0o644)
    return EmailImage(absolute(name), CONTENT_WIDTH, round(CONTENT_WIDTH * HEIGHT / WIDTH))
