"""The HTML policy and the sanitiser agree: a body the policy lets through loses nothing in the
sanitiser. Hypothesis writes the bodies — raw HTML of allowed, refused and unknown elements, with
attributes and addresses in many spellings, inside Markdown's own links, lists, quotes and code —
and each one the policy finds nothing in must come out of the sanitiser as it went in. Where the
two disagree, an editor's text would vanish from the page with nobody told."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plugins.programme.html_policy import REFUSED_TAGS, TAGS, html_findings
from plugins.programme.markdown_body import unsanitised
from plugins.programme.sanitize import sanitize, separate_alignment

NAMES = sorted(TAGS | set(REFUSED_TAGS) | {"audio", "marquee", "font", "noscript", "template", "textarea",
                                          "x-box", "body", "html", "center", "select", "option"})
ATTRIBUTE_NAMES = ["href", "src", "srcset", "poster", "alt", "title", "id", "class", "lang", "dir", "style",
                   "onclick", "OnLoad", "data-x", "align", "width", "cite", "xlink:href", "rel", "type",
                   "kind", "datetime", "colspan", "scope", "open", "controls", "hidden", "tabindex"]
ADDRESSES = ["https://example.org/a", "//evil.example/p.png", "ftp://files.example/", "javascript:x()",
             "&#106;avascript:x()", "java\tscript:x()", " https://example.org/", "{static}/images/a.png",
             "/aktuelles/", "a.png", "#anker", "mailto:a@example.org", "tel:+49", "irc:raum", "data:x",
             "HTTPS://EXAMPLE.ORG", "https:\\\\evil.example", "right", "text-align: center", "1",
             "https://a.example:99999/", "http://[::1]/", "https://xn--ab-cd.example/", "ftp://x.example"]
TEXT = ["Text", "Straße & Co.", "a < b", "x > y", "*betont*", "\n\n", "\n", " ", "`code`", "&amp;", "&"]

attribute = st.builds(lambda name, value, quote, space: f'{space}{name}={quote}{value}{quote}',
                      st.sampled_from(ATTRIBUTE_NAMES), st.sampled_from(ADDRESSES),
                      st.sampled_from(['"', "'", ""]), st.sampled_from([" ", "\n", "  "]))
start_tag = st.builds(lambda name, attributes, close: f"<{name}{''.join(attributes)}{close}>",
                      st.sampled_from(NAMES), st.lists(attribute, max_size=3),
                      st.sampled_from(["", " /", "/"]))
markdown = st.one_of(
    st.builds("[{}]({})".format, st.sampled_from(TEXT[:3]), st.sampled_from(ADDRESSES)),
    st.builds("![Bild]({})".format, st.sampled_from(ADDRESSES)),
    st.builds("<{}>".format, st.sampled_from(ADDRESSES)),
    st.builds("\n\n[r]: {}\n\n".format, st.sampled_from(ADDRESSES)),
    st.sampled_from(["\n\n- ", "\n\n> ", "\n\n    ", "\n```\n", "\n~~~~\n", "siehe ftp://x.example/ ",
                     "\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n\n", "<!-- c -->", "<!DOCTYPE x>", "<?x?>",
                     "<![CDATA[x]]>", "[^1]\n\n[^1]: Fuß\n"]),
)
end_tag = st.builds("</{}>".format, st.sampled_from(NAMES))
piece = st.one_of(start_tag, end_tag, markdown, st.sampled_from(TEXT))
body = st.lists(piece, min_size=1, max_size=12).map("".join)


def everything_kept(html: str) -> str:
    """``html`` through the same parser and serialiser as the sanitiser, with nothing removed."""
    html = separate_alignment(html)
    tags = {name.lower() for name in re.findall(r"</?([a-zA-Z][^\s/>]*)", html)}
    attributes = {name.lower() for name in re.findall(r"[\s/\"']([^\s\"'>/=]+)", html)}
    schemes = {found.lower() for found in re.findall(r"([a-zA-Z][a-zA-Z0-9+.-]*):", html)}
    return str(nh3.clean(html, tags=tags, clean_content_tags=set(),
                         attributes={"*": attributes}, url_schemes=schemes | {"http", "https"},
                         link_rel=None, strip_comments=False))


# Derandomised: CI explores the same 1,500 bodies every run (about 3 s); a longer hunt is a matter
# of raising max_examples locally.
@settings(max_examples=1500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(body)
# Found by earlier runs, kept as regressions: a duplicate attribute (the browser keeps the first),
# "<https:…" inside an HTML block, a tag cut off by the end of a list item, an indented line in a
# footnote (text, not code), a bare address with an impossible port.
@example('<a href="/a" href="https://x.example/">x</a>')
@example("</col><https://example.org/a>")
@example('- <track\nlang="x">\n\n- ')
@example("[^1]\n\n[^1]: Fuß\n\n    <i style=x>x</i>")
@example("siehe https://a.example:99999/ dort")
def test_what_the_policy_lets_through_the_sanitiser_keeps_whole(text: str) -> None:
    if html_findings(text):
        return
    html = unsanitised(text)
    clean = sanitize(html)
    assert clean == everything_kept(html), (text, html)
    # No address its URL parser dropped (an unclosed <a> may come out twice: the HTML parser's repair).
    assert not Counter(addresses(html)) - Counter(addresses(clean)), (text, html)


def test_the_comparisons_see_a_removal() -> None:
    # The oracles themselves: a style attribute the sanitiser drops makes the two differ, and so
    # does an address its URL parser cannot read.
    html = unsanitised('<p style="color:red">Text</p>')
    assert sanitize(html) != everything_kept(html)
    html = unsanitised('<a href="https://a.example:99999/">Text</a>')
    assert Counter(addresses(html)) - Counter(addresses(sanitize(html)))


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name) for name, _ in attrs if name in ("href", "src", "srcset", "poster")]


def addresses(html: str) -> list[tuple[str, str]]:
    """Every address attribute in ``html`` (which the sanitiser's URL parser may drop on its own)."""
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return parser.found


def test_lists_and_quotes_nest_only_as_deep_as_the_print_editions_can_lay_them_out() -> None:
    from weasyprint import HTML

    from plugins.programme.markdown_body import render

    # "> - " a level of quote and one of list, 60 times: WeasyPrint ran out of stack in the
    # newsletter's print edition (a RecursionError, and the build stopped).
    deep = "Vorwort.\n\n" + "> - " * 60 + "tief\n"
    assert [(f.line, f.message) for f in html_findings(deep)] == [
        (3, "Listen und Zitate sind mehr als 32 Ebenen tief verschachtelt")]
    indented = "".join(f"{'  ' * level}- Ebene {level + 1}\n" for level in range(34))
    assert [f.line for f in html_findings(indented)] == [33]
    # The deepest that is allowed prints, inside as many wrappers as a print edition has.
    allowed = "> - " * 16 + "tief\n"
    assert html_findings(allowed) == []
    HTML(string=f"<html><body>{'<div>' * 15}{render(allowed)}{'</div>' * 15}</body></html>").write_pdf()
    only_lists = "".join(f"{'  ' * level}- Ebene {level + 1}\n" for level in range(32))
    assert html_findings(only_lists) == []
    HTML(string=f"<html><body>{'<div>' * 15}{render(only_lists)}{'</div>' * 15}</body></html>").write_pdf()


def test_a_table_of_thousands_of_rows_is_refused_at_its_line() -> None:
    # 6,000 rows in an editorial took its newsletter's print edition 48 s (235 pages); 45,000
    # stopped the build after 180 s.
    def table(rows: int) -> str:
        return "| Nr | Ort |\n|---:|:---|\n" + "".join(f"| {n} | Ort {n} |\n" for n in range(rows))

    assert html_findings("Zahlen:\n\n" + table(500)) == []
    assert [(f.line, f.message) for f in html_findings("Zahlen:\n\n" + table(501) + "\nDanach.\n")] == [
        (3, "Tabelle hat 501 Zeilen (höchstens 500)")]
    html = "<table>" + "<tr><td>1</td></tr>\n" * 501 + "</table>"
    assert [(f.line, f.message) for f in html_findings("Zahlen:\n\n" + html)] == [
        (503, "Tabellen haben zusammen 501 Zeilen (höchstens 500 in einem Text)")]
    # Ten tables of 300 rows print as long as one of 3,000: counted together, said where the
    # limit is passed.
    several = "\n\n".join(table(300) for _ in range(10))
    assert [(f.line, f.message) for f in html_findings(several)] == [
        (305, "Tabellen haben zusammen 3000 Zeilen (höchstens 500 in einem Text)")]


def test_nesting_and_tables_inside_quotes_count_alike() -> None:
    # Lists indented after the quote marker nest as deep as any: 150 levels printed no PDF.
    deep = "> - Ebene 1\n" + "".join(f">{' ' * (2 * level + 1)}- Ebene {level + 1}\n"
                                      for level in range(1, 150))
    assert [f.message for f in html_findings(deep)] == [
        "Listen und Zitate sind mehr als 32 Ebenen tief verschachtelt"]
    quoted = "> | Nr | Wert |\n> |---|---|\n" + "".join(f"> | {n} | x |\n" for n in range(600))
    assert [(f.line, f.message) for f in html_findings(quoted)] == [
        (1, "Tabelle hat 600 Zeilen (höchstens 500)")]
    # Rows HTML's parser makes without a written <tr>, or from "<tr/>".
    for row in ("<tr/><td>1</td>\n", "<tbody><td>1</td></tbody>\n"):
        assert [f.line for f in html_findings("<table>" + row * 600 + "</table>")] == [501]
