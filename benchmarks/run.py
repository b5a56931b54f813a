"""`invoke bench`: this project against plain Pelican + default theme, side by side.

Builds alternate (plain, ours, plain, ours …) in fresh processes so both see the
same machine noise; ratios come from the same run. Results: printed table and
benchmarks/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PLAIN_SETTINGS = """SITENAME = "Plain"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", "*.yml"]
CACHE_PATH = {cache!r}
"""
PRINT_CACHE = "print"  # under .cache/: the PDFs by the hash of their input (plugins/paper/pdf.py)
# Files derived by content hash stay between cold builds, as on an editor's machine: the PDFs and
# the PNG copies of SVG images (plugins/web/findability.py). Their first making is its own column.
DERIVED = (PRINT_CACHE, "images")


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command in a fresh process."""
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed: {error[-2000:]}")
    return elapsed, usage.ru_maxrss


class Pair:
    """The two builds of one corpus."""

    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus, self.work = corpus, work
        self.settings = work / "plain_settings.py"
        self.settings.write_text(PLAIN_SETTINGS.format(cache=str(work / "plain-cache")), encoding="utf-8")

    def plain(self, cache: bool = False) -> tuple[float, int]:
        flags = (["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"] if cache
                 else ["--ignore-cache", "--delete-output-directory"])
        return timed([PYTHON, "-m", "pelican", str(self.corpus), "-o", str(self.work / "plain-out"),
                      "-s", str(self.settings), "-q", *flags])

    def ours(self, cache: bool = False, keep_print: bool = True) -> tuple[float, int]:
        """A cold build starts without the content caches; the print cache stays unless asked
        (PDFs are made once per input, like on an editor's machine: their cost is its own column)."""
        if not cache:
            for child in (ROOT / ".cache").glob("*"):
                if child.name not in DERIVED or not keep_print:
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
        result = timed([PYTHON, "-m", "pipeline.build", "--content", str(self.corpus), "--output",
                        str(self.work / "ours-out"), *(["--cache"] if cache else [])])
        retired_gone(self.work)
        return result


def retired_gone(work: Path) -> None:
    """Wait (untimed) until the site a build replaced is deleted: the build leaves that to a
    detached process, which must not share the machine with the next timed build."""
    while any(work.glob(".ours-out.old-*")):
        time.sleep(0.02)


def search_ready(site: Path) -> float:
    """Seconds until the background search refresh of ``site`` has finished (not timed as part of
    the next build: the machine would otherwise share its cores with it)."""
    from plugins.search.indexer import refresh_running

    start = time.perf_counter()
    while refresh_running(site) is not None:
        time.sleep(0.02)
    return time.perf_counter() - start


def _edit(post: Path, marker: str) -> None:
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nGeändert: {marker}\n")


def measure(count: int, rounds: int, work: Path) -> dict:
    corpus = work / f"corpus-{count}"
    posts = write_corpus(corpus, count)
    pair = Pair(corpus, work)
    # The PDFs' cost: a cold build that renders every one, against the same build with the
    # print cache filled (the rounds below); and how many a build makes.
    print_first, _rss = pair.ours(keep_print=False)
    pdfs = len(list((work / "ours-out").rglob("*.pdf")))
    stored = sorted((ROOT / ".cache" / PRINT_CACHE).glob("*.pdf"))
    cold_plain, cold_ours, rss_plain, rss_ours = [], [], [], []
    for _ in range(rounds):
        seconds, rss = pair.plain()
        cold_plain.append(seconds)
        rss_plain.append(rss)
        seconds, rss = pair.ours()
        cold_ours.append(seconds)
        rss_ours.append(rss)
    result = {"posts": count, "cold_plain_s": statistics.median(cold_plain),
              "cold_ours_s": statistics.median(cold_ours),
              "peak_rss_plain_mib": max(rss_plain) / 1024, "peak_rss_ours_mib": max(rss_ours) / 1024}
    result["cold_ratio"] = result["cold_ours_s"] / result["cold_plain_s"]
    result["pdfs"] = pdfs
    result["pdf_cold_s"] = max(0.0, print_first - result["cold_ours_s"])
    result["rss_ratio"] = result["peak_rss_ours_mib"] / result["peak_rss_plain_mib"]
    # One-post edit: warm the content caches, edit, rebuild.
    pair.plain(cache=True)
    pair.ours(cache=True)
    search_ready(work / "ours-out")
    rebuild_plain, rebuild_ours, searchable = [], [], []
    for index in range(rounds):
        _edit(posts[index], f"plain-{index}")
        rebuild_plain.append(pair.plain(cache=True)[0])
        _edit(posts[index], f"ours-{index}")
        rebuild_ours.append(pair.ours(cache=True)[0])
        # The index is rewritten after the command returns: until a search finds the edit.
        searchable.append(rebuild_ours[-1] + search_ready(work / "ours-out"))
    result["rebuild_plain_s"] = statistics.median(rebuild_plain)
    result["rebuild_ours_s"] = statistics.median(rebuild_ours)
    result["rebuild_searchable_s"] = statistics.median(searchable)
    result["rebuild_searchable_ratio"] = result["rebuild_searchable_s"] / result["cold_plain_s"]
    result["rebuild_ratio_to_plain_cold"] = result["rebuild_ours_s"] / result["cold_plain_s"]
    # Post edits change no poster and no sent issue: a rebuild must render (and write) no PDF.
    result["pdfs_rendered_by_rebuilds"] = len(set((ROOT / ".cache" / PRINT_CACHE).glob("*.pdf"))
                                              - set(stored))
    return result


def content_check_seconds(work: Path, count: int) -> float:
    corpus = work / f"check-{count}"
    write_corpus(corpus, count, seed=7)
    samples = [timed([PYTHON, "-m", "pipeline.content_check", "--content", str(corpus)])[0]
               for _ in range(3)]
    return statistics.median(samples)


def page_weight(site: Path) -> dict:
    article = sorted(site.glob("aktuelles/*/*/index.html"))[0]
    html = article.read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', head)
    scripts = re.findall(r"<script[^>]*src=", head)
    css = sum((site / s.lstrip("/")).stat().st_size for s in sheets)
    fonts = sum(p.stat().st_size for p in site.glob("theme/**/*.woff2"))
    return {"article_html_bytes": len(html.encode()), "css_bytes": css, "font_bytes": fonts,
            "article_total_bytes": len(html.encode()) + css + fonts,
            "render_blocking_stylesheets": len(sheets), "render_blocking_scripts": len(scripts)}


def preview_latency(work: Path, count: int) -> float:
    """Seconds from saving a post to its fresh page in `invoke serve` (1,000 posts)."""
    corpus = work / f"corpus-{count}"
    port = 8800 + os.getpid() % 100
    output = work / "serve-out"
    server = subprocess.Popen([PYTHON, "-m", "invoke", "serve", "--content", str(corpus), "--output",
                               str(output), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            line = server.stdout.readline() if server.stdout else ""
            if "Vorschau:" in line:
                break
        post = sorted((corpus / "posts").glob("*.md"))[count // 2]
        found = re.search(r'^title: "(.*)"$', post.read_text(encoding="utf-8"), re.M)
        title = found[1] if found else ""
        page = next(p for p in output.glob("aktuelles/*/*/index.html")
                    if title in p.read_text(encoding="utf-8"))
        url = f"http://127.0.0.1:{port}/{page.relative_to(output).parent.as_posix()}/"
        time.sleep(2)  # let the watcher settle
        marker = f"frisch-{time.time_ns()}"
        saved = time.perf_counter()
        _edit(post, marker)
        while time.perf_counter() - saved < 60:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if marker in answer.read().decode():
                        return time.perf_counter() - saved
            except OSError:
                pass
            time.sleep(0.05)
        return float("inf")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(sizes: tuple[int, ...] = (1000, 5000), rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                    f"Python {platform.python_version()}, {platform.system()}",
                         "date": time.strftime("%Y-%m-%d")}
        for count in sizes:
            results[str(count)] = measure(count, rounds if count <= 1000 else 1, work)
            print(json.dumps(results[str(count)]), flush=True)
        if "1000" in results and "5000" in results:
            results["linearity_5000_over_1000"] = (results["5000"]["cold_ours_s"]
                                                   / results["1000"]["cold_ours_s"])
        inner = subprocess.run([PYTHON, "-m", "benchmarks.inprocess", str(work / "corpus-1000"),
                                str(work / "inproc-out")], cwd=ROOT, capture_output=True, text=True)
        results.update(json.loads(inner.stdout.strip().splitlines()[-1]))
        results["content_check_100_s"] = content_check_seconds(work, 100)
        results["content_check_1000_s"] = content_check_seconds(work, 1000)
        results.update(page_weight(work / "inproc-out"))
        results["preview_fresh_s"] = preview_latency(work, 1000)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    return results


def table(r: dict) -> str:
    n = r.get("1000", {})
    rows = [("cold build, 1,000 posts",
             f"{n.get('cold_ours_s', 0):.2f} s vs {n.get('cold_plain_s', 0):.2f} s",
             f"{n.get('cold_ratio', 0):.2f} ×", "≤ 1.00 ×"),
            ("rebuild after one edit",
             f"{n.get('rebuild_ours_s', 0):.2f} s (plain warm {n.get('rebuild_plain_s', 0):.2f} s)",
             f"{n.get('rebuild_ratio_to_plain_cold', 0):.2f} × plain cold", "≤ 0.3 ×"),
            ("… until a search finds the edit", f"{n.get('rebuild_searchable_s', 0):.2f} s",
             f"{n.get('rebuild_searchable_ratio', 0):.2f} × plain cold", "≤ 0.6 ×"),
            ("peak memory",
             f"{n.get('peak_rss_ours_mib', 0):.0f} MiB vs {n.get('peak_rss_plain_mib', 0):.0f} MiB",
             f"{n.get('rss_ratio', 0):.2f} ×", "≤ 1.50 ×"),
            ("print PDFs, first build (own column)",
             f"{n.get('pdf_cold_s', 0):.2f} s for {n.get('pdfs', 0)} PDFs", "", "once per input"),
            ("PDFs rendered by one-post rebuilds", f"{n.get('pdfs_rendered_by_rebuilds', 0)}", "", "0")]
    if "linearity_5000_over_1000" in r:
        rows.append(("5,000 / 1,000 posts",
                     f"{r['5000']['cold_ours_s']:.2f} s / {n['cold_ours_s']:.2f} s",
                     f"{r['linearity_5000_over_1000']:.2f}", "≤ 5.5"))
    rows += [("feed generation (24 feeds)", f"{r.get('feed_generation_ms', 0):.0f} ms", "", ""),
             ("newsletter render, 20 posts", f"{r.get('newsletter_render_ms', 0):.1f} ms", "", "≤ 20 ms"),
             ("check --fast, 100 posts", f"{r.get('content_check_100_s', 0):.2f} s", "", "< 1 s"),
             ("check --fast, 1,000 posts", f"{r.get('content_check_1000_s', 0):.2f} s", "", ""),
             ("article page (HTML+CSS+fonts)", f"{r.get('article_total_bytes', 0) / 1024:.1f} KB, "
              f"{r.get('render_blocking_stylesheets', 0)} stylesheet", "", "≤ 30 KB, 1 stylesheet"),
             ("live preview: page fresh after save", f"{r.get('preview_fresh_s', 0):.2f} s", "", "≤ 1 s")]
    width = max(len(row[0]) for row in rows)
    lines = [f"Machine: {r['machine']} ({r['date']})"]
    lines += [f"{a:<{width}}  {b:<42} {c:<22} {d}" for a, b, c, d in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
