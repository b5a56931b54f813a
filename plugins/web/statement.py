"""What the accessibility statement says about the last check (reports/accessibility.json)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def last_check(path: str | None, timezone: str) -> dict[str, Any] | None:
    """Date, page count and result of the last `invoke check`; None before the first."""
    if not path or not os.path.exists(path):
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    checked = datetime.fromisoformat(data["checked_at"]).astimezone(ZoneInfo(timezone))
    return {"checked": checked, "pages": data.get("pages_checked", 0), "passed": data.get("failures") == 0}
