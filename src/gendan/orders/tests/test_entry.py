"""Orders in (R-1.1, R-1.2): the entry form with lines and the customer's PO file, the API with
nested lines; bad input is explained by field and changes nothing; workflow fields are not input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.core.models import AuditEntry
from gendan.orders.choices import AttachmentKind, OrderStatus
from gendan.orders.models import Order, OrderAttachment, OrderLine

pytestmark = pytest.mark.django_db

URL_NEW = "/orders/order/new/"


def _form(customer, merchandiser, lines, **extra) -> dict:
    data = {
        "customer": customer.pk if customer else "",
        "customer_po": "PO-778",
        "merchandiser": merchandiser.pk,
        "priority": "high",
        "received_via": "email",
        "received_on": timezone.localdate().isoformat(),
        "currency": "CNY",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{i}-{key}"] = value
    data.update(extra)
    return data


def _line(product, **kw) -> dict:
    return {
        "product": product.pk,
        "spec": "",
        "quantity": "250",
        "unit_price": "9.9",
        "delivery_date": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "quality_requirements": "AQL 1.0",
        "packaging_requirements": "纸箱",
        "notes": "",
        **kw,
    }


def test_page_form_records_a_draft_with_lines_and_the_customers_po_file(
    client_merchandiser, user_merchandiser, customer, product, make
):
    other = make.product(spec="12V")
    upload = SimpleUploadedFile(
        "客户订单 PO-778.pdf", b"%PDF-1.4 customer po", content_type="application/pdf"
    )
    data = _form(customer, user_merchandiser, [_line(product), _line(other, quantity="3")])
    data["attachment"] = upload

    response = client_merchandiser.post(URL_NEW, data)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/order/{order.pk}/"
    assert order.status == OrderStatus.DRAFT
    assert order.number.startswith(f"SO-{timezone.localdate():%Y%m}-")
    assert order.customer_po == "PO-778" and order.merchandiser == user_merchandiser
    lines = list(order.lines.order_by("line_no"))
    assert [(ln.line_no, ln.product, ln.quantity) for ln in lines] == [
        (1, product, Decimal("250")),
        (2, other, Decimal("3")),
    ]
    # The product's specification is taken when the line gives none.
    assert lines[0].spec == "220V 50Hz" and lines[1].spec == "12V"
    assert AuditEntry.objects.filter(scope=order.scope, action="create").exists()

    attachment = OrderAttachment.objects.get(order=order)
    assert attachment.kind == AttachmentKind.CUSTOMER_PO
    assert attachment.original_name == "客户订单 PO-778.pdf"
    stored = attachment.file.name
    assert stored.startswith("orders/") and stored.endswith(".pdf")
    assert "PO-778" not in stored and "客户" not in stored

    download = client_merchandiser.get(f"/orders/order/{order.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 customer po"


def test_an_uploaded_html_file_is_never_served_inline(client_merchandiser, orders):
    order = orders.draft()
    evil = SimpleUploadedFile("invoice.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client_merchandiser.post(f"/orders/order/{order.pk}/attachments/", {"file": evil})
    assert response.status_code == 302
    attachment = OrderAttachment.objects.filter(order=order).first()
    if attachment is None:  # refusing the file type is fine too
        return
    assert not attachment.file.name.endswith("invoice.html")
    download = client_merchandiser.get(f"/orders/order/{order.pk}/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert "html" not in download["Content-Type"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_page_form_without_customer_names_the_field_and_records_nothing(
    client_merchandiser, user_merchandiser, product
):
    response = client_merchandiser.post(URL_NEW, _form(None, user_merchandiser, [_line(product)]))
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_page_form_with_a_bad_line_names_the_line_field(
    client_merchandiser, user_merchandiser, customer, product
):
    data = _form(customer, user_merchandiser, [_line(product, quantity="many", delivery_date="31/02/2026")])
    response = client_merchandiser.post(URL_NEW, data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert {"quantity", "delivery_date"} <= set(errors)
    assert Order.objects.count() == 0


def test_page_form_ignores_workflow_fields(client_merchandiser, user_merchandiser, customer, product):
    data = _form(
        customer,
        user_merchandiser,
        [_line(product)],
        status="released",
        number="HACKED-1",
        version="7",
        released_at="2026-01-01 08:00",
    )
    assert client_merchandiser.post(URL_NEW, data).status_code == 302
    order = Order.objects.get()
    assert order.status == OrderStatus.DRAFT
    assert order.number != "HACKED-1" and order.number.startswith("SO-")
    assert order.version == 1 and order.released_at is None


def test_production_cannot_enter_orders(client_production, user_merchandiser, customer, product):
    response = client_production.post(URL_NEW, _form(customer, user_merchandiser, [_line(product)]))
    assert response.status_code == 403
    assert Order.objects.count() == 0


def _api_payload(customer, product, **kw):
    return {
        "customer": customer.pk,
        "customer_po": "EDI-1",
        "lines": [
            {
                "product": product.pk,
                "quantity": "120",
                "delivery_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
                "quality_requirements": "AQL 0.65",
                "packaging_requirements": "托盘",
            },
            {"product_code": "NOT-IN-LIST", "quantity": "5"},
        ],
        **kw,
    }


def test_api_creates_an_order_with_nested_lines(api_merchandiser, user_merchandiser, customer, product):
    response = api_merchandiser.post("/api/orders/", _api_payload(customer, product), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(pk=body["id"])
    assert body["status"] == OrderStatus.DRAFT and body["number"] == order.number
    assert order.merchandiser == user_merchandiser  # the customer's merchandiser
    assert [(ln["line_no"], ln["product_code"]) for ln in body["lines"]] == [
        (1, product.code),
        (2, "NOT-IN-LIST"),
    ]
    assert order.lines.get(line_no=2).product is None


def test_api_without_customer_names_the_field_and_creates_nothing(api_merchandiser, customer, product):
    payload = _api_payload(customer, product)
    del payload["customer"]
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400
    assert "customer" in response.json()
    assert Order.objects.count() == 0


def test_api_with_an_unknown_line_field_names_it_and_creates_nothing(api_merchandiser, customer, product):
    payload = _api_payload(customer, product)
    payload["lines"][0]["colour"] = "red"
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400, response.content
    assert "colour" in response.content.decode()
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_api_with_a_bad_line_value_names_the_line_and_field(api_merchandiser, customer, product):
    payload = _api_payload(customer, product)
    payload["lines"][1]["delivery_date"] = "next week"
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()["lines"]
    second = errors["1"] if isinstance(errors, dict) else errors[1]  # the second line
    assert "delivery_date" in second
    assert Order.objects.count() == 0


def test_api_cannot_set_status_number_or_version(api_merchandiser, customer, product):
    payload = _api_payload(customer, product, status="released", number="X-1", version=9)
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    order = Order.objects.first()
    if response.status_code == 400:  # refusing is as good as ignoring
        assert order is None
        return
    assert response.status_code == 201
    assert (order.status, order.version) == (OrderStatus.DRAFT, 1)
    assert order.number != "X-1"

    # Nor through an update.
    response = api_merchandiser.patch(
        f"/api/orders/{order.pk}/", {"status": "released", "version": 3, "notes": "urgent"}, format="json"
    )
    order.refresh_from_db()
    assert (order.status, order.version) == (OrderStatus.DRAFT, 1)
    if response.status_code == 200:
        assert order.notes == "urgent"


def test_an_order_entered_without_merchandiser_belongs_to_the_merchandiser_who_entered_it(
    client_merchandiser, api_merchandiser, user_merchandiser, make, product
):
    lone = make.customer(code="C-LONE")  # no merchandiser of its own
    data = _form(lone, user_merchandiser, [_line(product)])
    data["merchandiser"] = ""
    response = client_merchandiser.post(URL_NEW, data, follow=True)
    assert response.status_code == 200  # the new order's dossier, not a 404
    order = Order.objects.get()
    assert order.merchandiser == user_merchandiser

    response = api_merchandiser.post("/api/orders/", _api_payload(lone, product), format="json")
    assert response.status_code == 201
    order_id = response.json()["id"]
    assert response.json()["merchandiser"] == user_merchandiser.pk
    assert api_merchandiser.get(f"/api/orders/{order_id}/").status_code == 200


def test_api_merchandiser_must_be_an_active_merchandiser(api_merchandiser, users, customer, product):
    payload = _api_payload(customer, product, merchandiser=users["warehouse"].pk)
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400
    assert "merchandiser" in response.json()
    assert Order.objects.count() == 0


def test_a_released_order_is_not_edited_directly(orders, api_merchandiser, client_merchandiser):
    order = orders.released()
    response = api_merchandiser.patch(f"/api/orders/{order.pk}/", {"notes": "改"}, format="json")
    assert response.status_code == 409
    assert client_merchandiser.get(f"/orders/order/{order.pk}/edit/").status_code == 302
    order.refresh_from_db()
    assert order.notes == "" and order.version == 1


def test_editing_a_reviewed_order_on_the_page_sends_it_back_to_review(
    orders, client_merchandiser, user_merchandiser, product
):
    order = orders.reviewed()
    line = order.lines.get()
    data = _form(order.customer, user_merchandiser, [_line(product, id=line.pk, quantity="300")])
    data["lines-INITIAL_FORMS"] = "1"
    data["customer_po"] = order.customer_po
    response = client_merchandiser.post(f"/orders/order/{order.pk}/edit/", data)
    assert response.status_code == 302
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    assert line.quantity == Decimal("300")
    assert AuditEntry.objects.filter(scope=order.scope, action="update", object_id=str(line.pk)).exists()


def test_the_delivery_address_must_be_the_customers(
    client_merchandiser, api_merchandiser, user_merchandiser, customer, product, make
):
    theirs = make.address(customer=make.customer(), label="别家仓库")
    ours = make.address(customer=customer, label="本厂仓库")
    response = client_merchandiser.post(
        URL_NEW, _form(customer, user_merchandiser, [_line(product)], delivery_address=theirs.pk)
    )
    assert response.status_code == 200
    assert "delivery_address" in response.context["form"].errors
    payload = _api_payload(customer, product, delivery_address=theirs.pk)
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400 and "delivery_address" in response.json()
    assert Order.objects.count() == 0

    response = client_merchandiser.post(
        URL_NEW, _form(customer, user_merchandiser, [_line(product)], delivery_address=ours.pk)
    )
    assert response.status_code == 302
    assert Order.objects.get().delivery_address == ours


def test_changing_the_customer_keeps_the_address_consistent(orders, api_merchandiser, customer, make):
    address = make.address(customer=customer)
    order = orders.draft(delivery_address=address)
    response = api_merchandiser.patch(
        f"/api/orders/{order.pk}/", {"customer": make.customer().pk}, format="json"
    )
    assert response.status_code == 400 and "delivery_address" in response.json()
    assert Order.objects.get(pk=order.pk).customer == customer


def test_api_with_an_unknown_order_field_names_it(api_merchandiser, customer, product):
    payload = _api_payload(customer, product, deliver_to="深圳")
    response = api_merchandiser.post("/api/orders/", payload, format="json")
    assert response.status_code == 400
    assert "deliver_to" in response.json()
    assert Order.objects.count() == 0


def test_order_numbers_keep_counting_past_9999_in_a_month(db):
    import datetime as dt

    from gendan.masterdata.models import Customer
    from gendan.orders.models import Order
    from gendan.orders.services import next_order_number

    customer = Customer.objects.create(code="CN1", name="客户")
    day = dt.date(2026, 11, 5)
    Order.objects.create(number="SO-202611-9999", customer=customer)
    Order.objects.create(number="SO-202611-10000", customer=customer)
    assert next_order_number(day) == "SO-202611-10001"


def test_form_api_and_service_accept_the_same_order_fields():
    """One list (Order.ENTRY_FIELDS) says what an order's entry may set, wherever it comes from."""
    from gendan.orders.api.serializers import OrderLineSerializer, OrderSerializer
    from gendan.orders.forms import OrderForm, OrderLineForm
    from gendan.orders.models import Order, OrderLine
    from gendan.orders.services.entry import LINE_FIELDS, ORDER_FIELDS

    writable = {name for name, f in OrderSerializer().fields.items() if not f.read_only} - {"lines"}
    assert writable == set(Order.ENTRY_FIELDS) == set(ORDER_FIELDS)
    assert set(OrderForm.base_fields) - {"attachment", "hand_over"} == set(Order.ENTRY_FIELDS)
    line_writable = {name for name, f in OrderLineSerializer().fields.items() if not f.read_only}
    assert line_writable - {"line_no"} == set(OrderLine.ENTRY_FIELDS) == set(LINE_FIELDS)
    assert set(OrderLineForm.base_fields) | {"product_code"} == set(OrderLine.ENTRY_FIELDS)


def test_api_a_merchandiser_cannot_enter_an_order_for_another_and_lose_sight_of_it(
    api_merchandiser, make, customer, product
):
    other = make.user(role="merchandiser", username="other-merch")
    response = api_merchandiser.post(
        "/api/orders/", _api_payload(customer, product, merchandiser=other.pk), format="json"
    )
    assert response.status_code == 400, response.content
    assert "经理或管理员" in response.json()["merchandiser"][0]
    assert Order.objects.count() == 0


def test_api_a_merchandiser_cannot_hand_his_order_over_by_editing_it(
    api_merchandiser, make, orders, user_merchandiser
):
    order = orders.draft()
    other = make.user(role="merchandiser", username="other-merch")
    response = api_merchandiser.patch(f"/api/orders/{order.pk}/", {"merchandiser": other.pk}, format="json")
    assert response.status_code == 400, response.content
    assert "merchandiser" in response.json()
    order.refresh_from_db()
    assert order.merchandiser == user_merchandiser


def test_api_an_order_a_merchandiser_enters_is_his(api_merchandiser, user_merchandiser, make, product):
    # Even for another merchandiser's customer: he goes on with it himself.
    customer = make.customer(merchandiser=make.user(role="merchandiser", username="other-merch"))
    response = api_merchandiser.post("/api/orders/", _api_payload(customer, product), format="json")
    assert response.status_code == 201, response.content
    assert Order.objects.get(pk=response.json()["id"]).merchandiser == user_merchandiser


def test_api_an_administrator_may_enter_an_order_for_a_merchandiser(api_admin, make, customer, product):
    other = make.user(role="merchandiser", username="other-merch")
    response = api_admin.post(
        "/api/orders/", _api_payload(customer, product, merchandiser=other.pk), format="json"
    )
    assert response.status_code == 201, response.content
    assert Order.objects.get(pk=response.json()["id"]).merchandiser == other
