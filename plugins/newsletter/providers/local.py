"""What outbox and SMTP share: no campaign at a server, so the state is a local file."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..rendered_issue import RenderedIssue, Sender
from .protocol import Campaign


class LocalProvider(ABC):
    """A provider whose "campaign" is the issue key; ``find`` reads the local state."""

    name = ""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender

    @abstractmethod
    def find(self, key: str) -> Campaign | None:
        """The issue's state from the local file, if it was sent or attempted."""

    def get(self, campaign_id: str) -> Campaign:
        return self.find(campaign_id) or Campaign(campaign_id, "draft", False, campaign_id)

    def create(self, issue: RenderedIssue) -> Campaign:
        return Campaign(issue.key, "draft", False, issue.key)

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:  # noqa: B027 (a real no-op)
        """Nothing is stored before sending."""

    @abstractmethod
    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        """The posts stored with what was sent."""
