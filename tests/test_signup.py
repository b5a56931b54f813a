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
    assert "Double-Opt-in" in page and 'href="/datenschutz/"' in page
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
