"""The supplier confirmation sheet (R-3.3): one row per confirmation (PO number, line, quantity,
promised date, confirmed by, note), recorded through `po_line_confirm`. All-or-nothing: every row
is checked first (the PO and line exist, the reader may confirm them, the quantities of the sheet and
those already confirmed stay within each line), then every row is recorded in one transaction; any
problem, even one found while recording, lists every problem by row and column and writes nothing."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.excel import Column, ImportResult, RowError, SheetRejected, read_sheet, write_workbook
from gendan.core.exceptions import WorkflowConflict

from .choices import PO_LINE_OPEN_STATES, POStatus
from .models import POLineConfirmation, PurchaseOrder, PurchaseOrderLine
from .services.po import po_line_confirm

ZERO = Decimal(0)

COLUMNS = [
    Column("po", gettext_lazy("PO number"), required=True),
    Column("line", gettext_lazy("Line"), kind="int", required=True),
    Column("quantity", gettext_lazy("Quantity"), kind="decimal", required=True),
    Column("promised_date", gettext_lazy("Promised date"), kind="date", required=True),
    Column("confirmed_by", gettext_lazy("Confirmed by (supplier)")),
    Column("note", gettext_lazy("Note")),
]


class _Rollback(Exception):
    pass


class ConfirmationSheetImport:
    key = "po_confirmations"
    title = gettext_lazy("Supplier confirmations")
    columns = COLUMNS

    def template(self) -> bytes:
        notes = [
            _(
                "One row per confirmation: the PO number, its line number, the quantity and the date the supplier promised."
            ),
            _(
                "A line may be confirmed in several rows (partial confirmations); together they may not exceed its quantity."
            ),
            _("The sheet is recorded all-or-nothing: if any row has a problem, nothing is recorded."),
        ]
        return write_workbook(str(self.title), [str(c.label) for c in COLUMNS], [], notes)

    def run(self, data: bytes, *, actor, progress=None) -> ImportResult:
        try:
            sheet = read_sheet(data, COLUMNS)
        except SheetRejected as exc:
            return ImportResult(ok=False, errors=exc.errors)
        label = {c.name: str(c.label) for c in COLUMNS}
        rows = list(sheet.iter_rows())
        numbers = {str(r.values.get("po") or "").strip() for r in rows}
        orders = {po.number: po for po in PurchaseOrder.objects.filter(number__in=numbers)}
        may_confirm = set(
            PurchaseOrder.objects.restrict(actor, "confirm")
            .filter(number__in=numbers)
            .values_list("pk", flat=True)
        )
        lines = {
            (line.order_id, line.position): line
            for line in PurchaseOrderLine.objects.filter(order__in=orders.values())
        }
        confirmed = dict(
            POLineConfirmation.objects.filter(line__in=lines.values())
            .values("line")
            .annotate(s=Sum("quantity"))
            .values_list("line", "s")
        )
        adding: dict[int, Decimal] = defaultdict(lambda: ZERO)
        errors: list[RowError] = []
        todo = []
        for row in rows:
            row_no, values, row_errors = row
            errors.extend(row_errors)
            number = str(values.get("po") or "").strip()
            po = orders.get(number)
            if not number or "po" in row.unreadable():
                continue
            if po is None:
                errors.append(
                    RowError(row_no, label["po"], _("No purchase order %(number)s.") % {"number": number})
                )
                continue
            if po.pk not in may_confirm:
                errors.append(
                    RowError(
                        row_no,
                        label["po"],
                        _("You may not record confirmations of %(number)s.") % {"number": number},
                    )
                )
                continue
            if po.status not in (POStatus.SENT, POStatus.CONFIRMED):
                errors.append(
                    RowError(
                        row_no,
                        label["po"],
                        _("%(number)s is “%(status)s”: only a sent order is confirmed.")
                        % {"number": number, "status": po.get_status_display()},
                    )
                )
                continue
            if values.get("line") is None:
                continue
            line = lines.get((po.pk, values["line"]))
            if line is None:
                errors.append(
                    RowError(
                        row_no,
                        label["line"],
                        _("%(number)s has no line %(line)s.") % {"number": number, "line": values["line"]},
                    )
                )
                continue
            if line.status not in PO_LINE_OPEN_STATES:
                errors.append(
                    RowError(
                        row_no,
                        label["line"],
                        _("Line %(line)s is “%(status)s”: nothing left to confirm.")
                        % {"line": f"{number} / {line.position}", "status": line.get_status_display()},
                    )
                )
                continue
            quantity = values.get("quantity")
            if quantity is not None:
                if quantity <= 0:
                    errors.append(RowError(row_no, label["quantity"], _("The quantity must be above zero.")))
                    continue
                adding[line.pk] += quantity
                total = confirmed.get(line.pk, ZERO) + adding[line.pk]
                if total > line.quantity:
                    errors.append(
                        RowError(
                            row_no,
                            label["quantity"],
                            _(
                                "Line %(line)s: this sheet and earlier confirmations come to %(total)s of %(ordered)s ordered."
                            )
                            % {
                                "line": f"{number} / {line.position}",
                                "total": total.normalize(),
                                "ordered": line.quantity.normalize(),
                            },
                        )
                    )
                    continue
            if values.get("promised_date") is None or quantity is None:
                continue
            todo.append((row_no, line, values))
        if errors:
            return ImportResult(ok=False, total=len(rows), errors=errors)
        try:
            with transaction.atomic():
                for done, (row_no, line, values) in enumerate(todo, start=1):
                    try:
                        po_line_confirm(
                            actor=actor,
                            line=line.pk,
                            quantity=values["quantity"],
                            promised_date=values["promised_date"],
                            confirmed_by=values.get("confirmed_by") or "",
                            note=values.get("note") or "",
                        )
                    except ValidationError as exc:
                        errors.extend(RowError(row_no, label["quantity"], m) for m in exc.messages)
                    except (WorkflowConflict, PermissionDenied) as exc:
                        errors.append(RowError(row_no, label["po"], str(exc)))
                    if progress and done % 200 == 0:
                        progress(done, len(todo))
                if errors:
                    raise _Rollback
        except _Rollback:
            return ImportResult(ok=False, total=len(rows), errors=errors)
        return ImportResult(ok=True, total=len(rows), created=len(todo))


CONFIRMATIONS = ConfirmationSheetImport()
