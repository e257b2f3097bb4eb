"""The final inspection gates the stock-in of finished goods of a product with a final inspection
plan: no more than passed final inspections cover; a product without one is stocked in as before."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.inventory.models import Warehouse
from gendan.planning.models import OrderOperation
from gendan.quality import services_process as svc
from gendan.quality.models import ProcessInspection
from gendan.stores.services import finished_goods_in

pytestmark = pytest.mark.django_db


def _good(line_with_plans, qty):
    OrderOperation.objects.filter(pk=line_with_plans.ops[-1].pk).update(good_qty=Decimal(qty))


def _final(inspector, w, lot, *, passed=True):
    made = svc.process_inspection_create(
        actor=inspector, kind="final", order_line_id=w.line.pk, lot_quantity=lot
    )
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.appearance.pk, unit_no=1, ok="1" if passed else "0"
    )
    return svc.process_inspection_complete(actor=inspector, inspection_id=made.pk)


@pytest.fixture
def warehouse(db):
    return Warehouse.objects.create(code="FG1", name="成品仓")


def test_nothing_is_stocked_in_before_final_inspection_passes(line_with_plans, inspector, users, warehouse):
    w = line_with_plans
    _good(w, "100")
    with pytest.raises(ValidationError) as exc:
        finished_goods_in(actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="10")
    assert "final inspection" in str(exc.value).lower() or "终检" in str(exc.value)
    _final(inspector, w, 60, passed=False)
    with pytest.raises(ValidationError):
        finished_goods_in(actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="10")
    _final(inspector, w, 60)
    finished_goods_in(actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="50")
    with pytest.raises(ValidationError) as exc:  # 60 passed, 50 in: 10 left
        finished_goods_in(actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="11")
    assert "quantity" in exc.value.message_dict
    finished_goods_in(actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="10")
    assert ProcessInspection.objects.filter(status="passed").count() == 1


def test_a_product_without_a_final_plan_is_stocked_in_as_before(line_with_plans, users, warehouse):
    w = line_with_plans
    w.final.is_archived = True
    w.final.save()
    _good(w, "100")
    record = finished_goods_in(
        actor=users["warehouse"], order_line=w.line, warehouse=warehouse, quantity="100"
    )
    assert record.quantity == Decimal(100)
