"""listmonk (v4+), the recommended self-hosted provider, through its REST API.

An issue's campaign carries the issue key as a tag and as the start of its
name. Lookups use the ``tag`` filter (cmd/campaigns.go reads ``tag``, not the
documented ``tags``) with ``per_page=all`` (``per_page`` is capped at 50) and
check the tag again on our side; ``query`` is a fuzzy text search, not a key.
"""

from __future__ import annotations

from typing import Any

import requests

from ..rendered_issue import RenderedIssue, Sender
from .clock import Clock
from .http import HttpApi, HttpCampaignProvider, Log, one_campaign
from .protocol import Campaign, ProviderError
from .templating import go_literal

# Anything past draft was started by someone; a rerun must never start it again.
STARTED = {"running", "scheduled", "paused", "finished", "cancelled"}
STOPPED = {"paused", "cancelled"}
POST_TAG = "post:"  # one tag per carried post: the record can always be rebuilt from listmonk


def _message(response: requests.Response) -> str:
    try:
        return str(response.json().get("message", "")) or response.reason
    except ValueError:
        return response.reason or "ohne Begründung"


class ListmonkProvider(HttpCampaignProvider):
    name = "listmonk"

    def __init__(self, url: str, username: str, token: str, list_ids: list[int], sender: Sender,
                 clock: Clock, log: Log | None = None, read_timeout: float = 30.0) -> None:
        api = HttpApi(url, {"Authorization": f"token {username}:{token}"}, clock, self.name, _message,
                      log=log, read_timeout=read_timeout)
        super().__init__(url, list_ids, sender, api)

    def campaign_path(self, campaign_id: str = "") -> str:
        return f"/api/campaigns/{campaign_id}" if campaign_id else "/api/campaigns"

    def start_request(self, campaign_id: str) -> tuple[str, str, object]:
        return "PUT", f"/api/campaigns/{campaign_id}/status", {"status": "running"}

    def unwrap(self, response: requests.Response) -> dict[str, Any]:
        data: dict[str, Any] = response.json()["data"]
        return data

    def campaign(self, data: dict[str, Any]) -> Campaign:
        status = str(data.get("status", ""))
        return Campaign(str(data["id"]), status, status in STARTED, str(data.get("name", "")), data,
                        stopped=status in STOPPED)

    def find(self, key: str) -> Campaign | None:
        response = self.api.call("GET", "/api/campaigns", params={
            "tag": key, "per_page": "all", "no_body": "true", "order_by": "created_at"})
        results = (response.json().get("data") or {}).get("results") or []
        return one_campaign(key, [self.campaign(item) for item in results if key in (item.get("tags") or [])])

    def body(self, issue: RenderedIssue) -> dict[str, Any]:
        name = f"{issue.key}: {issue.subject}"  # not a template: shown as written
        issue = issue.for_provider(go_literal, go_literal, "{{ UnsubscribeURL }}")
        body: dict[str, Any] = {
            "name": name,
            "subject": issue.subject,
            "lists": self.list_ids,
            "type": "regular",
            "content_type": "html",
            "body": issue.html,
            "altbody": issue.text,
            "tags": ["newsletter", issue.key, *(POST_TAG + slug for slug in issue.posts)],
            "messenger": "email",
        }
        if self.sender.email:
            body["from_email"] = f"{self.sender.name} <{self.sender.email}>"
        return body

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        tags = campaign.details.get("tags") or self.get(campaign.id).details.get("tags") or []
        posts = [str(t).removeprefix(POST_TAG) for t in tags if str(t).startswith(POST_TAG)]
        return posts or None

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        body = {**self.body(issue), "subscribers": recipients}
        try:
            self.api.call("POST", f"/api/campaigns/{campaign.id}/test", json_body=body)
        except ProviderError as error:
            raise ProviderError(f"{error} (Testempfänger müssen in listmonk als Abonnenten angelegt "
                                "sein)", error.status) from None
