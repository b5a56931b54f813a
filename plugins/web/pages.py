"""Measure and cluster pages, and one stylesheet carrying the programme's design tokens."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator


def design_tokens_css(design: dict) -> str:
    """CSS custom properties for the light and dark colour schemes."""
    schemes = design.get("colors", {})

    def block(colours: dict) -> str:
        return "".join(f"--sls-color-{name.replace('_', '-')}:{value};"
                       for name, value in colours.items())

    css = f":root{{color-scheme:light dark;{block(schemes.get('light', {}))}}}\n"
    if "dark" in schemes:
        css += f"@media (prefers-color-scheme:dark){{:root{{{block(schemes['dark'])}}}}}\n"
    return css


def filesize(content_root: str, path: str) -> str:
    """German file size of a file under content/, e.g. „12,4 MB“."""
    full = Path(content_root) / path
    if not full.is_file():
        return "Größe unbekannt"
    size = full.stat().st_size
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} Bytes"


def accessibility_report(path: str | None, timezone: str) -> dict | None:
    """Date and result of the last `invoke check`, for the accessibility statement."""
    if not path or not os.path.exists(path):
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    checked = datetime.fromisoformat(data["checked_at"]).astimezone(ZoneInfo(timezone))
    return {"checked": checked, "pages": data.get("pages_checked", 0), "passed": data.get("failures") == 0}


class ProgrammePagesGenerator(Generator):
    """Writes pages the programme data defines, not single Markdown files."""

    def generate_context(self) -> None:
        programme = self.context["programme"]
        stylesheet = self._stylesheet(programme.design)
        digest = hashlib.sha256(stylesheet.encode()).hexdigest()[:10]
        # A content hash in the name lets servers cache the stylesheet forever.
        self.stylesheet_path = f"{self.settings['THEME_STATIC_DIR']}/css/site.{digest}.css"
        self.stylesheet = stylesheet
        self.context["STYLESHEET_URL"] = self.stylesheet_path
        self.context["ACCESSIBILITY_REPORT"] = accessibility_report(
            self.settings.get("ACCESSIBILITY_REPORT_FILE"), self.settings["TIMEZONE"])
        self.env.globals["STYLESHEET_URL"] = self.stylesheet_path

    def _stylesheet(self, design: dict) -> str:
        styles = Path(self.theme) / "styles"
        parts = [design_tokens_css(design)]
        parts += [path.read_text(encoding="utf-8") for path in sorted(styles.glob("*.css"))]
        return "\n".join(parts)

    def generate_output(self, writer) -> None:
        programme = self.context["programme"]
        target = os.path.join(self.output_path, self.stylesheet_path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(self.stylesheet)
        write = writer.write_file
        write("massnahmen/index.html", self.get_template("measures"), self.context,
              url="massnahmen/", template_name="measures")
        for measure in programme.measures:
            write(measure.url + "index.html", self.get_template("measure"), self.context,
                  measure=measure, articles=programme.updates_by_measure.get(measure.slug, []),
                  url=measure.url, template_name="measure")
        for cluster in programme.clusters:
            write(cluster.url + "index.html", self.get_template("cluster"), self.context,
                  cluster=cluster, articles=programme.updates_by_cluster.get(cluster.slug, []),
                  url=cluster.url, template_name="cluster")
