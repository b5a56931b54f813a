"""The gate's findings, as people read them (summary) and as tools read them (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXCLUSIONS = Path(__file__).resolve().parent / "exclusions.yml"


@dataclass
class Report:
    """Everything the check found; empty lists mean the gate passes."""

    checked_at: str
    site: str = ""  # which site: its name and where it came from (two reports run in `make test`)
    pages_checked: int = 0
    emails_checked: int = 0
    axe: dict[str, list[str]] = field(default_factory=dict)  # rule → pages
    axe_help: dict[str, str] = field(default_factory=dict)
    ibm: dict[str, list[str]] = field(default_factory=dict)  # IBM Equal Access rule → pages
    htmlcs: dict[str, list[str]] = field(default_factory=dict)  # HTML_CodeSniffer code → pages
    engine_help: dict[str, str] = field(default_factory=dict)  # "<engine> <rule>" → message
    nu: list[dict] = field(default_factory=list)
    foreign_requests: dict[str, list[str]] = field(default_factory=dict)
    cookies_or_storage: list[str] = field(default_factory=list)
    csp: dict[str, list[str]] = field(default_factory=dict)
    keyboard: dict[str, list[str]] = field(default_factory=dict)
    reflow: dict[str, list[str]] = field(default_factory=dict)
    contrast: dict[str, list[str]] = field(default_factory=dict)  # page → element, text, ratio
    exclusions: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return (sum(len(p) for p in self.axe.values()) + sum(len(p) for p in self.ibm.values())
                + sum(len(p) for p in self.htmlcs.values()) + len(self.nu) + len(self.foreign_requests)
                + len(self.cookies_or_storage) + len(self.csp) + len(self.keyboard) + len(self.reflow))
    # Contrast findings are the details of axe's color-contrast rule, counted there.

    def summary(self) -> str:
        which = f" für {self.site}" if self.site else ""
        lines = [f"Barrierefreiheits- und Datenschutzprüfung{which}",
                 f"Geprüft: {self.pages_checked} Seiten, {self.emails_checked} Newsletter-E-Mail(s)."]
        for rule, pages in sorted(self.axe.items()):
            lines.append(f"axe {rule} ({self.axe_help.get(rule, '')}): {', '.join(sorted(pages)[:5])}"
                         + (" …" if len(pages) > 5 else ""))
        for engine, title in (("ibm", "IBM Equal Access"), ("htmlcs", "HTML_CodeSniffer")):
            for rule, pages in sorted(getattr(self, engine).items()):
                lines.append(f"{title} {rule} ({self.engine_help.get(f'{engine} {rule}', '')}): "
                             + ", ".join(sorted(pages)[:5]) + (" …" if len(pages) > 5 else ""))
        for error in self.nu[:20]:
            lines.append(f"Nu {error['page']}:{error['line']}: {error['message']}")
        for page, urls in self.foreign_requests.items():
            lines.append(f"fremde Anfrage auf {page}: {', '.join(urls[:3])}")
        lines += [f"Speicher/Cookie: {item}" for item in self.cookies_or_storage]
        for page, problems in self.csp.items():
            lines.append(f"CSP {page}: {'; '.join(problems[:3])}")
        for title, found in (("Tastatur", self.keyboard), ("Umbruch", self.reflow),
                             ("Kontrast", self.contrast)):
            lines += _by_element(title, found)
        for item in self.exclusions:
            engine = item.get("engine", "axe")
            lines.append(f"ausgenommen: Regel {item['rule']} ({engine}) – {item['reason']}")
        for item in self.skipped:
            lines.append(f"nicht im Browser geprüft: /{item['prefix']} – {item['reason']}")
        noun = "Befund" if self.failures == 1 else "Befunde"
        verdict = "bestanden" if not self.failures else f"NICHT bestanden ({self.failures} {noun})"
        lines.append(f"Barrierefreiheits- und Datenschutzprüfung{which} {verdict}.")
        return "\n".join(lines)


def _by_element(title: str, found: dict[str, list[str]]) -> list[str]:
    """One line per finding and page; a finding of the header or footer is on every page,
    so the same finding on other pages is counted on its first page's line."""
    pages_of: dict[str, list[str]] = {}
    for page in sorted(found, key=lambda page: (page != "index.html", page)):  # the home page first
        for problem in found[page]:
            pages_of.setdefault(problem, []).append(page)
    lines = []
    for problem, pages in pages_of.items():
        line = f"{title} {pages[0]}: {problem}"
        if len(pages) > 1:
            more = ", ".join(pages[1:4]) + (" …" if len(pages) > 4 else "")
            line += f" – ebenso auf {len(pages) - 1} weiteren Seite{'n' if len(pages) > 2 else ''} ({more})"
        lines.append(line)
    return lines


def exclusions(key: str = "exclusions") -> list[dict]:
    """Entries of checks/exclusions.yml: axe rule exclusions, or pages skipped in the browser."""
    data = yaml.safe_load(EXCLUSIONS.read_text(encoding="utf-8")) or {}
    return list(data.get(key) or [])


def excluded(rule: str, page: str, exclusions: list[dict], engine: str = "axe") -> bool:
    return any(item.get("engine", "axe") == engine and item["rule"] == rule
               and (not item.get("pages") or page in item["pages"]) for item in exclusions)
