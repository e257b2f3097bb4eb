"""The stock-movement sheet: booked through the ledger, all-or-nothing, never below zero."""

import io

from openpyxl import Workbook, load_workbook

from gendan.core.models import ImportJob
from gendan.inventory.imports import MOVEMENTS
from gendan.inventory.models import StockLevel, StockMovement
from gendan.masterdata.imports import SHIFTS
from gendan.masterdata.models import Shift


def sheet(
    rows,
    headers=("Warehouse code", "Material code", "Product code", "Movement", "Quantity", "Reference", "Note"),
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_movement_sheet_books_every_row_through_the_ledger(make, users):
    wh = make.warehouse(code="RM")
    steel = make.material(code="ST1")
    result = MOVEMENTS.run(
        sheet(
            [("RM", "ST1", "", "opening", 100, "期初", ""), ("RM", "ST1", "", "issue", 30, "领料单 7", "")]
        ),
        actor=users["warehouse"],
    )
    assert result.ok, result.errors
    level = StockLevel.objects.get(warehouse=wh, material=steel)
    assert level.quantity == 70
    assert list(StockMovement.objects.order_by("pk").values_list("quantity", "balance_after")) == [
        (100, 100),
        (-30, 70),
    ]


def test_a_sheet_that_would_go_below_zero_books_nothing_and_names_the_row(make, users):
    make.warehouse(code="RM")
    make.material(code="ST1")
    result = MOVEMENTS.run(
        sheet([("RM", "ST1", "", "opening", 10, "", ""), ("RM", "ST1", "", "issue", 25, "", "")]),
        actor=users["warehouse"],
    )
    assert not result.ok
    assert [e.row for e in result.errors] == [3]
    assert StockMovement.objects.count() == 0 and not StockLevel.objects.filter(quantity__gt=0).exists()


def test_bad_cells_are_all_reported_and_nothing_is_booked(make, users):
    make.warehouse(code="RM")
    make.material(code="ST1")
    result = MOVEMENTS.run(
        sheet(
            [
                ("RM", "NOPE", "", "opening", 5, "", ""),
                ("XX", "ST1", "", "opening", "many", "", ""),
                ("RM", "", "", "opening", 1, "", ""),
            ]
        ),
        actor=users["warehouse"],
    )
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [2, 3, 4]
    assert StockMovement.objects.count() == 0


def test_the_warehouse_keeper_imports_movements_on_the_page(
    make, users, client_for, django_capture_on_commit_callbacks
):
    make.warehouse(code="RM")
    make.material(code="ST1")
    client = client_for("warehouse")
    template = client.get("/inventory/movement/import/template/")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).active.max_column == 7
    upload = io.BytesIO(sheet([("RM", "ST1", "", "opening", 12, "", "")]))
    upload.name = "movements.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inventory/movement/import/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert StockLevel.objects.get().quantity == 12


def test_shifts_import_with_weekdays(make, users):
    from gendan.core.excel import import_workbook

    make.work_centre(code="WC1")
    ok = import_workbook(
        SHIFTS,
        sheet(
            [("WC1", "白班", "08:00", "17:00", 60, "1,2,3,4,5")],
            headers=("work_centre", "name", "start_time", "end_time", "break_minutes", "weekdays"),
        ),
        actor=users["production"],
    )
    assert ok.ok, ok.errors
    assert Shift.objects.get().weekday_list == [1, 2, 3, 4, 5]
    bad = import_workbook(
        SHIFTS,
        sheet(
            [("WC1", "夜班", "20:00", "05:00", 0, "9")],
            headers=("Work centre code", "Shift name", "Start", "End", "Break minutes", "Weekdays"),
        ),
        actor=users["production"],
    )
    assert not bad.ok and Shift.objects.count() == 1
