"""Bar-chart geometry for inline SVG: plain numbers computed here, markup in the theme macro.

Deterministic: coordinates are rounded to one decimal and returned as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .values import fmt_money


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    value_text: str  # e.g. "684.94"
    y: str  # top of the bar
    text_y: str  # baseline of the label and value text
    width: str  # bar length
    percent: str = "0.0"  # bar length in % of the longest bar's, for bars drawn by CSS


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    value_x: str  # where the value text of the longest bar starts
    bars: tuple[Bar, ...]

    def description(self, unit: str) -> str:
        """The text alternative: every bar's label and value, in order."""
        return "；".join(f"{b.label} {b.value_text} {unit}" for b in self.bars)


def bar_chart(
    items: Sequence[tuple[str, Decimal]],
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 10,
    value_room: int = 90,
) -> BarChart:
    """Horizontal bars scaled to the largest value; a zero or negative value draws no bar."""
    top = max((v for _, v in items), default=Decimal(0))
    room = width - label_width - value_room
    bars = []
    for i, (label, value) in enumerate(items):
        share = float(value / top) if top > 0 and value > 0 else 0.0
        length = share * room
        y = gap + i * (bar_height + gap)
        bars.append(
            Bar(
                label,
                value,
                fmt_money(value),
                f"{y:.1f}",
                f"{y + bar_height * 0.72:.1f}",
                f"{length:.1f}",
                f"{share * 100:.1f}",
            )
        )
    height = gap + len(items) * (bar_height + gap)
    return BarChart(width, height, label_width, bar_height, f"{label_width + room + 6:.1f}", tuple(bars))
