"""Measure and cluster pages, and one stylesheet carrying the programme's design tokens."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
