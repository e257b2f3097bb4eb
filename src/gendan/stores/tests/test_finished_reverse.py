"""A finished goods stock-in booked by mistake is reversed, never deleted: the goods leave the stock
by a movement of their own (never below zero), the line may stock them in again, and the shop floor
cannot reverse its last operation's report below what was stocked in."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockLevel
from gendan.inventory.services import stock_move
from gendan.shopfloor.services import report_create, report_reverse
from gendan.stores.models import FinishedGoodsIn, StockedInTotal
from gendan.stores.services import finished_goods_in, finished_goods_reverse

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _on_hand(line, warehouse) -> Decimal:
    found = StockLevel.objects.filter(product=line.product, warehouse=warehouse).values_list(
        "quantity", flat=True
    )
    return found.first() or D(0)


def test_a_reversed_stock_in_takes_the_goods_out_and_may_be_booked_again(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")

    reversed_ = finished_goods_reverse(actor=keeper, record_id=record.pk, reason="数量点错")

    assert reversed_.reversed_at is not None and reversed_.reversed_by == keeper
    assert reversed_.reverse_reason == "数量点错"
    assert (reversed_.reversal_movement.kind, reversed_.reversal_movement.quantity) == (
        MovementKind.ADJUSTMENT,
        D(-40),
    )
    assert _on_hand(o.line, w1) == 0
    assert StockedInTotal.objects.get(order_line=o.line).quantity == 0
    assert (
        AuditEntry.objects.filter(action="finished_goods_reversed", scope=f"order:{o.order.pk}").count() == 1
    )
    # The record stays; the right quantity is booked again.
    again = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="60")
    assert FinishedGoodsIn.objects.count() == 2 and again.quantity == 60
    assert _on_hand(o.line, w1) == 60


def test_a_stock_in_is_reversed_once(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")
    finished_goods_reverse(actor=keeper, record_id=record.pk, reason="错")
    with pytest.raises(WorkflowConflict, match="already been reversed"):
        finished_goods_reverse(actor=keeper, record_id=record.pk, reason="再来")
    assert _on_hand(o.line, w1) == 0


def test_goods_gone_from_stock_cannot_be_reversed_and_nothing_changes(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")
    stock_move(actor=None, warehouse=w1, quantity=D(-30), kind=MovementKind.SHIPMENT, product=o.line.product)

    with pytest.raises(ValidationError, match="no longer all in"):
        finished_goods_reverse(actor=keeper, record_id=record.pk, reason="错")

    record.refresh_from_db()
    assert record.reversed_at is None and record.reversal_movement is None
    assert StockedInTotal.objects.get(order_line=o.line).quantity == 40
    assert _on_hand(o.line, w1) == 10


@pytest.mark.parametrize("record_id", ["x", "999999", None])
def test_bad_input_is_named_and_changes_nothing(store, keeper, record_id):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")
    with pytest.raises(ValidationError, match="reversed"):
        finished_goods_reverse(actor=keeper, record_id=record.pk, reason="  ")
    with pytest.raises(ValidationError, match="No such stock-in"):
        finished_goods_reverse(actor=keeper, record_id=record_id, reason="错")
    assert _on_hand(o.line, w1) == 40


def test_only_the_warehouse_reverses(store, keeper, users):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")
    with pytest.raises(PermissionDenied):
        finished_goods_reverse(actor=users["production"], record_id=record.pk, reason="错")
    # A merchandiser who sees the order may read the record, not reverse it.
    with pytest.raises(PermissionDenied):
        finished_goods_reverse(actor=users["merchandiser"], record_id=record.pk, reason="错")
    assert _on_hand(o.line, w1) == 40


def test_the_shop_floor_cannot_reverse_its_last_report_below_what_was_stocked_in(store, keeper, users):
    leader = users["production"]
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    report_create(actor=leader, operation_id=o.ops[0].pk, good_qty="60")
    last = report_create(actor=leader, operation_id=o.last.pk, good_qty="50")
    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="50")

    with pytest.raises(WorkflowConflict, match="reverse the stock-in first"):
        report_reverse(actor=leader, report_id=last.pk, reason="录错了")
    o.last.refresh_from_db()
    assert o.last.good_qty == 50

    finished_goods_reverse(actor=keeper, record_id=record.pk, reason="先冲销入库")
    report_reverse(actor=leader, report_id=last.pk, reason="录错了")
    o.last.refresh_from_db()
    assert o.last.good_qty == 0


def test_the_page_and_the_api_reverse(store, keeper, client, api_for):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    first = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="20")
    second = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="20")
    client.force_login(keeper)
    page = client.get("/stores/finished/")
    assert f"/stores/finished/{first.pk}/reverse/" in page.content.decode()
    assert client.get(f"/stores/finished/{first.pk}/reverse/").status_code == 405
    response = client.post(f"/stores/finished/{first.pk}/reverse/", {"reason": "重复入库", "back": "order"})
    assert response.status_code == 302 and response["Location"].endswith(f"/stores/order/{o.order.pk}/")
    first.refresh_from_db()
    assert first.reversed_at is not None

    api = api_for("warehouse")
    assert api.post(f"/api/finished-goods-in/{second.pk}/reverse/", {}, format="json").status_code == 400
    response = api.post(f"/api/finished-goods-in/{second.pk}/reverse/", {"reason": "重复入库"}, format="json")
    assert response.status_code == 200 and response.json()["reverse_reason"] == "重复入库"
    again = api.post(f"/api/finished-goods-in/{second.pk}/reverse/", {"reason": "x"}, format="json")
    assert again.status_code == 409
    assert _on_hand(o.line, w1) == 0
