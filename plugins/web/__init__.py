"""The web renderer's extra pages (measures, clusters), the stylesheet and template helpers."""

from pelican import signals

from .filters import filesize
from .pages import ProgrammePagesGenerator


def get_generators(_pelican):
    return ProgrammePagesGenerator


def add_filters(generator) -> None:
    content = generator.settings["PATH"]
    generator.env.filters["filesize"] = lambda path: filesize(content, path)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_filters)
