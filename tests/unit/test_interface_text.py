"""Interface text comes from the gettext catalogues wherever a page can be in another language:
no literal German in the templates those pages are made of, every message translated in the
sample's catalogues, and a message a catalogue lacks is shown in German and counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, interface_catalogues

from plugins.programme import catalogues
from plugins.web.stylesheet import DECLARED

TEMPLATES = ROOT / "theme" / "templates"
# What a translated post, page, event, search page or event poster is made of.
MULTILINGUAL = ("base.html", "article.html", "page.html", "event.html", "search.html", "edition_home.html",
                "edition_news.html", "partials/pagination.html",
                "partials/start_pages.html",
                "partials/home_alternates.html", "partials/header.html", "newsletter_signup.html",
                "newsletter_confirm.html", "events.html",
                "edition_measures.html", "edition_measure.html", "edition_cluster.html",
                "partials/footer.html", "partials/languages.html", "partials/macros.html", "feeds.html",
                "../print/poster.html", "../print/document.html", "../newsletter/issue.mjml")
GERMAN_ON_PURPOSE = {"article", "Atom", "RSS"}  # machines' words: og:type (a block of its own), feed formats
READABLE_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')


def literal_text(source: str) -> list[str]:
    """Human-readable text a template writes itself: text between tags and readable attributes,
    with every Jinja expression, statement and comment taken out, and the names of the page's
    stylesheet parts (its block style_parts: never shown)."""
    source = DECLARED.sub("{% endblock", source)
    code = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "\x00", source, flags=re.S)
    code = re.sub(r"<(script|style|mj-style)\b.*?</\1>", " ", code, flags=re.S)
    found = [value for value in READABLE_ATTRIBUTES.findall(code)]
    found += re.sub(r"<[^>]*>", "\x00", code).split("\x00")
    return [text.strip() for text in found
            if re.search(r"[A-Za-zÄÖÜäöüß]{2,}", text) and text.strip() not in GERMAN_ON_PURPOSE]


@pytest.mark.parametrize("name", MULTILINGUAL)
def test_a_template_of_translated_pages_writes_no_text_outside_the_catalogues(name: str) -> None:
    assert literal_text((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_check_finds_text_written_into_a_template() -> None:
    assert literal_text('<p class="x">{{ _("Gut") }} Hallo <b>Welt</b></p><a aria-label="Weiter">') \
        == ["Weiter", "Hallo", "Welt"]


def test_every_message_is_translated_in_each_sample_catalogue() -> None:
    messages = catalogues.interface_messages()
    assert "Zum Inhalt springen" in messages and ("Maßnahme", "Maßnahmen") in messages
    assert catalogues.missing_translations() == {"ar": [], "en": [], "tr": [], "uk": []}


def test_a_message_a_catalogue_lacks_is_german_and_counted(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with interface_catalogues(tmp_path, monkeypatch, fr='msgid "Themen"\nmsgstr "Thèmes"\n'):
        assert catalogues.say("fr", "Themen") == "Thèmes"
        assert catalogues.say("fr", "Zum Inhalt springen") == "Zum Inhalt springen"
        lacking = catalogues.missing_translations()["fr"]
        assert "Zum Inhalt springen" in lacking and "Themen" not in lacking
        assert len(lacking) == len(catalogues.interface_messages()) - 1


def test_a_translation_is_text_never_markup_and_a_broken_catalogue_is_german(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Environment

    with interface_catalogues(
            tmp_path, monkeypatch,
            fr='msgid "Aktuelles"\nmsgstr "N<img src=x onerror=alert(1)>ews"\n\n'
               'msgid "Sprachen"\nmsgstr "L\\" onfocus=\\"alert(2)"\n',
            it='msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=banana;\\n"\n\n'
               'msgid "Themen"\nmsgstr "Temi"\n') as locale:
        broken = locale / "it" / "LC_MESSAGES"
        env = Environment(autoescape=True)
        catalogues.install(env, "de")
        template = env.from_string('<a aria-label="{{ _("Sprachen") }}">{{ _("Aktuelles") }}</a>')
        assert template.render(edition="fr") \
            == '<a aria-label="L&#34; onfocus=&#34;alert(2)">N&lt;img src=x onerror=alert(1)&gt;ews</a>'
        assert env.from_string('{{ _("Themen") }}').render(edition="it") == "Themen"
        assert any(line.startswith(f"{broken / 'sls.po'}:1: Katalog lässt sich nicht lesen")
                   for line in catalogues.catalogue_problems())


def test_the_catalogue_template_holds_exactly_the_messages_the_templates_and_plugins_use() -> None:
    from babel.messages.pofile import read_po

    # Translations are judged against it (their shape, placeholders and length): a stale one
    # would leave a new message German in every language.
    with (catalogues.LOCALE / "sls.pot").open("rb") as pot:
        written = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(pot) if m.id}
    used = set(catalogues.interface_messages())
    # Babel keeps one entry per msgid: a text used alone and as a plural's singular is the plural.
    plural_singulars = {m[0] for m in used if isinstance(m, tuple)}
    assert written == {m for m in used if m not in plural_singulars}, "run .venv/bin/invoke catalogues"
