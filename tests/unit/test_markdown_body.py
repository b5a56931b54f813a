"""Bodies as editors write them (in the CMS or an editor), as readers get them."""

from __future__ import annotations

from plugins.programme.markdown_body import render


def test_a_list_nested_by_two_spaces_is_nested_as_the_cms_writes_it() -> None:
    html = render("- Würzburg\n  - Innenstadt\n  - Zellerau\n- Landkreis\n")
    assert html.count("<ul>") == 2
    assert "<li>Würzburg\n<ul>\n<li>Innenstadt</li>" in html


def test_pelicans_link_markers_survive_for_links_and_images() -> None:
    html = render("[Termin]({filename}/termine/a.md) und ![Plan]({static}/images/plan.png)")
    assert 'href="{filename}/termine/a.md"' in html
    assert 'src="{static}/images/plan.png"' in html


def test_footnote_back_links_are_named_in_german() -> None:
    html = render("Förderung[^quelle] und mehr[^2].\n\n[^quelle]: Bund.\n[^2]: Land.\n")
    assert 'title="Zurück zur Fußnote 1 im Text"' in html
    assert 'title="Zurück zur Fußnote 2 im Text"' in html
    assert "Back to" not in html and "aria-label" not in html
    # The reference leads to its note and back.
    assert 'href="#fn-quelle"' in html and 'id="fn-quelle"' in html and 'href="#fnref-quelle"' in html


def test_placeholders_are_marked_in_text_but_not_in_code() -> None:
    html = render("Ansprechperson: [PLATZHALTER: Name]\n\n`[PLATZHALTER: Beispiel]`\n\n"
                  "```\n[PLATZHALTER: Block]\n```\n")
    assert html.count('<mark class="sls-placeholder">') == 1
    assert '<mark class="sls-placeholder">[PLATZHALTER: Name]</mark>' in html


def test_table_columns_align_by_class_not_by_obsolete_attribute() -> None:
    html = render("| Ort | Plätze |\n|:--|--:|\n| Newsroom | 12 |\n")
    assert '<td class="sls-align-right">12</td>' in html
    assert "align=" not in html and "style=" not in html


def test_leichte_sprache_keeps_every_line_break() -> None:
    text = "Das ist ein Satz.\nDas ist noch ein Satz.\n"
    assert "<br>" in render(text, line_breaks=True)
    assert "<br>" not in render(text)


def test_raw_html_still_passes_the_sanitiser() -> None:
    html = render('<p onclick="x()">Hallo</p>\n\n<script>alert(1)</script>\n\nText\n')
    assert "onclick" not in html and "<script" not in html and "Hallo" in html


def test_a_heading_keeps_the_anchor_its_editor_gave_it() -> None:
    html = render("Siehe [Termine](#termine).\n\n## Nächste Termine {#termine}\n")
    assert '<h2 id="termine">Nächste Termine</h2>' in html
    assert 'href="#termine"' in html
