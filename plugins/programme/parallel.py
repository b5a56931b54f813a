"""Parse all Markdown sources of a cold build on every core at once.

Markdown and YAML are a third of a cold build and Pelican reads files one after
another. Before the first file is read, the sources are parsed in a process pool
(fork: workers inherit the loaded code); the reader then takes each result.
Cached development builds skip this, since they re-read only changed files.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from markdown import Markdown

from .post_source import PostSource, read_post
from .problems import display_path
from .schema import ARTICLE, PAGE

MIN_FILES = 200  # below this a pool costs more than it saves
_results: dict[str, tuple[float, str, PostSource, str]] = {}
_prefetched: set[str] = set()
_worker: dict = {}


def markdown_for(settings: dict, line_breaks: bool = False) -> Markdown:
    config = dict(settings["MARKDOWN"])
    # As Pelican does: every configured extension is also enabled; "meta" never is,
    # because the front matter is YAML.
    extensions = list(config.get("extensions", [])) + list(config.get("extension_configs", {}))
    if line_breaks:
        extensions.append("markdown.extensions.nl2br")
    config["extensions"] = [ext for ext in dict.fromkeys(extensions) if ext != "markdown.extensions.meta"]
    return Markdown(**config)


def kind_of(source_path: str, settings: dict) -> str:
    relative = Path(os.path.relpath(source_path, settings["PATH"])).parts
    page_roots = {Path(p).parts[0] for p in settings["PAGE_PATHS"]}
    return PAGE if relative and relative[0] in page_roots else ARTICLE


def parse(source_path: str, settings: dict, markdown: Markdown, programme) -> tuple[str, PostSource, str]:
    """HTML, checked front matter and kind (article/page) of one source file."""
    kind = kind_of(source_path, settings)
    text = Path(source_path).read_text(encoding="utf-8")
    post = read_post(display_path(source_path), text, programme, kind, settings["PATH"],
                     settings["TIMEZONE"], tuple(settings.get("EXTRA_FRONT_MATTER_FIELDS", ())))
    if post.meta.get("line_breaks") is True:
        # Leichte Sprache: one sentence per line, so every line break is kept.
        return markdown_for(settings, line_breaks=True).convert(post.body), post, kind
    markdown.reset()
    return markdown.convert(post.body), post, kind


def _init(settings: dict) -> None:
    from .reader import programme_for

    _worker.update(settings=settings, markdown=markdown_for(settings), programme=programme_for(settings))


def _work(path: str) -> tuple[float, str, PostSource, str]:
    stamp = os.stat(path).st_mtime
    html, post, kind = parse(path, _worker["settings"], _worker["markdown"], _worker["programme"])
    return stamp, html, post, kind


def _sources(settings: dict) -> list[str]:
    root = Path(settings["PATH"])
    found = []
    for folder in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]:
        found += [str(p) for p in sorted((root / folder).rglob("*.md"))]
    return found


def prefetch(settings: dict) -> None:
    """Parse every source in a pool, once per content folder and process."""
    key = os.path.abspath(settings["PATH"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if key in _prefetched or settings.get("LOAD_CONTENT_CACHE") or cores < 2:
        return
    _prefetched.add(key)
    paths = _sources(settings)
    threshold = int(os.environ.get("SLS_PARALLEL_MIN_FILES", MIN_FILES))
    if len(paths) < threshold or "fork" not in multiprocessing.get_all_start_methods():
        return
    subset = {k: settings[k] for k in ("PATH", "PAGE_PATHS", "ARTICLE_PATHS", "TIMEZONE", "MARKDOWN",
                                       "PROGRAMME_FILE") if k in settings}
    subset["EXTRA_FRONT_MATTER_FIELDS"] = tuple(settings.get("EXTRA_FRONT_MATTER_FIELDS", ()))
    with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("fork"),
                             initializer=_init, initargs=(subset,)) as pool:
        for path, result in zip(paths, pool.map(_work, paths, chunksize=25), strict=True):
            _results[os.path.abspath(path)] = result


def take(source_path: str) -> tuple[str, PostSource, str] | None:
    """The prefetched result for ``source_path``, if the file is unchanged since."""
    found = _results.pop(os.path.abspath(source_path), None)
    if found is None or found[0] != os.stat(source_path).st_mtime:
        return None
    return found[1], found[2], found[3]
