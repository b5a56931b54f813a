"""The backstop: every body's HTML passes one allowlist before any channel sees it.

Pages, feeds and emails all receive the same sanitised HTML. The allowlist is what
Markdown (with the configured extensions) and our templates produce, plus the few
elements editors may use on purpose (documented in the README for editors).
"""

from __future__ import annotations

import re

import nh3

from .html_policy import loads_remote

# What the Markdown renderer writes (tables, footnotes, fenced code; markdown_body.py) and what
# editors may write on purpose (definition lists and abbreviations as HTML).
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "source",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "track", "u", "ul", "var", "video",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "playsinline", "muted"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # relative addresses ({static}/…) pass unchanged
# Attributes the browser loads with the page: only from our own host (links may go anywhere).
LOADED = {"src", "srcset", "poster"}


def _own_host_only(_tag: str, attribute: str, value: str) -> str | None:
    if attribute in LOADED and any(loads_remote(part.strip()) for part in value.split(",")):
        return None
    return value


# Table columns come aligned by the obsolete align attribute (Markdown) or an inline style (HTML),
# which the CSP (style-src 'self') blocks: the same alignment as a class of the site's stylesheet.
_ALIGN = re.compile(r'<(t[hd])(?P<rest>[^<>]*?) (?:align="|style="text-align: ?)'
                    r'(?P<side>left|right|center);?"')


def sanitize(fragment: str) -> str:
    """``fragment`` reduced to the allowlist: no script, no handlers, no foreign schemes,
    nothing loaded from another host."""
    fragment = _ALIGN.sub(r'<\1\g<rest> class="sls-align-\g<side>"', fragment)
    return str(nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                         link_rel=None, strip_comments=True, attribute_filter=_own_host_only))
