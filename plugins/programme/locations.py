"""Where things live by default. One definition each; settings, commands and checks read them here."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

CONTENT_ENV = "SLS_CONTENT"  # an adopter's content folder
PROGRAMME_ENV = "SLS_PROGRAMME"  # an adopter's programme data file, if not <content>/programme.yml
PROGRAMME_FILENAME = "programme.yml"
NEWSLETTER_FOLDER = "newsletter"  # editorials and the record of sent issues, inside content/
RECORD_FILENAME = "issues.yml"


def from_env(env: Mapping[str, str], name: str) -> str | None:
    """A path from the environment; empty (an unset CI variable) means not set."""
    value = env.get(name, "").strip()
    return value or None


def file_in_place(path: str | Path) -> Path:
    """``path`` made absolute with its folder's links resolved, but not the file's own: a
    programme file that is a symbolic link stays one, and is refused instead of read."""
    path = Path(path)
    return path.parent.resolve() / path.name


def record_file(content: str | Path) -> Path:
    """The record of issues already sent, inside the content folder."""
    return Path(content) / NEWSLETTER_FOLDER / RECORD_FILENAME

# Where each subscriber's unsubscribe link goes while an issue is rendered: every provider puts
# its own expression there. Reserved: no content may link to it (editorials.py refuses it).
UNSUBSCRIBE_SENTINEL = "https://abmelden.invalid/"
# The provider's preference page (topics, language), where it has one: listmonk, Brevo.
MANAGE_SENTINEL = "https://abo-verwalten.invalid/"
