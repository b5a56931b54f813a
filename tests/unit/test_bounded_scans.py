"""Inputs made to be slow: every scan of a post's text is linear in its length. Each generated
body below is a few ten kilobytes shaped to make a backtracking regular expression read the rest
of the text again from every position (unclosed brackets, runs of backticks, spaces before a
heading anchor, unclosed tags). All of them together must pass the content check's scans and
the renderer well within the deadline an editor's build has per file (30 s); before the scans
were linear, the first one alone took hours."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

N = 60_000
PATHOLOGICAL = {
    "backtick runs": "`" * N + "a",
    "code spans that never close": "``a`" * (N // 4),
    "open brackets": "[" * N,
    "unclosed images": "![" * (N // 2),
    "image references": "![a][" * (N // 5),
    "nested brackets": "[a [b] c" * (N // 8),
    "unfinished links": "[a](" * (N // 4),
    "script autolinks": "<javascript:" * (N // 12),
    "unclosed img tags": "<img " * (N // 5),
    "heading spaces": "## x" + " " * N + "{#a",
    "heading anchors without headings": "{#a}</h2>" * (N // 9),
    "raw heading openers": "<h2>" * (N // 4) + "x {#a}</h2>",
    "table cells": "<td" * (N // 3),
    "one tag of many attributes": "<img " * (N // 5) + ">",
    "comments that never close": "<!--" * (N // 4),
    "tags cut off inside a quoted value": '<a t="' + "<a b=c " * (N // 7),
    "attributes without end": "<a " + "b=c " * (N // 4),
}

SCAN_ALL = """
import json, sys
from plugins.programme.html_policy import html_findings, prose
from plugins.programme.markdown_body import render
for body in json.load(sys.stdin).values():
    prose(body)
    html_findings(body)
    render(body)
print("fertig")
"""


def test_every_scan_stays_linear_on_inputs_made_to_be_slow() -> None:
    done = subprocess.run([sys.executable, "-c", SCAN_ALL], input=json.dumps(PATHOLOGICAL), cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.strip() == "fertig", done.stderr[-2000:]


def test_the_post_checks_stay_linear_on_inputs_made_to_be_slow(tmp_path) -> None:
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    for number, body in enumerate(PATHOLOGICAL.values(), 1):
        (posts / f"2024-01-{number:02d}-lang-{number}.md").write_text(
            f"---\ntitle: Lang {number}\ndate: 2024-01-{number:02d}\nmeasure: meet-me\nsummary: Lang.\n"
            f"---\n\n{body}\n", encoding="utf-8")
    programme = (ROOT / "content" / "programme.yml").read_bytes()
    (tmp_path / "content" / "programme.yml").write_bytes(programme)
    (tmp_path / "content" / "images").mkdir()
    logo = (ROOT / "content" / "images" / "logo.svg").read_bytes()
    (tmp_path / "content" / "images" / "logo.svg").write_bytes(logo)
    done = subprocess.run([sys.executable, "-m", "pipeline.content_check", "--content", "content"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    # Judged to the end, in German: an image tag without alt text whose attributes ("<img") no
    # browser keeps, and thousands of unclosed tags.
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == "3 Probleme im Inhalt von content.", done.stderr
    assert "HTML-Bild ohne alt-Attribut" in done.stderr
    assert "HTML-Attribut „<img“ an <img> wird auf der Website nicht veröffentlicht" in done.stderr
    assert "HTML ist mehr als 64 Ebenen tief verschachtelt" in done.stderr


def test_nesting_deeper_than_a_reader_can_follow_is_refused_at_its_line() -> None:
    from plugins.programme.html_policy import html_findings

    assert [(f.line, f.message) for f in html_findings("Text\n\n" + ">" * 5000 + " Zitat")] == [
        (3, "Zitate sind mehr als 64 Ebenen tief verschachtelt")]
    assert [(f.line, f.message) for f in html_findings("Text\n\n" + "<div>" * 5000)] == [
        (3, "HTML ist mehr als 64 Ebenen tief verschachtelt")]
    # As deep as real texts go: nothing to say.
    assert html_findings("> > > Zitat im Zitat\n\n<div><div><p>Text<br>mehr</p></div></div>") == []
