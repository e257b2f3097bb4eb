"""The quality records page (R-4.2): per product, supplier, work centre and period, the defect
Pareto, the acceptance rate and p chart of incoming lots, the lots passed and defects found in
process and final inspection with the X̄-R chart of a measured characteristic (chosen on the page;
htmx redraws only the chart, `?part=xbar`), the scrap Pareto, first-pass yield and scrap per
product of the shop floor, as pictures read at a glance; and the Excel sheet of each record list
behind them and of the chart's data. Quality and management read it (RECORDS_PERMISSION); a bad
filter is a 400 naming the field, never a 500. Thin: read the form, call the selector, draw,
render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .charts import control_svg, fpy_svg, pareto_svg
from .exports_records import LISTS, records_workbook
from .forms_records import CHART_FIELDS, RecordFilterForm
from .selectors_records import may_read_records, quality_records
from .selectors_spc import MAX_SUBGROUPS, MeasuredChart, measured_chart

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
    context = {
        "title": _("Quality records"),
        "form": form,
        "filter_fields": [form[name] for name in form.fields if name not in CHART_FIELDS],
        "chart_fields": [form[name] for name in CHART_FIELDS],
        "lists": _lists(),
    }
    if not form.is_valid():
        return render(request, "quality/records.html", context, status=400)
    f = form.record_filter()
    chart = measured_chart(user=request.user, f=f)
    context |= _chart_context(request, chart)
    if request.htmx and request.GET.get("part") == "xbar":
        # Only the chart is redrawn; the address bar keeps the page's own address.
        response = render(request, "quality/records_xbar.html", context)
        response["HX-Push-Url"] = f"{request.path}?{_query(request)}"
        return response
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
            "process_defect_chart": pareto_svg(
                figures.process_defects, title=_("Defects found in process and final inspection (Pareto)")
            ),
            "process_pass_rate": pct(figures.process_pass_rate),
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
    """The page's filters for its export links (without a `list` or a `part` of its own)."""
    query = request.GET.copy()
    query.pop("list", None)
    query.pop("part", None)
    return query.urlencode()


def _chart_context(request, chart: MeasuredChart) -> dict:
    """The X̄-R chart drawn, what its card says, and the filters its own form carries along."""
    keep = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in (*CHART_FIELDS, "part", "list")
        for value in values
    ]
    context: dict = {"m": chart, "keep": keep, "max_subgroups": MAX_SUBGROUPS, "xbar_chart": None}
    context["shown_subgroup"] = str(chart.n) if chart.in_a_row else ""
    chosen = [("characteristic", chart.item.pk)] if chart.item else []
    if chart.in_a_row:
        chosen.append(("subgroup", chart.n))
    context["xbar_query"] = urlencode([*keep, *chosen])
    if chart.xbar is None or chart.r is None:
        return context
    axis = [g.axis for g in chart.groups]
    name = chart.item.characteristic if chart.item else ""
    context["xbar_chart"] = control_svg(
        chart.xbar,
        title=_("X̄ chart of %(item)s: the mean of each subgroup") % {"item": name},
        axis=axis,
        spec=chart.spec,
        values=[g.values for g in chart.groups],
    )
    context["r_chart"] = control_svg(
        chart.r,
        title=_("R chart of %(item)s: the range of each subgroup") % {"item": name},
        axis=axis,
        height=190,
    )
    cap = chart.capability
    context["cp"] = f"{cap.cp:.2f}" if cap and cap.cp is not None else "—"
    context["cpk"] = f"{cap.cpk:.2f}" if cap and cap.cpk is not None else "—"
    both = [*chart.xbar.points, *chart.r.points]
    context["beyond"] = sum(p.beyond for p in both)
    context["runs"] = sum(p.run and not p.beyond for p in both)
    return context


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _num(value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _lists() -> list[tuple[str, str]]:
    return [
        ("defects", _("Defects found")),
        ("lots", _("Lots inspected")),
        ("process", _("In-process and final inspections")),
        ("reports", _("Production reports")),
    ]


@login_required
@require_GET
def records_export(request):
    """?list=defects|lots|process|reports|xbar and the page's filters: that record list (xbar: the
    X̄-R chart's subgroups, values and limits) as an Excel sheet."""
    form = _form(request)
    kind = request.GET.get("list", "")
    if kind not in LISTS:
        return HttpResponseBadRequest(
            _("Choose a list to export: defects, lots, process, reports or xbar."), content_type=TEXT
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
