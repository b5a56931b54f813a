"""Run every check over a built site and write a machine-readable report.

    python -m checks.run --site output/            # a folder that is already built
    invoke check                                   # build, then check (part of `make test`)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from plugins.newsletter.rendered_issue import PREVIEW_FOLDER

from .browser import BrowserMissing, launch
from .nu import NuMissing, nu_errors
from .page_checks import (
    AXE_TAGS,
    RUN_AXE,
    WATCH_CSP,
    foreign,
    keyboard_problems,
    reflow_problems,
)
from .server import StaticServer, free_port

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EXCLUSIONS = Path(__file__).resolve().parent / "exclusions.yml"
EMAIL_FOLDER = PREVIEW_FOLDER
# One page per template for the slower keyboard and reflow checks.
TEMPLATE_SAMPLES = ["index.html", "aktuelles/index.html", "aktuelles/seite/2/index.html",
                    "aktuelles/*/*/index.html", "massnahmen/index.html", "massnahmen/*/index.html",
                    "cluster/*/index.html", "themen/index.html", "themen/*/index.html",
                    "impressum/index.html", "leichte-sprache/index.html", "gebaerdensprache/index.html",
                    "feeds/index.html", "newsletter/index.html", "newsletter/*/index.html",
                    "newsletter/anmelden/index.html", "404.html"]


@dataclass
class Report:
    """Everything the check found; empty lists mean the gate passes."""

    checked_at: str
    pages_checked: int = 0
    emails_checked: int = 0
    axe: dict[str, list[str]] = field(default_factory=dict)  # rule → pages
    axe_help: dict[str, str] = field(default_factory=dict)
    nu: list[dict] = field(default_factory=list)
    foreign_requests: dict[str, list[str]] = field(default_factory=dict)
    cookies_or_storage: list[str] = field(default_factory=list)
    csp: dict[str, list[str]] = field(default_factory=dict)
    keyboard: dict[str, list[str]] = field(default_factory=dict)
    reflow: dict[str, list[str]] = field(default_factory=dict)
    exclusions: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return (sum(len(p) for p in self.axe.values()) + len(self.nu) + len(self.foreign_requests)
                + len(self.cookies_or_storage) + len(self.csp) + len(self.keyboard) + len(self.reflow))

    def summary(self) -> str:
        lines = [f"Geprüft: {self.pages_checked} Seiten, {self.emails_checked} Newsletter-E-Mail(s)."]
        for rule, pages in sorted(self.axe.items()):
            lines.append(f"axe {rule} ({self.axe_help.get(rule, '')}): {', '.join(sorted(pages)[:5])}"
                         + (" …" if len(pages) > 5 else ""))
        for error in self.nu[:20]:
            lines.append(f"Nu {error['page']}:{error['line']}: {error['message']}")
        for page, urls in self.foreign_requests.items():
            lines.append(f"fremde Anfrage auf {page}: {', '.join(urls[:3])}")
        lines += [f"Speicher/Cookie: {item}" for item in self.cookies_or_storage]
        for title, found in (("CSP", self.csp), ("Tastatur", self.keyboard), ("Umbruch", self.reflow)):
            for page, problems in found.items():
                lines.append(f"{title} {page}: {'; '.join(problems[:3])}")
        for item in self.exclusions:
            lines.append(f"ausgenommen: axe {item['rule']} – {item['reason']}")
        for item in self.skipped:
            lines.append(f"nicht im Browser geprüft: {item['prefix']} – {item['reason']}")
        verdict = "bestanden" if not self.failures else f"NICHT bestanden ({self.failures} Befunde)"
        lines.append(f"Barrierefreiheits- und Datenschutzprüfung {verdict}.")
        return "\n".join(lines)


def _exclusions(key: str = "exclusions") -> list[dict]:
    """Entries of checks/exclusions.yml: axe rule exclusions, or pages skipped in the browser."""
    data = yaml.safe_load(EXCLUSIONS.read_text(encoding="utf-8")) or {}
    return list(data.get(key) or [])


def _excluded(rule: str, page: str, exclusions: list[dict]) -> bool:
    return any(item["rule"] == rule and (not item.get("pages") or page in item["pages"])
               for item in exclusions)


def _pages(site: Path, for_browser: bool = True) -> list[Path]:
    prefixes = [item["prefix"] for item in _exclusions("skip_pages")] if for_browser else []
    return sorted(p for p in site.rglob("*.html") if EMAIL_FOLDER not in p.relative_to(site).parts
                  and not p.relative_to(site).as_posix().startswith(tuple(prefixes)))


def _samples(site: Path) -> list[str]:
    chosen = []
    for pattern in TEMPLATE_SAMPLES:
        found = sorted(site.glob(pattern))
        if found:
            chosen.append(str(found[0].relative_to(site)))
    return chosen


def _url(base: str, relative: str) -> str:
    return f"{base}/{relative.removesuffix('index.html')}"


def check_site(site: Path, base: str, include_email: bool = True) -> Report:
    """Load every page (and the newsletter email) in Chromium and run the checks."""
    from playwright.sync_api import sync_playwright

    report = Report(checked_at=datetime.now(UTC).isoformat(timespec="seconds"))
    exclusions = _exclusions()
    report.exclusions = exclusions
    report.skipped = _exclusions("skip_pages")
    pages = [str(p.relative_to(site)) for p in _pages(site)]
    emails = sorted(str(p.relative_to(site)) for p in (site / EMAIL_FOLDER).glob("*.html")) \
        if include_email else []
    if not AXE.exists():
        raise NuMissing("axe-core fehlt – `npm ci` im Projektordner ausführen")
    axe_by_rule: dict[str, set[str]] = defaultdict(set)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        context.add_init_script(path=str(AXE))
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        requests: list[str] = []
        console: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: console.append(message.text)
                if "Content Security Policy" in message.text else None)
        for relative in pages + emails:
            requests.clear()
            console.clear()
            page.goto(_url(base, relative), wait_until="load")
            label = "newsletter-email" if relative in emails else relative
            for violation in page.evaluate(RUN_AXE, {"runOnly": {"type": "tag", "values": AXE_TAGS},
                                                     "resultTypes": ["violations"]}):
                if not _excluded(violation["id"], label, exclusions):
                    axe_by_rule[violation["id"]].add(label)
                    report.axe_help[violation["id"]] = violation["help"]
            outside = foreign(requests, base)
            if outside:
                report.foreign_requests[label] = sorted(set(outside))
            csp = page.evaluate("() => window.__cspViolations || []") + console
            if csp:
                report.csp[label] = sorted(set(csp))
            stored = page.evaluate("() => localStorage.length + sessionStorage.length")
            if stored:
                report.cookies_or_storage.append(f"{label}: {stored} Einträge im Web Storage")
        cookies = context.cookies()
        if cookies:
            report.cookies_or_storage.append(f"Cookies gesetzt: {', '.join(c['name'] for c in cookies)}")
        # Dark colour scheme: contrast again on one page per template and on the email.
        page.emulate_media(color_scheme="dark")
        for relative in _samples(site) + emails:
            page.goto(_url(base, relative), wait_until="load")
            label = "newsletter-email" if relative in emails else relative
            for violation in page.evaluate(RUN_AXE, {"runOnly": {"type": "rule",
                                                                 "values": ["color-contrast"]}}):
                axe_by_rule[f"{violation['id']} (dunkles Farbschema)"].add(label)
                report.axe_help[f"{violation['id']} (dunkles Farbschema)"] = violation["help"]
        page.emulate_media(color_scheme="light")
        for relative in _samples(site):
            found = keyboard_problems(page, _url(base, relative))
            if found:
                report.keyboard[relative] = found
            found = reflow_problems(page, _url(base, relative))
            if found:
                report.reflow[relative] = found
        browser.close()
    report.axe = {rule: sorted(found) for rule, found in axe_by_rule.items()}
    report.pages_checked, report.emails_checked = len(pages), len(emails)
    report.nu = nu_errors(_pages(site, for_browser=False), site)
    return report


def run(site: Path, base: str | None = None, report_path: Path | None = None,
        include_email: bool = True) -> int:
    """Check ``site`` (served on ``base`` if given, else here); print and save the report."""
    try:
        if base is None:
            port = free_port()
            with StaticServer(site, port) as served:
                report = check_site(site, served, include_email)
        else:
            report = check_site(site, base, include_email)
    except (BrowserMissing, NuMissing) as missing:
        print(f"Prüfung nicht möglich: {missing}", file=sys.stderr)
        return 2
    if report_path:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        data = {**asdict(report), "failures": report.failures}
        report_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report.summary(), file=sys.stdout if not report.failures else sys.stderr)
    return 1 if report.failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Accessibility and privacy gate over a built site.")
    parser.add_argument("--site", required=True, help="built site folder")
    parser.add_argument("--report", default=None, help="write the JSON report here")
    args = parser.parse_args(argv)
    return run(Path(args.site).resolve(), report_path=Path(args.report) if args.report else None)


if __name__ == "__main__":
    sys.exit(main())
