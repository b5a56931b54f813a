"""new-site's answers and files, without a repository."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from pipeline.scaffold import Answers, ScaffoldError, new_site, site_files

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_asked_answers_make_a_programme_whose_slugs_never_collide() -> None:
    said = iter(["Smart Dorf", "", "Mobilität", "Mobilität, Rufbus, Rufbus", "Rufbus", "Bürgerbüro", ""])
    answers = Answers.ask(lambda _question: next(said))

    programme = yaml.safe_load(site_files(answers, NOW)["programme.yml"])

    assert [c["slug"] for c in programme["clusters"]] == ["mobilitaet", "rufbus"]
    assert [m["slug"] for m in programme["measures"]] == ["mobilitaet-2", "rufbus-2", "rufbus-3",
                                                           "buergerbuero"]
    assert programme["feeds"] == {"id_authority": "smart-dorf", "id_since": 2026}
    assert programme["programme"]["organisations"][0]["name"].startswith("[PLATZHALTER:")  # no owner given


@pytest.mark.parametrize(("name", "clusters", "said"), [
    ("", ["Mobilität: Rufbus"], "der Name des Programms fehlt"),
    ("Dorf", [], "kein Cluster angegeben"),
    ("Dorf", ["Mobilität"], "Cluster „Mobilität“ hat keine Maßnahme"),
    ("Dorf", ["!!!: Rufbus"], "aus „!!!“ lässt sich keine Adresse bilden"),
])
def test_missing_answers_are_said_in_german(name: str, clusters: list[str], said: str) -> None:
    with pytest.raises(ScaffoldError, match=said):
        Answers.from_options(name, clusters)


def test_texts_quote_what_yaml_would_misread(tmp_path: Path) -> None:
    answers = Answers.from_options("ja: nein # 2026", ["Verwaltung: on, 12:30"])
    files = site_files(answers, NOW)
    programme = yaml.safe_load(files["programme.yml"])
    assert programme["programme"]["name"] == "ja: nein # 2026"
    assert [m["title"] for m in programme["measures"]] == ["on", "12:30"]


def test_the_hook_is_added_once_and_content_keeps_its_own(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".github" / "workflows").mkdir(parents=True)
    root = Path(__file__).resolve().parents[2]
    for name in (".pre-commit-config.yaml", ".gitlab-ci.yml", ".github/workflows/site.yml"):
        (repository / name).write_text((root / name).read_text(encoding="utf-8"), encoding="utf-8")
    answers = Answers.from_options("Dorf", ["Mobilität: Rufbus"])

    created = new_site(repository, Path("sites/dorf"), answers, NOW)
    again = new_site(repository, Path("sites/dorf-zwei"), answers, NOW)

    hooks = yaml.safe_load((repository / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for hook in hooks["repos"][0]["hooks"]]
    assert entries.count(".venv/bin/python -m pipeline.content_check --content sites/dorf") == 1
    assert ".venv/bin/python -m pipeline.content_check --content sites/dorf-zwei" in entries
    assert ".venv/bin/python -m pipeline.content_check" in entries  # the programme's own check stays
    assert created.changed == again.changed == [".pre-commit-config.yaml", ".gitlab-ci.yml",
                                                ".github/workflows/site.yml"]
    gitlab = yaml.safe_load((repository / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["variables"]["SLS_CONTENT"] == "sites/dorf-zwei"  # the last site made is the default
    for refused in ("content", "examples/musterstadt/neu", "../anderswo"):
        with pytest.raises(ScaffoldError):
            new_site(repository, Path(refused), answers, NOW)


def test_a_hostile_name_stays_text_in_every_file() -> None:
    answers = Answers.from_options('<script>alert(1)</script> "x" [y](z) *w*', ["Mobilität: Rufbus"])
    files = site_files(answers, NOW)
    assert "<script>" not in files["images/logo.svg"]
    post = next(text for name, text in files.items() if name.startswith("posts/"))
    front, body = post.split("---\n")[1:3]
    assert yaml.safe_load(front)["title"] == 'Willkommen bei <script>alert(1)</script> "x" [y](z) *w*'
    assert "<script>" not in body and r"\[y\](z) \*w\*" in body


def test_the_programme_files_editors_read_are_commented_in_german() -> None:
    # Editors open programme.yml: its comments are in their language (code and docs are English).
    import re

    from conftest import ROOT

    english = re.compile(r"\b(the|and|of|is|are|when|with|each|every|never|this|for)\b")
    for path in (ROOT / "content" / "programme.yml",
                 ROOT / "pipeline" / "scaffold" / "texts" / "programme.yml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        comments = [line for line in lines if line.strip().startswith("#")]
        assert comments, path
        assert [line for line in comments if english.search(line)] == [], path


def _sentences(files: dict[str, str]) -> str:
    programme = yaml.safe_load(files["programme.yml"])["programme"]
    return "\n".join([programme["description"], programme["tagline"], files["pages/ueber-das-programm.md"],
                      files["pages/leichte-sprache.md"], files["pages/impressum.md"],
                      yaml.safe_load(files["programme.yml"])["newsletter"]["title"],
                      next(text for path, text in files.items() if path.endswith("-willkommen.md"))])


def test_a_market_town_is_named_with_its_article_and_case() -> None:
    answers = Answers.from_options("Markt Beispielheim gemeinsam digital",
                                   ["Mobilität: Rufbus, Mitfahrbank",
                                    "Verwaltung: Online-Amt, Bürgerkonto, Sprechstunde"],
                                   owner="Markt Beispielheim")
    files = site_files(answers, NOW)
    text = _sentences(files)
    assert "Der Markt Beispielheim gemeinsam digital ist das Programm des Marktes Beispielheim." in text
    assert ("Hier berichtet der Markt Beispielheim gemeinsam digital über fünf Maßnahmen in zwei "
            "Handlungsfeldern.") in text
    assert "## Fünf Maßnahmen in zwei Handlungsfeldern" in text
    assert "Newsletter des Marktes Beispielheim gemeinsam digital" in text
    assert "Website des Marktes Beispielheim gemeinsam digital." in text
    assert "Auf dieser Seite erklären wir den Markt Beispielheim gemeinsam digital." in text
    assert 'title: "Willkommen beim Markt Beispielheim gemeinsam digital"' in text
    assert "Beispielheim" not in yaml.safe_load(files["programme.yml"])["programme"]["tagline"]
    prefix = yaml.safe_load(files["programme.yml"])["newsletter"]["key_prefix"]
    assert prefix == "markt-beispielheim-newsletter"


def test_a_municipality_and_a_programme_name_read_right_and_small_numbers_are_words() -> None:
    answers = Answers.from_options("Gemeinde Musterdorf", ["Bildung: Lernwerkstatt"])
    text = _sentences(site_files(answers, NOW))
    assert "Hier berichtet die Gemeinde Musterdorf über eine Maßnahme in einem Handlungsfeld." in text
    assert "Newsletter der Gemeinde Musterdorf" in text and "Website der Gemeinde Musterdorf." in text
    assert "Willkommen bei der Gemeinde Musterdorf" in text
    assert "## Was ist die Gemeinde Musterdorf?" in text
    assert "Die Gemeinde Musterdorf ist ein Programm." in text
    many = [f"Feld {n}: Maßnahme {n}" for n in range(1, 14)]
    plain = _sentences(site_files(Answers.from_options("Musterstadt vernetzt", many), NOW))
    assert "Hier berichtet Musterstadt vernetzt über 13 Maßnahmen in 13 Handlungsfeldern." in plain
    assert "Newsletter von Musterstadt vernetzt" in plain
