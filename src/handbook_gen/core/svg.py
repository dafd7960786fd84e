"""Small SVG helpers shared by the org chart and the flowcharts: text width estimates for
Chinese and Latin text, truncation, number formatting and attribute escaping.

Inline SVG must obey the site CSP: presentation attributes (fill, stroke, font-weight)
only, never ``style=``, no scripts, no ids that could collide (arrowheads are drawn as
polygons, not markers).
"""
from __future__ import annotations

import unicodedata
from html import escape

NS = "http://www.w3.org/2000/svg"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated advance width: CJK and fullwidth characters are 1em, others 0.6em."""
    width = 0.0
    for ch in text:
        width += 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6
    return width * size * (1.05 if bold else 1.0)


def fit(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """`text`, shortened with an ellipsis when wider than `max_width`."""
    if text_width(text, size, bold) <= max_width:
        return text
    while text and text_width(text + "…", size, bold) > max_width:
        text = text[:-1]
    return text + "…"


def num(value: float) -> str:
    """Coordinates rounded to one decimal, without a trailing '.0'."""
    value = round(value, 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def attr(value: str) -> str:
    return escape(value, quote=True)
