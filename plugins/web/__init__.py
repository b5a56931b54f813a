"""The web renderer's extra pages (measures, clusters), the stylesheet and template helpers."""

from pathlib import Path

from pelican import signals

from plugins.programme.build_state import state_of

from .filters import filesize
from .hosting import write_hosting_files
from .pages import ProgrammePagesGenerator


def get_generators(_pelican):
    return ProgrammePagesGenerator


def add_filters(generator) -> None:
    content = generator.settings["PATH"]
    generator.env.filters["filesize"] = lambda path: filesize(content, path)


def hosting_files(pelican) -> None:
    write_hosting_files(Path(pelican.output_path), state_of(pelican.settings).programme)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_filters)
    signals.finalized.connect(hosting_files)
