"""A supplier's score month by month (R-3.4): a small SVG drawn by our code, like the Gantt
(planning/gantt.py): no script, escaped text, a tooltip per month, the threshold as a dashed line,
months without a score left as a gap (not a zero)."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 560, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 26
MAX_POINTS = 36


def trend_svg(points: list[tuple[str, Decimal | None]], *, threshold: int) -> SafeString:
    """`points`: (month's label, score or None), oldest first."""
    points = points[-MAX_POINTS:]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(score: Decimal | float) -> float:
        return TOP + plot_h * (1 - float(score) / 100)

    title = _("Score by month")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-trend" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for level in (0, 50, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="#e3e6ea"/>'
            f'<text x="{LEFT - 4}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="10" fill="#667">{level}</text>'
        )
    limit = escape(_("Threshold %(score)s") % {"score": threshold})
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(threshold):.1f}" y2="{y(threshold):.1f}" '
        f'stroke="#d64545" stroke-dasharray="4 3"><title>{limit}</title></line>'
    )
    # One polyline per run of months with a score: a month without one is a gap.
    run: list[str] = []
    for i, (_label, score) in enumerate([*points, ("", None)]):
        if score is not None:
            run.append(f"{x(i):.1f},{y(score):.1f}")
        elif run:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="#3b7dd8" stroke-width="2"/>'
            )
            run = []
    for i, (label, score) in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10" fill="#667">'
            f"{escape(label[-2:])}</text>"
        )
        if score is None:
            tip = _("%(month)s: not enough records") % {"month": label}
            parts.append(
                f'<text x="{x(i):.1f}" y="{y(0) - 4:.1f}" text-anchor="middle" font-size="10" fill="#99a">'
                f"–<title>{escape(tip)}</title></text>"
            )
            continue
        colour = "#d64545" if score < threshold else "#3b7dd8"
        tip = f"{label}: {score}"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(score):.1f}" r="3.5" fill="{colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
