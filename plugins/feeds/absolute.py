"""Make every URL in an HTML fragment absolute: feed readers have no base URL."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

_URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data")


def absolute_html(fragment: str, base: str) -> str:
    """Return ``fragment`` with href/src/srcset resolved against ``base``."""
    if not fragment.strip():
        return fragment
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        for attribute in _URL_ATTRIBUTES:
            value = element.get(attribute)
            # A "#part" link resolves to the article's own page, like in a browser.
            if value is not None and not value.startswith(("mailto:", "tel:", "data:")):
                element.set(attribute, urljoin(base, value.strip()))
        srcset = element.get("srcset")
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base))
    inner = (root.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner


def _absolute_srcset(srcset: str, base: str) -> str:
    candidates = []
    for candidate in re.split(r",\s+", srcset.strip()):
        parts = candidate.strip().split(maxsplit=1)
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)
