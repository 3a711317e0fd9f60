"""Colours and number formats shared by the drawings.

Gradients use a diverging palette: purple for negative, orange for positive (the ends of
ColorBrewer's PuOr scheme, which stays distinct for colour-blind readers and in greyscale
print), white for zero; saturation grows with |grad| / (largest |grad| in the drawing).
Text stays black: the strongest fills are mid-tones.
"""

from __future__ import annotations

import html
import math

NEGATIVE = (0x80, 0x73, 0xAC)  # PuOr purple
POSITIVE = (0xF1, 0xA3, 0x40)  # PuOr orange
ZERO = (0xFF, 0xFF, 0xFF)
NOT_FINITE = "#bdbdbd"  # grey for nan and ±inf
FONT = "Helvetica"


def number(x: float) -> str:
    """4 significant digits: 0.1235, -2.5e-05, 1.235e+04, nan, inf (and 0 for −0.0)."""
    return f"{x + 0.0:.4g}"


def gradient_colour(grad: float, scale: float) -> str:
    """Fill colour for a gradient, given the largest |gradient| in the drawing."""
    if not math.isfinite(grad):
        return NOT_FINITE
    if scale <= 0 or not math.isfinite(scale) or grad == 0:
        return _hex(ZERO)
    t = min(abs(grad) / scale, 1.0)
    end = POSITIVE if grad > 0 else NEGATIVE
    return _hex(tuple(round(z + (e - z) * t) for z, e in zip(ZERO, end)))


def sign_colour(x: float) -> str:
    """Full-strength hue for a sign (edges of the network diagram)."""
    return _hex(POSITIVE if x > 0 else NEGATIVE) if x != 0 else "#999999"


def largest_magnitude(values) -> float:
    return max((abs(v) for v in values if math.isfinite(v)), default=0.0)


def escape(text: str) -> str:
    """Text for a Graphviz HTML-like label: <, >, &, " and friends render literally."""
    return html.escape(text, quote=True)


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def legend_html(scale: float, rows: list[str]) -> str:
    """The legend: the colour scale from −scale to +scale, then one explanatory row each. With no
    gradient yet (scale 0: a forward pass, or every gradient 0) a note replaces the scale."""
    steps = [-1.0, -0.5, 0.0, 0.5, 1.0]
    cells = "".join(
        f'<TD BGCOLOR="{gradient_colour(s * scale, scale)}" WIDTH="34">{escape(number(s * scale))}</TD>' for s in steps
    )
    if not scale > 0:
        cells = '<TD COLSPAN="5" ALIGN="LEFT">fill: white, every gradient is 0 (no backward pass yet?)</TD>'
    text_rows = "".join(f'<TR><TD COLSPAN="5" ALIGN="LEFT">{escape(row)}</TD></TR>' for row in rows)
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
        '<TR><TD COLSPAN="5"><B>Legend</B></TD></TR>'
        f"<TR>{cells}</TR>{text_rows}</TABLE>>"
    )


def add_legend(dot, scale: float, rows: list[str], **node_attrs: str) -> None:
    """The legend, in an invisible cluster of its own so it sits apart from the drawing."""
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(style="invis")
        legend.node("legend", legend_html(scale, rows), shape="plaintext", **node_attrs)
