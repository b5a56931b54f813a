"""Remove GPS location data from photos before they are committed (pre-commit hook).

    python -m pipeline.strip_location content/images/foto.jpg …

A phone photo records where it was taken; uploads are committed to a public repository.
The picture itself is kept (JPEG without re-compression); the GPS block goes, and so do the
XMP packet, IPTC block, PNG text chunks and comments (coordinates and place names can be
written there too).
Exit 1 when a file was changed, so the commit stops and the cleaned file can be added.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from plugins.programme.uploads import GPS_IFD, has_location

PHOTOS = (".jpg", ".jpeg", ".png", ".webp")


def strip_location(path: Path) -> bool:
    """Remove the GPS block of ``path``; True when the file changed."""
    if path.suffix.lower() not in PHOTOS or not has_location(path):
        return False
    with Image.open(path) as image:
        exif = image.getexif()
        exif.pop(GPS_IFD, None)
        # Written again: the picture, its colour profile and EXIF without GPS; not written again:
        # XMP, IPTC (APP13), PNG text chunks and comments - each can name a place.
        options: dict[str, object] = {"quality": "keep"} if image.format == "JPEG" else {}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        image.load()
        image.info.pop("comment", None)
        image.save(path, format=image.format, exif=exif, **options)
    return True


def main(argv: list[str] | None = None) -> int:
    changed = [path for path in map(Path, argv if argv is not None else sys.argv[1:]) if strip_location(path)]
    for path in changed:
        print(f"{path}: Standortdaten (GPS) entfernt – Datei erneut hinzufügen (git add)", file=sys.stderr)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
