"""The gate's tools (Chromium, axe-core, the Nu checker, Java) and what to say when one is missing."""

from __future__ import annotations


class ToolMissing(RuntimeError):
    """A tool of the gate is not installed: the check cannot run and must not pass."""
