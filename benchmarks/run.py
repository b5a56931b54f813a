"""`invoke bench`: this project against plain Pelican + default theme, side by side.

Builds alternate (plain, ours, plain, ours …) in fresh processes so both see the
same machine noise; ratios come from the same run. Lighthouse (mobile preset) scores four
pages of the sample site. Results: printed table and benchmarks/results.json.
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
import threading
import time
import urllib.request
from pathlib import Path

from plugins.programme.tree import original_beside

from .corpus import SHAPES, phone_photo, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PLAIN_SETTINGS = """SITENAME = "Plain"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", "*.yml"]
CACHE_PATH = {cache!r}
# No plugins: unset, Pelican would run every plugin installed in its namespace. (It imports them
# all in any case: the tests' third-party plugin is installed apart, see pyproject.toml.)
PLUGINS = []
"""
HUGO = shutil.which("hugo")  # Debian's package; a reference column where it is installed
PRINT_CACHE = "print"  # under .cache/: the PDFs by the hash of their input (plugins/paper/pdf.py)
# Files derived by content hash stay between cold builds, as on an editor's machine: the PDFs and
# the PNG copies of SVG images (plugins/web/findability.py). Their first making is its own column.
DERIVED = (PRINT_CACHE, "images", "toolchain.sha256")  # the key the derived files were made with


def _tree_rss_kib(root: int) -> int:
    """Resident set size in KiB of ``root`` and its descendants together, from /proc."""
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="ascii")
            status = Path(entry.path, "statm").read_text(encoding="ascii")
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rpartition(")")[2].split()[1])
        sizes[pid] = int(status.split()[1]) * page_kib
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    return sum(sizes.get(pid, 0) for pid in tree)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS of the largest process and peak RSS summed over the process tree
    (KiB, sampled every 50 ms) of one command in a fresh process."""
    peak_sum = 0
    stop = threading.Event()
    # Errors to a file, not a pipe: a build that says much would block on a full pipe.
    with tempfile.TemporaryFile() as errors:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, **(env or {})})

        def sample() -> None:
            nonlocal peak_sum
            while not stop.wait(0.05):
                peak_sum = max(peak_sum, _tree_rss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - began
        stop.set()
        sampler.join()
        errors.seek(0)
        error = errors.read().decode(errors="replace")
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {error[-2000:]}")
    return elapsed, usage.ru_maxrss, max(peak_sum, usage.ru_maxrss)


# The project's build in the variants the targets name: everything (search index included), the
# site without the search index, and everything but the print editions (the 10,000-post corpus
# would spend minutes on its first 2,800 PDFs, which are their own column at 1,000 posts).
# "fresh": everything, as from a fresh clone: no cache at all, every PDF rendered.
VARIANTS = {"all": {}, "site": {"SLS_SEARCH_INDEX": "0"}, "no_print": {"SLS_PRINT": "0"}, "fresh": {}}


class Pair:
    """The builds of one corpus: plain Pelican, this project, and Hugo where it is installed."""

    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus, self.work = corpus, work
        self.settings = work / "plain_settings.py"
        self.settings.write_text(PLAIN_SETTINGS.format(cache=str(work / "plain-cache")), encoding="utf-8")
        self.hugo_corpus = hugo_corpus(corpus, work / f"hugo-{corpus.name}") if HUGO else None

    def plain(self, cache: bool = False) -> tuple[float, int, int]:
        flags = (["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"] if cache
                 else ["--ignore-cache", "--delete-output-directory"])
        return timed([PYTHON, "-m", "pelican", str(self.corpus), "-o", str(self.work / "plain-out"),
                      "-s", str(self.settings), "-q", *flags])

    def ours(self, cache: bool = False, keep_print: bool = True, variant: str = "all"
             ) -> tuple[float, int, int]:
        """A cold build starts without the content caches; the files derived by content hash
        stay unless asked (made once per input, like on an editor's machine: their own column)."""
        if not cache:
            for child in (ROOT / ".cache").glob("*"):
                if child.name not in DERIVED or not keep_print:
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
        result = timed([PYTHON, "-m", "pipeline.build", "--content", str(self.corpus), "--output",
                        str(self.work / "ours-out"), *(["--cache"] if cache else [])], VARIANTS[variant])
        retired_gone(self.work)
        return result

    def hugo(self) -> float | None:
        if HUGO is None or self.hugo_corpus is None:
            return None
        output = self.work / "hugo-out"
        shutil.rmtree(output, ignore_errors=True)
        return timed([HUGO, "--quiet", "--source", str(ROOT / "benchmarks" / "hugo"), "--contentDir",
                      str(self.hugo_corpus), "--destination", str(output), "--cacheDir",
                      str(self.work / "hugo-cache")])[0]


def hugo_corpus(corpus: Path, target: Path) -> Path:
    """The same posts for Hugo: tags as a YAML list (Pelican reads them comma-separated)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(corpus, target)
    for post in (target / "posts").glob("*.md"):
        text = post.read_text(encoding="utf-8")
        post.write_text(re.sub(r"^tags: (.*)$", r"tags: [\1]", text, count=1, flags=re.M), encoding="utf-8")
    return target


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


def measure(count: int, rounds: int, work: Path,
            variants: tuple[str, ...] = ("all", "fresh", "site", "no_print"),
            rebuilds: bool = True, seed: int = 1, shape: str = "standard") -> dict:
    corpus = work / (f"corpus-{count}" if shape == "standard" else f"corpus-{shape}-{count}")
    posts = write_corpus(corpus, count, seed, shape)
    pair = Pair(corpus, work)
    result: dict = {"posts": count, "shape": shape}
    if "all" in variants:
        # The PDFs' cost: a cold build that renders every one, against the same build with the
        # print cache filled (the rounds below); and how many a build makes.
        print_first = pair.ours(keep_print=False)[0]
        result["pdfs"] = len(list((work / "ours-out").rglob("*.pdf")))
    stored = sorted((ROOT / ".cache" / PRINT_CACHE).glob("*.pdf"))
    plain: list[tuple[float, int, int]] = []
    ours: dict[str, list[tuple[float, int, int]]] = {v: [] for v in variants}
    hugo: list[float] = []
    for _ in range(rounds):  # alternating, so that every build sees the same machine noise
        plain.append(pair.plain())
        for variant in variants:
            ours[variant].append(pair.ours(variant=variant, keep_print=variant != "fresh"))
        seconds = pair.hugo()
        if seconds is not None:
            hugo.append(seconds)
    result["cold_plain_s"] = statistics.median(t for t, _rss, _sum in plain)
    result["peak_rss_plain_mib"] = max(rss for _t, rss, _sum in plain) / 1024
    for variant, runs in ours.items():
        name = "ours" if variant == "all" else f"ours_{variant}"
        result[f"cold_{name}_s"] = statistics.median(t for t, _rss, _sum in runs)
        result[f"cold_{name}_ratio"] = result[f"cold_{name}_s"] / result["cold_plain_s"]
        result[f"peak_rss_{name}_mib"] = max(rss for _t, rss, _sum in runs) / 1024
        result[f"rss_{name}_ratio"] = result[f"peak_rss_{name}_mib"] / result["peak_rss_plain_mib"]
        result[f"peak_rss_sum_{name}_mib"] = max(total for _t, _rss, total in runs) / 1024
    if hugo:
        result["cold_hugo_s"] = statistics.median(hugo)
        result["cold_hugo_ratio"] = result["cold_hugo_s"] / result["cold_plain_s"]
    if "all" in variants:
        result["pdf_cold_s"] = max(0.0, print_first - result["cold_ours_s"])
    if not rebuilds:
        return result
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


def preview_latency(work: Path, count: int, env: dict[str, str] | None = None) -> float:
    """Seconds from saving a post to its fresh page in `invoke serve`."""
    corpus = work / f"corpus-{count}"
    port = 8800 + os.getpid() % 100
    output = work / "serve-out"
    server = subprocess.Popen([PYTHON, "-m", "invoke", "serve", "--content", str(corpus), "--output",
                               str(output), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, **(env or {})})
    try:
        deadline = time.time() + 900
        while time.time() < deadline:
            line = server.stdout.readline() if server.stdout else ""
            if "Vorschau:" in line:
                break
        post = sorted((corpus / "posts").glob("*.md"))[count // 2]
        found = re.search(r'^title: "(.*)"$', post.read_text(encoding="utf-8"), re.M)
        title = found[1] if found else ""
        # The post's own page (under its year), not a list page that names it.
        page = next(p for p in output.glob("aktuelles/[0-9]*/*/index.html")
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


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"  # pinned in package.json
CHROMIUM = "/usr/bin/chromium"  # Debian's package, as for the browser checks
# Lighthouse's default (mobile) preset with simulated throttling: the score PageSpeed shows.
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE_SECONDS = 120  # one run; a run that fails or hangs is tried once more
LIGHTHOUSE_TRIES = 2


def lighthouse_pages(site: Path) -> dict[str, str]:
    """Home, an article with a lead photo (a ``<picture>``, else any lead figure, else the first
    article), the calendar and the search page."""
    articles = sorted(site.glob("aktuelles/[0-9]*/*/index.html"))
    pages = [(p, p.read_text(encoding="utf-8")) for p in articles]
    lead = next((p for p, html in pages if "<picture" in html), None) or \
        next((p for p, html in pages if 'class="sls-figure"' in html), articles[0])
    return {"home": "/", "article": f"/{lead.parent.relative_to(site).as_posix()}/",
            "termine": "/termine/", "suche": "/suche/"}


def lighthouse_run(url: str, report: Path) -> dict | None:
    """One Lighthouse run of ``url``: its JSON report, or None when every try failed."""
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}",
               f"--chrome-path={CHROMIUM}", "--chrome-flags=--headless=new --no-sandbox", "--quiet",
               "--only-categories=" + ",".join(LIGHTHOUSE_TARGETS)]
    for _ in range(LIGHTHOUSE_TRIES):
        report.unlink(missing_ok=True)
        try:
            subprocess.run(command, cwd=ROOT, capture_output=True, timeout=LIGHTHOUSE_SECONDS, check=True)
            data = json.loads(report.read_text(encoding="utf-8"))
        except (subprocess.SubprocessError, OSError, ValueError):
            continue
        if not data.get("runtimeError") and all(
                data["categories"][name]["score"] is not None for name in LIGHTHOUSE_TARGETS):
            return data
    return None


def lighthouse_failures(data: dict, category: str) -> list[str]:
    """The weighted audits of ``category`` that did not pass, with their scores."""
    return [f"{ref['id']} ({data['audits'][ref['id']]['score'] or 0:.2f})"
            for ref in data["categories"][category]["auditRefs"]
            if ref["weight"] > 0 and (data["audits"][ref["id"]]["score"] or 0) < 1
            and data["audits"][ref["id"]]["scoreDisplayMode"] in ("binary", "numeric")]


def lighthouse_content(work: Path) -> Path:
    """The sample content with one thing added: the newest post's lead image is a phone photo
    (4000×3000 JPEG), the case the performance target is about."""
    content = work / "lighthouse-content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "content", content)
    phone_photo(content / "images" / "foto-lighthouse.jpg")
    # The newest original: a translation ("x.uk.md" beside "x.md") takes its lead image from it.
    newest = max(p for p in (content / "posts").glob("*.md") if "status: draft" not in p.read_text("utf-8")
                 and not ((original := original_beside(p)) is not None and original.exists()))
    text = newest.read_text(encoding="utf-8")
    text = re.sub(r"^image:.*\n(image_alt:.*\n)?", "", text, flags=re.M)
    newest.write_text(text.replace("\n---", "\nimage: images/foto-lighthouse.jpg\n"
                                   "image_alt: Menschen an Tischen im Gespräch\n---", 1), encoding="utf-8")
    return content


def lighthouse(work: Path, runs: int = 1) -> dict:
    """Build the sample site, serve it on loopback and score four pages (median of ``runs``)."""
    from checks.server import StaticServer, free_port

    if not LIGHTHOUSE.exists() or not Path(CHROMIUM).exists():
        print(f"Lighthouse skipped: {LIGHTHOUSE.relative_to(ROOT)} (npm ci) or {CHROMIUM} missing",
              flush=True)
        return {}
    content = lighthouse_content(work)
    site = work / "sample-out"
    timed([PYTHON, "-m", "pipeline.build", "--content", str(content), "--output", str(site)])
    search_ready(site)  # /suche/ without its index would score another page
    result: dict = {"version": None, "preset": "mobile", "runs": runs, "date": time.strftime("%Y-%m-%d"),
                    "pages": {}}
    with StaticServer(site, free_port()) as base:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"{base}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{base}/ did not answer within 10 s") from None
                time.sleep(0.05)
        for name, path in lighthouse_pages(site).items():
            reports = [lighthouse_run(base + path, work / f"lighthouse-{name}-{run}.json")
                       for run in range(runs)]
            done = [data for data in reports if data]
            if not done:
                result["pages"][name] = {"path": path, "error": "no run succeeded"}
                print(f"Lighthouse {path}: no run succeeded", flush=True)
                continue
            result["version"] = done[0]["lighthouseVersion"]
            scores = {category: round(100 * statistics.median(
                data["categories"][category]["score"] for data in done)) for category in LIGHTHOUSE_TARGETS}
            median = min(done, key=lambda data: abs(
                100 * data["categories"]["performance"]["score"] - scores["performance"]))
            result["pages"][name] = {
                "path": path, **scores,
                "met": all(scores[c] >= target for c, target in LIGHTHOUSE_TARGETS.items()),
                "failing": {c: lighthouse_failures(median, c) for c, target in LIGHTHOUSE_TARGETS.items()
                            if scores[c] < target}}
            print(json.dumps({name: result["pages"][name]}), flush=True)
    return result


def lighthouse_table(r: dict) -> str:
    if not r.get("pages"):
        return "Lighthouse: not run"
    labels = {name: f"{name} {page['path']}" for name, page in r["pages"].items()}
    width = max(len(label) for label in [*labels.values(), "target"])
    lines = [f"Lighthouse {r.get('version') or ''}, {r['preset']} preset, {r['runs']} run(s) per "
             f"page ({r.get('date', '')})",
             f"{'page':<{width}}  " + " ".join(f"{name:>14}" for name in LIGHTHOUSE_TARGETS),
             f"{'target':<{width}}  " + " ".join(f"{('≥ ' if t < 100 else '') + str(t):>14}"
                                                 for t in LIGHTHOUSE_TARGETS.values())]
    for name, page in r["pages"].items():
        if "error" in page:
            lines.append(f"{labels[name]:<{width}}  {page['error']}  ✘")
            continue
        lines.append(f"{labels[name]:<{width}}  " + " ".join(f"{page[c]:>14}" for c in LIGHTHOUSE_TARGETS)
                     + f"  {'✔' if page['met'] else '✘'}")
        lines += [f"  {category} below target: {', '.join(audits) or 'no single audit'}"
                  for category, audits in page["failing"].items()]
    return "\n".join(lines)


def only_lighthouse() -> dict:
    """Only the Lighthouse scores (one run per page), stored into the existing results.json."""
    path = ROOT / "benchmarks" / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        results["lighthouse"] = lighthouse(Path(scratch))
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(lighthouse_table(results["lighthouse"]))
    return results


SCALE = 10_000  # posts: the build must stay linear (≤ 11 × the time of 1,000) and the preview fresh


def main(quick: bool = False, seed: int = 1, lighthouse_only: bool = False) -> dict:
    """``seed``: another corpus of the same shape (other words, dates, tags, events), to check
    that the ratios are not those of one corpus. ``lighthouse_only``: only the Lighthouse scores."""
    if lighthouse_only:
        return only_lighthouse()
    rounds = 1 if quick else 3
    # As `make build` does before building (plain Pelican's modules were compiled by pip).
    subprocess.run([PYTHON, "-m", "compileall", "-q", "plugins", "pipeline"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                    f"Python {platform.python_version()}, {platform.system()}",
                         "date": time.strftime("%Y-%m-%d"), "rounds": rounds, "seed": seed,
                         "hugo": subprocess.run([HUGO, "version"], capture_output=True, text=True,
                                                check=False).stdout.split(" ")[1] if HUGO else None}
        results["1000"] = measure(1000, rounds, work, seed=seed)
        print(json.dumps(results["1000"]), flush=True)
        # The same ratios on the other shapes of content (the standard one is results["1000"]).
        results["shapes"] = {}
        for shape in SHAPES[1:]:
            results["shapes"][shape] = measure(1000, rounds, work, ("all", "fresh", "site"), seed=seed,
                                               shape=shape)
            print(json.dumps(results["shapes"][shape]), flush=True)
        if not quick:
            results[str(SCALE)] = measure(SCALE, 1, work, ("no_print",), rebuilds=False, seed=seed)
            print(json.dumps(results[str(SCALE)]), flush=True)
            results["linearity"] = (results[str(SCALE)]["cold_ours_no_print_s"]
                                    / results["1000"]["cold_ours_no_print_s"])
            results["linearity_plain"] = (results[str(SCALE)]["cold_plain_s"]
                                          / results["1000"]["cold_plain_s"])
            results["preview_fresh_scale_s"] = preview_latency(work, SCALE, VARIANTS["no_print"])
        inner = subprocess.run([PYTHON, "-m", "benchmarks.inprocess", str(work / "corpus-1000"),
                                str(work / "inproc-out")], cwd=ROOT, capture_output=True, text=True)
        results.update(json.loads(inner.stdout.strip().splitlines()[-1]))
        results["content_check_100_s"] = content_check_seconds(work, 100)
        results["content_check_1000_s"] = content_check_seconds(work, 1000)
        results.update(page_weight(work / "inproc-out"))
        results["preview_fresh_s"] = preview_latency(work, 1000)
        results["lighthouse"] = lighthouse(work, rounds)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(lighthouse_table(results["lighthouse"]))
    return results


def table(r: dict) -> str:
    n = r.get("1000", {})
    big = r.get(str(SCALE), {})

    def versus(key: str) -> str:
        return f"{n.get(key, 0):.2f} s vs {n.get('cold_plain_s', 0):.2f} s"

    rows = [("cold build, all channels + search index", versus("cold_ours_s"),
             f"{n.get('cold_ours_ratio', 0):.2f} ×", "≤ 0.8 ×"),
            ("cold build from a fresh clone (no cache, every PDF)", versus("cold_ours_fresh_s"),
             f"{n.get('cold_ours_fresh_ratio', 0):.2f} ×", "≤ 1.0 ×"),
            ("cold build, site without search index", versus("cold_ours_site_s"),
             f"{n.get('cold_ours_site_ratio', 0):.2f} ×", "≤ 0.6 ×"),
            ("rebuild after one edit (make build)",
             f"{n.get('rebuild_ours_s', 0):.2f} s (plain warm {n.get('rebuild_plain_s', 0):.2f} s)",
             f"{n.get('rebuild_ratio_to_plain_cold', 0):.2f} × plain cold", "≤ 0.25 ×"),
            ("… until a search finds the edit", f"{n.get('rebuild_searchable_s', 0):.2f} s",
             f"{n.get('rebuild_searchable_ratio', 0):.2f} × plain cold", "≤ 0.6 ×"),
            ("peak memory, largest process, with search",
             f"{n.get('peak_rss_ours_mib', 0):.0f} MiB vs {n.get('peak_rss_plain_mib', 0):.0f} MiB",
             f"{n.get('rss_ours_ratio', 0):.2f} ×", "≤ 1.40 ×"),
            ("peak memory, largest process without search",
             f"{n.get('peak_rss_ours_site_mib', 0):.0f} MiB", f"{n.get('rss_ours_site_ratio', 0):.2f} ×",
             "≤ 1.40 ×"),
            ("peak memory, sum over the processes",
             f"{n.get('peak_rss_sum_ours_mib', 0):.0f} MiB", "", "reported"),
            ("print PDFs, first build (own column)",
             f"{n.get('pdf_cold_s', 0):.2f} s for {n.get('pdfs', 0)} PDFs", "", "once per input"),
            ("PDFs rendered by one-post rebuilds", f"{n.get('pdfs_rendered_by_rebuilds', 0)}", "", "0")]
    if "cold_hugo_s" in n:
        rows.append((f"Hugo {r.get('hugo') or ''} (reference), same posts",
                     f"{n['cold_hugo_s']:.2f} s vs {n['cold_plain_s']:.2f} s",
                     f"{n['cold_hugo_ratio']:.2f} ×", "–"))
    if big:
        rows.append((f"{SCALE:,} / 1,000 posts (no print editions)",
                     f"{big.get('cold_ours_no_print_s', 0):.2f} s / {n.get('cold_ours_no_print_s', 0):.2f} s",
                     f"{r.get('linearity', 0):.2f} (plain {r.get('linearity_plain', 0):.2f})", "≤ 11"))
        rows.append((f"peak memory at {SCALE:,} posts, largest process",
                     f"{big.get('peak_rss_ours_no_print_mib', 0):.0f} MiB vs "
                     f"{big.get('peak_rss_plain_mib', 0):.0f} MiB",
                     f"{big.get('rss_ours_no_print_ratio', 0):.2f} ×", "≤ 1.50 ×"))
        rows.append((f"live preview at {SCALE:,} posts", f"{r.get('preview_fresh_scale_s', 0):.2f} s", "",
                     "≤ 1 s"))
    rows += [("feed generation (24 feeds)", f"{r.get('feed_generation_ms', 0):.0f} ms", "", ""),
             ("newsletter render, 20 posts", f"{r.get('newsletter_render_ms', 0):.1f} ms", "", "≤ 20 ms"),
             ("check --fast, 100 posts", f"{r.get('content_check_100_s', 0):.2f} s", "", "< 1 s"),
             ("check --fast, 1,000 posts", f"{r.get('content_check_1000_s', 0):.2f} s", "", ""),
             ("article page (HTML+CSS+fonts)", f"{r.get('article_total_bytes', 0) / 1024:.1f} KB, "
              f"{r.get('render_blocking_stylesheets', 0)} stylesheet", "", "≤ 30 KB, 1 stylesheet"),
             ("live preview: page fresh after save", f"{r.get('preview_fresh_s', 0):.2f} s", "", "≤ 1 s")]
    for shape, m in {"standard": n, **r.get("shapes", {})}.items():
        rows.append((f"shape {shape}: cold all / fresh / site, rebuild",
                     f"{m.get('cold_ours_ratio', 0):.2f} × / {m.get('cold_ours_fresh_ratio', 0):.2f} × / "
                     f"{m.get('cold_ours_site_ratio', 0):.2f} ×, "
                     f"{m.get('rebuild_ratio_to_plain_cold', 0):.2f} ×",
                     f"memory {m.get('rss_ours_ratio', 0):.2f} ×", "every shape"))
    width = max(len(row[0]) for row in rows)
    lines = [f"Machine: {r['machine']} ({r['date']}, {r.get('rounds', 1)} rounds, corpus seed "
             f"{r.get('seed', 1)})"]
    lines += [f"{a:<{width}}  {b:<42} {c:<22} {d}" for a, b, c, d in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main(lighthouse_only="--lighthouse" in sys.argv[1:])
