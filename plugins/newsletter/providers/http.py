"""JSON over HTTP for the campaign providers (listmonk, Brevo): one request at a time.

Exactly-once rests on two rules, both kept by the sender's one retry layer: requests that
cannot do harm twice (GET, a status PUT) are repeated with backoff; a request that may have
reached the server is never repeated blindly — the sender looks the campaign up again first.
Whether a failed request may have reached the server is decided by the
exception's type, never by its message.
"""

from __future__ import annotations

import http.cookiejar
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NameResolutionError, NewConnectionError

from ..rendered_issue import RenderedIssue, Sender
from ..topics import EVERYTHING
from .clock import Clock
from .protocol import Campaign, DeadlineExceeded, ProviderError, TransientError
from .retry import parse_retry_after
from .secrets import Redactor, server_text

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
# urllib3 errors raised before a byte of the request left this machine.
_NOT_SENT = (NewConnectionError, ConnectTimeoutError, NameResolutionError)
Log = Callable[[str], None]
T = TypeVar("T")


MAX_ANSWER_BYTES = 20_000_000  # an answer of the providers' APIs is kilobytes; a page of lists, a few MB
# listmonk answers every subscriber of the topic lists at once (about 1.2 KB a row): 400,000 rows.
MAX_SUBSCRIBERS_BYTES = 500_000_000


class TooLong(Exception):
    """The answer did not arrive in time."""


class TooLarge(Exception):
    """The answer was larger than any answer of the API."""


def read_bounded(response: requests.Response, max_bytes: int = MAX_ANSWER_BYTES) -> bytes:
    """The body of a streamed ``response``; TooLarge beyond ``max_bytes``."""
    body = bytearray()
    for chunk in response.iter_content(65536):
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge
    return bytes(body)


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``'s result, or TooLong when it takes longer than ``seconds``: run in a thread of
    its own that is left behind (a daemon: it ends with the process, its socket with it)."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = work()
        except BaseException as error:  # handed to the caller as it is
            done["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(max(0.0, seconds))
    if worker.is_alive():
        raise TooLong
    if "error" in done:
        raise done["error"]
    return done["value"]  # type: ignore[no-any-return]


def fetch_bounded(session: requests.Session, method: str, url: str, max_bytes: int = MAX_ANSWER_BYTES,
                  **kwargs: Any) -> requests.Response:
    """One request, never redirected (requests would carry a key's custom header, api-key or
    PRIVATE-TOKEN, to any host), its answer read whole up to ``max_bytes``."""
    response = session.request(method, url, allow_redirects=False, stream=True, **kwargs)
    with response:
        response._content = read_bounded(response, max_bytes)  # what .json() and .text read from now on
    return response


def campaign_id(value: object) -> str:
    """A campaign's id as the provider gave it, checked: it goes into the addresses of later
    requests and into issues.yml ("../" or an escape sequence must not). ValueError otherwise."""
    text = str(value) if type(value) is int else value if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 20):
        raise ValueError("campaign id")
    return text


def never_sent(error: requests.ConnectionError) -> bool:
    """True when the connection failed before the request was written."""
    reason: object = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(error, requests.ConnectTimeout) or isinstance(reason, _NOT_SENT)


class HttpApi:
    """JSON over HTTP with timeouts, bounded retries and no secret in any message."""

    def __init__(self, base_url: str, headers: dict[str, str], clock: Clock, name: str,
                 error_message: Callable[[requests.Response], str], log: Log | None = None,
                 read_timeout: float = READ_TIMEOUT, secrets: tuple[str, ...] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # listmonk ignores the Authorization header when a session cookie is present.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.session.headers.update({"Accept": "application/json", **headers})
        self.clock = clock
        self.name = name
        self.error_message = error_message
        self.log: Log = log or (lambda _message: None)
        self.read_timeout = read_timeout
        # The key and every header value that carries it: an answer may quote either.
        self.redact = Redactor([*secrets, *headers.values()])

    def call(self, method: str, path: str, *, json_body: object = None,
             params: dict[str, Any] | None = None, max_bytes: int = MAX_ANSWER_BYTES) -> requests.Response:
        """One request, never repeated here: a transient failure is raised as TransientError
        (``ambiguous`` when it may have reached the server) for the one retry layer, the
        sender's (plugins/newsletter/sending.py), which repeats whole logical operations."""
        remaining = self.clock.remaining()
        if remaining <= 0:
            raise DeadlineExceeded("Zeitbudget für den Versand aufgebraucht")
        timeout = (min(CONNECT_TIMEOUT, remaining), min(self.read_timeout, remaining))
        # The whole answer within the read timeout (a server dripping a byte at a time resets
        # a socket's timeout with every byte), and never more than MAX_ANSWER_BYTES of it.
        whole = min(CONNECT_TIMEOUT + self.read_timeout, remaining)
        try:
            response = within(whole, lambda: fetch_bounded(self.session, method, f"{self.base_url}{path}",
                                                           max_bytes, json=json_body, params=params,
                                                           timeout=timeout))
        except TooLong:
            raise TransientError(f"{method} {path}: keine vollständige Antwort in {whole:.0f} s",
                                 True) from None
        except TooLarge:
            raise TransientError(f"{method} {path}: Antwort größer als {max_bytes // 1_000_000} "
                                 "MB (keine Antwort des Versanddienstes?)", True) from None
        except requests.ConnectionError as error:
            sent = not never_sent(error)
            kind = "Verbindung abgebrochen" if sent else "keine Verbindung"
            raise TransientError(f"{method} {path}: {kind}", ambiguous=sent) from None
        except requests.Timeout:
            raise TransientError(f"{method} {path}: keine Antwort (Zeitüberschreitung)", True) from None
        except (requests.RequestException, ValueError) as error:
            # Raised before sending (e.g. an invalid header value): its text may quote a credential.
            raise ProviderError(f"{method} {path}: Anfrage nicht möglich ({type(error).__name__}) – "
                                "Zugangsdaten und Adresse prüfen") from None
        self.log(f"{self.name}: {method} {path} → {response.status_code}")
        if response.is_redirect or 300 <= response.status_code < 400:
            # Never followed: requests would carry the key's header (api-key) to any host.
            raise ProviderError(f"{method} {path}: der Versanddienst leitet um ({response.status_code}) – "
                                "trage in der Adresse des Dienstes die Adresse ein, zu der er umleitet")
        checked = self._checked(method, path, response)
        if checked.content:
            try:
                checked.json()
            except ValueError:  # a proxy's or a maintenance page: not the provider's answer
                raise TransientError(f"{method} {path}: Antwort ist keine Antwort des Versanddienstes "
                                     "(eine Wartungs- oder Proxy-Seite?)", True) from None
        return checked

    def _said(self, response: requests.Response) -> str:
        """What the provider says about a failed request: one line, secrets masked, then cut."""
        return server_text(self.error_message(response), 300, self.redact)

    def _checked(self, method: str, path: str, response: requests.Response) -> requests.Response:
        if response.status_code == 429:
            # Brevo announces the wait in x-sib-ratelimit-reset, others in Retry-After.
            wait = parse_retry_after(response.headers.get("Retry-After")
                                     or response.headers.get("x-sib-ratelimit-reset"))
            raise TransientError(f"{method} {path}: zu viele Anfragen (429)", False, wait)
        if response.status_code >= 500:
            raise TransientError(f"{method} {path}: Serverfehler {response.status_code} "
                                 f"({self._said(response)})", True,
                                 parse_retry_after(response.headers.get("Retry-After")))
        if response.status_code >= 400:
            raise ProviderError(f"{method} {path}: {response.status_code} {self._said(response)}",
                                response.status_code)
        return response


def one_campaign(key: str, matches: list[Campaign]) -> Campaign | None:
    """The campaign of issue ``key`` among the provider's campaigns carrying it. One started is
    the issue sent (a copy made at the provider must not send it again); several not started
    are for a person to sort out."""
    started = [campaign for campaign in matches if campaign.started]
    if started:
        return started[0]
    if len(matches) > 1:
        raise ProviderError(f"{len(matches)} Kampagnen tragen „{key}“ (Nummern "
                            f"{', '.join(c.id for c in matches)}): lösche beim Anbieter alle bis auf eine")
    return matches[0] if matches else None


class HttpCampaignProvider(ABC):
    """What listmonk and Brevo share: campaigns with an id, a body per issue, a start request.

    Subclasses say where things are (``campaign_path``, ``start_request``) and how their
    data looks (``body``, ``campaign``); lookup by key differs too (``find``).
    """

    name = ""

    def __init__(self, url: str, list_ids: list[int], sender: Sender, api: HttpApi,
                 topic_lists: dict[str, int] | None = None) -> None:
        self.url, self.list_ids, self.sender, self.api = url.rstrip("/"), list_ids, sender, api
        # Lists of one topic each (a cluster's or a measure's key → list id): their subscribers
        # see only their topics' parts of an issue (plugins/newsletter/topics.py).
        self.topic_lists = dict(topic_lists or {})

    def describe(self) -> str:
        topics = "".join(f", Thema {key}: Liste {number}" for key, number in self.topic_lists.items())
        return f"{self.name} ({self.url}), Listen {', '.join(map(str, self.list_ids))}{topics}"

    def lists_for(self, issue: RenderedIssue) -> list[int]:
        """The lists an issue goes to: the whole issue's, and those of the topics it has news
        for (a subscriber on several of them gets one email: providers send a campaign once
        per person). A topic list without news gets nothing."""
        news = issue.topics
        return [*self.list_ids, *(number for key, number in self.topic_lists.items() if key in news)]

    def wanted_topics(self, lists: set[int], current: Any) -> list[str] | None:
        """A subscriber's topics, from the lists of this edition they are on; None when their
        attribute may stay as it is (on no topic list and without one: they see everything)."""
        topics = {key for key, number in self.topic_lists.items() if number in lists}
        if not topics and not current:
            return None
        everything = {EVERYTHING} if lists & set(self.list_ids) else set()
        return sorted(everything | topics) or None

    # -- what a subclass defines ---------------------------------------------------------
    @abstractmethod
    def campaign_path(self, campaign_id: str = "") -> str:
        """See the class docstring."""

    @abstractmethod
    def start_request(self, campaign_id: str) -> tuple[str, str, object]:
        """See the class docstring."""

    @abstractmethod
    def body(self, issue: RenderedIssue) -> dict[str, Any]:
        """See the class docstring."""

    @abstractmethod
    def campaign(self, data: dict[str, Any]) -> Campaign:
        """See the class docstring."""

    def created(self, response: requests.Response, issue: RenderedIssue) -> Campaign:
        return self.campaign(response.json()["data"])

    @abstractmethod
    def find(self, key: str) -> Campaign | None:
        """The campaign carrying the issue ``key`` (see Provider.find)."""

    @abstractmethod
    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        """Send the issue to ``recipients`` only."""

    @abstractmethod
    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        """The posts stored with the campaign."""

    # -- shared behaviour ----------------------------------------------------------------
    def get(self, campaign_id: str) -> Campaign:
        return self.campaign(self.unwrap(self.api.call("GET", self.campaign_path(campaign_id))))

    def unwrap(self, response: requests.Response) -> dict[str, Any]:
        data: dict[str, Any] = response.json()
        return data

    def create(self, issue: RenderedIssue) -> Campaign:
        # Never retried blindly: an ambiguous failure goes back to find().
        return self.created(self.api.call("POST", self.campaign_path(), json_body=self.body(issue)), issue)

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:
        if not campaign.started:
            self.api.call("PUT", self.campaign_path(campaign.id), json_body=self.body(issue))

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        method, path, body = self.start_request(campaign.id)
        try:
            self.api.call(method, path, json_body=body)
        except ProviderError:
            # A start that was in flight may have succeeded; the state decides.
            if not self.get(campaign.id).started:
                raise
