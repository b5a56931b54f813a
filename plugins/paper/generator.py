"""Pelican generator: makes the PDFs before the event and newsletter pages are written (this
plugin's generator comes before theirs), so that those pages can say each PDF's size and
page count, and places them into the site."""

from __future__ import annotations

import json
from collections.abc import Container
from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican.generators import Generator

from plugins.engine.outputs import NO_POSTS, select, shows
from plugins.programme.build_state import state_of
from plugins.programme.files import write_atomically

from .editions import Edition, Editions, css_string, page_numbers
from .pdf import LocalFiles, PrintCache, PrintDocument, PrintedFile, place, start_ahead

CONTEXT_KEY = "print_editions"  # page url → the PDFs that page offers


def enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("PRINT_EDITIONS", True))


# What goes on paper is bounded, so that the print editions cost the same on a site with ten
# issues and sixty events as on one with a hundred issues and years of dates (pelicanconf.py).
NEWEST_ISSUES = 1  # PRINT_ISSUES: the newest issues are the ones laid out and handed on
POSTER_DAYS = 90  # PRINT_POSTER_DAYS: a notice goes up weeks before, not a year


def newest(issues: list[Any], count: int) -> list[Any]:
    """The ``count`` issues with the highest numbers (the record's order is the editors')."""
    return sorted(issues, key=lambda issue: issue.number)[-count:] if count > 0 else []


class PaperGenerator(Generator):  # type: ignore[misc]
    """Reads the composed newsletter issues and the events; writes one PDF per edition."""

    # Only the event and newsletter pages (written after it) show the PDFs: in a cold build it
    # runs while the posts' pages are being written (plugins.engine).
    beside_writers = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made before any content is read: a first build starts its PDF renderer now.
        self.ahead = start_ahead(self.store) if enabled(self.settings) else []

    @property
    def store(self) -> Path:
        return Path(self.settings["CACHE_PATH"]) / "print"

    def generate_context(self) -> None:
        # Filled in generate_output, once every generator has read its content; the pages that
        # offer PDFs are written after that.
        self.context[CONTEXT_KEY] = {}

    def offers(self, editions: Editions, reused: Container[str]) -> list[tuple[str, str, PrintDocument]]:
        """(page url, link text, document) of every PDF this build must make: all but those of
        the ``reused`` pages (rendering a document costs as much as a page, even when its PDF
        is cached)."""
        found = [(issue.url, title, document) for issue in self.issues() if issue.url not in reused
                 for title, document in editions.issue(issue)]
        for event in self.events():
            if event.url not in reused:
                title, document = editions.poster(event)
                found.append((event.url, title, document))
        return found

    def issues(self) -> list[Any]:
        """The issues with print editions: the newest few (PRINT_ISSUES). An older issue's
        archive page stays, and prints from the browser (theme/styles/90-print.css)."""
        return newest(list(self.context.get("newsletter_issues", [])),
                      int(self.settings.get("PRINT_ISSUES", NEWEST_ISSUES)))

    def events(self) -> list[Any]:
        """Every event with a poster: each one not yet over and starting within the next
        PRINT_POSTER_DAYS (nobody pins up a notice for a meeting that has taken place, or a year
        ahead; a cancelled or moved one is still news), in each of its languages. The build's
        day is in every page's fingerprint (plugins/engine/plan.py): the day an event enters the
        window, or is over, its page is written again with or without the poster."""
        agenda = state_of(self.settings).shared.agenda
        horizon = agenda.now + timedelta(days=int(self.settings.get("PRINT_POSTER_DAYS", POSTER_DAYS)))
        return [version for event in agenda.upcoming if event.when.sort_key(agenda.zone) <= horizon
                for version in (event, *event.translations)]

    def reusable(self, store: Path) -> dict[str, list[Edition]]:
        """The last build's editions that this build would make the same: those of the pages
        whose content the build proved unchanged (a poster shows its event only, an issue's
        edition its posts)."""
        pages = [(event.url, NO_POSTS) for event in self.events()]
        pages += [(issue.url, shows(issue.posts)) for issue in self.issues()]
        same = {url for url, _shows in pages} - {url for url, _shows in select(self.settings, pages,
                                                                               lambda page: page[1])}
        if not same:
            return {}
        return {url: editions for url, editions in load_shelf(store).items() if url in same}

    def generate_output(self, writer: Any) -> None:
        if not enabled(self.settings):
            return
        settings = self.settings
        base = settings.get("PUBLIC_URL") or settings.get("SITEURL") or "http://127.0.0.1:8000"
        env = self.env.overlay(loader=ChoiceLoader([FileSystemLoader(Path(self.theme) / "print"),
                                                    self.env.loader]))
        env.filters["css_string"] = css_string
        env.filters["page_numbers"] = page_numbers
        store = self.store
        shelf = self.context[CONTEXT_KEY]
        shelf.update(self.reusable(store))
        offers = self.offers(Editions(env, state_of(settings).programme, base), shelf)
        files = LocalFiles(base, Path(settings["PATH"]), settings.get("STATIC_PATHS", ["images"]))
        made = PrintCache(store, files, self.ahead).make([document for _url, _title, document in offers])
        fresh = [Edition(title, made[document.path]) for _url, title, document in offers]
        for (url, _title, _document), edition in zip(offers, fresh, strict=True):
            shelf.setdefault(url, []).append(edition)
        # The site keeps the PDFs this build reuses: only the new ones are placed.
        place([edition.file for edition in fresh], Path(self.output_path))
        save_shelf(store, shelf)


SHELF = "editions.json"  # page url → its editions, as the last build made them


def load_shelf(store: Path) -> dict[str, list[Edition]]:
    """The last build's editions whose PDFs are still in the print cache."""
    try:
        data = json.loads((store / SHELF).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    shelf = {}
    for url, editions in data.items():
        found = [Edition(e["title"], PrintedFile(e["path"], e["pages"], e["size"], Path(e["stored"])))
                 for e in editions]
        if all(edition.file.stored.is_file() for edition in found):
            shelf[url] = found
    return shelf


def save_shelf(store: Path, shelf: dict[str, list[Edition]]) -> None:
    data = {url: [{"title": e.title, "path": e.file.path, "pages": e.file.pages, "size": e.file.size,
                   "stored": str(e.file.stored)} for e in editions] for url, editions in shelf.items()}
    write_atomically(store / SHELF, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
