"""The raster images of the static folders as the site publishes them: drawn again from their
pixels, upright, without anything else the file carried.

An uploaded photo can say where it was taken in many places: EXIF's GPS block (in a second
APP1 segment too), XMP under any namespace prefix and in UTF-16, IPTC, comments, PNG text
chunks, a second picture appended after the end of the first. The content check refuses what it
recognises (``uploads.location_in``); what the site publishes is safe whatever it missed,
because a published original is written anew from the decoded pixels: in sRGB where the upload
had a colour profile (a profile can carry any text), with an animation's frames and durations,
a PNG's gamma and the transparency; nothing else of the upload.
Pelican's static generator copies every other static file; these are taken out of its list
(``static_generator_finalized``) and written here instead, kept between builds by the content
hash of the upload (like the variants in ``pictures.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import struct
from pathlib import Path
from typing import Any

from .files import write_atomically
from .problems import Problem, display_path
from .uploads import MAX_PIXELS, gif_canvas

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
ORIENTATION = 0x0112
# The cleaning's own version, in the names of its cached copies: a change of what it writes is
# never hidden by a copy made before.
VERSION = 2
JPEG_REDRAWN = {"quality": 92, "optimize": True}  # turned or recoloured: new quantisation
WEBP_LOSSY = {"quality": 90, "method": 4}
WEBP_LOSSLESS = {"lossless": True, "quality": 100, "method": 4, "exact": True}


def _to_srgb(image: Any, icc: bytes) -> Any:
    """``image`` converted from its colour profile to sRGB (the web's own): the profile itself
    is never published (a profile can carry any text: a place, a name). Unreadable or unusable
    profile: the pixels as they are."""
    from PIL import ImageCms

    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _png_colour_chunks(info: dict[str, Any]) -> Any:
    """A PNG's gamma, chromaticities and sRGB intent (numbers only: nothing else rides along),
    which browsers apply to a PNG without a profile."""
    from PIL.PngImagePlugin import PngInfo

    chunks = PngInfo()
    with contextlib.suppress(TypeError, ValueError, struct.error):
        if "gamma" in info:
            chunks.add(b"gAMA", struct.pack(">I", round(float(info["gamma"]) * 100000)))
        if "chromaticity" in info and len(info["chromaticity"]) == 8:
            chunks.add(b"cHRM", struct.pack(">8I", *(round(float(v) * 100000) for v in info["chromaticity"])))
        if "srgb" in info:
            chunks.add(b"sRGB", bytes([int(info["srgb"]) & 3]))
    return chunks


def clean_bytes(data: bytes, extension: str) -> bytes:
    """The picture of ``data`` (an upload ending in ``extension``) as a new file of the same
    format: the pixels (upright; in sRGB where the upload had a profile), an animation's frames
    with their own durations, a PNG's gamma; nothing else. Raises OSError or ValueError when it
    cannot be read."""
    from PIL import Image, ImageOps, ImageSequence

    kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF"}.get(extension, "WEBP")
    with Image.open(io.BytesIO(data)) as opened:
        # Every frame is drawn on the whole canvas: the content check refuses more pixels than
        # this in all frames together, and none is decoded here either (a few hundred bytes of
        # 1-pixel frames on a large canvas would take minutes).
        canvas = gif_canvas(data) if kind == "GIF" else None  # frames may lie beyond the header's screen
        area = max(opened.width * opened.height, canvas[0] * canvas[1] if canvas else 0)
        if area * max(getattr(opened, "n_frames", 1), canvas[2] if canvas else 1) > MAX_PIXELS:
            raise ValueError("zu viele Pixel in allen Einzelbildern zusammen")
        info = dict(opened.info)
        icc = info.get("icc_profile")
        options: dict[str, Any] = {}
        if getattr(opened, "n_frames", 1) > 1:
            # An animation as it is: every frame, each with its own duration (no turning).
            durations = []
            for frame in ImageSequence.Iterator(opened):
                frame.load()  # WebP says a frame's duration once it is decoded
                durations.append(frame.info.get("duration", 0))
            opened.seek(0)
            options.update(save_all=True, duration=durations, loop=info.get("loop", 0))
            for name in ("background", "disposal", "blend"):
                if name in info:
                    options[name] = info[name]
            picture: Image.Image = opened
            icc = None  # its profile is dropped with the rest: frames keep their pixels
        else:
            turned = opened.getexif().get(ORIENTATION, 1) not in (None, 1)
            picture = ImageOps.exif_transpose(opened) if turned else opened
            picture.load()
            if kind == "JPEG":
                progressive = {"progressive": bool(info.get("progressive") or info.get("progression"))}
                if turned or icc:
                    options.update(JPEG_REDRAWN, **progressive)
                else:
                    # The same quantisation and subsampling: no visible loss.
                    options.update(quality="keep", subsampling="keep", qtables="keep", optimize=True,
                                   **progressive)
            if icc:
                picture = _to_srgb(picture, icc)
        if kind == "WEBP":
            options.update(WEBP_LOSSLESS if b"VP8L" in data else WEBP_LOSSY)
        if kind == "PNG":
            if options.get("save_all"):
                options.pop("background", None)
            if not icc:
                options["pnginfo"] = _png_colour_chunks({str(key): value for key, value in info.items()})
        transparency = info.get("transparency") if picture.mode in ("P", "L", "RGB", "LA", "PA") else None
        picture.info.clear()  # a comment, XMP, EXIF of the upload: none is written again
        if transparency is not None:
            picture.info["transparency"] = transparency
        buffer = io.BytesIO()
        picture.save(buffer, format=kind, **options)
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
        kept = self.derived / f"original-{VERSION}-{digest}{extension}" if self.derived is not None else None
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
