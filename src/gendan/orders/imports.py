"""The Excel sheet customers send (R-1.1): one row per order line; rows with the same customer and
customer PO number make one order. All-or-nothing like every import; unknown product codes are
kept and flagged by the review rather than rejected, because that is a question for the customer."""

from collections import OrderedDict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.audit import audit_bulk, snapshot
from gendan.core.excel import Column, ImportResult, RowError, SheetRejected, read_sheet, write_workbook
from gendan.core.registry import ImportedLinks
from gendan.masterdata.models import Customer, Product

from .choices import OrderStatus, Priority, ReceivedVia
from .models import Order, OrderLine
from .selectors import order_list
from .services.entry import default_addresses, merchandiser_for, next_order_number
from .services.review import request_capacity_check, review_new_orders

COLUMNS = [
    Column("customer", gettext_lazy("Customer code"), kind="fk", fk_model=Customer, required=True),
    Column("customer_po", gettext_lazy("Customer PO number"), required=True),
    Column(
        "merchandiser",
        gettext_lazy("Merchandiser (user name)"),
        kind="fk",
        fk_model=User,
        fk_field="username",
    ),
    Column("priority", gettext_lazy("Priority"), kind="choice", choices=Priority),
    Column("line_no", gettext_lazy("Line"), kind="int"),
    Column("product_code", gettext_lazy("Product code"), required=True),
    Column("spec", gettext_lazy("Specification")),
    Column("quantity", gettext_lazy("Quantity"), kind="decimal", required=True),
    Column("unit_price", gettext_lazy("Unit price"), kind="decimal"),
    Column("delivery_date", gettext_lazy("Delivery date"), kind="date", required=True),
    Column("quality_requirements", gettext_lazy("Quality requirements")),
    Column("packaging_requirements", gettext_lazy("Packaging requirements")),
    Column("notes", gettext_lazy("Notes")),
]
HEADER_FIELDS = ("customer", "customer_po", "merchandiser", "priority")


class OrderSheetImport:
    key = "orders"
    fields_model = OrderLine  # whose fields the columns are, for need-to-know (core.crud)
    title = gettext_lazy("Orders")
    columns = COLUMNS

    def template(self) -> bytes:
        notes = [
            _(
                "One row per order line. Rows with the same customer code and customer PO number form one order."
            ),
            _(
                "Imported orders go straight to review; unknown products or specifications become review findings."
            ),
            _("The import is all-or-nothing: if any row has a problem, nothing is changed."),
        ]
        for c in COLUMNS:
            notes.append(f"{c.label}: " + (_("required") if c.required else _("optional")))
        return write_workbook(str(self.title), [str(c.label) for c in COLUMNS], [], notes)

    def export(self, orders) -> bytes:
        rows = []
        for order in orders.prefetch_related("lines__product"):
            for line in order.lines.all():
                rows.append(
                    [
                        order.customer.code,
                        order.customer_po,
                        order.merchandiser.username if order.merchandiser else "",
                        order.get_priority_display(),
                        line.line_no,
                        line.product.code if line.product else line.product_code,
                        line.spec,
                        float(line.quantity) if line.quantity is not None else None,
                        float(line.unit_price) if line.unit_price is not None else None,
                        line.delivery_date,
                        line.quality_requirements,
                        line.packaging_requirements,
                        line.notes,
                    ]
                )
        return write_workbook(
            # write_workbook escapes formula-like text itself; escaping here too would double it.
            str(self.title),
            [str(c.label) for c in COLUMNS],
            rows,
        )

    def run(self, data: bytes, *, actor, progress=None) -> ImportResult:
        try:
            sheet = read_sheet(data, COLUMNS)
        except SheetRejected as exc:
            return ImportResult(ok=False, errors=exc.errors)
        errors: list[RowError] = []
        products = {p.code: p for p in Product.objects.filter(is_archived=False)}
        groups: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        total = len(sheet)
        for row in sheet.iter_rows(progress=progress):
            row_no, values, row_errors = row
            person = values.get("merchandiser")
            if person is not None and not (person.is_active and person.role == Role.MERCHANDISER):
                row_errors.append(
                    RowError(
                        row_no,
                        str(COLUMNS[2].label),
                        _("%(user)s is not an active merchandiser.") % {"user": person.username},
                    )
                )
            # The order's rules are checked even when some cells could not be read (every problem
            # of the row at once), as long as the row says which order it belongs to.
            if not row.unreadable() & {"customer", "customer_po"}:
                self._check_line(groups, products, row_no, values, row_errors)
            errors.extend(row_errors)
        if errors:
            return ImportResult(ok=False, total=total, errors=errors)
        with transaction.atomic():
            created = self._write(groups, actor)
        if progress:
            progress(total, total)
        return ImportResult(
            ok=True, total=total, created=len(created), updated=0, created_ids=[o.pk for o in created]
        )

    def _check_line(self, groups, products, row_no: int, values: dict[str, Any], row_errors: list[RowError]):
        """Add the row to its order (customer and PO number), checking it against the order's
        first row and other lines. Values whose cells could not be read are missing."""
        key = (values["customer"].pk, values["customer_po"])
        group = groups.setdefault(key, {"header": {}, "lines": [], "rows": []})
        for name in HEADER_FIELDS:
            value = values.get(name)
            if value in (None, ""):
                continue
            seen = group["header"].get(name)
            if seen is not None and seen != value:
                row_errors.append(
                    RowError(
                        row_no,
                        str(next(c.label for c in COLUMNS if c.name == name)),
                        _("Differs from the first row of the same order (row %(row)s).")
                        % {"row": group["rows"][0]},
                    )
                )
            group["header"][name] = value
        # A quantity of zero or less is a review finding, not an import error: the customer must
        # clarify it.
        line_no = values.get("line_no") or len(group["lines"]) + 1
        if any(line["line_no"] == line_no for line in group["lines"]):
            row_errors.append(
                RowError(
                    row_no,
                    str(COLUMNS[4].label),
                    _("Line %(n)s appears twice in this order.") % {"n": line_no},
                )
            )
        code = values.get("product_code")
        group["lines"].append(
            {
                "line_no": line_no,
                "product": products.get(code),
                "product_code": code,
                "spec": values.get("spec") or (products[code].spec if code in products else ""),
                "quantity": values.get("quantity"),
                "unit_price": values.get("unit_price"),
                "delivery_date": values.get("delivery_date"),
                "quality_requirements": values.get("quality_requirements") or "",
                "packaging_requirements": values.get("packaging_requirements") or "",
                "notes": values.get("notes") or "",
            }
        )
        group["rows"].append(row_no)

    def created_links(self, job, *, user) -> ImportedLinks:
        """The import's page links to the list of the orders it created and names the first few."""
        created = order_list(user=user).filter(pk__in=job.created_ids).order_by("number")
        count = created.count()
        query = urlencode({"imported": job.pk, "state": "all"})
        text = ngettext(
            "Show the %(n)s imported order in the list", "Show the %(n)s imported orders in the list", count
        ) % {"n": count}
        records = [
            (f"{o.number} · {o.customer.local_name}", reverse("orders:order_detail", args=[o.pk]))
            for o in created[:10]
        ]
        return ImportedLinks(
            list_link=(text, f"{reverse('orders:order_list')}?{query}"),
            records=records,
            more=count - len(records),
        )

    def _write(self, groups, actor) -> list[Order]:
        addresses = default_addresses([group["header"]["customer"] for group in groups.values()])
        first = next_order_number()
        prefix, seq = first.rsplit("-", 1)
        seq = int(seq)
        orders = []
        for n, ((_customer_id, po), group) in enumerate(groups.items()):
            header = group["header"]
            customer = header["customer"]
            orders.append(
                Order(
                    number=f"{prefix}-{seq + n:04d}",
                    customer=customer,
                    customer_po=po,
                    merchandiser=header.get("merchandiser")
                    or merchandiser_for(customer=customer, actor=actor),
                    delivery_address=addresses.get(customer.pk),
                    priority=header.get("priority") or Priority.NORMAL,
                    received_via=ReceivedVia.EXCEL,
                    status=OrderStatus.IN_REVIEW,
                    created_by=actor,
                )
            )
        Order.objects.bulk_create(orders, batch_size=500)
        lines = []
        for order, group in zip(orders, groups.values(), strict=True):
            lines.extend(OrderLine(order=order, **line) for line in group["lines"])
        OrderLine.objects.bulk_create(lines, batch_size=1000)
        audit_bulk(
            actor=actor,
            source="import",
            items=[
                (o, "import_create", {k: [None, v] for k, v in snapshot(o).items() if v not in (None, "")})
                for o in orders
            ],
            scope_of=lambda o: o.scope,
        )
        created = list(Order.objects.filter(pk__in=[o.pk for o in orders]).select_related("customer"))
        review_new_orders(actor=actor, orders=created)
        # The engine's capacity check runs per order in the worker; a bulk load of hundreds of
        # orders leaves it to "Check again" on each order rather than flooding the queue.
        if len(created) <= 20:
            for order in created:
                request_capacity_check(order)
        return created


ORDER_IMPORT = OrderSheetImport()
