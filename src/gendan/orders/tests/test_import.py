"""The customers' Excel order sheet (R-1.1, R-8.4): template, all-or-nothing import, every problem
listed by row and column, headers in Chinese or English."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from gendan.core.models import AuditEntry, ImportJob
from gendan.orders.choices import OrderStatus, Priority, ReceivedVia
from gendan.orders.imports import ORDER_IMPORT
from gendan.orders.models import Finding, Order, OrderLine

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EN = [
    "Customer code",
    "Customer PO number",
    "Merchandiser (user name)",
    "Priority",
    "Line",
    "Product code",
    "Specification",
    "Quantity",
    "Unit price",
    "Delivery date",
    "Quality requirements",
    "Packaging requirements",
    "Notes",
]
ZH = [
    "客户编码",
    "客户订单号",
    "跟单员（用户名）",
    "优先级",
    "行号",
    "产品编码",
    None,
    "数量",
    None,
    "交货日期",
]


def sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _date(days=60):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def valid_rows(customer, product, make):
    other = make.customer(code="C-OTHER")
    far = _date().isoformat()
    return [
        EN,
        # order 1: two lines
        [
            customer.code,
            "PO-A",
            "merchandiser",
            "High",
            1,
            product.code,
            "",
            100,
            9.5,
            far,
            "AQL 1.0",
            "纸箱",
            "",
        ],
        [customer.code, "PO-A", None, None, 2, product.code, "", 50, 9.5, far, "AQL 1.0", "纸箱", ""],
        # order 2: same customer, other PO; an unknown product and a quantity of zero are findings
        [customer.code, "PO-B", None, None, None, "FS-45X", "", 0, None, far, "", "", ""],
        # order 3: another customer
        [
            other.code,
            "PO-A",
            None,
            "urgent",
            None,
            product.code,
            "",
            10,
            None,
            _date(),
            "AQL",
            "木箱",
            "备注",
        ],
    ]


def _run(rows, users):
    with translation.override("en"):
        return ORDER_IMPORT.run(sheet(rows), actor=users["merchandiser"], progress=None)


def test_the_template_opens_in_excel_with_the_headers(client_merchandiser, users):
    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    response = client_merchandiser.get("/orders/order/import/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert header[: len(EN)] == EN


def test_the_template_in_chinese(client_merchandiser):
    response = client_merchandiser.get("/orders/order/import/template/")
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert header[:6] == ZH[:6]


def test_a_valid_sheet_creates_every_order_in_review_with_findings(valid_rows, users, customer, product):
    result = _run(valid_rows, users)
    assert result.ok, result.errors
    assert (result.total, result.created) == (4, 3)

    orders = list(Order.objects.order_by("number"))
    assert [(o.customer.code, o.customer_po) for o in orders] == [
        (customer.code, "PO-A"),
        (customer.code, "PO-B"),
        ("C-OTHER", "PO-A"),
    ]
    assert all(o.status == OrderStatus.IN_REVIEW and o.received_via == ReceivedVia.EXCEL for o in orders)
    assert len({o.number for o in orders}) == 3
    first, second, third = orders
    assert first.priority == Priority.HIGH and first.merchandiser == users["merchandiser"]
    assert third.priority == Priority.URGENT
    assert [(ln.line_no, ln.quantity) for ln in first.lines.all()] == [(1, 100), (2, 50)]
    assert first.lines.get(line_no=1).spec == product.spec
    assert list(first.findings.all()) == []
    keys = set(second.findings.values_list("key", flat=True))
    assert {"unknown_product", "bad_quantity", "missing_quality", "missing_packaging"} <= keys
    assert "short_lead_time" not in keys
    # The other customer has no merchandiser of its own and the sheet names none: the importer owns it.
    # It has no delivery address either: the review asks for one.
    assert set(third.findings.values_list("key", flat=True)) == {"missing_address"}
    assert third.merchandiser == users["merchandiser"]
    # Recorded in the audit trail of each order.
    for order in orders:
        assert AuditEntry.objects.filter(scope=order.scope).exists()


def test_a_sheet_with_bad_rows_changes_nothing_and_lists_every_problem(valid_rows, users, customer, product):
    rows = [list(r) for r in valid_rows]
    rows.append([customer.code, "PO-A", None, "Low", 1, product.code, "", 5, None, _date(), "", "", ""])  # 6
    rows.append(["NOPE", "PO-X", None, None, None, product.code, "", 5, None, _date(), "", "", ""])  # 7
    rows.append(
        [customer.code, "PO-C", None, None, None, product.code, "", 5, None, "31/12/2026", "", "", ""]
    )
    rows.append([customer.code, "PO-C", None, None, None, product.code, "", None, None, _date(), "", "", ""])
    entries = AuditEntry.objects.count()

    result = _run(rows, users)

    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (6, "Priority"),  # "Low" differs from "High" on row 2 of the same order
        (6, "Line"),  # line 1 appears twice in PO-A
        (7, "Customer code"),
        (8, "Delivery date"),
        (9, "Quantity"),
    }
    messages = {(e.row, e.column): str(e.message) for e in result.errors}
    assert "NOPE" in messages[(7, "Customer code")]
    assert "31/12/2026" in messages[(8, "Delivery date")]
    assert "row 2" in messages[(6, "Priority")]
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0 and Finding.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_chinese_headers_are_accepted(customer, product, users):
    rows = [
        ZH,
        [customer.code, "PO-中", None, "紧急", 1, product.code, None, 20, None, _date()],
        [customer.code, "PO-中", None, None, 2, product.code, None, 30, None, _date()],
    ]
    result = ORDER_IMPORT.run(sheet(rows), actor=users["merchandiser"], progress=None)
    assert result.ok, result.errors
    order = Order.objects.get()
    assert order.customer_po == "PO-中" and order.priority == Priority.URGENT
    assert order.lines.count() == 2


def test_a_missing_required_column_is_named(customer, users):
    rows = [EN[:7], [customer.code, "PO", None, None, 1, "P", ""]]
    result = _run(rows, users)
    assert not result.ok
    assert {e.column for e in result.errors} == {"Quantity", "Delivery date"}
    assert Order.objects.count() == 0


def test_the_page_flow(client_merchandiser, users, valid_rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_merchandiser.post(
            "/orders/order/import/", {"file": SimpleUploadedFile("订单.xlsx", sheet(valid_rows), XLSX)}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED and job.created == 3
    assert client_merchandiser.get(response["Location"]).status_code == 200
    assert Order.objects.filter(status=OrderStatus.IN_REVIEW).count() == 3


def test_the_page_flow_with_errors_changes_nothing(
    client_merchandiser, users, customer, product, django_capture_on_commit_callbacks
):
    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    rows = [EN, ["NOPE", "PO", None, None, None, product.code, "", 5, None, _date(), "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_merchandiser.post(
            "/orders/order/import/", {"file": SimpleUploadedFile("orders.xlsx", sheet(rows), XLSX)}
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Customer code")]
    html = client_merchandiser.get(response["Location"]).content.decode()
    assert "NOPE" in html
    assert Order.objects.count() == 0


def test_departments_cannot_import_orders(client_production, valid_rows):
    response = client_production.post(
        "/orders/order/import/", {"file": SimpleUploadedFile("o.xlsx", sheet(valid_rows), XLSX)}
    )
    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_without_any_merchandiser_the_importing_merchandiser_owns_the_orders(
    make, product, users, client_merchandiser
):
    lone = make.customer(code="C-LONE")  # no merchandiser of its own
    rows = [EN, [lone.code, "PO-1", None, None, None, product.code, "", 5, None, _date(), "AQL", "箱", ""]]
    assert _run(rows, users).ok
    order = Order.objects.get()
    assert order.merchandiser == users["merchandiser"]
    assert client_merchandiser.get(f"/orders/order/{order.pk}/").status_code == 200


def test_the_merchandiser_column_takes_only_active_merchandisers(customer, product, users, make):
    make.user(role="merchandiser", username="gone", is_active=False)
    rows = [
        EN,
        [customer.code, "PO-1", "warehouse", None, None, product.code, "", 5, None, _date(), "", "", ""],
        [customer.code, "PO-2", "gone", None, None, product.code, "", 5, None, _date(), "", "", ""],
    ]
    result = _run(rows, users)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "Merchandiser (user name)"),
        (3, "Merchandiser (user name)"),
    }
    assert Order.objects.count() == 0


def test_the_export_for_re_import_lists_only_my_orders_and_imports_back(
    orders, users, make, client_merchandiser, product
):
    other = make.user(role="merchandiser", username="lin")
    orders.draft(owner=other, customer=make.customer(merchandiser=other), customer_po="THEIRS")
    mine = orders.draft(customer_po='=HYPERLINK("http://x")', n_lines=2)
    response = client_merchandiser.get("/orders/order/export/sheet/?state=all")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    body = rows[1:]
    assert len(body) == 2
    assert all(not str(r[1]).startswith("=") for r in body)  # no formula from customer data
    assert "THEIRS" not in {r[1] for r in body}

    result = ORDER_IMPORT.run(response.content, actor=users["merchandiser"], progress=None)
    assert result.ok, result.errors
    again = Order.objects.exclude(pk=mine.pk).get(merchandiser=users["merchandiser"])
    assert again.customer_po == mine.customer_po and again.lines.count() == 2
    assert "duplicate_po" in set(again.findings.values_list("key", flat=True))


def test_the_import_result_links_to_the_orders_it_created(
    client_merchandiser, client_for, users, valid_rows, orders, django_capture_on_commit_callbacks
):
    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    earlier = orders.draft()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_merchandiser.post(
            "/orders/order/import/", {"file": SimpleUploadedFile("orders.xlsx", sheet(valid_rows), XLSX)}
        )
    job = ImportJob.objects.get()
    created = list(Order.objects.exclude(pk=earlier.pk).order_by("number"))
    assert len(created) == 3
    html = client_merchandiser.get(response["Location"]).content.decode()
    list_url = f"/orders/order/?imported={job.pk}&amp;state=all"
    assert f'href="{list_url}">Show the 3 imported orders in the list</a>' in html
    for order in created:
        assert f'<a href="/orders/order/{order.pk}/">{order.number} · {order.customer.name}</a>' in html
    # The link opens the list of exactly those orders (not the order entered before).
    listed = client_merchandiser.get(list_url.replace("&amp;", "&"))
    assert sorted(obj.pk for obj, _values in listed.context["rows"]) == sorted(o.pk for o in created)
    # A manager sent the link sees the same orders.
    managed = client_for("management").get(list_url.replace("&amp;", "&"))
    assert sorted(obj.pk for obj, _values in managed.context["rows"]) == sorted(o.pk for o in created)
