"""``invoke catalogues``: bring the interface translations up to date with the templates.

Writes ``theme/locale/sls.pot`` (every message the templates and plugins hand to the catalogues,
German, the source) and adds what is new to each ``theme/locale/<key>/LC_MESSAGES/sls.po`` with
an empty translation (German is shown until a translator fills it in; `invoke check --fast`
counts them). Messages the templates no longer use are kept as obsolete (``#~``), never lost.
"""

from __future__ import annotations

import io
import sys

from plugins.programme.catalogues import DOMAIN, LOCALE, interface_messages, missing_translations


def main() -> int:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(domain=DOMAIN, project="stadt.land.smart", charset="utf-8")
    for message, places in sorted(interface_messages().items(), key=lambda item: str(item[0])):
        flags = ("python-format",) if "%(" in str(message) else ()
        template.add(message, locations=[(place, 0) for place in sorted(set(places))], flags=flags)
    pot = LOCALE / f"{DOMAIN}.pot"
    if pot.is_file():  # unchanged messages keep their date: no change in the repository for nothing
        with pot.open("rb") as stream:
            before = read_po(stream, domain=DOMAIN)
        if [(m.id, m.flags) for m in before if m.id] == [(m.id, m.flags) for m in template if m.id]:
            template.creation_date = before.creation_date
    buffer = io.BytesIO()
    write_po(buffer, template, omit_header=False, no_location=True, width=100)
    pot.write_bytes(buffer.getvalue())
    for path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with path.open("rb") as po:
            catalog = read_po(po, locale=None, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, no_location=True, width=100, include_previous=False)
        path.write_bytes(buffer.getvalue())
    for key, lacking in missing_translations().items():
        print(f"{key}: {len(lacking)} Text{'e' if len(lacking) != 1 else ''} ohne Übersetzung")
    return 0


if __name__ == "__main__":
    sys.exit(main())
