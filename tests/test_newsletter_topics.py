"""Newsletters by topic: one email per person per issue and language, with the parts of the topics
they chose, against loopback listmonk and Brevo servers that render each message for its
subscriber as the real ones do (listmonk: Go templates with Sprig's ``has``; Brevo: ``{% if %}``)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from fakes.brevo import FakeBrevo
from fakes.clock import fake_clock
from fakes.listmonk import FakeListmonk

from pipeline.build import build
from pipeline.newsletter_send import Console, preview_segment, run_send, run_status, topic_problems
from plugins.newsletter.providers import ConfigError, load_provider
from plugins.newsletter.providers.retry import RetryPolicy
from plugins.newsletter.rendered_issue import PREVIEW_FOLDER, RenderedIssue, Sender
from plugins.newsletter.sending import send_editions
from plugins.programme.programme_file import load_programme

TOKEN, BREVO_KEY = "s3cret-token-1234", "xkeysib-test-key-5678"
SENDER = Sender("stadt.land.smart", "newsletter@example.org")
# A post of the Wue App, one of Dr. Smart, one of both the Wue App and the Smart City Hub.
POSTS = {"dr-smart": "2023-10-09-dr-smart.md",
         "wue-app-offen-entwickelt": "2024-03-11-wue-app-offen-entwickelt.md",
         "offen-und-uebertragbar": "2026-03-16-offen-und-uebertragbar.md"}
# The whole issue's list, one list per topic; the English edition's whole list and a topic list.
LISTMONK = {"LISTMONK_LIST_IDS": "1",
            "LISTMONK_TOPIC_LISTS": "wue-app:11, dr-smart:12, meet-me:13, smart-city-hub:14",
            "LISTMONK_LIST_IDS_EN": "21", "LISTMONK_TOPIC_LISTS_EN": "dr-smart:22"}
BREVO = {"BREVO_LIST_IDS": "1", "BREVO_TOPIC_LISTS": "wue-app:11, dr-smart:12, meet-me:13, smart-city-hub:14",
         "BREVO_LIST_IDS_EN": "21", "BREVO_TOPIC_LISTS_EN": "dr-smart:22"}
PEOPLE = [
    {"email": "anna@example.org", "lists": [11, 12]},  # both topics with news
    {"email": "ben@example.org", "lists": [11]},  # the Wue App only
    {"email": "cara@example.org", "lists": [13]},  # a topic without news this time
    {"email": "dora@example.org", "lists": [1]},  # everything
    {"email": "emre@example.org", "lists": [21]},  # the English edition
    {"email": "fritz@example.org", "lists": {11: "unsubscribed"}},  # left the list
    {"email": "hanna@example.org", "lists": [14]},  # the Smart City Hub: only the post naming it too
    {"email": "pia@example.org", "lists": [1, 22]},  # everything in German, Dr. Smart in English
]


def title(slug: str, language: str = "") -> str:
    name = POSTS[slug].replace(".md", f".{language}.md") if language else POSTS[slug]
    text = (ROOT / "content" / "posts" / name).read_text(encoding="utf-8")
    return str(yaml.safe_load(text.split("---")[1])["title"])


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's issue with one post of the Wue App and one of Dr. Smart, in every language."""
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT / "pelicanconf.py", site, ROOT / "content", overrides={
        "NEWSLETTER_PREVIEW": {"since": None, "posts": list(POSTS), "date": None}})
    assert result.ok, result.problems
    return site / PREVIEW_FOLDER


def editions(preview: Path, env: dict, tmp_path: Path, clock) -> list[tuple[RenderedIssue, object]]:
    """The German issue and the English edition, each with its own lists."""
    issues = {issue.edition: issue for issue in RenderedIssue.load_editions(preview)}
    own = {name.removesuffix("_EN"): value for name, value in env.items() if name.endswith("_EN")}
    english = {**env, **own}
    return [(issues[""], load_provider(env, SENDER, tmp_path / "state", clock)),
            (issues["en"], load_provider(english, SENDER, tmp_path / "state", clock))]


def listmonk_env(server: FakeListmonk) -> dict:
    return {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": server.url, "LISTMONK_USERNAME": "api",
            "LISTMONK_TOKEN": TOKEN, "NEWSLETTER_HTTP_TIMEOUT": "0.25", **LISTMONK}


def brevo_env(server: FakeBrevo) -> dict:
    return {"NEWSLETTER_PROVIDER": "brevo", "BREVO_API_URL": server.url, "BREVO_API_KEY": BREVO_KEY,
            "NEWSLETTER_HTTP_TIMEOUT": "0.25", **BREVO}


def send(preview: Path, env: dict, tmp_path: Path, **kwargs):
    clock = fake_clock(120.0)
    return send_editions(editions(preview, env, tmp_path, clock), test=False, recipients=[],
                         record_path=tmp_path / "issues.yml", clock=clock, **kwargs)


def assert_each_gets_their_topics(inbox: dict[str, list[dict]], body: str, text: str | None) -> None:
    wue, smart, both = title("wue-app-offen-entwickelt"), title("dr-smart"), title("offen-und-uebertragbar")
    parts = [body] + ([text] if text else [])
    anna, ben, dora, hanna = (inbox[f"{who}@example.org"][0] for who in ("anna", "ben", "dora", "hanna"))
    for part in parts:
        assert wue in anna[part] and smart in anna[part] and both in anna[part]
        assert wue in ben[part] and both in ben[part] and smart not in ben[part]
        assert wue in dora[part] and smart in dora[part] and both in dora[part]
        assert both in hanna[part] and wue not in hanna[part] and smart not in hanna[part]
    for who in ("anna", "ben", "dora", "emre", "hanna"):
        assert len(inbox[f"{who}@example.org"]) == 1, who  # one email per person per issue and language
    assert "cara@example.org" not in inbox and "fritz@example.org" not in inbox
    assert 'lang="en"' in inbox["emre@example.org"][0][body]
    # Pia: everything in German, only Dr. Smart in English (each language's own attribute).
    german, english = sorted(inbox["pia@example.org"], key=lambda mail: 'lang="en"' in mail[body])
    assert wue in german[body] and smart in german[body]
    assert 'lang="en"' in english[body] and title("dr-smart", "en") in english[body]
    assert title("wue-app-offen-entwickelt", "en") not in english[body]


def test_listmonk_sends_each_subscriber_one_email_with_their_topics(preview: Path, tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN, people=PEOPLE) as server:
        report = send(preview, listmonk_env(server), tmp_path)
        assert report.ok, report.message
        assert_each_gets_their_topics(server.inbox, "body", "altbody")
        # The email says where to change topics and language: listmonk's preference page.
        anna = server.inbox["anna@example.org"][0]
        assert "subscription/u1?manage=true" in anna["body"]
        assert "Themen und Sprache ändern" in anna["altbody"]
        assert "Change topics and language" in server.inbox["emre@example.org"][0]["body"]
        german = next(c for c in server.campaigns.values() if not c["tags"][1].endswith("-en"))
        assert sorted(item["id"] for item in german["lists"]) == [1, 11, 12, 14]  # not the topic without news
        # The attribute the conditions read, from the lists each person is on.
        themen = {p["email"]: p["attribs"].get("themen") for p in server.people.values()}
        assert themen["anna@example.org"] == ["dr-smart", "wue-app"]
        # The whole issue's subscribers keep no attribute (none means everything): no request.
        assert themen["dora@example.org"] is None
        pia = next(p for p in server.people.values() if p["email"] == "pia@example.org")["attribs"]
        assert pia == {"themen_en": ["dr-smart"]}
        # A rerun after success sends nothing again and changes no one.
        calls, got = len(server.calls), {who: len(mails) for who, mails in server.inbox.items()}
        again = send(preview, listmonk_env(server), tmp_path)
        assert again.ok and server.created == 2 and sum(server.started.values()) == 2
        assert {who: len(mails) for who, mails in server.inbox.items()} == got
        assert not [call for call in server.calls[calls:] if call[0] == "PATCH"]


def test_brevo_sends_each_contact_one_email_with_their_topics(preview: Path, tmp_path: Path) -> None:
    attributes = ("FIRSTNAME", "THEMEN", "THEMEN_EN")
    with FakeBrevo(api_key=BREVO_KEY, people=PEOPLE, attributes=attributes) as server:
        report = send(preview, brevo_env(server), tmp_path)
        assert report.ok, report.message
        assert_each_gets_their_topics(server.inbox, "htmlContent", None)
        assert "brevo.example/profile/u1" in server.inbox["anna@example.org"][0]["htmlContent"]
        german = next(c for c in server.campaigns.values() if not c["tag"].endswith("-en"))
        assert sorted(german["recipients"]["listIds"]) == [1, 11, 12, 14]
        assert server.people["anna@example.org"]["attribs"]["THEMEN"] == ",dr-smart,wue-app,"
        assert server.people["pia@example.org"]["attribs"] == {"THEMEN_EN": ",dr-smart,"}


def test_brevo_without_the_topics_attribute_says_what_to_create(preview: Path, tmp_path: Path) -> None:
    with FakeBrevo(api_key=BREVO_KEY, people=PEOPLE, attributes=("FIRSTNAME",)) as server:
        report = send(preview, brevo_env(server), tmp_path)
    assert not report.ok and "THEMEN" in report.message and "Text-Attribut anlegen" in report.message
    assert not server.started and not server.inbox


def test_a_provider_in_trouble_gets_a_bounded_number_of_attempts(preview: Path, tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN, people=PEOPLE) as server:
        server.inject("GET /api/subscribers", *["500"] * 20)
        report = send(preview, listmonk_env(server), tmp_path, policy=RetryPolicy(attempts=4))
        reads = [call for call in server.calls if call == ("GET", "/api/subscribers")]
        assert not report.ok and len(reads) == 8 and "später erneut" in report.message  # 4 per language
        assert not server.started and not server.inbox
        # Once the provider is back, the rerun sends each language once.
        server.faults.clear()
        assert send(preview, listmonk_env(server), tmp_path).ok
        assert_each_gets_their_topics(server.inbox, "body", "altbody")


def test_a_partial_failure_resumes_only_the_missing_language(preview: Path, tmp_path: Path) -> None:
    class Crash(Exception):
        pass

    seen: list[str] = []

    def second_start_crashes(step: str) -> None:
        seen.append(step)
        if step == "before-start-lookup" and seen.count(step) == 2:
            raise Crash

    with FakeListmonk(token=TOKEN, people=PEOPLE) as server:
        with pytest.raises(Crash):
            send(preview, listmonk_env(server), tmp_path, failpoint=second_start_crashes)
        assert sum(server.started.values()) == 1 and "emre@example.org" not in server.inbox
        assert [mail["campaign"] for mail in server.inbox["pia@example.org"]] == [1]
        assert send(preview, listmonk_env(server), tmp_path).ok
        assert server.created == 2 and sorted(server.started.values()) == [1, 1]
        assert_each_gets_their_topics(server.inbox, "body", "altbody")


def test_topic_lists_that_cannot_work_are_refused_before_any_request() -> None:
    base = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": "https://l.example", "LISTMONK_USERNAME": "a",
            "LISTMONK_TOKEN": "t", "LISTMONK_LIST_IDS": "1"}
    for value, expected in (("wue-app:1", "bekommt schon die ganze Ausgabe"),
                            ("wue-app", "Thema und Listennummer"),
                            ("wue-app:11, wue-app:12", "zweimal")):
        with pytest.raises(ConfigError, match=expected):
            load_provider({**base, "LISTMONK_TOPIC_LISTS": value}, SENDER, Path("/nonexistent"),
                          fake_clock(5))
    programme = load_programme(ROOT / "content" / "programme.yml")
    problems = topic_problems({**base, "LISTMONK_TOPIC_LISTS_EN": "wue-ap:11"}, programme)
    assert problems == ["LISTMONK_TOPIC_LISTS_EN: „wue-ap“ ist kein Schlüssel eines Clusters oder einer "
                        "Maßnahme (programme.yml)"]


def test_preview_of_a_segment_shows_what_a_subscriber_of_that_topic_gets(preview: Path,
                                                                        tmp_path: Path) -> None:
    folder = tmp_path / "preview"
    shutil.copytree(preview, folder)
    programme = load_programme(ROOT / "content" / "programme.yml")
    lines = preview_segment(folder, "wue-app", programme, SENDER)
    html = (folder / "thema-wue-app" / "issue.html").read_text(encoding="utf-8")
    text = (folder / "thema-wue-app" / "issue.txt").read_text(encoding="utf-8")
    assert title("wue-app-offen-entwickelt") in html and title("dr-smart") not in html
    assert title("wue-app-offen-entwickelt") in text and title("dr-smart") not in text
    assert "sls-topics" not in html + text
    assert str(folder / "thema-wue-app" / "issue.html") in lines
    said = preview_segment(folder, "smart-city-hub", programme, SENDER)
    assert any("nichts Neues zu „smart-city-hub“" in line for line in said)
    assert "kein Schlüssel" in preview_segment(folder, "gibt-es-nicht", programme, SENDER)[0]
    # The whole issue a person reviews carries no marks.
    whole = (folder / "issue.html").read_text(encoding="utf-8") + (folder / "issue.txt").read_text("utf-8")
    assert "sls-topics" not in whole and title("dr-smart") in whole
    # The outbox has no preference page: no link to one (nor to the placeholder address).
    assert "abo-verwalten.invalid" not in whole and "Themen und Sprache ändern" not in whole


def test_test_send_of_a_segment_and_status_of_every_segment(tmp_path: Path, monkeypatch) -> None:
    """The command itself: --test --segment sends the test recipients that topic's email only;
    status names the topics each campaign reached."""
    monkeypatch.chdir(tmp_path)
    with FakeListmonk(token=TOKEN, people=PEOPLE, subscribers=("test@example.org",)) as server:
        env = {**listmonk_env(server), "NEWSLETTER_TEST_RECIPIENTS": "test@example.org",
               "SITEURL": "https://example.org"}
        out, err = io.StringIO(), io.StringIO()
        code = run_send(env, test=True, yes=True, verbose=False, settings_file=ROOT / "publishconf.py",
                        console=Console(env, out, err), segment="wue-app")
        assert code == 0, err.getvalue()
        assert "Test des Themas „wue-app“" in out.getvalue()
        tested = server.delivered[1]["body"]
        assert title("wue-app-offen-entwickelt") in tested and title("dr-smart") not in tested
        assert "sls-topics" not in tested
        # The draft at the provider is the whole issue again, for everyone, to its lists.
        draft = server.campaigns[1]
        assert "{{ if" in draft["body"] and title("dr-smart") in draft["body"]
        lists = {item["id"] for item in draft["lists"]}
        assert {1, 11, 12} <= lists
        refused = run_send(env, test=False, yes=True, verbose=False, settings_file=ROOT / "publishconf.py",
                           console=Console(env, io.StringIO(), err), segment="wue-app")
        assert refused == 2 and "nur mit --test" in err.getvalue()
        status = io.StringIO()
        assert run_status(env, ROOT / "publishconf.py", console=Console(env, status, io.StringIO())) == 0
        said = status.getvalue()
        topics = {11: "wue-app", 12: "dr-smart", 13: "meet-me", 14: "smart-city-hub"}
        reached = ", ".join(name for number, name in topics.items() if number in lists)
        assert f"Themen mit Neuem (ihre Listen bekommen sie): {reached};" in said, said


def test_content_never_makes_a_topic_part_or_hides_the_footer(tmp_path: Path) -> None:
    """A title or summary holding the marks' own text stays text: the issue is sent, each person
    gets their parts, and the unsubscribe line is there."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    post = content / "posts" / POSTS["dr-smart"]
    text = post.read_text(encoding="utf-8")
    forged = "<!--/sls-topics--><!--sls-topics:wue-app-->"
    text = text.replace(f'title: "{title("dr-smart")}"', f'title: "Dr. Smart {forged}"', 1)
    text = text.replace("summary: ", "summary: <!--sls-manage--> ", 1)
    post.write_text(text, encoding="utf-8")
    result = build(ROOT / "pelicanconf.py", tmp_path / "site", content, content / "programme.yml", overrides={
        "NEWSLETTER_PREVIEW": {"since": None, "posts": list(POSTS), "date": None}})
    assert result.ok, result.problems
    folder = tmp_path / "site" / PREVIEW_FOLDER
    with FakeListmonk(token=TOKEN, people=PEOPLE) as server:
        report = send(folder, listmonk_env(server), tmp_path)
        assert report.ok, report.message
        ben = server.inbox["ben@example.org"][0]
        assert "Dr. Smart" not in ben["altbody"] and title("wue-app-offen-entwickelt") in ben["altbody"]
        dora = server.inbox["dora@example.org"][0]["altbody"]
        assert "Dr. Smart" in dora and "Abmelden: https://listmonk.example/subscription/u1" in dora
    whole = (folder / "issue.txt").read_text(encoding="utf-8")
    assert "Dr. Smart" in whole and "Abmelden:" in whole


def test_list_numbers_are_whole_numbers_of_a_provider(tmp_path: Path) -> None:
    base = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": "https://l.example", "LISTMONK_USERNAME": "a",
            "LISTMONK_TOKEN": "t", "LISTMONK_LIST_IDS": "1"}
    for value in ("wue-app:²", "wue-app:0", "wue-app:99999999999999999999", "wue-app:-3"):
        with pytest.raises(ConfigError, match="Thema und Listennummer"):
            load_provider({**base, "LISTMONK_TOPIC_LISTS": value}, SENDER, tmp_path, fake_clock(5))
    programme = load_programme(ROOT / "content" / "programme.yml")
    assert topic_problems({**base, "BREVO_TOPIC_LISTS": "wue-app:3"}, programme) == [
        "BREVO_TOPIC_LISTS gilt nur für brevo (NEWSLETTER_PROVIDER ist „listmonk“) – entfernen oder den "
        "Anbieter wechseln"]
    err = io.StringIO()
    env = {**base, "LISTMONK_TOPIC_LISTS_EN": "wue-app:²", "LISTMONK_LIST_IDS_EN": "2",
           "NEWSLETTER_TEST_RECIPIENTS": "test@example.org"}
    code = run_send(env, test=True, yes=True, verbose=False, settings_file=ROOT / "publishconf.py",
                    console=Console(env, io.StringIO(), err))
    assert code == 2 and "LISTMONK_TOPIC_LISTS_EN" in err.getvalue() and "Unerwarteter" not in err.getvalue()


def test_the_inbox_preview_names_each_subscribers_own_titles(preview: Path) -> None:
    issue = RenderedIssue.load(preview)
    hidden = issue.segment("smart-city-hub").html
    preview_text = hidden.split('overflow:hidden;">', 1)[1].split("</div>", 1)[0]
    assert title("offen-und-uebertragbar") in preview_text and title("dr-smart") not in preview_text


@pytest.mark.parametrize("route, fault", [
    ("PATCH /api/subscribers/(\\d+)", "reset-after"), ("PATCH /api/subscribers/(\\d+)", "timeout-after"),
    ("PATCH /api/subscribers/(\\d+)", "500-after"), ("GET /api/subscribers", "reset"),
    ("PUT /api/campaigns/(\\d+)/status", "timeout-after")])
def test_after_a_fault_in_the_topics_a_rerun_sends_each_language_once(preview: Path, tmp_path: Path,
                                                                       route: str, fault: str) -> None:
    with FakeListmonk(token=TOKEN, people=PEOPLE) as server:
        server.inject(route, *[fault] * 6)  # more than one operation may take: the first run gives up
        send(preview, listmonk_env(server), tmp_path, policy=RetryPolicy(attempts=2))
        server.faults.clear()
        assert send(preview, listmonk_env(server), tmp_path).ok
        assert send(preview, listmonk_env(server), tmp_path).ok  # and once more: nothing new
        assert server.created == 2 and sorted(server.started.values()) == [1, 1]
        assert_each_gets_their_topics(server.inbox, "body", "altbody")


def test_a_preview_of_a_segment_that_does_not_exist_says_so_before_rendering(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "out"
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "newsletter.preview", "--segment",
                           "<script>", "--output", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("--segment „<script>“ ist kein Schlüssel eines Clusters oder einer "
                                  "Maßnahme")
    assert "wue-app" in done.stderr and not out.exists()
