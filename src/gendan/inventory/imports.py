"""Excel sheets of the warehouse: warehouses (upsert by code) and stock movements.

A movement sheet (opening balances after a stock-take, receipts keyed in elsewhere) is applied row
by row through the stock ledger, inside one transaction: if any row would take a balance below
zero, or has any other problem, nothing is booked and every problem is listed by row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.excel import (
    Column,
    ImportResult,
    ImportSpec,
    RowError,
    SheetRejected,
    escape_cell,
    read_sheet,
    write_workbook,
)
from gendan.masterdata.models import Material, Product

from .choices import MovementKind
from .models import Warehouse
from .services import stock_move

WAREHOUSES = ImportSpec(
    key="warehouses",
    model=Warehouse,
    title=gettext_lazy("Warehouses"),
    columns=[
        Column("code", gettext_lazy("Warehouse code"), required=True),
        Column("name", gettext_lazy("Warehouse name"), required=True),
        Column("name_en", gettext_lazy("English name")),
        Column("address", gettext_lazy("Address")),
    ],
)

MOVEMENT_COLUMNS = [
    Column("warehouse", gettext_lazy("Warehouse code"), kind="fk", fk_model=Warehouse, required=True),
    Column("material", gettext_lazy("Material code"), kind="fk", fk_model=Material),
    Column("product", gettext_lazy("Product code"), kind="fk", fk_model=Product),
    Column("kind", gettext_lazy("Movement"), kind="choice", choices=MovementKind, required=True),
    Column("quantity", gettext_lazy("Quantity"), kind="decimal", required=True),
    Column("reference", gettext_lazy("Reference")),
    Column("note", gettext_lazy("Note")),
]


class MovementSheetImport:
    key = "stock_movements"
    title = gettext_lazy("Stock movements")
    columns = MOVEMENT_COLUMNS

    def template(self) -> bytes:
        notes = [
            _("One row per movement. Give either a material code or a product code."),
            _(
                "Goods in (opening balance, stock-in) have positive quantities; issues and shipments take the quantity out."
            ),
            _(
                "The sheet is booked all-or-nothing: if any row has a problem or would make a balance negative, nothing is booked."
            ),
        ]
        return write_workbook(str(self.title), [str(c.label) for c in MOVEMENT_COLUMNS], [], notes)

    def export(self, movements) -> bytes:
        rows = (
            [
                m.warehouse.code,
                m.material.code if m.material_id else "",
                m.product.code if m.product_id else "",
                m.get_kind_display(),
                float(m.quantity),
                m.reference,
                m.note,
            ]
            for m in movements.select_related("warehouse", "material", "product")
        )
        return write_workbook(
            str(self.title),
            [str(c.label) for c in MOVEMENT_COLUMNS],
            ([escape_cell(v) for v in r] for r in rows),
        )

    def run(self, data: bytes, *, actor, progress=None) -> ImportResult:
        try:
            sheet = read_sheet(data, MOVEMENT_COLUMNS)
        except SheetRejected as exc:
            return ImportResult(ok=False, errors=exc.errors)
        errors: list[RowError] = []
        rows = []
        for row in sheet.iter_rows():
            row_no, values, row_errors = row
            # Checked with the row's other problems, unless a code could not be read at all.
            either = not row.unreadable() & {"material", "product"}
            if either and bool(values.get("material")) == bool(values.get("product")):
                row_errors.append(
                    RowError(
                        row_no,
                        str(MOVEMENT_COLUMNS[1].label),
                        _("Give either a material code or a product code."),
                    )
                )
            errors.extend(row_errors)
            rows.append((row_no, values))
        if errors:
            return ImportResult(ok=False, total=len(rows), errors=errors)
        booked = 0
        try:
            with transaction.atomic():
                for done, (row_no, values) in enumerate(rows, start=1):
                    try:
                        stock_move(
                            actor=actor,
                            warehouse=values["warehouse"],
                            material=values.get("material"),
                            product=values.get("product"),
                            kind=values["kind"],
                            quantity=values["quantity"],
                            reference=values.get("reference") or "",
                            note=values.get("note") or "",
                        )
                    except ValidationError as exc:
                        errors.extend(
                            RowError(row_no, str(MOVEMENT_COLUMNS[4].label), m) for m in exc.messages
                        )
                    booked += 1
                    if progress and done % 200 == 0:
                        progress(done, len(rows))
                if errors:
                    raise _Rollback
        except _Rollback:
            return ImportResult(ok=False, total=len(rows), errors=errors)
        return ImportResult(ok=True, total=len(rows), created=booked)


class _Rollback(Exception):
    pass


MOVEMENTS = MovementSheetImport()
