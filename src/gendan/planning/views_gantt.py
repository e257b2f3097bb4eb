"""The Gantt of the schedule in force (R-2.3): by work centre or by order, a window of days, lanes
paged. Bad parameters are a 400 with a message, never a server error."""

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .gantt import MAX_DAYS, gantt_svg
from .gantt_rows import VIEWS, window_in_force


class BadParameter(ValueError):
    pass


def _int(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name) from None
    if not low <= value <= high:
        raise BadParameter(name)
    return value


def gantt_params(request) -> tuple[str, dt.date, int, int]:
    view = request.GET.get("view") or "centre"
    if view not in VIEWS:
        raise BadParameter("view")
    today = timezone.localdate()
    raw = request.GET.get("start", "")
    try:
        start = dt.date.fromisoformat(raw) if raw else today - dt.timedelta(days=1)
    except ValueError:
        raise BadParameter("start") from None
    if abs((start - today).days) > 3660:
        raise BadParameter("start")
    days = _int(request, "days", 14, 1, MAX_DAYS)
    page = _int(request, "page", 1, 1, 10_000)
    return view, start, days, page


@login_required
@permission_required("planning.view_plan", raise_exception=True)
def gantt(request):
    try:
        view, start, days, page = gantt_params(request)
    except BadParameter as exc:
        return HttpResponseBadRequest(
            _("Bad value for %(name)s.") % {"name": exc.args[0]}, content_type="text/plain; charset=utf-8"
        )
    window = window_in_force(user=request.user, view=view, start=start, days=days, page=page)
    svg = gantt_svg(
        lanes=window.lanes,
        bars=window.bars,
        start=window.start,
        end=window.end,
        now=timezone.now(),
        title=_("Schedule in force"),
    )
    step = dt.timedelta(days=days)
    context = {
        "window": window,
        "svg": svg,
        "view": view,
        "days": days,
        "start": start,
        "earlier": (start - step).isoformat(),
        "later": (start + step).isoformat(),
        "day_choices": (7, 14, 28, 56, 91),
        "page_range": range(1, window.pages + 1) if window.pages <= 30 else None,
    }
    return render(request, "planning/gantt.html", context)
