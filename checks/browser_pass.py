"""One Chromium pass over every page of a built site (and the newsletter email)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plugins.newsletter.rendered_issue import PREVIEW_FOLDER

from .browser import launch
from .nu import nu_errors
from .page_checks import (
    AXE_TAGS,
    IBM_RULESET,
    RUN_AXE,
    RUN_HTMLCS,
    RUN_IBM,
    WATCH_CSP,
    foreign,
    keyboard_problems,
    reflow_problems,
)
from .report import Report, excluded, exclusions
from .tools import ToolMissing

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IBM = ROOT / "node_modules" / "accessibility-checker-engine" / "ace-window.js"
HTMLCS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
# The search page is checked with results on screen: any word prefix finds something.
SEARCH_WITH_RESULTS = "suche/?q=e"
# One page per template for the slower keyboard and reflow checks.
TEMPLATE_SAMPLES = ["index.html", "aktuelles/index.html", "aktuelles/seite/2/index.html",
                    "aktuelles/*/*/index.html", "massnahmen/index.html", "massnahmen/*/index.html",
                    "cluster/*/index.html", "themen/index.html", "themen/*/index.html",
                    "termine/index.html", "termine/*/*/index.html",
                    "impressum/index.html", "leichte-sprache/index.html", "gebaerdensprache/index.html",
                    "feeds/index.html", "newsletter/index.html", "newsletter/*/index.html",
                    "newsletter/anmelden/index.html", "404.html"]


def _pages(site: Path, for_browser: bool = True) -> list[Path]:
    prefixes = [item["prefix"] for item in exclusions("skip_pages")] if for_browser else []
    return sorted(p for p in site.rglob("*.html") if PREVIEW_FOLDER not in p.relative_to(site).parts
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


class BrowserPass:
    """One browser tab that visits the site's pages and records what it finds in a Report."""

    def __init__(self, context: Any, base: str, report: Report, emails: list[str]) -> None:
        self.context, self.base, self.report, self.emails = context, base, report, emails
        self.page = context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(message.text)
                     if "Content Security Policy" in message.text else None)
        self.axe_by_rule: dict[str, set[str]] = defaultdict(set)
        self.by_engine: dict[str, dict[str, set[str]]] = {"ibm": defaultdict(set), "htmlcs": defaultdict(set)}

    def visit(self, relative: str) -> str:
        self.requests.clear()
        self.console.clear()
        self.page.goto(_url(self.base, relative), wait_until="load")
        if relative == SEARCH_WITH_RESULTS:
            for _ in range(100):  # the results arrive after the index has loaded
                if "Treffer" in self.page.inner_text("#suche-status"):
                    break
                self.page.wait_for_timeout(100)
        return "newsletter-email" if relative in self.emails else relative

    def _engines(self, label: str) -> None:
        """IBM Equal Access and HTML_CodeSniffer on the page as loaded."""
        for engine, script, argument in (("ibm", RUN_IBM, IBM_RULESET), ("htmlcs", RUN_HTMLCS, None)):
            for finding in self.page.evaluate(script, argument):
                if not excluded(finding["id"], label, self.report.exclusions, engine):
                    self.by_engine[engine][finding["id"]].add(label)
                    self.report.engine_help[f"{engine} {finding['id']}"] = finding["help"]

    def _axe(self, label: str, options: dict[str, Any], suffix: str = "") -> None:
        for violation in self.page.evaluate(RUN_AXE, options):
            rule = violation["id"] + suffix
            if suffix or not excluded(violation["id"], label, self.report.exclusions):
                self.axe_by_rule[rule].add(label)
                self.report.axe_help[rule] = violation["help"]

    def everything(self, relative: str) -> None:
        """axe (all WCAG rules), requests to other hosts, CSP violations, Web Storage."""
        label = self.visit(relative)
        self._axe(label, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        self._engines(label)
        outside = foreign(self.requests, self.base)
        if outside:
            self.report.foreign_requests[label] = sorted(set(outside))
        csp = self.page.evaluate("() => window.__cspViolations || []") + self.console
        if csp:
            self.report.csp[label] = sorted(set(csp))
        stored = self.page.evaluate("() => localStorage.length + sessionStorage.length")
        if stored:
            self.report.cookies_or_storage.append(f"{label}: {stored} Einträge im Web Storage")

    def dark_contrast(self, relative: str) -> None:
        label = self.visit(relative)
        self._axe(label, {"runOnly": {"type": "rule", "values": ["color-contrast"]}}, " (dunkles Farbschema)")

    def keyboard_and_reflow(self, relative: str) -> None:
        found = keyboard_problems(self.page, _url(self.base, relative))
        if found:
            self.report.keyboard[relative] = found
        found = reflow_problems(self.page, _url(self.base, relative))
        if found:
            self.report.reflow[relative] = found

    def cookies(self) -> None:
        cookies = self.context.cookies()
        if cookies:
            self.report.cookies_or_storage.append(f"Cookies gesetzt: {', '.join(c['name'] for c in cookies)}")


def check_site(site: Path, base: str, include_email: bool = True) -> Report:
    """Load every page (and the newsletter email) in Chromium and run the checks."""
    from playwright.sync_api import sync_playwright

    report = Report(checked_at=datetime.now(UTC).isoformat(timespec="seconds"), exclusions=exclusions(),
                    skipped=exclusions("skip_pages"))
    pages = [str(p.relative_to(site)) for p in _pages(site)]
    emails = sorted(str(p.relative_to(site)) for p in (site / PREVIEW_FOLDER).glob("*.html")) \
        if include_email else []
    for engine in (AXE, IBM, HTMLCS):
        if not engine.exists():
            raise ToolMissing(f"{engine.relative_to(ROOT / 'node_modules').parts[0]} fehlt – `npm ci` im "
                              "Projektordner ausführen")
    if (site / "suche" / "index.html").exists():
        pages.append(SEARCH_WITH_RESULTS)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        for engine in (AXE, IBM, HTMLCS):
            context.add_init_script(path=str(engine))
        context.add_init_script(WATCH_CSP)
        tab = BrowserPass(context, base, report, emails)
        for relative in pages + emails:
            tab.everything(relative)
        tab.cookies()
        # Dark colour scheme: contrast again on one page per template and on the email.
        tab.page.emulate_media(color_scheme="dark")
        for relative in _samples(site) + emails:
            tab.dark_contrast(relative)
        tab.page.emulate_media(color_scheme="light")
        for relative in _samples(site):
            tab.keyboard_and_reflow(relative)
        browser.close()
    report.axe = {rule: sorted(found) for rule, found in tab.axe_by_rule.items()}
    report.ibm = {rule: sorted(found) for rule, found in tab.by_engine["ibm"].items()}
    report.htmlcs = {rule: sorted(found) for rule, found in tab.by_engine["htmlcs"].items()}
    report.pages_checked, report.emails_checked = len(pages), len(emails)
    report.nu = nu_errors(_pages(site, for_browser=False), site)
    return report
