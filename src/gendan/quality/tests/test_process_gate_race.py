"""Two keepers stocking in at once (file database, real threads) against the final inspection's
gate: the units final inspection passed go into stock once, not once per keeper."""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.inventory.models import Warehouse
from gendan.planning.models import OrderOperation
from gendan.stores import gates
from gendan.stores.models import FinishedGoodsIn, StockedInTotal
from gendan.stores.services import finished_goods_in
from gendan.testing import race

from .test_process_gate import _final

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def both_asked(monkeypatch):
    """A gate after the others that waits (up to a second) until both keepers have been answered
    by them: if the gates were asked before the stock-in's lock, both would be answered from the
    same count. Under the lock the second keeper waits for the first, and this gate lets the first
    go on alone after its second."""
    meet = threading.Barrier(2)

    def rendezvous(_line, _quantity):
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=1)
        return None

    monkeypatch.setattr(gates, "_GATES", [*gates._GATES, rendezvous])


def test_two_keepers_cannot_both_stock_in_what_final_inspection_passed_once(
    line_with_plans, inspector, users, both_asked
):
    w = line_with_plans
    OrderOperation.objects.filter(pk=w.ops[-1].pk).update(good_qty=Decimal(200))
    _final(inspector, w, 100)  # 200 reported good, 100 of them passed final inspection
    warehouse = Warehouse.objects.create(code="FG1", name="成品仓")

    results = race(
        2,
        lambda _i: finished_goods_in(
            actor=users["warehouse"], order_line=w.line.pk, warehouse=warehouse, quantity="60"
        ),
    )

    assert sum(isinstance(r, FinishedGoodsIn) for r in results) == 1, results
    (refused,) = [r for r in results if isinstance(r, ValidationError)]
    assert "quantity" in refused.message_dict
    assert FinishedGoodsIn.objects.count() == 1
    assert StockedInTotal.objects.get(order_line=w.line).quantity == Decimal(60)
