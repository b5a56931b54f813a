"""listmonk's campaign API as its handlers answer (cmd/campaigns.go): {"data": …} / {"message": …}."""

from __future__ import annotations

from typing import ClassVar

from .http_api import FakeApi, Reply
from .templates import TemplateError, go_render

EDITABLE = {"draft", "scheduled", "paused"}


class FakeListmonk(FakeApi):
    def __init__(self, username: str = "api", token: str = "s3cret-token-1234",
                 subscribers: tuple[str, ...] = ("test@example.org",),
                 people: list[dict] | None = None, lists: dict[int, dict] | None = None) -> None:
        super().__init__()
        self.credential = f"token {username}:{token}"
        # Lists by id ({"name": …, "optin": "single" | "double"}); the lists people are on exist too.
        self.lists = {int(number): dict(fields) for number, fields in (lists or {}).items()}
        self.subscribers = set(subscribers)
        # Subscribers with their lists ({list id: subscription status}) and attributes; a
        # started campaign goes to each of them once, rendered with their attributes.
        self.people: dict[int, dict] = {}
        for number, person in enumerate(people or [], 1):
            lists = person["lists"]
            lists = lists if isinstance(lists, dict) else dict.fromkeys(lists, "confirmed")
            self.people[number] = {"id": number, "email": person["email"], "name": person.get("name", ""),
                                   "attribs": dict(person.get("attribs") or {}), "status": "enabled",
                                   "lists": lists}
            self.subscribers.add(person["email"])
        self.inbox: dict[str, list[dict]] = {}  # address → the emails it got (subject, body, altbody)
        self.campaigns: dict[int, dict] = {}
        self.created = 0
        self.started: dict[int, int] = {}
        self.tests: list[tuple[int, list[str]]] = []
        self.subscriptions: list[dict] = []
        self.delivered: dict[int, dict] = {}  # campaign id → what a subscriber got

    @staticmethod
    def compile_error(fields: dict) -> Reply | None:
        """listmonk compiles subject, body and text when a campaign is saved."""
        for name in ("subject", "body", "altbody"):
            try:
                go_render(fields.get(name) or "")
            except TemplateError as error:
                return Reply(400, {"message": f"Error compiling template: {error}"})
        return None

    def deliver(self, campaign: dict, to: list[str] | None = None) -> None:
        """A campaign as listmonk sends it (next-campaign-subscribers: DISTINCT subscribers of
        its lists, unsubscribed ones left out), each message rendered for its subscriber."""
        self.delivered[campaign["id"]] = {name: go_render(campaign.get(name) or "")
                                          for name in ("subject", "body", "altbody")}
        lists = {item["id"] for item in campaign["lists"]}
        for person in self.people.values():
            on = {number for number, status in person["lists"].items() if status != "unsubscribed"}
            if (to is None and on & lists) or (to is not None and person["email"] in to):
                self.inbox.setdefault(person["email"], []).append(
                    {"campaign": campaign["id"], **{name: go_render(campaign.get(name) or "", person)
                                                    for name in ("subject", "body", "altbody")}})

    def list_subscribers(self, _match, _body, query) -> Reply:
        """cmd/subscribers.go: repeatable list_id, per_page "all"; each with its lists."""
        wanted = {int(n) for n in query.get("list_id", [])}
        items = [{**person, "lists": [{"id": number, "subscription_status": status}
                                      for number, status in person["lists"].items()]}
                 for person in self.people.values() if not wanted or wanted & set(person["lists"])]
        return Reply(200, {"data": {"results": items, "total": len(items), "per_page": 0, "page": 1}})

    def patch_subscriber(self, match, body, _query) -> Reply:
        """PATCH /api/subscribers/:id (listmonk 6.1): only the fields sent change."""
        person = self.people.get(int(match[1]))
        if person is None:
            return Reply(400, {"message": "Subscriber not found"})
        if "attribs" in body:
            person["attribs"] = body["attribs"]
        if "lists" in body:
            person["lists"] = dict.fromkeys(body["lists"], "confirmed")
        return Reply(200, {"data": person})

    def get_list(self, match, _body, _query) -> Reply:
        """GET /api/lists/:id as internal/core/lists.go answers it: the count per subscription
        status, and ``subscriber_count`` their sum (unsubscribed included) added once more."""
        number = int(match[1])
        on = [p["lists"][number] for p in self.people.values() if number in p["lists"]]
        if number not in self.lists and not on:
            return Reply(400, {"message": "List not found"})
        fields = {"name": f"Liste {number}", "optin": "single", **self.lists.get(number, {})}
        statuses = {status: on.count(status) for status in sorted(set(on))}
        return Reply(200, {"data": {"id": number, "uuid": f"list-uuid-{number}", "type": "private",
                                    "status": "active", "tags": [], **fields,
                                    "subscriber_count": 2 * sum(statuses.values()),
                                    "subscriber_statuses": statuses}})

    public_paths: ClassVar[set] = {"/subscription/form"}  # no API credentials needed

    def authorized(self, headers) -> bool:
        return headers.get("Authorization") == self.credential

    def unauthorized(self) -> Reply:
        return Reply(403, {"message": "invalid API credentials"})

    def not_found(self) -> dict:
        return {"message": "Not found"}

    def server_error(self) -> dict:
        return {"message": "Error fetching campaigns: database unavailable"}

    def rate_limited(self) -> dict:
        return {"message": "too many requests"}

    def list_campaigns(self, _match, _body, query) -> Reply:
        # As in cmd/campaigns.go: repeatable `tag` (all must match), per_page capped at 50 or "all".
        tags = query.get("tag", [])
        items = [c for c in sorted(self.campaigns.values(), key=lambda c: c["id"], reverse=True)
                 if all(t in c["tags"] for t in tags)]
        page = int(query.get("page", ["1"])[0])
        raw = query.get("per_page", ["20"])[0]
        if raw == "all":
            return Reply(200, {"data": {"results": items, "total": len(items), "per_page": 0, "page": 1}})
        per_page = min(int(raw), 50)
        chunk = items[(page - 1) * per_page: page * per_page]
        return Reply(200, {"data": {"results": chunk, "total": len(items), "per_page": per_page,
                                    "page": page}})

    def get_campaign(self, match, _body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        # listmonk answers "not found" with 400, not 404 (internal/core/campaigns.go).
        return Reply(200, {"data": campaign}) if campaign else Reply(400, {"message": "Campaign not found"})

    def create_campaign(self, _match, body, _query) -> Reply:
        for field in ("name", "subject", "lists"):
            if not body.get(field):
                return Reply(400, {"message": f"invalid {field}"})
        refused = self.compile_error(body)
        if refused:
            return refused
        self.created += 1
        new_id = len(self.campaigns) + 1
        campaign = {"id": new_id, "uuid": f"uuid-{new_id}", "status": "draft", "type": "regular",
                    "name": body["name"], "subject": body["subject"], "tags": body.get("tags", []),
                    "lists": [{"id": i, "name": f"Liste {i}"} for i in body["lists"]],
                    "body": body.get("body", ""), "altbody": body.get("altbody"), "sent": 0, "to_send": 0}
        self.campaigns[new_id] = campaign
        return Reply(200, {"data": campaign})

    def update_campaign(self, match, body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(400, {"message": "Campaign not found"})
        if campaign["status"] not in EDITABLE:
            return Reply(400, {"message": "Cannot update a running or a finished campaign"})
        refused = self.compile_error(body)
        if refused:
            return refused
        campaign.update({k: body[k] for k in ("name", "subject", "body", "altbody", "tags") if k in body})
        if "lists" in body:
            campaign["lists"] = [{"id": i, "name": f"Liste {i}"} for i in body["lists"]]
        return Reply(200, {"data": campaign})

    def test_campaign(self, match, body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(400, {"message": "Campaign not found"})
        for field in ("name", "subject", "lists"):
            if not body.get(field):
                return Reply(400, {"message": f"Invalid length for `{field}`."})
        if body.get("messenger") != "email":
            return Reply(400, {"message": f"Unknown messenger {body.get('messenger', '')}."})
        if not body.get("subscribers"):
            return Reply(400, {"message": "There are no subscribers to target."})
        known = [s for s in body["subscribers"] if s in self.subscribers]  # unknown ones are skipped
        if not known:
            return Reply(400, {"message": "No known subscribers to test."})
        self.tests.append((campaign["id"], known))
        self.deliver({**campaign, **{k: body[k] for k in ("subject", "body", "altbody") if k in body}}, known)
        return Reply(200, {"data": True})

    def set_status(self, match, body, _query) -> Reply:
        campaign = self.campaigns.get(int(match[1]))
        if not campaign:
            return Reply(400, {"message": "Campaign not found"})
        if body.get("status") == "running":
            if campaign["status"] not in ("draft", "scheduled", "paused"):
                return Reply(400, {"message": "Only paused campaigns and drafts can be started."})
            campaign["status"] = "running"
            self.deliver(campaign)
            self.started[campaign["id"]] = self.started.get(campaign["id"], 0) + 1
        return Reply(200, {"data": campaign})

    def subscription_form(self, _match, body, _query) -> Reply:
        """cmd/public.go processSubForm: email required, at least one list UUID in `l`."""
        body = body or {}
        if not body.get("email"):
            return Reply(400, {"message": "Invalid email"})
        if not body.get("l"):
            return Reply(400, {"message": "No lists selected"})
        if body.get("nonce", [""])[0]:
            return Reply(502, {"message": "That feature is not available"})
        self.subscriptions.append({"email": body["email"][0], "name": body.get("name", [""])[0],
                                   "lists": body["l"]})
        return Reply(200, {"html": "Subscribed"})

    routes: ClassVar[list] = [
        ("POST", r"/subscription/form", subscription_form),
        ("GET", r"/api/campaigns", list_campaigns),
        ("POST", r"/api/campaigns", create_campaign),
        ("GET", r"/api/campaigns/(\d+)", get_campaign),
        ("PUT", r"/api/campaigns/(\d+)", update_campaign),
        ("POST", r"/api/campaigns/(\d+)/test", test_campaign),
        ("PUT", r"/api/campaigns/(\d+)/status", set_status),
        ("GET", r"/api/subscribers", list_subscribers),
        ("PATCH", r"/api/subscribers/(\d+)", patch_subscriber),
        ("GET", r"/api/lists/(\d+)", get_list),
    ]
