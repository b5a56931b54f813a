"""The sign-up form: accessible, posts straight to the provider, the site stores nothing."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import requests
import yaml
from conftest import FIXTURES, PROGRAMME, run_build
from fakes.listmonk import FakeListmonk


class Form(HTMLParser):
    """The first form in the page's main content (the header has the search form): its action,
    inputs and which inputs have a label."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.action = None
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.csp = ""
        self.in_main = self.in_form = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "form" and self.in_main and self.action is None:
            self.action, self.in_form = attrs.get("action"), True
        elif tag == "input" and self.in_form:
            self.inputs.append(attrs)
        elif tag == "label" and self.in_form:
            self.labels.add(attrs.get("for", ""))
        elif tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def build_with_lists(tmp_path: Path, server: FakeListmonk, lists: list[dict]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    data["newsletter"]["signup"] = {"provider": "listmonk", "action": f"{server.url}/subscription/form",
                                    "lists": lists}
    (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = run_build(tmp_path, content, tmp_path / "output", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    return tmp_path / "output"


def submit(form: Form, values: dict) -> requests.Response:
    """Post the form the way a browser without JavaScript does."""
    fields = []
    for field in form.inputs:
        name, kind = field.get("name"), field.get("type", "text")
        if not name:
            continue
        if kind == "checkbox":
            if "checked" in field:
                fields.append((name, field["value"]))
        elif kind == "hidden":
            fields.append((name, field.get("value", "")))
        else:
            fields.append((name, values.get(name, "")))
    return requests.post(form.action, data=fields, timeout=10)


def test_form_posts_directly_to_listmonk_with_its_field_names(tmp_path: Path) -> None:
    with FakeListmonk() as server:
        site = build_with_lists(tmp_path, server, [{"uuid": "uuid-all", "title": "Alles"}])
        page = (site / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
        form = Form(page)
        assert form.action == f"{server.url}/subscription/form"
        assert f"form-action 'self' {server.url}" in form.csp
        visible = [i for i in form.inputs if i.get("type") in ("email", "text")]
        assert all(i["id"] in form.labels for i in visible)
        assert next(i for i in form.inputs if i.get("type") == "email").get("autocomplete") == "email"
        answer = submit(form, {"email": "leser@example.org", "name": "Leserin"})
        assert answer.status_code == 200
        assert server.subscriptions == [{"email": "leser@example.org", "name": "Leserin",
                                         "lists": ["uuid-all"]}]
    # The fixture has no privacy page: the form says what happens and links no page that is not there.
    assert "Double-Opt-in" in page and 'href="/datenschutz/"' not in page
    assert (site / "newsletter" / "bestaetigen" / "index.html").is_file()


def test_one_checkbox_per_cluster_list(tmp_path: Path) -> None:
    lists = [{"uuid": f"uuid-{slug}", "title": f"Cluster {slug}"}
             for slug in ("kommunikation", "partizipation", "datensouveraenitaet")]
    with FakeListmonk() as server:
        site = build_with_lists(tmp_path, server, lists)
        form = Form((site / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8"))
        boxes = [i for i in form.inputs if i.get("type") == "checkbox"]
        assert [b["value"] for b in boxes] == [item["uuid"] for item in lists]
        assert all(b["id"] in form.labels for b in boxes)
        for box in boxes[1:]:
            box["checked"] = ""
        submit(form, {"email": "leser@example.org"})
        assert server.subscriptions[0]["lists"] == [item["uuid"] for item in lists]


def test_each_language_with_a_list_has_a_sign_up_in_that_language_for_that_list(tmp_path: Path) -> None:
    lists = [{"uuid": "uuid-de", "title": "Alle Neuigkeiten"},
             {"uuid": "uuid-en", "title": "All news in English", "language": "en"},
             {"uuid": "uuid-ar", "title": "كل الأخبار بالعربية", "language": "ar",
              "action": "https://formulare.example.org/ar"}]
    with FakeListmonk() as server:
        site = build_with_lists(tmp_path, server, lists)
        english = (site / "en" / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
        assert '<html lang="en" dir="ltr">' in english and "<h1>Subscribe to the newsletter</h1>" in english
        form = Form(english)
        assert form.action == f"{server.url}/subscription/form"
        # Its own list only, and the Arabic form's host may be posted to from every page.
        assert form.csp.startswith("default-src 'self'") and \
            f"form-action 'self' {server.url} https://formulare.example.org" in form.csp
        submit(form, {"email": "reader@example.org"})
        assert server.subscriptions == [{"email": "reader@example.org", "name": "", "lists": ["uuid-en"]}]
        german = Form((site / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8"))
        assert [i["value"] for i in german.inputs if i.get("name") == "l"] == ["uuid-de"]
    arabic = (site / "ar" / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and Form(arabic).action == "https://formulare.example.org/ar"
    assert (site / "en" / "newsletter" / "bestaetigen" / "index.html").is_file()
    assert 'href="/en/newsletter/bestaetigen/"' in english
    # Ukrainian has no list of its own: no page, and its pages lead to the German form, saying so.
    assert not (site / "uk" / "newsletter").exists()
    assert 'href="/newsletter/anmelden/">Підписатися на розсилку (німецькою)</a>' in \
        (site / "uk" / "index.html").read_text(encoding="utf-8")
    assert 'href="/en/newsletter/anmelden/">Subscribe to the newsletter</a>' in \
        (site / "en" / "index.html").read_text(encoding="utf-8")
    # Each form names the others, each language in itself.
    page = (site / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
    assert '<li lang="en" dir="ltr"><a href="/en/newsletter/anmelden/" hreflang="en">English</a></li>' in page
    assert '<li lang="ar" dir="rtl"><a href="/ar/newsletter/anmelden/" hreflang="ar">العربية</a></li>' in page


def test_a_list_for_a_language_the_site_does_not_have_is_refused_at_its_line(tmp_path: Path) -> None:
    with FakeListmonk() as server:
        content = tmp_path / "content"
        shutil.copytree(FIXTURES / "good", content)
        text = PROGRAMME.read_text(encoding="utf-8").replace(
            "        title: All news from stadt.land.smart in English\n        language: en\n",
            "        title: All news from stadt.land.smart in English\n        language: fr\n")
        assert "language: fr" in text and server.url
        (content / "programme.yml").write_text(text, encoding="utf-8")
        line = text.splitlines().index("        language: fr") + 1
        run = run_build(tmp_path, content, tmp_path / "output", programme=content / "programme.yml")
    assert run.code != 0
    assert f"programme.yml:{line}: Sprache „fr“ gibt es nicht" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_a_language_without_a_catalogue_gets_its_form_in_german_and_marked_german(tmp_path: Path) -> None:
    with FakeListmonk() as server:
        content = tmp_path / "content"
        shutil.copytree(FIXTURES / "good", content)
        data = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
        data["languages"].append({"key": "he", "name": "עברית", "dir": "rtl"})
        data["newsletter"]["signup"] = {"provider": "listmonk", "action": f"{server.url}/subscription/form",
                                        "lists": [{"uuid": "uuid-de", "title": "Alles"},
                                                  {"uuid": "uuid-he", "title": "Alles", "language": "he"}]}
        (content / "programme.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        run = run_build(tmp_path, content, tmp_path / "output", programme=content / "programme.yml")
    assert run.code == 0, run.stderr
    page = (tmp_path / "output" / "he" / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
    # No Hebrew catalogue: the interface is German, and the page says it is German.
    assert '<html lang="de" dir="ltr">' in page and "<h1>Newsletter abonnieren</h1>" in page
    assert 'value="uuid-he"' in page
    # Its events would be a German page with Hebrew dates: the German list serves it.
    assert not (tmp_path / "output" / "he" / "termine").exists()


def test_topic_lists_are_offered_beside_everything_and_checked_at_their_line(tmp_path: Path) -> None:
    lists = [{"uuid": "uuid-all", "title": "Alle Neuigkeiten"},
             {"uuid": "uuid-wue", "title": "Nur die Wue App", "topic": "wue-app"}]
    with FakeListmonk() as server:
        site = build_with_lists(tmp_path, server, lists)
        page = (site / "newsletter" / "anmelden" / "index.html").read_text(encoding="utf-8")
        form = Form(page)
        boxes = [i for i in form.inputs if i.get("type") == "checkbox"]
        assert [("checked" in b) for b in boxes] == [True, False]  # everything stays the default
        assert "nur eine E-Mail" in page
        boxes[0].pop("checked")
        boxes[1]["checked"] = ""
        submit(form, {"email": "leser@example.org"})
        assert server.subscriptions[0]["lists"] == ["uuid-wue"]
        content = tmp_path / "wrong"
        shutil.copytree(FIXTURES / "good", content)
        text = PROGRAMME.read_text(encoding="utf-8").replace("topic: wue-app\n", "topic: wue-ap\n")
        assert "topic: wue-ap\n" in text
        (content / "programme.yml").write_text(text, encoding="utf-8")
        line = text.splitlines().index("        topic: wue-ap") + 1
        run = run_build(tmp_path, content, tmp_path / "output2", programme=content / "programme.yml")
    assert run.code != 0 and f"programme.yml:{line}: Thema „wue-ap“ gibt es nicht" in run.stderr, run.stderr
