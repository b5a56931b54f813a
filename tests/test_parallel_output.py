"""A cold build writes its pages, feeds and calendars in several processes (plugins.engine):
the site is byte for byte the one a single process writes, and a page that fails to render in
any of the processes fails the whole build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

pytestmark = pytest.mark.slow  # whole builds through the CLI

# SLS_PARALLEL_MIN_FILES=1 makes even the small sample content split its output; the large
# threshold keeps the whole build in one process (the parse pool included).
SPLIT, SERIAL = "1", "1000000"


def build(work: Path, content: Path, output: Path, threshold: str, theme: Path = ROOT / "theme",
          extra: str = "") -> subprocess.CompletedProcess[str]:
    settings = work / "settings.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        f"CACHE_PATH = {str(work / 'cache')!r}\nTHEME = {str(theme)!r}\n{extra}",
                        encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pipeline.build", "--settings", str(settings),
                           "--content", str(content), "--output", str(output)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT),
                               "SLS_PARALLEL_MIN_FILES": threshold, "SLS_SEARCH_INDEX": "0"})


PROBE = """
import os
from pelican import signals

def note(line):
    with open({log!r}, "a", encoding="utf-8") as log:
        log.write(line + "\\n")

def started(pelican):
    note(f"main {{os.getpid()}}")

def written(path, context):
    note(f"page {{os.getpid()}}")

def register():
    signals.initialized.connect(started)
    signals.content_written.connect(written)
"""


def writers(log: Path) -> tuple[set[str], set[str]]:
    """(the build's own process, the processes that wrote pages), as the probe plugin saw them."""
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    return {pid for kind, pid in lines if kind == "main"}, {pid for kind, pid in lines if kind == "page"}


def test_a_split_build_writes_the_site_a_single_process_writes(tmp_path: Path) -> None:
    # The sample content: posts, pages, measures, events with calendars and posters, feeds, the
    # newsletter archive with its print editions (made between two split sections).
    probes = {}
    for name in ("split", "serial"):
        probes[name] = tmp_path / f"{name}.log"
        (tmp_path / f"probe_{name}.py").write_text(PROBE.format(log=str(probes[name])), encoding="utf-8")
    probe = "import sys\nsys.path.insert(0, {!r})\nPLUGINS = [*PLUGINS, 'probe_{}']\n"
    split = build(tmp_path, ROOT / "content", tmp_path / "split", SPLIT,
                  extra=probe.format(str(tmp_path), "split"))
    assert split.returncode == 0, split.stderr
    serial = build(tmp_path, ROOT / "content", tmp_path / "serial", SERIAL,
                   extra=probe.format(str(tmp_path), "serial"))
    assert serial.returncode == 0, serial.stderr
    # Pages were written by the pool's workers, never by the build's own process (the engine's
    # steps between Pelican's generators ran); in a serial build by that process alone.
    main, pages = writers(probes["split"])
    assert len(main) == 1 and len(pages) >= 2 and not main & pages
    main, pages = writers(probes["serial"])
    assert pages == main
    split_files, serial_files = snapshot(tmp_path / "split"), snapshot(tmp_path / "serial")
    assert sorted(split_files) == sorted(serial_files)
    differing = sorted(name for name in serial_files if split_files[name] != serial_files[name])
    assert not differing
    # Every kind of output is there (the comparison above would also pass for an empty site).
    for relative in ("index.html", "aktuelles/index.html", "massnahmen/index.html", "feeds/all.atom.xml",
                     "termine/index.html", "newsletter/index.html", "sitemap.xml"):
        assert relative in split_files, relative
    assert len([n for n in split_files if n.endswith(".ics")]) > 3
    assert len([n for n in split_files if n.startswith("aktuelles/2")]) > 10


def test_a_page_failing_to_render_fails_a_split_build_and_keeps_the_last_site(tmp_path: Path) -> None:
    built = build(tmp_path, ROOT / "content", tmp_path / "site", SPLIT)
    assert built.returncode == 0, built.stderr
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block content %}",
                                     "{% block content %}{{ nothing.at.all }}", 1), encoding="utf-8")
    before = snapshot(tmp_path / "site")
    failed = build(tmp_path, ROOT / "content", tmp_path / "site", SPLIT, theme)
    assert failed.returncode != 0
    assert "Build abgebrochen" in failed.stderr
    assert "UndefinedError" in failed.stderr and "nothing" in failed.stderr
    assert snapshot(tmp_path / "site") == before  # the last good site stays
    assert not list(tmp_path.glob(".site.staging-*"))


def test_a_third_party_plugin_that_rewrites_written_files_sees_each_once_after_it_exists(
        tmp_path: Path) -> None:
    # pelican-image-process (PyPI) opens every file on content_written and rewrites it: its
    # <img class="image-process-…"> become scaled derivatives. Each file must be announced once,
    # by the process that wrote it, after it exists - a split build as a serial one.
    from conftest import copy_good_content
    from PIL import Image

    content = copy_good_content(tmp_path / "content")
    Image.new("RGB", (400, 300), "steelblue").save(content / "images" / "foto.png")
    post = content / "posts" / "2023-06-01-ausblick.md"
    post.write_text(post.read_text(encoding="utf-8") + '\n<img class="image-process-klein" '
                    'src="{static}/images/foto.png" alt="Blaue Fläche">\n', encoding="utf-8")
    # Installed by `make setup` beside the project's packages (pyproject.toml says why), loaded
    # from there as Pelican loads any plugin from PLUGIN_PATHS.
    installed = Path(sys.prefix) / "test-plugins" / "pelican" / "plugins"
    assert (installed / "image_process").is_dir(), "make setup installs pelican-image-process"
    plugin = (f'PLUGIN_PATHS = [{str(installed)!r}]\nPLUGINS = [*PLUGINS, "image_process"]\n'
              'IMAGE_PROCESS = {"klein": {"type": "image", "ops": ["scale_in 100 100 True"]}}\n')
    split = build(tmp_path, content, tmp_path / "split", SPLIT, extra=plugin)
    assert split.returncode == 0, split.stderr
    serial = build(tmp_path, content, tmp_path / "serial", SERIAL, extra=plugin)
    assert serial.returncode == 0, serial.stderr
    assert snapshot(tmp_path / "split") == snapshot(tmp_path / "serial")
    page = next(p for p in (tmp_path / "split" / "aktuelles").rglob("index.html") if "Blaue Fläche" in
                p.read_text(encoding="utf-8"))
    assert "derivatives/klein/foto.png" in page.read_text(encoding="utf-8")
    with Image.open(tmp_path / "split" / "images" / "derivatives" / "klein" / "foto.png") as small:
        assert small.size == (100, 75)
