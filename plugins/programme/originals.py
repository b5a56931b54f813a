"""The raster images of the static folders as the site publishes them: drawn again from their
pixels, upright, without anything else the file carried.

An uploaded photo can say where it was taken in many places: EXIF's GPS block (in a second
APP1 segment too), XMP under any namespace prefix and in UTF-16, IPTC, comments, PNG text
chunks, a second picture appended after the end of the first. The content check refuses what it
recognises (``uploads.location_in``); what the site publishes is safe whatever it missed,
because a published original is written anew from the decoded pixels with only the colour
profile (and for GIF, PNG and WebP the transparency and animation timing) of the upload.
Pelican's static generator copies every other static file; these are taken out of its list
(``static_generator_finalized``) and written here instead, kept between builds by the content
hash of the upload (like the variants in ``pictures.py``).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

from .files import write_atomically
from .problems import Problem, display_path

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
ORIENTATION = 0x0112
# What of an image's info may be written again: none of it can say where or by whom.
KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background", "disposal")
JPEG_REDRAWN = {"quality": 92, "optimize": True}  # a turned photo cannot keep its quantisation
WEBP = {"quality": 90, "method": 4}


def _format_options(image: Any, extension: str) -> tuple[str, dict[str, Any]]:
    frames = getattr(image, "n_frames", 1) > 1
    if extension in (".jpg", ".jpeg"):
        return "JPEG", {}
    if extension == ".png":
        return "PNG", {}
    if extension == ".gif":
        return "GIF", {"save_all": frames}
    return "WEBP", {**WEBP, "save_all": frames}


def clean_bytes(data: bytes, extension: str) -> bytes:
    """The picture of ``data`` (an upload ending in ``extension``) as a new file of the same
    format; raises OSError or ValueError when it cannot be read."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        kind, options = _format_options(opened, extension)
        upright: Image.Image = opened
        if kind == "JPEG":
            turned = opened.getexif().get(ORIENTATION, 1) not in (None, 1)
            if turned:
                upright = ImageOps.exif_transpose(opened)
                options = dict(JPEG_REDRAWN)
            else:
                # The same quantisation and subsampling: no visible loss, no second compression.
                options = {"quality": "keep", "subsampling": "keep", "qtables": "keep"}
        elif not options.get("save_all"):
            upright = ImageOps.exif_transpose(opened)
        upright.load()
        kept = {name: value for name, value in opened.info.items() if name in KEPT_INFO}
        upright.info.clear()
        if "transparency" in kept:
            upright.info["transparency"] = kept["transparency"]
        for name in ("duration", "loop", "background", "disposal"):
            if name in kept and options.get("save_all"):
                options[name] = kept[name]
        if kept.get("icc_profile"):
            options["icc_profile"] = kept["icc_profile"]
        buffer = io.BytesIO()
        upright.save(buffer, format=kind, **options)
    return buffer.getvalue()


class Originals:
    """The build's raster uploads, written clean at their addresses."""

    def __init__(self, content: Path, output: Path, derived: Path | None) -> None:
        self.content, self.output, self.derived = content, output, derived

    def write(self, source_path: str, save_as: str) -> Problem | None:
        """``source_path`` (relative to the content folder) cleaned, at ``save_as`` in the site;
        the problem when it cannot be read (then nothing is written)."""
        source = self.content / source_path
        data = source.read_bytes()
        extension = source.suffix.lower()
        digest = hashlib.sha256(data).hexdigest()[:16]
        kept = self.derived / f"original-{digest}{extension}" if self.derived is not None else None
        target = self.output / save_as
        if kept is not None and kept.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            # A new file, never written into: the output may hold a link to the last site's.
            target.unlink(missing_ok=True)
            shutil.copyfile(kept, target)
            return None
        from PIL import Image

        try:
            clean = clean_bytes(data, extension)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return Problem(display_path(source), 1,
                           "Bild lässt sich nicht lesen: so wird es nicht veröffentlicht",
                           "öffne es in einem Bildprogramm und speichere es neu als JPEG oder PNG")
        write_atomically(target, clean, 0o644)
        if kept is not None:
            write_atomically(kept, clean, 0o644)
        return None
