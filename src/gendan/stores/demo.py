"""The warehouse's demo (step 67, after the shop floor's reports and purchasing): material issued
to the orders in production (what their picking lists say can be issued now, from the suggested
warehouses), and finished goods stocked in for the lines whose last operation reported good units
(most of them: the rest waits on the page).
Idempotent: an order that already had material issued, or a line already stocked in, is left."""

from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError

from gendan.core.demo import DemoPart
from gendan.inventory.models import Warehouse
from gendan.orders.models import Order
from gendan.planning.models import OrderOperation

from .choices import ISSUABLE_ORDER_STATES
from .models import FinishedGoodsIn, MaterialIssue, StockedInTotal
from .selectors import picking_list, waiting_to_stock_in
from .services import finished_goods_in, material_issue


def build_stores(*, users, **_earlier) -> DemoPart:
    keeper = users["warehouse"]
    # Built once: a second build would find stock that later steps received and issue again.
    if not MaterialIssue.objects.exists():
        _issue(keeper)
    if not FinishedGoodsIn.objects.exists():
        _stock_in(keeper)
    return DemoPart(
        counts={
            "material issues": MaterialIssue.objects.count(),
            "finished goods in": FinishedGoodsIn.objects.count(),
        }
    )


def _issue(keeper) -> None:
    """The orders the shop floor has started on get half of what their picking lists suggest (the
    first days' work; the rest stays on the picking list); released ones not yet."""
    started = OrderOperation.objects.filter(good_qty__gt=0).values("order_id")
    orders = (
        Order.objects.filter(status__in=ISSUABLE_ORDER_STATES, plan__in_force__isnull=False, pk__in=started)
        .exclude(material_issues__isnull=False)
        .order_by("number")[:30]
    )
    for order in orders:
        picking = picking_list(user=keeper, order=order)
        lines = [
            (row.material, stock.warehouse, half)
            for row in picking.rows
            for stock in row.stock
            if (half := (stock.suggested / 2).quantize(Decimal("0.01"), ROUND_FLOOR)) > 0
        ]
        if not lines:
            continue
        try:
            material_issue(actor=keeper, order=order, lines=lines, note="")
        except ValidationError:
            continue  # the stock moved since the list was read: the demo leaves that order


def _stock_in(keeper) -> None:
    warehouse = Warehouse.objects.filter(is_archived=False).order_by("code").first()
    if warehouse is None:
        return
    done = StockedInTotal.objects.values("order_line_id")
    for op in waiting_to_stock_in(user=keeper).exclude(order_line_id__in=done)[:40]:
        # Most of what was reported good is in; the rest waits on the page for the keeper. A line
        # made whole (the orders the shop floor's demo finished) goes in whole: it is shipped.
        quantity = (op.waiting * Decimal("0.6")).to_integral_value(ROUND_FLOOR) or op.waiting
        if op.good_qty >= (op.order_line.quantity or 0):
            quantity = op.waiting
        try:
            finished_goods_in(actor=keeper, order_line=op.order_line, warehouse=warehouse, quantity=quantity)
        except ValidationError:
            continue
