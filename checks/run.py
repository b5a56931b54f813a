"""Run every check over a built site and write a machine-readable report.

    python -m checks.run --site output/            # a folder that is already built
    invoke check                                   # build, then check (part of `make test`)
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

from .browser_pass import check_site
from .server import StaticServer, free_port
from .tools import ToolMissing


def site_name(site: Path) -> str:
    """The programme's name as the built site states it (its home page's og:site_name)."""
    try:
        home = (site / "index.html").read_text(encoding="utf-8", errors="replace")[:20_000]
    except OSError:
        return "unbenannte Website"
    found = re.search(r'<meta property="og:site_name" content="([^"]*)"', home)
    return html.unescape(found.group(1)) if found else "unbenannte Website"


def run(site: Path, base: str | None = None, report_path: Path | None = None,
        include_email: bool = True, source: str | None = None) -> int:
    """Check ``site`` (served on ``base`` if given, else here); print and save the report, which
    names the site and ``source`` (where it was built from; default: the folder)."""
    try:
        if base is None:
            port = free_port()
            with StaticServer(site, port) as served:
                report = check_site(site, served, include_email)
        else:
            report = check_site(site, base, include_email)
    except ToolMissing as missing:
        print(f"Prüfung nicht möglich: {missing}", file=sys.stderr)
        return 2
    report.site = f"„{site_name(site)}“ ({source or site})"
    if report_path:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        data = {**asdict(report), "failures": report.failures}
        report_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report.summary(), file=sys.stdout if not report.failures else sys.stderr)
    return 1 if report.failures else 0


def build_and_check(settings: Path, content: str | None, report_path: Path | None = None) -> int:
    """Build ``content`` into a scratch folder, serve it on loopback and check it (the gate of
    `invoke check` and `make test`); absolute links (feeds, email images) point at that server."""
    import tempfile

    from pipeline.build import build as build_site

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="check-") as scratch:
        target = Path(scratch) / "site"
        result = build_site(settings, target, content, overrides={
            "PUBLIC_URL": base, "NEWSLETTER_PREVIEW": {"since": "2000-01-01"}})
        if not result.ok:
            print(result.report(), file=sys.stderr)
            return 1
        with StaticServer(target, port) as served:
            return run(target, served, report_path=report_path,
                       source=f"Inhalte: {_shown(settings, content)}")


def _shown(settings: Path, content: str | None) -> str:
    """The content folder the site was built from, as the person typed it or relative to here."""
    from pipeline.settings import load_settings

    folder = Path(load_settings(settings, content)["PATH"])
    try:
        return str(folder.relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Accessibility and privacy gate over a built site.")
    parser.add_argument("--site", required=True, help="built site folder")
    parser.add_argument("--report", default=None, help="write the JSON report here")
    args = parser.parse_args(argv)
    return run(Path(args.site).resolve(), report_path=Path(args.report) if args.report else None)


if __name__ == "__main__":
    sys.exit(main())
