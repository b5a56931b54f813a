"""The bench scores the sample site with a phone photo as the newest post's lead image (the case
the page-weight target is about): the content it prepares must be content the build accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.run import lighthouse_content
from pipeline.content_check import main as content_check


@pytest.mark.slow  # a 12-megapixel photo is made and checked
def test_the_content_the_bench_scores_passes_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    content = lighthouse_content(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert content_check(["--content", str(content)]) == 0, capsys.readouterr().err
    with_photo = [path.name for path in (content / "posts").glob("*.md")
                  if "image: images/foto-lighthouse.jpg" in path.read_text(encoding="utf-8")]
    # An original (a translation takes its lead image from it), and the newest one.
    assert len(with_photo) == 1 and with_photo[0].count(".") == 1, with_photo
