"""Sending exactly once: real loopback servers for listmonk, Brevo and SMTP, faults and crashes."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from dataclasses import replace
from email import policy
from pathlib import Path

import pytest
from conftest import ROOT
from fakes.brevo import FakeBrevo
from fakes.clock import FakeTime, fake_clock
from fakes.listmonk import FakeListmonk

from plugins.newsletter.providers import ConfigError, load_provider
from plugins.newsletter.providers.retry import RetryPolicy
from plugins.newsletter.record import load_record
from plugins.newsletter.rendered_issue import UNSUBSCRIBE_SENTINEL, RenderedIssue, Sender
from plugins.newsletter.sending import send_issue

TOKEN = "s3cret-token-1234"
BREVO_KEY = "xkeysib-test-key-5678"
SENDER = Sender("stadt.land.smart", "newsletter@example.org")
ISSUE = RenderedIssue(
    number=3, key="sls-newsletter-0003", date="2026-11-26T10:00:00+01:00",
    subject="Neues aus den Maßnahmen", preheader="Drei Beiträge", posts=["a", "b", "c"],
    web_url="https://example.org/newsletter/3/",
    html=f'<html lang="de"><body><p>Neu</p><a href="{UNSUBSCRIBE_SENTINEL}">Abbestellen</a></body></html>',
    text=f"Neu\n\nAbmelden: {UNSUBSCRIBE_SENTINEL}\n")


class Crash(Exception):
    """Stands in for the process dying at a step."""


def listmonk_env(server: FakeListmonk, **extra: str) -> dict:
    return {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": server.url, "LISTMONK_USERNAME": "api",
            "LISTMONK_TOKEN": TOKEN, "LISTMONK_LIST_IDS": "1,2", "NEWSLETTER_HTTP_TIMEOUT": "0.25",
            "NEWSLETTER_TEST_RECIPIENTS": "test@example.org", **extra}


def brevo_env(server: FakeBrevo, **extra: str) -> dict:
    return {"NEWSLETTER_PROVIDER": "brevo", "BREVO_API_URL": server.url, "BREVO_API_KEY": BREVO_KEY,
            "BREVO_LIST_IDS": "7", "NEWSLETTER_HTTP_TIMEOUT": "0.25",
            "NEWSLETTER_TEST_RECIPIENTS": "test@example.org", **extra}


def send(env: dict, tmp_path: Path, test: bool = False, failpoint=None, time: FakeTime | None = None,
         policy: RetryPolicy | None = None):
    clock = fake_clock(120.0, time)
    provider = load_provider(env, SENDER, tmp_path / "state", clock, test=test)
    kwargs: dict = {"failpoint": failpoint} if failpoint else {}
    if policy is not None:
        kwargs["policy"] = policy
    return send_issue(ISSUE, provider, test=test, recipients=["test@example.org"],
                      record_path=tmp_path / "issues.yml", clock=clock, **kwargs)


def recorded(tmp_path: Path) -> list[int]:
    return [issue.number for issue in load_record(tmp_path / "issues.yml")]


@pytest.fixture
def listmonk():
    with FakeListmonk(token=TOKEN) as server:
        yield server


@pytest.fixture
def brevo():
    with FakeBrevo(api_key=BREVO_KEY) as server:
        yield server


# --- listmonk -----------------------------------------------------------------

def test_listmonk_creates_tests_and_starts_once_then_records(listmonk, tmp_path: Path) -> None:
    tested = send(listmonk_env(listmonk), tmp_path, test=True)
    assert tested.ok and tested.state == "tested", tested.message
    assert listmonk.tests == [(1, ["test@example.org"])] and recorded(tmp_path) == []

    sent = send(listmonk_env(listmonk), tmp_path)
    assert sent.ok and sent.state == "started", sent.message
    campaign = listmonk.campaigns[1]
    assert listmonk.created == 1 and listmonk.started == {1: 1}
    # The neutral link became listmonk's expression; nothing else of the issue changed.
    assert ISSUE.key in campaign["tags"]
    assert campaign["body"] == ISSUE.html.replace(UNSUBSCRIBE_SENTINEL, "{{ UnsubscribeURL }}")
    assert campaign["altbody"] == ISSUE.text.replace(UNSUBSCRIBE_SENTINEL, "{{ UnsubscribeURL }}")
    assert campaign["subject"] == ISSUE.subject
    assert recorded(tmp_path) == [3]

    again = send(listmonk_env(listmonk), tmp_path)
    assert again.ok and again.state == "already-sent"
    assert listmonk.created == 1 and listmonk.started == {1: 1} and recorded(tmp_path) == [3]


def test_listmonk_test_recipients_must_be_subscribers(tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN, subscribers=()) as server:
        report = send(listmonk_env(server), tmp_path, test=True)
    assert not report.ok and "Abonnenten" in report.message and "No known subscribers" in report.message


FAULTS = [
    ("GET /api/campaigns", "500"), ("GET /api/campaigns", "reset"), ("GET /api/campaigns", "429"),
    ("POST /api/campaigns", "500"), ("POST /api/campaigns", "429"), ("POST /api/campaigns", "reset"),
    ("POST /api/campaigns", "500-after"), ("POST /api/campaigns", "reset-after"),
    ("POST /api/campaigns", "timeout-after"),
    (r"PUT /api/campaigns/(\d+)/status", "500"), (r"PUT /api/campaigns/(\d+)/status", "429"),
    (r"PUT /api/campaigns/(\d+)/status", "500-after"),
    (r"PUT /api/campaigns/(\d+)/status", "reset-after"),
    (r"PUT /api/campaigns/(\d+)/status", "timeout-after"),
    (r"GET /api/campaigns/(\d+)", "500"),
]


@pytest.mark.parametrize(("route", "fault"), FAULTS)
def test_listmonk_faults_never_duplicate(listmonk, tmp_path: Path, route: str, fault: str) -> None:
    listmonk.inject(route, fault)
    report = send(listmonk_env(listmonk), tmp_path)
    if not report.ok:  # a run may end early; the rerun continues from the provider's state
        report = send(listmonk_env(listmonk), tmp_path)
    assert report.ok, report.message
    assert listmonk.created == 1
    assert listmonk.started == {1: 1}
    assert recorded(tmp_path) == [3]


STEPS = ["before-create", "after-create", "before-start-lookup", "before-start", "after-start",
         "before-record"]


@pytest.mark.parametrize("step", STEPS)
def test_listmonk_crash_between_steps_then_rerun(listmonk, tmp_path: Path, step: str) -> None:
    def crash(at: str) -> None:
        if at == step:
            raise Crash(at)

    with pytest.raises(Crash):
        send(listmonk_env(listmonk), tmp_path, failpoint=crash)
    report = send(listmonk_env(listmonk), tmp_path)

    assert report.ok, report.message
    assert listmonk.created == 1 and listmonk.started == {1: 1}
    assert recorded(tmp_path) == [3]


def test_listmonk_wrong_token_is_reported_without_creating(tmp_path: Path) -> None:
    with FakeListmonk(token="another-token") as server:
        report = send(listmonk_env(server), tmp_path)
        assert server.created == 0
    assert not report.ok and "403" in report.message and "invalid API credentials" in report.message
    assert TOKEN not in report.message


# --- Brevo --------------------------------------------------------------------

def test_brevo_creates_tests_and_sends_once(brevo, tmp_path: Path) -> None:
    assert send(brevo_env(brevo), tmp_path, test=True).ok
    assert brevo.tests == [(1, ["test@example.org"])]
    report = send(brevo_env(brevo), tmp_path)
    assert report.ok, report.message
    campaign = brevo.campaigns[1]
    assert campaign["tag"] == ISSUE.key and campaign["recipients"] == {"listIds": [7]}
    assert campaign["sender"] == {"name": SENDER.name, "email": SENDER.email}
    assert campaign["previewText"] == ISSUE.preheader
    assert brevo.created == 1 and brevo.started == {1: 1} and recorded(tmp_path) == [3]
    assert send(brevo_env(brevo), tmp_path).state == "already-sent"
    assert brevo.started == {1: 1}


@pytest.mark.parametrize(("route", "fault"), [
    ("POST /emailCampaigns", "429"), ("POST /emailCampaigns", "500-after"),
    ("POST /emailCampaigns", "timeout-after"), ("POST /emailCampaigns", "reset-after"),
    (r"POST /emailCampaigns/(\d+)/sendNow", "500-after"),
    (r"POST /emailCampaigns/(\d+)/sendNow", "timeout-after"),
    (r"POST /emailCampaigns/(\d+)/sendNow", "429"), ("GET /emailCampaigns", "500"),
])
def test_brevo_faults_never_duplicate(brevo, tmp_path: Path, route: str, fault: str) -> None:
    brevo.inject(route, fault)
    report = send(brevo_env(brevo), tmp_path)
    if not report.ok:
        report = send(brevo_env(brevo), tmp_path)
    assert report.ok, report.message
    assert brevo.created == 1 and brevo.started == {1: 1}


@pytest.mark.parametrize("step", STEPS)
def test_brevo_crash_between_steps_then_rerun(brevo, tmp_path: Path, step: str) -> None:
    def crash(at: str) -> None:
        if at == step:
            raise Crash(at)

    with pytest.raises(Crash):
        send(brevo_env(brevo), tmp_path, failpoint=crash)
    assert send(brevo_env(brevo), tmp_path).ok
    assert brevo.created == 1 and brevo.started == {1: 1} and recorded(tmp_path) == [3]


def test_brevo_rate_limit_honours_retry_after(brevo, tmp_path: Path) -> None:
    brevo.inject("GET /emailCampaigns", "429")
    waited = FakeTime()
    assert send(brevo_env(brevo), tmp_path, time=waited).ok
    assert max(waited.slept) >= 1.0  # waited the server's Retry-After: 1


# --- configuration and the outbox ---------------------------------------------

def test_missing_configuration_is_listed_before_any_request(listmonk, tmp_path: Path) -> None:
    env = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": listmonk.url, "LISTMONK_LIST_IDS": "eins"}
    with pytest.raises(ConfigError) as error:
        load_provider(env, SENDER, tmp_path, fake_clock(10), test=True)
    text = str(error.value)
    for name in ("LISTMONK_USERNAME", "LISTMONK_TOKEN", "LISTMONK_LIST_IDS", "NEWSLETTER_TEST_RECIPIENTS"):
        assert name in text
    assert listmonk.calls == []


def test_outbox_works_without_any_configuration(tmp_path: Path) -> None:
    outbox = {"NEWSLETTER_OUTBOX": str(tmp_path / "outbox")}
    provider = load_provider(outbox, SENDER, tmp_path, fake_clock(10))
    clock = fake_clock(10)
    first = send_issue(ISSUE, provider, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                       clock=clock)
    assert first.ok, first.message
    eml = tmp_path / "outbox" / f"{ISSUE.key}.eml"
    stamp = eml.stat().st_mtime_ns
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    second = send_issue(ISSUE, provider, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                        clock=clock)
    assert second.state == "already-sent" and eml.stat().st_mtime_ns == stamp
    assert recorded(tmp_path) == [3]


# --- SMTP ---------------------------------------------------------------------

def smtp_env(server, **extra: str) -> dict:
    return {"NEWSLETTER_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port),
            "SMTP_SECURITY": "none", "SMTP_TO": "newsletter@lists.example.org",
            "SMTP_LIST_UNSUBSCRIBE": "https://lists.example.org/unsubscribe/newsletter",
            "NEWSLETTER_TEST_RECIPIENTS": "test@example.org", **extra}


def test_smtp_sends_one_multipart_message_with_one_click_unsubscribe(smtp_server, tmp_path: Path) -> None:
    assert send(smtp_env(smtp_server), tmp_path, test=True).ok
    report = send(smtp_env(smtp_server), tmp_path)
    assert report.ok, report.message
    assert send(smtp_env(smtp_server), tmp_path).state == "already-sent"

    test_message, real = smtp_server.received
    assert test_message["To"] == "test@example.org" and test_message["Subject"].startswith("[TEST]")
    parsed = email.message_from_bytes(real.as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["To"] == "newsletter@lists.example.org"
    assert parsed["List-Unsubscribe"] == "<https://lists.example.org/unsubscribe/newsletter>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sender = parsed["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("stadt.land.smart", "newsletter@example.org")
    assert parsed["Message-ID"] and parsed["Date"]
    assert recorded(tmp_path) == [3]


def test_smtp_headers_stay_one_line_whatever_line_breaks_programme_data_holds(
        smtp_server, tmp_path: Path) -> None:
    # U+0085 and U+2028 end a line for Python's email parser: a name holding one became a group
    # of addresses named "Evil", and the sender was lost. The content check refuses them in
    # programme data (tests/test_programme_values.py); the header is made safe all the same.
    sender = Sender("Evil\x85Bcc: v@example.org <x>\"y,z", "newsletter@example.org")
    issue = replace(ISSUE, subject="Neues\u2028Bcc: alle@example.org")
    provider = load_provider(smtp_env(smtp_server), sender, tmp_path / "state", fake_clock(120.0, None))
    assert send_issue(issue, provider, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                      clock=fake_clock(120.0, None)).ok

    (received,) = smtp_server.received
    parsed = email.message_from_bytes(received.as_bytes(), policy=policy.default)
    (address,) = parsed["From"].addresses
    assert address.addr_spec == "newsletter@example.org"
    assert address.display_name == 'Evil Bcc: v@example.org <x>"y,z'
    assert parsed["Subject"] == "Neues Bcc: alle@example.org" and parsed["Bcc"] is None


def test_smtp_unclear_send_is_not_repeated(smtp_server, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / f"{ISSUE.key}.smtp.json").write_text('{"status": "sending"}', encoding="utf-8")
    report = send(smtp_env(smtp_server), tmp_path)
    assert not report.ok and report.state == "unclear" and "--force" in report.message
    assert smtp_server.received == []


# --- the command, end to end --------------------------------------------------

def run_cli(env: dict, content: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "newsletter.send", "--settings", str(ROOT / "publishconf.py"),
         "--content", str(content), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "SITEURL": "https://example.org",
             **env})


@pytest.mark.slow  # builds through the command line (CONTRIBUTING.md: the slow tier)
def test_cli_sends_real_rendered_issue_and_never_prints_the_token(good_content: Path) -> None:
    content = good_content
    with FakeListmonk(token="not-the-token") as wrong:
        refused = run_cli(listmonk_env(wrong), content, "--yes", "--verbose")
    assert refused.returncode != 0 and "invalid API credentials" in refused.stderr
    with FakeListmonk(token=TOKEN) as server:
        server.inject("POST /api/campaigns", "500-after")
        done = run_cli(listmonk_env(server), content, "--yes", "--verbose")
        assert done.returncode == 0, done.stderr
        campaign = server.campaigns[1]
        assert server.created == 1 and server.started == {1: 1}
    for run in (refused, done):
        assert TOKEN not in run.stdout + run.stderr
    assert "{{ UnsubscribeURL }}" in campaign["body"]
    assert "https://example.org/aktuelles/2023/" in campaign["body"]
    assert "Ausgabe 1" in done.stdout and "listmonk" in done.stdout
    assert [i.number for i in load_record(content / "newsletter" / "issues.yml")] == [1]


def test_send_asks_before_sending_and_status_reports_the_provider_state(good_content: Path) -> None:
    from pipeline.newsletter_send import run_send, run_status

    content = good_content
    settings = ROOT / "pelicanconf.py"
    with FakeListmonk(token=TOKEN) as server:
        env = {**listmonk_env(server), "SITEURL": "https://example.org"}
        questions: list[str] = []
        declined = run_send(env, test=False, yes=False, verbose=False, settings_file=settings,
                            content=str(content), ask=lambda q: questions.append(q) or "n")
        assert declined == 0 and questions and server.created == 0
        assert run_send(env, test=False, yes=False, verbose=False, settings_file=settings,
                        content=str(content), ask=lambda _q: "ja") == 0
        assert server.started == {1: 1}

        class Capture:
            def __init__(self) -> None:
                self.lines: list[str] = []

            def write(self, text: str) -> None:
                self.lines.append(text)

            def flush(self) -> None:
                pass

        from pipeline.newsletter_send import Console

        out = Capture()
        assert run_status(env, settings, str(content), Console(env, out, out)) == 0
    report = "".join(out.lines)
    assert "letzte Ausgabe 1 (sls-newsletter-0001): Kampagne 1, Status „running“" in report
    assert "nächste Ausgabe 2 (sls-newsletter-0002): beim Anbieter unbekannt" in report


# --- one retry layer ------------------------------------------------------------

@pytest.mark.parametrize("route", ["GET /api/campaigns", "POST /api/campaigns"])
def test_a_provider_in_trouble_gets_a_bounded_number_of_requests(listmonk, tmp_path: Path,
                                                                 route: str) -> None:
    """Always 500: every logical step is tried at most five times (no retries of retries; the
    reference had 25 requests for one lookup), then a German message says what to do."""
    listmonk.inject(route, *["500"] * 100)
    report = send(listmonk_env(listmonk), tmp_path)
    assert not report.ok and "nach höchstens 5 Versuchen" in report.message
    assert "später erneut" in report.message
    method, path = route.split(" ")
    assert listmonk.calls.count((method, path)) == 5, listmonk.calls
    assert len(listmonk.calls) <= 10 and listmonk.created == 0 and recorded(tmp_path) == []
    # Fewer when the operator says so.
    listmonk.calls.clear()
    report = send(listmonk_env(listmonk, NEWSLETTER_HTTP_TIMEOUT="0.25"), tmp_path,
                  policy=RetryPolicy(attempts=2))
    assert listmonk.calls.count((method, path)) == 2


def test_attempts_are_configured_within_bounds() -> None:
    from pipeline.newsletter_send import retry_policy

    assert retry_policy({})[0].attempts == 5 and retry_policy({"NEWSLETTER_ATTEMPTS": "3"})[0].attempts == 3
    for wrong in ("0", "11", "drei", "-1"):
        assert "NEWSLETTER_ATTEMPTS" in retry_policy({"NEWSLETTER_ATTEMPTS": wrong})[1]


def test_smtp_without_a_server_tries_a_bounded_number_of_times_and_a_rerun_is_not_unclear(
        smtp_server, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    time = FakeTime()
    report = send(smtp_env(smtp_server, SMTP_PORT=str(closed)), tmp_path, time=time)
    assert not report.ok and "nach höchstens 5 Versuchen" in report.message
    assert len(time.slept) == 4  # five attempts, four waits between them
    # Nothing was accepted: the rerun sends, instead of stopping as "unclear".
    again = send(smtp_env(smtp_server), tmp_path)
    assert again.ok and again.state == "started", again.message
    assert len(smtp_server.received) == 1 and recorded(tmp_path) == [3]
