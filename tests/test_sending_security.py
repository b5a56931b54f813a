"""Secrets never reach a printed line; credentials travel only over TLS (or loopback in tests)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import ROOT
from fakes.clock import fake_clock
from fakes.listmonk import FakeListmonk

from pipeline.newsletter_send import Console, run_send
from plugins.newsletter.providers import ConfigError, Redactor, load_provider
from plugins.newsletter.rendered_issue import Sender

TOKEN = "s3cret-token-1234"
SENDER = Sender("stadt.land.smart", "newsletter@example.org")


def listmonk_env(url: str, token: str = TOKEN) -> dict[str, str]:
    return {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": url, "LISTMONK_USERNAME": "api",
            "LISTMONK_TOKEN": token, "LISTMONK_LIST_IDS": "1", "NEWSLETTER_HTTP_TIMEOUT": "0.5",
            "SITEURL": "https://example.org"}


def send(env: dict[str, str], content: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_send(env, test=False, yes=True, verbose=True, settings_file=ROOT / "pelicanconf.py",
                    content=str(content), console=Console(env, out, err))
    return code, out.getvalue() + err.getvalue()


def test_a_token_with_a_trailing_newline_works_and_is_never_printed(good_content: Path) -> None:
    with FakeListmonk(token=TOKEN) as server:
        code, printed = send(listmonk_env(server.url, TOKEN + "\n"), good_content)
    assert code == 0, printed
    assert TOKEN not in printed and "s3cret" not in printed


def test_a_token_that_cannot_be_a_header_is_reported_without_its_value(good_content: Path) -> None:
    broken = "s3cret\ntoken-5678"
    with FakeListmonk(token=TOKEN) as server:
        code, printed = send(listmonk_env(server.url, broken), good_content)
    assert code == 1 and "Anfrage nicht möglich (InvalidHeader)" in printed, printed
    assert "s3cret" not in printed and "token-5678" not in printed


def test_every_spelling_of_a_secret_is_masked() -> None:
    redact = Redactor(["p@ss wort/1\n"])
    text = "raw p@ss wort/1 escaped 'p@ss wort/1\\n' url p%40ss%20wort%2F1 plus p%40ss+wort%2F1"
    assert redact(text) == "raw *** escaped '***' url *** plus ***"


@pytest.mark.parametrize(("variable", "url", "refused"), [
    ("LISTMONK_URL", "http://listmonk.example.org", True),
    ("LISTMONK_URL", "ftp://listmonk.example.org", True),
    ("LISTMONK_URL", "https://listmonk.example.org", False),
    ("LISTMONK_URL", "http://127.0.0.1:9000", False),
    ("LISTMONK_URL", "http://[::1]:9000", False),
    ("BREVO_API_URL", "http://api.brevo.example/v3", True),
])
def test_credentials_travel_only_over_https_except_to_loopback(variable: str, url: str, refused: bool,
                                                               tmp_path: Path) -> None:
    env = {"LISTMONK_USERNAME": "api", "LISTMONK_TOKEN": TOKEN, "LISTMONK_LIST_IDS": "1",
           "BREVO_API_KEY": TOKEN, "BREVO_LIST_IDS": "1",
           "NEWSLETTER_PROVIDER": "listmonk" if variable == "LISTMONK_URL" else "brevo", variable: url}
    if refused:
        with pytest.raises(ConfigError, match=f"{variable} muss mit https:// beginnen"):
            load_provider(env, SENDER, tmp_path, fake_clock())
    else:
        assert load_provider(env, SENDER, tmp_path, fake_clock()).name in ("listmonk", "brevo")


def test_smtp_login_without_tls_is_refused(tmp_path: Path) -> None:
    env = {"NEWSLETTER_PROVIDER": "smtp", "SMTP_HOST": "mail.example.org", "SMTP_SECURITY": "none",
           "SMTP_USERNAME": "verteiler", "SMTP_PASSWORD": "geheim-123", "SMTP_TO": "liste@example.org",
           "SMTP_LIST_UNSUBSCRIBE": "https://example.org/abmelden"}
    with pytest.raises(ConfigError, match="SMTP_SECURITY „none“ mit Anmeldung") as refused:
        load_provider(env, SENDER, tmp_path, fake_clock())
    assert "geheim-123" not in str(refused.value)
    assert load_provider({**env, "SMTP_SECURITY": "starttls"}, SENDER, tmp_path, fake_clock()).name == "smtp"
