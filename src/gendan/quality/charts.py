"""The quality records' pictures (R-4.2): small SVGs drawn by our code, like the supplier's score
trend (purchasing/score_chart.py): no script, every text escaped, a <title> for screen readers and
a tooltip on each bar and point.

- the defect Pareto: bars largest first, the cumulative share as a line over them, a dashed line at
  80 % (the few causes left of where the line crosses it make most of the defects);
- a control chart: the points joined in order, the centre line, UCL and LCL (a stepped line when
  the limits change with the sample size, as in a p chart), a point beyond a limit in red, one of a
  run of nine on one side in purple; for a
  measured characteristic (X̄ chart) also its specification limits, drawn unlike the control
  limits (solid orange: what the customer allows, not what the process does), and the single
  values behind each mean, those outside the specification marked;
- the first-pass yield by period: a line on 0–100 %, a period without production left as a gap."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gendan.engine.spc import ControlChart, ParetoRow

WIDTH, HEIGHT = 640, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 42, 14, 56
BLUE, RED, GREY, GRID, TEXT = "#3b7dd8", "#d64545", "#99a", "#e3e6ea", "#667"
ORANGE, PURPLE = "#e08a1e", "#8e44ad"
MAX_POINTS = 60


def _fmt(value: float, percent: bool) -> str:
    # Six digits: a micrometer's 50.012 mm must not read as 50.01.
    return f"{value * 100:.1f}%" if percent else f"{value:.6g}"


def _width(text: str) -> float:
    """About how wide `text` is at 11 px: a Chinese character about 11 px, a Latin one 6.5."""
    return sum(11 if ord(char) >= 0x2E80 else 6.5 for char in text)


def _short(text: str, width: float) -> str:
    """`text` cut to what fits in `width` px at 11 px (a Chinese character is about 11 px wide,
    a Latin one about 6.5), with "…" where cut; the whole text is in the element's tooltip."""
    used, out = 0.0, []
    for char in text:
        used += 11 if ord(char) >= 0x2E80 else 6.5
        if used > width:
            return "".join(out[:-1]) + "…" if out else "…"
        out.append(char)
    return text


def _axis(label: str) -> str:
    """A week's label under the axis without its year ("2026-W48" → "W48"): the tooltip has it."""
    return label[5:] if re.fullmatch(r"\d{4}-W\d{2}", label) else label


def _every(labels: Sequence[str], step: float) -> int:
    """Label every n-th point so that the labels under the axis do not touch."""
    widest = max((len(_axis(lb)) * 6.5 for lb in labels), default=0) + 8
    return max(1, math.ceil(widest / step)) if step else 1


def _open(title: str, css: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="quality-chart {css}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]


def _empty(title: str, css: str, height: int = HEIGHT) -> SafeString:
    parts = _open(title, css, height)
    nothing = escape(_("No records in this period"))
    parts.append(
        f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" font-size="13" fill="{GREY}">'
        f"{nothing}</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def pareto_svg(rows: Sequence[ParetoRow], *, title: str | None = None) -> SafeString:
    """Bars (count, left axis) in the rows' order, the cumulative % (right axis) as a line."""
    title = title or _("Defects by kind (Pareto)")
    if not rows:
        return _empty(title, "pareto")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(r.count for r in rows)
    slot = plot_w / len(rows)
    bar_w = slot * 0.7

    def y_count(count: float) -> float:
        return TOP + plot_h * (1 - count / top)

    def y_pct(pct: float) -> float:
        return TOP + plot_h * (1 - pct / 100)

    parts = _open(title, "pareto")
    for level in (0, 0.5, 1):
        y = y_count(top * level)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="{TEXT}">'
            f"{top * level:.4g}</text>"
        )
    for pct in (0, 50, 100):
        parts.append(
            f'<text x="{WIDTH - RIGHT + 4}" y="{y_pct(pct) + 4:.1f}" font-size="10" fill="{TEXT}">{pct}%</text>'
        )
    # xgettext:no-python-format
    eighty = escape(_("80 % of the defects"))
    parts.append(
        f'<line class="eighty" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_pct(80):.1f}" y2="{y_pct(80):.1f}" '
        f'stroke="{RED}" stroke-dasharray="4 3"><title>{eighty}</title></line>'
    )
    line = []
    for i, row in enumerate(rows):
        x = LEFT + i * slot + (slot - bar_w) / 2
        centre = LEFT + (i + 0.5) * slot
        tip = _("%(kind)s: %(count)s (%(percent).1f %%, cumulative %(cumulative).1f %%)") % {
            "kind": row.category,
            "count": f"{row.count:.6g}",
            "percent": row.percent,
            "cumulative": row.cumulative,
        }
        colour = GREY if row.is_other else BLUE
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y_count(row.count):.1f}" width="{bar_w:.1f}" '
            f'height="{TOP + plot_h - y_count(row.count):.1f}" fill="{colour}">'
            f"<title>{escape(tip)}</title></rect>"
            f'<text class="count" x="{centre:.1f}" y="{y_count(row.count) - 3:.1f}" text-anchor="middle" '
            f'font-size="10" fill="{TEXT}">{row.count:.6g}</text>'
            f'<text class="label" x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(_short(row.category, slot - 4))}<title>{escape(row.category)}</title></text>'
        )
        line.append((centre, y_pct(row.cumulative), row))
    parts.append(
        f'<polyline class="cumulative" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y, _r in line)}" '
        f'fill="none" stroke="#e08a1e" stroke-width="2"/>'
    )
    for x, y, row in line:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#e08a1e">'
            f"<title>{escape(f'{row.cumulative:.1f} %')}</title></circle>"
        )
    parts.append(_legend([(BLUE, _("Count")), ("#e08a1e", _("Cumulative %")), (RED, "80 %")]))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _legend(items: list[tuple[str, str]], height: int = HEIGHT) -> str:
    out, x = [], float(LEFT)
    for colour, label in items:
        out.append(
            f'<rect x="{x:.0f}" y="{height - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="{height - 7}" font-size="11" fill="{TEXT}">{escape(str(label))}</text>'
        )
        x += 28 + _width(str(label))
    return "".join(out)


def control_svg(
    chart: ControlChart,
    *,
    title: str,
    percent: bool = False,
    axis: Sequence[str] | None = None,
    spec: tuple[float, float, float] | None = None,
    values: Sequence[Sequence[float]] | None = None,
    height: int = HEIGHT,
) -> SafeString:
    """The chart's points joined in order; centre, UCL and LCL (dashed red); points out of control in
    red, each with a tooltip saying its value, limits and which rule fired. For a measured
    characteristic also (`spec` = lower limit, nominal, upper limit) the specification limits as
    solid orange lines and the nominal dotted, and (`values`, per point) the single values as small
    grey dots, those outside the specification orange. `axis` labels the points under the axis
    (their labels by default)."""
    points = chart.points[-MAX_POINTS:]
    if not points:
        return _empty(title, "control", height)
    axis = list(axis)[-MAX_POINTS:] if axis is not None else [_axis(p.label) for p in points]
    singles = [list(v) for v in values][-MAX_POINTS:] if values is not None else []
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    scale = [p.value for p in points] + [p.ucl for p in points] + [p.lcl for p in points] + [chart.centre]
    scale += [v for group in singles for v in group] + ([spec[0], spec[2]] if spec else [])
    low, high = min(scale), max(scale)
    span = (high - low) or (abs(high) or 1.0)
    low, high = low - span * 0.08, high + span * 0.08
    if percent or chart.kind in ("p", "r"):
        low = max(low, 0.0)  # a share or a range is never below 0
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step if len(points) > 1 else LEFT + plot_w / 2

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    centre_tip = _("Centre line %(value)s") % {"value": _fmt(chart.centre, percent)}
    parts = _open(title, "control", height)
    for level in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="10" fill="{TEXT}">'
            f"{escape(_fmt(level, percent))}</text>"
        )
    if spec:
        parts.append(_spec_lines(spec, y))
    parts.append(
        f'<line class="centre" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(chart.centre):.1f}" '
        f'y2="{y(chart.centre):.1f}" stroke="#2a9d5c" stroke-width="1.5">'
        f"<title>{escape(centre_tip)}</title></line>"
        f'<text x="{WIDTH - RIGHT + 3}" y="{y(chart.centre) + 4:.1f}" font-size="10" fill="#2a9d5c">CL</text>'
    )
    for name, limit in (("UCL", [p.ucl for p in points]), ("LCL", [p.lcl for p in points])):
        parts.append(_limit_line(name, limit, x, y, percent))
    for i, group in enumerate(singles):
        parts.extend(_single(x(i), y(v), v, spec) for v in group)
    parts.append(
        f'<polyline class="series" points="{" ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))}" '
        f'fill="none" stroke="{BLUE}" stroke-width="1.5"/>'
    )
    every = _every(axis, step)
    for i, point in enumerate(points):
        rules = [
            r
            for r, fired in (
                (_("beyond a control limit"), point.beyond),
                (_("9 in a row on one side"), point.run),
            )
            if fired
        ]
        tip = f"{point.label}: {_fmt(point.value, percent)} (UCL {_fmt(point.ucl, percent)}, LCL {_fmt(point.lcl, percent)})"
        if point.size is not None and percent:
            tip += " · " + _("n = %(n)s") % {"n": point.size}
        if rules:
            tip += " · " + "; ".join(rules)
        css = "point signal" if point.out_of_control else "point"
        # Beyond a limit is red, a run (only) purple: the point to act on stands out of the run.
        colour = RED if point.beyond else PURPLE if point.run else BLUE
        parts.append(
            f'<circle class="{css}" cx="{x(i):.1f}" cy="{y(point.value):.1f}" r="{4 if rules else 3}" '
            f'fill="{colour}"><title>{escape(tip)}</title></circle>'
        )
        if i % every == 0:
            parts.append(
                f'<text class="label" x="{x(i):.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="10" fill="{TEXT}">{escape(_short(axis[i], 60))}</text>'
            )
    legend = [(RED, _("Beyond a limit")), (PURPLE, _("Run of 9 on one side"))]
    if spec:
        legend.append((ORANGE, _("Specification limits")))
    else:
        legend.insert(0, (BLUE, _("In control")))
    if singles:
        legend.append((GREY, _("Single values")))
    parts.append(_legend(legend, height))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _spec_lines(spec: tuple[float, float, float], y) -> str:
    """The specification: lower and upper limit solid orange, named at the right end inside the
    plot (the control limits are named outside it); the nominal dotted grey, named at the left."""
    lsl, nominal, usl = spec
    out = []
    for css, name, value, colour, dash, end in (
        ("usl", "USL", usl, ORANGE, "", True),
        ("lsl", "LSL", lsl, ORANGE, "", True),
        ("nominal", _("Nominal"), nominal, GREY, ' stroke-dasharray="1 3"', False),
    ):
        label = f"{name} {value:.6g}"
        at = f'x="{WIDTH - RIGHT - 3}" text-anchor="end"' if end else f'x="{LEFT + 3}"'
        out.append(
            f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="1.5"{dash}><title>{escape(label)}</title></line>'
            f'<text {at} y="{y(value) - 3:.1f}" font-size="10" fill="{colour}">{escape(label)}</text>'
        )
    return "".join(out)


def _single(cx: float, cy: float, value: float, spec) -> str:
    off = spec is not None and not spec[0] <= value <= spec[2]
    tip = f"{value:.6g}"
    if off:
        tip += " · " + _("outside the specification (%(low)s – %(high)s)") % {
            "low": f"{spec[0]:.6g}",
            "high": f"{spec[2]:.6g}",
        }
    css, colour, radius = ("value off-spec", ORANGE, 3.5) if off else ("value", GREY, 1.8)
    return (
        f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{colour}">'
        f"<title>{escape(tip)}</title></circle>"
    )


def _limit_line(name: str, limits: list[float], x, y, percent: bool) -> str:
    """A limit as a dashed line, stepped where it changes from one point to the next."""
    coords = []
    for i, value in enumerate(limits):
        half = (x(1) - x(0)) / 2 if len(limits) > 1 else 0
        coords += [
            f"{max(x(i) - half, LEFT):.1f},{y(value):.1f}",
            f"{min(x(i) + half, WIDTH - RIGHT):.1f},{y(value):.1f}",
        ]
    if len(limits) == 1:
        coords = [f"{LEFT},{y(limits[0]):.1f}", f"{WIDTH - RIGHT},{y(limits[0]):.1f}"]
    label = f"{name} {_fmt(limits[-1], percent)}"
    return (
        f'<polyline class="{name.lower()}" points="{" ".join(coords)}" fill="none" stroke="{RED}" '
        f'stroke-dasharray="5 3"><title>{escape(label)}</title></polyline>'
        f'<text x="{WIDTH - RIGHT + 3}" y="{y(limits[-1]) + 4:.1f}" font-size="10" fill="{RED}">{name}</text>'
    )


def fpy_svg(points: Sequence[tuple[str, float | None]], *, title: str | None = None) -> SafeString:
    """(period's label, FPY 0–1 or None), oldest first, on a 0–100 % scale."""
    title = title or _("First-pass yield by week")
    points = list(points)[-MAX_POINTS:]
    if not any(v is not None for _l, v in points):
        return _empty(title, "fpy")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    low = min(0.8, min(v for _l, v in points if v is not None))  # 80–100 % is where yields live

    def x(i: int) -> float:
        return LEFT + i * step if len(points) > 1 else LEFT + plot_w / 2

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (1 - low or 1))

    parts = _open(title, "fpy")
    for level in (low, (low + 1) / 2, 1.0):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 4}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="10" fill="{TEXT}">'
            f"{level * 100:.0f}%</text>"
        )
    run: list[str] = []
    for i, (_label, value) in enumerate([*points, ("", None)]):
        if value is not None:
            run.append(f"{x(i):.1f},{y(value):.1f}")
        elif run:
            parts.append(
                f'<polyline class="series" points="{" ".join(run)}" fill="none" stroke="{BLUE}" stroke-width="2"/>'
            )
            run = []
    every = _every([lb for lb, _v in points], step)
    for i, (label, value) in enumerate(points):
        if i % every == 0:
            parts.append(
                f'<text class="label" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="10" fill="{TEXT}">{escape(_short(_axis(label), 60))}</text>'
            )
        if value is None:
            continue
        parts.append(
            f'<circle class="point" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{BLUE}">'
            f"<title>{escape(f'{label}: {value * 100:.1f} %')}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
