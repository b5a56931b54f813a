"""An issue's stable identity at every provider: ``<key_prefix>-<number, four digits>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_PREFIX = "newsletter"


def key_prefix(newsletter_data: Mapping[str, Any]) -> str:
    """The prefix from the programme's ``newsletter`` section (never change it once sent)."""
    return str(newsletter_data.get("key_prefix") or DEFAULT_PREFIX)


def issue_key(prefix: str, number: int) -> str:
    return f"{prefix}-{number:04d}"
