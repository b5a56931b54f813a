"""Long lists link the first, the last and the neighbouring pages, with gaps shown as "…", and
every page stays reachable step by step (a list of 1,000 pages is not 1,000 links on each)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, run_build


def numbers(site: Path, page: str) -> list[str]:
    html = (site / page).read_text(encoding="utf-8")
    nav = re.search(r'<nav class="sls-pagination" aria-label="Seiten">(.*?)</nav>', html, re.S)
    assert nav, page
    return [re.sub(r"<[^>]+>|Seite |\(letzte Seite\)", "", item).strip()
            for item in re.findall(r"<li[^>]*>(.*?)</li>", nav[1], re.S)]


def test_long_lists_show_first_last_neighbours_and_gaps(tmp_path: Path, good_content: Path) -> None:
    for day in range(1, 10):
        (good_content / "posts" / f"2024-02-0{day}-tag-{day}.md").write_text(
            f"---\ntitle: Meldung vom {day}. Februar\ndate: 2024-02-0{day}\nmeasure: mach-mit\n"
            f"summary: Kurz notiert.\n---\n\nText {day}.\n", encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                        "DEFAULT_PAGINATION = 1\n", encoding="utf-8")
    site = tmp_path / "site"
    built = run_build(tmp_path, good_content, site, settings=settings, env={"SLS_SEARCH_INDEX": "0",
                                                                           "SLS_PRINT": "0"})
    assert built.code == 0, built.stderr
    pages = sorted(site.glob("aktuelles/seite/*/index.html"), key=lambda p: int(p.parent.name))
    last = len(pages) + 1
    assert last >= 10  # nine new posts and the fixture's published ones, one per page
    assert numbers(site, "aktuelles/index.html") == ["1", "2", "…", str(last), "Ältere Beiträge (2)"]
    assert numbers(site, "aktuelles/seite/5/index.html") == [
        "Neuere Beiträge (4)", "1", "…", "4", "5", "6", "…", str(last), "Ältere Beiträge (6)"]
    assert numbers(site, f"aktuelles/seite/{last}/index.html") == [
        f"Neuere Beiträge ({last - 1})", "1", "…", str(last - 1), str(last)]
    html = (site / "aktuelles/seite/5/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="sls-pagination"'):]
    nav = nav[:nav.index("</nav>")]
    assert re.findall(r'<a href="[^"]+" aria-current="page">(.*?)</a>', nav) == [
        '<span class="visually-hidden">Seite </span>5']
    assert nav.count('<li class="sls-pagination__gap" aria-hidden="true">…</li>') == 2
