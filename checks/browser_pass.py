"""One Chromium over every page of a built site (and the newsletter email), several tabs at once.

Each page is loaded and judged completely in one tab: the three engines, requests to other
hosts, CSP, storage, then the keyboard walk, reflow at 320 px (what 400 % zoom gives a 1280 px
window) and at 200 % text, and contrast in the dark colour scheme. The Nu checker runs beside
the browser in its own process.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plugins.newsletter.rendered_issue import PREVIEW_FOLDER

from .browser import FLAGS, chromium_path
from .nu import nu_errors
from .page_checks import (
    AXE_TAGS,
    CLIPPED_OR_OVERLAPPING,
    COUNT_FOCUSABLE,
    IBM_RULESET,
    RUN_AXE,
    RUN_AXE_CONTRAST,
    RUN_HTMLCS,
    RUN_IBM,
    WATCH_CSP,
    WATCH_FOCUS,
    WIDE_ELEMENTS,
    contrast_problems,
    foreign,
    wide_problems,
)
from .report import Report, excluded, exclusions
from .tools import ToolMissing

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IBM = ROOT / "node_modules" / "accessibility-checker-engine" / "ace-window.js"
HTMLCS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
# The search page is checked with results on screen: any word prefix finds something.
SEARCH_WITH_RESULTS = "suche/?q=e"
EMAIL = "newsletter-email"
# Tabs at once: the renderer work of one tab overlaps with the engine work of the other; more
# tabs than that were slower on two cores (measured: 2 tabs 55 s, 3 tabs 60 s, 4 tabs 64 s).
TABS = 2
WIDE: Any = {"width": 1280, "height": 900}
NARROW: Any = {"width": 320, "height": 800}


def _pages(site: Path, for_browser: bool = True) -> list[Path]:
    prefixes = [item["prefix"] for item in exclusions("skip_pages")] if for_browser else []
    return sorted(p for p in site.rglob("*.html") if PREVIEW_FOLDER not in p.relative_to(site).parts
                  and not p.relative_to(site).as_posix().startswith(tuple(prefixes)))


def _url(base: str, relative: str) -> str:
    return f"{base}/{relative.removesuffix('index.html')}"


@dataclass
class Findings:
    """What the tabs found, merged into the Report at the end (tabs share this object; asyncio
    runs one tab's Python at a time, so no lock is needed)."""

    report: Report
    by_engine: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {engine: defaultdict(set) for engine in ("axe", "ibm", "htmlcs")})

    def engine(self, engine: str, rule: str, label: str, help_text: str) -> None:
        if excluded(rule, label, self.report.exclusions, engine):
            return
        self.by_engine[engine][rule].add(label)
        (self.report.axe_help if engine == "axe" else self.report.engine_help)[
            rule if engine == "axe" else f"{engine} {rule}"] = help_text


class Tab:
    """One browser tab that judges pages one after another."""

    def __init__(self, page: Any, base: str, findings: Findings) -> None:
        self.page, self.base, self.findings = page, base, findings
        self.requests: list[str] = []
        self.console: list[str] = []
        self.cdp: Any = None
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.console.append(message.text)
                if "Content Security Policy" in message.text else None)

    async def load(self, relative: str) -> None:
        await self.page.goto(_url(self.base, relative), wait_until="load")
        if relative == SEARCH_WITH_RESULTS:
            for _ in range(100):  # the results arrive after the index has loaded
                if "Treffer" in await self.page.inner_text("#suche-status"):
                    break
                await self.page.wait_for_timeout(100)

    async def judge(self, relative: str, label: str) -> None:
        report = self.findings.report
        self.requests.clear()
        self.console.clear()
        await self.page.set_viewport_size(WIDE)
        await self.load(relative)
        await self.engines(label)
        outside = foreign(self.requests, self.base)
        if outside:
            report.foreign_requests[label] = sorted(set(outside))
        csp = await self.page.evaluate("() => window.__cspViolations || []") + self.console
        if csp:
            report.csp[label] = sorted(set(csp))
        stored = await self.page.evaluate("() => localStorage.length + sessionStorage.length")
        if stored:
            report.cookies_or_storage.append(f"{label}: {stored} Einträge im Web Storage")
        problems = [] if label == EMAIL else await self.keyboard()
        if problems:
            report.keyboard[label] = problems
        problems = await self.reflow()
        if problems:
            report.reflow[label] = problems
        problems = await self.dark_contrast(label)
        if problems:
            report.contrast[label] = report.contrast.get(label, []) + problems

    async def engines(self, label: str) -> None:
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        for violation in await self.page.evaluate(RUN_AXE, options):
            self.findings.engine("axe", violation["id"], label, violation["help"])
            if violation["id"] == "color-contrast":
                self.findings.report.contrast[label] = contrast_problems(
                    await self.page.evaluate(RUN_AXE_CONTRAST), "helles Farbschema")
        for engine, script, argument in (("ibm", RUN_IBM, IBM_RULESET), ("htmlcs", RUN_HTMLCS, None)):
            for finding in await self.page.evaluate(script, argument):
                self.findings.engine(engine, finding["id"], label, finding["help"])

    async def keyboard(self) -> list[str]:
        """The skip link comes first and moves focus to main; every Tab stop shows focus.

        One walk with the real Tab key from the top of the page as loaded; the focus log the
        page keeps (WATCH_FOCUS) says what each stop looked like.
        """
        problems = []
        page = self.page
        stops = await page.evaluate(COUNT_FOCUSABLE)
        await page.evaluate("() => { window.__focusLog = []; }")
        await self.press_tab(max(stops, 1))
        walk = await page.evaluate("() => window.__focusLog")
        if not walk or walk[0]["href"] != "#inhalt":
            shown = f"{walk[0]['selector']} „{walk[0]['text']}“" if walk else "nichts"
            problems.append(f"erster Tab erreicht nicht den Link „Zum Inhalt springen“, sondern {shown}")
        else:
            await page.focus('a[href="#inhalt"]')
            await page.keyboard.press("Enter")
            if await page.evaluate("() => document.activeElement && document.activeElement.id") != "inhalt":
                problems.append("der Sprunglink setzt den Fokus nicht auf <main id=inhalt>")
        problems += [f"kein sichtbarer Fokus: {stop['selector']} „{stop['text']}“"
                     for stop in walk if not stop["visible"]]
        await page.evaluate("() => document.activeElement && document.activeElement.blur()")
        return sorted(set(problems))

    async def press_tab(self, times: int) -> None:
        """The real Tab key ``times`` times, through the browser's input pipeline as
        `keyboard.press` sends it, but all queued at once: the browser still handles one key
        after the other, without a round trip to this process between them (4x faster)."""
        if self.cdp is None:
            self.cdp = await self.page.context.new_cdp_session(self.page)
        key = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}
        await asyncio.gather(*(self.cdp.send("Input.dispatchKeyEvent", {"type": kind, **key})
                               for _ in range(times) for kind in ("rawKeyDown", "keyUp")))

    async def reflow(self) -> list[str]:
        """No horizontal scrolling at 320 CSS px; nothing cut off or overlapping at 200 % text."""
        page = self.page
        await page.set_viewport_size(NARROW)
        problems = wide_problems(await page.evaluate(WIDE_ELEMENTS), "Bildschirm 320 px")
        await page.set_viewport_size(WIDE)
        await page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        problems += wide_problems(await page.evaluate(WIDE_ELEMENTS), "200 % Textgröße")
        problems += [f"bei 200 % Textgröße {p}" for p in await page.evaluate(CLIPPED_OR_OVERLAPPING)]
        await page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        return problems

    async def dark_contrast(self, label: str) -> list[str]:
        await self.page.emulate_media(color_scheme="dark")
        found = await self.page.evaluate(RUN_AXE_CONTRAST)
        await self.page.emulate_media(color_scheme="light")
        if found:
            self.findings.engine("axe", "color-contrast (dunkles Farbschema)", label,
                                 "Elements must meet minimum color contrast ratio thresholds")
        return contrast_problems(found, "dunkles Farbschema")


async def _browse(site: Path, base: str, work: list[tuple[str, str]], report: Report) -> Findings:
    from playwright.async_api import async_playwright

    findings = Findings(report)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS,
                                                   headless=True)
        context = await browser.new_context(viewport=WIDE)
        for engine in (AXE, IBM, HTMLCS):
            await context.add_init_script(path=str(engine))
        await context.add_init_script(WATCH_CSP)
        await context.add_init_script(WATCH_FOCUS)
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        for item in work:
            queue.put_nowait(item)

        async def worker() -> None:
            tab = Tab(await context.new_page(), base, findings)
            while not queue.empty():
                relative, label = queue.get_nowait()
                await tab.judge(relative, label)

        await asyncio.gather(*(worker() for _ in range(min(TABS, len(work)) or 1)))
        cookies = await context.cookies()
        if cookies:
            report.cookies_or_storage.append(f"Cookies gesetzt: {', '.join(c['name'] for c in cookies)}")
        await browser.close()
    return findings


def check_site(site: Path, base: str, include_email: bool = True) -> Report:
    """Load every page (and the newsletter email) in Chromium and run the checks."""
    report = Report(checked_at=datetime.now(UTC).isoformat(timespec="seconds"), exclusions=exclusions(),
                    skipped=exclusions("skip_pages"))
    pages = [str(p.relative_to(site)) for p in _pages(site)]
    emails = sorted(str(p.relative_to(site)) for p in (site / PREVIEW_FOLDER).rglob("*.html")) \
        if include_email else []
    for engine in (AXE, IBM, HTMLCS):
        if not engine.exists():
            raise ToolMissing(f"{engine.relative_to(ROOT / 'node_modules').parts[0]} fehlt – `npm ci` im "
                              "Projektordner ausführen")
    chromium_path()  # a missing browser is said before anything starts
    if (site / "suche" / "index.html").exists():
        pages.append(SEARCH_WITH_RESULTS)
    work = [(page, page) for page in pages] + [(email, EMAIL) for email in emails]
    with ThreadPoolExecutor(1) as nu:  # Java beside the browser: two cores, two kinds of work
        validation = nu.submit(nu_errors, _pages(site, for_browser=False), site)
        findings = asyncio.run(_browse(site, base, work, report))
        report.nu = validation.result()
    report.axe = {rule: sorted(found) for rule, found in findings.by_engine["axe"].items()}
    report.ibm = {rule: sorted(found) for rule, found in findings.by_engine["ibm"].items()}
    report.htmlcs = {rule: sorted(found) for rule, found in findings.by_engine["htmlcs"].items()}
    report.pages_checked, report.emails_checked = len(pages), len(emails)
    return report
