"""Figures for machines (CSV, JSON): a decimal point, no thousands separator, never an exponent."""

from __future__ import annotations

from plugins.programme.formatting import figure_text


def test_figures_are_written_out_as_people_and_spreadsheets_read_them() -> None:
    assert [figure_text(v) for v in (12, 12.0, 12.5, -3.25, 0.000000001, 0.00001, 123456.789)] == [
        "12", "12", "12.5", "-3.25", "0.000000001", "0.00001", "123456.789"]
    assert float(figure_text(0.1 + 0.2)) == 0.1 + 0.2  # the same value read back
