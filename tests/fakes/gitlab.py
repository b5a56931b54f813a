"""GitLab's merge-request notes API (REST v4) as its handlers answer: notes as JSON objects,
pagination in X-Next-Page, 401 {"message": "401 Unauthorized"} without a valid PRIVATE-TOKEN."""

from __future__ import annotations

from typing import ClassVar

from .http_api import FakeApi, Reply

NOTES = r"/api/v4/projects/(?P<project>[^/]+)/merge_requests/(?P<iid>\d+)/notes"


class FakeGitLab(FakeApi):
    def __init__(self, token: str = "glpat-review-0123456789") -> None:
        super().__init__()
        self.token = token
        self.notes: dict[tuple[str, str], list[dict]] = {}
        self.next_id = 1

    def authorized(self, headers) -> bool:
        return headers.get("PRIVATE-TOKEN") == self.token

    def unauthorized(self) -> Reply:
        return Reply(401, {"message": "401 Unauthorized"})

    def not_found(self) -> dict:
        return {"message": "404 Not found"}

    def add(self, project: str, iid: str, body: str, author: str = "reviewer") -> dict:
        note = {"id": self.next_id, "body": body, "author": {"username": author}, "system": False}
        self.next_id += 1
        self.notes.setdefault((project, iid), []).append(note)
        return note

    def list_notes(self, match, body, query) -> Reply:
        notes = self.notes.get((match["project"], match["iid"]), [])
        per_page = int(query.get("per_page", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = notes[(page - 1) * per_page:page * per_page]
        more = len(notes) > page * per_page
        return Reply(200, chunk, {"X-Next-Page": str(page + 1) if more else ""})

    def create_note(self, match, body, query) -> Reply:
        text = (body or {}).get("body", [""])[0]
        if not text:
            return Reply(400, {"message": {"note": ["can't be blank"]}})
        return Reply(201, self.add(match["project"], match["iid"], text, "project_7_bot"))

    def update_note(self, match, body, query) -> Reply:
        for note in self.notes.get((match["project"], match["iid"]), []):
            if note["id"] == int(match["note"]):
                note["body"] = (body or {}).get("body", [""])[0]
                return Reply(200, note)
        return Reply(404, {"message": "404 Not found"})

    routes: ClassVar[list] = [
        ("GET", NOTES, list_notes),
        ("POST", NOTES, create_note),
        ("PUT", NOTES + r"/(?P<note>\d+)", update_note),
    ]
