"""Pelican generator: makes the PDFs before the event and newsletter pages are written (this
plugin's generator comes before theirs), so that those pages can say each PDF's size and
page count, and places them into the site."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican.generators import Generator

from plugins.programme.build_state import state_of

from .editions import Edition, Editions, css_string
from .pdf import LocalFiles, PrintCache, PrintDocument, place

CONTEXT_KEY = "print_editions"  # page url → the PDFs that page offers


def enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("PRINT_EDITIONS", True)) and os.environ.get("SLS_PRINT", "1") != "0"


class PaperGenerator(Generator):  # type: ignore[misc]
    """Reads the composed newsletter issues and the events; writes one PDF per edition."""

    def generate_context(self) -> None:
        # Filled in generate_output, once every generator has read its content; the pages that
        # offer PDFs are written after that.
        self.context[CONTEXT_KEY] = {}

    def offers(self, editions: Editions) -> list[tuple[str, str, PrintDocument]]:
        """(page url, link text, document) of every PDF of this build."""
        found = [(issue.url, title, document) for issue in self.context.get("newsletter_issues", [])
                 for title, document in editions.issue(issue)]
        agenda = self.context.get("agenda")
        for event in agenda.events if agenda is not None else []:
            title, document = editions.poster(event)
            found.append((event.url, title, document))
        return found

    def generate_output(self, writer: Any) -> None:
        if not enabled(self.settings):
            return
        settings = self.settings
        base = settings.get("PUBLIC_URL") or settings.get("SITEURL") or "http://127.0.0.1:8000"
        env = self.env.overlay(loader=ChoiceLoader([FileSystemLoader(Path(self.theme) / "print"),
                                                    self.env.loader]))
        env.filters["css_string"] = css_string
        offers = self.offers(Editions(env, state_of(settings).programme, base))
        files = LocalFiles(base, Path(settings["PATH"]), settings.get("STATIC_PATHS", ["images"]))
        made = PrintCache(Path(settings["CACHE_PATH"]) / "print", files).make(
            [document for _url, _title, document in offers])
        shelf = self.context[CONTEXT_KEY]
        for url, title, document in offers:
            shelf.setdefault(url, []).append(Edition(title, made[document.path]))
        place(made.values(), Path(self.output_path))
