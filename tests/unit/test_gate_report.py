"""The gate's report as an editor reads it: it names the site it checked (two reports run in
`make test`), and every exclusion it prints gives its reason in German."""

from __future__ import annotations

import re

from checks.report import Report, exclusions

ENGLISH = re.compile(r"\b(the|is|are|not|of|and|with|which|because|inside|its|an|own|page)\b")
SITE = "„Gemeinde Musterdorf“ (Inhalte: sites/musterdorf/)"


def summary() -> list[str]:
    report = Report(checked_at="2026-12-05T12:00:00+00:00", site=SITE, pages_checked=3,
                    exclusions=exclusions(), skipped=exclusions("skip_pages"))
    return report.summary().splitlines()


def test_the_report_names_the_site_it_checked_first_and_last() -> None:
    lines = summary()
    assert lines[0] == f"Barrierefreiheits- und Datenschutzprüfung für {SITE}"
    assert lines[-1] == f"Barrierefreiheits- und Datenschutzprüfung für {SITE} bestanden."


def test_every_printed_exclusion_gives_its_reason_in_german() -> None:
    reasons = [line for line in summary() if line.startswith(("ausgenommen:", "nicht im Browser geprüft:"))]
    assert len(reasons) == len(exclusions()) + len(exclusions("skip_pages")) > 0
    for line in reasons:
        reason = line.split(" – ", 1)[1]
        assert not ENGLISH.search(reason), line
