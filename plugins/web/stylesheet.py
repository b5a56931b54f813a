"""The site's stylesheets: the programme's design tokens plus the theme's CSS, named by their hash.

Every page links exactly one stylesheet. The theme's ``styles/*.css`` are in all of them (an
article page needs nothing else); the rules only some pages need are *parts*
(``styles/parts/<name>.css``: lists, forms, search, charts), added for a page whose template
says ``{% block style_parts %}lists charts{% endblock %}``. A block, not a variable: the most
derived template's choice wins, as with every block, wherever it stands. One stylesheet is made
for each combination the templates name, so a post's page does not carry the rules of the
sign-up form, the search page or the charts (a phone on a slow connection loads a quarter less).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from plugins.programme.programme_values import COLOUR, COLOUR_NAMES


def design_tokens_css(design: dict[str, Any]) -> str:
    """CSS custom properties for the light and dark colour schemes."""
    schemes = design.get("colors", {})

    def block(colours: dict[str, str]) -> str:
        # Only the design's own names and real colours (the build refuses anything else first).
        return "".join(f"--sls-color-{name.replace('_', '-')}:{str(value).strip()};"
                       for name, value in colours.items()
                       if name in COLOUR_NAMES and COLOUR.fullmatch(str(value).strip()))

    css = f":root{{color-scheme:light dark;{block(schemes.get('light', {}))}}}\n"
    if "dark" in schemes:
        css += f"@media (prefers-color-scheme:dark){{:root{{{block(schemes['dark'])}}}}}\n"
    return css


@dataclass(frozen=True)
class Stylesheet:
    text: str
    path: str  # relative to the output folder


PARTS = "parts"
# A template's choice of parts: words in its block style_parts (base.html links the sheet).
DECLARED = re.compile(r"{%-?\s*block\s+style_parts\s*-?%}(.*?){%-?\s*endblock", re.S)


class UnknownStylePart(ValueError):
    """A template names a part the theme does not have."""


def parts_key(parts: str) -> str:
    """One name per combination, whatever the order or spacing of its words."""
    return " ".join(sorted(set(str(parts).split())))


def declared_parts(templates: Path) -> set[str]:
    """Every combination of parts the theme's templates name in a block style_parts."""
    found = set()
    for path in sorted(templates.rglob("*.html")):
        for match in DECLARED.finditer(path.read_text(encoding="utf-8")):
            if "{" in match.group(1):
                raise UnknownStylePart(f"{path.relative_to(templates)}: the block style_parts holds template "
                                       "code; name the parts as plain words (lists, forms, search, charts)")
            found.add(parts_key(match.group(1)))
    return found


def _base(design: dict[str, Any], styles: Path) -> list[str]:
    """What every stylesheet holds: the tokens, then every ``*.css`` of the theme in name order."""
    files = sorted(styles.glob("*.css"))
    return [design_tokens_css(design), *(path.read_text(encoding="utf-8") for path in files)]


def _sheet(base: list[str], styles: Path, static_dir: str, parts: str) -> Stylesheet:
    from rcssmin import cssmin  # comments and layout whitespace are a tenth of every first visit

    texts = list(base)
    for name in parts_key(parts).split():
        part = styles / PARTS / f"{name}.css"
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name) or not part.is_file():
            raise UnknownStylePart(f"style_parts names {name!r}, which is not in {styles / PARTS}")
        texts.append(part.read_text(encoding="utf-8"))
    text = cssmin("\n".join(texts))
    # A content hash in the name lets servers cache the stylesheet forever.
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return Stylesheet(text, f"{static_dir}/css/site.{digest}.css")


def stylesheet(design: dict[str, Any], styles: Path, static_dir: str, parts: str = "") -> Stylesheet:
    """The theme's stylesheet with the named parts after it."""
    return _sheet(_base(design, styles), styles, static_dir, parts)


def stylesheets(design: dict[str, Any], theme: Path, static_dir: str) -> dict[str, Stylesheet]:
    """The stylesheet of every combination of parts the templates name (keyed by ``parts_key``;
    "" for pages that name none), the theme's files read once."""
    styles = theme / "styles"
    base = _base(design, styles)
    return {parts: _sheet(base, styles, static_dir, parts)
            for parts in sorted({"", *declared_parts(theme / "templates")})}


class StylesheetFor:
    """``stylesheet_for(self.style_parts())`` in base.html: the address of the page's stylesheet."""

    def __init__(self, sheets: dict[str, Stylesheet]) -> None:
        self.sheets = sheets

    @pass_context
    def __call__(self, context: Context, parts: str = "") -> str:
        try:
            return self.sheets[parts_key(parts)].path
        except KeyError:
            raise UnknownStylePart(f"{context.name}: style_parts {parts_key(parts)!r} is no combination a "
                                   "template names as plain words "
                                   "({% block style_parts %}lists{% endblock %})") from None
