"""Interface text in the site's other languages: gettext catalogues, German as the source.

``theme/locale/<edition>/LC_MESSAGES/sls.po`` holds one edition's translations of the German
interface text (any translator's tool opens a .po file); Babel reads it at build time, so no
compiled file is kept in the repository. A message without a translation stays German.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from typing import Any

from jinja2 import pass_context

from .formatting import date_de

LOCALE = Path(__file__).resolve().parent.parent.parent / "theme" / "locale"
DOMAIN = "sls"


@functools.cache
def catalogue(key: str) -> gettext.NullTranslations:
    """The translations of edition ``key``; none (German) where it has no catalogue."""
    path = LOCALE / key / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        read = read_po(po, locale=None, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, read, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def say(key: str, message: str, **values: Any) -> str:
    """``message`` in edition ``key``, with ``%(name)s`` filled from ``values``."""
    text = catalogue(key).gettext(message)
    return text % values if values else text


def page_edition(context: Any, default: str) -> str:
    """The edition of the page a template renders: its post's, page's or event's language."""
    edition = context.get("edition")
    if isinstance(edition, str) and edition:
        return edition
    for name in ("article", "page", "event"):
        item = context.get(name)
        lang = getattr(item, "lang", None)
        if lang:
            return str(lang)
    return default


def install(env: Any, default: str, lang_of: Any = None) -> None:
    """``_()`` and ``{% trans %}`` in templates speak the language of the page they render."""

    @pass_context
    def translated(context: Any, message: str) -> str:
        return catalogue(page_edition(context, default)).gettext(message)

    @pass_context
    def translated_plural(context: Any, singular: str, plural: str, number: int) -> str:
        return catalogue(page_edition(context, default)).ngettext(singular, plural, number)

    @pass_context
    def local_date(context: Any, moment: Any) -> str:
        """A date as the page's language writes it; German ones as the site always did."""
        key = page_edition(context, default)
        tag = lang_of(key) if lang_of else key
        if key == default or tag == "de":
            return date_de(moment)
        from babel.dates import format_date

        return str(format_date(moment, format="long", locale=tag.replace("-", "_")))

    env.add_extension("jinja2.ext.i18n")
    env.globals["local_date"] = local_date
    env.install_gettext_callables(translated, translated_plural, newstyle=True)
    env.globals["say"] = say
