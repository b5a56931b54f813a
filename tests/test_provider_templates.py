"""Content reaches subscribers as written: the providers' template languages evaluate only the
unsubscribe expression the project inserts, never text from a post."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from fakes.brevo import FakeBrevo
from fakes.listmonk import FakeListmonk
from fakes.templates import BREVO_NAMES, LISTMONK_NAMES, SUBSCRIBER

from pipeline.newsletter_send import Console, run_send
from plugins.newsletter.providers.templating import WORD_JOINER

TITLE = "Neu: {{ .Subscriber.Email }} und {{ TrackView }}"
STRAY = "Geschweifte Klammern {{ ohne Ende und {% if %} im Text"


@pytest.fixture
def content(good_content: Path) -> Path:
    (good_content / "posts" / "2023-09-10-vorlagen.md").write_text(
        f'---\ntitle: "{TITLE}"\ndate: 2023-09-10 10:00\nmeasure: meet-me\nsummary: "{STRAY}"\n---\n\n'
        f"{STRAY}\n", encoding="utf-8")
    programme = yaml.safe_load((good_content / "programme.yml").read_text(encoding="utf-8"))
    programme["newsletter"]["from_email"] = "newsletter@example.org"  # Brevo needs a sender
    dumped = yaml.safe_dump(programme, allow_unicode=True)
    (good_content / "programme.yml").write_text(dumped, encoding="utf-8")
    return good_content


def send(env: dict[str, str], content: Path) -> str:
    out = io.StringIO()
    env = {**env, "SITEURL": "https://example.org", "NEWSLETTER_HTTP_TIMEOUT": "2"}
    code = run_send(env, test=False, yes=True, verbose=False, settings_file=ROOT / "pelicanconf.py",
                    content=str(content), console=Console(env, out, out))
    assert code == 0, out.getvalue()
    return out.getvalue()


def test_listmonk_delivers_the_title_literally_and_only_our_unsubscribe_link(content: Path) -> None:
    with FakeListmonk(token="t0ken-abcdef") as server:
        send({"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": server.url, "LISTMONK_USERNAME": "api",
              "LISTMONK_TOKEN": "t0ken-abcdef", "LISTMONK_LIST_IDS": "1"}, content)
        delivered = server.delivered[1]
    for part in (delivered["body"], delivered["altbody"]):
        assert TITLE in html.unescape(part) and STRAY in html.unescape(part)
        assert SUBSCRIBER["email"] not in part and LISTMONK_NAMES["TrackView"] not in part
        assert LISTMONK_NAMES["UnsubscribeURL"] in part  # the one expression we insert


def test_brevo_delivers_the_title_literally_and_only_our_unsubscribe_link(content: Path) -> None:
    with FakeBrevo(api_key="xkeysib-abcdef") as server:
        send({"NEWSLETTER_PROVIDER": "brevo", "BREVO_API_URL": server.url, "BREVO_API_KEY": "xkeysib-abcdef",
              "BREVO_LIST_IDS": "7"}, content)
        delivered = server.delivered[1]
    shown = html.unescape(delivered["htmlContent"])
    assert TITLE in shown and STRAY in shown and SUBSCRIBER["email"] not in shown
    assert BREVO_NAMES["unsubscribe"] in shown
    preview = delivered["previewText"]
    assert TITLE in preview.replace(WORD_JOINER, "")  # reads the same; no "{{" reached Brevo
