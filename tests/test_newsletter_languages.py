"""The newsletter in every language: an edition per language with a current translation of one
of the issue's posts, rendered in that language and direction, sent to that language's own list
exactly once by every provider, and a partial send resumed without sending anything twice."""

from __future__ import annotations

import email
import json
import re
import shutil
from dataclasses import replace
from email import policy
from pathlib import Path

import pytest
from conftest import ROOT
from fakes.brevo import FakeBrevo
from fakes.clock import fake_clock
from fakes.listmonk import FakeListmonk
from test_newsletter import PUBLIC, Html, preview
from test_sending import BREVO_KEY, ISSUE, SENDER, TOKEN, Crash, brevo_env, listmonk_env, smtp_env

from pipeline.newsletter_send import edition_env, shared_lists
from plugins.newsletter.providers import load_provider
from plugins.newsletter.record import load_record
from plugins.newsletter.rendered_issue import UNSUBSCRIBE_SENTINEL
from plugins.newsletter.sending import send_editions

ENGLISH = replace(ISSUE, key=ISSUE.key + "-en", subject="News from the measures", edition="en",
                  language="en", posts=["a"],
                  html=f'<html lang="en"><body><p>New</p><a href="{UNSUBSCRIBE_SENTINEL}">Unsubscribe</a>'
                       "</body></html>", text=f"New\n\nUnsubscribe: {UNSUBSCRIBE_SENTINEL}\n")


def send_both(env: dict, tmp_path: Path, failpoint=None):
    clock = fake_clock(120.0)
    editions = []
    for issue in (ISSUE, ENGLISH):
        own, _setting = edition_env(env, issue.edition) if issue.edition else (env, "")
        assert own is not None
        editions.append((issue, load_provider(own, SENDER, tmp_path / "state", clock)))
    kwargs = {"failpoint": failpoint} if failpoint else {}
    return send_editions(editions, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                         clock=clock, **kwargs)


def crash_at_the_second_create():
    """Stands in for the process dying after the German edition went out, before the English one."""
    seen = []

    def failpoint(step: str) -> None:
        seen.append(step)
        if step == "before-create" and seen.count("before-create") == 2:
            raise Crash(step)
    return failpoint


def recorded_campaigns(tmp_path: Path) -> dict:
    issues = load_record(tmp_path / "issues.yml")
    assert [issue.number for issue in issues] == [3]
    return issues[0].campaigns


def test_listmonk_sends_each_language_to_its_own_list_once_and_resumes_a_partial_send(tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN) as server:
        env = listmonk_env(server, LISTMONK_LIST_IDS_EN="5")
        with pytest.raises(Crash):
            send_both(env, tmp_path, crash_at_the_second_create())
        assert server.created == 1 and not (tmp_path / "issues.yml").exists()  # German sent, not recorded
        report = send_both(env, tmp_path)
        assert report.ok, report.message
        assert server.created == 2 and server.started == {1: 1, 2: 1}  # only English was missing
        assert [c["id"] for c in server.campaigns[1]["lists"]] == [1, 2]
        assert [c["id"] for c in server.campaigns[2]["lists"]] == [5]
        assert server.campaigns[2]["subject"] == "News from the measures"
        assert ENGLISH.key in server.campaigns[2]["tags"]
        again = send_both(env, tmp_path)
        assert again.ok and server.created == 2 and server.started == {1: 1, 2: 1}
    assert recorded_campaigns(tmp_path) == {"listmonk": "1", "listmonk/en": "2"}


def test_brevo_sends_each_language_to_its_own_list_once_and_resumes_a_partial_send(tmp_path: Path) -> None:
    with FakeBrevo(api_key=BREVO_KEY) as server:
        env = brevo_env(server, BREVO_LIST_IDS_EN="8")
        with pytest.raises(Crash):
            send_both(env, tmp_path, crash_at_the_second_create())
        report = send_both(env, tmp_path)
        assert report.ok, report.message
        assert server.created == 2 and server.started == {1: 1, 2: 1}
        assert server.campaigns[1]["recipients"] == {"listIds": [7]}
        assert server.campaigns[2]["recipients"] == {"listIds": [8]}
    assert recorded_campaigns(tmp_path) == {"brevo": "1", "brevo/en": "2"}


def test_smtp_and_the_outbox_send_each_language_once(tmp_path: Path, smtp_server) -> None:
    env = smtp_env(smtp_server, SMTP_TO_EN="newsletter-en@lists.example.org",
                   SMTP_LIST_UNSUBSCRIBE_EN="https://lists.example.org/unsubscribe/newsletter-en")
    with pytest.raises(Crash):
        send_both(env, tmp_path, crash_at_the_second_create())
    assert send_both(env, tmp_path).ok and send_both(env, tmp_path).state == "already-sent"
    german, english = (email.message_from_bytes(message.as_bytes(), policy=policy.default)
                       for message in smtp_server.received)
    assert german["To"] == "newsletter@lists.example.org" and german["Content-Language"] == "de"
    assert english["To"] == "newsletter-en@lists.example.org" and english["Content-Language"] == "en"
    # Each list's own way out: English subscribers unsubscribe from the English list.
    assert english["List-Unsubscribe"] == "<https://lists.example.org/unsubscribe/newsletter-en>"
    assert german["List-Unsubscribe"] == "<https://lists.example.org/unsubscribe/newsletter>"
    assert set(recorded_campaigns(tmp_path)) == {"smtp", "smtp/en"}
    outbox = tmp_path / "outbox"
    other = tmp_path / "other"
    other.mkdir()
    assert send_both({"NEWSLETTER_OUTBOX": str(outbox)}, other).ok
    assert {p.name for p in outbox.glob("*.eml")} == {f"{ISSUE.key}.eml", f"{ENGLISH.key}.eml"}


def test_a_language_without_its_own_list_is_not_sent_and_shared_lists_are_refused() -> None:
    env = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_LIST_IDS": "1,2,2", "LISTMONK_LIST_IDS_UK": "02"}
    assert edition_env(env, "en") == (None, "LISTMONK_LIST_IDS_EN")
    found = shared_lists(env, ["uk"])  # "02" is list 2; a number twice in one variable is one list
    assert len(found) == 1 and "LISTMONK_LIST_IDS_UK" in found[0] and "zweimal" in found[0]
    smtp = {"NEWSLETTER_PROVIDER": "smtp", "SMTP_TO": "news@lists.example.org",
            "SMTP_TO_EN": "News@Lists.Example.org"}
    assert len(shared_lists(smtp, ["en"])) == 1  # one address, whatever its case


def test_every_problem_of_the_language_lists_is_named_at_once_before_any_request() -> None:
    from pipeline.newsletter_send import edition_problems

    env = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": "https://lists.example.org",
           "LISTMONK_USERNAME": "api", "LISTMONK_TOKEN": TOKEN, "LISTMONK_LIST_IDS": "1",
           "LISTMONK_LIST_IDS_EN": "abc", "LISTMONK_LIST_IDS_AR": "x y"}
    found = edition_problems(env, ["en", "ar"], SENDER, test=False)
    assert [line.split(":")[0] for line in found] == ["LISTMONK_LIST_IDS_EN", "LISTMONK_LIST_IDS_AR"], found
    smtp = {"NEWSLETTER_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_TO": "news@lists.example.org",
            "SMTP_LIST_UNSUBSCRIBE": "https://lists.example.org/u", "SMTP_TO_EN": "en@lists.example.org"}
    [missing] = edition_problems(smtp, ["en"], SENDER, test=False)
    assert missing.startswith("SMTP_LIST_UNSUBSCRIBE_EN fehlt")


@pytest.mark.slow  # a whole build of the sample
def test_each_language_edition_is_rendered_in_its_language_with_only_current_translations(
        tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # The German text of one translated post changes: its translations are outdated now and
    # must not be presented as news in any edition.
    original = content / "posts" / "2023-10-09-dr-smart.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    done, folder = preview(content)
    assert done.returncode == 0, done.stderr
    german = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
    assert "dr-smart" in german["posts"]
    for key, lang, direction in (("ar", "ar", "rtl"), ("uk", "uk", "ltr"), ("ls", "de", "ltr")):
        edition = json.loads((folder / key / "issue.json").read_text(encoding="utf-8"))
        assert edition["key"] == german["key"] + f"-{key}" and edition["language"] == lang
        posts = [p for p in edition["posts"] if not p.startswith("termin:")]
        assert sorted(posts) == ["offen-und-uebertragbar", "wue-app-offen-entwickelt"], (key, posts)
        html = (folder / key / "issue.html").read_text(encoding="utf-8")
        assert re.search(rf'<html[^>]*lang="{lang}" dir="{direction}"', html), key
        for url in Html(html).urls():
            assert url == UNSUBSCRIBE_SENTINEL or url.startswith(PUBLIC), url
        message = email.message_from_bytes((folder / key / "issue.eml").read_bytes(), policy=policy.default)
        assert message["Content-Language"] == lang
    arabic = (folder / "ar" / "issue.html").read_text(encoding="utf-8")
    assert "<title>نشرة stadt.land.smart: العدد" in arabic and "اقرأ المزيد" in arabic
    assert 'href="http://127.0.0.1:8000/ar/aktuelles/2026/offen-und-uebertragbar/"' in arabic
    assert "Weiterlesen" not in arabic and "Dr. Smart" not in arabic
    text = (folder / "uk" / "issue.txt").read_text(encoding="utf-8")
    assert "Читати далі: http://127.0.0.1:8000/uk/aktuelles/2026/offen-und-uebertragbar/" in text


def test_each_edition_links_the_legal_pages_says_why_it_came_and_marks_german_text_in_its_language(
        tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    pages = content / "pages"
    # The legal notice under another slug (found by its file's name), the privacy statement
    # under another file name and slug (found by the legal section it holds), with an English
    # translation; the accessibility statement as it is.
    legal = pages / "impressum.md"
    legal.write_text(legal.read_text(encoding="utf-8").replace("slug: impressum", "slug: anbieter"),
                     encoding="utf-8")
    privacy = pages / "datenschutz.md"
    (pages / "privatsphaere.md").write_text(
        privacy.read_text(encoding="utf-8").replace("slug: datenschutz", "slug: privatsphaere"),
        encoding="utf-8")
    privacy.unlink()
    (pages / "privatsphaere.en.md").write_text(
        '---\ntitle: "Privacy"\nsummary: "How this website handles data."\n---\n\n'
        "How this website handles data.\n", encoding="utf-8")
    # Why a subscriber gets the email: translated in English, left out in Ukrainian.
    ukrainian_texts = content / "programme.uk.yml"
    ukrainian_texts.write_text(re.sub(r"\n  newsletter_reason: >-\n    [^\n]*", "",
                                      ukrainian_texts.read_text(encoding="utf-8")), encoding="utf-8")
    done, folder = preview(content)
    assert done.returncode == 0, done.stderr
    for key, privacy_page in (("", "privatsphaere/"), ("en", "en/privatsphaere/"), ("uk", "privatsphaere/"),
                              ("ar", "privatsphaere/"), ("ls", "privatsphaere/")):
        for name in ("issue.html", "issue.txt"):
            text = (folder / key / name).read_text(encoding="utf-8")
            assert f"{PUBLIC}/anbieter/" in text and f"{PUBLIC}/impressum/" not in text, (key, name)
            assert f"{PUBLIC}/{privacy_page}" in text and f"{PUBLIC}/datenschutz/" not in text, (key, name)
            assert f"{PUBLIC}/barrierefreiheit/" in text, (key, name)
    ukrainian = (folder / "uk" / "issue.txt").read_text(encoding="utf-8")
    assert f"{PUBLIC}/en/privatsphaere/" not in ukrainian
    # What is only in German says so in the edition's words; what is translated does not.
    assert f"Захист даних (німецькою): {PUBLIC}/privatsphaere/" in ukrainian
    assert f"Доступність (німецькою): {PUBLIC}/barrierefreiheit/" in ukrainian
    english = (folder / "en" / "issue.html").read_text(encoding="utf-8")
    legal_link = rf'<a href="{PUBLIC}/anbieter/" hreflang="de"[^>]*>Legal notice \(in German\)</a>'
    assert re.search(legal_link, english)
    assert re.search(rf'<a href="{PUBLIC}/en/privatsphaere/"[^>]*>Privacy</a>', english)
    accessibility = rf'<a href="{PUBLIC}/barrierefreiheit/" hreflang="de"[^>]*>Accessibility \(in German\)'
    assert re.search(accessibility, english)
    for key in ("", "ls"):  # German, and Leichte Sprache, which is German
        assert "(auf Deutsch)" not in (folder / key / "issue.html").read_text(encoding="utf-8"), key
    german_reason = "Sie erhalten diese E-Mail"
    for name in ("issue.html", "issue.txt"):
        english = (folder / "en" / name).read_text(encoding="utf-8")
        assert "You are receiving this email because" in english and german_reason not in english, name
        assert german_reason in (folder / "uk" / name).read_text(encoding="utf-8"), name
    assert re.search(rf'<span lang="de" dir="ltr">{german_reason}',
                     (folder / "uk" / "issue.html").read_text(encoding="utf-8"))
    assert re.search(rf'>\s*{german_reason}', (folder / "issue.html").read_text(encoding="utf-8"))
    # An event only in German says its language in the other editions, as their web pages do.
    title, summary = "Sprechstunde zur Wue App", "Fragen und Wünsche zur Wue App"
    for key in ("en", "ar"):
        html = (folder / key / "issue.html").read_text(encoding="utf-8")
        assert re.search(rf'hreflang="de"[^>]*><span lang="de" dir="ltr">{title}</span>', html), key
        assert f'<span lang="de" dir="ltr">{summary}' in html, key
    german = (folder / "issue.html").read_text(encoding="utf-8")
    assert title in german and f'<span lang="de" dir="ltr">{title}' not in german



def test_an_edition_sent_in_an_earlier_run_is_recorded_even_without_a_current_translation_now(
        tmp_path: Path) -> None:
    """English went out, German failed; by the rerun the English translation changed (no English
    edition this time): the record still names the English campaign that was sent."""
    with FakeListmonk(token=TOKEN) as server:
        env = listmonk_env(server, LISTMONK_LIST_IDS_EN="5")
        clock = fake_clock(120.0)
        english = load_provider(edition_env(env, "en")[0], SENDER, tmp_path / "state", clock)
        german = load_provider(env, SENDER, tmp_path / "state", clock)
        assert send_editions([(ENGLISH, english)], test=False, recipients=[], record_path=tmp_path / "x.yml",
                             clock=clock).ok  # stands in for the English half of the first run
        report = send_editions([(ISSUE, german)], test=False, recipients=[],
                               record_path=tmp_path / "issues.yml", clock=clock, elsewhere=[("en", english)])
        assert report.ok, report.message
        assert server.created == 2 and server.started == {1: 1, 2: 1}
    assert recorded_campaigns(tmp_path) == {"listmonk": "2", "listmonk/en": "1"}


def test_force_resends_only_the_edition_a_person_checked() -> None:
    from pipeline.newsletter_send import SendRequest

    everything_checked_in_german = SendRequest(test=False, yes=True, verbose=False, force=True)
    assert everything_checked_in_german.forced("") and not everything_checked_in_german.forced("en")
    english_checked = SendRequest(test=False, yes=True, verbose=False, force="en")
    assert english_checked.forced("en")
    assert not english_checked.forced("") and not english_checked.forced("uk")


def test_a_list_for_a_language_the_site_does_not_have_is_named() -> None:
    from pipeline.newsletter_send import unknown_lists

    env = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_LIST_IDS": "1", "LISTMONK_LIST_IDS_EN": "2",
           "LISTMONK_LIST_IDS_FR": "3"}
    [found] = unknown_lists(env, ["en", "uk"])
    assert found.startswith("LISTMONK_LIST_IDS_FR: „fr“ ist keine Sprache der Website")


def test_a_test_of_the_editions_not_sent_yet_works_after_another_went_out(tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN) as server:
        env = listmonk_env(server, LISTMONK_LIST_IDS_EN="5")
        clock = fake_clock(120.0)
        german = load_provider(env, SENDER, tmp_path / "state", clock)
        english = load_provider(edition_env(env, "en")[0], SENDER, tmp_path / "state", clock, test=True)
        assert send_editions([(ISSUE, german)], test=False, recipients=[], record_path=tmp_path / "x.yml",
                             clock=clock).ok
        report = send_editions([(ISSUE, german), (ENGLISH, english)], test=True,
                               recipients=["test@example.org"], record_path=tmp_path / "issues.yml",
                               clock=clock)
        assert report.ok and report.state == "tested", report.message
        assert "bereits verschickt" in report.message  # and says which one went out already
        assert server.tests == [(2, ["test@example.org"])] and server.started == {1: 1}
