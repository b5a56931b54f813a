"""State per build: builds in one process behave exactly like builds in fresh processes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_build_cli, snapshot

from pipeline.build import build

pytestmark = pytest.mark.slow  # builds through the CLI

MUSTERSTADT = ROOT / "examples" / "musterstadt" / "content"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, good_content_module: Path) -> dict[str, dict[str, str]]:
    """Each content folder built alone in a new process."""
    work = tmp_path_factory.mktemp("fresh")
    sites = {}
    for name, content in (("good", good_content_module), ("muster", MUSTERSTADT)):
        run = run_build_cli(work, content, work / name, programme=content / "programme.yml")
        assert run.code == 0, run.stderr
        sites[name] = snapshot(work / name)
    return sites


@pytest.mark.parametrize("order", [("good", "muster"), ("muster", "good")])
def test_two_builds_in_one_process_equal_fresh_processes(
        order: tuple[str, str], tmp_path: Path, good_content_module: Path,
        fresh: dict[str, dict[str, str]]) -> None:
    folders = {"good": good_content_module, "muster": MUSTERSTADT}
    for name in order:
        result = build(ROOT / "pelicanconf.py", tmp_path / name, folders[name])
        assert result.ok, result.report()
    for name in order:
        assert snapshot(tmp_path / name) == fresh[name], name


def test_plugins_of_one_build_do_not_run_in_the_next(tmp_path: Path, good_content_module: Path) -> None:
    settings = tmp_path / "without_feeds.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        "PLUGINS = [p for p in PLUGINS if p != 'plugins.feeds']  # noqa: F405\n",
                        encoding="utf-8")
    # The same programme data in all three builds (its texts in other languages lie beside it).
    alone = run_build_cli(tmp_path, good_content_module, tmp_path / "alone", settings=settings,
                          programme=good_content_module / "programme.yml")
    assert alone.code == 0, alone.stderr
    assert build(ROOT / "pelicanconf.py", tmp_path / "all", good_content_module).ok
    assert build(settings, tmp_path / "after", good_content_module).ok

    assert (tmp_path / "all" / "feeds").is_dir() and not (tmp_path / "after" / "feeds").exists()
    assert snapshot(tmp_path / "after") == snapshot(tmp_path / "alone")


def test_a_failed_build_leaves_nothing_for_the_next(tmp_path: Path, good_content_module: Path,
                                                      fresh: dict[str, dict[str, str]]) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "programme.yml").write_text("programme: [kaputt\n", encoding="utf-8")
    assert not build(ROOT / "pelicanconf.py", tmp_path / "x", broken).ok
    assert build(ROOT / "pelicanconf.py", tmp_path / "good", good_content_module).ok
    assert snapshot(tmp_path / "good") == fresh["good"]
