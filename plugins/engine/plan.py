"""Which pages a development rebuild must render again after some posts changed.

A cached Pelican build still renders every page. When only existing posts
changed, and nothing that decides where posts are listed (address, date,
measures, tags, status) changed with them, only their own pages, the lists
they appear in and their feeds can differ from the last build. Everything else
stays as the previous output has it. Anything else: a full build.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from plugins.programme.tree import build_clock

MANIFEST = "incremental.json"
# Settings that change from run to run without changing the site.
# BUILD_CLOCK: its day is hashed below; PARALLEL_MIN_FILES: which process writes, not what.
VOLATILE = {"OUTPUT_PATH", "INCREMENTAL_FROM", "SITE_OUTPUT", "CACHE_CONTENT", "LOAD_CONTENT_CACHE",
            "BUILD_CLOCK", "PARALLEL_MIN_FILES", "NEWSLETTER_PREVIEW"}
ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Plan:
    """What changed since the last build, and so what must be rendered again."""

    articles: set[str] = field(default_factory=set)  # source paths
    tags: set[str] = field(default_factory=set)
    measures: set[str] = field(default_factory=set)
    clusters: set[str] = field(default_factory=set)
    # The manifest the plan was made from: the next one differs only in the edited posts.
    manifest: dict = field(default_factory=dict, repr=False, compare=False)


def _listing(article) -> dict:
    """Everything about a post that decides on which pages it is listed."""
    return {"save_as": article.save_as, "date": article.date.isoformat(), "status": article.status,
            "tags": sorted(t.slug for t in getattr(article, "tags", []) or []),
            "measures": list(getattr(article, "measure_slugs", [])), "slug": article.slug}


def _primitive(value) -> bool:
    if isinstance(value, (str, int, float, bool, type(None))):
        return True
    if isinstance(value, (list, tuple)):
        return all(_primitive(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _primitive(v) for k, v in value.items())
    return False


def fingerprint(settings: dict, sources: set[str]) -> str:
    """Hash of what every page depends on: settings, theme, code and non-post content."""
    digest = hashlib.sha256()
    for key in sorted(k for k in settings if k.isupper() and k not in VOLATILE):
        if _primitive(settings[key]):
            digest.update(f"{key}={settings[key]!r}\n".encode())
    watched = [Path(settings["THEME"]), ROOT / "plugins", Path(settings["PATH"]),
               ROOT / "pelicanconf.py", ROOT / "publishconf.py",
               ROOT / "node_modules" / "@sveltia" / "cms" / "package.json"]  # /admin/ is carried over
    for root in watched:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and str(path) not in sources and "__pycache__" not in path.parts:
                digest.update(f"{path}:{path.stat().st_mtime_ns}:{path.stat().st_size}\n".encode())
    digest.update(str(Path(settings["PROGRAMME_FILE"]).stat().st_mtime_ns).encode())
    # "Upcoming" and "past" events move when the day changes: a new day is a change of every list.
    today = build_clock(settings.get("TIMEZONE", "Europe/Berlin"), settings.get("BUILD_CLOCK")).date()
    digest.update(today.isoformat().encode())
    return digest.hexdigest()


def manifest_path(settings: dict) -> Path:
    """One manifest per site folder: a rebuild of one never compares with another's last build."""
    site = settings.get("SITE_OUTPUT")
    if not site:
        return Path(settings["CACHE_PATH"]) / MANIFEST
    digest = hashlib.sha256(str(Path(site).resolve()).encode()).hexdigest()[:12]
    return Path(settings["CACHE_PATH"]) / f"incremental-{digest}.json"


def manifest_data(settings: dict, articles: list, plan: Plan | None = None) -> dict:
    """What the next build compares against; after a planned build only the edited posts'
    entries are new (the plan proved everything else unchanged)."""
    if plan is not None and plan.manifest:
        data = plan.manifest
        for article in articles:
            if article.source_path in plan.articles:
                data["sources"][article.source_path] = {"mtime": os.stat(article.source_path).st_mtime_ns,
                                                        **_listing(article)}
        return data
    sources = {a.source_path: {"mtime": os.stat(a.source_path).st_mtime_ns, **_listing(a)}
               for a in articles}
    return {"fingerprint": fingerprint(settings, set(sources)), "sources": sources}


def write_manifest(settings: dict, articles: list, plan: Plan | None = None,
                   data: dict | None = None) -> None:
    """Store the manifest (``data`` when made already, e.g. while the build waited)."""
    if data is None:
        data = manifest_data(settings, articles, plan)
    path = manifest_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def _manifest(settings: dict) -> dict | None:
    path = manifest_path(settings)
    if not path.exists():
        return None
    # Without the collector: in a process that holds a whole site (the live preview, 10,000
    # posts), each of the collections the many new objects trigger walks that site: seconds.
    paused = gc.isenabled()
    gc.disable()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    finally:
        if paused:
            gc.enable()


def _add_edit(plan: Plan, before: dict, article, programme) -> bool:
    """Add an edited post to ``plan``; False when the edit moves it to other lists or addresses."""
    listing = _listing(article)
    if any(before[key] != value for key, value in listing.items()):
        return False
    plan.articles.add(article.source_path)
    # Its translations' pages name it (the language switcher) and say whether they are older.
    plan.articles.update(t.source_path for t in getattr(article, "translations", ()) or ())
    plan.tags.update(listing["tags"])
    # From the programme, not from the enrichment: signal order is not guaranteed.
    measures = [programme.measure(slug) for slug in listing["measures"]]
    plan.measures.update(m.slug for m in measures if m)
    plan.clusters.update(m.cluster.slug for m in measures if m)
    return True


def make_plan(settings: dict, articles: list, programme) -> Plan | None:
    """The plan for an incremental rebuild, or None when only a full build is right."""
    if not settings.get("INCREMENTAL_FROM") or not Path(settings["INCREMENTAL_FROM"]).is_dir():
        return None
    old = _manifest(settings)
    if old is None:
        return None
    current = {a.source_path: a for a in articles}
    if set(current) != set(old["sources"]):
        return None  # a post was added, removed or became a draft
    if fingerprint(settings, set(current)) != old["fingerprint"]:
        return None  # theme, code, settings, programme data or a page changed
    plan = Plan(manifest=old)
    for source, article in current.items():
        before = old["sources"][source]
        if os.stat(source).st_mtime_ns != before["mtime"] and not _add_edit(plan, before, article, programme):
            return None
    return plan


def edit_plan(settings: dict, edited: list, programme) -> Plan | None:
    """The plan for posts the caller knows are the only files edited since the last build
    (the live preview, told by its file watcher); None when an edit moves a post."""
    old = _manifest(settings)
    if old is None:
        return None
    plan = Plan()
    for article in edited:
        before = old["sources"].get(article.source_path)
        if before is None or not _add_edit(plan, before, article, programme):
            return None
    return plan
