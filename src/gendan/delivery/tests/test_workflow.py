"""The delivery workflow as the merchandiser and logistics live it: ready to ship when the last
goods are stocked in, a shipment arranged within what is stocked in, confirmed by the customer
before logistics may ship, the goods out of the stock ledger, the signed receipt, and the order
through shipped and delivered to closed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockLevel, StockMovement
from gendan.inventory.services import stock_move
from gendan.issues.models import Issue
from gendan.issues.services import issue_close, issue_resolve
from gendan.masterdata.models import DeliveryAddress
from gendan.notifications.models import Notification
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.stores.models import FinishedGoodsIn, StockedInTotal
from gendan.stores.services import finished_goods_reverse

from ..choices import ShipmentStatus
from ..models import Shipment, ShipmentTotal
from ..selectors import delivered_by_line, shipped_by_line
from ..services import (
    shipment_cancel,
    shipment_confirm,
    shipment_create,
    shipment_ship,
)
from ..services_pod import delivery_record, order_close
from .conftest import receipt_photo

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _status(order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def _on_hand(ready) -> Decimal:
    found = StockLevel.objects.filter(product=ready.line.product, warehouse=ready.warehouse).values_list(
        "quantity", flat=True
    )
    return found.first() or D(0)


def test_the_last_goods_stocked_in_make_the_order_ready_and_tell_its_merchandiser(dlv, users):
    ready = dlv.order(quantity="100", stock_in="60")
    assert _status(ready.order) == OrderStatus.IN_PRODUCTION

    dlv.stock_in(ready, "40")

    assert _status(ready.order) == OrderStatus.READY_TO_SHIP
    assert Notification.objects.filter(event="delivery.ready", recipient=users["merchandiser"]).exists()


def test_a_reversed_stock_in_takes_a_ready_order_back_to_production(dlv, users):
    ready = dlv.order()
    assert _status(ready.order) == OrderStatus.READY_TO_SHIP
    record = FinishedGoodsIn.objects.get(order_line=ready.line)

    finished_goods_reverse(actor=users["warehouse"], record_id=record.pk, reason="数量录错")

    assert _status(ready.order) == OrderStatus.IN_PRODUCTION


def test_a_reversal_below_what_a_shipment_holds_is_refused_naming_it(dlv, users):
    ready = dlv.order(quantity="100", stock_in="60")
    dlv.stock_in(ready, "40")
    shipment = dlv.shipment(ready, "70")  # more than the second stock-in alone
    first = FinishedGoodsIn.objects.filter(order_line=ready.line).order_by("pk").first()

    with pytest.raises(ValidationError) as exc:
        finished_goods_reverse(actor=users["warehouse"], record_id=first.pk, reason="数量录错")

    assert shipment.number in exc.value.message_dict["record"][0]
    first.refresh_from_db()
    assert first.reversed_at is None
    assert StockedInTotal.objects.get(order_line=ready.line).quantity == D(100)
    assert _on_hand(ready) == D(100)
    # Once the shipments hold no more than what stays stocked in, the reversal goes through.
    shipment_cancel(actor=users["merchandiser"], shipment_id=shipment.pk, reason="客户改期")
    dlv.shipment(ready, "40")
    finished_goods_reverse(actor=users["warehouse"], record_id=first.pk, reason="数量录错")
    assert StockedInTotal.objects.get(order_line=ready.line).quantity == D(40)


def test_a_partial_shipment_is_arranged_while_the_rest_is_made(dlv):
    ready = dlv.order(quantity="100", stock_in="30")

    shipment = dlv.shipment(ready, "30")

    assert shipment.status == ShipmentStatus.DRAFT
    assert ShipmentTotal.objects.get(order_line=ready.line).committed == D(30)


def test_more_than_stocked_in_less_other_shipments_is_refused_naming_the_lines(dlv):
    ready = dlv.order(quantity="100", stock_in="100")
    dlv.shipment(ready, "70")

    with pytest.raises(ValidationError) as exc:
        dlv.shipment(ready, "31")

    assert "lines" in exc.value.message_dict
    assert "at most 30" in " ".join(exc.value.message_dict["lines"])
    assert Shipment.objects.count() == 1
    assert ShipmentTotal.objects.get(order_line=ready.line).committed == D(70)


def test_a_cancelled_shipment_frees_its_quantities(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "100")

    shipment_cancel(actor=users["merchandiser"], shipment_id=shipment.pk, reason="客户推迟")

    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CANCELLED
    assert dlv.shipment(ready, "100").status == ShipmentStatus.DRAFT


def test_another_customers_address_is_refused_naming_the_field(dlv, make):
    ready = dlv.order()
    other = DeliveryAddress.objects.create(customer=make.customer(), label="别家", address="上海")

    with pytest.raises(ValidationError) as exc:
        dlv.shipment(ready, "10", address=other.pk)

    assert list(exc.value.message_dict) == ["address"]
    assert not Shipment.objects.exists()


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("method", {"method": "helicopter"}),
        ("planned_at", {"planned_at": "not a date"}),
        ("place", {"place": "x" * 201}),
        ("address", {"address": None}),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(dlv, field, kw):
    ready = dlv.order()

    with pytest.raises(ValidationError) as exc:
        dlv.shipment(ready, "10", **kw)

    assert field in exc.value.message_dict
    assert not Shipment.objects.exists()


def test_shipping_before_the_customer_confirmed_is_refused_and_nothing_leaves(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "100")

    with pytest.raises(WorkflowConflict) as exc:
        shipment_ship(actor=users["logistics"], shipment_id=shipment.pk, vehicle_plate="苏E1")

    assert "not confirmed by the customer" in str(exc.value)
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DRAFT
    assert _on_hand(ready) == D(100)


def test_the_confirmation_records_who_how_and_when(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "100")
    when = timezone.now() - dt.timedelta(hours=1)

    done = shipment_confirm(
        actor=users["merchandiser"],
        shipment_id=shipment.pk,
        confirmed_by_name="李经理",
        confirmed_via="wecom",
        confirmed_at=when,
    )

    assert (done.status, done.confirmed_by_name, done.confirmed_via, done.confirmed_at) == (
        ShipmentStatus.CONFIRMED,
        "李经理",
        "wecom",
        when,
    )
    assert done.confirmation_recorded_by == users["merchandiser"]


def test_shipping_takes_the_goods_out_of_the_ledger_and_the_order_is_shipped(dlv, users):
    ready = dlv.order()

    shipment = dlv.shipped(ready, "100")

    assert shipment.status == ShipmentStatus.SHIPPED and shipment.shipped_by == users["logistics"]
    assert _on_hand(ready) == D(0)
    out = StockMovement.objects.get(kind=MovementKind.SHIPMENT)
    assert out.quantity == D(-100) and out.warehouse == ready.warehouse
    assert _status(ready.order) == OrderStatus.SHIPPED
    assert shipped_by_line([ready.line.pk]) == {ready.line.pk: D(100)}


def test_a_partial_delivery_leaves_the_order_ready_to_ship(dlv):
    ready = dlv.order()

    dlv.shipped(ready, "40")

    assert _status(ready.order) == OrderStatus.READY_TO_SHIP
    assert _on_hand(ready) == D(60)


def test_stock_never_goes_negative_when_the_goods_left_otherwise(dlv, users):
    ready = dlv.order()
    shipment = dlv.confirmed(ready, "100")
    stock_move(
        actor=None,
        warehouse=ready.warehouse,
        quantity=D(-50),
        kind=MovementKind.ADJUSTMENT,
        product=ready.line.product,
    )

    with pytest.raises(ValidationError) as exc:
        shipment_ship(actor=users["logistics"], shipment_id=shipment.pk, vehicle_plate="苏E1")

    assert "lines" in exc.value.message_dict
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CONFIRMED
    assert _on_hand(ready) == D(50)


def test_a_truck_needs_its_plate_and_an_express_its_tracking_number(dlv, users):
    ready = dlv.order()
    shipment = dlv.confirmed(ready, "100")

    with pytest.raises(ValidationError) as exc:
        shipment_ship(actor=users["logistics"], shipment_id=shipment.pk)

    assert list(exc.value.message_dict) == ["vehicle_plate"]


def test_the_proof_of_delivery_delivers_and_the_merchandiser_closes(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipped(ready, "100")

    proof = delivery_record(
        actor=users["logistics"], shipment_id=shipment.pk, upload=receipt_photo(), signed_by="王先生"
    )

    assert proof.file.name.startswith("deliveries/") and "receipt" not in proof.file.name.rsplit("/", 1)[-1]
    assert proof.issue is None
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DELIVERED
    assert _status(ready.order) == OrderStatus.DELIVERED
    ((day, qty, shipment_id),) = delivered_by_line([ready.line.pk])[ready.line.pk]
    assert (day, qty, shipment_id) == (timezone.localdate(proof.signed_at), D(100), shipment.pk)

    order_close(actor=users["merchandiser"], order_id=ready.order.pk)

    assert _status(ready.order) == OrderStatus.CLOSED


def _received_short(users, shipment, note=""):
    """The proof of delivery of a 100 shipment: 98 received, 3 of them damaged."""
    line = shipment.lines.get()
    return delivery_record(
        actor=users["logistics"],
        shipment_id=shipment.pk,
        upload=receipt_photo(),
        signed_by="王先生",
        received={line.pk: "98"},
        damaged={line.pk: "3"},
        note=note,
    )


def test_a_difference_opens_an_issue_and_closing_waits_for_it(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipped(ready, "100")

    proof = _received_short(users, shipment, note="两箱丢失，三台外壳破损")

    issue = Issue.objects.get(fingerprint=f"pod:{proof.pk}")
    assert (
        issue.kind == "customer" and issue.order_id == ready.order.pk and issue.owner == users["merchandiser"]
    )
    assert "received 98" in issue.description and "3 damaged" in issue.description
    # Shipped in full but 95 accepted: the order is not delivered in full.
    assert _status(ready.order) == OrderStatus.SHIPPED
    Order.objects.filter(pk=ready.order.pk).update(status=OrderStatus.DELIVERED)
    with pytest.raises(WorkflowConflict) as exc:
        order_close(actor=users["merchandiser"], order_id=ready.order.pk)
    assert issue.number in str(exc.value)
    assert _status(ready.order) == OrderStatus.DELIVERED


def test_an_order_delivered_short_closes_once_the_difference_is_settled(dlv, users, client_for):
    """Short or damaged on the last shipment, the order never reaches delivered: once the issue of
    the difference is settled and closed (the customer accepted 95 and a credit note), the
    merchandiser closes it from shipped; while the issue is open he cannot."""
    ready = dlv.order()
    shipment = dlv.shipped(ready, "100")
    proof = _received_short(users, shipment)
    issue = Issue.objects.get(fingerprint=f"pod:{proof.pk}")
    merchandiser = users["merchandiser"]
    page = client_for("merchandiser").get(reverse("delivery:order", args=[ready.order.pk]))
    assert "Close the order" not in page.content.decode() and "关闭订单" not in page.content.decode()
    with pytest.raises(WorkflowConflict) as exc:
        order_close(actor=merchandiser, order_id=ready.order.pk)
    assert issue.number in str(exc.value)
    assert _status(ready.order) == OrderStatus.SHIPPED

    issue_resolve(actor=merchandiser, issue_id=issue.pk, solution="客户同意按实收 95 台结算，开具红字发票")
    issue_close(actor=merchandiser, issue_id=issue.pk)
    page = client_for("merchandiser").get(reverse("delivery:order", args=[ready.order.pk]))
    assert f'action="{reverse("delivery:close", args=[ready.order.pk])}"' in page.content.decode()
    order_close(actor=merchandiser, order_id=ready.order.pk)

    assert _status(ready.order) == OrderStatus.CLOSED


def test_a_shipped_order_with_a_shipment_under_way_is_not_closed(dlv, users):
    ready = dlv.order()
    first = dlv.shipped(ready, "60")
    dlv.shipped(ready, "40")
    line = first.lines.get()
    delivery_record(
        actor=users["logistics"],
        shipment_id=first.pk,
        upload=receipt_photo(),
        signed_by="王先生",
        received={line.pk: "59"},
    )
    Issue.objects.filter(order=ready.order).update(status="closed")

    with pytest.raises(WorkflowConflict) as exc:
        order_close(actor=users["merchandiser"], order_id=ready.order.pk)

    assert "under way" in str(exc.value)
    assert _status(ready.order) == OrderStatus.SHIPPED


def test_a_receipt_must_be_a_photo_or_pdf_within_the_limit(dlv, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ready = dlv.order()
    shipment = dlv.shipped(ready, "100")

    with pytest.raises(ValidationError) as exc:
        delivery_record(
            actor=users["logistics"],
            shipment_id=shipment.pk,
            upload=SimpleUploadedFile("x.html", b"<script>", content_type="text/html"),
            signed_by="王",
        )

    assert list(exc.value.message_dict) == ["file"]
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.SHIPPED


def test_more_received_than_shipped_is_refused_naming_the_field(dlv, users):
    ready = dlv.order()
    shipment = dlv.shipped(ready, "100")
    line = shipment.lines.get()

    with pytest.raises(ValidationError) as exc:
        delivery_record(
            actor=users["logistics"],
            shipment_id=shipment.pk,
            upload=receipt_photo(),
            signed_by="王",
            received={line.pk: "101"},
        )

    assert list(exc.value.message_dict) == ["received"]


def test_who_does_what(dlv, users, make):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "50")
    other = make.user("merchandiser")

    with pytest.raises(PermissionDenied):  # logistics does not arrange
        shipment_create(
            actor=users["logistics"],
            order=ready.order,
            lines=[(ready.line.pk, "10")],
            method="pickup",
            address=None,
            planned_at=timezone.now(),
        )
    with pytest.raises(Shipment.DoesNotExist):  # another merchandiser's shipment is not there for him
        shipment_confirm(actor=other, shipment_id=shipment.pk, confirmed_by_name="李", confirmed_via="phone")
    with pytest.raises(PermissionDenied):  # the merchandiser does not ship
        shipment_ship(actor=users["merchandiser"], shipment_id=shipment.pk, vehicle_plate="苏E1")
    with pytest.raises(PermissionDenied):  # logistics does not confirm for the customer
        shipment_confirm(
            actor=users["logistics"], shipment_id=shipment.pk, confirmed_by_name="李", confirmed_via="phone"
        )
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DRAFT


def test_an_order_not_in_production_takes_no_shipment(dlv):
    ready = dlv.order()
    Order.objects.filter(pk=ready.order.pk).update(status=OrderStatus.ON_HOLD)

    with pytest.raises(ValidationError) as exc:
        dlv.shipment(ready, "10")

    assert list(exc.value.message_dict) == ["order"]
    assert not Shipment.objects.exists()
