"""The newsletter's lists in programme data: what no sign-up form could offer is refused at its
line (a list per language, its own form address, Brevo's one form per list)."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_good_content

from pipeline.content_check import content_reading

ENGLISH = "        title: All news from stadt.land.smart in English\n        language: en\n"


def problems(tmp_path: Path, old: str, new: str, *more: tuple[str, str]) -> tuple[list[str], list[str]]:
    content = copy_good_content(tmp_path / "content")
    programme = content / "programme.yml"
    changed = programme.read_text(encoding="utf-8")
    for before, after in ((old, new), *more):
        assert before in changed
        changed = changed.replace(before, after)
    programme.write_text(changed, encoding="utf-8")
    return [str(p).split("/content/", 1)[1] for p in content_reading(str(content))[0]], changed.split("\n")


def line_of(lines: list[str], text: str) -> int:
    return lines.index(text) + 1


def test_a_yes_or_no_language_and_a_form_address_that_is_not_text_are_named(tmp_path: Path) -> None:
    found, lines = problems(tmp_path, ENGLISH, ENGLISH.replace("language: en", "language: no")
                            + "        action: 5\n")
    assert found == [
        f"programme.yml:{line_of(lines, '        language: no')}: Sprachkürzel „False“ wurde als Ja/Nein "
        "gelesen — setze es in Anführungszeichen, z. B. language: \"no\"",
        f"programme.yml:{line_of(lines, '        action: 5')}: „action“ gilt nur als Text bei einer "
        "Liste mit „language“ — die Adresse des Formulars dieser Sprache als Text; für die eigene "
        "Sprache gilt newsletter.signup.action"], found


def test_lists_that_are_not_a_list_or_leave_the_own_form_empty_are_refused(tmp_path: Path) -> None:
    found, lines = problems(tmp_path, "    lists:\n", "    lists: alle\n    former_lists:\n")
    where = f"programme.yml:{line_of(lines, '    lists: alle')}: „lists“ ist keine Liste"
    assert any(where in p for p in found), found
    start = "      - uuid: \"[PLATZHALTER: UUID der Newsletter-Liste in listmonk]\"\n" \
            "        title: Alle Neuigkeiten von stadt.land.smart\n"
    programme = copy_good_content(tmp_path / "sample") / "programme.yml"
    topics = [line for line in programme.read_text(encoding="utf-8").splitlines()
              if line.startswith("        topic: ")]
    assert topics  # the sample's topic lists belong to the German form too
    found, _lines = problems(tmp_path / "2", start, start + "        language: en\n",
                             *[(f"{line}\n", f"{line}\n        language: en\n") for line in topics])
    assert any("keine Liste für das Anmeldeformular der eigenen Sprache" in p for p in found), found


def test_with_brevo_each_language_needs_its_own_form(tmp_path: Path) -> None:
    found, _lines = problems(tmp_path, "    provider: listmonk\n", "    provider: brevo\n")
    assert len([p for p in found if "mit Brevo braucht jede Sprache ihr eigenes Formular" in p]) == 4, found
