"""Every placeholder an adopter has not filled in yet is visibly marked on the page, and
programme-data dates read as German dates, wherever the templates print them."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_build

MUSTERSTADT = ROOT / "examples" / "musterstadt" / "content"
# Values that are not facts of the adopter but keys, choices or machine values.
STRUCTURAL = {"name", "lang", "slug", "cluster", "phase", "key_prefix", "provider", "backend", "branch",
              "conformance", "logo", "id_authority", "id_since", "file", "captions", "duration"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class UnmarkedPlaceholders(HTMLParser):
    """Text (not attributes, titles or scripts) holding a placeholder outside <mark class=sls-placeholder>."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        tags = {tag for tag, _ in self.open}
        if "PLATZHALTER" not in data or tags & {"script", "style", "title", "template"}:
            return
        if not any(tag == "mark" and "sls-placeholder" in classes.split() for tag, classes in self.open):
            self.found.append(f"{' > '.join(tag for tag, _ in self.open[-3:])}: {data.strip()[:60]}")


def fill_with_placeholders(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: fill_with_placeholders(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_with_placeholders(v, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURAL and not value.startswith("#"):
        return f"[PLATZHALTER: {key} fehlt noch]"
    return value


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("placeholders")
    content = work / "content"
    shutil.copytree(MUSTERSTADT, content)
    data = yaml.safe_load((content / "programme.yml").read_text(encoding="utf-8"))
    data = {section: fill_with_placeholders(value) if section in {"programme", "legal", "newsletter",
                                                                    "sign_language"} else value
            for section, value in data.items()}
    data["legal"]["accessibility"]["statement_date"] = yaml.safe_load("2026-12-01")
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    post = next((content / "posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nAnsprechperson: [PLATZHALTER: Name]\n",
                    encoding="utf-8")
    run = run_build(work, content, work / "output", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    return work / "output"


def test_every_placeholder_on_every_page_is_marked(site: Path) -> None:
    unmarked = []
    pages = 0
    for page in sorted(site.rglob("*.html")):
        scan = UnmarkedPlaceholders()
        scan.feed(page.read_text(encoding="utf-8"))
        unmarked += [f"{page.relative_to(site)}: {found}" for found in scan.found]
        pages += "sls-placeholder" in page.read_text(encoding="utf-8")
    assert unmarked == []
    assert pages > 10  # the header and footer carry placeholders on every page


def test_an_organisation_keeps_its_name_while_its_address_is_a_placeholder(site: Path) -> None:
    programme = yaml.safe_load((MUSTERSTADT / "programme.yml").read_text(encoding="utf-8"))
    footer = (site / "index.html").read_text(encoding="utf-8").split('<footer class="sls-footer">')[1]
    for organisation in programme["programme"]["organisations"]:
        assert organisation["name"] in footer


def test_statement_date_is_german(site: Path) -> None:
    statement = (site / "barrierefreiheit" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-12-01">1. Dezember 2026</time>' in statement
    assert ">2026-12-01<" not in statement
