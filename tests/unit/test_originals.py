"""A published photo is redrawn from its pixels (plugins/programme/originals.py): what a reader
sees stays as the upload showed it (animations with their timing, lossless stays lossless, a
PNG's gamma), and nothing else of the file survives, not even the text a colour profile holds."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageCms, ImageSequence

from plugins.programme.originals import clean_bytes


def _frames(data: bytes) -> list[tuple[Image.Image, int]]:
    with Image.open(io.BytesIO(data)) as image:
        found = []
        for frame in ImageSequence.Iterator(image):
            frame.load()
            found.append((frame.convert("RGBA"), frame.info.get("duration", 0)))
        return found


def _animation(kind: str) -> bytes:
    frames = [Image.new("RGB", (24, 24), colour) for colour in ("red", "green", "blue", "white")]
    out = io.BytesIO()
    frames[0].save(out, format=kind, save_all=True, append_images=frames[1:], duration=[50, 400, 90, 1000],
                   loop=0, **({"lossless": True} if kind == "WEBP" else {}))
    return out.getvalue()


def test_an_animation_keeps_every_frame_and_each_frames_duration() -> None:
    for kind, extension in (("GIF", ".gif"), ("PNG", ".png"), ("WEBP", ".webp")):
        before, after = _frames(_animation(kind)), _frames(clean_bytes(_animation(kind), extension))
        assert [duration for _f, duration in after] == [50, 400, 90, 1000], kind
        pairs = zip(before, after, strict=True)
        assert all(ImageChops.difference(a, b).getbbox() is None for (a, _), (b, _) in pairs), kind


def test_a_lossless_picture_stays_lossless_and_a_pngs_gamma_stays() -> None:
    stripes = Image.new("RGB", (60, 20), "white")
    for x in range(0, 60, 2):
        stripes.paste((255, 0, 0) if x % 4 else (0, 0, 255), (x, 0, x + 1, 20))
    webp, png = io.BytesIO(), io.BytesIO()
    stripes.save(webp, format="WEBP", lossless=True)
    stripes.save(png, format="PNG")
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add(b"gAMA", (100000).to_bytes(4, "big"))  # gamma 1.0: browsers draw it brighter
    with_gamma = io.BytesIO()
    stripes.save(with_gamma, format="PNG", pnginfo=info)
    for data, extension in ((webp.getvalue(), ".webp"), (png.getvalue(), ".png")):
        with Image.open(io.BytesIO(clean_bytes(data, extension))) as cleaned:
            assert ImageChops.difference(cleaned.convert("RGB"), stripes).getbbox() is None, extension
    with Image.open(io.BytesIO(clean_bytes(with_gamma.getvalue(), ".png"))) as cleaned:
        assert cleaned.info.get("gamma") == 1.0


def test_a_colour_profile_is_applied_never_published() -> None:
    # A profile may carry any text (a description, a private tag): the picture is converted to
    # sRGB and the profile is dropped, readable or not.
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    secret = b"Aufgenommen Rathausplatz 1, Wuerzburg"
    for profile in (srgb + secret, srgb.replace(b"sRGB", b"Ratz", 1) + secret):
        for extension, kind in ((".jpg", "JPEG"), (".png", "PNG"), (".webp", "WEBP")):
            out = io.BytesIO()
            Image.new("RGB", (32, 32), (200, 40, 40)).save(out, format=kind, icc_profile=profile)
            assert secret in out.getvalue() or kind == "PNG"  # PNG compresses its profile
            cleaned = clean_bytes(out.getvalue(), extension)
            assert secret not in cleaned
            with Image.open(io.BytesIO(cleaned)) as image:
                assert "icc_profile" not in image.info and image.size == (32, 32)
