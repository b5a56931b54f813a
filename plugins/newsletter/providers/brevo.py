"""Brevo (API v3), the hosted EU alternative: email campaigns through its REST API."""

from __future__ import annotations

from .base import Campaign, Clock, HttpApi, ProviderError, RenderedIssue, Sender

DRAFT = {"draft"}
PAGE_SIZE = 100
DEFAULT_URL = "https://api.brevo.com/v3"


def _message(response) -> str:
    try:
        body = response.json()
        return f"{body.get('code', '')}: {body.get('message', '')}".strip(": ") or response.reason
    except ValueError:
        return response.reason or "ohne Begründung"


class BrevoProvider:
    name = "brevo"
    unsubscribe_placeholder = "{{ unsubscribe }}"

    def __init__(self, api_key: str, list_ids: list[int], sender: Sender, clock: Clock,
                 url: str = DEFAULT_URL, log=None, read_timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.list_ids = list_ids
        self.sender = sender
        self.api = HttpApi(self.url, {"api-key": api_key}, clock, "brevo", _message, log=log,
                           read_timeout=read_timeout)

    def describe(self) -> str:
        return f"brevo ({self.url}), Listen {', '.join(map(str, self.list_ids))}"

    def _campaign(self, data: dict) -> Campaign:
        status = str(data.get("status", ""))
        return Campaign(str(data["id"]), status, status not in DRAFT, str(data.get("name", "")), data)

    def find(self, key: str) -> Campaign | None:
        offset = 0
        while True:
            response = self.api.call("GET", "/emailCampaigns", retry=True, params={
                "type": "classic", "limit": PAGE_SIZE, "offset": offset, "sort": "desc",
                "excludeHtmlContent": "true"})
            body = response.json() if response.content else {}
            campaigns = body.get("campaigns") or []
            for item in campaigns:
                if item.get("tag") == key or str(item.get("name", "")).startswith(f"{key}:"):
                    return self._campaign(item)
            offset += PAGE_SIZE
            if len(campaigns) < PAGE_SIZE or offset >= int(body.get("count") or 0):
                return None

    def get(self, campaign_id: str) -> Campaign:
        return self._campaign(self.api.call("GET", f"/emailCampaigns/{campaign_id}", retry=True).json())

    def _body(self, issue: RenderedIssue) -> dict:
        return {
            "name": f"{issue.key}: {issue.subject}",
            "subject": issue.subject,
            "sender": {"name": self.sender.name, "email": self.sender.email},
            "htmlContent": issue.html,
            "previewText": issue.preheader,
            "recipients": {"listIds": self.list_ids},
            "tag": issue.key,
        }

    def create(self, issue: RenderedIssue) -> Campaign:
        response = self.api.call("POST", "/emailCampaigns", json_body=self._body(issue), retry=False)
        return Campaign(str(response.json()["id"]), "draft", False, f"{issue.key}: {issue.subject}")

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:
        if campaign.started:
            return
        self.api.call("PUT", f"/emailCampaigns/{campaign.id}", json_body=self._body(issue), retry=True)

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendTest",
                      json_body={"emailTo": recipients}, retry=False)

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        try:
            self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendNow", retry=False)
        except ProviderError:
            if not self.get(campaign.id).started:
                raise
