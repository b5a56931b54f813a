"""What was sent is what the record says: stopped campaigns are not "sent", a rerun never adds
posts to an issue that already went out, an interrupted SMTP send never reports success."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from fakes.brevo import FakeBrevo
from fakes.clock import fake_clock
from fakes.listmonk import FakeListmonk
from test_sending import ISSUE, SENDER, brevo_env, listmonk_env, recorded, send, smtp_env

from plugins.newsletter.providers import load_provider
from plugins.newsletter.record import load_record
from plugins.newsletter.sending import send_issue

TOKEN = "s3cret-token-1234"


@pytest.mark.parametrize("status", ["paused", "cancelled"])
def test_a_paused_or_cancelled_listmonk_campaign_is_not_recorded_as_sent(status: str, tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN) as server:
        assert send(listmonk_env(server), tmp_path, test=True).ok  # the campaign exists as a draft
        server.campaigns[1]["status"] = status  # someone stopped it in listmonk
        report = send(listmonk_env(server), tmp_path)
        assert server.started == {}
    assert not report.ok and report.state == "stopped" and f"„{status}“" in report.message
    assert recorded(tmp_path) == []


def test_a_suspended_brevo_campaign_is_not_recorded_as_sent(tmp_path: Path) -> None:
    with FakeBrevo(api_key="xkeysib-test-key-5678") as server:
        assert send(brevo_env(server), tmp_path, test=True).ok
        server.campaigns[1]["status"] = "suspended"
        report = send(brevo_env(server), tmp_path)
    assert not report.ok and report.state == "stopped" and recorded(tmp_path) == []


def rerun_after_a_lost_record(env: dict, tmp_path: Path) -> list[str]:
    """Send issue 3, lose the record (its push failed), then run again with a newer post selected."""
    assert send(env, tmp_path).ok
    (tmp_path / "issues.yml").unlink()
    clock = fake_clock()
    provider = load_provider(env, SENDER, tmp_path / "state", clock)
    later = replace(ISSUE, posts=[*ISSUE.posts, "ganz-neu"])
    report = send_issue(later, provider, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                        clock=clock)
    assert report.ok and report.state == "already-sent", report.message
    return load_record(tmp_path / "issues.yml")[0].posts


def test_listmonk_rerun_records_the_posts_stored_with_the_campaign(tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN) as server:
        assert rerun_after_a_lost_record(listmonk_env(server), tmp_path) == ISSUE.posts


def test_brevo_rerun_records_the_posts_stored_with_the_campaign(tmp_path: Path) -> None:
    with FakeBrevo(api_key="xkeysib-test-key-5678") as server:
        assert rerun_after_a_lost_record(brevo_env(server), tmp_path) == ISSUE.posts


def test_outbox_and_smtp_reruns_record_the_posts_that_were_sent(tmp_path: Path, smtp_server) -> None:
    outbox = {"NEWSLETTER_OUTBOX": str(tmp_path / "outbox")}
    assert rerun_after_a_lost_record(outbox, tmp_path / "a") == ISSUE.posts
    assert rerun_after_a_lost_record(smtp_env(smtp_server), tmp_path / "b") == ISSUE.posts


class HangUpDuringData:
    """An SMTP server that accepts the message's first bytes, then drops the connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        # A closed socket does not wake a thread blocked in accept(): it looks up now and then.
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.deliveries = 0  # messages whose data began to arrive
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(None)
            with connection, connection.makefile("rwb") as stream:
                stream.write(b"220 test ESMTP\r\n")
                stream.flush()
                for line in stream:
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        stream.write(b"250 test\r\n")
                    elif command.startswith((b"MAIL", b"RCPT")):
                        stream.write(b"250 OK\r\n")
                    elif command == b"DATA":
                        stream.write(b"354 go ahead\r\n")
                        stream.flush()
                        stream.readline()
                        self.deliveries += 1
                        break  # hang up mid-message
                    elif command == b"QUIT":
                        stream.write(b"221 bye\r\n")
                        stream.flush()
                        break
                    stream.flush()

    def close(self) -> None:
        """No thread of it stays in the test process (a build there would then not fork)."""
        self.stopped.set()
        self.thread.join(timeout=10)
        self.listener.close()


def test_an_smtp_send_interrupted_mid_way_never_reports_success(tmp_path: Path) -> None:
    server = HangUpDuringData()
    try:
        env = {"NEWSLETTER_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port),
               "SMTP_SECURITY": "none", "SMTP_TO": "liste@example.org",
               "SMTP_LIST_UNSUBSCRIBE": "https://example.org/abmelden"}
        first = send(env, tmp_path)
        again = send(env, tmp_path)
    finally:
        server.close()
    assert not first.ok and first.state in ("unclear", "failed"), first.message
    assert not again.ok and again.state == "unclear" and "--force" in again.message
    assert recorded(tmp_path) == []


def test_force_resends_the_unclear_issue_once_and_stops_at_the_next_unclear_attempt(tmp_path: Path) -> None:
    """A person checked the archive and resends with --force: the server hangs up again; that
    attempt is this run's own and unclear too: one more delivery, not five."""
    server = HangUpDuringData()
    try:
        env = {"NEWSLETTER_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port),
               "SMTP_SECURITY": "none", "SMTP_TO": "liste@example.org",
               "SMTP_LIST_UNSUBSCRIBE": "https://example.org/abmelden"}
        assert not send(env, tmp_path).ok
        clock = fake_clock(120.0)
        provider = load_provider(env, SENDER, tmp_path / "state", clock, force=True)
        forced = send_issue(ISSUE, provider, test=False, recipients=[], record_path=tmp_path / "issues.yml",
                            clock=clock)
    finally:
        server.close()
    assert not forced.ok and forced.state == "unclear", forced.message
    assert server.deliveries == 2  # the first run's and the forced one: never five


def test_a_copy_of_a_sent_campaign_is_never_started(tmp_path: Path) -> None:
    """Someone duplicated the sent campaign at the provider (tags and all): the issue is sent."""
    with FakeListmonk() as server:
        assert send(listmonk_env(server), tmp_path).ok
        copy = dict(server.campaigns[1], id=2, status="draft")
        server.campaigns[2] = copy
        (tmp_path / "issues.yml").unlink()  # the record's push had failed
        again = send(listmonk_env(server), tmp_path)
        assert again.ok and again.state == "already-sent" and server.started == {1: 1}
        # Two drafts for one key: a person decides which.
        server.campaigns[1]["status"] = "draft"
        (tmp_path / "issues.yml").unlink(missing_ok=True)
        confused = send(listmonk_env(server), tmp_path)
        assert not confused.ok and "2 Kampagnen tragen" in confused.message


def test_a_maintenance_page_instead_of_the_provider_is_said_in_german(tmp_path: Path) -> None:
    import http.server

    class Maintenance(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>Wartung</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Maintenance)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        env = {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": f"http://127.0.0.1:{server.server_port}",
               "LISTMONK_USERNAME": "api", "LISTMONK_TOKEN": "t0ken", "LISTMONK_LIST_IDS": "1",
               "NEWSLETTER_HTTP_TIMEOUT": "0.5"}
        report = send(env, tmp_path)
    finally:  # no thread of it stays in this process (a build here would then not fork)
        server.shutdown()
        server.server_close()
        serving.join(timeout=10)
    assert not report.ok and "Wartungs- oder Proxy-Seite" in report.message and recorded(tmp_path) == []
