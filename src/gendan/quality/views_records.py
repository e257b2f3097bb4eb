"""The quality records page (R-4.2): per product, supplier, work centre and period, the defect
Pareto, the acceptance rate and p chart of incoming lots, the scrap Pareto, first-pass yield and
scrap per product of the shop floor, as pictures read at a glance; and the Excel sheet of each
record list behind them. Quality and management read it (RECORDS_PERMISSION); a bad filter is a
400 naming the field, never a 500. Thin: read the form, call the selector, draw, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .charts import control_svg, fpy_svg, pareto_svg
from .exports_records import LISTS, records_workbook
from .forms_records import RecordFilterForm
from .selectors_records import may_read_records, quality_records

TEXT = "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request) -> RecordFilterForm:
    if not may_read_records(request.user):
        raise PermissionDenied
    return RecordFilterForm(request.GET or {"period": "quarter"})


@login_required
@require_GET
def records(request):
    form = _form(request)
    context = {"title": _("Quality records"), "form": form, "lists": _lists()}
    if not form.is_valid():
        return render(request, "quality/records.html", context, status=400)
    f = form.record_filter()
    figures = quality_records(user=request.user, f=f)
    context.update(
        {
            "f": f,
            "r": figures,
            "query": _query(request),
            "defect_chart": pareto_svg(figures.defects, title=_("Incoming defects by kind (Pareto)")),
            "acceptance_chart": fpy_svg(figures.acceptance, title=_("Lots accepted by week")),
            "p_chart": control_svg(
                figures.p_chart,
                title=_("Nonconforming share of sampled units by week (p chart)"),
                percent=True,
            )
            if figures.p_chart
            else None,
            "scrap_chart": pareto_svg(figures.scrap_reasons, title=_("Scrap by reason (Pareto)")),
            "fpy_chart": fpy_svg(figures.fpy_weeks, title=_("First-pass yield by week")),
            "acceptance_rate": pct(figures.acceptance_rate),
            "fpy_total": pct(figures.fpy_total),
            "centres": [(y.key, _num(y.started), _num(y.good), pct(y.fpy)) for y in figures.fpy_centres],
            "products": [
                (p.code, p.name, " × ".join(f"{s.key} {pct(s.fpy)}" for s in p.steps), pct(p.rty))
                for p in figures.products
            ],
        }
    )
    return render(request, "quality/records.html", context)


def _query(request) -> str:
    """The page's filters for its export links (without a `list` of its own)."""
    query = request.GET.copy()
    query.pop("list", None)
    return query.urlencode()


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _num(value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _lists() -> list[tuple[str, str]]:
    return [
        ("defects", _("Defects found")),
        ("lots", _("Lots inspected")),
        ("reports", _("Production reports")),
    ]


@login_required
@require_GET
def records_export(request):
    """?list=defects|lots|reports and the page's filters: that record list as an Excel sheet."""
    form = _form(request)
    kind = request.GET.get("list", "")
    if kind not in LISTS:
        return HttpResponseBadRequest(
            _("Choose a list to export: defects, lots or reports."), content_type=TEXT
        )
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}"
            for k, v in form.errors.items()
        )
        return HttpResponseBadRequest(errors, content_type=TEXT)
    f = form.record_filter()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        records_workbook(kind, user=request.user, f=f),
        as_attachment=True,
        filename=f"quality-{kind}-{f.key}-{stamp}.xlsx",
        content_type=XLSX,
    )
