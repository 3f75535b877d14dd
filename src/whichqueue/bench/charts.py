"""Static inline SVG bar charts (no script, no CDN): every text is escaped, numbers are formatted here."""

from __future__ import annotations

import html
from dataclasses import dataclass

COLOURS = ("#3f51b5", "#ff9800", "#009688", "#9c27b0")  # one per setting, in order of first appearance
LABEL_W, BAR_W, ROW_H, PAD = 250, 330, 22, 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar: the published figure (see `bar_chart`'s `bar` caption)
    low: float  # whisker: min of the valid repeats
    high: float  # whisker: max
    group: str  # the setting, which picks the colour


def fmt(value: float) -> str:
    """Sensible rounding: 3 significant figures, thousands separated."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def bar_chart(title: str, unit: str, bars: list[Bar], bar: str = "median") -> str:
    """A horizontal bar chart with min-max whiskers, as one line of SVG markup (safe inside Markdown).

    `bar` names what the bars show in the caption (the whiskers always span the repeats).
    """
    groups = list(dict.fromkeys(b.group for b in bars))
    top = max([b.high for b in bars] + [b.value for b in bars] + [1e-9])
    height = PAD * 2 + 20 + ROW_H * len(bars) + 22
    width = LABEL_W + BAR_W + 90
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wq-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" role="img" '
        f'aria-label="{e(title)} ({e(unit)})">',
        f"<title>{e(title)} ({e(unit)})</title>",
        f'<text x="{PAD}" y="{PAD + 12}" font-size="13" font-weight="bold" fill="currentColor">{e(title)} '
        f'<tspan font-weight="normal">({e(unit)}; bar = {e(bar)}, whisker = min–max of the repeats)</tspan></text>',
    ]
    for i, bar in enumerate(bars):
        y = PAD + 20 + i * ROW_H
        colour = COLOURS[groups.index(bar.group) % len(COLOURS)]
        w = BAR_W * bar.value / top
        lo, hi = LABEL_W + BAR_W * bar.low / top, LABEL_W + BAR_W * bar.high / top
        mid = y + ROW_H / 2
        parts += [
            f'<text x="{LABEL_W - 6}" y="{mid + 4:.1f}" font-size="12" text-anchor="end" fill="currentColor">'
            f"{e(bar.label)}</text>",
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" fill="{colour}">'
            f"<title>{e(bar.label)}: {e(fmt(bar.value))} {e(unit)} (min {e(fmt(bar.low))}, max {e(fmt(bar.high))})"
            "</title></rect>",
            f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
            'stroke="currentColor" stroke-width="1.2"/>',
            f'<text x="{max(LABEL_W + w, hi) + 5:.1f}" y="{mid + 4:.1f}" font-size="11" fill="currentColor">'
            f"{e(fmt(bar.value))}</text>",
        ]
    y = PAD + 20 + len(bars) * ROW_H + 14
    x = LABEL_W
    for i, group in enumerate(groups):
        parts += [
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>',
            f'<text x="{x + 14}" y="{y}" font-size="11" fill="currentColor">{e(group)}</text>',
        ]
        x += 24 + 7 * len(group)
    parts.append("</svg>")
    return "".join(parts)
