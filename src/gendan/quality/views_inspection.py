"""Incoming inspection's pages (R-3.6): the queue of receipts waiting, the inspections list, one
inspection (its sampling plan shown before anything is counted, the defects, the photos, the
decision) and its POST buttons. Thin: read a selector, call a service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import attachment_response
from gendan.purchasing.models import Receipt

from . import services
from .choices import Severity
from .filters import InspectionFilter
from .forms import CompleteForm, DefectForm, PhotoForm
from .models import Inspection, InspectionPhoto
from .selectors import inspection_detail, inspection_list, inspection_queue, switching_for

PER_PAGE = 50


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _may(user, action: str) -> bool:
    return Inspection.objects.all().role_allows(user, action)


@login_required
@require_GET
def queue(request):
    """The receipts waiting in inspection, each with the sampling plan it would get now."""
    if not _may(request.user, "view"):
        raise PermissionDenied
    rows = list(inspection_queue(user=request.user)[:200])
    for receipt in rows:
        started = getattr(receipt, "inspection", None) if hasattr(receipt, "inspection") else None
        receipt.started = started
        receipt.plan = None if started else _plan_or_none(receipt)
        if receipt.plan:  # the severity in the reader's language, not its stored value ("normal")
            receipt.plan["severity_label"] = Severity(receipt.plan["severity"]).label
    return render(
        request,
        "quality/queue.html",
        {
            "title": _("Incoming inspection"),
            "rows": rows,
            "may_inspect": _may(request.user, "add"),
            "may_resume": _may(request.user, "change"),
        },
    )


def _plan_or_none(receipt):
    try:
        return services.plan_for(receipt)
    except (ValueError, ValidationError):
        return None


@login_required
@require_POST
def resume(request):
    """Resume inspection of a supplier's material that was discontinued (POST receipt=<id>, the
    lot waiting, and reason)."""
    if not _may(request.user, "change"):
        raise PermissionDenied
    receipt_id = _int(request.POST.get("receipt"))
    if receipt_id is None:
        raise Http404
    receipt = get_object_or_404(
        Receipt.objects.restrict(request.user, "view").select_related("line__order"), pk=receipt_id
    )
    try:
        services.switching_resume(
            actor=request.user,
            supplier_id=receipt.line.order.supplier_id,
            material_id=receipt.line.material_id,
            reason=request.POST.get("reason", "")[:300],
        )
        messages.success(request, _("Inspection resumed, on tightened inspection."))
    except (ValidationError, WorkflowConflict) as exc:
        _messages(request, exc)
    return redirect("quality:queue")


@login_required
@require_GET
def inspections(request):
    if not _may(request.user, "view"):
        raise PermissionDenied
    filterset = InspectionFilter(request.GET or None, queryset=Inspection.objects.none(), request=request)
    rows = inspection_list(
        user=request.user, filters=request.GET if filterset.is_valid() else None, request=request
    )
    if request.GET and not filterset.is_valid():
        rows = rows.none()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/inspection_list.html",
        {"title": _("Incoming inspections"), "filter": filterset, "page": page, "query": query.urlencode()},
    )


def _inspection(request, pk) -> Inspection:
    try:
        return inspection_detail(user=request.user, pk=pk)
    except Inspection.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def inspection(request, pk):
    obj = _inspection(request, pk)
    may_change = obj.status == "in_progress" and _may(request.user, "change")
    return render(
        request,
        "quality/inspection_detail.html",
        {
            "title": _("Incoming inspection of %(number)s") % {"number": obj.receipt.number},
            "inspection": obj,
            "receipt": obj.receipt,
            "switching": switching_for(supplier_id=obj.supplier_id, material_id=obj.material_id),
            "may_change": may_change,
            "defect_form": DefectForm() if may_change else None,
            "photo_form": PhotoForm() if may_change else None,
            "complete_form": CompleteForm() if may_change else None,
        },
    )


def _messages(request, exc) -> None:
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for errs in errors.values():
            for message in errs:
                messages.error(request, message)
    else:
        messages.error(request, str(exc))


@login_required
@require_POST
def start(request):
    """Start inspecting a receipt (POST receipt=<id>): the sampling plan is fixed now."""
    if not _may(request.user, "add"):
        raise PermissionDenied
    receipt_id = _int(request.POST.get("receipt"))
    if receipt_id is None:
        raise Http404
    receipt = get_object_or_404(Receipt.objects.restrict(request.user, "view"), pk=receipt_id)
    try:
        started = services.inspection_start(actor=request.user, receipt_id=receipt.pk)
    except (ValidationError, WorkflowConflict) as exc:
        _messages(request, exc)
        return redirect("quality:queue")
    return redirect("quality:inspection_detail", pk=started.pk)


def inspection_action(func):
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
        return redirect("quality:inspection_detail", pk=obj.pk)

    guarded = login_required(require_POST(view))
    guarded.probe_model = Inspection
    guarded.probe_write = "change"
    return guarded


def _form_errors(form) -> ValidationError:
    return ValidationError({name: errs for name, errs in form.errors.items()})


@inspection_action
def defect_add(request, obj):
    form = DefectForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    services.inspection_defect_add(
        actor=request.user,
        inspection_id=obj.pk,
        code_id=data["code"].pk,
        count=data["count"],
        note=data["note"],
    )
    return _("Defect recorded.")


@inspection_action
def defect_remove(request, obj, defect_id):
    services.inspection_defect_remove(actor=request.user, inspection_id=obj.pk, defect_id=defect_id)
    return _("Defect removed.")


@inspection_action
def photo_add(request, obj):
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _form_errors(form)
    services.inspection_photo_add(actor=request.user, inspection_id=obj.pk, upload=form.cleaned_data["photo"])
    return _("Photo kept.")


@inspection_action
def complete(request, obj):
    form = CompleteForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    done = services.inspection_complete(actor=request.user, inspection_id=obj.pk, **form.cleaned_data)
    return _("Inspection completed: %(result)s.") % {"result": done.get_result_display()}


@login_required
@require_GET
def photo(request, pk, photo_id):
    """Photos are always downloaded, never shown inline (an uploaded file cannot run)."""
    obj = _inspection(request, pk)
    found = get_object_or_404(InspectionPhoto.objects.filter(inspection=obj), pk=photo_id)
    return attachment_response(found.file, found.original_name)


# What each page serves, for the whole-site permission probe.
queue.probe_model = inspections.probe_model = "quality.Inspection"  # type: ignore[attr-defined]
inspection.probe_model = photo.probe_model = Inspection  # type: ignore[attr-defined]
inspections.probe_read = inspection.probe_read = "view"  # type: ignore[attr-defined]
start.probe_model = resume.probe_model = Inspection  # type: ignore[attr-defined]
resume.probe_write = "change"  # type: ignore[attr-defined]
start.probe_write = "add"  # type: ignore[attr-defined]
