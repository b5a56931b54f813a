"""Participation dates: pages, per-event .ics files and subscribable calendars."""

from pelican import signals

from .generator import EventsGenerator


def get_generators(_pelican):
    return EventsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
