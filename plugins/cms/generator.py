"""Write /admin/: Sveltia CMS from the pinned npm package, its fonts, and the generated config.

The bundle would fetch its three fonts from a CDN; the copy points them at files
served from /admin/fonts/, so the editor contacts no host but ours (and the git host
after login). If node_modules is missing (a machine without npm), /admin/ explains
how to install it instead of loading anything from elsewhere.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from plugins.engine.outputs import NO_POSTS, Files, Renderer
from plugins.programme.problems import BuildStopped
from plugins.programme.security_policy import admin_csp

from .config import cms_config, repository_set

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "node_modules" / "@sveltia" / "cms"
PREVIEW = Path(__file__).with_name("preview.js")
BUNDLE_SCRIPT = Path(__file__).with_name("bundle.py")

INDEX = """<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{csp}">
  <meta name="robots" content="noindex">
  <title>Redaktion – {name}</title>
  <link rel="icon" href="{icon}" type="image/svg+xml">
  <link rel="cms-config-url" type="application/yaml" href="config.yml">
</head>
<body>
  {body}
</body>
</html>
"""
MISSING = ("<main><h1>Redaktionsoberfläche nicht installiert</h1><p>Sveltia CMS fehlt im Build. "
           "Im Projektordner <code>npm ci</code> ausführen und die Website neu bauen.</p></main>")
# With the repository still a placeholder Sveltia only shows an English configuration error.
NOT_SET_UP = ("<main><h1>Redaktionsoberfläche noch nicht eingerichtet</h1><p>Das CMS weiß noch "
              "nicht, in welchem Repository die Inhalte liegen. Die technische Betreuung trägt es in "
              "<code>programme.yml</code> unter <code>cms:</code> ein (<code>repo: Gruppe/Projekt</code>, "
              "bei GitLab auch <code>app_id</code> der OAuth-Anwendung) und baut die Website neu.</p>"
              "<p>Bis dahin entstehen Beiträge als Markdown-Dateien im Ordner <code>posts/</code> des "
              "Inhaltsordners; wie, steht in der README.</p></main>")


# What the bundle may import from vendor/ (package, file). Its other lazy imports (pointed at
# vendor/ too, plugins/cms/bundle.py) fail on our own host and their features stay unused: map
# widgets (Leaflet, which would also load map tiles from a third party), SVG optimisation
# (switched off in the config), EXIF reading, HEIC decoding, code highlighting (Shiki).
VENDOR = (("immutable", "dist/immutable.es.js"), ("turndown", "lib/turndown.browser.es.js"))


class CmsGenerator(Renderer):
    """Reads the programme data; writes the CMS app and its config.yml."""

    def generate_context(self) -> None:
        programme = self.context["programme"]
        content = Path(self.settings["PATH"])
        try:
            folder = content.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            folder = "content"
        self.config = cms_config(programme, self.settings.get("SITEURL", ""), folder)

    def outputs(self):
        # /admin/ shows programme data, settings and the installed package, never a post. Costly
        # (the bundle is rewritten in a process of its own): started first.
        yield Files(self._write_admin, NO_POSTS, weight=1000)

    def _write_admin(self) -> list[tuple[str, bytes]]:
        """Writes /admin/ itself (files copied from the package)."""
        target = Path(self.output_path) / "admin"
        target.mkdir(parents=True, exist_ok=True)
        (target / "config.yml").write_text(
            "# Generated from programme.yml and the front-matter schema; do not edit.\n"
            # libyaml's emitter: the same text as PyYAML's own, 5 times faster (30 ms a build).
            + yaml.dump(self.config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                        sort_keys=False, width=100),
            encoding="utf-8")
        programme = self.context["programme"]
        # Programme data is content: escaped like every other value that reaches HTML.
        name = html.escape(programme.name)
        csp = html.escape(admin_csp(programme, meta=True))
        # Without an icon the browser asks for /favicon.ico, which the site does not have.
        icon = html.escape(f"{self.settings.get('SITEURL', '')}/{programme.design.get('logo', '')}")
        package = Path(self.settings.get("CMS_PACKAGE") or PACKAGE)  # the installed Sveltia CMS
        bundle = package / "dist" / "sveltia-cms.js"
        if not repository_set(programme):
            (target / "index.html").write_text(
                INDEX.format(csp=csp, name=name, icon=icon, body=NOT_SET_UP), encoding="utf-8")
            return []
        if not bundle.exists():
            logger.warning("Sveltia CMS fehlt (node_modules/@sveltia/cms): /admin/ ohne Editor – npm ci")
            (target / "index.html").write_text(
                INDEX.format(csp=csp, name=name, icon=icon, body=MISSING), encoding="utf-8")
            return []
        fonts_dir = target / "fonts"
        fonts_dir.mkdir(exist_ok=True)
        fonts = {}
        for font in (package / "npm" / "assets").glob("*.woff2"):
            key = font.name.rsplit("-", 1)[0]  # "source-sans-3-latin-wght-normal" = family + file
            shutil.copyfile(font, fonts_dir / font.name)
            fonts[key] = font.name
        # In a small process of its own (plugins/cms/bundle.py): not on top of the build's memory.
        command = [sys.executable, str(BUNDLE_SCRIPT), str(bundle), str(target / "sveltia-cms.js"),
                   json.dumps(fonts)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise BuildStopped(f"Sveltia CMS: Bundle nicht umgeschrieben ({done.stderr.strip()[-300:]})")
        found = json.loads(done.stdout)
        if found["unknown"]:
            logger.warning("Sveltia CMS: keine lokale Schrift für %s",
                           ", ".join(sorted(set(found["unknown"]))))
        if found["missing"]:
            # The bundle would fetch these from unpkg.com (blocked by the CSP: the editor would
            # hang on its locale): no /admin/ is published that way.
            raise BuildStopped("Sveltia CMS: Stelle im Bundle nicht gefunden (andere Version als in "
                               f"package-lock.json?): {'; '.join(found['missing'])[:200]} — installiere "
                               "die Version aus package-lock.json (npm ci) oder passe "
                               "plugins/cms/bundle.py an die neue an")
        # The interface in every language of the package, and its version for the update check.
        shutil.copytree(package / "locales", target / "locales", dirs_exist_ok=True)
        shutil.copyfile(package / "package.json", target / "package.json")
        shutil.copytree(package / "dist" / "chunks", target / "chunks", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.map"))
        for vendored, file in VENDOR:
            source = package.parent.parent / vendored / file
            if source.exists():
                (target / "vendor" / vendored / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / "vendor" / vendored / file)
            else:
                logger.warning("Sveltia CMS: %s fehlt in node_modules – npm ci", vendored)
        body = '<script src="sveltia-cms.js"></script>'
        stylesheet = self.context.get("STYLESHEET_URL")
        if stylesheet:
            # The preview pane looks like the article page: the site's stylesheet and a template
            # with its structure (a file, as the CSP allows no inline script).
            data = {"stylesheet": "/" + stylesheet,
                    "measures": {m.slug: {"title": m.title, "cluster": m.cluster.title}
                                 for m in programme.measures}}
            (target / "preview.js").write_text(
                f"const SLS = {json.dumps(data, ensure_ascii=False)};\n"
                + PREVIEW.read_text(encoding="utf-8"), encoding="utf-8")
            body += '\n  <script src="preview.js"></script>'
        (target / "index.html").write_text(
            INDEX.format(csp=csp, name=name, icon=icon, body=body), encoding="utf-8")
        return []
