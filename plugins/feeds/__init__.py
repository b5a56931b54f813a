"""Feeds renderer: Atom 1.0 and RSS 2.0 for the site, each cluster and each measure."""

from pelican import signals

from .generator import FeedsGenerator

__all__ = ["FeedsGenerator", "register"]


def get_generators(_pelican):
    return FeedsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
