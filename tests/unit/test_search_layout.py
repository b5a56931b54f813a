"""How the posts are cut into parts of the search index: bounded by their number and by their
text, so one Pagefind process never holds more than a render worker does."""

from __future__ import annotations

from pathlib import Path

from plugins.search.indexer import PART_BYTES, Layout


def site_of(root: Path, posts: int, words: int) -> Path:
    body = ("<p>" + " ".join(["Beteiligung"] * 20) + "</p>\n") * (words // 20)
    for number in range(posts):
        page = root / "aktuelles" / "2026" / f"beitrag-{number:04d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="de"><body><header>Kopf</header><main><article data-pagefind-body>'
                        f"<h1>Beitrag {number}</h1>{body}</article></main></body></html>", encoding="utf-8")
    return root


def test_short_posts_are_cut_by_their_number(tmp_path: Path) -> None:
    layout = Layout.of(site_of(tmp_path, 90, 100), part_pages=40)
    assert [len(part) for part in layout.parts] == [30, 30, 30]


def test_long_posts_go_into_more_parts_so_each_holds_about_the_same_text(tmp_path: Path) -> None:
    site = site_of(tmp_path, 60, 6000)  # about 80 KB each: 4.8 MB, more than one part's text
    total = sum(page.stat().st_size for page in site.rglob("index.html"))
    assert total > PART_BYTES
    layout = Layout.of(site, part_pages=400)
    assert len(layout.parts) >= 2
    biggest = max(sum((site / page).stat().st_size for page in part) for part in layout.parts)
    assert biggest <= PART_BYTES * 1.1
    assert sorted(page for part in layout.parts for page in part) == sorted(
        page.relative_to(site).as_posix() for page in site.rglob("index.html"))


def test_a_withdrawn_post_without_the_mark_is_in_no_part(tmp_path: Path) -> None:
    site = site_of(tmp_path, 3, 100)
    (site / "aktuelles" / "2026" / "beitrag-0001" / "index.html").write_text(
        "<html><body><main><p>Zurückgezogen.</p></main></body></html>", encoding="utf-8")
    assert Layout.of(site).parts == (("aktuelles/2026/beitrag-0000/index.html",
                                      "aktuelles/2026/beitrag-0002/index.html"),)
