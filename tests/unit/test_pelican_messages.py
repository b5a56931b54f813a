"""Pelican's English warnings reach editors in German, once, without the machine's paths."""

from __future__ import annotations

import logging
import os

from pipeline.pelican_messages import UNKNOWN, german


def record(template: str, *args: object) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "pelican.contents", "levelno": logging.WARNING,
                                  "msg": template, "args": args})


def test_a_warning_an_editor_can_cause_is_said_in_german_with_a_path_they_know() -> None:
    path = os.path.join(os.getcwd(), "content", "posts", "a.md")
    lines = german([record("Empty alt attribute for image %s in %s", "bild.png", path)], debug=False)
    assert lines == ["content/posts/a.md: Bild „bild.png“ hat keinen Alternativtext — "
                     "beschreibe, was darauf zu sehen ist"]


def test_unknown_warnings_become_one_german_line_and_show_in_full_only_when_asked() -> None:
    records = [record("Something new in Pelican %s", "/srv/build/x"),
               record("Another internal thing")]
    assert german(records, debug=False) == [UNKNOWN]
    assert german(records, debug=True) == ["Pelican: Something new in Pelican /srv/build/x",
                                           "Pelican: Another internal thing"]


def test_the_cache_warning_about_a_refused_file_is_not_repeated() -> None:
    stamp = record("Cannot get modification stamp for %s\n\t%s", "/etc/hostname", "error")
    assert german([stamp], debug=False) == []
