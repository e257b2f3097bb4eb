"""Shop-floor pages: the scrap reasons' master list, the QR code's landing, the phone report form,
the desktop grid of a work centre's day, an order's progress with its reports, the report list and
the job traveller PDF. Thin: parse, call a selector or a service, render."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.crud import Col, EntityViews
from gendan.core.exceptions import WorkflowConflict
from gendan.masterdata.models import WorkCentre
from gendan.orders.models import Order

from . import forms, services
from .choices import ReportChannel
from .filters import ReportFilter, ScrapReasonFilter
from .models import ProductionReport, ScrapReason
from .selectors import daily_rows, operation_list, order_progress, report_list
from .services import passed_on, placement_in_force, shift_now
from .tokens import operation_from_token
from .traveller import traveller_print


class ScrapReasonViews(EntityViews):
    model, namespace, slug = ScrapReason, "shopfloor", "scrapreason"
    form_class, filterset_class = forms.ScrapReasonForm, ScrapReasonFilter
    columns = [
        Col("code", gettext_lazy("Code"), "code", link=True),
        Col("local_name", gettext_lazy("Name"), "name"),
        Col("name_en", gettext_lazy("English name"), "name_en"),
    ]


scrap_reasons = ScrapReasonViews()
ALL = [scrap_reasons]


def serves(model: str, action: str | None = None):
    """Names the record a page serves and the action a POST to it needs (the permission probe)."""

    def mark(view):
        view.probe_model, view.probe_action = model, action
        return view

    return mark


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _form_errors(form, exc: ValidationError) -> None:
    for field, errs in _errors(exc).items():
        for err in errs:
            form.add_error(field if field in form.fields else None, err)


# ---------------------------------------------------------------- the QR code and the phone form


@serves("planning.OrderOperation")
@login_required
@require_GET
def scan(request, token):
    """A traveller's QR code: the operation's report form, or a clear refusal (400) for a code that
    is forged, damaged or printed by another factory's Gendan."""
    operation_id = operation_from_token(token)
    if operation_id is None:
        return render(request, "shopfloor/bad_code.html", {"title": _("Unknown code")}, status=400)
    operation = get_object_or_404(operation_list(user=request.user), pk=operation_id)
    return redirect("shopfloor:report", pk=operation.pk)


@serves("planning.OrderOperation", "report")
@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """The phone's report form for one operation, filled with what is known."""
    operation = get_object_or_404(
        operation_list(user=request.user).select_related("order__customer", "product", "work_centre"), pk=pk
    )
    may_report = request.user.has_perm("shopfloor.add_productionreport")
    if request.method == "POST" and not may_report:
        raise PermissionDenied
    placement = placement_in_force(operation)
    work_centre_id = operation.work_centre_id or (placement.work_centre_id if placement else None)
    supervisor = request.user.has_perm("shopfloor.allow_over_report")
    shift = shift_now(work_centre_id)
    initial = {"shift": shift.pk if shift else None, "people": 1, "work_date": timezone.localdate()}
    form = forms.PhoneReportForm(
        request.POST or None, initial=initial, work_centre_id=work_centre_id, supervisor=supervisor
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.report_create(
                actor=request.user,
                channel=ReportChannel.PHONE,
                operation_id=operation.pk,
                work_date=data["work_date"],
                good_qty=data["good_qty"],
                scrap_qty=data["scrap_qty"],
                scrap_reason_id=data["scrap_reason"].pk if data["scrap_reason"] else None,
                hours=data["hours"],
                people=data["people"],
                shift_id=data["shift"].pk if data["shift"] else None,
                finished=data["finished"],
                remarks=data["remarks"],
                allow_over=data.get("allow_over", False),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except (WorkflowConflict, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Saved: %(good)s good, %(scrap)s scrap for %(op)s.")
                % {
                    "good": saved.good_qty.normalize(),
                    "scrap": saved.scrap_qty.normalize(),
                    "op": operation.name,
                },
            )
            return redirect("shopfloor:report", pk=operation.pk)
    operation.refresh_from_db(fields=["good_qty", "scrap_qty", "hours", "status"])
    context = {
        "title": _("Report %(op)s") % {"op": operation.name},
        "operation": operation,
        "order": operation.order,
        "work_centre": WorkCentre.objects.filter(pk=work_centre_id).first(),
        "placement": placement,
        "form": form if may_report else None,
        "limit": passed_on(operation),
        "recent": report_list(user=request.user).filter(operation=operation)[:5],
    }
    return render(request, "shopfloor/report.html", context)


# ---------------------------------------------------------------- the desktop grid


def _grid_params(request):
    centres = WorkCentre.objects.filter(is_archived=False).order_by("code")
    centre = None
    raw = request.GET.get("work_centre", "")
    if raw:
        centre = centres.filter(pk=int(raw) if raw.isdigit() and len(raw) < 19 else 0).first()
    try:
        day = dt.date.fromisoformat(request.GET.get("date", "")[:10])
    except ValueError:
        day = timezone.localdate()
    return centres, centre, day


@login_required
@permission_required("shopfloor.add_productionreport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def daily(request):
    """A whole work centre's day at once: one row per operation, one POST, nothing saved unless
    every row is right."""
    centres, centre, day = _grid_params(request)
    ops = daily_rows(user=request.user, work_centre_id=centre.pk, day=day) if centre else []
    reasons = list(ScrapReason.objects.filter(is_archived=False).order_by("code"))
    reason_qs = ScrapReason.objects.filter(is_archived=False)
    rows = [
        {"op": op, "form": forms.GridRowForm(request.POST or None, prefix=f"op{op.pk}", reasons=reason_qs)}
        for op in ops
    ]
    problems: list[str] = []
    if request.method == "POST" and centre:
        inputs, entered = [], []
        for row in rows:
            form = row["form"]
            if not form.is_valid():
                problems += [_row_problem(row["op"], form, f, e) for f, es in form.errors.items() for e in es]
                continue
            if form.is_blank():
                continue
            data = form.cleaned_data
            entered.append(row)
            inputs.append(
                services.ReportInput(
                    operation_id=row["op"].pk,
                    work_date=day,
                    good_qty=data["good_qty"],
                    scrap_qty=data["scrap_qty"],
                    scrap_reason_id=data["scrap_reason"].pk if data["scrap_reason"] else None,
                    hours=data["hours"],
                    people=data["people"] or 1,
                    finished=data["finished"],
                    remarks=data["remarks"],
                )
            )
        if not problems and not inputs:
            problems.append(_("Nothing entered."))
        if not problems:
            try:
                saved = services.reports_create(actor=request.user, rows=inputs)
            except services.RowErrors as exc:
                for index, errs in exc.errors.items():
                    row = entered[index]
                    for field, msgs in errs.items():
                        for msg in msgs:
                            if field in row["form"].fields:
                                row["form"].add_error(field, msg)
                            problems.append(_row_problem(row["op"], row["form"], field, msg))
            else:
                messages.success(request, _("%(n)s reports saved.") % {"n": len(saved)})
                return redirect(
                    f"{reverse('shopfloor:daily')}?work_centre={centre.pk}&date={day.isoformat()}"
                )
    context = {
        "title": _("Daily reports"),
        "centres": centres,
        "centre": centre,
        "day": day,
        "rows": rows,
        "reasons": reasons,
        "problems": problems,
    }
    return render(request, "shopfloor/daily.html", context)


def _row_problem(op, form, field: str, message: str) -> str:
    label = form.fields[field].label if field in form.fields else _("operation")
    return _("%(order)s / %(seq)s %(op)s, %(field)s: %(message)s") % {
        "order": op.order.number,
        "seq": op.sequence,
        "op": op.name,
        "field": label,
        "message": message,
    }


# ---------------------------------------------------------------- an order's progress, the lists


def _order(request, pk) -> Order:
    return get_object_or_404(Order.objects.all().restrict(request.user, "view"), pk=pk)


@serves("orders.Order")
@login_required
@require_GET
def order_reports(request, pk):
    """An order's operations, planned against actual, and its reports with the reverse button."""
    order = _order(request, pk)
    if not request.user.has_perm("shopfloor.view_productionreport"):
        raise PermissionDenied
    context = {
        "title": _("Shop floor of %(number)s") % {"number": order.number},
        "order": order,
        "rows": order_progress(user=request.user, order=order),
        "reports": report_list(user=request.user).filter(operation__order=order)[:200],
        "may_reverse": request.user.has_perm("shopfloor.add_productionreport"),
        "reversed_ids": set(
            ProductionReport.objects.filter(operation__order=order, reverses__isnull=False).values_list(
                "reverses_id", flat=True
            )
        ),
        "reverse_form": forms.ReverseForm(),
    }
    return render(request, "shopfloor/order.html", context)


@login_required
@permission_required("shopfloor.view_productionreport", raise_exception=True)
@require_GET
def reports(request):
    filterset = ReportFilter(request.GET or None, queryset=ProductionReport.objects.none(), request=request)
    if request.GET and not filterset.is_valid():
        qs = ProductionReport.objects.none()
    else:
        qs = report_list(user=request.user, filters=request.GET, request=request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("Daily production reports"),
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "shopfloor/reports.html", context)


@serves("shopfloor.ProductionReport", "reverse")
@login_required
@require_POST
def reverse_report(request, pk):
    found = get_object_or_404(report_list(user=request.user), pk=pk)
    if not request.user.has_perm("shopfloor.add_productionreport"):
        raise PermissionDenied
    form = forms.ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is reversed."))
    else:
        try:
            services.report_reverse(
                actor=request.user, report_id=found.pk, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, WorkflowConflict) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The report was reversed."))
    return redirect("shopfloor:order", pk=found.operation.order_id)


@serves("orders.Order", "view")
@login_required
@require_POST
def traveller(request, pk):
    """The job traveller PDF (Chinese; English with lang=en). Printing it is recorded on the order."""
    order = _order(request, pk)
    if not request.user.has_perm("planning.view_plan"):
        raise PermissionDenied
    lang = "en" if request.POST.get("lang") == "en" else "zh-hans"
    site = getattr(settings, "GENDAN_SITE_URL", "").rstrip("/")

    def url_for(token: str) -> str:
        path = reverse("shopfloor_scan:scan", kwargs={"token": token})
        return f"{site}{path}" if site else request.build_absolute_uri(path)

    data = traveller_print(actor=request.user, order=order, url_for=url_for, lang=lang)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}-traveller-{lang[:2]}.pdf"'
    return response


__all__ = ["ALL", "Http404"]
