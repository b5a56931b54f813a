"""WCAG 2 contrast ratio, so design tokens are AA by construction."""

from __future__ import annotations


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour."""
    text = str(colour).strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a hex colour: {colour}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours (1.0 to 21.0)."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def nearest_passing(foreground: str, background: str, minimum: float = 4.5) -> str | None:
    """The colour closest to ``foreground`` (mixed towards black or white, the same hue) with at
    least ``minimum`` contrast on ``background``; None when neither direction reaches it."""
    text = str(foreground).strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    rgb = tuple(float(int(text[i : i + 2], 16)) for i in (0, 2, 4))
    found: list[tuple[float, str]] = []
    for target in (0.0, 255.0):
        for step in range(1, 101):
            share = step / 100
            mixed = _hex(tuple(c + (target - c) * share for c in rgb))  # type: ignore[arg-type]
            if contrast_ratio(mixed, background) >= minimum:
                found.append((share, mixed))
                break
    return min(found)[1] if found else None
