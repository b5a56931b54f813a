"""What a broken or hostile server answers is never trusted: the clients of the newsletter
providers and of the merge-request note follow no redirect with their key, read no answer longer
or larger than an API's, print no escape sequence, and SMTP tells "nothing sent" from "perhaps
sent" by whether the message itself was begun. Real servers on loopback, raw sockets where a
well-behaved library would not misbehave."""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from pipeline.newsletter_send import Console
from pipeline.review_note import MergeRequestNotes, ReviewError
from plugins.newsletter.providers.clock import Clock
from plugins.newsletter.providers.http import HttpApi
from plugins.newsletter.providers.protocol import ProviderError, TransientError
from plugins.newsletter.providers.retry import parse_retry_after
from plugins.newsletter.providers.secrets import transport_problem
from plugins.newsletter.providers.smtp import SmtpProvider
from plugins.newsletter.rendered_issue import Sender

Answer = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """Once its server is gone, no client thread of a test is left running (a build in the same
    process would not fork beside one)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 10
    for thread in set(threading.enumerate()) - before:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert [t.name for t in set(threading.enumerate()) - before if t.is_alive()] == []


@contextmanager
def http_server(answer: Answer) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A server on loopback answering every request with ``answer``; yields its address and the
    headers of every request it got."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def handle_one_request(self) -> None:
            with contextlib.suppress(OSError):  # the client gave up: what the test is about
                super().handle_one_request()

        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            answer(self)

        do_POST = do_PUT = do_GET

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.stopping = threading.Event()  # type: ignore[attr-defined]  # an answer that would not end, ends
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.stopping.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


def empty_json(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.end_headers()
    handler.wfile.write(b"{}")


def api(base: str, read_timeout: float = 30.0, budget: float = 60.0) -> HttpApi:
    return HttpApi(base, {"api-key": "GEHEIMER-SCHLUESSEL-1"}, Clock(budget), "brevo", lambda _r: "", None,
                   read_timeout=read_timeout)


def test_a_redirect_is_not_followed_and_the_key_goes_nowhere_else() -> None:
    with http_server(empty_json) as (elsewhere, reached):
        def redirect(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(307)
            handler.send_header("Location", f"{elsewhere}/v3/emailCampaigns")
            handler.end_headers()

        with http_server(redirect) as (base, _seen), pytest.raises(ProviderError, match=r"leitet um \(307\)"):
            api(base).call("GET", "/v3/emailCampaigns")
    assert reached == []  # the other host never saw the key (requests keeps custom headers)


def test_an_answer_dripping_a_byte_at_a_time_ends_within_the_read_timeout() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        while not handler.server.stopping.wait(0.1):  # type: ignore[attr-defined]
            handler.wfile.write(b" ")  # each byte within the socket's timeout
            handler.wfile.flush()

    with http_server(drip) as (base, _seen):
        started = time.monotonic()
        with pytest.raises(TransientError, match="keine vollständige Antwort") as raised:
            api(base, read_timeout=1.0, budget=2.0).call("GET", "/api/campaigns")
        assert time.monotonic() - started < 5  # within what the send had left
        assert raised.value.ambiguous  # a request that may have been applied is looked up again


def test_an_answer_larger_than_any_answer_of_the_api_is_not_read_whole() -> None:
    def flood(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        chunk = b"[" * 65536
        for _ in range(2_000):  # 130 MB, if it were read
            handler.wfile.write(chunk)

    with http_server(flood) as (base, _seen), pytest.raises(TransientError, match="Antwort größer als 20 MB"):
        api(base).call("GET", "/api/campaigns")


def test_what_a_server_says_reaches_the_terminal_without_escape_sequences() -> None:
    out, err = io.StringIO(), io.StringIO()
    console = Console({"LISTMONK_TOKEN": "api:GEHEIM-123"}, out, err)
    console.warn("400: \x1b[2J\x1b]0;PWNED\x07 api:GEHEIM-123\nzweite Zeile")
    assert err.getvalue() == "400: ?[2J?]0;PWNED? ***\nzweite Zeile\n"


def test_retry_after_as_a_date_in_utc_or_a_digit_of_another_script_never_stops_the_send() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000") == 0.0
    assert parse_retry_after("²") is None
    assert parse_retry_after("7") == 7.0


def test_a_provider_address_carrying_a_user_and_password_is_refused() -> None:
    problem = transport_problem("LISTMONK_URL", "https://admin:Passwort-XYZ@newsletter.example.de")
    assert problem is not None and "Zugangsdaten" in problem and "Passwort-XYZ" not in problem


@contextmanager
def smtp_server(reply_after_data: bytes | None, drop_at: str = "", greeting: bytes = b"220 test ESMTP\r\n",
                to_data: bytes = b"354 go on\r\n") -> Iterator[tuple[int, list[bytes]]]:
    """A raw SMTP server: greets with ``greeting``, well-behaved up to ``drop_at`` (a command it
    answers by closing the connection), answers DATA with ``to_data`` and, after the message,
    ``reply_after_data`` (None: it closes instead)."""
    listener = socket.create_server(("127.0.0.1", 0))
    messages: list[bytes] = []

    def serve() -> None:
        with listener:
            connection, _address = listener.accept()
            with connection, connection.makefile("rb") as reading:
                connection.sendall(greeting)
                while line := reading.readline():
                    command = line[:4].upper()
                    if drop_at and command.startswith(drop_at.encode()):
                        return
                    if command == b"DATA":
                        connection.sendall(to_data)
                        if not to_data.startswith(b"354"):
                            continue
                        body = b""
                        while (part := reading.readline()) not in (b".\r\n", b""):
                            body += part
                        messages.append(body)
                        if reply_after_data is None:
                            return
                        connection.sendall(reply_after_data)
                    elif command == b"QUIT":
                        connection.sendall(b"221 bye\r\n")
                        return
                    else:
                        connection.sendall(b"250 ok\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1], messages


def smtp(port: int, tmp_path: Path) -> SmtpProvider:
    return SmtpProvider("127.0.0.1", port, "none", "", "", "liste@example.org",
                        Sender("stadt.land.smart", "news@example.org"), "https://example.org/ab",
                        tmp_path, Clock(20), timeout=5.0)


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = "Ausgabe 1", "news@example.org", "liste@example.org"
    mail.set_content("Hallo")
    return mail


@pytest.mark.parametrize(("reply", "drop_at", "unclear"), [
    (b"XYZ maybe queued\r\n", "", True),  # the message was read, the answer cannot be: perhaps sent
    (None, "", True),  # closed after the message: perhaps sent
    (b"250 ok\r\n", "MAIL", False),  # closed before the message: nothing can have been sent
    (b"250 ok\r\n", "EHLO", False),
])
def test_smtp_says_unclear_only_when_the_message_itself_may_have_reached_the_server(
        reply: bytes | None, drop_at: str, unclear: bool, tmp_path: Path) -> None:
    with smtp_server(reply, drop_at) as (port, messages), pytest.raises(TransientError) as raised:
        smtp(port, tmp_path)._deliver(message(), ["liste@example.org"])
    assert raised.value.ambiguous is unclear
    assert len(messages) == (1 if unclear else 0)


def test_an_endless_smtp_reply_is_read_only_as_far_as_a_session_can_say() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with listener:
            connection, _address = listener.accept()
            with connection:
                try:
                    while True:
                        connection.sendall(b"220-" + b"x" * 1000 + b"\r\n")
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    with pytest.raises(TransientError, match="keine Verbindung") as raised:
        smtp(listener.getsockname()[1], Path("/nonexistent"))._deliver(message(), ["liste@example.org"])
    assert not raised.value.ambiguous


def test_the_merge_request_client_stops_at_a_page_that_never_ends_and_says_a_login_page_in_german() -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200 if handler.command == "GET" else 201)
        handler.send_header("X-Next-Page", "1")
        handler.end_headers()
        handler.wfile.write(b"[]" if handler.command == "GET" else b"{}")

    with http_server(endless) as (base, seen):
        notes = MergeRequestNotes(base, "gruppe/projekt", "7", "glpat-GEHEIM")
        assert notes.upsert("Vorschau") == "angelegt"
        assert len(seen) == 2  # one page, then the note

    def login_page(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"<html>Anmelden</html>")

    with http_server(login_page) as (base, _seen), pytest.raises(ReviewError, match="nicht mit Daten"):
        MergeRequestNotes(base, "gruppe/projekt", "7", "glpat-GEHEIM").upsert("Vorschau")

    def echo_token(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(500)
        handler.end_headers()
        handler.wfile.write(b"x" * 190 + handler.headers["PRIVATE-TOKEN"].encode() + b"\x1b[2J")

    with http_server(echo_token) as (base, _seen), pytest.raises(ReviewError) as raised:
        MergeRequestNotes(base, "gruppe/projekt", "7", "glpat-GEHEIM").upsert("Vorschau")
    assert "glpat" not in str(raised.value) and "GEH" not in str(raised.value)


def test_requests_sends_custom_headers_along_a_redirect_which_is_why_none_is_followed() -> None:
    # Pins the library behaviour the clients guard against (requests strips only Authorization).
    with http_server(empty_json) as (elsewhere, reached):
        def redirect(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", elsewhere.replace("127.0.0.1", "localhost") + "/x")
            handler.end_headers()

        with http_server(redirect) as (base, _seen):
            requests.get(base, headers={"api-key": "k"}, timeout=5)
    assert reached and reached[0].get("api-key") == "k"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made here (the client trusts it through
    SSL_CERT_FILE, as it would a real server's chain through the system's store)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert, secret = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    secret.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
    return cert, secret


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_smtp_over_tls_checks_the_servers_name_and_delivers(security: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    received: list[object] = []

    class Collect(Message):
        def handle_message(self, message: object) -> None:
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {"tls_context": context, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": context}
    controller = Controller(Collect(), hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        provider = SmtpProvider("127.0.0.1", port, security, "", "", "liste@example.org",
                                Sender("stadt.land.smart", "news@example.org"), "https://example.org/ab",
                                tmp_path, Clock(20), timeout=5.0)
        provider._deliver(message(), ["liste@example.org"])
    finally:
        controller.stop()
    assert len(received) == 1


@pytest.mark.parametrize(("reply", "unclear"), [
    (b"250 " + b"A" * 9000 + b"\r\n", True),  # smtplib would say 500 ("Line too long") for the server
    (b"251 ok\r\n", None),  # accepted, in other words: sent
])
def test_an_answer_after_the_message_that_is_no_refusal_never_reads_as_one(
        reply: bytes, unclear: bool | None, tmp_path: Path) -> None:
    with smtp_server(reply) as (port, messages):
        if unclear is None:
            smtp(port, tmp_path)._deliver(message(), ["liste@example.org"])
        else:
            with pytest.raises(TransientError) as raised:
                smtp(port, tmp_path)._deliver(message(), ["liste@example.org"])
            assert raised.value.ambiguous
    assert len(messages) == 1


def test_what_a_provider_says_is_one_short_line_without_bidirectional_controls() -> None:
    from plugins.newsletter.providers.secrets import server_text

    forged = "\u202eabc\u2066\n\nAusgabe 1 gestartet\u2028" + "A" * 5_000
    said = server_text(forged)
    assert "\n" not in said and "\u202e" not in said and "\u2028" not in said and len(said) <= 302
    assert said.startswith("?abc? Ausgabe 1 gestartet?")


def test_a_greeting_that_refuses_and_a_data_command_answered_otherwise_send_nothing_and_say_so(
        tmp_path: Path) -> None:
    with smtp_server(b"250 ok\r\n", greeting=b"554 no service here\r\n") as (port, messages), \
            pytest.raises(TransientError, match="keine Verbindung") as raised:
        smtp(port, tmp_path)._deliver(message(), ["liste@example.org"])
    assert not raised.value.ambiguous and messages == []
    # DATA answered "250" instead of "354": the message never went out, so it is not sent.
    with smtp_server(b"250 ok\r\n", to_data=b"250 ok whatever\r\n") as (port, messages), \
            pytest.raises(ProviderError, match=r"lehnt ab \(250\)"):
        smtp(port, tmp_path)._deliver(message(), ["liste@example.org"])
    assert messages == []


def test_a_providers_message_is_masked_before_it_is_cut_and_a_large_answer_asked_for_is_read() -> None:
    secret = "LM-SECRET-TOKEN-99"

    def refuse(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(400)
        handler.end_headers()
        handler.wfile.write(b'{"message": "Ungueltig: ' + b"a" * 253 + b" token api:" + secret.encode()
                            + b' abgelehnt"}')

    def large(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b'{"data": "' + b"x" * 25_000_000 + b'"}')

    listmonk = HttpApi("", {"Authorization": f"token api:{secret}"}, Clock(60), "listmonk",
                       lambda response: str(response.json()["message"]), None, secrets=(secret,))
    with http_server(refuse) as (base, _seen):
        listmonk.base_url = base
        with pytest.raises(ProviderError) as raised:
            listmonk.call("POST", "/api/campaigns")
    assert "LM-SECRET" not in str(raised.value) and "***" in str(raised.value)
    with http_server(large) as (base, _seen):
        listmonk.base_url = base
        assert len(listmonk.call("GET", "/api/subscribers", max_bytes=30_000_000).content) > 25_000_000


def test_format_characters_that_hide_or_reorder_text_are_shown_but_joiners_stay() -> None:
    from plugins.newsletter.providers.secrets import printable

    assert printable("run\u200bning\u00ad\ufeff\U000e0041") == "run?ning???"
    assert printable("Ausgabe 1: Новини, أخبار, خبرنامه\u200cها 👩\u200d💻") == \
        "Ausgabe 1: Новини, أخبار, خبرنامه\u200cها 👩\u200d💻"


def test_brevo_says_when_an_account_answers_without_end_instead_of_taking_the_issue_as_new() -> None:
    import json

    from plugins.newsletter.providers.brevo import MAX_PAGES, BrevoProvider

    def endless(handler: BaseHTTPRequestHandler) -> None:
        page = [{"id": n, "name": f"andere-{n}: x", "status": "sent"} for n in range(100)]
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(json.dumps({"campaigns": page, "count": 10**9}).encode())

    with http_server(endless) as (base, seen):
        brevo = BrevoProvider("xkeysib-GEHEIM", [1], Sender("s", "news@example.org"), Clock(60), url=base)
        with pytest.raises(ProviderError, match="mehr als 20000 Kampagnen durchsucht"):
            brevo.find("sls-newsletter-0003")
    assert len(seen) == MAX_PAGES  # not one page more: a new campaign could have been a second one


def test_what_a_provider_says_an_issue_carried_is_recorded_only_as_slugs() -> None:
    from plugins.newsletter.sending import _recordable

    assert _recordable(["radweg-eroeffnet", "termin:sprechstunde-2027"])
    assert not _recordable(["radweg-eroeffnet", "radweg-eroeffnet"])  # "war schon in Ausgabe 1"
    assert not _recordable(["rad\u202eweg"]) and not _recordable(["../etc"]) and not _recordable([])
