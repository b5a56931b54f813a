"""Slugs with German letters, and how internal links resolve inside the content folder."""

from __future__ import annotations

from plugins.programme.crossfile import duplicate_slugs, resolve
from plugins.programme.slugs import german_slug


def test_umlauts_are_written_out_and_markup_and_punctuation_dropped() -> None:
    slug = german_slug("Bürgerbüro: Öffnungszeiten & Straßenfest")
    assert slug == "buergerbuero-oeffnungszeiten-strassenfest"
    assert german_slug("Daten <em>für</em> Würzburg") == "daten-fuer-wuerzburg"


def test_configured_substitutions_replace_the_defaults() -> None:
    assert german_slug("A B", [(r"\s+", "_")]) == "a_b"


def test_links_resolve_relative_to_the_linking_file_or_to_the_content_root() -> None:
    assert resolve("posts/2023/a.md", "b.md") == "posts/2023/b.md"
    assert resolve("posts/a.md", "../images/x.png") == "images/x.png"
    assert resolve("posts/a.md", "/pages/impressum.md") == "pages/impressum.md"
    assert resolve("posts/a.md", "mein%20bild.png#oben") == "posts/mein bild.png"
    assert resolve("posts/a.md", "#abschnitt") is None


def test_each_file_of_a_shared_slug_is_named_with_the_others() -> None:
    problems = duplicate_slugs([
        (("article", "de", "treffen"), "posts/a.md", 2),
        (("article", "de", "treffen"), "posts/b.md", 3),
        (("page", "de", "treffen"), "pages/treffen.md", 2),  # pages have their own addresses
        (("article", "en", "treffen"), "posts/en.md", 2),
    ])
    assert sorted((p.path, p.line) for p in problems) == [("posts/a.md", 2), ("posts/b.md", 3)]
    assert "posts/b.md" in next(p.message for p in problems if p.path == "posts/a.md")
