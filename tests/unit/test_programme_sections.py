"""Which sections of programme.yml a site needs: a missing one is one German problem at the line
of the section that lacks it, never a Python error in a template; the optional ones may go."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from plugins.programme.programme_file import read_programme

SAMPLE = yaml.safe_load((ROOT / "content" / "programme.yml").read_text(encoding="utf-8"))


def problems_without(tmp_path: Path, *path: str) -> list[str]:
    data = yaml.safe_load((ROOT / "content" / "programme.yml").read_text(encoding="utf-8"))
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    del holder[path[-1]]
    target = tmp_path / "programme.yml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [str(problem) for problem in read_programme(target).problems]


@pytest.mark.parametrize("section", ["cms", "sign_language", "events", "design", "phases"])
def test_optional_sections_may_be_left_out(tmp_path: Path, section: str) -> None:
    assert section in SAMPLE
    assert problems_without(tmp_path, section) == []


@pytest.mark.parametrize("path", [("legal",), ("newsletter",), ("feeds",), ("legal", "provider", "phone"),
                                  ("newsletter", "signup"), ("legal", "supervisory_authority", "url")])
def test_a_missing_required_entry_is_one_problem_at_its_sections_line(tmp_path: Path,
                                                                      path: tuple[str, ...]) -> None:
    found = problems_without(tmp_path, *path)
    assert len(found) == 1, found
    assert f"Angabe „{'.'.join(path)}“ fehlt" in found[0]
    lines = (tmp_path / "programme.yml").read_text(encoding="utf-8").splitlines()
    line = int(found[0].split(":")[1])
    expected = 1 if len(path) == 1 else next(n for n, text in enumerate(lines, 1)
                                            if text.strip() == f"{path[-2]}:")
    assert line == expected, (line, expected)


@pytest.mark.slow  # a whole build
def test_the_optional_programme_texts_leave_no_empty_sentence(tmp_path: Path) -> None:
    from conftest import copy_good_content

    from pipeline.build import build

    content = copy_good_content(tmp_path / "content")
    data = yaml.safe_load((content / "programme.yml").read_text(encoding="utf-8"))
    for key in ("motto", "funding", "description"):
        data["programme"].pop(key)
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build(output=tmp_path / "site", content=content,
                   overrides={"PRINT_EDITIONS": False, "SEARCH_INDEX": False,
                              "CACHE_PATH": str(tmp_path / "c")})
    assert result.ok, result.problems + result.errors
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Leitgedanke" not in home and "Gefördert im" not in home and "„“" not in home
