"""Markdown to HTML for post and page bodies, configured like Pelican configures it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown import Markdown

from .placeholders import PlaceholderExtension
from .sanitize import sanitize
from .tree import Source


def markdown_for(config: Mapping[str, Any], line_breaks: bool = False) -> Markdown:
    """A Markdown converter from the ``MARKDOWN`` setting.

    As Pelican does, every configured extension is also enabled; "meta" never is,
    because the front matter is YAML.
    """
    options = dict(config)
    extensions = list(options.get("extensions", [])) + list(options.get("extension_configs", {}))
    if line_breaks:
        extensions.append("markdown.extensions.nl2br")
    options["extensions"] = [e for e in dict.fromkeys(extensions) if e != "markdown.extensions.meta"]
    options["extensions"].append(PlaceholderExtension())
    return Markdown(**options)


class BodyRenderer:
    """Renders bodies with one reusable converter (building one costs more than a short post)."""

    def __init__(self, markdown_config: Mapping[str, Any]) -> None:
        self.config = markdown_config
        self.markdown = markdown_for(markdown_config)

    def html(self, source: Source) -> str:
        """The body as sanitised HTML: the same for pages, feeds and emails."""
        if source.post.meta.get("line_breaks") is True:
            # Leichte Sprache: one sentence per line, so every line break is kept.
            return sanitize(markdown_for(self.config, line_breaks=True).convert(source.post.body))
        self.markdown.reset()
        return sanitize(self.markdown.convert(source.post.body))
