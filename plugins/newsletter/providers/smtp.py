"""SMTP to a mailing-list address (Mailman, Sympa) that fans the issue out itself.

SMTP has no campaign to look up, so exactly-once rests on a local journal:
"sending" is written before the message goes out and "sent" after the server
accepted it. A rerun that finds "sending" does not guess — it stops and asks
a person to check the list archive (``--force`` sends anyway).
"""

from __future__ import annotations

import contextlib
import io
import json
import smtplib
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from plugins.programme.files import write_atomically

from ..rendered_issue import RenderedIssue, Sender, email_message
from .clock import Clock
from .local import LocalProvider
from .protocol import Campaign, ProviderError, TransientError

SECURITY = ("starttls", "ssl", "none")
# What a server may say in one session: replies are lines of text (an endless multi-line reply
# filled the memory).
MAX_REPLIES_BYTES = 1_000_000
MAX_LINE = 8192  # smtplib's own limit of a reply line (RFC 5321 allows 512 bytes)


class _Replies(io.RawIOBase):
    """The server's side of the connection, read as smtplib reads it, up to MAX_REPLIES_BYTES."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.read_so_far = stream, 0

    def readline(self, size: int | None = -1) -> bytes:
        line: bytes = self.stream.readline(size)
        self.read_so_far += len(line)
        if self.read_so_far > MAX_REPLIES_BYTES:
            raise OSError("SMTP-Antworten länger als erlaubt")
        if len(line) > MAX_LINE:
            # smtplib would answer for the server with a made-up 500 ("Line too long"): after
            # the message that would read as a refusal, and a rerun would send it again.
            raise OSError("SMTP-Antwortzeile zu lang")
        return line

    def close(self) -> None:
        self.stream.close()
        super().close()


class _Watched:
    """smtplib's client, knowing whether the message itself was begun (DATA) and reading the
    server's replies within MAX_REPLIES_BYTES."""

    data_started = False
    in_data = False
    sock: Any
    file: Any
    _host: str

    def connect(self, host: str = "localhost", port: int = 0,
                source_address: Any = None) -> tuple[int, bytes]:
        # smtplib learns the server's name (which TLS checks the certificate against) only in
        # its constructor; this client connects later, once its timer runs.
        self._host = host
        return super().connect(host, port, source_address)  # type: ignore[misc, no-any-return]

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _Replies(self.sock.makefile("rb"))
        code, message = super().getreply()  # type: ignore[misc]
        if code == 354 and self.in_data:
            self.data_started = True  # the server asked for the message: from here on it may have it
        return code, message

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.in_data = True
        try:
            return super().data(msg)  # type: ignore[misc, no-any-return]
        finally:
            self.in_data = False


class _SMTP(_Watched, smtplib.SMTP):
    pass


class _SMTPSSL(_Watched, smtplib.SMTP_SSL):
    pass


def _cut(client: smtplib.SMTP) -> None:
    """End a session that ran out of time: a blocked read returns, the send fails."""
    sock = client.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class SmtpProvider(LocalProvider):
    """One multipart/alternative message to the list address, with RFC 8058 one-click unsubscribe."""

    name = "smtp"

    def __init__(self, host: str, port: int, security: str, username: str, password: str, to: str,
                 sender: Sender, unsubscribe_url: str, state_dir: Path, clock: Clock,
                 timeout: float = 30.0, force: bool = False) -> None:
        super().__init__(sender)
        self.host, self.port, self.security = host, port, security
        self._username, self._password = username, password
        self.to = to
        self.unsubscribe_url = unsubscribe_url
        self.state_dir = Path(state_dir)
        self.clock = clock
        self.timeout = timeout
        # --force: send although an earlier attempt may have gone out (a person checked the archive).
        self.force = force

    def describe(self) -> str:
        return f"smtp ({self.host}:{self.port}, {self.security}) an {self.to}"

    def _journal(self, key: str) -> Path:
        return self.state_dir / f"{key}.smtp.json"

    def find(self, key: str) -> Campaign | None:
        path = self._journal(key)
        if not path.exists():
            return None
        journal = json.loads(path.read_text(encoding="utf-8"))
        state = journal["status"]
        if state == "sending" and self.force:
            return None
        return Campaign(key, state, True, key, journal, unclear=state == "sending")

    def carried_posts(self, campaign: Campaign) -> list[str] | None:
        posts = campaign.details.get("posts")
        return [str(p) for p in posts] if isinstance(posts, list) else None

    def _headers(self) -> dict[str, str]:
        return {"List-Unsubscribe": f"<{self.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}

    def send_test(self, campaign: Campaign, issue: RenderedIssue, recipients: list[str]) -> None:
        message = email_message(self._final(issue), self.sender, to=", ".join(recipients), variant="test",
                                  headers=self._headers())
        self._deliver(message, recipients)

    def start(self, campaign: Campaign, issue: RenderedIssue) -> None:
        self._write(issue.key, "sending", issue.posts)
        # --force overrides the one unclear send a person checked; whatever happens from here on
        # is this run's own: an unclear attempt now stops as unclear, it is not sent again.
        self.force = False
        message = email_message(self._final(issue), self.sender, to=self.to, headers=self._headers())
        try:
            self._deliver(message, [self.to])
        except (TransientError, ProviderError) as error:
            if not getattr(error, "ambiguous", False):
                # Nothing was accepted (no connection, a refusal): the journal must not say
                # "sending", or the retry (plugins/newsletter/sending.py) would stop as unclear.
                self._journal(issue.key).unlink(missing_ok=True)
            raise
        self._write(issue.key, "sent", issue.posts)

    def _final(self, issue: RenderedIssue) -> RenderedIssue:
        """A mailing list has no template language: the list's own unsubscribe address goes in."""
        return issue.for_provider(str, str, self.unsubscribe_url)

    def _write(self, key: str, status: str, posts: list[str]) -> None:
        write_atomically(self._journal(key), json.dumps({"status": status, "posts": posts}).encode())

    def _connect(self, client: smtplib.SMTP) -> None:
        code, greeting = client.connect(self.host, self.port)
        if code != 220:  # what smtplib's constructor checks when it connects itself
            client.close()
            raise smtplib.SMTPConnectError(code, greeting)
        if self.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if self._username:
            client.login(self._username, self._password)

    def _deliver(self, message: EmailMessage, recipients: list[str]) -> None:
        """One delivery within the time left (a server answering a byte at a time would reset a
        socket's timeout with every byte: a timer ends the session); a failure is raised (the
        one retry layer is the sender's)."""
        timeout = max(1.0, min(self.timeout, self.clock.remaining()))
        client: smtplib.SMTP = (_SMTPSSL(timeout=timeout, context=ssl.create_default_context())
                                if self.security == "ssl" else _SMTP(timeout=timeout))
        watch = threading.Timer(max(1.0, self.clock.remaining()), _cut, (client,))
        watch.daemon = True
        watch.start()
        try:
            self._session(client, message, recipients)
        finally:
            watch.cancel()

    def _session(self, client: smtplib.SMTP, message: EmailMessage, recipients: list[str]) -> None:
        try:
            self._connect(client)
        except smtplib.SMTPAuthenticationError:
            raise ProviderError("SMTP: Anmeldung abgelehnt – SMTP_USERNAME/SMTP_PASSWORD prüfen") from None
        except (OSError, smtplib.SMTPException) as error:
            raise TransientError(f"SMTP: keine Verbindung zu {self.host}:{self.port} "
                                 f"({type(error).__name__})", False) from None
        except (UnicodeError, ValueError) as error:  # e.g. "mail..example.org": no name at all
            raise ProviderError(f"SMTP: „{self.host}“ ist kein Servername ({type(error).__name__}) – "
                                "SMTP_HOST prüfen") from None
        def began() -> bool:  # read when it fails: whether the message itself was begun
            return bool(getattr(client, "data_started", False))

        try:
            client.send_message(message, from_addr=self.sender.email, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused:
            raise ProviderError("SMTP: Empfängeradresse abgelehnt") from None
        except smtplib.SMTPResponseException as error:
            if 200 <= error.smtp_code < 300 and began():
                return  # accepted, in other words than smtplib expects ("251 ok" after the message)
            if not 200 <= error.smtp_code < 600 and began():
                # An answer that cannot be read (smtplib says -1) after the message was sent:
                # it may have been accepted. Unclear, never sent again on its own.
                raise TransientError("SMTP: Antwort des Servers nach dem Senden unlesbar", True) from None
            if 400 <= error.smtp_code < 500:  # temporary refusal: not accepted
                raise TransientError(f"SMTP: Server lehnt vorübergehend ab ({error.smtp_code})",
                                     False) from None
            raise ProviderError(f"SMTP: Server lehnt ab ({error.smtp_code})") from None
        except (OSError, smtplib.SMTPServerDisconnected):
            # Before DATA nothing of the message can have reached the server: not unclear.
            raise TransientError("SMTP: Verbindung während des Versands abgebrochen", began()) from None
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
