"""The order list's export is a report: the list as filtered and sorted, with status, review and
release dates and the acknowledgements still missing, in the reader's language, without prices.
The import sheet stays available as "Export for re-import" to those who may import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gendan.core import crud
from gendan.orders import services

from .conftest import clean_line
from .test_import import EN as IMPORT_HEADERS

pytestmark = pytest.mark.django_db

HEADERS = [
    "Order number",
    "Customer code",
    "Customer name",
    "Customer PO",
    "Merchandiser",
    "Status",
    "Priority",
    "Received via",
    "Received on",
    "First delivery",
    "Overdue",
    "Lines",
    "Total quantity",
    "Reviewed at",
    "Released at",
    "Version",
    "Acknowledgements missing",
]


def _english(users, *roles):
    for role in roles:
        users[role].language = "en"
        users[role].save()


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert 'filename="order-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def _local(moment) -> dt.datetime:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def test_the_export_is_the_list_as_filtered_and_sorted(orders, users, make, product, client_merchandiser):
    _english(users, "merchandiser", "production")
    released = orders.released(priority="high")
    ack = released.acknowledgements.get(department__kind="production")
    services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    late = timezone.localdate() - dt.timedelta(days=1)
    draft = orders.draft(
        lines=[clean_line(product, delivery_date=late), clean_line(product, quantity=Decimal("2.5"))],
        customer_po="=HYPERLINK(1)",
    )
    other = make.user(role="merchandiser", username="lin")
    orders.draft(owner=other, customer=make.customer(merchandiser=other), customer_po="THEIRS")

    rows = _rows(client_merchandiser.get("/orders/order/export/?state=all&sort=number"))
    assert [r["Order number"] for r in rows] == sorted([released.number, draft.number])
    by_number = {r["Order number"]: r for r in rows}

    row = by_number[released.number]
    released.refresh_from_db()
    missing = sorted(
        (a.department for a in released.acknowledgements.filter(acknowledged_at__isnull=True)),
        key=lambda d: d.code,
    )
    assert row["Customer code"] == released.customer.code
    assert row["Customer name"] == released.customer.name
    assert row["Merchandiser"] == str(users["merchandiser"])
    assert (row["Status"], row["Priority"], row["Received via"]) == ("Released", "High", "E-mail")
    assert row["Lines"] == 1 and row["Total quantity"] == 100 and row["Version"] == 1
    # Excel keeps a time as a fraction of a day: it comes back to the nearest second or so.
    for column, moment in (("Reviewed at", released.reviewed_at), ("Released at", released.released_at)):
        assert abs(row[column] - _local(moment)) <= dt.timedelta(seconds=1), column
    assert row["Acknowledgements missing"] == ", ".join(str(d) for d in missing)
    assert row["Overdue"] is None

    row = by_number[draft.number]
    assert (row["Status"], row["Lines"], row["Total quantity"]) == ("Draft", 2, 102.5)
    assert row["First delivery"].date() == late and row["Overdue"] == "yes"
    assert row["Reviewed at"] is None and row["Acknowledgements missing"] is None
    assert row["Customer PO"] == "'=HYPERLINK(1)"  # shown as text, never run as a formula

    # Sorted and filtered as the list is.
    rows = _rows(client_merchandiser.get("/orders/order/export/?state=all&sort=-number"))
    assert [r["Order number"] for r in rows] == sorted([released.number, draft.number], reverse=True)
    rows = _rows(client_merchandiser.get("/orders/order/export/?state=all&status=released"))
    assert [r["Order number"] for r in rows] == [released.number]


def test_the_export_speaks_the_readers_language(orders, users, client_merchandiser):
    orders.draft()
    response = client_merchandiser.get("/orders/order/export/")
    header = next(load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True))
    assert header[0] == "订单号" and "Order number" not in header


def test_export_for_re_import_is_offered_to_those_who_may_import(orders, users, client_for):
    orders.released()
    merchandiser, planner = client_for("merchandiser"), client_for("production")
    page = merchandiser.get("/orders/order/").content.decode()
    assert 'href="/orders/order/export/?' in page and 'href="/orders/order/export/sheet/?' in page
    sheet = merchandiser.get("/orders/order/export/sheet/")
    header = next(load_workbook(io.BytesIO(sheet.getvalue())).worksheets[0].iter_rows(values_only=True))
    assert len(header) == len(IMPORT_HEADERS)
    # The planner sees released orders and exports the report, which has no prices; the import
    # sheet (with unit prices) is not his.
    page = planner.get("/orders/order/").content.decode()
    assert 'href="/orders/order/export/?' in page and "/orders/order/export/sheet/" not in page
    assert planner.get("/orders/order/export/sheet/").status_code == 403
    _english(users, "production")
    assert len(_rows(planner.get("/orders/order/export/"))) == 1


def test_an_export_over_the_limit_is_refused_with_a_message(orders, users, client_merchandiser, monkeypatch):
    _english(users, "merchandiser")
    orders.draft(), orders.draft()
    monkeypatch.setattr(crud, "EXPORT_MAX_ROWS", 1)
    response = client_merchandiser.get("/orders/order/export/?priority=normal", follow=True)
    assert response.redirect_chain == [("/orders/order/?priority=normal", 302)]
    assert "The list has 2 rows; an export takes at most 1." in response.content.decode()
