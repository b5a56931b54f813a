"""Parts of every page that are the same on most pages, rendered once per build.

The header and the footer are a fifth of an article page's rendering and differ
only by a few values (the current navigation item, whether feeds exist). A page
asks for ``fragment("partials/footer.html", with_feeds=…)``: the partial is rendered
with the build-wide values and those keys, and the result is reused by every
page that asks with the same keys.

A partial rendered this way must not read anything else of the page, or a cached
copy would show another page's value. That is checked, not trusted: a partial
that uses a variable which is neither build-wide nor one of its keys stops the
build with the variable's name.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from jinja2 import Environment, meta, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# What a cached partial may read besides its keys: the same on every page of one build.
BUILD_WIDE = ("SITEURL", "programme")


class FragmentError(RuntimeError):
    """A cached partial reads a value that differs from page to page (a theme mistake)."""


# A memo of a pure function (the same source and syntax read the same variables): every generator
# has an environment of its own, configured alike, and a template is parsed once per process.
_VARIABLES: dict[tuple[Any, ...], frozenset[str]] = {}


def _variables(env: Environment, source: str) -> frozenset[str]:
    """The variables a template's ``source`` reads from its context."""
    key = (source, env.block_start_string, env.variable_start_string, env.comment_start_string,
           env.trim_blocks, env.lstrip_blocks, tuple(sorted(env.extensions)))
    found = _VARIABLES.get(key)
    if found is None:
        found = _VARIABLES[key] = frozenset(meta.find_undeclared_variables(env.parse(source)))
    return found


class Fragments:
    """The cached partials of one template environment (one generator of one build)."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._rendered: dict[tuple[Hashable, ...], Markup] = {}
        self._checked: set[str] = set()

    def _check(self, name: str, keys: set[str]) -> None:
        if name in self._checked:
            return
        source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        unknown = sorted(_variables(self.env, source) - keys - set(BUILD_WIDE) - set(self.env.globals))
        if unknown:
            raise FragmentError(f"{name} uses {', '.join(unknown)}, which is neither build-wide "
                                f"({', '.join(BUILD_WIDE)}) nor passed to fragment()")
        self._checked.add(name)

    @pass_context
    def __call__(self, context: Context, name: str, **keys: Any) -> Markup:
        wide = {key: context.get(key) for key in BUILD_WIDE}
        # SITEURL is in the key: with RELATIVE_URLS Pelican sets it per page depth.
        cache_key = (name, wide["SITEURL"], *sorted(keys.items()))
        found = self._rendered.get(cache_key)
        if found is None:
            self._check(name, set(keys))
            found = self._rendered[cache_key] = Markup(self.env.get_template(name).render(**wide, **keys))
        return found
