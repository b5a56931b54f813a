"""The backstop: every body's HTML passes one allowlist before any channel sees it.

Pages, feeds and emails all receive the same sanitised HTML. The allowlist is the HTML policy's
(``html_policy.py``), which refuses at its line whatever this would remove: the sanitiser is the
backstop, never the place where an editor's content disappears unnoticed.
"""

from __future__ import annotations

import re

from .html_policy import ATTRIBUTES, TAGS, URL_SCHEMES, loads_remote

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


def separate_alignment(fragment: str) -> str:
    """Table cells aligned by a class instead of an attribute or inline style."""
    return _ALIGN.sub(r'<\1\g<rest> class="sls-align-\g<side>"', fragment)


def sanitize(fragment: str) -> str:
    """``fragment`` reduced to the allowlist: no script, no handlers, no foreign schemes,
    nothing loaded from another host."""
    import nh3  # where content is read (the parsing pool), never in processes that write pages

    return str(nh3.clean(separate_alignment(fragment), tags=TAGS, attributes=ATTRIBUTES,
                         url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                         attribute_filter=_own_host_only))
