"""Live preview for editors: every save is on screen quickly, the whole site follows.

``watchfiles`` reports which paths changed. When only existing posts were edited
and the incremental plan (plugins/engine) proves the edit local, the edited
posts' own pages are written at once with the last build's generator and the
plan's writer; then a development rebuild — the same one as `pipeline.build
--cache`, planned by the same plan — brings lists and feeds up to date. Anything
the plan cannot prove local goes straight to that rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from watchfiles import Change, watch

from plugins.engine import planned_writer
from plugins.engine.plan import edit_plan
from plugins.programme.build_state import state_of
from plugins.programme.enrich import enrich_articles
from plugins.programme.reader import SOURCE_KEY

from .build import INCREMENTAL, BuildResult, build
from .settings import ROOT, load_settings

# Only the local preview writes drafts and scheduled posts (marked on the page); every other
# build keeps DRAFT_SAVE_AS empty, so they never reach a published site.
DRAFT_FOLDER = "entwurf"
UNPUBLISHED = {"DRAFT_SAVE_AS": DRAFT_FOLDER + "/{slug}/index.html", "DRAFT_URL": DRAFT_FOLDER + "/{slug}/"}
# Editors' and tools' scratch files: saving them changes nothing on the site.
SCRATCH = ("~", ".swp", ".swx", ".tmp", ".part")


def _relevant(path: str) -> bool:
    name = Path(path).name
    return ("__pycache__" not in Path(path).parts and not name.startswith((".#", ".~"))
            and not name.endswith(SCRATCH))


class Preview:
    """Builds of one preview session, serialised by a lock; keeps the last good build's generator."""

    def __init__(self, settings_file: Path, output: Path, content: str | None = None,
                 public_url: str | None = None) -> None:
        self.settings_file, self.output, self.content = settings_file, output, content
        # The preview's own address (its port) in every absolute link: feeds, calendars, QR codes.
        self.address = {"PUBLIC_URL": public_url} if public_url else {}
        self.lock = threading.Lock()
        self.articles: ArticlesGenerator | None = None

    def watched(self) -> list[Path]:
        settings = load_settings(self.settings_file, self.content)  # PATH follows $SLS_CONTENT too
        watched = [Path(settings["PATH"]), ROOT / "theme", ROOT / "plugins", self.settings_file]
        programme = Path(settings["PROGRAMME_FILE"])
        if not programme.is_relative_to(watched[0]):  # $SLS_PROGRAMME elsewhere
            watched.append(programme)
        return watched

    def build(self) -> BuildResult:
        with self.lock:
            result = build(self.settings_file, self.output, self.content,
                           overrides={**INCREMENTAL, **UNPUBLISHED, **self.address}, keep_generators=True)
            # Never write an edit on top of a failed build: the next save rebuilds instead.
            self.articles = next((g for g in result.generators if isinstance(g, ArticlesGenerator)), None)
            return result

    def unpublished_pages(self) -> list[str]:
        """Addresses of the drafts and scheduled posts this preview shows."""
        folder = self.output / DRAFT_FOLDER
        return sorted(f"{DRAFT_FOLDER}/{page.parent.name}/" for page in folder.glob("*/index.html"))

    def write_edited(self, paths: list[str]) -> bool:
        """Write the pages of edited posts at once; False when only a rebuild can show the edit."""
        with self.lock:
            generator = self.articles
            if generator is None:
                return False
            known = {article.source_path: article for article in generator.articles}
            if not paths or any(path not in known for path in paths):
                return False
            edited = [self._reread(generator, path) for path in paths]
            state = state_of(generator.settings)
            if any(a is None for a in edited):
                return False
            plan = edit_plan(generator.settings, edited, state.programme)
            if plan is None:
                return False
            enrich_articles(edited, state.programme)
            fresh = {a.source_path: a for a in edited}
            generator.articles = [fresh.get(a.source_path, a) for a in generator.articles]
            writer = planned_writer(plan, self.output)(str(self.output), settings=generator.settings)
            for article in edited:  # as Pelican's generate_articles writes each, for these only
                writer.write_file(article.save_as, generator.get_template(article.template),
                                  generator.context, article=article,
                                  category=getattr(article, "category", None),
                                  override_output=hasattr(article, "override_save_as"),
                                  url=article.url, blog=True)
            return True

    @staticmethod
    def _reread(generator: ArticlesGenerator, path: str) -> Any:
        """The post read again; None when it has a problem or is not (yet) published."""
        article = generator.readers.read_file(
            base_path=generator.path, path=str(Path(path).relative_to(generator.path)),
            content_class=Article, context=generator.context)
        source = article.metadata[SOURCE_KEY]
        if source.post.problems or not source.is_published(state_of(generator.settings).config):
            return None
        return article

    def on_changes(self, changes: Iterable[tuple[Change, str]],
                   on_step: Callable[[str, BuildResult | None], None] = lambda _line, _result: None,
                   ) -> str | None:
        """React to ``changes``: edited posts first, then the rebuild. None if nothing relevant.

        ``on_step`` hears of both steps: the edited pages (no result yet), then the rebuild.
        """
        paths = sorted({path for _change, path in changes if _relevant(path)})
        if not paths:
            return None
        # A name that is no UTF-8 (its bytes kept as surrogates) is shown escaped, as problems are.
        names = ", ".join(Path(p).name.encode("utf-8", "backslashreplace").decode() for p in paths[:3]) + (
            " …" if len(paths) > 3 else "")
        if self.write_edited(paths):
            on_step(f"Vorschau aktualisiert: {names} (Gesamtbau läuft)", None)
        result = self.build()
        line = f"Geändert: {names}\n{result.report()}"
        on_step(line, result)
        return line

    def watch(self, on_step: Callable[[str, BuildResult | None], None], stop: threading.Event) -> None:
        """Rebuild on every batch of saves until ``stop`` is set. A failure of the file watcher
        itself (a file name it cannot read) starts it again after a second: the preview goes on."""
        while not stop.is_set():
            try:
                for changes in watch(*self.watched(), stop_event=stop, debounce=50, step=25,
                                     raise_interrupt=False):
                    self.on_changes(changes, on_step)
                return
            except Exception:  # watchfiles' own errors have no common class
                # It stops at a file name it cannot decode (not UTF-8): which file it was, and
                # what else changed meanwhile, a rebuild says; then it watches again.
                result = self.build()
                on_step(f"Geändert: eine Datei, deren Name kein UTF-8 ist\n{result.report()}", result)
                stop.wait(0.5)
