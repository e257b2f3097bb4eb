"""In-process and final inspection's pages (R-4.2): the inspector's queue (pending and in
progress, by kind), the list with filters, a task created by hand, and the inspection page made
for a phone on the shop floor (the plan's items beside the customer's quality requirements,
measurements, defects, photos, complete). Thin: read a selector, call a service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import attachment_response
from gendan.orders.models import OrderLine
from gendan.planning.models import OrderOperation

from . import services_process as services
from .choices import CharacteristicKind, ProcessKind, ProcessStatus
from .filters import ProcessInspectionFilter
from .forms import DefectForm, MeasurementForm, PhotoForm, ProcessCompleteForm, ProcessCreateForm
from .models_nc import Nonconformance
from .models_plans import InspectionPlan
from .models_process import ProcessInspection, ProcessPhoto
from .selectors_process import OPEN_ORDER_STATES, process_detail, process_list, process_queue
from .views_inspection import _form_errors, _messages

PER_PAGE = 50


def _may(user, action: str) -> bool:
    return ProcessInspection.objects.all().role_allows(user, action)


@login_required
@require_GET
def queue(request):
    if not _may(request.user, "view"):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    kind = kind if kind in ProcessKind.values else ""
    rows = list(process_queue(user=request.user, kind=kind)[:200])
    return render(
        request,
        "quality/process_queue.html",
        {
            "title": _("In-process and final inspection"),
            "rows": rows,
            "kind": kind,
            "kinds": ProcessKind.choices,
            "may_inspect": _may(request.user, "change"),
            "may_create": _may(request.user, "add"),
        },
    )


@login_required
@require_GET
def inspections(request):
    if not _may(request.user, "view"):
        raise PermissionDenied
    filterset = ProcessInspectionFilter(
        request.GET or None, queryset=ProcessInspection.objects.none(), request=request
    )
    rows = process_list(
        user=request.user, filters=request.GET if filterset.is_valid() else None, request=request
    )
    if request.GET and not filterset.is_valid():
        rows = rows.none()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/process_list.html",
        {
            "title": _("In-process and final inspections"),
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
        },
    )


def _choices(user):
    """The open order lines whose product has a plan, and their operations with a plan."""
    plans = InspectionPlan.objects.filter(is_archived=False)
    products = plans.values("product_id")
    lines = (
        OrderLine.objects.restrict(user, "view")
        .filter(is_cancelled=False, order__status__in=OPEN_ORDER_STATES, product_id__in=products)
        .select_related("order", "product")
        .order_by("order__number", "line_no")[:300]
    )
    ops = (
        OrderOperation.objects.filter(
            order_line__in=[line.pk for line in lines],
            routing_operation_id__in=plans.filter(routing_operation__isnull=False).values(
                "routing_operation_id"
            ),
        )
        .select_related("order")
        .order_by("order__number", "job_key", "sequence")
    )
    return (
        [(line.pk, f"{line.order.number}/{line.line_no} · {line.product.code}") for line in lines],
        [(op.pk, f"{op.order.number} · {op.sequence} {op.name}") for op in ops],
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not _may(request.user, "add"):
        raise PermissionDenied
    lines, operations = _choices(request.user)
    form = ProcessCreateForm(request.POST or None, lines=lines, operations=operations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.process_inspection_create(
                actor=request.user,
                kind=data["kind"],
                order_line_id=data["order_line"],
                operation_id=data["operation"],
                lot_quantity=data["lot_quantity"],
            )
            messages.success(request, _("Inspection task created."))
            return redirect("quality:process_detail", pk=made.pk)
        except ValidationError as exc:
            for field, errs in (
                exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            ).items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
    return render(request, "quality/process_form.html", {"title": _("New inspection task"), "form": form})


def _inspection(request, pk) -> ProcessInspection:
    try:
        return process_detail(user=request.user, pk=pk)
    except ProcessInspection.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def inspection(request, pk):
    obj = _inspection(request, pk)
    may_change = _may(request.user, "change")
    working = may_change and obj.status == ProcessStatus.IN_PROGRESS
    items = list(obj.plan.items.filter(is_archived=False))
    found: dict[int, list] = {}
    for m in obj.measurements.all():
        found.setdefault(m.item_id, []).append(m)
    for item in items:
        item.found = found.get(item.pk, [])
        item.to_check = min(item.sample_size(obj.lot_quantity), obj.sample_size) if obj.sample_size else None
        item.is_measured = item.kind == CharacteristicKind.MEASURED
        item.next_unit = (max((m.unit_no for m in item.found), default=0) % max(obj.sample_size, 1)) + 1
    return render(
        request,
        "quality/process_detail.html",
        {
            "title": str(obj),
            "inspection": obj,
            "line": obj.order_line,
            "items": items,
            "may_start": may_change and obj.status == ProcessStatus.PENDING,
            "working": working,
            "measure_form": MeasurementForm() if working else None,
            "defect_form": DefectForm() if working else None,
            "photo_form": PhotoForm() if working else None,
            "complete_form": ProcessCompleteForm() if working else None,
            # A failed lot leads on to what is done about it.
            "nonconformance": Nonconformance.objects.restrict(request.user, "view")
            .filter(inspection=obj)
            .first(),
        },
    )


def process_action(func):
    """POST only, on an inspection the user may see (404 otherwise) and may change (403); refusals
    become messages and he lands back on the inspection."""

    @wraps(func)
    def view(request, pk, **kwargs):
        obj = _inspection(request, pk)
        if not _may(request.user, "change"):
            raise PermissionDenied
        try:
            message = func(request, obj, **kwargs)
            if message:
                messages.success(request, message)
        except (ValidationError, WorkflowConflict) as exc:
            _messages(request, exc)
        return redirect("quality:process_detail", pk=obj.pk)

    guarded = login_required(require_POST(view))
    guarded.probe_model = ProcessInspection
    guarded.probe_write = "change"
    return guarded


@process_action
def start(request, obj):
    services.process_inspection_start(actor=request.user, inspection_id=obj.pk)
    return _("Inspection started.")


@process_action
def measure(request, obj):
    form = MeasurementForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    services.process_measurement_record(
        actor=request.user,
        inspection_id=obj.pk,
        item_id=data["item"],
        unit_no=data["unit_no"],
        value=data["value"],
        ok=data["ok"],
    )
    return _("Measurement recorded.")


@process_action
def defect_add(request, obj):
    form = DefectForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    services.process_defect_add(
        actor=request.user,
        inspection_id=obj.pk,
        code_id=data["code"].pk,
        count=data["count"],
        note=data["note"],
    )
    return _("Defect recorded.")


@process_action
def defect_remove(request, obj, defect_id):
    services.process_defect_remove(actor=request.user, inspection_id=obj.pk, defect_id=defect_id)
    return _("Defect removed.")


@process_action
def photo_add(request, obj):
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _form_errors(form)
    services.process_photo_add(actor=request.user, inspection_id=obj.pk, upload=form.cleaned_data["photo"])
    return _("Photo kept.")


@process_action
def complete(request, obj):
    form = ProcessCompleteForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    done = services.process_inspection_complete(actor=request.user, inspection_id=obj.pk, **form.cleaned_data)
    return _("Inspection completed: %(result)s.") % {"result": done.get_status_display()}


@login_required
@require_GET
def photo(request, pk, photo_id):
    """Photos are always downloaded, never shown inline (an uploaded file cannot run)."""
    obj = _inspection(request, pk)
    found = get_object_or_404(ProcessPhoto.objects.filter(inspection=obj), pk=photo_id)
    return attachment_response(found.file, found.original_name)


# What each page serves, for the whole-site permission probe.
queue.probe_model = inspections.probe_model = "quality.ProcessInspection"  # type: ignore[attr-defined]
inspection.probe_model = photo.probe_model = ProcessInspection  # type: ignore[attr-defined]
inspections.probe_read = inspection.probe_read = "view"  # type: ignore[attr-defined]
create.probe_model = ProcessInspection  # type: ignore[attr-defined]
create.probe_write = "add"  # type: ignore[attr-defined]
