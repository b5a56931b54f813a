"""The default provider: write the issue as an .eml file into a folder, no server needed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..rendered import RenderedIssue, Sender, compose_message
from .base import Campaign


class OutboxProvider:
    """Each issue becomes ``<outbox>/<key>.eml`` exactly once; tests become ``<key>.test.eml``."""

    name = "outbox"
    unsubscribe_placeholder = "{{ UnsubscribeURL }}"

    def __init__(self, folder: Path, sender: Sender) -> None:
        self.folder = Path(folder)
        self.sender = sender

    def describe(self) -> str:
        return f"outbox (Ordner {self.folder})"

    def _path(self, key: str, test: bool = False) -> Path:
        return self.folder / f"{key}{'.test' if test else ''}.eml"

    def find(self, key: str) -> Campaign | None:
        path = self._path(key)
        return Campaign(key, "sent", True, key) if path.exists() else None

    def get(self, campaign_id: str) -> Campaign:
        return self.find(campaign_id) or Campaign(campaign_id, "draft", False, campaign_id)

    def create(self, issue: RenderedIssue) -> Campaign:
        return Campaign(issue.key, "draft", False, issue.key)

    def update(self, campaign: Campaign, issue: RenderedIssue) -> None:
        self._issue = issue

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        self._write(self._path(issue.key, test=True), issue, ", ".join(recipients) or None, "test")

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        if not self._path(issue.key).exists():
            self._write(self._path(issue.key), issue, None, "")

    def _write(self, target: Path, issue: RenderedIssue, to: str | None, variant: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = compose_message(issue, self.sender, to=to, variant=variant).as_bytes()
        # Write then rename: a crash never leaves half a message that looks sent.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
