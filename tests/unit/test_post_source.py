"""One source file read and checked: front matter, every field, the body's images and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROGRAMME

from plugins.programme.post_source import read_post, split_front_matter
from plugins.programme.programme_file import load_programme
from plugins.programme.schema import ARTICLE, PAGE


@pytest.fixture(scope="module")
def programme():
    return load_programme(PROGRAMME)


def post(programme, text: str, kind: str = ARTICLE, root: str = "/nonexistent"):
    return read_post("posts/x.md", text, programme, kind, root)


def messages(source) -> list[tuple[int, str]]:
    return sorted((p.line, p.message) for p in source.problems)


GOOD = "---\ntitle: Treffen\ndate: 2023-05-02 18:00\nmeasure: meet-me\nsummary: Kurz.\n---\n\nText.\n"


def test_front_matter_is_split_from_the_body_with_the_body_line() -> None:
    assert split_front_matter("\ufeff---\na: 1\n---\nText") == ("a: 1", "Text", 4)
    assert split_front_matter("Nur Text") == (None, "Nur Text", 1)
    assert split_front_matter("---\na: 1\n") == ("a: 1\n", "", 4)


def test_a_good_post_has_no_problem_and_typed_values(programme) -> None:
    source = post(programme, GOOD)
    assert source.problems == []
    assert source.meta["measure"] == ["meet-me"] and source.meta["date"].utcoffset() is not None
    assert source.lines["summary"] == 5


def test_missing_required_fields_are_named_each(programme) -> None:
    source = post(programme, "---\ntitle: Nur ein Titel\n---\n")
    assert {m for _line, m in messages(source)} == {
        "Pflichtfeld „date“ (Veröffentlicht am) fehlt", "Pflichtfeld „measure“ (Maßnahme) fehlt",
        "Pflichtfeld „summary“ (Zusammenfassung) fehlt"}
    assert post(programme, "---\ntitle: Seite\n---\n", kind=PAGE).problems == []


def test_values_are_checked_for_their_kind(programme) -> None:
    text = GOOD.replace("measure: meet-me", "measure: [meet-me, smart-place]").replace(
        "---\n\n", "status: fertig\nnewsletter: ja\nslug: Mit Leerzeichen\ntags: A, B,\nsumary: x\n---\n\n")
    source = post(programme, text)
    assert source.meta["status"] == "draft"  # an unknown status never publishes
    assert source.meta["newsletter"] is False and source.meta["tags"] == ["A", "B"]
    assert source.meta["measure"] == ["meet-me"]
    assert [line for line, _m in messages(source)] == [4, 6, 7, 8, 10]
    assert [m.split(" „")[0] for _l, m in messages(source)] == [
        "unbekannte Maßnahme", "unbekannter Status", "„newsletter“ muss true oder false sein, nicht",
        "Slug", "unbekanntes Feld"]


def test_numbers_become_text_where_text_is_meant(programme) -> None:
    source = post(programme, GOOD.replace("title: Treffen", "title: 2026"))
    assert source.meta["title"] == "2026" and source.problems == []


def test_images_need_alt_text_and_a_local_file(programme, tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "da.svg").write_text("<svg/>", encoding="utf-8")
    ok = post(programme, GOOD.replace("---\n\n", "image: images/da.svg\nimage_alt: Ein Bild\n---\n\n"),
              root=str(tmp_path))
    assert ok.problems == []
    remote = post(programme, GOOD.replace("---\n\n", "image: https://x.example/a.png\nimage_alt: A\n---\n\n"),
                  root=str(tmp_path))
    assert [m for _l, m in messages(remote)] == ["Bild von einem fremden Server"]
    missing = post(programme, GOOD.replace("---\n\n", "image: images/weg.svg\n---\n\n"), root=str(tmp_path))
    assert {m for _l, m in messages(missing)} == {"Bild „images/weg.svg“ hat keinen Alternativtext",
                                                 "Bilddatei „images/weg.svg“ gibt es nicht"}
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "entwurf.md").write_text("geheim", encoding="utf-8")
    text = post(programme, GOOD.replace("---\n\n", "image: posts/entwurf.md\nimage_alt: A\n---\n\n"),
                root=str(tmp_path))
    assert [m for _l, m in messages(text)] == ["„posts/entwurf.md“ ist kein Bild"]


def test_body_images_without_alt_are_found_outside_code_and_links_are_collected(programme) -> None:
    body = ("![](a.png)\n```\n![](im-code.png)\n```\n    ![](eingerueckt.png)\n<img src=\"b.png\">\n"
            "[Mehr]({filename}anderer.md) und <a href=\"{static}/images/c.png\">Bild</a>\n")
    source = post(programme, GOOD.replace("Text.\n", body))
    assert messages(source) == [(8, "Bild „a.png“ hat keinen Alternativtext"),
                                (8, "Bild „a.png“ wird auf der Seite nicht gefunden (Pfade im Text gelten ab "
                                    "der Seite, nicht ab content/)"),
                                (13, "HTML-Bild ohne alt-Attribut")]
    assert [(link.what, link.target, link.line) for link in source.links] == [
        ("filename", "anderer.md", 14), ("static", "/images/c.png", 14)]


def test_broken_yaml_is_reported_at_its_line(programme) -> None:
    source = post(programme, "---\ntitle: Doppelpunkt: im Titel\ndate: 2023-01-01\n---\n")
    assert any(line == 2 and "kein gültiges YAML" in m for line, m in messages(source))


def test_a_header_that_is_never_closed_is_one_message(programme) -> None:
    # Without the closing "---" the text is read as part of the header: its YAML error would be
    # a second message for the same mistake.
    source = post(programme, "---\ntitle: Treffen\ndate: 2023-01-01\nsummary: Kurz.\n\nDer Text beginnt.\n")
    assert messages(source) == [(1, "Kopfbereich wird nicht mit „---“ geschlossen")]


@pytest.mark.parametrize(("header", "words"), [
    ("title: Doppelpunkt: im Titel", "ein Doppelpunkt mit Leerzeichen mitten in einem Wert"),
    ("title: 'Treffen\nsummary: Kurz.", "ein Anführungszeichen wird nicht geschlossen"),
    ("title: !!python/object/apply:os.system [x]", "ein YAML-Typ („!…“), den die Website nicht liest"),
    ("tags: [a, b\nsummary: Kurz.", "eine eckige Klammer „[“ wird nicht geschlossen"),
    ("title: *x", "ein Wert, der mit „*“ beginnt"),
    ("title: \"Das Team\" legt los", "YAML kann diese Zeile nicht einordnen"),
    ("summary: \x07Kurz", "ein unsichtbares Steuerzeichen U+0007"),
])
def test_broken_yaml_is_said_in_german(programme, header: str, words: str) -> None:
    found = [p for p in post(programme, f"---\n{header}\ndate: 2023-01-01\n---\n").problems
             if "kein gültiges YAML" in p.message]
    assert len(found) == 1 and words in found[0].message, found
    assert found[0].line == 2, found  # where the mistake begins: the header's first line
    assert not any(english in str(found[0]) for english in ("while", "found", "expected", "could not"))


def test_optional_fields_left_empty_count_as_absent_but_required_ones_do_not(programme) -> None:
    text = GOOD.replace("---\n\n", "modified: ''\nimage: ''\nslug: ''\nauthor: ''\ntags: []\n---\n\n")
    source = post(programme, text)
    assert source.problems == [] and not {"modified", "image", "slug", "author", "tags"} & set(source.meta)
    blank = post(programme, GOOD.replace("summary: Kurz.", "summary: ''"))
    assert [m for _l, m in messages(blank)] == ["Pflichtfeld „summary“ (Zusammenfassung) fehlt"]


@pytest.mark.parametrize(("field", "written", "words"), [
    ("title", "no", "„no“ liest YAML nicht als Text, sondern als Wahrheitswert"),
    ("summary", "1:30", "„1:30“ liest YAML nicht als Text, sondern als Zahl 90"),
    ("title", "2026-12-01", "sondern als Datum"),
])
def test_what_yaml_reads_differently_than_meant_is_refused_with_the_quoted_fix(
        programme, field: str, written: str, words: str) -> None:
    text = GOOD.replace("title: Treffen" if field == "title" else "summary: Kurz.", f"{field}: {written}")
    problems = [p for p in post(programme, text).problems if p.message.startswith(f"„{written}“")]
    assert len(problems) == 1 and words in problems[0].message
    assert problems[0].fix == f'setze den Wert in doppelte Anführungszeichen: {field}: "{written}"'


def test_a_broken_header_gives_the_yaml_error_alone(programme) -> None:
    source = post(programme, "---\ntitle: Doppelpunkt: im Titel\ndate: 2023-01-01\n---\n\nText\n")
    assert [m.split(" (")[0] for _l, m in messages(source)] == ["Kopfbereich ist kein gültiges YAML"]


def test_meaning_is_checked_not_only_the_type(programme) -> None:
    text = GOOD.replace("measure: meet-me", "measure: kommunikation").replace(
        "---\n\n", "lang: Deutsch\nmodified: 2023-05-01 10:00\nauthor: [Anna, Ben]\n---\n\n")
    found = {m: p.fix for p in post(programme, text).problems for m in [p.message]}
    assert found["„kommunikation“ ist ein Cluster, keine Maßnahme"].startswith(
        "wähle eine seiner Maßnahmen: smart-places, meet-me")
    assert "„Deutsch“ ist kein Sprachkürzel" in found
    assert "„Geändert am“ liegt vor „Veröffentlicht am“" in found
    assert found["„author“ ist für einen Namen"] == "für mehrere Namen schreibe „authors: [A, B]“"


def test_paths_that_would_break_on_the_page_get_the_right_form_as_fix(programme) -> None:
    body = "![Plan](images/plan.png)\n[Vorher](2023-01-01-start.md) [Außen](https://example.org/a.md)\n"
    found = [(p.line, p.fix) for p in post(programme, GOOD.replace("Text.\n", body)).problems]
    assert found == [(8, "schreibe „{static}/images/plan.png“"),
                     (9, "verweise auf Beiträge mit „{filename}2023-01-01-start.md“")]


def test_a_problem_of_a_command_option_names_the_option_without_a_line() -> None:
    from plugins.newsletter.next_issue import _date
    from plugins.programme.problems import ContentProblemsError

    with pytest.raises(ContentProblemsError) as refused:
        _date("1. Dezember", "Europe/Berlin", "--since")
    (said,) = map(str, refused.value.problems)
    assert said.startswith("--since: ") and ":0:" not in said, said
