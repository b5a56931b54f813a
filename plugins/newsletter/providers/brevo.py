"""Brevo (API v3), the hosted EU alternative: email campaigns through its REST API."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote

import requests

from ..rendered_issue import RenderedIssue, Sender, posts_in, posts_marker
from ..topics import BREVO_END, brevo_attribute, brevo_condition, brevo_value, convert, keep
from .clock import Clock
from .http import HttpApi, HttpCampaignProvider, Log, campaign_id, one_campaign
from .protocol import Campaign, ProviderError, TopicChange
from .secrets import server_text
from .templating import brevo_html, brevo_text

DRAFT = {"draft"}
STOPPED = {"suspended"}
PAGE_SIZE = 100
# Pages of campaigns read to find an issue's (20,000 campaigns: decades of weekly issues), the
# campaigns carrying one key (one, and perhaps copies a person made), subscribers per list read
# for the topics: an account answering without end is not read without end.
MAX_PAGES = 200
MAX_MATCHES = 20
MAX_CONTACTS = 500_000
DEFAULT_URL = "https://api.brevo.com/v3"


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"{body.get('code', '')}: {body.get('message', '')}".strip(": ") or str(response.reason)
    except ValueError:
        return str(response.reason or "ohne Begründung")


class BrevoProvider(HttpCampaignProvider):
    name = "brevo"

    def __init__(self, api_key: str, list_ids: list[int], sender: Sender, clock: Clock,
                 url: str = DEFAULT_URL, log: Log | None = None, read_timeout: float = 30.0,
                 topic_lists: dict[str, int] | None = None) -> None:
        api = HttpApi(url, {"api-key": api_key}, clock, self.name, _message, log=log,
                      read_timeout=read_timeout, secrets=(api_key,))
        super().__init__(url, list_ids, sender, api, topic_lists)

    def campaign_path(self, campaign_id: str = "") -> str:
        return f"/emailCampaigns/{campaign_id}" if campaign_id else "/emailCampaigns"

    def start_request(self, campaign_id: str) -> tuple[str, str, object]:
        return "POST", f"/emailCampaigns/{campaign_id}/sendNow", None

    def campaign(self, data: dict[str, Any]) -> Campaign:
        status = server_text(data.get("status", ""), 40)
        return Campaign(campaign_id(data["id"]), status, status not in DRAFT, str(data.get("name", "")), data,
                        stopped=status in STOPPED)

    def created(self, response: requests.Response, issue: RenderedIssue) -> Campaign:
        return Campaign(campaign_id(response.json()["id"]), "draft", False, f"{issue.key}: {issue.subject}")

    def find(self, key: str) -> Campaign | None:
        matches: list[Campaign] = []
        for page in range(MAX_PAGES):
            response = self.api.call("GET", "/emailCampaigns", params={
                "type": "classic", "limit": PAGE_SIZE, "offset": page * PAGE_SIZE, "sort": "desc",
                "excludeHtmlContent": "true"})
            body = response.json() if response.content else {}
            campaigns = body.get("campaigns") or []
            matches += [self.campaign(item) for item in campaigns
                        if item.get("tag") == key or str(item.get("name", "")).startswith(f"{key}:")]
            if len(matches) > MAX_MATCHES:
                raise ProviderError(f"mehr als {MAX_MATCHES} Kampagnen tragen „{key}“: lösche beim Anbieter "
                                    "alle bis auf eine")
            if len(campaigns) < PAGE_SIZE or (page + 1) * PAGE_SIZE >= int(body.get("count") or 0):
                break
        else:  # not found among so many is no answer: a new campaign could be a second one
            raise ProviderError(f"Brevo: mehr als {MAX_PAGES * PAGE_SIZE} Kampagnen durchsucht, „{key}“ "
                                "nicht gefunden – alte Kampagnen beim Anbieter archivieren oder löschen")
        return one_campaign(key, matches)

    def body(self, issue: RenderedIssue) -> dict[str, Any]:
        name = f"{issue.key}: {issue.subject}"
        lists = self.lists_for(issue)
        sections = (partial(convert, condition=partial(brevo_condition, edition=issue.edition), end=BREVO_END)
                    if self.topic_lists else keep)
        issue = issue.for_provider(brevo_html, brevo_text, "{{ unsubscribe }}", sections,
                                   manage="{{ update_profile }}")
        return {
            "name": name,
            "subject": issue.subject,
            "sender": {"name": self.sender.name, "email": self.sender.email},
            "htmlContent": issue.html + posts_marker(issue.posts),
            # With topics the preview text comes from the HTML, where each title is marked.
            **({} if self.topic_lists else {"previewText": issue.preheader}),
            "recipients": {"listIds": lists},
            "tag": issue.key,
        }

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        # Lists leave out the HTML; the campaign itself has it, with the marker of its posts.
        return posts_in(str(self.get(campaign.id).details.get("htmlContent") or ""))

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendTest",
                      json_body={"emailTo": recipients})

    # -- reach: how many a list's campaigns go to -------------------------------------------
    def subscriber_count(self, list_id: int) -> tuple[str, int]:
        """(name, subscribers) of a list, from GET /contacts/lists/{id}: ``uniqueSubscribers``
        (its contacts, blocklisted ones included), else ``totalSubscribers``; the blocklisted
        (``totalBlacklisted``, while Brevo still reports it) are taken off, as campaigns skip them."""
        data = self.api.call("GET", f"/contacts/lists/{int(list_id)}").json()
        data = data if isinstance(data, dict) else {}
        number = data.get("uniqueSubscribers", data.get("totalSubscribers"))
        if type(number) is not int or number < 0:
            raise ProviderError(f"GET /contacts/lists/{int(list_id)}: Antwort ohne Abonnementzahl")
        blocked = data.get("totalBlacklisted")
        if "uniqueSubscribers" in data and type(blocked) is int and 0 <= blocked <= number:
            number -= blocked
        return str(data.get("name") or ""), number

    # -- topics: the contact attribute the campaign's conditions read ------------------------
    def topic_changes(self, edition: str = "") -> list[TopicChange]:
        """Contacts of this edition's lists whose attribute does not name the topics of the
        lists they are on."""
        name = brevo_attribute(edition)
        attributes = self.api.call("GET", "/contacts/attributes").json().get("attributes") or []
        if not any(a.get("name") == name and a.get("category") == "normal" for a in attributes):
            raise ProviderError(f"Brevo: Kontaktattribut {name} fehlt – unter Kontakte → "
                                "Einstellungen als Text-Attribut anlegen (Themenlisten schreiben es)")
        seen: dict[str, dict[str, Any]] = {}
        for number in [*self.list_ids, *self.topic_lists.values()]:
            for offset in range(0, MAX_CONTACTS, 500):
                page = self.api.call("GET", f"/contacts/lists/{number}/contacts", params={
                    "limit": 500, "offset": offset}).json()
                contacts = page.get("contacts") or []
                for contact in contacts:
                    # Only what the topics need: a list's subscribers are kept until all are read.
                    seen[str(contact.get("email", "")).lower()] = {
                        "listIds": contact.get("listIds"),
                        "listUnsubscribed": contact.get("listUnsubscribed"),
                        "attributes": {name: (contact.get("attributes") or {}).get(name)}}
                if len(contacts) < 500 or offset + 500 >= int(page.get("count") or 0):
                    break
            else:  # the topics of the others would stay wrong without a word
                raise ProviderError(f"Brevo: Liste {number} hat mehr als {MAX_CONTACTS} Kontakte – die "
                                    "Themen werden nicht geändert")
        changes = []
        for address, contact in sorted(seen.items()):
            on = {int(n) for n in contact.get("listIds") or []} - {
                int(n) for n in contact.get("listUnsubscribed") or []}
            current = (contact.get("attributes") or {}).get(name) or ""
            wanted = self.wanted_topics(on, current)
            if address and wanted is not None and current != brevo_value(wanted):
                changes.append(TopicChange(address, wanted, attribute=name))
        return changes

    def set_topics(self, change: TopicChange) -> None:
        self.api.call("PUT", f"/contacts/{quote(change.subscriber, safe='@')}",
                      json_body={"attributes": {change.attribute: brevo_value(change.topics)}})
