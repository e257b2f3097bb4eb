"""The KPI pages (R-7.1, R-7.2): the overview of every merchandiser one may see for a period, one
merchandiser's figures with the records behind each and his months' trend, the Excel sheet for HR,
and management's settings. A merchandiser sees only his own: another's page is a 404. Thin: read
the period, call the selector or the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.engine import kpi as engine
from gendan.engine.scorecard import Period, PeriodError, month, quarter, year

from .charts import trend_svg
from .exports import kpi_workbook
from .forms import KpiSettingsForm
from .labels import FIGURE_HELP, FIGURE_LABELS, REASONS, UNIT_LABELS, with_unit
from .models import KpiSettings
from .selectors import kpi_detail_and_trend, kpi_overview, may_read, merchandisers, read_period
from .services import current_values, engine_settings, kpi_settings_update

SHOWN = 200  # records listed under the chosen figure (all of them in the API)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _picker(period: Period) -> dict:
    today = timezone.localdate()
    this_q = quarter(today.year, (today.month - 1) // 3 + 1)
    choices = [
        (_("This month"), month(today.year, today.month).key),
        (_("Last month"), month(today.year, today.month).previous().key),
        (_("This quarter"), this_q.key),
        (_("Last quarter"), this_q.previous().key),
        (_("This year"), year(today.year).key),
        (_("Last year"), year(today.year - 1).key),
    ]
    nxt = period.next()
    return {
        "period": period,
        "choices": choices,
        "previous": period.previous().key if period.kind != "last12" else None,
        "next": nxt.key if period.kind != "last12" and nxt.start <= today else None,
    }


def _bad_period(request, template: str, **extra):
    text = request.GET.get("period", "")[:20]
    message = _(
        "The period “%(text)s” cannot be read: give a month (2026-03), a quarter (2026-Q1) or a year (2026)."
    ) % {"text": text}
    context = {"title": _("Merchandiser KPIs"), "period_error": message, "period_text": text, **extra}
    return render(request, template, context, status=400)


def _cell(figure: engine.Figure) -> dict:
    return {
        "code": figure.code,
        "text": with_unit(figure.value, figure.unit),
        "target": with_unit(figure.target, figure.unit) if figure.target is not None else "",
        "below": figure.met is False,
        "met": figure.met,
        "reason": REASONS.get(figure.reason or "", ""),
    }


def _need_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied


@login_required
@require_GET
def overview(request):
    _need_reader(request)
    try:
        period = read_period(request.GET.get("period"))
    except PeriodError:
        return _bad_period(request, "kpi/overview.html", rows=[])
    rows = kpi_overview(user=request.user, period=period)
    settings = engine_settings()
    return render(
        request,
        "kpi/overview.html",
        {
            "title": _("Merchandiser KPIs"),
            "rows": [(r.merchandiser, r.report, [_cell(f) for f in r.report.figures.values()]) for r in rows],
            "headers": [
                (FIGURE_LABELS[c], settings.target(c), UNIT_LABELS.get(u, u))
                for c, (u, _b) in engine.FIGURES.items()
            ],
            "may_configure": request.user.has_perm("kpi.view_kpisettings"),
            # The oldest figures shown: stored ones are up to a few minutes old (snapshots.py).
            "as_of": min((r.as_of for r in rows), default=None),
            **_picker(period),
        },
    )


@login_required
@require_GET
def export(request):
    _need_reader(request)
    try:
        period = read_period(request.GET.get("period"))
    except PeriodError:
        return _bad_period(request, "kpi/overview.html", rows=[])
    rows = kpi_overview(user=request.user, period=period)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        kpi_workbook(rows, period=period, settings=engine_settings()),
        as_attachment=True,
        filename=f"kpi-{period.key}-{stamp}.xlsx",
        content_type=XLSX,
    )


def _trend_charts(reports: list[engine.Report], code: str) -> dict:
    settings = engine_settings()
    unit, _better = engine.FIGURES[code]
    shown_unit = "%" if unit == "%" else ""
    score = trend_svg(
        [(r.period.key, r.score, None) for r in reports], title=_("Score by month"), top=engine.HUNDRED
    )
    figure = trend_svg(
        [(r.period.key, r.figures[code].value, r.figures[code].met) for r in reports],
        title=_("%(figure)s by month") % {"figure": FIGURE_LABELS[code]},
        unit=shown_unit,
        target=settings.target(code),
        top=engine.HUNDRED if unit == "%" else None,
    )
    return {"score_chart": score, "figure_chart": figure}


@login_required
@require_GET
def detail(request, user_id: int):
    _need_reader(request)
    person = get_object_or_404(merchandisers(request.user), pk=user_id)
    try:
        period = read_period(request.GET.get("period"))
    except PeriodError:
        return _bad_period(request, "kpi/detail.html", person=person)
    code = request.GET.get("figure") or "review_on_time"
    if code not in engine.FIGURES:
        context = {"title": str(person), "person": person, "figure_error": _("No such figure.")}
        return render(request, "kpi/detail.html", context | _picker(period), status=400)
    d, trend = kpi_detail_and_trend(merchandiser=person, period=period)
    report = d.report
    return render(
        request,
        "kpi/detail.html",
        {
            "title": _("KPIs of %(name)s") % {"name": person},
            "person": person,
            "report": report,
            "drills": [
                {
                    "label": FIGURE_LABELS[dr.figure.code],
                    "help": FIGURE_HELP[dr.figure.code],
                    "cell": _cell(dr.figure),
                    "points": dr.figure.points,
                    "weight": round(report.weights_used[dr.figure.code] * 100, 1)
                    if dr.figure.code in report.weights_used
                    else None,
                    "left_out": REASONS.get(report.left_out.get(dr.figure.code, ""), ""),
                    "counted": len(dr.figure.counted),
                    "missed": len(dr.figure.missed),
                    # The chosen figure's records (a year has thousands: one list at a time).
                    "lines": dr.lines[:SHOWN] if dr.figure.code == code else [],
                    "more": max(0, len(dr.lines) - SHOWN) if dr.figure.code == code else 0,
                    "chosen": dr.figure.code == code,
                    "duration": dr.kind in ("review", "release", "ack", "plan", "issue"),
                }
                for dr in d.drills
            ],
            "figure": code,
            "figure_choices": [(c, FIGURE_LABELS[c]) for c in engine.FIGURES],
            **_trend_charts(trend, code),
            **_picker(period),
        },
    )


@login_required
@permission_required("kpi.view_kpisettings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    values = current_values()
    may_change = request.user.has_perm("kpi.change_kpisettings")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = KpiSettingsForm(request.POST, values=values)
        if form.is_valid():
            try:
                kpi_settings_update(actor=request.user, **form.split())
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("KPI settings saved."))
                return redirect("kpi:settings")
        status = 400
    else:
        form, status = KpiSettingsForm(values=values), 200
    return render(
        request,
        "kpi/settings.html",
        {"title": _("KPI settings"), "form": form, "may_change": may_change},
        status=status,
    )


settings_page.probe_model = KpiSettings  # type: ignore[attr-defined]
settings_page.probe_read = "view"  # type: ignore[attr-defined]
settings_page.probe_write = "change"  # type: ignore[attr-defined]
detail.probe_fill = {  # type: ignore[attr-defined]
    "user_id": lambda: merchandisers_any().values_list("pk", flat=True).first()
}


def merchandisers_any():

    return User.objects.filter(role=Role.MERCHANDISER, is_active=True).order_by("pk")
