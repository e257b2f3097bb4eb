"""Receiving's pages (R-3.6): "receive goods" (find the open PO line by PO number or material, enter
what arrived; made for a phone in the goods-in bay), the receipts list and one receipt. Thin: read a
selector, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.core.exceptions import WorkflowConflict

from .filters_receiving import ReceiptFilter
from .forms_receiving import ReceiveForm
from .models import Receipt
from .selectors_receiving import receipt_detail, receipt_list, receivable_lines
from .services.common import num
from .services.receiving import allowed_max, receipt_create

PER_PAGE = 50


def _errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _posted_line(request):
    try:
        pk = int(request.POST.get("line", ""))
    except ValueError:
        return None
    if not 0 < pk < 2**31:
        return None
    return receivable_lines(user=request.user).filter(pk=pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def receive(request):
    """Find the open line, enter what arrived: the goods then wait for incoming inspection."""
    if not Receipt.objects.all().role_allows(request.user, "add"):
        raise PermissionDenied
    search = (request.GET.get("q") or request.POST.get("q") or "").strip()[:60]
    posted, status = None, 200
    if request.method == "POST":
        line = _posted_line(request)
        posted = ReceiveForm(request.POST, line=line)
        if posted.is_valid():
            if line is None:
                raise Http404
            try:
                receipt = receipt_create(
                    actor=request.user,
                    line=line,
                    quantity=posted.cleaned_data["quantity"],
                    warehouse=posted.cleaned_data["warehouse"],
                    delivery_note=posted.cleaned_data["delivery_note"],
                    lot_no=posted.cleaned_data["lot_no"],
                    case=posted.cleaned_data.get("case"),
                )
            except (ValidationError, WorkflowConflict) as exc:
                if isinstance(exc, WorkflowConflict):
                    posted.add_error(None, str(exc))
                else:
                    _errors(posted, exc)
            else:
                messages.success(
                    request,
                    _("Received %(qty)s as %(number)s: the goods wait for incoming inspection.")
                    % {"qty": num(receipt.quantity), "number": receipt.number},
                )
                return redirect("receiving:receipt_detail", pk=receipt.pk)
        status = 400
    lines = list(receivable_lines(user=request.user, search=search)[:30]) if search else []
    for line in lines:
        line.max_now = allowed_max(open_qty=line.open_qty, tolerance_pct=line.tolerance_pct)
        if posted is not None and str(posted.data.get("line")) == str(line.pk):
            line.form = posted
        else:
            line.form = ReceiveForm(
                initial={"line": line.pk, "warehouse": line.order.warehouse_id}, line=line
            )
    return render(
        request,
        "purchasing/receipt_receive.html",
        {"title": _("Receive goods"), "q": search, "lines": lines, "posted": posted},
        status=status,
    )


@login_required
@require_GET
def receipts(request):
    if not Receipt.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    filterset = ReceiptFilter(request.GET or None, queryset=Receipt.objects.none())
    rows = receipt_list(user=request.user, filters=request.GET if filterset.is_valid() else None)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "purchasing/receipt_list.html",
        {
            "title": _("Goods receipts"),
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_receive": Receipt.objects.all().role_allows(request.user, "add"),
        },
    )


@login_required
@require_GET
def receipt(request, pk):
    try:
        obj = receipt_detail(user=request.user, pk=pk)
    except Receipt.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "purchasing/receipt_detail.html",
        {
            "title": _("Goods receipt %(number)s") % {"number": obj.number},
            "receipt": obj,
            "cases": obj.cases.all(),
        },
    )


# What each page serves, for the whole-site permission probe.
receive.probe_model = receipts.probe_model = receipt.probe_model = Receipt  # type: ignore[attr-defined]
receive.probe_write = "add"  # type: ignore[attr-defined]
receipts.probe_read = receipt.probe_read = "view"  # type: ignore[attr-defined]
