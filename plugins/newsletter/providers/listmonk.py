"""listmonk (v4+), the recommended self-hosted provider, through its REST API.

An issue's campaign carries the issue key as a tag and as the start of its
name. Lookups use the ``tag`` filter (cmd/campaigns.go reads ``tag``, not the
documented ``tags``) with ``per_page=all`` (``per_page`` is capped at 50) and
check the tag again on our side; ``query`` is a fuzzy text search, not a key.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import requests

from ..rendered_issue import RenderedIssue, Sender
from ..topics import LISTMONK_END, attribute, convert, keep, listmonk_condition
from .clock import Clock
from .http import MAX_SUBSCRIBERS_BYTES, HttpApi, HttpCampaignProvider, Log, campaign_id, one_campaign
from .protocol import Campaign, ProviderError, TopicChange
from .secrets import server_text
from .templating import go_literal

# Anything past draft was started by someone; a rerun must never start it again.
STARTED = {"running", "scheduled", "paused", "finished", "cancelled"}
STOPPED = {"paused", "cancelled"}
POST_TAG = "post:"  # one tag per carried post: the record can always be rebuilt from listmonk


def _message(response: requests.Response) -> str:
    try:
        return str(response.json().get("message", "")) or str(response.reason)
    except ValueError:
        return str(response.reason or "ohne Begründung")


class ListmonkProvider(HttpCampaignProvider):
    name = "listmonk"

    def __init__(self, url: str, username: str, token: str, list_ids: list[int], sender: Sender,
                 clock: Clock, log: Log | None = None, read_timeout: float = 30.0,
                 topic_lists: dict[str, int] | None = None) -> None:
        api = HttpApi(url, {"Authorization": f"token {username}:{token}"}, clock, self.name, _message,
                      log=log, read_timeout=read_timeout, secrets=(token,))
        super().__init__(url, list_ids, sender, api, topic_lists)

    def campaign_path(self, campaign_id: str = "") -> str:
        return f"/api/campaigns/{campaign_id}" if campaign_id else "/api/campaigns"

    def start_request(self, campaign_id: str) -> tuple[str, str, object]:
        return "PUT", f"/api/campaigns/{campaign_id}/status", {"status": "running"}

    def unwrap(self, response: requests.Response) -> dict[str, Any]:
        data: dict[str, Any] = response.json()["data"]
        return data

    def campaign(self, data: dict[str, Any]) -> Campaign:
        status = server_text(data.get("status", ""), 40)
        return Campaign(campaign_id(data["id"]), status, status in STARTED, str(data.get("name", "")), data,
                        stopped=status in STOPPED)

    def find(self, key: str) -> Campaign | None:
        response = self.api.call("GET", "/api/campaigns", params={
            "tag": key, "per_page": "all", "no_body": "true", "order_by": "created_at"})
        results = (response.json().get("data") or {}).get("results") or []
        return one_campaign(key, [self.campaign(item) for item in results if key in (item.get("tags") or [])])

    def body(self, issue: RenderedIssue) -> dict[str, Any]:
        name = f"{issue.key}: {issue.subject}"  # not a template: shown as written
        lists = self.lists_for(issue)
        sections = (partial(convert, condition=partial(listmonk_condition, edition=issue.edition),
                            end=LISTMONK_END) if self.topic_lists else keep)
        issue = issue.for_provider(go_literal, go_literal, "{{ UnsubscribeURL }}", sections,
                                   manage="{{ ManageURL }}")
        body: dict[str, Any] = {
            "name": name,
            "subject": issue.subject,
            "lists": lists,
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

    # -- reach: how many a list's campaigns go to -------------------------------------------
    def subscriber_count(self, list_id: int) -> tuple[str, int]:
        """(name, subscribers) of a list, from GET /api/lists/:id. Counted as a campaign counts
        (queries/campaigns.sql): a double opt-in list's confirmed subscriptions, another's all but
        the unsubscribed. From ``subscriber_statuses``: ``subscriber_count`` has the unsubscribed
        in it, and GetList (internal/core/lists.go) adds the statuses to the query's sum once
        more; it serves only a listmonk without statuses. The statistics are listmonk's cached
        ones (refreshed as its settings say)."""
        body = self.api.call("GET", f"/api/lists/{int(list_id)}").json()
        data = body.get("data") if isinstance(body, dict) else None
        data = data if isinstance(data, dict) else {}
        statuses = data.get("subscriber_statuses")
        if isinstance(statuses, dict):
            counts = {str(status): number for status, number in statuses.items()}
            wanted = ["confirmed"] if data.get("optin") == "double" else \
                [status for status in counts if status != "unsubscribed"]
            numbers = [counts.get(status, 0) for status in wanted]
        else:
            numbers = [data.get("subscriber_count")]
        if not all(type(number) is int and number >= 0 for number in numbers):
            raise ProviderError(f"GET /api/lists/{int(list_id)}: Antwort ohne Abonnementzahl")
        return str(data.get("name") or ""), sum(numbers)

    # -- topics: the subscriber attribute the campaign's conditions read ---------------------
    def topic_changes(self, edition: str = "") -> list[TopicChange]:
        """Subscribers of this edition's lists whose attribute does not name the topics of the
        lists they are on (listmonk's campaign templates see attributes, not lists)."""
        lists = [*self.list_ids, *self.topic_lists.values()]
        response = self.api.call("GET", "/api/subscribers", params={
            "list_id": [str(number) for number in lists], "per_page": "all"}, max_bytes=MAX_SUBSCRIBERS_BYTES)
        name = attribute(edition)
        changes: dict[str, TopicChange] = {}  # by id: listmonk answers a row per matching list
        for item in (response.json().get("data") or {}).get("results") or []:
            on = {int(entry["id"]) for entry in item.get("lists") or []
                  if entry.get("subscription_status") != "unsubscribed"}
            attribs = item.get("attribs") if isinstance(item.get("attribs"), dict) else {}
            wanted = self.wanted_topics(on, attribs.get(name))
            if wanted is not None and attribs.get(name) != wanted:
                changes[str(item["id"])] = TopicChange(str(item["id"]), wanted, attribs, name)
        return list(changes.values())

    def set_topics(self, change: TopicChange) -> None:
        """PATCH (listmonk 6.1 and later) changes the attributes and leaves the lists alone."""
        try:
            self.api.call("PATCH", f"/api/subscribers/{change.subscriber}",
                          json_body={"attribs": {**change.attribs, change.attribute: change.topics}})
        except ProviderError as error:
            if error.status in (404, 405):
                raise ProviderError("listmonk kann Abonnenten nicht teilweise ändern: Themenlisten brauchen "
                                    "listmonk ab Version 6.1", error.status) from None
            raise
