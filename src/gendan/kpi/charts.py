"""The KPI trend (R-7.1): small SVGs drawn by our code, like the supplier's score trend
(purchasing/score_chart.py): no script, every text escaped, a tooltip per month, the target as a
dashed line, a month without data left as a gap (never drawn as a zero), a point that misses its
target in red."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 560, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28
BLUE, RED, GREY, GRID, TEXT = "#3b7dd8", "#d64545", "#99a", "#e3e6ea", "#667"


def _nice_top(values: list[Decimal], target: Decimal | None) -> Decimal:
    top = max([*values, target or Decimal(0), Decimal(1)])
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if top <= step:
            return Decimal(step)
    return top


def trend_svg(
    points: list[tuple[str, Decimal | None, bool | None]],
    *,
    title: str,
    unit: str = "",
    target: Decimal | None = None,
    top: Decimal | None = None,
) -> SafeString:
    """`points`: (month's key, value or None, met its target or None), oldest first."""
    values = [v for _k, v, _m in points if v is not None]
    top = top or _nice_top(values, target)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: Decimal | float) -> float:
        return TOP + plot_h * (1 - float(value) / float(top))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-trend" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for level in (Decimal(0), top / 2, top):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 4}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="10" fill="{TEXT}">'
            f"{escape(f'{level.normalize():f}{unit}')}</text>"
        )
    if target is not None:
        tip = escape(_("Target %(target)s") % {"target": f"{target.normalize():f}{unit}"})
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(min(target, top)):.1f}" '
            f'y2="{y(min(target, top)):.1f}" stroke="{RED}" stroke-dasharray="4 3"><title>{tip}</title></line>'
        )
    run: list[str] = []
    for i, (_key, value, _met) in enumerate([*points, ("", None, None)]):
        if value is not None:
            run.append(f"{x(i):.1f},{y(min(value, top)):.1f}")
        elif run:
            parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
            run = []
    for i, (key, value, met) in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10" fill="{TEXT}">'
            f"{escape(key[-2:])}</text>"
        )
        if value is None:
            tip = _("%(month)s: no data") % {"month": key}
            parts.append(
                f'<text class="gap" x="{x(i):.1f}" y="{y(0) - 4:.1f}" text-anchor="middle" font-size="10" '
                f'fill="{GREY}">–<title>{escape(tip)}</title></text>'
            )
            continue
        colour = RED if met is False else BLUE
        tip = f"{key}: {value}{unit}"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(min(value, top)):.1f}" r="3.5" fill="{colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
