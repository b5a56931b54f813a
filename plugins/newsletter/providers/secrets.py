"""Secrets of the sending configuration: which they are, and how they are kept out of every line.

A secret can surface in an error message in other spellings than it was set: with the
trailing newline of a copied token, escaped (``\\n``) in a ``repr``, or URL-encoded. Every
such form is masked.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import quote, quote_plus, urlsplit

SECRET_VARIABLES = ("LISTMONK_TOKEN", "BREVO_API_KEY", "SMTP_PASSWORD")
MASK = "***"


def secret_values(env: Mapping[str, str]) -> list[str]:
    """The secret values present in ``env``, as set (surrounding whitespace included)."""
    return [env[name] for name in SECRET_VARIABLES if env.get(name, "").strip()]


def _spellings(value: str) -> set[str]:
    forms = set()
    for base in {value, value.strip()}:
        forms |= {base, base.encode("unicode_escape").decode("ascii"), quote(base, safe=""), quote_plus(base),
                  repr(base)[1:-1]}
    return {form for form in forms if len(form.strip()) >= 4}


# Control characters (escape sequences would act in a terminal: clear the screen, rename the
# window, hide lines), the line and paragraph separators, and Unicode's format characters
# (category Cf, as of Python 3.11's Unicode 14: soft hyphens, zero widths, bidi controls that
# reorder a log, tag characters that carry hidden text) but the joiners emoji and Persian need
# (U+200C, U+200D).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
                       "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b"
                       "\u200e-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
                       "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
                       "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def printable(text: str) -> str:
    """``text`` with every control character but line breaks and tabs as "?": what a server
    answers reaches a terminal or a CI log."""
    return _CONTROLS.sub("?", text)


def server_text(value: object, limit: int = 300, redact: Redactor | None = None) -> str:
    """A text a server sent, as one printable line of at most ``limit`` characters: it cannot
    forge a line of this program's own output, nor fill the log. Secrets are masked before it
    is cut (a secret cut in two would not be recognised any more)."""
    text = " ".join(printable(str(value)).split())
    if redact is not None:
        text = redact(text)
    return text if len(text) <= limit else text[:limit] + " …"


class Redactor:
    """Masks every spelling of every secret in a text; longest first, so no part is left over."""

    def __init__(self, values: list[str]) -> None:
        self._forms = sorted({form for value in values for form in _spellings(value)}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, MASK)
        return text


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def transport_problem(name: str, url: str) -> str | None:
    """Why ``url`` may not carry credentials, or None: https only (plain http on loopback for
    tests), and no user or password in the address itself (it would be printed with it, and
    would replace the key)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{name} ist keine Internetadresse – z. B. https://newsletter.example.de"
    if "@" in parts.netloc:
        return (f"{name} enthält Zugangsdaten (name:passwort@…) – lass sie weg; der Schlüssel gehört in "
                "seine eigene Variable")
    scheme = parts.scheme.lower()
    if scheme == "https" or (scheme == "http" and is_loopback(url)):
        return None
    return f"{name} muss mit https:// beginnen (sonst ginge der Schlüssel unverschlüsselt über das Netz)"
