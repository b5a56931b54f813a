"""The Nu Html Checker (npm vnu-jar, Java) over every HTML page of the site."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path

from .tools import ToolMissing

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"




def nu_errors(pages: list[Path], site: Path) -> list[dict]:
    """Errors (not warnings) per page, as {page, line, message}."""
    if not VNU.exists():
        raise ToolMissing("vnu.jar fehlt – `npm ci` im Projektordner ausführen")
    java = shutil.which("java")
    if not java:
        raise ToolMissing("Java fehlt – installieren mit: sudo apt-get install default-jre-headless")
    if not pages:
        return []
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                           *map(str, pages)], capture_output=True, text=True, timeout=600)
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    errors = []
    for message in report.get("messages", []):
        if message.get("type") == "error" or message.get("subType") == "fatal":
            page = message.get("url", "").removeprefix("file:")
            with contextlib.suppress(ValueError):
                page = str(Path(page).relative_to(site))
            errors.append({"page": page, "line": message.get("lastLine"),
                           "message": message.get("message", "")})
    return errors
