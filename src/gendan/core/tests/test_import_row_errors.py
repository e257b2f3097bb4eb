"""Every error of a row at once (issue 14, item 6): a row whose cells cannot all be read is still
checked on the fields that were read (lengths, the sheet's own rules), so the person fixing the
sheet sees every problem of the row in one go, each named by row and column; the import page
shows the first MAX_REPORTED_ERRORS of them and says how many more there are."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from gendan.core.excel import import_workbook, reader
from gendan.core.models import ImportJob
from gendan.inventory.imports import MOVEMENTS
from gendan.masterdata import imports
from gendan.masterdata.models import Product
from gendan.orders.imports import ORDER_IMPORT
from gendan.orders.models import Order
from gendan.testing.helpers import xlsx_bytes as sheet

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PRODUCT_HEADER = [
    "Product code",
    "Product name",
    "Kind",
    "Unit",
    "Standard lead time (days)",
    "Drawing number",
]


def test_a_product_row_with_five_problems_reports_all_five(users):
    data = sheet([PRODUCT_HEADER, ["P1", None, "robot", "u" * 30, "soon", "d" * 70]])
    with translation.override("en"):
        result = import_workbook(imports.PRODUCTS, data, actor=users["production"])
    assert not result.ok
    assert sorted((e.row, e.column) for e in result.errors) == [
        (2, "Drawing number"),
        (2, "Kind"),
        (2, "Product name"),
        (2, "Standard lead time (days)"),
        (2, "Unit"),
    ]
    assert Product.objects.count() == 0


def test_an_order_row_reports_its_unreadable_cells_and_the_sheet_rules_together(make, users):
    customer = make.customer(code="C1")
    make.product(code="FAN")
    header = ["Customer code", "Customer PO number", "Merchandiser (user name)", "Priority", "Line"]
    header += ["Product code", "Quantity", "Delivery date"]
    day = timezone.localdate() + dt.timedelta(days=60)
    rows = [
        header,
        ["C1", "PO-1", None, "normal", 1, "FAN", 10, day],
        # the same line again, another priority, not a merchandiser, no product, bad quantity and date
        ["C1", "PO-1", users["warehouse"].username, "urgent", 1, None, "many", "someday"],
    ]
    with translation.override("en"):
        result = ORDER_IMPORT.run(sheet(rows), actor=users["merchandiser"])
    assert not result.ok
    assert sorted((e.row, e.column) for e in result.errors) == [
        (3, "Delivery date"),
        (3, "Line"),
        (3, "Merchandiser (user name)"),
        (3, "Priority"),
        (3, "Product code"),
        (3, "Quantity"),
    ]
    assert not Order.objects.filter(customer=customer).exists()


def test_a_movement_row_reports_both_codes_given_with_its_bad_cells(make, users):
    make.warehouse(code="RM")
    make.material(code="ST1")
    make.product(code="FAN")
    header = ["Warehouse code", "Material code", "Product code", "Movement", "Quantity"]
    with translation.override("en"):
        result = MOVEMENTS.run(
            sheet([header, ["RM", "ST1", "FAN", "teleport", "lots"]]), actor=users["warehouse"]
        )
    assert sorted(e.column for e in result.errors) == ["Material code", "Movement", "Quantity"]


def test_the_page_shows_the_first_errors_and_how_many_more(
    client_for, users, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reader, "MAX_REPORTED_ERRORS", 4)
    users["production"].language = "en"
    users["production"].save()
    client = client_for("production")
    rows = [PRODUCT_HEADER] + [[f"P{i}", None, "robot", "pcs", 1] for i in range(5)]  # 10 problems
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/masterdata/product/import/", {"file": SimpleUploadedFile("p.xlsx", sheet(rows), XLSX)}
        )
    job = ImportJob.objects.get()
    assert (len(job.errors), job.error_count) == (4, 10)
    html = client.get(response["Location"]).content.decode()
    assert "the sheet has 10 problems" in html
    assert "and 6 more" in html
    assert html.count("<td>robot") == 0 and html.count("is not one of") == 2
