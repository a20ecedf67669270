"""Review charts as server-side SVG: no chart library, no script, nothing for the CSP to allow.

Colours are presentation attributes (`fill=`), not `style=`, because the page's CSP forbids inline
styles. Every chart carries a <title> and text labels, so it reads without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bagu.review.stats import TopicMastery

_BAR = "#3b82f6"
_AXIS = "#9ca3af"


def bar_chart(
    series: Sequence[tuple[str, int]], title: str, width: int = 560, height: int = 180
) -> str:
    """Vertical bars with the value above each and every other day's label below."""
    pad_left, pad_bottom, pad_top = 28, 34, 18
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    top = max((v for _, v in series), default=0) or 1
    step = plot_w / max(len(series), 1)
    parts = [_open(width, height, title)]
    parts.append(
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" y2="{pad_top + plot_h}" '
        f'stroke="{_AXIS}"/>'
    )
    for i, (label, value) in enumerate(series):
        h = plot_h * value / top
        x = pad_left + i * step + step * 0.15
        y = pad_top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{_BAR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        if value:
            parts.append(_text(x + step * 0.35, y - 4, str(value), anchor="middle", size=10))
        if i % 2 == 0 or len(series) <= 8:
            parts.append(
                _text(x + step * 0.35, height - pad_bottom + 14, label[5:], anchor="middle", size=9)
            )
    parts.append("</svg>")
    return "".join(parts)


def retention_gauge(
    retention: float | None, target: float, width: int = 560, height: int = 70
) -> str:
    """True retention as a horizontal bar against the FSRS target retention."""
    title = "true retention"
    parts = [_open(width, height, title)]
    left, bar_w = 10, width - 20
    parts.append(f'<rect x="{left}" y="20" width="{bar_w}" height="18" fill="#e5e7eb"/>')
    if retention is not None:
        colour = "#16a34a" if retention >= target else "#f59e0b"
        parts.append(
            f'<rect x="{left}" y="20" width="{bar_w * retention:.1f}" height="18" fill="{colour}"/>'
        )
        parts.append(_text(left, 14, f"true retention {retention:.0%}", size=12))
    else:
        parts.append(_text(left, 14, "true retention: no graduated reviews yet", size=12))
    x = left + bar_w * target
    parts.append(
        f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="42" stroke="#111827" stroke-width="2"/>'
    )
    parts.append(_text(x, 56, f"target {target:.0%}", anchor="middle", size=10))
    parts.append("</svg>")
    return "".join(parts)


def mastery_heatmap(topics: Sequence[TopicMastery], width: int = 560, columns: int = 4) -> str:
    """One tile per topic, red (forgotten) to green (mastered); grey when nothing is reviewed
    yet."""
    tile_w, tile_h, gap = (width - (columns + 1) * 6) / columns, 54, 6
    rows = max(1, -(-len(topics) // columns))
    height = int(rows * (tile_h + gap) + gap)
    parts = [_open(width, height, "topic mastery")]
    for i, topic in enumerate(topics):
        x = gap + (i % columns) * (tile_w + gap)
        y = gap + (i // columns) * (tile_h + gap)
        fill = mastery_colour(topic.mastery)
        shown = "—" if topic.mastery is None else f"{topic.mastery:.0%}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{tile_w:.1f}" height="{tile_h}" rx="4" '
            f'fill="{fill}">'
            f"<title>{escape(topic.topic)}: mastery {shown}, {topic.reviewed}/{topic.cards} "
            f"cards reviewed</title></rect>"
        )
        parts.append(_text(x + 8, y + 20, topic.topic[:22], size=12, weight="bold"))
        parts.append(
            _text(x + 8, y + 40, f"{shown} · {topic.reviewed}/{topic.cards} cards", size=11)
        )
    parts.append("</svg>")
    return "".join(parts)


def mastery_colour(mastery: float | None) -> str:
    """Red at 0, amber at 0.5, green at 1 (light tints, so the dark labels stay readable)."""
    if mastery is None:
        return "#e5e7eb"
    m = min(max(mastery, 0.0), 1.0)
    low, mid, high = (254, 202, 202), (253, 230, 138), (187, 247, 208)
    a, b, t = (low, mid, m * 2) if m < 0.5 else (mid, high, (m - 0.5) * 2)
    r, g, bl = (round(a[k] + (b[k] - a[k]) * t) for k in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}"'
        f' role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    )


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: int = 11, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}"'
        f' fill="#111827">{escape(text)}</text>'
    )
