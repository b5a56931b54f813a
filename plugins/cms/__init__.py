"""CMS renderer: the browser editor at /admin/ with a config generated from the content model."""

from pelican import signals

from .config import cms_config
from .generator import CmsGenerator

__all__ = ["CmsGenerator", "cms_config", "register"]


def get_generators(_pelican):
    return CmsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
