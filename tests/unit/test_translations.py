"""Translations as content: a file "x.en.md" beside its original "x.md"; what cannot be meant is
refused at its line, and a translation made from an older text of its original is listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, copy_good_content, interface_catalogues

from pipeline.content_check import content_reading, main, outdated_lines

ORIGINAL = "posts/2023-05-02-erstes-treffen"
TRANSLATION = """---
title: "First meeting"
summary: "The team met for the first time."
{extra}---

The team met for the first time.
"""


def translate(content: Path, name: str, extra: str = "") -> Path:
    path = content / name
    path.write_text(TRANSLATION.format(extra=extra), encoding="utf-8")
    return path


def problems_of(content: Path) -> list[str]:
    return [str(problem) for problem in content_reading(str(content))[0]]


def test_a_translation_without_its_original_or_in_a_language_not_offered_is_refused(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    translate(content, "posts/2023-05-03-gibt-es-nicht.en.md")
    translate(content, f"{ORIGINAL}.fr.md")
    translate(content, f"{ORIGINAL}.uk.md", extra="lang: tr\n")
    found = problems_of(content)
    assert any("2023-05-03-gibt-es-nicht.en.md:1: Übersetzung ohne Original" in p
               and "posts/2023-05-03-gibt-es-nicht.md" in p for p in found), found
    assert any(f"{ORIGINAL}.fr.md:1:" in p and "„.fr“" in p and "languages:" in p for p in found), found
    assert any(f"{ORIGINAL}.uk.md:4:" in p and "lang: tr" in p for p in found), found
    assert len(found) == 3, found
    # A slip in the name: the original it most likely belongs to is named.
    translate(content, "posts/2023-05-02-erstes-trefen.en.md")
    slip = next(p for p in problems_of(content) if "erstes-trefen.en.md:1: Übersetzung ohne Original" in p)
    assert "meintest du „posts/2023-05-02-erstes-treffen.md“? Dann benenne die Übersetzung " \
           "„2023-05-02-erstes-treffen.en.md“" in slip, slip


def test_languages_in_programme_data_are_checked_at_their_line(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    assert "  - key: ar\n    name: العربية\n    dir: rtl\n" in text
    programme.write_text(text.replace("    dir: rtl\n", "    dir: rechts\n  - key: en\n    name: Englisch\n"),
                         encoding="utf-8")
    found = problems_of(content)
    lines = text.split("\n")
    rtl = next(number for number, line in enumerate(lines, 1) if line == "    dir: rtl")
    assert any(f"programme.yml:{rtl}: Schreibrichtung „rechts“ unbekannt" in p for p in found), found
    assert any(f"programme.yml:{rtl + 1}: Sprache „en“ doppelt" in p for p in found), found


def test_a_translation_of_an_older_text_is_listed_until_it_is_recorded_as_current(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    english = translate(content, f"{ORIGINAL}.en.md")
    assert main(["--content", str(content)]) == 0  # listed, but not a problem: the build goes on
    assert f"{ORIGINAL}.en.md:1: Übersetzung ist älter als ihr Original" in capsys.readouterr().out
    assert record([str(english)], str(content)) == 0
    assert 'translated_from: "' in english.read_text(encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    assert outdated_lines(sources, config) == []
    original = content / f"{ORIGINAL}.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    # Now at the line that says which text it was made from.
    rows = english.read_text(encoding="utf-8").split("\n")
    line = next(number for number, row in enumerate(rows, 1) if row.startswith("translated_from:"))
    assert [row.split(": ", 1)[0] for row in outdated_lines(sources, config)] == [f"{english}:{line}"]


def test_a_translation_is_public_only_while_its_original_is_and_never_before_it(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    original = content / f"{ORIGINAL}.md"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("---\n", "---\nstatus: draft\n", 1), encoding="utf-8")
    translate(content, f"{ORIGINAL}.en.md")
    translate(content, "posts/2023-06-01-ausblick.en.md", extra="date: 2020-01-01 10:00\n")
    problems, sources, _config = content_reading(str(content))
    english = next(s for s in sources if s.relative == f"{ORIGINAL}.en.md")
    assert english.post.meta["status"] == "draft"  # its original is a draft: so is it
    assert [str(p).split("/content/", 1)[1] for p in problems] == [
        "posts/2023-06-01-ausblick.en.md:4: die Übersetzung erschiene vor ihrem Original "
        "(„2023-06-01 00:00“) — lass „date:“ weg: sie erscheint mit ihrem Original"]


def test_file_names_that_only_look_like_translations_get_one_message_each(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    translate(content, f"{ORIGINAL}.EN.md")
    translate(content, f"{ORIGINAL}.de.md")
    (content / "posts" / "2023-05-03-treffen.am.md").write_text(
        (content / f"{ORIGINAL}.md").read_text(encoding="utf-8"), encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 2, found  # "treffen.am.md" is a post of its own ("am" is German here)
    assert any(f"{ORIGINAL}.EN.md:1: Sprachkürzel „.EN“ im Dateinamen ist großgeschrieben" in p
               for p in found)
    assert any(f"{ORIGINAL}.de.md:1: die Sprache der Originale („.de“) steht nicht im Dateinamen" in p
               for p in found)


def test_recording_keeps_line_endings_and_replaces_a_value_over_several_lines(tmp_path: Path) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    english = content / f"{ORIGINAL}.en.md"
    english.write_bytes(TRANSLATION.format(extra="translated_from:\n  - a\n  - b\n")
                        .replace("\n", "\r\n").encode())
    original = content / f"{ORIGINAL}.md"
    original.write_bytes(original.read_bytes().replace(b"\n", b"\r\n"))  # line endings are no change
    assert record([str(english)], str(content)) == 0
    written = english.read_bytes()
    assert b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")
    assert b"  - a" not in written and written.count(b"translated_from:") == 1
    problems, sources, config = content_reading(str(content))
    assert problems == [] and outdated_lines(sources, config) == []
    original.write_bytes(original.read_bytes().replace(b"\r\n", b"\n"))
    assert outdated_lines(*content_reading(str(content))[1:]) == []
    # An original whose header cannot be read has no text to record: said, nothing written.
    original.write_text(original.read_text(encoding="utf-8").replace("---\n", "---\ntitle: [x\n", 1),
                        encoding="utf-8")
    before = english.read_bytes()
    assert record([str(english)], str(content)) == 1 and english.read_bytes() == before


def test_a_translation_of_the_interface_with_other_placeholders_falls_back_to_german(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import catalogues

    with interface_catalogues(tmp_path, monkeypatch,
                              en='msgid "%(language)s: nicht übersetzt"\n'
                                 'msgstr "%(sprache)s: not translated"\n\n'
                                 'msgid "Themen"\nmsgstr "Topics"\n\n'
                                 '#, fuzzy\nmsgid "Termine"\nmsgstr "Dates"\n') as locale:
        folder = locale / "en" / "LC_MESSAGES"
        assert catalogues.say("en", "%(language)s: nicht übersetzt", language="English") \
            == "English: nicht übersetzt"
        assert catalogues.say("en", "Themen") == "Topics"
        # A fuzzy entry (a tool's guess) is not used, and the check counts it as missing.
        assert catalogues.say("en", "Termine") == "Termine"
        lacking = catalogues.missing_translations()["en"]
        assert "Termine" in lacking and "Themen" not in lacking
        [problem] = catalogues.catalogue_problems()
        assert problem.startswith(f"{folder / 'sls.po'}:5: Übersetzung nennt andere Platzhalter")  # its msgid


def test_languages_that_cannot_be_meant_are_refused(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    changed = "  - key: no\n    name: Norsk\n  - key: tr\n    lang: uk\n    name: [Türkçe]\n"
    programme.write_text(text.replace("  - key: tr\n    name: Türkçe\n", changed), encoding="utf-8")
    found = " | ".join(problems_of(content))
    assert "Sprachkürzel „False“ wurde als Ja/Nein gelesen — setze es in Anführungszeichen" in found
    assert "Sprache „tr“ hat keinen Namen (als Text)" in found
    assert "Sprache „tr“ hat dasselbe Sprachkürzel „uk“ wie „uk“" in found


def test_the_programmes_texts_in_another_language_are_checked_at_their_line(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    (content / "programme.en.yml").write_text(
        "programme:\n  tagline: Smart city\n  logo: images/x.svg\n"
        "clusters:\n  - slug: kommunikaton\n    title: Communication\n"
        "measures:\n  - slug: wue-app\n    title: [Wue, App]\n  - Dr. Smart\n"
        "  - slug: dr-smart\n    title: ''\n"
        "colors:\n  primary: '#000000'\n", encoding="utf-8")
    (content / "programme.fr.yml").write_text("programme:\n  tagline: Ville\n", encoding="utf-8")
    found = [p.split("/content/", 1)[1] for p in problems_of(content)]
    assert found == [
        "programme.en.yml:3: „logo“ ist hier kein übersetzbarer Text — "
        "erlaubt sind tagline, description, motto, newsletter_reason",
        "programme.en.yml:5: „kommunikaton“ gibt es in programme.yml nicht unter „clusters“ — "
        "meintest du „kommunikation“?",
        "programme.en.yml:9: „title“ ist kein Text — schreibe den Text in Anführungszeichen",
        "programme.en.yml:10: Eintrag unter „measures“ ist kein Block mit „slug:“ — schreibe „- slug: …“ "
        "und eingerückt darunter title oder description",
        "programme.en.yml:12: „title“ ist leer — schreibe die Übersetzung, oder lass die Zeile weg: dann "
        "steht der deutsche Text da",
        "programme.en.yml:13: unbekannter Abschnitt „colors“ — nur Texte: programme, clusters und measures "
        "(Zahlen, Farben, Adressen bleiben in programme.yml)",
        "programme.fr.yml:1: Texte für die Sprache „fr“, die programme.yml nicht unter „languages:“ führt — "
        "ergänze sie dort oder benenne die Datei nach einer der Sprachen"], found


def test_a_translation_before_an_original_dated_with_its_time_and_an_alias_on_a_start_page(
        tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    translate(content, f"{ORIGINAL}.en.md", extra='date: 2020-01-01 10:00\naliases: ["/en/", "/en/alt/"]\n')
    found = " | ".join(problems_of(content))
    assert "die Übersetzung erschiene vor ihrem Original („2023-05-02 17:30“)" in found  # "17:30": a string
    assert "frühere Adresse: die Adresse „/en/“ gehört zur Website selbst" in found
    assert "/en/alt/" not in found


# An event as an editor writes one.
EVENT = (FIXTURES / "event-sprechstunde.md").read_text(encoding="utf-8")
EVENT_TRANSLATION = """---
title: Consultation hour in the Newsroom
summary: Questions and answers about the measures.
{extra}---

Drop in.
"""


def test_a_post_translation_keeps_its_originals_measures_image_newsletter_and_address(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    english = translate(content, f"{ORIGINAL}.en.md",
                        extra="measure: gibts-nicht\ntags: [Foo]\nnewsletter: false\nslug: wie-gehts\n")
    found = problems_of(content)
    name = Path(ORIGINAL).name
    for line, field in ((4, "measure"), (6, "newsletter")):
        assert any(f"{name}.en.md:{line}: „{field}“ steht nur im Original" in p and f"{name}.md" in p
                   for p in found), (field, found)
    assert any(f"{name}.en.md:7: „slug: wie-gehts“ weicht von der Adresse des Originals ab" in p
               for p in found), found
    # One message per cause (not also "unknown measure"); its own tags are its own.
    assert len(found) == 3, found
    # A slug that repeats the original's address is what the translation has anyway.
    slug = Path(ORIGINAL).name.split("-", 3)[3]
    english.write_text(TRANSLATION.format(extra=f"slug: {slug}\n"), encoding="utf-8")
    assert problems_of(content) == []


def test_the_translation_of_a_post_named_by_its_date_alone_stands_at_the_originals_address(
        tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    original = (content / f"{ORIGINAL}.md").read_text(encoding="utf-8")
    (content / f"{ORIGINAL}.md").unlink()
    renamed = original.replace("title:", 'title: "Sommerfest im Park"\n#', 1)
    (content / "posts" / "2023-05-02.md").write_text(renamed, encoding="utf-8")
    translate(content, "posts/2023-05-02.en.md")
    assert problems_of(content) == []
    sources = {s.relative: s for s in content_reading(str(content))[1]}
    slugs = {sources[f"posts/2023-05-02{suffix}.md"].slug for suffix in ("", ".en")}
    assert slugs == {"sommerfest-im-park"}
    translate(content, "posts/2023-05-02.en.md", extra="slug: sommerfest-im-park\n")
    assert problems_of(content) == []


def test_an_event_is_translated_with_its_time_and_place_from_the_original_only(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    (content / "termine").mkdir(exist_ok=True)
    (content / "termine" / "2026-03-sprechstunde.md").write_text(EVENT, encoding="utf-8")
    english = content / "termine" / "2026-03-sprechstunde.en.md"
    english.write_text(EVENT_TRANSLATION.format(extra=""), encoding="utf-8")
    assert problems_of(content) == []  # start, end, place and measure come from the original
    # An event takes place once: a translation that writes its own time or place is refused
    # at that line, one message per field.
    english.write_text(EVENT_TRANSLATION.format(extra="start: 2026-03-13 17:00\nplace_town: Berlin\n"),
                       encoding="utf-8")
    found = problems_of(content)
    assert any("2026-03-sprechstunde.en.md:4: „start“ steht nur im Original" in p
               and "2026-03-sprechstunde.md" in p for p in found), found
    assert any("2026-03-sprechstunde.en.md:5: „place_town“ steht nur im Original" in p for p in found), found
    assert len(found) == 2, found
    # ... and one without its original, as for posts.
    english.write_text(EVENT_TRANSLATION.format(extra=""), encoding="utf-8")
    (content / "termine" / "2026-03-sprechstunde.md").unlink()
    found = problems_of(content)
    assert len(found) == 1 and "2026-03-sprechstunde.en.md:1: Übersetzung ohne Original" in found[0], found


def test_an_event_translation_of_an_older_text_is_listed_until_it_is_recorded(tmp_path: Path) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    (content / "termine").mkdir(exist_ok=True)
    original = content / "termine" / "2026-03-sprechstunde.md"
    original.write_text(EVENT, encoding="utf-8")
    ukrainian = content / "termine" / "2026-03-sprechstunde.uk.md"
    ukrainian.write_text(EVENT_TRANSLATION.format(extra=""), encoding="utf-8")
    assert record([str(ukrainian)], str(content)) == 0
    _problems, sources, config = content_reading(str(content))
    assert outdated_lines(sources, config) == []
    original.write_text(EVENT.replace("Kommen Sie vorbei.", "Kommen Sie gern vorbei."), encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    assert [line.split(":", 1)[0] for line in outdated_lines(sources, config)] == [str(ukrainian)]


def test_the_programmes_texts_in_another_language_are_listed_when_the_german_ones_change(
        tmp_path: Path) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    english = content / "programme.en.yml"
    written = ("# English texts, checked by a translator\nprogramme:\n  tagline: Smart city\n"
               "clusters:\n  - slug: kommunikation\n    title: Communication\n"
               "  - slug: partizipation\n    title: Participation\n")
    english.write_text(written, encoding="utf-8")

    def listed() -> list[str]:
        _problems, sources, config = content_reading(str(content))
        return [line.split("/content/", 1)[1].split(" ist älter")[0]
                for line in outdated_lines(sources, config)]

    # Not saying which German text they were made from: each entry is listed at its line.
    assert listed() == ["programme.en.yml:2: Übersetzung der Programmtexte",
                        "programme.en.yml:5: Übersetzung „kommunikation“",
                        "programme.en.yml:7: Übersetzung „partizipation“"]
    assert record([str(english)], str(content)) == 0
    assert listed() == [] and problems_of(content) == []
    recorded = english.read_text(encoding="utf-8")
    assert recorded.startswith("# English texts") and recorded.count("translated_from:") == 3
    assert record([str(english)], str(content)) == 0 and english.read_text(encoding="utf-8") == recorded
    # A cluster's German title changes: only that entry is older now.
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    assert "    title: Partizipation\n" in text
    programme.write_text(text.replace("    title: Partizipation\n", "    title: Mitmachen\n"),
                         encoding="utf-8")
    assert listed() == ["programme.en.yml:9: Übersetzung „partizipation“"]


def test_an_event_translation_cannot_change_whether_one_registers_and_gets_one_message_per_cause(
        tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    (content / "termine").mkdir(exist_ok=True)
    original = content / "termine" / "2026-03-sprechstunde.md"
    # The original implies registration by its note alone ("registration:" is not written).
    original.write_text(EVENT.replace("place_town: Würzburg\n", "place_town: Würzburg\n"
                                      "registration_note: Anmeldung per Telefon bis 10. März\n"),
                        encoding="utf-8")
    english = content / "termine" / "2026-03-sprechstunde.en.md"
    english.write_text(EVENT_TRANSLATION.format(extra=""), encoding="utf-8")
    assert problems_of(content) == []
    _problems, sources, config = content_reading(str(content))
    translation = next(s for s in sources if s.relative.endswith(".en.md"))
    assert translation.post.meta["registration"] == "hinweis"  # not "no registration needed"
    # German until translated
    assert translation.post.meta["registration_note"].startswith("Anmeldung per Telefon")
    # A changed note makes the translation older than its original.
    from pipeline.translations import main as record

    assert record([str(english)], str(content)) == 0
    original.write_text(original.read_text(encoding="utf-8").replace("10. März", "2. März"),
                        encoding="utf-8")
    _problems, sources, config = content_reading(str(content))
    # Now at the line that says which text it was made from.
    rows = english.read_text(encoding="utf-8").split("\n")
    line = next(number for number, row in enumerate(rows, 1) if row.startswith("translated_from:"))
    assert [row.split(": ", 1)[0] for row in outdated_lines(sources, config)] == [f"{english}:{line}"]
    # Without registration in the original, a translation cannot add a note of its own.
    original.write_text(EVENT, encoding="utf-8")
    english.write_text(EVENT_TRANSLATION.format(extra="registration_note: Please call us\n"),
                       encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 1 and "2026-03-sprechstunde.en.md:4: das Original sieht keine Anmeldung" in found[0]
    # A mistake in the original's time is the original's: one message, not one per translation.
    english.write_text(EVENT_TRANSLATION.format(extra=""), encoding="utf-8")
    (content / "termine" / "2026-03-sprechstunde.uk.md").write_text(EVENT_TRANSLATION.format(extra=""),
                                                                   encoding="utf-8")
    original.write_text(EVENT.replace("start: 2026-03-12 17:00", "start: 2026-13-12 17:00"), encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 1 and "2026-03-sprechstunde.md:3:" in found[0], found
    # A language not offered is the one problem of such a file, whatever it writes.
    original.write_text(EVENT, encoding="utf-8")
    (content / "termine" / "2026-03-sprechstunde.uk.md").unlink()
    english.rename(content / "termine" / "2026-03-sprechstunde.fr.md")
    (content / "termine" / "2026-03-sprechstunde.fr.md").write_text(
        EVENT_TRANSLATION.format(extra="start: 2026-03-13 17:00\n"), encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 1 and "„.fr“" in found[0], found


def test_a_post_names_an_event_by_its_originals_slug(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    (content / "termine").mkdir(exist_ok=True)
    (content / "termine" / "2026-03-sprechstunde.md").write_text(EVENT, encoding="utf-8")
    (content / "termine" / "2026-03-sprechstunde.en.md").write_text(
        EVENT_TRANSLATION.format(extra="slug: open-hour\n"), encoding="utf-8")
    post = content / f"{ORIGINAL}.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("---\n", "---\nevents: [open-hour]\n", 1), encoding="utf-8")
    found = problems_of(content)
    # The translation's own address is refused as well: it stands at its original's.
    assert any("Termin „open-hour“ gibt es nicht" in p for p in found), found
    assert any("2026-03-sprechstunde.en.md:" in p and "„slug: open-hour“ weicht von der Adresse" in p
               for p in found), found
    assert len(found) == 2, found


def test_recording_the_programmes_texts_keeps_every_way_of_writing_them_valid(tmp_path: Path) -> None:
    from pipeline.translations import main as record

    content = copy_good_content(tmp_path / "content")
    english = content / "programme.en.yml"
    english.write_text("clusters:\n  - title: >-\n      Communi-\n      cation\n      [the cluster]\n"
                       "    slug: kommunikation\n"
                       "    translated_from:\n    - alt\n    - älter\n  - slug: partizipation\n"
                       "    title: Participation\n", encoding="utf-8")
    assert any("„translated_from“ ist kein Stand" in p for p in problems_of(content))
    assert record([str(english)], str(content)) == 0
    assert problems_of(content) == []  # valid YAML, every entry recorded, nothing else changed
    _problems, sources, config = content_reading(str(content))
    assert outdated_lines(sources, config) == []
    assert english.read_text(encoding="utf-8").count("translated_from:") == 2
    assert "      Communi-\n      cation\n      [the cluster]\n" in english.read_text(encoding="utf-8")
    # Entries in brackets have no line to write into: said, and the file stays as it is.
    flow = "clusters: [{slug: kommunikation, title: Communication}]\n"
    english.write_text(flow, encoding="utf-8")
    assert record([str(english)], str(content)) == 1 and english.read_text(encoding="utf-8") == flow
    # One entry twice: one message, at the second.
    english.write_text("clusters:\n  - slug: kommunikation\n    title: A\n"
                       "  - slug: kommunikation\n    title: B\n", encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 1 and "programme.en.yml:4: „kommunikation“ steht zweimal" in found[0], found


def test_an_editorial_named_for_a_language_the_site_has_not_is_refused(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    (content / "newsletter").mkdir(exist_ok=True)
    for name in ("2026-12-01.en.md", "2026-12-01.EN.md", "2026-12-01.fr.md"):
        (content / "newsletter" / name).write_text("---\nsubject: Hallo\n---\n\nText.\n", encoding="utf-8")
    found = problems_of(content)
    assert sorted(p.split("/newsletter/", 1)[1][:22] for p in found) == ["2026-12-01.EN.md:1: „.",
                                                                         "2026-12-01.fr.md:1: „."]


@pytest.mark.parametrize("alias", ["/en/massnahmen/wue-app/", "/en/massnahmen/", "/en/cluster/kommunikation/",
                                   "/en/termine/", "/en/aktuelles/", "/en/aktuelles/seite/2/",
                                   "/en/newsletter/anmelden/", "/en/suche/"])
def test_a_translations_former_address_may_not_be_a_page_of_its_language(tmp_path: Path, alias: str) -> None:
    content = copy_good_content(tmp_path / "content")
    translate(content, f"{ORIGINAL}.en.md", extra=f'aliases: ["{alias}", "/en/aktuelles/2022/alt/"]\n')
    found = " | ".join(problems_of(content))
    assert f"frühere Adresse: die Adresse „{alias}“ gehört zur Website selbst" in found, found
    assert "/en/aktuelles/2022/alt/" not in found  # a translation's own former address is fine


def test_a_language_without_interface_translations_is_named_by_the_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("    dir: rtl\n", "    dir: rtl\n  - key: fr\n    name: Français\n", 1),
                         encoding="utf-8")
    assert main(["--content", str(content)]) == 0  # German stands in: not a problem, but said
    said = capsys.readouterr().out
    assert "theme/locale/fr/LC_MESSAGES/sls.po: fehlt, die Sprache „fr“ (Français)" in said, said
    assert "-o theme/locale/fr/LC_MESSAGES/sls.po -l fr“" in said, said
    assert "locale/en/" not in said and "„ls“" not in said  # translated, and German (Leichte Sprache)


def test_a_legal_section_belongs_to_one_page_and_is_found_by_it_before_any_slug(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from plugins.programme.edition_pages import page_link
    from plugins.programme.programme_file import read_programme

    content = copy_good_content(tmp_path / "content")
    legal = (content / "pages" / "impressum.md").read_text(encoding="utf-8")
    (content / "pages" / "anbieter.md").write_text(legal.replace("slug: impressum", "slug: anbieter"),
                                                   encoding="utf-8")
    found = problems_of(content)
    assert len(found) == 1 and "impressum.md:5: „legal_section: impressum“ hat schon pages/anbieter.md" \
        in found[0], found  # the first by name keeps it
    # A contact page that took the slug "impressum" is not the legal notice: its section decides.
    programme = read_programme(str(content / "programme.yml")).programme
    contact = SimpleNamespace(slug="impressum", source_path="pages/kontakt.md", translations=[],
                              lang="de", url="impressum/")
    notice = SimpleNamespace(slug="anbieter", legal_section="impressum", source_path="pages/x.md",
                             translations=[], lang="de", url="anbieter/")
    assert page_link(programme, [contact, notice], "impressum", "de").url == "anbieter/"
    assert page_link(programme, [contact], "datenschutz", "de") is None


def test_the_check_says_when_the_site_has_no_published_legal_notice_or_privacy_statement(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_good_content(tmp_path / "content")
    notice = content / "pages" / "impressum.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("---\n", "---\nstatus: draft\n", 1),
                      encoding="utf-8")
    assert main(["--content", str(content)]) == 0
    said = capsys.readouterr().out
    assert "keine veröffentlichte Seite mit „legal_section: impressum“: Website und Newsletter verlinken " \
           "kein Impressum" in said, said
    assert "verlinken keine Datenschutzerklärung" in said, said


def test_programme_data_that_cannot_be_read_is_the_only_thing_the_check_says(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8") + 'foo: "a" b\n', encoding="utf-8")
    assert main(["--content", str(content)]) == 1
    said = capsys.readouterr()
    # No page is read without it: "no legal notice" would only follow from that.
    assert said.out == "" and [row for row in said.err.splitlines() if "programme.yml:" in row], said
    assert said.err.count("\n") == 2 and "1 Problem im Inhalt" in said.err, said.err


DAY = 'msgid "%(day)s, %(start)s bis %(end)s Uhr"\nmsgstr "{}"\n'
MEASURES = ('msgid "%(num)d Maßnahme von %(name)s."\nmsgid_plural "%(num)d Maßnahmen von %(name)s."\n'
            'msgstr[0] "%(num)d measure of %(name)s."\nmsgstr[1] "{}"\n')


@pytest.mark.parametrize(("entry", "written"), [
    (DAY.format("%(day)s, %(start)s to %(end)s%(day)20000000s"), "width: megabytes on every page"),
    (DAY.format("%(day)d, %(start)s to %(end)s"), "another conversion: an error while building"),
    (DAY.format("%(day)s, %(start)s to %(end)s, 100%"), "a lone percent sign"),
    (MEASURES.format("The %(nope)d measures of %(name)s."), "a name the German text does not give"),
])
def test_a_placeholder_written_otherwise_than_in_german_leaves_german_there(
        entry: str, written: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Environment

    from plugins.programme import catalogues

    topics = '\nmsgid "Themen"\nmsgstr "Topics"\n'
    with interface_catalogues(tmp_path, monkeypatch, en=entry + topics) as locale:
        env = Environment(autoescape=True)
        catalogues.install(env, "de")
        day = env.from_string('{{ _("%(day)s, %(start)s bis %(end)s Uhr", day="Mo", start="9", end="10") }}')
        measures = env.from_string('{{ ngettext("%(num)d Maßnahme von %(name)s.", '
                                   '"%(num)d Maßnahmen von %(name)s.", 3, name="X") }}')
        assert day.render(edition="en") == "Mo, 9 bis 10 Uhr", written
        assert measures.render(edition="en") == "3 Maßnahmen von X.", written
        assert env.from_string('{{ _("Themen") }}').render(edition="en") == "Topics"  # the rest is used
        [problem] = catalogues.catalogue_problems()
        assert problem.startswith(f"{locale / 'en' / 'LC_MESSAGES' / 'sls.po'}:") \
            and "Übersetzung nennt andere Platzhalter als der deutsche Text" in problem, problem


@pytest.mark.parametrize(("header", "said"), [
    ("nplurals=20000000; plural=(n != 1);", "Plural-Forms nennt 20000000 Pluralformen (1 bis 6)"),
    ("nplurals=2; plural=(n%0);", "Plural-Forms: Formel lässt sich nicht rechnen"),
    ("nplurals=2; plural=(n+7);", "Plural-Forms: Formel wählt eine Form, die es nicht gibt (nplurals=2)"),
])
def test_a_catalogue_whose_plural_forms_cannot_work_is_refused_before_it_is_read(
        header: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import catalogues

    po = (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          f'"Plural-Forms: {header}\\n"\n\n'
          'msgid "Themen"\nmsgstr "Topics"\n\n' + MEASURES.format("%(num)d measures of %(name)s."))
    with interface_catalogues(tmp_path, monkeypatch, en=po) as locale:
        assert catalogues.say("en", "Themen") == "Themen"  # German stands in, nothing stops
        assert catalogues.catalogue_problems() == [
            f"{locale / 'en' / 'LC_MESSAGES' / 'sls.po'}:1: {said} — prüfe ihn mit einem "
            "Übersetzungsprogramm (z. B. Poedit); bis dahin steht die Oberfläche dieser Sprache auf Deutsch"]


def test_a_catalogue_larger_than_any_translation_is_refused_and_a_byte_order_mark_is_no_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from plugins.programme import catalogues

    huge = 'msgid "Themen"\nmsgstr "Topics"\n\n' + "".join(f'msgid "junk{n}"\nmsgstr "{"x" * 60}"\n\n'
                                                          for n in range(15_000))
    turkish_entry = 'msgid "Themen"\nmsgstr "Konular"\n'
    with interface_catalogues(tmp_path, monkeypatch, en=huge, tr=turkish_entry) as locale:
        turkish = locale / "tr" / "LC_MESSAGES" / "sls.po"
        turkish.write_bytes(b"\xef\xbb\xbf" + turkish.read_bytes())
        assert catalogues.say("en", "Themen") == "Themen" and catalogues.say("tr", "Themen") == "Konular"
        [problem] = catalogues.catalogue_problems()
        english = locale / "en" / "LC_MESSAGES" / "sls.po"
        assert problem.startswith(f"{english}:1: Katalog ist größer als 1 MB")
    said = capsys.readouterr()
    assert "WARNING" not in said.out + said.err


def test_programme_texts_are_read_only_from_the_content_folder_and_only_as_long_as_a_page_can_carry(
        tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    outside = tmp_path / "outside.yml"
    outside.write_text("programme:\n  tagline: GEHEIM-4711\n", encoding="utf-8")
    (content / "programme.en.yml").symlink_to(outside)
    found = problems_of(content)
    assert any(p.endswith("programme.en.yml:1: keine gewöhnliche Datei (ein Verweis/Symlink oder ein "
                          "Ordner) — lege die Texte als Datei „programme.en.yml“ neben programme.yml")
               for p in found), found
    assert not any("GEHEIM" in p for p in found)
    (content / "programme.en.yml").unlink()
    (content / "programme.en.yml").write_text("clusters:\n  - slug: kommunikation\n    title: " + "C" * 301
                                              + "\n", encoding="utf-8")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("    name: Türkçe\n", "    name: " + "T" * 400 + "\n"),
                         encoding="utf-8")
    found = problems_of(content)
    assert any("programme.en.yml:3: „title“ ist 301 Zeichen lang (höchstens 300) — kürze sie" in p
               for p in found), found
    assert any("programme.yml:" in p and "languages.4.name: ist 400 Zeichen lang (höchstens 300)" in p
               for p in found), found
    # The programme data itself is read only as a file of the content folder, too.
    moved = tmp_path / "elsewhere.yml"
    programme.rename(moved)
    programme.symlink_to(moved)
    found = problems_of(content)
    assert [p.split(":1: ", 1)[1] for p in found if "Verweis" in p] == [
        "Programmdaten sind ein Verweis (Symlink), keine Datei — lege programme.yml selbst in den "
        "Inhaltsordner"]
    assert not any("elsewhere" in p for p in found), found


@pytest.mark.parametrize("header", ['NPLURALS=100; plural=(n != 1);', 'nplurals="100"; plural=(n != 1);',
                                    "nplurals=1_00; plural=(n != 1);", 'npl"\n"urals=100; plural=(n != 1);'])
def test_plural_forms_are_counted_as_babel_reads_them_however_they_are_spelled(
        header: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import catalogues

    po = (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          f'"Plural-Forms: {header}\\n"\n\n' + MEASURES.format("%(num)d measures of %(name)s."))
    with interface_catalogues(tmp_path, monkeypatch, en=po):
        [problem] = catalogues.catalogue_problems()
        assert ":1: Plural-Forms nennt 100 Pluralformen (1 bis 6)" in problem, problem


def test_a_translation_keeps_the_german_shape_and_length_and_a_formula_failing_later_shows_german(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import catalogues

    feed = "%(format)s-Feed: %(title)s"
    entries = (
        # A singular message written as a plural, with a plural text of the translator's own.
        f'msgid "{feed}"\nmsgid_plural "%(format)s %(title)s %(title)20000000s"\n'
        'msgstr[0] "%(format)s feed: %(title)s%(title)20000000s"\nmsgstr[1] "x"\n\n'
        f'msgid "Über das Programm"\nmsgstr "{"About " * 2000}"\n\n'
        'msgid "Themen"\nmsgstr "Topics"\n\n'
        + MEASURES.format("%(num)d measures of %(name)s."))
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n > 1000 && n < 10000 ? n/(n-n) : n != 1);\\n"\n\n' + entries)
    with interface_catalogues(tmp_path, monkeypatch, en=po) as locale:
        assert catalogues.say("en", feed, format="Atom", title="Alles") == "Atom-Feed: Alles"
        assert catalogues.say("en", "Über das Programm") == "Über das Programm"
        assert catalogues.say("en", "Themen") == "Topics"
        english = catalogues.catalogue("en")
        german = ("%(num)d Maßnahme von %(name)s.", "%(num)d Maßnahmen von %(name)s.")
        assert english.ngettext(*german, 2) == "%(num)d measures of %(name)s."
        assert english.ngettext(*german, 1234) == german[1]  # the formula divides by zero there
        problems = catalogues.catalogue_problems()
        where = locale / "en" / "LC_MESSAGES" / "sls.po"
        assert [p.split(" — ")[0] for p in problems] == [
            f"{where}:6: Übersetzung hat eine andere Form als der deutsche Text in der Vorlage (nur Einzahl)",
            f"{where}:11: Übersetzung ist viel länger als der deutsche Text (höchstens 370 Zeichen)"]


def test_a_catalogue_that_is_no_file_is_refused_without_waiting_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from plugins.programme import catalogues

    with interface_catalogues(tmp_path, monkeypatch, en='msgid "Themen"\nmsgstr "Topics"\n') as locale:
        po = locale / "en" / "LC_MESSAGES" / "sls.po"
        po.unlink()
        os.mkfifo(po)  # opening it would wait for a writer
        assert catalogues.catalogue_problems() == [
            f"{po}:1: Katalog ist keine gewöhnliche Datei (ein Verweis/Symlink, Ordner oder Gerät) — "
            "prüfe ihn mit einem Übersetzungsprogramm (z. B. Poedit); bis dahin steht die Oberfläche "
            "dieser Sprache auf Deutsch"]


def test_programme_data_names_at_most_30_languages_and_a_host_in_brackets_is_an_ipv6_address(
        tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    many = "".join(f"  - key: x{chr(97 + n // 26)}{chr(97 + n % 26)}\n    name: Sprache {n}\n"
                   for n in range(25))
    text = text.replace("  - key: ar\n", many + "  - key: ar\n", 1)
    text = text.replace('  publisher_url: "[PLATZHALTER: Internetadresse der herausgebenden Stelle]"\n',
                        '  publisher_url: "https://[1:2]/"\n', 1)
    programme.write_text(text, encoding="utf-8")
    found = problems_of(content)
    assert any(": languages: hat 31 Einträge (höchstens 30) — kürze die Liste" in p for p in found), found
    addresses = [p for p in found if "publisher_url" in p]
    assert len(addresses) == 1 and "„https://[1:2]/“ ist keine Internetadresse" in addresses[0], addresses


def test_a_translation_with_a_control_character_or_a_repeated_placeholder_leaves_german_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import catalogues

    news = "Alle Neuigkeiten von %(name)s auf %(language)s."
    entries = (f'msgid "{news}"\nmsgstr "All news\\x01 from %(name)s in %(language)s."\n\n'
               'msgid "Zum Inhalt springen"\nmsgstr "\u202eSkip to content"\n\n'
               + MEASURES.format("%(name)s " * 40) + '\nmsgid "Themen"\nmsgstr "Topics"\n')
    with interface_catalogues(tmp_path, monkeypatch, en=entries.replace("\\x01", "\x01")) as locale:
        assert catalogues.say("en", news, name="X", language="En") == "Alle Neuigkeiten von X auf En."
        assert catalogues.say("en", "Zum Inhalt springen") == "Zum Inhalt springen"
        german = ("%(num)d Maßnahme von %(name)s.", "%(num)d Maßnahmen von %(name)s.")
        assert catalogues.catalogue("en").ngettext(*german, 2) == german[1]
        assert catalogues.say("en", "Themen") == "Topics"
        where = locale / "en" / "LC_MESSAGES" / "sls.po"
        assert [p.split(" — ")[0] for p in catalogues.catalogue_problems()] == [
            f"{where}:5: Übersetzung enthält ein unsichtbares Steuerzeichen U+0001",
            f"{where}:8: Übersetzung enthält ein unsichtbares Steuerzeichen U+202E",
            f"{where}:11: Übersetzung nennt andere Platzhalter als der deutsche Text (%(name)s, %(num)d)"]


def test_a_key_of_programme_data_is_a_name(tmp_path: Path) -> None:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("    stufenlos: Stufenloser Zugang\n",
                                      '    stufenlos: Stufenloser Zugang\n    "<script>x</script>' + "k" * 900
                                      + '": Böse\n', 1), encoding="utf-8")
    [problem] = [p for p in problems_of(content) if "Schlüssel" in p]
    assert "events.accessibility.<script>x</script>kkk" in problem and len(problem) < 400, problem
    key = ("<script>x</script>" + "k" * 900)[:40]
    assert f"Schlüssel „{key}“ ist kein Name aus Buchstaben" in problem
