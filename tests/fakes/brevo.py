"""Brevo's email-campaign API v3 as documented: JSON bodies, {"code", "message"} errors."""

from __future__ import annotations

from typing import ClassVar

from .http_api import FakeApi, Reply
from .templates import TemplateError, brevo_render


class FakeBrevo(FakeApi):
    def __init__(self, api_key: str = "xkeysib-test-key-5678", people: list[dict] | None = None,
                 attributes: tuple[str, ...] = ("FIRSTNAME", "THEMEN"),
                 lists: dict[int, str] | None = None) -> None:
        super().__init__()
        self.lists = dict(lists or {})  # list id → name; the lists people are on exist too
        self.api_key = api_key
        # Contacts with their lists and attributes; a sent campaign reaches each contact on its
        # lists once, rendered with the contact's attributes.
        self.people = {}
        for p in people or []:
            lists = p["lists"] if isinstance(p["lists"], dict) else dict.fromkeys(p["lists"], "confirmed")
            self.people[p["email"]] = {
                "email": p["email"], "name": p.get("name", ""), "attribs": dict(p.get("attribs") or {}),
                "listIds": [n for n, status in lists.items() if status != "unsubscribed"],
                "listUnsubscribed": [n for n, status in lists.items() if status == "unsubscribed"]}
        self.attributes = list(attributes)
        self.inbox: dict[str, list[dict]] = {}
        self.campaigns: dict[int, dict] = {}
        self.created = 0
        self.started: dict[int, int] = {}
        self.tests: list[tuple[int, list[str]]] = []
        self.delivered: dict[int, dict] = {}  # campaign id → what a subscriber got

    def authorized(self, headers) -> bool:
        return headers.get("api-key") == self.api_key

    def unauthorized(self) -> Reply:
        return Reply(401, {"code": "unauthorized", "message": "Key not found"})

    def not_found(self) -> dict:
        return {"code": "document_not_found", "message": "Campaign ID does not exist"}

    def server_error(self) -> dict:
        return {"code": "internal_error", "message": "Internal server error"}

    def rate_limited(self) -> dict:
        return {"code": "too_many_requests", "message": "Too many requests"}

    def list_campaigns(self, _match, _body, query) -> Reply:
        limit = int(query.get("limit", ["50"])[0])
        offset = int(query.get("offset", ["0"])[0])
        items = sorted(self.campaigns.values(), key=lambda c: c["id"], reverse=True)
        return Reply(200, {"campaigns": items[offset: offset + limit], "count": len(items)})

    def get_campaign(self, match, _body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        return Reply(200, campaign) if campaign else Reply(404, self.not_found())

    def deliver(self, campaign: dict, to: list[str] | None = None) -> None:
        self.delivered[campaign["id"]] = {name: brevo_render(campaign.get(name) or "")
                                          for name in ("subject", "previewText", "htmlContent")}
        lists = set((campaign.get("recipients") or {}).get("listIds") or [])
        for person in self.people.values():
            if (to is None and lists & set(person["listIds"])) or (to is not None and person["email"] in to):
                self.inbox.setdefault(person["email"], []).append(
                    {"campaign": campaign["id"], **{name: brevo_render(campaign.get(name) or "", person)
                                                    for name in ("subject", "previewText", "htmlContent")}})

    def list_attributes(self, _match, _body, _query) -> Reply:
        return Reply(200, {"attributes": [{"name": name, "category": "normal", "type": "text"}
                                          for name in self.attributes]})

    def list_contacts(self, match, _body, query) -> Reply:
        """GET /contacts/lists/{listId}/contacts: limit at most 500."""
        limit = min(int(query.get("limit", ["50"])[0]), 500)
        offset = int(query.get("offset", ["0"])[0])
        members = [{"email": p["email"], "listIds": p["listIds"], "attributes": p["attribs"],
                    "listUnsubscribed": p["listUnsubscribed"]}
                   for p in self.people.values() if int(match[1]) in p["listIds"]]
        return Reply(200, {"contacts": members[offset:offset + limit], "count": len(members)})

    def get_list(self, match, _body, _query) -> Reply:
        """GET /contacts/lists/{listId}: uniqueSubscribers = totalSubscribers + totalBlacklisted."""
        number = int(match[1])
        subscribed = sum(number in p["listIds"] for p in self.people.values())
        blocked = sum(number in p["listUnsubscribed"] for p in self.people.values())
        if number not in self.lists and not subscribed + blocked:
            return Reply(404, {"code": "document_not_found", "message": "List ID does not exist"})
        return Reply(200, {"id": number, "name": self.lists.get(number, f"Liste {number}"), "folderId": 1,
                           "totalSubscribers": subscribed, "totalBlacklisted": blocked,
                           "uniqueSubscribers": subscribed + blocked,
                           "createdAt": "2026-01-05T10:00:00.000Z"})

    def update_contact(self, match, body, _query) -> Reply:
        from urllib.parse import unquote

        person = self.people.get(unquote(match[1]))
        if person is None:
            return Reply(404, {"code": "document_not_found", "message": "Contact does not exist"})
        unknown = [name for name in (body.get("attributes") or {}) if name not in self.attributes]
        if unknown:
            return Reply(400, {"code": "invalid_parameter", "message": f"Attribute {unknown[0]} not found"})
        person["attribs"].update(body.get("attributes") or {})
        return Reply(204)

    @staticmethod
    def template_error(fields: dict) -> Reply | None:
        for name in ("subject", "previewText", "htmlContent"):
            try:
                brevo_render(fields.get(name) or "")
            except TemplateError as error:
                return Reply(400, {"code": "invalid_parameter", "message": f"{name}: {error}"})
        return None

    def create_campaign(self, _match, body, _query) -> Reply:
        missing = [f for f in ("name", "sender") if not body.get(f)]
        if missing:
            return Reply(400, {"code": "missing_parameter", "message": f"{missing[0]} is missing"})
        refused = self.template_error(body)
        if refused:
            return refused
        self.created += 1
        new_id = len(self.campaigns) + 1
        self.campaigns[new_id] = {"id": new_id, "name": body["name"], "subject": body.get("subject"),
                                  "tag": body.get("tag"), "status": "draft", "type": "classic",
                                  "previewText": body.get("previewText"),
                                  "htmlContent": body.get("htmlContent"),
                                  "recipients": body.get("recipients"), "sender": body["sender"]}
        return Reply(201, {"id": new_id})

    def update_campaign(self, match, body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(404, self.not_found())
        if campaign["status"] != "draft":
            return Reply(400, {"code": "invalid_parameter", "message": "Campaign cannot be updated"})
        refused = self.template_error(body)
        if refused:
            return refused
        campaign.update({k: v for k, v in body.items() if k in campaign})
        return Reply(204)

    def send_test(self, match, body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(404, self.not_found())
        self.tests.append((campaign["id"], body.get("emailTo", [])))
        self.deliver(campaign, body.get("emailTo", []))
        return Reply(204)

    def send_now(self, match, _body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(404, self.not_found())
        if campaign["status"] != "draft":
            return Reply(400, {"code": "invalid_parameter", "message": "Campaign has already been sent"})
        campaign["status"] = "queued"
        self.deliver(campaign)
        self.started[campaign["id"]] = self.started.get(campaign["id"], 0) + 1
        return Reply(204)

    routes: ClassVar[list] = [
        ("GET", r"/emailCampaigns", list_campaigns),
        ("POST", r"/emailCampaigns", create_campaign),
        ("GET", r"/emailCampaigns/(\d+)", get_campaign),
        ("PUT", r"/emailCampaigns/(\d+)", update_campaign),
        ("POST", r"/emailCampaigns/(\d+)/sendTest", send_test),
        ("POST", r"/emailCampaigns/(\d+)/sendNow", send_now),
        ("GET", r"/contacts/attributes", list_attributes),
        ("GET", r"/contacts/lists/(\d+)/contacts", list_contacts),
        ("GET", r"/contacts/lists/(\d+)", get_list),
        ("PUT", r"/contacts/([^/]+)", update_contact),
    ]
