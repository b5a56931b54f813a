"""What a browser may load and send from our pages: one policy, written out for every channel.

The pages carry it as a meta tag, the hosting files (``plugins/web/hosting.py``) as real
HTTP headers: only a header can set ``frame-ancestors``, cover SVG and JSON files, or add
HSTS. Derived from the programme data (the sign-up form's origin, the CMS's git host).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from .model import Programme
from .placeholders import is_placeholder
from .programme_values import HOST
from .signup import signup_actions

# The origin as a CSP source, which also reaches server configuration: a host name or address
# and a port, nothing else (the programme data check says what is wrong with anything else).
_NETLOC = re.compile(rf"{HOST}(?::[0-9]{{1,5}})?")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not _NETLOC.fullmatch(parts.netloc) or is_placeholder(url):
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _prefix(url: str) -> str | None:
    """A CSP source for everything under ``url``: a path matches as a prefix only if it ends in /."""
    origin = _origin(url)
    if origin is None:
        return None
    return origin + quote(urlsplit(url).path.rstrip("/") + "/", safe="/-._~%")


def signup_origins(programme: Programme) -> list[str]:
    """The origins the sign-up forms of all languages are sent to."""
    return list(dict.fromkeys(filter(None, (_origin(action) for action in signup_actions(programme)))))


def site_csp(programme: Programme, *, meta: bool = False) -> str:
    """The policy of every page. ``meta``: without what a meta tag may not carry."""
    forms = " ".join(["'self'", *signup_origins(programme)])
    directives = ["default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'",
                  "object-src 'none'", "base-uri 'self'", f"form-action {forms}"]
    if not meta:
        directives.append("frame-ancestors 'self'")
    return "; ".join(directives)


SEARCH_PATH = "suche/"  # the one page that runs script: the search


def search_csp(programme: Programme, *, meta: bool = False) -> str:
    """The search page: the site's policy, plus WebAssembly for Pagefind's index (its code is a
    file from this site; still no inline script and no eval)."""
    return site_csp(programme, meta=meta).replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


def git_host_sources(programme: Programme) -> list[str]:
    """What the CMS talks to after login: the git host's API and its OAuth token endpoint."""
    cms = programme.data.get("cms") or {}
    sources: list[str] = []
    if cms.get("backend", "gitlab") == "github":
        sources.append(_prefix(str(cms.get("api_root") or "https://api.github.com")) or "")
    else:
        base = str(cms.get("base_url") or "https://gitlab.com")
        sources += [_prefix(str(cms.get("api_root") or base + "/api/v4")) or "",
                    _prefix(base + "/oauth") or ""]
    return [source for source in dict.fromkeys(sources) if source]


def admin_csp(programme: Programme, *, meta: bool = False) -> str:
    """The editors' CMS at /admin/ (Sveltia's own advice plus the git host)."""
    connect = " ".join(["'self'", "data:", "blob:", *git_host_sources(programme)])
    directives = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
                  "img-src 'self' data: blob:", "font-src 'self'", "media-src 'self' blob:",
                  # The preview pane is a blob: frame styled with the site's stylesheet.
                  f"connect-src {connect}", "frame-src 'self' blob:", "object-src 'none'", "base-uri 'self'",
                  "form-action 'self'"]
    if not meta:
        directives.append("frame-ancestors 'self'")
    return "; ".join(directives)


# An SVG opened directly is a document of its own: no script, no loading, own styles only.
# form-action does not fall back to default-src: it needs its own 'none'.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'"
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "SAMEORIGIN",
}
