"""The adopters' example (examples/musterstadt) passes the same gate with the same code as the
programme's own site (tests/test_gate.py); a module of its own, so both run at once."""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_gate import passes_the_gate

pytestmark = pytest.mark.slow  # a real browser and the Nu checker over every page


def test_every_page_of_the_adopters_example_passes_the_gate(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    passes_the_gate(ROOT / "examples" / "musterstadt" / "content", None, monkeypatch, capsys)
