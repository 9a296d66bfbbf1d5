"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, printable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

from gkwatch import labels

STATUS_COLOURS = {
    "on_time": "#2f855a",
    "late": "#d69e2e",
    "missing": "#c53030",
    "not_due": "#a0aec0",
}


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def line_chart(
    points: Sequence[tuple[int, float | None]], title: str, *, width: int = 320, height: int = 160
) -> Markup:
    """A small line chart of one figure over the years; gaps where the value is unknown."""
    known = [(x, y) for x, y in points if y is not None]
    pad_l, pad_r, pad_t, pad_b = 44, 12, 26, 24
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="8" y="16" class="chart-title">{escape(title)}</text>',
    ]
    if not known:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" class="chart-empty">无数据</text>')
        return Markup("".join(parts) + "</svg>")
    xs = [x for x, _ in points]
    top = max(y for _, y in known) or 1.0
    span_x = max(xs) - min(xs) or 1
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def px(x: int) -> float:
        return pad_l + (x - min(xs)) / span_x * plot_w if len(xs) > 1 else pad_l + plot_w / 2

    def py(y: float) -> float:
        return pad_t + plot_h - (y / top) * plot_h

    parts.append(
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - pad_r}" y2="{pad_t + plot_h}" '
        'class="axis"/>'
    )
    parts.append(f'<text x="{pad_l - 4}" y="{pad_t + 4}" class="tick" text-anchor="end">'
                 f"{_fmt(top)}</text>")  # fmt: skip
    parts.append(
        f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" class="tick" text-anchor="end">0</text>'
    )
    segment: list[str] = []
    for x, y in points:
        if y is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
            segment = []
            continue
        segment.append(f"{px(x):.1f},{py(y):.1f}")
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
    for x, y in known:
        parts.append(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" class="dot">'
            f"<title>{x}：{_fmt(y)}</title></circle>"
        )
    for x in xs:
        parts.append(
            f'<text x="{px(x):.1f}" y="{height - 6}" class="tick" text-anchor="middle">{x}</text>'
        )
    return Markup("".join(parts) + "</svg>")


def status_bars(
    by_year: Mapping[int, Mapping[str, int]], *, width: int = 640, height: int = 200
) -> Markup:
    """Stacked bars: for each year, how many agency-years are on time, late, missing, not due."""
    years = sorted(by_year)
    pad_l, pad_b, pad_t = 40, 40, 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'height="{height}" aria-label="各年度发布及时性">'
    ]
    if not years:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" class="chart-empty">无数据</text>')
        return Markup("".join(parts) + "</svg>")
    top = max(sum(by_year[y].values()) for y in years) or 1
    plot_h = height - pad_b - pad_t
    slot = (width - pad_l) / len(years)
    bar = min(48.0, slot * 0.6)
    for i, year in enumerate(years):
        x = pad_l + i * slot + (slot - bar) / 2
        y = float(pad_t + plot_h)
        for status, colour in STATUS_COLOURS.items():
            count = by_year[year].get(status, 0)
            if not count:
                continue
            h = count / top * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{year} 年 {labels.STATUSES[status]}：{count}'
                "</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - pad_b + 16}" class="tick" '
            f'text-anchor="middle">{year}</text>'
        )
    parts.append(
        f'<text x="{pad_l - 6}" y="{pad_t + 8}" class="tick" text-anchor="end">{top}</text>'
    )
    legend_x = pad_l
    for status, colour in STATUS_COLOURS.items():
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}" class="tick">'
            f"{labels.STATUSES[status]}</text>"
        )
        legend_x += 90
    return Markup("".join(parts) + "</svg>")
