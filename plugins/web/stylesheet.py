"""The site's one stylesheet: the programme's design tokens plus the theme's CSS, named by its hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    def write(self, output: Path) -> None:
        target = output / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.text, encoding="utf-8")


def stylesheet(design: dict[str, Any], styles: Path, static_dir: str) -> Stylesheet:
    """Tokens first, then every ``*.css`` of the theme in name order."""
    from rcssmin import cssmin  # comments and layout whitespace are a tenth of every first visit

    text = cssmin("\n".join([design_tokens_css(design),
                              *(path.read_text(encoding="utf-8") for path in sorted(styles.glob("*.css")))]))
    # A content hash in the name lets servers cache the stylesheet forever.
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return Stylesheet(text, f"{static_dir}/css/site.{digest}.css")
