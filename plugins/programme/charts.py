"""An indicator as an SVG line chart, drawn at build time: no script, no library, no request.

The same drawing serves the page (inline: the stylesheet's classes recolour it for the dark
scheme and for print), the PDF and the newsletter's PNG (standalone: presentation attributes
from the programme's light colours). Colour never carries meaning alone: values are round
points, the target a diamond on a dashed line, and the first, last and target values are
written beside their marks. What the chart shows is also the summary sentence (its accessible
name) and the data table beside it.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from markupsafe import escape

from .indicators import Indicator, number, summary

WIDTH, HEIGHT = 400, 250
LEFT, RIGHT, TOP, BOTTOM = 56, 18, 28, 44
FONT = 16
FONT_FAMILY = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', "
               "Arial, sans-serif")
LIGHT = {"text": "#1b1f24", "muted": "#4a5361", "primary": "#005a8c", "accent": "#8a3b12",
         "border": "#c9d0d8", "background": "#ffffff"}


def _nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _axis(indicator: Indicator) -> tuple[float, float]:
    figures = [v.value for v in indicator.values]
    if indicator.target is not None:
        figures.append(indicator.target.value)
    low = min([0.0, *figures])
    high = max([0.0, *figures])
    if low < 0:
        low = -_nice_ceiling(-low)
    return low, _nice_ceiling(high) if high > 0 else (1.0 if low == 0 else 0.0)


def _days(indicator: Indicator) -> tuple[date, date]:
    days = [v.day for v in indicator.values]
    if indicator.target is not None:
        days.append(indicator.target.day)
    first, last = min(days), max(days)
    if first == last:
        first = date(first.year, 1, 1) if (first.month, first.day) != (1, 1) else date(first.year - 1, 1, 1)
    return first, last


def _label_day(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


def chart_svg(indicator: Indicator, ident: str, colours: dict[str, str] | None = None,
              standalone: bool = False) -> str:
    """The chart as SVG markup; ``ident`` makes its ids unique on a page. ``standalone``: with
    the XML namespace, a white background and the font named (a file, a PDF, a PNG)."""
    colours = {**LIGHT, **(colours or {})}
    if not indicator.values and indicator.target is None:
        return ""
    low, high = _axis(indicator)
    first, last = _days(indicator)
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - low) / (high - low or 1)), 1)

    title = escape(indicator.title)
    described = escape(summary(indicator))
    parts: list[str] = []
    attributes = f'viewBox="0 0 {WIDTH} {HEIGHT}" class="sls-chart" role="img" ' \
                 f'aria-labelledby="{ident}-t {ident}-d" font-size="{FONT}"'
    if standalone:
        attributes = f'xmlns="http://www.w3.org/2000/svg" width="{WIDTH * 2}" height="{HEIGHT * 2}" ' \
                     f'{attributes} font-family="{FONT_FAMILY}"'
    parts.append(f"<svg {attributes}>")
    parts.append(f'<title id="{ident}-t">{title}</title><desc id="{ident}-d">{described}</desc>')
    if standalone:
        parts.append(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{colours["background"]}"/>')
    # Grid and the value axis: three lines with their figures.
    for step in range(3):
        level = low + (high - low) * step / 2
        at = y(level)
        parts.append(f'<line class="sls-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at}" y2="{at}" '
                     f'stroke="{colours["border"]}" stroke-width="1"/>')
        parts.append(f'<text class="sls-chart__axis" x="{LEFT - 8}" y="{at + 5}" text-anchor="end" '
                     f'fill="{colours["muted"]}">{escape(number(level))}</text>')
    # The time axis: the first and the last day shown.
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(f'<text class="sls-chart__axis" x="{x(day)}" y="{HEIGHT - 14}" text-anchor="{anchor}" '
                     f'fill="{colours["muted"]}">{_label_day(day)}</text>')
    target = indicator.target
    if target is not None:
        at = y(target.value)
        parts.append(f'<line class="sls-chart__target" x1="{LEFT}" x2="{x(target.day)}" y1="{at}" y2="{at}" '
                     f'stroke="{colours["accent"]}" stroke-width="2" stroke-dasharray="6 5"/>')
        cx = x(target.day)
        parts.append(f'<path class="sls-chart__target-mark" d="M{cx} {at - 7}l7 7-7 7-7-7z" '
                     f'fill="{colours["accent"]}"/>')
        parts.append(f'<text class="sls-chart__target-label" x="{min(cx, WIDTH - RIGHT)}" y="{at - 12}" '
                     f'text-anchor="end" fill="{colours["accent"]}">'
                     f'Ziel {escape(number(target.value))}</text>')
    values = indicator.values
    if len(values) > 1:
        points = " ".join(f"{x(v.day)},{y(v.value)}" for v in values)
        parts.append(f'<polyline class="sls-chart__line" points="{points}" fill="none" '
                     f'stroke="{colours["primary"]}" stroke-width="3" stroke-linejoin="round"/>')
    for index, value in enumerate(values):
        parts.append(f'<circle class="sls-chart__point" cx="{x(value.day)}" cy="{y(value.value)}" r="5" '
                     f'fill="{colours["primary"]}"/>')
        if index in (0, len(values) - 1):
            anchor = "start" if index == 0 and len(values) > 1 else "end"
            parts.append(f'<text class="sls-chart__value" x="{x(value.day)}" y="{y(value.value) - 12}" '
                         f'text-anchor="{anchor}" font-weight="700" fill="{colours["text"]}">'
                         f'{escape(number(value.value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def table_rows(indicator: Indicator) -> list[dict[str, Any]]:
    """The chart's data as the table beside it shows it (newest first)."""
    return [{"day": v.day, "value": number(v.value), "source": v.source, "note": v.note}
            for v in reversed(indicator.values)]
