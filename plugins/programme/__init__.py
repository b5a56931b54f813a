"""The content model: programme data, front-matter schema, validation, enrichment.

A pure core that imports no Pelican (``tree``, ``post_source``, ``programme_file``,
``model`` …) and one Pelican adapter (``plugin``, ``reader``). Knows no renderer:
web pages, feeds, newsletter and CMS config read what the adapter leaves on the
articles (``measures``, ``clusters``) and in the context (``programme``).
"""

from __future__ import annotations


def register() -> None:
    """Pelican's plugin entry point; imported lazily so the core stays Pelican-free."""
    from .plugin import register as connect

    connect()
