"""The demo's purchase orders (step 62): one in every state a purchaser meets, made through the
services from the approved lines of the demo's purchase plan in force; building again adds nothing."""

from gendan.purchasing.choices import LineChangeKind, PlanStatus, POStatus
from gendan.purchasing.demo_po import STATES, build_purchase_orders, demo_orders
from gendan.purchasing.models import POLineChange, POLineConfirmation, PurchaseOrder, PurchaseOrderLine
from gendan.purchasing.selectors_po import open_line_list


def check_the_demo_has_purchase_orders_in_every_state(demo):
    orders = dict(zip(STATES, demo_orders(), strict=True))
    statuses = {name: po.status for name, po in orders.items()}
    assert statuses == {
        "draft": POStatus.DRAFT,
        "sent": POStatus.SENT,
        "partly confirmed": POStatus.SENT,
        "confirmed": POStatus.CONFIRMED,
        "late": POStatus.SENT,
        "cancelled": POStatus.CANCELLED,
    }
    assert len({po.supplier_id for po in orders.values()}) == len(STATES)
    partly = orders["partly confirmed"].lines.order_by("position").first()
    assert 0 < sum(c.quantity for c in partly.confirmations.all()) < partly.quantity
    assert (
        POLineChange.objects.filter(line__order=orders["confirmed"], kind=LineChangeKind.DATE)
        .exclude(reason="")
        .exists()
    )
    from gendan.accounts.models import User

    purchaser = User.objects.get(username="purchaser")
    assert any(line.is_late for line in open_line_list(user=purchaser))


def check_every_line_comes_from_the_plan_in_force(demo):
    lines = PurchaseOrderLine.objects.filter(order__in=demo_orders())
    assert lines.count() >= len(STATES)
    assert not lines.filter(plan_line__isnull=True).exists()
    assert not lines.exclude(plan_line__plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.DECIDED]).exists()
    # Only the orders of the history (step 66) have no plan behind them.
    others = PurchaseOrder.objects.exclude(pk__in=[po.pk for po in demo_orders()])
    assert not PurchaseOrderLine.objects.filter(order__in=others, plan_line__isnull=False).exists()


def check_building_again_adds_nothing(demo):
    from gendan.accounts.models import User

    counts = (
        PurchaseOrder.objects.count(),
        POLineConfirmation.objects.count(),
        POLineChange.objects.count(),
    )
    build_purchase_orders(users={"purchaser": User.objects.get(username="purchaser")})
    assert (
        PurchaseOrder.objects.count(),
        POLineConfirmation.objects.count(),
        POLineChange.objects.count(),
    ) == counts
