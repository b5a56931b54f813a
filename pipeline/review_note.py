"""Review before publishing: the merge request gets a note with links to its built pages.

With the editorial workflow every post an editor saves in the CMS is a merge request. Its
pipeline (job ``preview`` in .gitlab-ci.yml) builds the site as an artifact and runs this:
the posts and pages the merge request changes are looked up among the build's articles and
pages, and one note on the merge request lists their addresses, so a reviewer opens the page
as citizens will see it before merging. Each new push updates that note instead of adding one.

Where the links point: ``REVIEW_SITE_URL`` (a review server that serves this job's output/ at
its root), else the job's artifact (``<project>/-/jobs/<id>/artifacts/file/output/...``).
The note is written with ``REVIEW_NOTE_TOKEN`` (a project access token, role Reporter, scope
``api``); without it the links are printed in the job log only.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from plugins.newsletter.providers.http import TooLarge, TooLong, fetch_bounded, within
from plugins.newsletter.providers.secrets import Redactor, printable, server_text

MARKER = "<!-- stadt.land.smart: Vorschau -->"  # finds our note again on the next push
TIMEOUT = (5.0, 20.0)
WHOLE = 30.0  # seconds for a whole answer, however slowly it drips
ALL = 120.0  # seconds for the note, all pages of notes included
MAX_PAGES = 50  # of 100 notes each: a merge request with more is no review any more


@dataclass(frozen=True)
class ReviewPage:
    title: str
    source: str  # path inside the repository, as git names it
    url: str  # site-relative, e.g. "aktuelles/2026/titel/"
    draft: bool = False


def changed_files(base: str, repository: Path) -> list[str]:
    """Files the merge request changes against its base (paths relative to the repository)."""
    done = subprocess.run(["git", "diff", "--name-only", "--diff-filter=ACMR", f"{base}...HEAD"],
                          cwd=repository, capture_output=True, text=True, check=False, timeout=60)
    if done.returncode:
        raise ReviewError(f"git diff gegen {base[:12]} ging nicht: {done.stderr.strip()[:200]} — "
                          "im CI-Job GIT_DEPTH: 0 setzen")
    return [line for line in done.stdout.splitlines() if line]


def review_pages(generators: list[Any], changed: list[str], repository: Path) -> list[ReviewPage]:
    """The built articles and pages whose source file is among ``changed``, in that order."""
    wanted = {(repository / name).resolve(): name for name in changed}
    found: dict[str, ReviewPage] = {}
    for generator in generators:
        for attribute in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for item in getattr(generator, attribute, None) or []:
                name = wanted.get(Path(item.source_path).resolve())
                if name and name not in found:
                    found[name] = ReviewPage(item.title, name, item.url,
                                             getattr(item, "status", "") == "draft")
    return [found[name] for name in changed if name in found]


def note_text(pages: list[ReviewPage], link: Any) -> str:
    """The note in German Markdown; ``link(page)`` gives a page's address."""
    lines = [MARKER, "**Vorschau der geänderten Seiten** (aus dieser Pipeline gebaut):", ""]
    for page in pages:
        title = page.title.replace("[", "\\[").replace("]", "\\]")
        if page.draft:
            lines.append(f"- {title} — Entwurf: wird nicht veröffentlicht, solange `status: draft` "
                         f"gilt (`{page.source}`)")
        else:
            lines.append(f"- [{title}]({link(page)}) (`{page.source}`)")
    if not pages:
        lines.append("Dieser Merge Request ändert keinen Beitrag und keine Seite.")
    lines += ["", "Die Vorschau wird bei jedem neuen Stand aktualisiert."]
    return "\n".join(lines)


class ReviewError(Exception):
    """A German message for the job log; never contains the token."""


class MergeRequestNotes:
    """The notes of one merge request through GitLab's REST API (v4)."""

    def __init__(self, api: str, project: str, iid: str, token: str) -> None:
        self.base = f"{api.rstrip('/')}/projects/{quote(project, safe='')}/merge_requests/{iid}/notes"
        self.session = requests.Session()
        self.session.headers["PRIVATE-TOKEN"] = token
        self.redact = Redactor([token])
        self.deadline = time.monotonic() + ALL

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        left = min(WHOLE, self.deadline - time.monotonic())
        if left <= 0:
            raise ReviewError(f"GitLab: Notiz nicht geschrieben, die Anfragen brauchten länger als "
                              f"{ALL:.0f} s")
        try:
            response = within(left, lambda: fetch_bounded(self.session, method, url, timeout=TIMEOUT,
                                                          **kwargs))
        except TooLong:
            raise ReviewError(f"GitLab antwortet nicht vollständig in {left:.0f} s") from None
        except TooLarge:
            raise ReviewError("GitLab antwortet mit mehr Daten als eine Liste von Notizen hat") from None
        except requests.RequestException as error:
            raise ReviewError(f"GitLab nicht erreichbar ({type(error).__name__})") from None
        if response.is_redirect or 300 <= response.status_code < 400:
            raise ReviewError(f"GitLab leitet um (HTTP {response.status_code}) — CI_API_V4_URL prüfen")
        if response.status_code in (401, 403):
            raise ReviewError(f"GitLab lehnt den Zugang ab (HTTP {response.status_code}) — "
                              "REVIEW_NOTE_TOKEN braucht die Rolle Reporter und den Bereich „api“")
        if response.status_code >= 400:
            # Masked before it is cut: a token cut in two would not be found any more.
            raise ReviewError(f"GitLab antwortet HTTP {response.status_code}: "
                              f"{server_text(response.text, 200, self.redact)}")
        return response

    def upsert(self, body: str) -> str:
        """Update our earlier note, or add one; returns "aktualisiert" or "angelegt"."""
        page = 1
        for _page in range(MAX_PAGES):
            response = self._call("GET", self.base, params={"per_page": 100, "page": page})
            for note in _notes(response):
                if MARKER in note[1]:
                    self._call("PUT", f"{self.base}/{note[0]}", data={"body": body})
                    return "aktualisiert"
            following = response.headers.get("X-Next-Page") or ""
            if not following.isascii() or not following.isdigit() or int(following) <= page:
                break  # the last page (or an answer that would never end)
            page = int(following)
        self._call("POST", self.base, data={"body": body})
        return "angelegt"


def _notes(response: requests.Response) -> list[tuple[int, str]]:
    """(id, body) of each note of an answer; a ReviewError where it is no list of notes."""
    try:
        found = response.json()
    except (ValueError, RecursionError):
        raise ReviewError("GitLab antwortet nicht mit Daten (eine Anmelde- oder Wartungsseite?) — "
                          "CI_API_V4_URL prüfen") from None
    if not isinstance(found, list):
        raise ReviewError("GitLab antwortet nicht mit einer Liste von Notizen — CI_API_V4_URL prüfen")
    return [(note["id"], str(note.get("body") or "")) for note in found
            if isinstance(note, dict) and type(note.get("id")) is int]


def artifact_link(env: Mapping[str, str]) -> Any:
    """Where a page of this job's build can be opened."""
    if env.get("REVIEW_SITE_URL"):
        base = env["REVIEW_SITE_URL"].rstrip("/")
        return lambda page: f"{base}/{page.url}"
    job = f"{env.get('CI_PROJECT_URL', '').rstrip('/')}/-/jobs/{env.get('CI_JOB_ID', '')}"
    return lambda page: f"{job}/artifacts/file/output/{page.url}index.html"


def post_review_note(env: Mapping[str, str], generators: list[Any], repository: Path,
                     say: Any = print) -> int:
    """Find the changed pages, print their links, and put them on the merge request."""
    base = env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA")
    if not base:
        say("Vorschau-Hinweis: kein Merge Request (CI_MERGE_REQUEST_DIFF_BASE_SHA fehlt) — nichts zu tun")
        return 0
    try:
        pages = review_pages(generators, changed_files(base, repository), repository)
        text = note_text(pages, artifact_link(env))
        say(text.replace(MARKER + "\n", ""))
        token = env.get("REVIEW_NOTE_TOKEN", "")
        if not token:
            say("Vorschau-Hinweis: REVIEW_NOTE_TOKEN fehlt — die Links stehen nur hier im Protokoll")
            return 0
        notes = MergeRequestNotes(env.get("CI_API_V4_URL", ""), env.get("CI_PROJECT_ID", ""),
                                  env.get("CI_MERGE_REQUEST_IID", ""), token)
        say(f"Vorschau-Hinweis im Merge Request {notes.upsert(text)}.")
        return 0
    except ReviewError as error:
        print(f"Vorschau-Hinweis: {printable(str(error))}", file=sys.stderr)
        return 1
