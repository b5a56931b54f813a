"""What the engine knows of one build: kept in its settings, dropped with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugins.programme.build_state import PerBuild

from .plan import Plan

SETTING = "SLS_ENGINE"


class EngineState(PerBuild):
    """This build's plan (None: a full build), the articles it read, the generators it runs."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.articles: list[Any] = []
        self.generators: list[Any] = []
        self.manifest: dict[str, Any] | None = None
        self.pool: Any = None  # a section's pool while it writes
        self.templates_compiled = False


def _state(settings: Any) -> EngineState:
    state = settings.get(SETTING)
    if not isinstance(state, EngineState):
        state = settings[SETTING] = EngineState()
    return state


def plan_of(settings: Any) -> Plan | None:
    state = settings.get(SETTING)
    return state.plan if isinstance(state, EngineState) else None


def was_planned(settings: Any) -> bool:
    """Whether the build that used ``settings`` rendered only what its plan named."""
    return plan_of(settings) is not None


def kept_site(settings: Any) -> list[Path]:
    """Folders whose files the finished site keeps besides this build's output: the previous
    site in a development rebuild (its untouched pages stay), else none."""
    return [Path(settings["INCREMENTAL_FROM"])] if was_planned(settings) else []
