"""What a sending provider is, as the exactly-once state machine (``sending.py``) needs it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..rendered_issue import RenderedIssue


class ConfigError(ValueError):
    """Missing or invalid configuration, found before any network call."""


class ProviderError(RuntimeError):
    """The provider refused a request (4xx other than 429) — retrying will not help."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class TransientError(RuntimeError):
    """Rate limit, server error or network trouble; ``ambiguous`` if the request may have been applied."""

    def __init__(self, message: str, ambiguous: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous
        self.retry_after = retry_after


class DeadlineExceeded(RuntimeError):
    """The whole send ran out of time."""


@dataclass
class Campaign:
    """What the provider knows about an issue's campaign."""

    id: str
    status: str  # provider's own word
    started: bool  # running, scheduled, sent: must never be started again
    name: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    # Paused or cancelled by someone at the provider: started once, but not (fully) sent.
    stopped: bool = False
    # Sending began but its end was never confirmed (SMTP): only a person can tell.
    unclear: bool = False


@dataclass(frozen=True)
class TopicChange:
    """A subscriber whose topics attribute the sender brings in step with their lists."""

    subscriber: str  # the provider's id (listmonk) or the address (Brevo)
    topics: list[str]
    attribs: dict[str, Any] = field(default_factory=dict)  # what they have now (listmonk keeps them)
    attribute: str = ""  # the attribute of the edition (plugins/newsletter/topics.py)


class Provider(Protocol):
    """A place that sends an issue to subscribers; the source of truth about what was sent.

    ``find`` and ``get`` must be safe to repeat; ``create`` and ``start`` are never
    repeated blindly (after an ambiguous failure the state machine looks up again).
    Issues arrive with neutral content; each provider escapes it for its own template
    language (``RenderedIssue.for_provider``) before it leaves the machine.
    """

    name: str

    def describe(self) -> str: ...

    def find(self, key: str) -> Campaign | None:
        """The campaign of the issue with ``key``, if the provider has one."""
        ...

    def get(self, campaign_id: str) -> Campaign: ...

    def create(self, issue: RenderedIssue) -> Campaign: ...

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:
        """Bring a campaign that has not started up to date with the rendered issue."""
        ...

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None: ...

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None: ...

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        """The posts this campaign carries, as stored with it at the provider (None: unknown)."""
        ...
