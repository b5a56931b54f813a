"""The default provider: write the issue as an .eml file into a folder, no server needed."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from plugins.programme.files import write_atomically

from ..rendered_issue import POSTS_HEADER, RenderedIssue, Sender, email_message
from .local import LocalProvider
from .protocol import Campaign


class OutboxProvider(LocalProvider):
    """Each issue becomes ``<outbox>/<key>.eml`` exactly once; tests become ``<key>.test.eml``."""

    name = "outbox"
    # The files are for a person or another tool to send; they carry listmonk's expression.
    unsubscribe = "{{ UnsubscribeURL }}"

    def __init__(self, folder: Path, sender: Sender) -> None:
        super().__init__(sender)
        self.folder = Path(folder)

    def describe(self) -> str:
        return f"outbox (Ordner {self.folder})"

    def _path(self, key: str, test: bool = False) -> Path:
        return self.folder / f"{key}{'.test' if test else ''}.eml"

    def find(self, key: str) -> Campaign | None:
        return Campaign(key, "sent", True, key) if self._path(key).exists() else None

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        path = self._path(campaign.id)
        if not path.exists():
            return None
        with path.open("rb") as stream:
            header = BytesParser(policy=policy.default).parse(stream, headersonly=True)[POSTS_HEADER]
        return str(header).split() if header is not None else None

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        message = email_message(self._final(issue), self.sender, to=", ".join(recipients) or None,
                                variant="test")
        write_atomically(self._path(issue.key, test=True), message.as_bytes())

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        if not self._path(issue.key).exists():
            write_atomically(self._path(issue.key), email_message(self._final(issue), self.sender).as_bytes())

    def _final(self, issue: RenderedIssue) -> RenderedIssue:
        return issue.for_provider(str, str, self.unsubscribe)
