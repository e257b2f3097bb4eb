"""The warehouse's pages: orders waiting for material, an order's picking list (issue, return,
its finished goods in, the printed list) and the order lines whose finished goods wait to be
stocked in. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.models import Warehouse
from gendan.masterdata.models import Material

from . import forms, services
from .filters import FinishedFilter, IssueFilter
from .pdf import picking_pdf
from .selectors import (
    finished_list,
    issue_list,
    order_for,
    orders_to_pick,
    picking_list,
    waiting_to_stock_in,
)

VIEW_ISSUES = "stores.view_materialissue"
VIEW_FINISHED = "stores.view_finishedgoodsin"


def serves(model: str, read: str | None = None, write: str | None = None):
    """Names the record a page serves and what reading and posting to it need (the permission probe)."""

    def mark(view):
        view.probe_model, view.probe_read, view.probe_write = model, read, write
        return view

    return mark


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _order(request, pk):
    order = order_for(user=request.user, pk=pk)
    if order is None:
        raise Http404
    return order


def _say_form(request, form) -> None:
    """A form's errors as messages, each under its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _say(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc))


@serves("stores.MaterialIssue", read="view")
@login_required
@require_GET
def orders(request):
    _need(request, VIEW_ISSUES)
    q = request.GET.get("q", "")
    context = {"title": _("Material issue"), "rows": orders_to_pick(user=request.user, q=q), "q": q[:30]}
    return render(request, "stores/orders.html", context)


def _filtered(request, filter_class, qs):
    """A list through its filter set (the API's); a bad filter shows the form's errors and no rows."""
    filterset = filter_class(request.GET or None, queryset=qs, request=request)
    rows = qs.none() if request.GET and not filterset.is_valid() else filterset.qs
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query": query.urlencode()}


@serves("stores.MaterialIssue", read="view")
@login_required
@require_GET
def issues(request):
    """Every issue and return the user may see, newest first, filtered as in the API."""
    _need(request, VIEW_ISSUES)
    context = {
        "title": _("Issues and returns"),
        **_filtered(request, IssueFilter, issue_list(user=request.user)),
    }
    return render(request, "stores/issues.html", context)


@serves("orders.Order")
@login_required
@require_GET
def order(request, pk):
    """An order's picking list with the issue grid, its issues and returns, and its finished goods."""
    _need(request, VIEW_ISSUES)
    found = _order(request, pk)
    picking = picking_list(user=request.user, order=found)
    may_issue = request.user.has_perm("stores.add_materialissue")
    may_stock_in = request.user.has_perm("stores.add_finishedgoodsin")
    returnable = [row.material for row in picking.rows if row.issued > 0]
    context = {
        "title": _("Issued materials / finished goods in"),
        "order": found,
        "picking": picking,
        "may_issue": may_issue,
        "may_over": request.user.has_perm("stores.allow_over_issue"),
        "may_request": request.user.has_perm("stores.request_issue"),
        "may_stock_in": may_stock_in,
        "options": forms.IssueOptionsForm(),
        "return_form": forms.ReturnForm(materials=returnable) if returnable else None,
        "warehouses": Warehouse.objects.filter(is_archived=False).order_by("code"),
        "issues": issue_list(user=request.user).filter(order=found)[:200],
        "waiting": waiting_to_stock_in(user=request.user, order=found),
        "finished": finished_list(user=request.user).filter(order=found)[:200],
    }
    return render(request, "stores/order.html", context)


@serves("orders.Order")
@login_required
@require_GET
def order_pdf(request, pk):
    _need(request, VIEW_ISSUES)
    found = _order(request, pk)
    lang = "en" if request.GET.get("lang") == "en" else "zh-hans"
    data = picking_pdf(picking_list(user=request.user, order=found), lang=lang)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}-picking-{lang[:2]}.pdf"'
    return response


@serves("stores.MaterialIssue", write="add")
@login_required
@require_POST
def issue(request, pk):
    _need(request, "stores.add_materialissue")
    found = _order(request, pk)
    options = forms.IssueOptionsForm(request.POST)
    cells = forms.issue_cells(request.POST)
    materials = Material.objects.in_bulk([m for m, _w, _q in cells])
    warehouses = Warehouse.objects.in_bulk([w for _m, w, _q in cells])
    lines = [(materials[m], warehouses[w], q) for m, w, q in cells if m in materials and w in warehouses]
    if len(lines) != len(cells):
        messages.error(
            request, _("A row names a material or warehouse that does not exist; nothing was issued.")
        )
    elif not options.is_valid():
        messages.error(request, _("The note is too long; nothing was issued."))
    else:
        try:
            done = services.material_issue(
                actor=request.user,
                order=found,
                lines=lines,
                allow_over=options.cleaned_data["allow_over"],
                note=options.cleaned_data["note"],
            )
        except (ValidationError, WorkflowConflict) as exc:
            _say(request, exc)
        else:
            messages.success(
                request, _("%(n)s rows issued to %(order)s.") % {"n": len(done), "order": found.number}
            )
    return redirect("stores:order", pk=found.pk)


@serves("stores.MaterialIssue", write="add")
@login_required
@require_POST
def return_(request, pk):
    _need(request, "stores.add_materialissue")
    found = _order(request, pk)
    picking = picking_list(user=request.user, order=found)
    returnable = [row.material for row in picking.rows if row.issued > 0]
    form = forms.ReturnForm(request.POST, materials=returnable)
    if not form.is_valid():
        _say_form(request, form)
    else:
        data = form.cleaned_data
        material = next(m for m in returnable if m.pk == data["material"])
        try:
            services.material_return(
                actor=request.user,
                order=found,
                material=material,
                warehouse=data["warehouse"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("The material was taken back into stock."))
    return redirect("stores:order", pk=found.pk)


@serves("stores.MaterialIssue", write="request")
@login_required
@require_POST
def request_issue(request, pk):
    """Production asks the warehouse to issue the order's material (the keepers are told)."""
    _need(request, "stores.request_issue")
    found = _order(request, pk)
    form = forms.IssueOptionsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"note": _("At most 200 characters.")})
        services.issue_request(actor=request.user, order=found, note=form.cleaned_data["note"])
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The warehouse was asked to issue the material."))
    return redirect("stores:order", pk=found.pk)


@serves("stores.FinishedGoodsIn", write="add")
@login_required
@require_POST
def finished_in(request, pk):
    _need(request, "stores.add_finishedgoodsin")
    found = _order(request, pk)
    form = forms.FinishedGoodsForm(request.POST)
    if not form.is_valid():
        _say_form(request, form)
    else:
        data = form.cleaned_data
        line = found.lines.filter(pk=data["order_line"]).first()
        if line is None:
            messages.error(request, _("No such order line."))
        else:
            try:
                services.finished_goods_in(
                    actor=request.user,
                    order_line=line,
                    warehouse=data["warehouse"],
                    quantity=data["quantity"],
                )
            except ValidationError as exc:
                _say(request, exc)
            else:
                messages.success(request, _("The finished goods were stocked in."))
    back = request.POST.get("back")
    if back == "list":
        return redirect("stores:finished")
    return redirect(reverse("stores:order", args=[found.pk]))


@serves("stores.FinishedGoodsIn", write="add")
@login_required
@require_POST
def finished_reverse(request, pk):
    """Reverse a stock-in booked by mistake, with the reason; back to the page it was asked from."""
    _need(request, "stores.add_finishedgoodsin")
    try:
        record = services.finished_goods_reverse(
            actor=request.user, record_id=pk, reason=request.POST.get("reason", "")
        )
    except (ValidationError, WorkflowConflict) as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The stock-in was reversed: the goods left the stock."))
        if request.POST.get("back") == "order":
            return redirect("stores:order", pk=record.order_id)
    return redirect("stores:finished")


@serves("stores.FinishedGoodsIn", read="view")
@login_required
@require_GET
def finished(request):
    _need(request, VIEW_FINISHED)
    listed = _filtered(request, FinishedFilter, finished_list(user=request.user))
    context = {
        "title": _("Finished goods in"),
        "waiting": waiting_to_stock_in(user=request.user)[:200],
        "finished": listed["page"].object_list,
        **listed,
        "may_stock_in": request.user.has_perm("stores.add_finishedgoodsin"),
        "warehouses": Warehouse.objects.filter(is_archived=False).order_by("code"),
    }
    return render(request, "stores/finished.html", context)
