"""Finished goods in: from the last operation's good units less what was stocked in, never more;
through the ledger (a production movement of the line's product); the list of lines waiting; the
gate the final inspection will use."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.core.models import AuditEntry
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockLevel
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.stores import gates
from gendan.stores.models import FinishedGoodsIn, StockedInTotal
from gendan.stores.selectors import waiting_to_stock_in
from gendan.stores.services import finished_goods_in

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _product_on_hand(line, warehouse) -> Decimal:
    found = StockLevel.objects.filter(product=line.product, warehouse=warehouse).values_list(
        "quantity", flat=True
    )
    return found.first() or D(0)


def test_good_units_of_the_last_operation_are_stocked_in_through_the_ledger(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")

    record = finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="40")

    assert (record.order, record.order_line, record.product, record.quantity) == (
        o.order,
        o.line,
        o.line.product,
        D(40),
    )
    assert (record.movement.kind, record.movement.quantity, record.movement.reference) == (
        MovementKind.PRODUCTION,
        D(40),
        o.order.number,
    )
    assert _product_on_hand(o.line, w1) == D(40)
    assert StockedInTotal.objects.get(order_line=o.line).quantity == D(40)
    assert AuditEntry.objects.filter(action="finished_goods_in", scope=f"order:{o.order.pk}").count() == 1


def test_never_more_than_the_last_operation_reported_good(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="50")

    with pytest.raises(ValidationError) as exc:
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="11")
    assert "reported 60 good, 50 already stocked in, so at most 10" in str(exc.value)
    assert _product_on_hand(o.line, w1) == D(50)
    assert FinishedGoodsIn.objects.count() == 1


def test_the_first_operations_good_units_are_not_finished_goods(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    first = o.ops[0]
    first.__class__.objects.filter(pk=first.pk).update(good_qty=D(100))  # only the first step done
    with pytest.raises(ValidationError, match="reported 0 good"):
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="1")


def test_the_lines_waiting_are_those_with_good_units_not_yet_stocked_in(store, keeper):
    done = store.order(quantity="10")
    part = store.order(quantity="10")
    store.order(quantity="10")  # nothing reported
    (w1,) = store.warehouses(1)
    done.report_good("10")
    part.report_good("8")
    finished_goods_in(actor=keeper, order_line=done.line, warehouse=w1, quantity="10")
    finished_goods_in(actor=keeper, order_line=part.line, warehouse=w1, quantity="5")

    waiting = list(waiting_to_stock_in(user=keeper))
    assert [(op.order_line, op.stocked, op.waiting) for op in waiting] == [(part.line, D(5), D(3))]


def test_the_stock_in_gate_may_refuse_units(store, keeper, monkeypatch):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    monkeypatch.setattr(gates, "_GATES", [lambda line, qty: "Not inspected yet." if qty > 20 else None])
    with pytest.raises(ValidationError, match="Not inspected yet"):
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="21")
    finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="20")
    assert _product_on_hand(o.line, w1) == D(20)


def test_only_the_warehouse_stocks_in(store, users):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    for role in ("production", "merchandiser", "quality"):
        with pytest.raises(PermissionDenied):
            finished_goods_in(actor=users[role], order_line=o.line, warehouse=w1, quantity="1")


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.ON_HOLD, OrderStatus.SHIPPED])
def test_orders_not_in_production_stock_nothing_in(store, keeper, status):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    Order.objects.filter(pk=o.order.pk).update(status=status)
    with pytest.raises(ValidationError, match="not stocked in"):
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="1")


def test_bad_input_is_named(store, keeper):
    o = store.order(quantity="100")
    (w1,) = store.warehouses(1)
    o.report_good("60")
    with pytest.raises(ValidationError, match="above zero"):
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="-1")
    with pytest.raises(ValidationError, match="No such order line"):
        finished_goods_in(actor=keeper, order_line=999999, warehouse=w1, quantity="1")
    w1.__class__.objects.filter(pk=w1.pk).update(is_archived=True)
    w1.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        finished_goods_in(actor=keeper, order_line=o.line, warehouse=w1, quantity="1")
    assert not FinishedGoodsIn.objects.exists()
    assert StockedInTotal.objects.filter(quantity__gt=0).count() == 0
