"""The Sveltia CMS bundle rewritten to load nothing from a CDN: its fonts from /admin/fonts/,
its locales, package data and lazily imported libraries from /admin/.

Run as a script by the build (``python plugins/cms/bundle.py SOURCE TARGET FONTS``): rewriting
the 2 MB bundle takes a few copies of it at once, which in the build's own process came on top
of everything the build holds, at the end of the build, where its memory peaks. It prints the
font families without a local file and the patterns a new version of the bundle lacks (JSON).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# fontsource CDN URL in the bundle → font file shipped in the package's npm/assets.
FONT_URL = re.compile(rb"https://cdn\.jsdelivr\.net/fontsource/fonts/(?P<family>[a-z0-9-]+)[:@][^/]+/"
                      rb"(?P<file>[a-z0-9-]+)\.woff2")

# Run-time fetches of the bundle from its CDN, pointed at copies served from /admin/ (resolved
# against the bundle's own address while it loads). The German interface is one of them: with
# the CDN blocked by our CSP the bundle would retry the locale without pause and freeze.
LOCAL_ASSETS = (
    (b"USe=`${iP}@${rP}/locales`",
     b"USe=new URL(`locales`,document.currentScript?.src||location.href).href"),
    (b"NSe=`${iP}/package.json`",
     b"NSe=new URL(`package.json`,document.currentScript?.src||location.href).href"),
    # Libraries the bundle imports on first use (its npm dependencies, at the versions npm
    # installed from our lock): the preview template needs Immutable.js, pasting formatted text
    # into the editor needs Turndown. Served from /admin/vendor/ (VENDOR in generator.py).
    (b"JW=e=>{let t=`https://unpkg.com/${e}`,n=Kfe[e]?.replace(/^\\D/,``);return n?`${t}@${n}`:t}",
     b"JW=e=>new URL(`vendor/${e}`,qW||location.href).href"),
    # Syntax highlighting of code blocks in the editor (Shiki: engine, languages, themes). Not
    # shipped: the import fails on our own host instead of reaching for unpkg.com, and code
    # blocks stay plain, as they were with the CDN blocked by the CSP.
    (b"gk=`https://unpkg.com/@shikijs`",
     b"gk=new URL(`vendor/@shikijs`,document.currentScript?.src||location.href).href"),
    (b"_k=`https://unpkg.com/@sveltia/ui`",
     b"_k=new URL(`vendor/@sveltia/ui`,document.currentScript?.src||location.href).href"),
    # The package's own CDN address, the base of what is left: the fallback for a chunk that
    # failed to load from /admin/chunks/, the schema address, the bundle's address for updates.
    (b"iP=`https://unpkg.com/@sveltia/cms`",
     b"iP=new URL(`vendor/@sveltia/cms`,document.currentScript?.src||location.href).href"),
)


def _local_assets(bundle: bytes) -> tuple[bytes, list[str]]:
    """Rewrite the bundle's CDN locations (LOCAL_ASSETS); report patterns a new version lacks."""
    missing = []
    for cdn, local in LOCAL_ASSETS:
        if cdn not in bundle:
            missing.append(cdn.decode())
        bundle = bundle.replace(cdn, local)
    return bundle, missing


def _local_fonts(bundle: bytes, fonts: dict[str, str]) -> tuple[bytes, list[str]]:
    """Point the bundle's CDN font URLs at /admin/fonts/; report families without a local file.

    Works on bytes: the 2 MB bundle as a str would cost four times the memory.
    """
    unknown: list[str] = []

    def swap(match: re.Match) -> bytes:
        family, file = match["family"].decode(), match["file"].decode()
        local = fonts.get(f"{family}-{file}")
        if local is None:
            unknown.append(family)
            return match.group(0)
        return f"fonts/{local}".encode()

    return FONT_URL.sub(swap, bundle), unknown


def localize(source: Path, target: Path, fonts: dict[str, str]) -> dict[str, list[str]]:
    code, unknown = _local_fonts(source.read_bytes(), fonts)
    code, missing = _local_assets(code)
    target.write_bytes(code)
    return {"unknown": unknown, "missing": missing}


if __name__ == "__main__":
    print(json.dumps(localize(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))))
