"""listmonk (v4+), the recommended self-hosted provider, through its REST API.

An issue's campaign carries the issue key as a tag and as the start of its
name. Lookups use the ``tag`` filter (cmd/campaigns.go reads ``tag``, not the
documented ``tags``) with ``per_page=all`` (``per_page`` is capped at 50) and
check the tag again on our side; ``query`` is a fuzzy text search, not a key.
"""

from __future__ import annotations

from .base import Campaign, Clock, HttpApi, ProviderError, RenderedIssue, Sender

# Anything past draft was started by someone; a rerun must never start it again.
STARTED = {"running", "scheduled", "paused", "finished", "cancelled"}


def _message(response) -> str:
    try:
        return str(response.json().get("message", "")) or response.reason
    except ValueError:
        return response.reason or "ohne Begründung"


class ListmonkProvider:
    name = "listmonk"
    unsubscribe_placeholder = "{{ UnsubscribeURL }}"

    def __init__(self, url: str, username: str, token: str, list_ids: list[int], sender: Sender,
                 clock: Clock, log=None, read_timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.list_ids = list_ids
        self.sender = sender
        self.api = HttpApi(self.url, {"Authorization": f"token {username}:{token}"}, clock,
                           "listmonk", _message, log=log,
                           read_timeout=read_timeout)

    def describe(self) -> str:
        return f"listmonk ({self.url}), Listen {', '.join(map(str, self.list_ids))}"

    def _campaign(self, data: dict) -> Campaign:
        status = str(data.get("status", ""))
        return Campaign(str(data["id"]), status, status in STARTED, str(data.get("name", "")), data)

    def find(self, key: str) -> Campaign | None:
        response = self.api.call("GET", "/api/campaigns", retry=True, params={
            "tag": key, "per_page": "all", "no_body": "true", "order_by": "created_at"})
        results = (response.json().get("data") or {}).get("results") or []
        matches = [item for item in results if key in (item.get("tags") or [])]
        return self._campaign(matches[0]) if matches else None

    def get(self, campaign_id: str) -> Campaign:
        response = self.api.call("GET", f"/api/campaigns/{campaign_id}", retry=True)
        return self._campaign(response.json()["data"])

    def _body(self, issue: RenderedIssue) -> dict:
        body = {
            "name": f"{issue.key}: {issue.subject}",
            "subject": issue.subject,
            "lists": self.list_ids,
            "type": "regular",
            "content_type": "html",
            "body": issue.html,
            "altbody": issue.text,
            "tags": ["newsletter", issue.key],
            "messenger": "email",
        }
        if self.sender.email:
            body["from_email"] = f"{self.sender.name} <{self.sender.email}>"
        return body

    def create(self, issue: RenderedIssue) -> Campaign:
        # Never retried blindly: an ambiguous failure goes back to find().
        response = self.api.call("POST", "/api/campaigns", json_body=self._body(issue), retry=False)
        return self._campaign(response.json()["data"])

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:
        if campaign.started:
            return
        self.api.call("PUT", f"/api/campaigns/{campaign.id}", json_body=self._body(issue), retry=True)

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        body = {**self._body(issue), "subscribers": recipients}
        try:
            self.api.call("POST", f"/api/campaigns/{campaign.id}/test", json_body=body, retry=False)
        except ProviderError as error:
            raise ProviderError(f"{error} (Testempfänger müssen in listmonk als Abonnenten angelegt "
                                "sein)", error.status) from None

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        try:
            self.api.call("PUT", f"/api/campaigns/{campaign.id}/status",
                          json_body={"status": "running"}, retry=False)
        except ProviderError:
            # A start that was in flight may have succeeded; the state decides.
            if not self.get(campaign.id).started:
                raise
