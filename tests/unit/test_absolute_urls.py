"""Feed content with absolute addresses: feed readers have no base URL."""

from __future__ import annotations

from plugins.feeds.absolute import absolute_html

BASE = "https://example.org/aktuelles/2023/treffen/"


def test_relative_and_root_relative_addresses_become_absolute() -> None:
    html = '<a href="/massnahmen/">M</a><img src="bild.png" alt=""><a href=\'#teil\'>T</a>'
    assert absolute_html(html, BASE) == (
        '<a href="https://example.org/massnahmen/">M</a>'
        '<img src="https://example.org/aktuelles/2023/treffen/bild.png" alt="">'
        "<a href='https://example.org/aktuelles/2023/treffen/#teil'>T</a>")


def test_other_schemes_and_absolute_addresses_are_kept() -> None:
    html = ('<a href="mailto:a@example.org">m</a><a href="https://other.example/x">o</a>'
            '<a href="tel:+49">t</a><video poster="p.jpg"></video>')
    assert absolute_html(html, BASE) == html.replace('"p.jpg"', '"https://example.org/aktuelles/2023/treffen/p.jpg"')


def test_srcset_candidates_each_become_absolute() -> None:
    html = '<img srcset="a.png 1x, /b.png 2x" src="a.png">'
    assert absolute_html(html, BASE) == (
        '<img srcset="https://example.org/aktuelles/2023/treffen/a.png 1x, https://example.org/b.png 2x" '
        'src="https://example.org/aktuelles/2023/treffen/a.png">')


def test_site_addresses_are_what_urljoin_makes_of_them() -> None:
    from itertools import product
    from urllib.parse import urljoin

    from plugins.programme.urls import absolute

    bases = ["https://example.org/", "http://127.0.0.1:8000/", "https://example.org/sub/",
             "https://example.org/a/../", "https://example.org/s?q=1/", "https://example.org/s#x/",
             "https://example.org", ""]
    addresses = ["aktuelles/2023/treffen/", "bilder/ä b.png", "#teil", "?seite=2", "/massnahmen/",
                 "//other.example/x", "a/./b", "a/../../b", "..", ".", "", "mailto:a@example.org",
                 "a//b", "https://other.example/", "a;b", "~x/%20y"]
    for base, address in product(bases, addresses):
        assert absolute(base, address) == urljoin(base, address), (base, address)
    # An empty setting (a programme without a logo) is the site itself, as urljoin has it.
    assert absolute("https://example.org/", None) == "https://example.org/"  # type: ignore[arg-type]


def test_only_attributes_of_tags_change_not_text_that_looks_like_one() -> None:
    html = ('<p title="a > b" class="x"><a title=\'1>2\' href="bild.png">B</a> '
            'Schreibe href="datei.pdf" in den Text.</p>')
    assert absolute_html(html, BASE) == (
        '<p title="a > b" class="x"><a title=\'1>2\' '
        'href="https://example.org/aktuelles/2023/treffen/bild.png">B</a> '
        'Schreibe href="datei.pdf" in den Text.</p>')
