"""Brevo (API v3), the hosted EU alternative: email campaigns through its REST API."""

from __future__ import annotations

from typing import Any

import requests

from ..rendered_issue import RenderedIssue, Sender, posts_in, posts_marker
from .clock import Clock
from .http import HttpApi, HttpCampaignProvider, Log, one_campaign
from .protocol import Campaign
from .templating import brevo_html, brevo_text

DRAFT = {"draft"}
STOPPED = {"suspended"}
PAGE_SIZE = 100
DEFAULT_URL = "https://api.brevo.com/v3"


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"{body.get('code', '')}: {body.get('message', '')}".strip(": ") or response.reason
    except ValueError:
        return response.reason or "ohne Begründung"


class BrevoProvider(HttpCampaignProvider):
    name = "brevo"

    def __init__(self, api_key: str, list_ids: list[int], sender: Sender, clock: Clock,
                 url: str = DEFAULT_URL, log: Log | None = None, read_timeout: float = 30.0) -> None:
        api = HttpApi(url, {"api-key": api_key}, clock, self.name, _message, log=log,
                      read_timeout=read_timeout)
        super().__init__(url, list_ids, sender, api)

    def campaign_path(self, campaign_id: str = "") -> str:
        return f"/emailCampaigns/{campaign_id}" if campaign_id else "/emailCampaigns"

    def start_request(self, campaign_id: str) -> tuple[str, str, object]:
        return "POST", f"/emailCampaigns/{campaign_id}/sendNow", None

    def campaign(self, data: dict[str, Any]) -> Campaign:
        status = str(data.get("status", ""))
        return Campaign(str(data["id"]), status, status not in DRAFT, str(data.get("name", "")), data,
                        stopped=status in STOPPED)

    def created(self, response: requests.Response, issue: RenderedIssue) -> Campaign:
        return Campaign(str(response.json()["id"]), "draft", False, f"{issue.key}: {issue.subject}")

    def find(self, key: str) -> Campaign | None:
        offset = 0
        matches: list[Campaign] = []
        while True:
            response = self.api.call("GET", "/emailCampaigns", params={
                "type": "classic", "limit": PAGE_SIZE, "offset": offset, "sort": "desc",
                "excludeHtmlContent": "true"})
            body = response.json() if response.content else {}
            campaigns = body.get("campaigns") or []
            matches += [self.campaign(item) for item in campaigns
                        if item.get("tag") == key or str(item.get("name", "")).startswith(f"{key}:")]
            offset += PAGE_SIZE
            if len(campaigns) < PAGE_SIZE or offset >= int(body.get("count") or 0):
                return one_campaign(key, matches)

    def body(self, issue: RenderedIssue) -> dict[str, Any]:
        name = f"{issue.key}: {issue.subject}"
        issue = issue.for_provider(brevo_html, brevo_text, "{{ unsubscribe }}")
        return {
            "name": name,
            "subject": issue.subject,
            "sender": {"name": self.sender.name, "email": self.sender.email},
            "htmlContent": issue.html + posts_marker(issue.posts),
            "previewText": issue.preheader,
            "recipients": {"listIds": self.list_ids},
            "tag": issue.key,
        }

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        # Lists leave out the HTML; the campaign itself has it, with the marker of its posts.
        return posts_in(str(self.get(campaign.id).details.get("htmlContent") or ""))

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendTest",
                      json_body={"emailTo": recipients})
