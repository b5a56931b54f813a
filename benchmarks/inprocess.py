"""Timings inside one build: feed generation and newsletter rendering (run by benchmarks.run)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.build import build
from plugins.feeds.generator import FeedsGenerator
from plugins.newsletter.compose import compose_issue
from plugins.newsletter.email_body import EmailContext, render_html, render_text
from plugins.newsletter.generator import NewsletterGenerator

ROOT = Path(__file__).resolve().parent.parent


def main(corpus: str, output: str) -> None:
    timings: dict[str, float] = {}
    captured: dict[str, object] = {}
    original_feeds = FeedsGenerator.generate_output
    original_newsletter = NewsletterGenerator.generate_output

    def timed_feeds(self, writer):
        began = time.perf_counter()
        original_feeds(self, writer)
        timings["feed_generation_ms"] = (time.perf_counter() - began) * 1000

    def capture(self, writer):
        captured["generator"] = self
        original_newsletter(self, writer)

    FeedsGenerator.generate_output = timed_feeds
    NewsletterGenerator.generate_output = capture
    result = build(ROOT / "pelicanconf.py", Path(output), corpus)
    if not result.ok:
        raise SystemExit(result.report())
    generator = captured["generator"]
    programme = generator.context["programme"]
    posts = generator.context["articles"][:20]
    context = EmailContext("https://example.org/", programme, "{{ UnsubscribeURL }}")
    issue = compose_issue(99, datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Europe/Berlin")), posts, programme)
    samples = []
    for _ in range(20):
        began = time.perf_counter()
        render_html(issue, context, ROOT / "theme" / "newsletter")
        render_text(issue, context)
        samples.append((time.perf_counter() - began) * 1000)
    timings["newsletter_render_ms"] = statistics.median(samples)
    timings["newsletter_posts"] = len(issue.posts)
    print(json.dumps(timings))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
