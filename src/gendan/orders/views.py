"""Order pages: the list, the entry form, and the dossier (one page that tells an order's story)."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gendan.core.crud import Col, EntityViews, apply_errors
from gendan.core.fieldaccess import hidden_fields, redact_entries

from . import services
from .choices import ChangeStatus, OrderStatus
from .filters import OrderFilter, is_overdue
from .forms import (
    AnswerForm,
    AttachmentForm,
    ChangeRequestForm,
    ClarificationForm,
    OrderForm,
    OrderLineFormSet,
    ReasonForm,
)
from .imports import ORDER_IMPORT
from .models import Clarification, Order, OrderLine
from .selectors import (
    OrderActions,
    open_findings,
    order_dossier,
    order_history,
    order_list,
    order_report_rows,
    order_timeline,
)
from .services.changes import impact_text


class FirstDeliveryCol(Col):
    """The first delivery date, marked when it has passed and the order has not shipped."""

    def css(self, obj) -> str:
        return "badge danger" if is_overdue(obj.status, obj.first_delivery) else ""

    def value(self, obj):
        value = super().value(obj)
        if is_overdue(obj.status, obj.first_delivery):
            return _("%(date)s · overdue") % {"date": value}
        return value


class OrderViews(EntityViews):
    model, namespace, slug = Order, "orders", "order"
    filterset_class = OrderFilter
    form_class = OrderForm
    import_spec = ORDER_IMPORT
    actions = frozenset({"create", "edit"})
    default_sort = "-created_at"
    columns = [
        Col("number", gettext_lazy("Order number"), "number", link=True),
        Col("customer", gettext_lazy("Customer"), "customer__code", phone=True),
        Col("customer_po", gettext_lazy("Customer PO"), "customer_po"),
        Col("merchandiser", gettext_lazy("Merchandiser"), "merchandiser__username"),
        Col("status", gettext_lazy("Status"), "status", badge=True, phone=True),
        Col("priority", gettext_lazy("Priority"), "priority"),
        FirstDeliveryCol("first_delivery", gettext_lazy("First delivery"), "first_delivery", phone=True),
        Col("line_count", gettext_lazy("Lines"), "line_count", numeric=True),
        Col("received_on", pgettext_lazy("order", "Received"), "received_on"),
    ]

    # "Export": the list as filtered and sorted, with what a merchandiser reports on. Unit prices and
    # amounts are left out: no permission says yet which roles may see order prices.
    # "Export for re-import" is the import sheet (for those who may import).
    report_columns = [
        Col("number", gettext_lazy("Order number")),
        Col("customer.code", gettext_lazy("Customer code")),
        Col("customer.local_name", gettext_lazy("Customer name")),
        Col("customer_po", gettext_lazy("Customer PO")),
        Col("merchandiser", gettext_lazy("Merchandiser")),
        Col("status", gettext_lazy("Status")),
        Col("priority", gettext_lazy("Priority")),
        Col("received_via", gettext_lazy("Received via")),
        Col("received_on", gettext_lazy("Received on")),
        Col("first_delivery", gettext_lazy("First delivery")),
        Col(
            "overdue",
            gettext_lazy("Overdue"),
            get=lambda o: _("yes") if is_overdue(o.status, o.first_delivery) else "",
        ),
        Col("line_count", gettext_lazy("Lines")),
        Col("total_quantity", gettext_lazy("Total quantity"), get=lambda o: o.total_quantity),
        Col("reviewed_at", gettext_lazy("Reviewed at")),
        Col("released_at", gettext_lazy("Released at")),
        Col("version", gettext_lazy("Version")),
        Col(
            "unacknowledged",
            gettext_lazy("Acknowledgements missing"),
            get=lambda o: ", ".join(
                str(a.department) for a in o.unacknowledged if a.order_version == o.version
            ),
        ),
    ]

    def queryset(self, user, action="view"):
        qs = order_list(user=user, action=action)
        for prepare in _LIST_PREPARE:
            qs = prepare(qs)
        return qs

    def report(self, user, qs):
        return self.report_columns, order_report_rows(qs)

    def history(self, user, obj):
        return order_history(order=obj)

    # ------------------------------------------------------------- entry form

    def form_view(self, request, pk=None):
        order = None
        if pk is not None:
            self.require(request, "change")
            order = self.get_object(request, pk, "change")
            if not order.is_editable:
                messages.error(request, _("A released order changes only through change requests."))
                return redirect("orders:order_detail", pk=order.pk)
        else:
            self.require(request, "add")
        form = OrderForm(request.POST or None, request.FILES or None, instance=order, user=request.user)
        formset = OrderLineFormSet(request.POST or None, instance=order or Order(), prefix="lines")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("attachment", "hand_over")}
            lines = [
                {k: v for k, v in f.cleaned_data.items() if k not in ("id", "order", "DELETE")}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for number, line in enumerate(lines, start=1):
                line["line_no"] = number
            try:
                if order is None:
                    upload = form.cleaned_data.get("attachment")
                    saved = services.order_create(
                        actor=request.user, data=data, lines=lines, attachments=[upload] if upload else []
                    )
                    if not Order.objects.restrict(request.user, "view").filter(pk=saved.pk).exists():
                        # Handed over to another merchandiser: land where the user can go on.
                        messages.success(
                            request,
                            _("Order %(number)s was recorded as a draft and handed over to %(owner)s.")
                            % {"number": saved.number, "owner": saved.merchandiser or "—"},
                        )
                        return redirect("orders:order_list")
                    messages.success(
                        request, _("Order %(number)s was recorded as a draft.") % {"number": saved.number}
                    )
                else:
                    saved = services.order_update(
                        actor=request.user, order_id=order.pk, data=data, lines=lines
                    )
                    messages.success(request, _("Order %(number)s was saved.") % {"number": saved.number})
                return redirect("orders:order_detail", pk=saved.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
        context = self.base_context(request) | {"form": form, "formset": formset, "obj": order}
        return render(request, "orders/form.html", context)

    # ------------------------------------------------------------- dossier

    def detail_view(self, request, pk):
        self.require(request, "view")
        try:
            order = order_dossier(user=request.user, pk=pk)
        except Order.DoesNotExist:
            raise Http404 from None
        can = OrderActions(user=request.user, order=order)
        lines = list(order.lines.all())
        findings = list(order.findings.all())
        open_list = open_findings(order)
        versions = list(order.versions.all())
        version_rows = []
        hidden = {
            Order: hidden_fields(request.user, Order),
            OrderLine: hidden_fields(request.user, OrderLine),
        }
        for previous, current in zip(versions, versions[1:], strict=False):
            diff = services.version_diff(previous.data, current.data)
            diff = [row for row in diff if row["field"] not in hidden[OrderLine if row["line"] else Order]]
            for row in diff:
                row["label"] = _field_label(OrderLine if row["line"] else Order, row["field"])
            version_rows.append({"version": current, "diff": diff})
        changes = list(order.changes.all())
        clarifications = list(order.clarifications.all())
        for finding in [*findings, *(f for c in clarifications for f in c.findings.all())]:
            finding.shown_message = finding.message_for(request.user)
        context = self.base_context(request) | {
            "obj": order,
            "order": order,
            "lines": lines,
            "findings": findings,
            "open_findings": open_list,
            "clarifications": clarifications,
            "acks": list(order.acknowledgements.all()),
            "changes": [(c, [impact_text(i) for i in c.impact]) for c in changes],
            "pending_changes": [c for c in changes if c.status == ChangeStatus.PENDING],
            "versions": versions,
            "version_rows": version_rows,
            "attachments": list(order.attachments.all()),
            "timeline": redact_entries(request.user, order_timeline(order=order)),
            "show_prices": "unit_price" not in hidden[OrderLine],
            "show_contacts": "contact" not in hidden_fields(request.user, Clarification),
            "can": can,
            "S": OrderStatus,
            "clarify_form": ClarificationForm(findings=open_list) if can.ask else None,
            "answer_form": AnswerForm() if can.answer else None,
            "change_form": ChangeRequestForm(lines=lines) if can.request_change else None,
            "reason_form": ReasonForm(),
            "attachment_form": AttachmentForm(),
        }
        return render(request, "orders/detail.html", context)


orders = OrderViews()

# What the columns apps above orders add to the list read (e.g. select_related of their row).
_LIST_PREPARE: list = []


def register_list_column(col: Col, *, after: str, prepare=None) -> None:
    """A column an app above orders adds to the order list (the delivery risk), after the column
    named `after`; `prepare(qs)` makes the rows carry what its value reads, in the list's query."""
    if any(c.path == col.path for c in OrderViews.columns):
        return  # ready() may run twice (tests)
    at = next(i for i, c in enumerate(OrderViews.columns) if c.path == after) + 1
    OrderViews.columns = [*OrderViews.columns[:at], col, *OrderViews.columns[at:]]
    if prepare is not None and prepare not in _LIST_PREPARE:
        _LIST_PREPARE.append(prepare)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
