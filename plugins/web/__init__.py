"""The web renderer's extra pages: measures, clusters and the stylesheet."""

from pelican import signals

from .pages import ProgrammePagesGenerator


def get_generators(_pelican):
    return ProgrammePagesGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
