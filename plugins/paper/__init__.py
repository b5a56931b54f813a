"""Analogue access: print editions of the newsletter issues and posters for the events, as
accessible PDFs (WeasyPrint, PDF/UA-1) with QR codes to the pages they come from.

Pelican and the generator are imported when the plugin is registered, not with the package:
the processes that render PDFs import ``plugins.paper.render`` and nothing of the build."""


def get_generators(_pelican):
    from .generator import PaperGenerator

    return PaperGenerator


def register() -> None:
    from pelican import signals

    signals.get_generators.connect(get_generators)
