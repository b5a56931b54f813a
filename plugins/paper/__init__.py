"""Analogue access: print editions of the newsletter issues and posters for the events, as
accessible PDFs (WeasyPrint, PDF/UA-1) with QR codes to the pages they come from."""

from pelican import signals

from .generator import PaperGenerator


def get_generators(_pelican):
    return PaperGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
