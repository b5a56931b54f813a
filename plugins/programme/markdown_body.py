"""Markdown to HTML for post, page and editorial bodies: CommonMark with GitHub's extensions.

Bodies are CommonMark as the CMS's editor writes it (a list nested by two spaces is a nested
list) plus GitHub's tables, strikethrough, bare-address links and footnotes, rendered by
cmark-gfm (the renderer PyPI uses for project descriptions). Its output is adjusted to this
site here, in one place: Pelican's ``{static}``/``{filename}`` links, placeholders marked,
footnote back-links named in the site's language; then the sanitiser has the last word.
"""

from __future__ import annotations

import re
from html import escape

from .commonmark import to_html
from .placeholders import mark_placeholders
from .sanitize import sanitize
from .tree import Source

DEFAULT_BACKLINK_TITLE = "Zurück zur Fußnote {number} im Text"

# cmark percent-encodes the braces of Pelican's link markers ({static}, {filename}, …).
_LINK_MARKER = re.compile(r'(?P<attr>\s(?:href|src)=")%7B(?P<what>[a-z]+)%7D')
_BACKLINK = re.compile(r'<a href="#(?P<ref>fnref-[^"]+)" class="footnote-backref" data-footnote-backref '
                       r'data-footnote-backref-idx="(?P<number>[^"-]+)[^"]*" aria-label="[^"]*"')
_FOOTNOTES = '<section class="footnotes" data-footnotes>'
# "<" before a name CommonMark does not take for a tag ("<https:", "<x.y"): the sanitiser's HTML
# parser would read a tag and drop it with its text, so it is escaped to the text it is.
# The same for a start tag a block boundary cut off before its ">" ("- <track" then an unindented
# line): the sanitiser's parser would read cmark's "</li>" as its attributes.
_NOT_A_TAG = re.compile(r"<(?=/?[A-Za-z][A-Za-z0-9-]*+[^A-Za-z0-9\s/>-]"
                        r"|[A-Za-z][A-Za-z0-9-]*+(?:\s++[^\s\"'>/=<]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'"
                        r"|[^\s\"'=<>`]++))?+)*+\s*+(?:<|\Z))")
# "## Termine {#termine}": a heading's own anchor (as in Pandoc and Python-Markdown), so that a
# link to "#termine" keeps working when the heading's text is reworded.
_HEADING_ID = re.compile(r"\{:?\s*#(?P<id>[A-Za-z][\w.-]*)\s*\}</(?P<tag>h[1-6])>")


def render(markdown: str, line_breaks: bool = False,
           backlink_title: str = DEFAULT_BACKLINK_TITLE) -> str:
    """``markdown`` as sanitised HTML: the same for pages, feeds and emails. ``line_breaks``
    keeps every line break (Leichte Sprache: one sentence per line)."""
    return sanitize(unsanitised(markdown, line_breaks, backlink_title))


def unsanitised(markdown: str, line_breaks: bool = False,
                backlink_title: str = DEFAULT_BACKLINK_TITLE) -> str:
    """``render`` before the sanitiser: what the HTML policy must have judged completely."""
    html = to_html(markdown, hard_breaks=line_breaks)
    html = _LINK_MARKER.sub(r"\g<attr>{\g<what>}", html)
    if "<" in html:  # "<https:…" in an HTML block: text to Markdown, a tag to the sanitiser's parser
        html = _NOT_A_TAG.sub("&lt;", html)
    if "{" in html:
        html = _heading_ids(html)
    if _FOOTNOTES in html:
        html = _footnotes(html.replace(" data-footnote-ref>", ">"), backlink_title)  # cmark's marker
    return mark_placeholders(html)


def _heading_ids(html: str) -> str:
    """Each heading ending in an anchor "{#id}" gets that id. Found from the anchor back to its
    heading's start on the same line, each stretch of text looked at once (linear in any input)."""
    out, kept, searched = [], 0, 0
    for anchor in _HEADING_ID.finditer(html):
        tag = anchor["tag"]
        low = max(searched, html.rfind("\n", searched, anchor.start()) + 1)
        start = html.rfind(f"<{tag}>", low, anchor.start())
        searched = anchor.end()
        if start < 0:
            continue
        text = html[start + len(tag) + 2:anchor.start()].rstrip()
        out += [html[kept:start], f'<{tag} id="{anchor["id"]}">{text}</{tag}>']
        kept = anchor.end()
    return "".join([*out, html[kept:]])


def _footnotes(html: str, backlink_title: str) -> str:
    """cmark's footnote section as the site shows it: a list after a rule, each back-link named
    (its text is only "↩") in the site's language."""
    head, _, notes = html.rpartition(_FOOTNOTES)
    notes = notes.rstrip().removesuffix("</section>")
    notes = _BACKLINK.sub(lambda m: f'<a href="#{m["ref"]}" class="footnote-backref" '
                          f'title="{escape(backlink_title.format(number=m["number"]))}"', notes)
    return f'{head}<div class="footnote"><hr>{notes}</div>\n'


class BodyRenderer:
    """Renders the bodies of one build with its settings."""

    def __init__(self, backlink_title: str = DEFAULT_BACKLINK_TITLE) -> None:
        self.backlink_title = backlink_title

    def html(self, source: Source) -> str:
        return render(source.post.body, source.post.meta.get("line_breaks") is True, self.backlink_title)

