"""The text/plain form of rendered, sanitised HTML: what the email's text part shows.

Made from the same HTML the email shows (never from the Markdown source): whatever the sanitiser
removed — comments, raw HTML — cannot reach the text part either.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr",
                     "table", "ul", "ol", "section", "dl", "dt", "dd", "hr"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.links: list[tuple[str, int]] = []  # (href, where the link's text starts)

    def _new_block(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._new_block()
        if tag == "li":
            self.blocks[-1].append("- ")
        elif tag == "br":
            self.blocks[-1].append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.blocks[-1])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.blocks[-1][start:])
            if href and not href.startswith("#") and href not in shown:
                self.blocks[-1].append(f" ({href})")
        if tag in _BLOCKS:
            self._new_block()

    def handle_data(self, data: str) -> None:
        self.blocks[-1].append(re.sub(r"\s+", " ", data))  # spaces between inline elements stay


def plain_text(html: str) -> str:
    """Paragraphs separated by a blank line; links as "text (address)"."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    paragraphs = ("".join(block).strip() for block in parser.blocks)
    return "\n\n".join(re.sub(r" {2,}", " ", part) for part in paragraphs if part)
