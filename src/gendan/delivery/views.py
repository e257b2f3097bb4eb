"""The delivery pages: the shipment list (filters, Excel), a shipment (its actions by status and
role, PDFs, the signed receipt), an order's delivery panel with the form to arrange a shipment.
Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.accounts.roles import can_see
from gendan.core.excel.export import write_report
from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import attachment_response
from gendan.masterdata.models import DeliveryAddress
from gendan.orders.choices import OrderStatus

from . import forms, services, services_pod
from .choices import SHIPPABLE_ORDER_STATES, ShipmentStatus
from .filters import ShipmentFilter
from .models import Shipment
from .pdf import delivery_note_pdf, packing_list_pdf
from .selectors import arrangeable_lines, delivery_panel, order_for, proof_for, shipment_for, shipment_list

VIEW = "delivery.view_shipment"
S = ShipmentStatus


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _say(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc))


def _say_form(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _shipment(request, pk) -> Shipment:
    _need(request, VIEW)
    found = shipment_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def shipment_list_view(request):
    _need(request, VIEW)
    filterset = ShipmentFilter(request.GET, queryset=shipment_list(user=request.user))
    if request.GET and not filterset.is_valid():
        return HttpResponse(_("Bad filter."), status=400)
    rows = filterset.qs.order_by("-planned_at", "-pk")
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "delivery/list.html", {"title": _("Shipments"), "filter": filterset, "page": page})


def _export(rows) -> FileResponse:
    headers = [
        _("Shipment"),
        _("Order number"),
        _("Customer"),
        _("Status"),
        _("Delivery method"),
        _("Planned time"),
        _("Lines"),
        _("Carrier"),
        _("Tracking number"),
        _("Shipped at"),
        _("Delivered at"),
    ]

    def lines():
        for s in rows:
            yield [
                s.number,
                s.order.number,
                str(s.order.customer),
                s.get_status_display(),
                s.get_method_display(),
                s.planned_at,
                "; ".join(f"{x.order_line.line_no}: {services.fmt(x.quantity)}" for x in s.lines.all()),
                s.carrier,
                s.tracking_number,
                s.shipped_at,
                s.delivered_at,
            ]

    out = write_report(_("Shipments"), headers, lines())
    return FileResponse(out, as_attachment=True, filename="shipments.xlsx")


@login_required
@require_GET
def detail(request, pk):
    shipment = _shipment(request, pk)
    allowed = Shipment.objects.allowed_actions(
        request.user, shipment, ["confirm", "cancel", "ship", "deliver"]
    )
    status = shipment.status
    context = {
        "title": shipment.number,
        "shipment": shipment,
        "lines": list(shipment.lines.select_related("order_line__product").order_by("order_line__line_no")),
        "proof": proof_for(user=request.user, shipment=shipment),
        "confirm_form": forms.ConfirmForm() if status == S.DRAFT and "confirm" in allowed else None,
        "ship_form": forms.ShipForm() if status in (S.DRAFT, S.CONFIRMED) and "ship" in allowed else None,
        "cancel_form": forms.CancelForm()
        if status in (S.DRAFT, S.CONFIRMED) and "cancel" in allowed
        else None,
        "proof_form": forms.ProofForm() if status == S.SHIPPED and "deliver" in allowed else None,
        "moves": shipment.status in (S.SHIPPED, S.DELIVERED),
        "show_contact": can_see(request.user, "delivery_contact"),
    }
    return render(request, "delivery/detail.html", context)


def _post(request, pk, form_class, run, action: str):
    shipment = _shipment(request, pk)
    if not Shipment.objects.allows(request.user, shipment, action):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        _say_form(request, form)
    else:
        try:
            run(shipment, form.cleaned_data)
            messages.success(request, _("Saved."))
        except (ValidationError, WorkflowConflict) as exc:
            _say(request, exc)
    return redirect("delivery:detail", pk=shipment.pk)


@login_required
@require_POST
def confirm(request, pk):
    return _post(
        request,
        pk,
        forms.ConfirmForm,
        lambda s, d: services.shipment_confirm(actor=request.user, shipment_id=s.pk, **d),
        "confirm",
    )


@login_required
@require_POST
def ship(request, pk):
    return _post(
        request,
        pk,
        forms.ShipForm,
        lambda s, d: services.shipment_ship(actor=request.user, shipment_id=s.pk, **d),
        "ship",
    )


@login_required
@require_POST
def cancel(request, pk):
    return _post(
        request,
        pk,
        forms.CancelForm,
        lambda s, d: services.shipment_cancel(actor=request.user, shipment_id=s.pk, **d),
        "cancel",
    )


@login_required
@require_POST
def deliver(request, pk):
    def run(s, d):
        received = {
            int(k[9:]): v for k, v in request.POST.items() if k.startswith("received_") and k[9:].isdigit()
        }
        damaged = {
            int(k[8:]): v for k, v in request.POST.items() if k.startswith("damaged_") and k[8:].isdigit()
        }
        services_pod.delivery_record(
            actor=request.user,
            shipment_id=s.pk,
            upload=d["file"],
            signed_by=d["signed_by"],
            signed_at=d["signed_at"],
            note=d["note"],
            received=received,
            damaged=damaged,
        )

    return _post(request, pk, forms.ProofForm, run, "deliver")


@login_required
@require_GET
def receipt(request, pk):
    shipment = _shipment(request, pk)
    proof = proof_for(user=request.user, shipment=shipment)
    if proof is None:
        raise Http404
    return attachment_response(proof.file, proof.original_name)


def _pdf(request, pk, render_fn, name):
    shipment = _shipment(request, pk)
    url = request.build_absolute_uri(reverse("delivery:detail", args=[shipment.pk]))
    data = render_fn(shipment, url=url, lang=translation.get_language() or "zh-hans")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{shipment.number}.pdf"'
    return response


@login_required
@require_GET
def packing_list(request, pk):
    return _pdf(request, pk, packing_list_pdf, "packing-list")


@login_required
@require_GET
def delivery_note(request, pk):
    return _pdf(request, pk, delivery_note_pdf, "delivery-note")


@login_required
def order(request, pk):
    """An order's delivery panel (whoever sees the order; its shipments as he may see them); its
    merchandiser arranges a shipment here (POST)."""
    found = order_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    may_arrange = (
        found.status in SHIPPABLE_ORDER_STATES
        and request.user.has_perm("delivery.add_shipment")
        and (request.user.is_admin or found.merchandiser_id == request.user.pk)
    )
    addresses = list(DeliveryAddress.objects.filter(customer_id=found.customer_id, is_archived=False))
    form = forms.ShipmentForm(addresses=addresses)
    if request.method == "POST":
        if not may_arrange:
            raise PermissionDenied
        form = forms.ShipmentForm(request.POST, addresses=addresses)
        if not form.is_valid():
            _say_form(request, form)
        else:
            lines = [(k[4:], v) for k, v in request.POST.items() if k.startswith("qty_") and k[4:].isdigit()]
            try:
                shipment = services.shipment_create(
                    actor=request.user, order=found, lines=lines, **form.cleaned_data
                )
            except (ValidationError, WorkflowConflict) as exc:
                _say(request, exc)
            else:
                messages.success(request, _("Shipment %(number)s arranged.") % {"number": shipment.number})
                return redirect("delivery:detail", pk=shipment.pk)
    elif request.method != "GET":
        return HttpResponse(status=405)
    may_close = (
        found.status in (OrderStatus.DELIVERED, OrderStatus.SHIPPED)
        and request.user.has_perm("orders.change_order")
        and (request.user.is_admin or found.merchandiser_id == request.user.pk)
        and services_pod.close_refusal(found) is None
    )
    context = {
        "title": _("Delivery of %(number)s") % {"number": found.number},
        "order": found,
        "panel": delivery_panel(user=request.user, order=found),
        "arrange": arrangeable_lines(found) if may_arrange else None,
        "form": form,
        "may_close": may_close,
        "closes_short": may_close and found.status == OrderStatus.SHIPPED,
    }
    return render(request, "delivery/order.html", context)


@login_required
@require_POST
def close(request, pk):
    found = order_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    try:
        services_pod.order_close(actor=request.user, order_id=found.pk)
        messages.success(request, _("Order %(number)s closed.") % {"number": found.number})
    except (ValidationError, WorkflowConflict) as exc:
        _say(request, exc)
    return redirect("delivery:order", pk=found.pk)


# What each page serves, for the whole-site permission probe.
for _view in (shipment_list_view, detail, receipt, packing_list, delivery_note):
    _view.probe_model, _view.probe_read = "delivery.Shipment", "view"  # type: ignore[attr-defined]
for _view, _action in ((confirm, "confirm"), (ship, "ship"), (cancel, "cancel"), (deliver, "deliver")):
    _view.probe_model, _view.probe_write = "delivery.Shipment", _action  # type: ignore[attr-defined]
order.probe_model, order.probe_read, order.probe_write = "orders.Order", "view", "add"  # type: ignore[attr-defined]
close.probe_model, close.probe_write = "orders.Order", "change"  # type: ignore[attr-defined]
