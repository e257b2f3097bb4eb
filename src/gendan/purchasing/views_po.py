"""Purchase order pages (R-3.3, R-3.5): the PO list, approved plan lines to order, a PO with its
lines, confirmations, changes and receipts and the buttons its reader's role allows, its PDF, the
open PO lines with late and at-risk flags (and their Excel export), and the supplier confirmation
sheet's import. Thin: read a selector, call a service, render; every change is a POST, and a
refusal becomes a message on the page the user came from."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core import services as core_services
from gendan.core.crud import xlsx_response
from gendan.core.excel.limits import ImportLimits
from gendan.core.exceptions import WorkflowConflict
from gendan.core.fieldaccess import hidden_fields
from gendan.core.forms import ImportForm

from .choices import PO_LINE_OPEN_STATES, POStatus
from .exports_po import open_lines_report
from .filters_po import OpenLineFilter, POFilter
from .forms_po import ChangeForm, ConfirmForm, CreateForm, POHeaderForm, ReasonForm, SendForm
from .imports_po import CONFIRMATIONS
from .models import PurchaseOrder, PurchaseOrderLine
from .pdf_po import po_pdf
from .selectors_po import at_risk_days, open_line_list, plan_lines_to_order, po_detail, po_list
from .services import po as services

PER_PAGE = 50
EXPORT_MAX_ROWS = 50_000


def _may(user, action: str) -> bool:
    return PurchaseOrder.objects.all().role_allows(user, action)


def _require(user, action: str) -> None:
    if not _may(user, action):
        raise PermissionDenied


def _show_prices(user) -> bool:
    return "unit_price" not in hidden_fields(user, PurchaseOrderLine)


def _page(request, qs):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
@require_GET
def po_list_view(request):
    _require(request.user, "view")
    filterset = POFilter(request.GET or None, queryset=PurchaseOrder.objects.none(), request=request)
    valid = not request.GET or filterset.is_valid()
    qs = po_list(user=request.user, filters=request.GET if valid else {}, request=request)
    page, query = _page(request, qs)
    return render(
        request,
        "purchasing/po_list.html",
        {
            "title": _("Purchase orders"),
            "filter": filterset,
            "page": page,
            "query": query,
            "may_add": _may(request.user, "add"),
        },
    )


def _open_lines(request):
    """The open PO lines the user may read, filtered as asked (the page and its export alike)."""
    if not PurchaseOrderLine.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    filterset = OpenLineFilter(
        request.GET or None, queryset=PurchaseOrderLine.objects.none(), request=request
    )
    valid = not request.GET or filterset.is_valid()
    return filterset, open_line_list(user=request.user, filters=request.GET if valid else {}, request=request)


@login_required
@require_GET
def po_lines_view(request):
    filterset, qs = _open_lines(request)
    page, query = _page(request, qs)
    return render(
        request,
        "purchasing/po_lines.html",
        {
            "title": _("Open PO lines"),
            "filter": filterset,
            "page": page,
            "query": query,
            "show_prices": _show_prices(request.user),
            "risk_days": at_risk_days(),
            "may_confirm": _may(request.user, "confirm"),
        },
    )


@login_required
@require_GET
def po_lines_export(request):
    _filterset, qs = _open_lines(request)
    if qs.count() > EXPORT_MAX_ROWS:
        messages.error(request, _("Too many lines to export; narrow the filters."))
        return redirect("purchasing:po_lines")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        open_lines_report(user=request.user, lines=qs),
        as_attachment=True,
        filename=f"open-po-lines-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_http_methods(["GET", "POST"])
def po_new(request):
    """Approved plan lines not yet ordered; the chosen ones become one draft PO per supplier."""
    _require(request.user, "add")
    lines = list(plan_lines_to_order(user=request.user)[:500])
    form = CreateForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.po_create_from_plan_lines(
                    actor=request.user, line_ids=form.cleaned_data["line_ids"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Purchase orders drafted: %(numbers)s.")
                    % {"numbers": ", ".join(po.number for po in made)},
                )
                return (
                    redirect("purchasing:po_detail", pk=made[0].pk)
                    if len(made) == 1
                    else redirect("purchasing:po_list")
                )
        else:
            messages.error(request, _("Choose at least one approved plan line."))
    return render(
        request,
        "purchasing/po_new.html",
        {"title": _("Order approved plan lines"), "lines": lines, "show_prices": _show_prices(request.user)},
    )


def _po(request, pk) -> PurchaseOrder:
    try:
        return po_detail(user=request.user, pk=pk)
    except PurchaseOrder.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def po_detail_view(request, pk):
    po = _po(request, pk)
    allowed = PurchaseOrder.objects.allowed_actions(request.user, po, ["change", "send", "confirm"])
    show_prices = _show_prices(request.user)
    editable = po.status == POStatus.DRAFT and "change" in allowed
    lines = list(po.lines.all())
    for line in lines:
        # One set of forms per line: the fields' ids stay unique on the page.
        line.confirm_form = ConfirmForm(auto_id=f"id_l{line.pk}_confirm_%s")
        line.change_form = ChangeForm(show_prices=show_prices, auto_id=f"id_l{line.pk}_change_%s")
        line.reason_form = ReasonForm(auto_id=f"id_l{line.pk}_cancel_%s")
        line.is_open = line.status in PO_LINE_OPEN_STATES and po.status in (
            POStatus.DRAFT,
            POStatus.SENT,
            POStatus.CONFIRMED,
        )
    return render(
        request,
        "purchasing/po_detail.html",
        {
            "title": po.number,
            "po": po,
            "lines": lines,
            "show_prices": show_prices,
            "may_change": "change" in allowed
            and po.status in (POStatus.DRAFT, POStatus.SENT, POStatus.CONFIRMED),
            "may_send": "send" in allowed and po.status == POStatus.DRAFT,
            "may_confirm": "confirm" in allowed and po.status in (POStatus.SENT, POStatus.CONFIRMED),
            "may_close": "change" in allowed and po.status in (POStatus.SENT, POStatus.CONFIRMED),
            "header_form": POHeaderForm(instance=po) if editable else None,
            "reason_form": ReasonForm(),
            "cancel_form": ReasonForm(auto_id="id_cancel_%s"),
            "send_form": SendForm(),
        },
    )


@login_required
@require_GET
def po_pdf_view(request, pk):
    po = _po(request, pk)
    lang = (
        "en" if request.GET.get("lang") == "en" else ("zh-hans" if request.GET.get("lang") else po.language)
    )
    url = request.build_absolute_uri(f"/purchasing/po/{po.pk}/")
    data = po_pdf(po, show_prices=_show_prices(request.user), lang=lang, url=url)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{po.number}.pdf"'
    return response


def po_action(action: str):
    """POST only, logged in, on a PO the user may see (404 otherwise); his role must allow the
    action at all (403); the service decides the rest. Back to the PO's page."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            po = _po(request, pk)
            _require(request.user, action)
            try:
                message = func(request, po)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("purchasing:po_detail", pk=po.pk)

        guarded = login_required(require_POST(view))
        guarded.probe_model = PurchaseOrder
        guarded.probe_write = action
        return guarded

    return decorate


def _cleaned(form) -> dict:
    """The form's cleaned data, or its errors (each under its field's label) for po_action to say."""
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(
        [
            f"{form.fields[name].label if name in form.fields else ''}: {m}".lstrip(": ")
            for name, errors in form.errors.items()
            for m in errors
        ]
    )


def _line(request, po) -> PurchaseOrderLine:
    try:
        line_id = int(request.POST.get("line", ""))
    except ValueError:
        raise ValidationError(_("Choose a line of this purchase order.")) from None
    line = next((x for x in po.lines.all() if x.pk == line_id), None)
    if line is None:
        raise ValidationError(_("Choose a line of this purchase order."))
    return line


@po_action("change")
def po_edit_view(request, po):
    data = _cleaned(POHeaderForm(request.POST, instance=PurchaseOrder.objects.get(pk=po.pk)))
    services.po_edit(actor=request.user, po=po, **{name: data[name] for name in services.HEADER_FIELDS})
    return _("Purchase order %(number)s saved.") % {"number": po.number}


@po_action("send")
def po_send_view(request, po):
    data = _cleaned(SendForm(request.POST))
    po = services.po_send(actor=request.user, po=po, by_hand=data["by_hand"], note=data["note"])
    if "@" in po.sent_to:
        return _("Purchase order %(number)s is being e-mailed to %(to)s.") % {
            "number": po.number,
            "to": po.sent_to,
        }
    return _("Purchase order %(number)s marked as sent.") % {"number": po.number}


@po_action("confirm")
def po_confirm_view(request, po):
    line = _line(request, po)
    data = _cleaned(ConfirmForm(request.POST))
    services.po_line_confirm(actor=request.user, line=line.pk, **data)
    return _("Confirmation of line %(line)s recorded.") % {"line": line.position}


@po_action("change")
def po_change_view(request, po):
    line = _line(request, po)
    data = _cleaned(ChangeForm(request.POST, show_prices=_show_prices(request.user)))
    services.po_line_change(actor=request.user, line=line.pk, **data)
    return _("Change of line %(line)s recorded.") % {"line": line.position}


@po_action("change")
def po_line_cancel_view(request, po):
    line = _line(request, po)
    data = _cleaned(ReasonForm(request.POST))
    services.po_line_cancel(actor=request.user, line=line.pk, reason=data["reason"])
    return _("Line %(line)s cancelled.") % {"line": line.position}


@po_action("change")
def po_cancel_view(request, po):
    data = _cleaned(ReasonForm(request.POST))
    services.po_cancel(actor=request.user, po=po.pk, reason=data["reason"])
    return _("Purchase order %(number)s cancelled.") % {"number": po.number}


@po_action("change")
def po_close_view(request, po):
    data = _cleaned(ReasonForm(request.POST))
    services.po_close(actor=request.user, po=po.pk, reason=data["reason"])
    return _("Purchase order %(number)s closed.") % {"number": po.number}


@login_required
@require_http_methods(["GET", "POST"])
def confirmations_import(request):
    _require(request.user, "confirm")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = core_services.import_job_start(
                actor=request.user,
                spec_key=CONFIRMATIONS.key,
                upload=form.cleaned_data["file"],
                list_url="/purchasing/po-lines/",
            )
            return redirect("core:import_job", pk=job.pk)
        except ValidationError as exc:
            form.add_error("file", exc)
    return render(
        request,
        "purchasing/po_import.html",
        {
            "title": _("Import supplier confirmations"),
            "form": form,
            "limits": ImportLimits.current().as_context(),
        },
    )


@login_required
@require_GET
def confirmations_template(request):
    _require(request.user, "confirm")
    return xlsx_response(CONFIRMATIONS.template(), "supplier-confirmations-template.xlsx")


# The kind of record each page serves, for the whole-site permission probe.
po_list_view.probe_model = po_detail_view.probe_model = po_pdf_view.probe_model = PurchaseOrder  # type: ignore[attr-defined]
po_list_view.probe_read = po_detail_view.probe_read = po_pdf_view.probe_read = "view"  # type: ignore[attr-defined]
po_lines_view.probe_model = po_lines_export.probe_model = PurchaseOrderLine  # type: ignore[attr-defined]
po_lines_view.probe_read = po_lines_export.probe_read = "view"  # type: ignore[attr-defined]
po_new.probe_model = PurchaseOrder  # type: ignore[attr-defined]
po_new.probe_read = po_new.probe_write = "add"  # type: ignore[attr-defined]
confirmations_import.probe_model = confirmations_template.probe_model = PurchaseOrder  # type: ignore[attr-defined]
confirmations_import.probe_read = confirmations_template.probe_read = "confirm"  # type: ignore[attr-defined]
confirmations_import.probe_write = "confirm"  # type: ignore[attr-defined]
