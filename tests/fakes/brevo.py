"""Brevo's email-campaign API v3 as documented: JSON bodies, {"code", "message"} errors."""

from __future__ import annotations

from typing import ClassVar

from .http_api import FakeApi, Reply
from .templates import TemplateError, brevo_render


class FakeBrevo(FakeApi):
    def __init__(self, api_key: str = "xkeysib-test-key-5678") -> None:
        super().__init__()
        self.api_key = api_key
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

    def deliver(self, campaign: dict) -> None:
        self.delivered[campaign["id"]] = {name: brevo_render(campaign.get(name) or "")
                                          for name in ("subject", "previewText", "htmlContent")}

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
        self.deliver(campaign)
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
    ]
