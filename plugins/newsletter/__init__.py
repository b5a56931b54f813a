"""Newsletter renderer: compose issues from the same posts, render MJML + text, archive them."""

from pelican import signals

from .generator import NewsletterGenerator

__all__ = ["NewsletterGenerator", "register"]


def get_generators(_pelican):
    return NewsletterGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
