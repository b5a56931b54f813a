"""Reach without tracking (plugins/programme/reach.py, pipeline/reach.py, `invoke reach`): page
views from an access log, subscribers per list from loopback fakes of listmonk and Brevo."""

from __future__ import annotations

import dataclasses
import gzip
import io
import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes.brevo import FakeBrevo
from fakes.clock import FakeTime, fake_clock
from fakes.listmonk import FakeListmonk

from pipeline.newsletter_send import Console
from pipeline.reach import count_logs, count_subscribers, run
from plugins.newsletter.providers.retry import DEFAULT_POLICY
from plugins.programme.reach import (
    Hit,
    count,
    parse_line,
    read_page_views,
    read_subscriber_counts,
)

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
TOKEN = "s3cret-token-1234"
BREVO_KEY = "xkeysib-test-key-5678"

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
HEADLESS = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 "
            "Safari/537.36")
IPV6 = "2001:db8:85a3::8a2e:370:7334"
IPS = ("203.0.113.5", "198.51.100.23", "192.0.2.77", IPV6, "203.0.113.99", "198.51.100.7", "192.0.2.200")


def entry(ip: str, when: str, request: str, status: int = 200, agent: str = FIREFOX, user: str = "-",
          referer: str = "-") -> str:
    return f'{ip} - {user} [{when}] "{request}" {status} 5120 "{referer}" "{agent}"'


# ~30 lines: C marks a counted view (month in Europe/Berlin, page), S a skipped line and why.
LOG = [
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET / HTTP/1.1"),  # C 11 /
    entry("198.51.100.23", "03/Nov/2026:09:16:40 +0100", "GET /projekte/wue-app/ HTTP/2.0", agent=IPHONE,
          referer="https://www.example.net/suche?q=wue"),  # C 11 /projekte/wue-app/
    entry("192.0.2.77", "14/Nov/2026:18:01:00 +0100", "GET /projekte/wue-app/index.html HTTP/1.1",
          304),  # C 11 /projekte/wue-app/ (index.html is its folder; 304 counts)
    entry("192.0.2.200", "14/Nov/2026:18:02:00 +0100", "GET /projekte/wue-app/ HTTP/1.1",
          agent=GOOGLEBOT),  # S robot
    entry("203.0.113.5", "03/Nov/2026:09:15:03 +0100", "GET /theme/css/main.css HTTP/1.1"),  # S asset
    entry("203.0.113.5", "03/Nov/2026:09:15:03 +0100", "GET /images/logo.png HTTP/1.1"),  # S asset
    entry(IPV6, "20/Nov/2026:07:00:00 +0100",
          "GET /newsletter/anmelden/?email=anna.muster%40example.org&ref=mail HTTP/1.1"),  # C 11, no query
    entry(IPV6, "20/Nov/2026:07:00:10 +0100", "POST /newsletter/anmelden/ HTTP/1.1"),  # S POST
    entry("198.51.100.23", "21/Nov/2026:11:00:00 +0100", "GET /gibt-es-nicht/ HTTP/1.1", 404),  # S 404
    entry("198.51.100.23", "21/Nov/2026:11:00:01 +0100", "GET /404.html HTTP/1.1"),  # S the error page
    entry("192.0.2.77", "22/Nov/2026:08:00:00 +0100", "GET /admin/ HTTP/1.1"),  # S /admin/
    entry("192.0.2.77", "22/Nov/2026:08:00:05 +0100", "GET /admin/index.html HTTP/1.1"),  # S /admin/
    entry("203.0.113.5", "30/Nov/2026:23:59:59 +0100", "GET /termine/ HTTP/1.1"),  # C 11 /termine/
    entry("203.0.113.99", "30/Nov/2026:23:30:00 +0000", "GET /termine/ HTTP/1.1"),  # C 12: 00:30 in Berlin
    entry("192.0.2.200", "30/Nov/2026:12:00:00 +0100", "GET / HTTP/1.1", agent="curl/8.5.0"),  # S robot
    entry("203.0.113.5", "01/Dec/2026:08:00:00 +0100", "GET / HTTP/1.1"),  # C 12 /
    entry("198.51.100.23", "02/Dec/2026:12:00:00 +0100", "GET /index.html HTTP/1.1", agent=IPHONE),  # C 12 /
    entry("192.0.2.77", "05/Dec/2026:10:00:00 +0100",
          "GET /projekte/wue-app/?utm_source=newsletter HTTP/1.1"),  # C 12 /projekte/wue-app/
    entry(IPV6, "06/Dec/2026:10:00:00 +0100",
          "GET /posts/2026-12-01-zukunftswerkstatt.html HTTP/2.0"),  # C 12 the post
    entry("192.0.2.200", "06/Dec/2026:10:01:00 +0100", "GET /termine/ HTTP/1.1",
          agent="python-requests/2.32.3"),  # S robot
    entry("192.0.2.200", "06/Dec/2026:10:02:00 +0100", "GET /termine/ HTTP/1.1", agent=HEADLESS),  # S robot
    entry("192.0.2.200", "06/Dec/2026:10:03:00 +0100", "GET /projekte/ HTTP/1.1",
          agent="Wget/1.21.4"),  # S robot
    entry("203.0.113.5", "06/Dec/2026:11:00:00 +0100", "HEAD / HTTP/1.1"),  # S not GET
    entry("203.0.113.5", "06/Dec/2026:11:00:05 +0100", "GET /feeds/all.atom.xml HTTP/1.1"),  # S no page
    entry("203.0.113.5", "06/Dec/2026:11:00:06 +0100", "GET /projekte HTTP/1.1", 301),  # S redirect
    '192.0.2.200 - - [06/Dec/2026:11:30:00 +0100] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00" 400 157 "-" "-"',  # S
    "das ist keine Zeile eines Zugriffsprotokolls \x00\x1b[31m",  # S garbage
    entry("192.0.2.200", "06/Dec/2026:11:31:00 +0100",
          "GET /..%2f..%2fetc/passwd.html HTTP/1.1"),  # S ".." in the path
    '198.51.100.7 - - [07/Dec/2026:09:00:00 +0100] "GET /%C3%BCber-uns/ HTTP/1.1" 200 5120',  # C 12 common
    entry("198.51.100.7", "07/Dec/2026:09:05:00 +0100",
          "GET /newsletter/bestaetigt.html?email=bernd%40example.com HTTP/1.1"),  # C 12 (query dropped)
    entry("192.0.2.200", "08/Dec/2026:09:00:00 +0100", "GET /projekte/wue-app/ HTTP/1.1",
          agent=BINGBOT),  # S robot
    entry("203.0.113.99", "10/Dec/2026:15:00:00 +0100", "GET /projekte/wue-app/ HTTP/2.0",
          user="maria"),  # C 12 /projekte/wue-app/
]

# Reasoned out line by line above, not taken from the code.
EXPECTED = {
    ("2026-11", "/"): 1,
    ("2026-11", "/projekte/wue-app/"): 2,
    ("2026-11", "/newsletter/anmelden/"): 1,
    ("2026-11", "/termine/"): 1,
    ("2026-12", "/termine/"): 1,
    ("2026-12", "/"): 2,
    ("2026-12", "/projekte/wue-app/"): 2,
    ("2026-12", "/posts/2026-12-01-zukunftswerkstatt.html"): 1,
    ("2026-12", "/über-uns/"): 1,
    ("2026-12", "/newsletter/bestaetigt.html"): 1,
}
COUNTED, SKIPPED = 13, 19  # 32 lines

# What must never reach a written file.
PRIVATE = (*IPS, "2001:db8", "Mozilla", "Firefox", "iPhone", "Googlebot", "bingbot", "curl", "Wget",
           "python-requests", "HeadlessChrome", "maria", "utm_source", "email", "ref=mail", "q=wue", "?",
           "anna.muster", "bernd", "example.org", "example.com", "example.net", "@", "%40", "09:15", "+0100")


def console() -> tuple[Console, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Console({"LISTMONK_TOKEN": TOKEN, "BREVO_API_KEY": BREVO_KEY}, out, err), out, err


def write_log(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


# --- parsing ------------------------------------------------------------------------------------

def test_the_fixture_log_is_counted_as_reasoned() -> None:
    assert len(LOG) == COUNTED + SKIPPED
    assert dict(count(LOG, BERLIN)) == EXPECTED
    assert sum(EXPECTED.values()) == COUNTED


def test_a_hit_holds_the_month_and_the_page_only() -> None:
    assert [f.name for f in dataclasses.fields(Hit)] == ["month", "path"]
    hit = parse_line(LOG[1], BERLIN)
    assert hit == Hit("2026-11", "/projekte/wue-app/")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.path = "/anders/"  # type: ignore[misc, union-attr]


@pytest.mark.parametrize("line", [
    "", "\x00" * 50, "\ufffd\ufffd\x7f garbage \udcff", "x" * 1_000_000,
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /" + "a" * 1_000_000 + "/ HTTP/1.1"),
    entry("203.0.113.5", "31/Feb/2026:09:15:02 +0100", "GET / HTTP/1.1"),  # no such day
    entry("203.0.113.5", "03/Foo/2026:09:15:02 +0100", "GET / HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +9999", "GET / HTTP/1.1"),
    entry("203.0.113.5", "01/Jan/0001:00:00:00 +0100", "GET / HTTP/1.1"),  # before the calendar in UTC
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET http://evil.example/ HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET / HTTP/1.1", agent='bad "quote'),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /" + "a" * 300 + "/ HTTP/1.1"),  # > 300
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a%0a/ HTTP/1.1"),  # control character
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a%E2%80%AE/ HTTP/1.1"),  # bidi override
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a%ff/ HTTP/1.1"),  # not UTF-8
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /%252e%252e/ HTTP/1.1"),  # double encoded
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a/%2e%2e/b/ HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a/./b/ HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /<script>/ HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /a%20b/ HTTP/1.1"),
    entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", "GET /Admin/ HTTP/1.1"),
])
def test_lines_that_are_no_page_view_are_none_never_an_error(line: str) -> None:
    assert parse_line(line, BERLIN) is None


@pytest.mark.parametrize(("request_line", "page"), [
    ("GET /a/index.html?x=1#top HTTP/1.1", "/a/"),
    ("GET /index.html HTTP/1.1", "/"),
    ("GET //evil.example/ HTTP/1.1", "/evil.example/"),  # never a protocol-relative address
    ("GET /projekte///wue-app/ HTTP/1.1", "/projekte/wue-app/"),
    ("GET /%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82%D0%B8/ HTTP/1.1", "/проекти/"),
    ("GET /100%/ HTTP/1.1", "/100%/"),
])
def test_paths_are_normalised(request_line: str, page: str) -> None:
    hit = parse_line(entry("203.0.113.5", "03/Nov/2026:09:15:02 +0100", request_line), BERLIN)
    assert hit == Hit("2026-11", page)


# --- counting logs into the content folder -------------------------------------------------------

def test_counting_writes_figures_and_nothing_about_anyone(tmp_path: Path) -> None:
    log = write_log(tmp_path / "access.log", LOG)
    shown, out, err = console()
    assert count_logs([log], tmp_path / "content", BERLIN, shown) == 0
    written = tmp_path / "content" / "daten" / "seitenaufrufe.csv"
    summary = f"{len(LOG)} Zeilen gelesen, {COUNTED} Seitenaufrufe gezählt, {SKIPPED} übersprungen"
    assert summary in out.getvalue()
    assert "2026-11, 2026-12" in out.getvalue() and not err.getvalue()
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "monat,pfad,aufrufe"
    assert text.splitlines()[1:] == sorted(text.splitlines()[1:])  # sorted
    assert "2026-12,/über-uns/,1" in text.splitlines()
    for private in PRIVATE:
        assert private not in text, private
    assert [p.name for p in written.parent.iterdir()] == ["seitenaufrufe.csv"]  # no temporary file left
    assert read_page_views(written) == (EXPECTED, [])


def test_counting_the_same_logs_again_counts_nothing_twice(tmp_path: Path) -> None:
    log = write_log(tmp_path / "access.log", LOG)
    written = tmp_path / "daten" / "seitenaufrufe.csv"
    assert count_logs([log], tmp_path, BERLIN, console()[0]) == 0
    first = written.read_bytes()
    assert count_logs([log], tmp_path, BERLIN, console()[0]) == 0
    assert written.read_bytes() == first
    assert read_page_views(written)[0] == EXPECTED


def test_a_month_of_a_second_log_replaces_that_month_only(tmp_path: Path) -> None:
    assert count_logs([write_log(tmp_path / "access.log", LOG)], tmp_path, BERLIN, console()[0]) == 0
    december = [
        entry("203.0.113.5", "12/Dec/2026:08:00:00 +0100", "GET / HTTP/1.1"),
        entry("198.51.100.23", "12/Dec/2026:08:30:00 +0100", "GET / HTTP/1.1", agent=IPHONE),
        entry("192.0.2.77", "13/Dec/2026:09:00:00 +0100", "GET /kontakt/ HTTP/1.1"),
        "x" * 3_000_000,  # one line of 3 MB: read past, not held
    ]
    shown, out, err = console()
    second = write_log(tmp_path / "access.log.2.gz", december)
    before = (tmp_path / "daten" / "seitenaufrufe.csv").read_bytes()
    # Fewer views than stored for a month: part of its logs missing? Nothing written.
    assert count_logs([second], tmp_path, BERLIN, shown) == 1
    assert "4 Zeilen gelesen, 3 Seitenaufrufe gezählt, 1 übersprungen" in out.getvalue()
    assert "2026-12: bisher 8, jetzt 3" in err.getvalue() and "--replace" in err.getvalue()  # 8: above
    assert (tmp_path / "daten" / "seitenaufrufe.csv").read_bytes() == before
    assert count_logs([second], tmp_path, BERLIN, shown, replace=True) == 0
    november = {key: value for key, value in EXPECTED.items() if key[0] == "2026-11"}
    assert read_page_views(tmp_path / "daten" / "seitenaufrufe.csv") == (
        {**november, ("2026-12", "/"): 2, ("2026-12", "/kontakt/"): 1}, [])


def test_a_log_that_cannot_be_read_writes_nothing(tmp_path: Path) -> None:
    shown, _out, err = console()
    good = write_log(tmp_path / "access.log", LOG)
    broken = tmp_path / "access.log.3.gz"
    whole = gzip.compress("".join(line + "\n" for line in LOG).encode())
    broken.write_bytes(whole[: len(whole) // 2])  # cut off
    assert count_logs([good, tmp_path / "fehlt.log"], tmp_path, BERLIN, shown) == 1
    assert count_logs([good, broken], tmp_path, BERLIN, shown) == 1
    assert "fehlt.log: Logdatei nicht lesbar (gibt es nicht)" in err.getvalue()
    assert "access.log.3.gz: Logdatei nicht lesbar (die Datei endet mitten in den Daten" in err.getvalue()
    (tmp_path / "ordner.log").mkdir()
    assert count_logs([tmp_path / "ordner.log"], tmp_path, BERLIN, shown) == 1
    assert "ordner.log: Logdatei nicht lesbar (ist ein Ordner)" in err.getvalue()
    assert not any(english in err.getvalue() for english in ("No such file", "Is a directory", "EOFError"))
    assert not (tmp_path / "daten").exists()


# --- the stored files, edited by anyone with access to the repository ----------------------------

PAGE_HEADER = "monat,pfad,aufrufe"


@pytest.mark.parametrize(("row", "words"), [
    ("2026-13,/a/,1", "Monat „2026-13“"),
    ("26-12,/a/,1", "Monat"),
    ("2026-12,a/,1", "beginnt nicht"),
    ("2026-12,//evil.example/,1", "beginnt nicht"),
    ("2026-12,/<script>alert(1)</script>/,1", "andere Zeichen"),
    ("2026-12,/a/?email=anna@example.org,1", "andere Zeichen"),
    ("2026-12,/a/../../b/,1", "„..“"),
    ("2026-12,/a\u202e/,1", "andere Zeichen"),
    ("2026-12,/a\x1b[31m/,1", "andere Zeichen"),
    ("2026-12,/bild.png,1", "keine Seite"),
    ("2026-12,/b/,-3", "negativ"),
    ("2026-12,/b/,1.5", "keine ganze Zahl"),
    ("2026-12,/b/,=1+2", "keine ganze Zahl"),
    ("2026-12,/b/, 4", "keine ganze Zahl"),
    ("2026-12,/b/,99999999999999999999", "keine ganze Zahl"),
    ("2026-12,/a/,7", "doppelt"),
    ("2026-12,/b/,1,x", "4 Felder"),
    ('2026-12,"/b/,1', "CSV"),
])
def test_hostile_page_view_rows_are_refused_with_their_line(tmp_path: Path, row: str, words: str) -> None:
    path = tmp_path / "seitenaufrufe.csv"
    path.write_text(f"{PAGE_HEADER}\n2026-12,/a/,3\n{row}\n2026-11,/c/,1\n", encoding="utf-8")
    views, problems = read_page_views(path)
    assert views == {}
    assert len(problems) == 1 and problems[0].line == 3, problems
    assert words in problems[0].message and str(problems[0]).startswith(f"{path}:3: ")


def test_a_wrong_header_or_encoding_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "seitenaufrufe.csv"
    path.write_text("month;path;views\n2026-12;/a/;3\n", encoding="utf-8")
    assert [(p.line, "Kopfzeile" in p.message) for p in read_page_views(path)[1]] == [(1, True)]
    path.write_bytes(f"{PAGE_HEADER}\n2026-12,/a/,3\n2026-12,/\xfc/,3\n".encode("latin-1"))
    assert [(p.line, "UTF-8" in p.message) for p in read_page_views(path)[1]] == [(3, True)]
    assert read_page_views(tmp_path / "gibt-es-nicht.csv") == ({}, [])


def test_counting_refuses_to_write_over_a_file_it_cannot_read(tmp_path: Path) -> None:
    stored = tmp_path / "daten" / "seitenaufrufe.csv"
    stored.parent.mkdir()
    stored.write_text(f"{PAGE_HEADER}\n2026-10,/a/,-1\n", encoding="utf-8")
    shown, _out, err = console()
    assert count_logs([write_log(tmp_path / "access.log", LOG)], tmp_path, BERLIN, shown) == 1
    assert "seitenaufrufe.csv:2: Anzahl „-1“ ist negativ" in err.getvalue()
    assert stored.read_text(encoding="utf-8") == f"{PAGE_HEADER}\n2026-10,/a/,-1\n"


SUBSCRIBER_HEADER = "datum,liste,sprache,abonnements"


@pytest.mark.parametrize(("row", "words"), [
    ("2026-12-32,Newsletter,de,5", "Kalenders"),
    ("6.12.2026,Newsletter,de,5", "JJJJ-MM-TT"),
    ('2026-12-06,"=HYPERLINK(""http://evil.example"")",de,5', "Buchstaben"),
    ("2026-12-06,anna@example.org,de,5", "andere Zeichen"),
    ("2026-12-06,Newsletter <b>,de,5", "andere Zeichen"),
    ("2026-12-06,,de,5", "leer"),
    ("2026-12-06,Newsletter,DE,5", "Sprachschlüssel"),
    ("2026-12-06,Newsletter,de,-1", "negativ"),
    ("2026-12-06,Newsletter,de,viele", "keine ganze Zahl"),
    ("2026-12-05,Newsletter Deutsch,de,9", "doppelt"),
    ("2026-12-06,Newsletter,de", "3 Felder"),
])
def test_hostile_subscriber_rows_are_refused_with_their_line(tmp_path: Path, row: str, words: str) -> None:
    path = tmp_path / "abonnements.csv"
    path.write_text(f"{SUBSCRIBER_HEADER}\n2026-12-05,Newsletter Deutsch,de,10\n{row}\n", encoding="utf-8")
    counts, problems = read_subscriber_counts(path)
    assert counts == {}
    assert len(problems) == 1 and problems[0].line == 3, problems
    assert words in problems[0].message


# --- subscribers from the providers (loopback fakes) -------------------------------------------

PEOPLE = [
    {"email": "anna@example.org", "lists": {1: "confirmed", 12: "confirmed"}},
    {"email": "bernd@example.org", "lists": {1: "unconfirmed"}},  # single opt-in: gets campaigns
    {"email": "clara@example.org", "lists": {1: "unsubscribed", 2: "unconfirmed"}},
    {"email": "dilan@example.org", "lists": {2: "confirmed"}},
]
LISTS = {1: {"name": "Newsletter Deutsch"}, 12: {"name": "Thema WüApp"},
         2: {"name": "=Newsletter English", "optin": "double"}}


def listmonk_env(server: FakeListmonk, **extra: str) -> dict:
    return {"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": server.url, "LISTMONK_USERNAME": "api",
            "LISTMONK_TOKEN": TOKEN, "LISTMONK_LIST_IDS": "1", "LISTMONK_TOPIC_LISTS": "wue-app:12",
            "LISTMONK_LIST_IDS_EN": "2", "NEWSLETTER_HTTP_TIMEOUT": "0.25", **extra}


def test_listmonk_subscribers_per_list_and_language(tmp_path: Path) -> None:
    shown, out, err = console()
    with FakeListmonk(token=TOKEN, people=PEOPLE, lists=LISTS) as server:
        code = count_subscribers(listmonk_env(server), tmp_path, date(2026, 12, 6), languages=["de", "en"],
                                 clock=fake_clock(), console=shown)
    assert code == 0, err.getvalue()
    # List 1 (single opt-in): anna and bernd, not clara (unsubscribed); listmonk's own
    # subscriber_count would say 6. List 2 (double opt-in): dilan only. The name's "=" is dropped.
    assert read_subscriber_counts(tmp_path / "daten" / "abonnements.csv") == ({
        ("2026-12-06", "Newsletter Deutsch", "de"): 2, ("2026-12-06", "Thema WüApp", "de"): 1,
        ("2026-12-06", "Newsletter English", "en"): 1}, [])
    assert "Newsletter Deutsch (Liste 1): 2 Abonnements" in out.getvalue()
    text = (tmp_path / "daten" / "abonnements.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == SUBSCRIBER_HEADER
    assert "@" not in text and TOKEN not in out.getvalue() + err.getvalue()


def test_a_second_run_on_one_day_replaces_that_day_only(tmp_path: Path) -> None:
    with FakeListmonk(token=TOKEN, people=PEOPLE, lists=LISTS) as server:
        env = listmonk_env(server, LISTMONK_TOPIC_LISTS="", LISTMONK_LIST_IDS_EN="")
        for day in (date(2026, 12, 5), date(2026, 12, 6)):
            assert count_subscribers(env, tmp_path, day, languages=["de"], clock=fake_clock(),
                                     console=console()[0]) == 0
        server.people[5] = {"id": 5, "email": "emil@example.org", "name": "", "attribs": {},
                            "status": "enabled", "lists": {1: "confirmed"}}
        assert count_subscribers(env, tmp_path, date(2026, 12, 6), languages=["de"], clock=fake_clock(),
                                 console=console()[0]) == 0
    assert read_subscriber_counts(tmp_path / "daten" / "abonnements.csv")[0] == {
        ("2026-12-05", "Newsletter Deutsch", "de"): 2, ("2026-12-06", "Newsletter Deutsch", "de"): 3}


def test_brevo_subscribers_leave_out_the_blocklisted(tmp_path: Path) -> None:
    people = [{"email": "anna@example.org", "lists": [7]}, {"email": "bernd@example.org", "lists": [7]},
              {"email": "clara@example.org", "lists": {7: "unsubscribed"}}]
    shown, _out, err = console()
    with FakeBrevo(api_key=BREVO_KEY, people=people, lists={7: "Newsletter"}) as server:
        env = {"NEWSLETTER_PROVIDER": "brevo", "BREVO_API_URL": server.url, "BREVO_API_KEY": BREVO_KEY,
               "BREVO_LIST_IDS": "7", "NEWSLETTER_HTTP_TIMEOUT": "0.25"}
        assert count_subscribers(env, tmp_path, date(2026, 12, 6), languages=["de"], clock=fake_clock(),
                                 console=shown) == 0, err.getvalue()
    # uniqueSubscribers 3, of them 1 blocklisted.
    assert read_subscriber_counts(tmp_path / "daten" / "abonnements.csv")[0] == {
        ("2026-12-06", "Newsletter", "de"): 2}


def test_a_server_error_on_every_request_gives_up_after_bounded_tries(tmp_path: Path) -> None:
    shown, out, err = console()
    time = FakeTime()
    with FakeListmonk(token=TOKEN, people=PEOPLE, lists=LISTS) as server:
        server.inject(r"GET /api/lists/(\d+)", *["500"] * 50)
        code = count_subscribers(listmonk_env(server), tmp_path, date(2026, 12, 6), languages=["de", "en"],
                                 clock=fake_clock(120.0, time), console=shown)
        calls = [call for call in server.calls if call[1].startswith("/api/lists/")]
    assert code == 1
    assert calls == [("GET", "/api/lists/1")] * DEFAULT_POLICY.attempts
    assert len(time.slept) == DEFAULT_POLICY.attempts - 1
    said = out.getvalue() + err.getvalue()
    assert f"nach {DEFAULT_POLICY.attempts} Versuchen aufgegeben; nichts geschrieben" in said
    assert "Traceback" not in said and TOKEN not in said
    assert not (tmp_path / "daten").exists()


def test_a_list_the_provider_does_not_have_and_a_provider_without_lists(tmp_path: Path) -> None:
    shown, _out, err = console()
    with FakeListmonk(token=TOKEN, people=PEOPLE, lists=LISTS) as server:
        env = listmonk_env(server, LISTMONK_LIST_IDS="99", LISTMONK_TOPIC_LISTS="", LISTMONK_LIST_IDS_EN="")
        assert count_subscribers(env, tmp_path, date(2026, 12, 6), languages=["de"], clock=fake_clock(),
                                 console=shown) == 1
    assert "Listennummer 99" in err.getvalue()
    assert count_subscribers({"NEWSLETTER_PROVIDER": "smtp"}, tmp_path, date(2026, 12, 6), languages=["de"],
                             console=shown) == 1
    assert count_subscribers({"NEWSLETTER_PROVIDER": "listmonk", "LISTMONK_URL": "http://listmonk.example"},
                             tmp_path, date(2026, 12, 6), languages=["de"], console=shown) == 1
    said = err.getvalue()
    assert "nur listmonk und Brevo" in said and "LISTMONK_TOKEN fehlt" in said and "https://" in said
    assert not (tmp_path / "daten").exists()


# --- the command ----------------------------------------------------------------------------------

def test_the_command_without_anything_to_count_says_so_in_german(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run({}, [], False, str(tmp_path), ROOT / "pelicanconf.py", out, err) == 1
    assert "Nichts zu zählen" in err.getvalue()


def test_invoke_reach_counts_and_refuses_a_missing_log_without_a_traceback(tmp_path: Path) -> None:
    content = tmp_path / "inhalt"
    content.mkdir()
    log = write_log(tmp_path / "access.log", LOG)
    invoke = [sys.executable, "-m", "invoke", "reach", "--content", str(content)]
    done = subprocess.run([*invoke, "--log", str(log)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{COUNTED} Seitenaufrufe gezählt" in done.stdout
    assert read_page_views(content / "daten" / "seitenaufrufe.csv")[0] == EXPECTED
    done = subprocess.run([*invoke, "--log", str(tmp_path / "fehlt.log")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "Logdatei nicht lesbar" in done.stderr and "Traceback" not in done.stderr + done.stdout
