"""The Gantt chart (R-2.3): an SVG drawn by our code from plain rows, no script and no library.

Lanes are work centres or orders; each bar runs from its start to its end inside the visible
window, with a tooltip (`<title>`) that says what it is. A today line, day or week ticks, late bars
in red. Two layers compare schedules in one lane: the schedule in force in grey above, a proposal
in colour below. Bounded: at most `MAX_LANES` lanes and `MAX_BARS` bars are drawn (callers page
the lanes), and bars are clipped to the window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

MAX_LANES = 60
MAX_BARS = 4000
MAX_DAYS = 92
WIDTH = 1100
LABEL_WIDTH = 190
LANE_HEIGHT = 26
HEAD_HEIGHT = 34

COLOURS = {"main": "#3b7dd8", "in_force": "#b8bec7", "proposal": "#2e9d6a", "late": "#d64545"}


@dataclass(frozen=True)
class Bar:
    lane: str  # the lane's key
    start: dt.datetime
    end: dt.datetime
    title: str  # the tooltip: what, where, when
    label: str = ""  # a few characters written on the bar when it is wide enough
    late: bool = False
    layer: str = "main"  # "main", or "in_force" / "proposal" when two schedules are compared


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    late: bool = False


def _x(moment: dt.datetime, start: dt.datetime, minutes: float, span: float) -> float:
    return LABEL_WIDTH + span * (moment - start).total_seconds() / 60 / minutes


def gantt_svg(
    *,
    lanes: list[Lane],
    bars: list[Bar],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
    title: str = "",
) -> SafeString:
    """The chart of `bars` on `lanes` between `start` and `end` (naive or aware, as long as all
    datetimes are the same kind)."""
    if end <= start:
        end = start + dt.timedelta(days=1)
    end = min(end, start + dt.timedelta(days=MAX_DAYS))
    lanes = lanes[:MAX_LANES]
    row = {lane.key: i for i, lane in enumerate(lanes)}
    minutes = (end - start).total_seconds() / 60
    span = WIDTH - LABEL_WIDTH - 8
    height = HEAD_HEIGHT + LANE_HEIGHT * max(1, len(lanes)) + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label={quoteattr(title or "Gantt")} font-size="11" '
        f'font-family="sans-serif">'
    ]
    # lanes: a light band every other row, the label on the left
    for i, lane in enumerate(lanes):
        y = HEAD_HEIGHT + i * LANE_HEIGHT
        if i % 2:
            out.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{LANE_HEIGHT}" fill="#f4f6f9"/>')
        colour = COLOURS["late"] if lane.late else "#222"
        out.append(
            f'<text x="4" y="{y + LANE_HEIGHT / 2 + 4:.1f}" fill="{colour}">'
            f"<title>{escape(lane.label)}</title>{escape(lane.label[:28])}</text>"
        )
    # ticks: each day when the window is short, each Monday otherwise
    days = (end - start).days or 1
    step_weekly = days > 31
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        if day >= start and (not step_weekly or day.weekday() == 0):
            x = _x(day, start, minutes, span)
            out.append(
                f'<line x1="{x:.1f}" y1="{HEAD_HEIGHT - 6}" x2="{x:.1f}" y2="{height}" stroke="#dde2e8"/>'
            )
            text = day.strftime("%m-%d") if step_weekly or days <= 16 or day.day % 2 else ""
            if text:
                out.append(f'<text x="{x + 2:.1f}" y="{HEAD_HEIGHT - 10}" fill="#555">{text}</text>')
        day += dt.timedelta(days=1)
    # bars, clipped to the window; two layers share a lane (in force above, proposal below)
    drawn = 0
    for bar in bars:
        if drawn >= MAX_BARS:
            break
        i = row.get(bar.lane)
        if i is None or bar.end <= start or bar.start >= end:
            continue
        x1 = _x(max(bar.start, start), start, minutes, span)
        x2 = _x(min(bar.end, end), start, minutes, span)
        top, h = HEAD_HEIGHT + i * LANE_HEIGHT + 4, LANE_HEIGHT - 8
        if bar.layer == "in_force":
            h = h / 2
        elif bar.layer == "proposal":
            top, h = top + h / 2, h / 2
        fill = (
            COLOURS["late"]
            if bar.late and bar.layer != "in_force"
            else COLOURS.get(bar.layer, COLOURS["main"])
        )
        width = max(x2 - x1, 1.5)
        out.append(
            f'<g class="bar{" late" if bar.late else ""}"><title>{escape(bar.title)}</title>'
            f'<rect x="{x1:.1f}" y="{top:.1f}" width="{width:.1f}" height="{h:.1f}" rx="2" fill="{fill}"/>'
        )
        if bar.label and width > 7 * len(bar.label) and bar.layer == "main":
            out.append(f'<text x="{x1 + 3:.1f}" y="{top + h - 5:.1f}" fill="#fff">{escape(bar.label)}</text>')
        out.append("</g>")
        drawn += 1
    if now is not None and start <= now <= end:
        x = _x(now, start, minutes, span)
        out.append(
            f'<line class="today" x1="{x:.1f}" y1="{HEAD_HEIGHT - 8}" x2="{x:.1f}" y2="{height}" stroke="#e08a00" stroke-width="2"/>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text in it went through escape()/quoteattr()
