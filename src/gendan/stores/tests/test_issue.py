"""Issuing material to an order's production, and taking unused material back: the picking list's
numbers, and every guard (stock on hand, what the order still needs, archived warehouses, the
order's status, bad quantities). A refused issue changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.core.models import AuditEntry
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockMovement
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.stores.choices import IssueKind
from gendan.stores.models import IssuedTotal, MaterialIssue
from gendan.stores.selectors import picking_list
from gendan.stores.services import material_issue, material_return

from .conftest import on_hand

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_picking_list_says_what_to_issue_from_where(store, keeper):
    o = store.order(needs=(("100", 5), ("40", 9)))
    steel, seal = o.materials
    w1, w2 = store.warehouses(2)
    store.stock(steel, w1, "60")
    store.stock(steel, w2, "70")
    store.stock(seal, w2, "10")
    material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "30")])

    rows = {r.material: r for r in picking_list(user=keeper, order=o.order).rows}
    assert [r.material for r in picking_list(user=keeper, order=o.order).rows] == [
        steel,
        seal,
    ]  # by need date
    s = rows[steel]
    assert (s.required, s.issued, s.remaining, s.on_hand, s.to_issue, s.short) == (
        D(100),
        D(30),
        D(70),
        D(100),
        D(70),
        D(0),
    )
    assert [(st.warehouse, st.on_hand, st.suggested) for st in s.stock] == [
        (w1, D(30), D(30)),
        (w2, D(70), D(40)),
    ]
    seals = rows[seal]
    assert (seals.required, seals.issued, seals.to_issue, seals.short) == (D(40), D(0), D(10), D(30))


def test_an_issue_takes_the_stock_out_through_the_ledger_and_is_recorded_on_the_order(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "120")

    (issue,) = material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "100")], note="first batch")

    assert on_hand(steel, w1) == D(20)
    assert (issue.order, issue.material, issue.warehouse, issue.quantity, issue.kind, issue.created_by) == (
        o.order,
        steel,
        w1,
        D(100),
        IssueKind.ISSUE,
        keeper,
    )
    movement = issue.movement
    assert (movement.kind, movement.quantity, movement.reference) == (
        MovementKind.ISSUE,
        D(-100),
        o.order.number,
    )
    entry = AuditEntry.objects.get(action="material_issue")
    assert entry.scope == f"order:{o.order.pk}" and "100" in entry.note


def test_more_than_on_hand_is_refused_and_no_row_of_the_issue_is_kept(store, keeper):
    o = store.order()
    steel, seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "100")
    store.stock(seal, w1, "5")

    with pytest.raises(ValidationError) as exc:
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "100"), (seal, w1, "6")])

    assert "Row 2" in str(exc.value) and seal.code in str(exc.value) and "Only 5 on hand" in str(exc.value)
    assert on_hand(steel, w1) == D(100)  # the first row was rolled back too
    assert not MaterialIssue.objects.exists()
    assert not StockMovement.objects.filter(kind=MovementKind.ISSUE).exists()
    assert IssuedTotal.objects.filter(quantity__gt=0).count() == 0


def test_more_than_the_order_still_needs_is_refused(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "500")
    material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "80")])

    with pytest.raises(ValidationError) as exc:
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "21")])

    assert "plan needs 100, 80 already issued, so at most 20 more" in str(exc.value)
    assert on_hand(steel, w1) == D(420)
    assert MaterialIssue.objects.count() == 1


def test_a_material_the_plan_does_not_need_is_more_than_needed(store, keeper):
    o = store.order()
    other = store.make.material()
    (w1,) = store.warehouses(1)
    store.stock(other, w1, "10")
    with pytest.raises(ValidationError, match="plan needs 0"):
        material_issue(actor=keeper, order=o.order, lines=[(other, w1, "1")])


def test_a_user_allowed_to_may_issue_more_than_needed_and_the_issue_records_him(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "500")
    material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "90")])
    (within,) = material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "10")], allow_over=True)
    (over,) = material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "15")], allow_over=True)

    assert within.over_allowed_by is None  # within the need: nothing to allow
    assert over.over_allowed_by == keeper
    assert IssuedTotal.objects.get(order=o.order, material=steel).quantity == D(115)


def test_only_the_warehouse_issues(store, users):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "100")
    for role in ("production", "merchandiser", "logistics"):
        with pytest.raises(PermissionDenied):
            material_issue(actor=users[role], order=o.order, lines=[(steel, w1, "1")])
    assert on_hand(steel, w1) == D(100)


def test_an_archived_warehouse_issues_nothing(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "100")
    w1.__class__.objects.filter(pk=w1.pk).update(is_archived=True)
    w1.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "10")])
    assert on_hand(steel, w1) == D(100)


@pytest.mark.parametrize("status", [OrderStatus.ON_HOLD, OrderStatus.CANCELLED, OrderStatus.READY_TO_SHIP])
def test_only_released_orders_in_production_take_material(store, keeper, status):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "100")
    Order.objects.filter(pk=o.order.pk).update(status=status)
    with pytest.raises(ValidationError, match="released orders in production only"):
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "10")])


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        ("abc", "Enter a number"),
        ("-5", "above zero"),
        ("0", "above zero"),
        ("1.00001", "4 decimal places"),
        ("NaN", "Enter a number"),
        ("1e12", "less than"),
    ],
)
def test_bad_quantities_name_the_row(store, keeper, qty, message):
    o = store.order()
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "100")
    with pytest.raises(ValidationError) as exc:
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, qty)])
    assert "Row 1" in str(exc.value) and message in str(exc.value)
    assert not MaterialIssue.objects.exists()


def test_nothing_to_issue_is_said_so(store, keeper):
    o = store.order()
    with pytest.raises(ValidationError, match="at least one row"):
        material_issue(actor=keeper, order=o.order, lines=[])


def test_unused_material_goes_back_as_its_own_movement_and_no_more_than_was_issued(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    w1, w2 = store.warehouses(2)
    store.stock(steel, w1, "100")
    material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "100")])

    back = material_return(actor=keeper, order=o.order, material=steel, warehouse=w2, quantity="12")
    assert (back.kind, back.quantity, back.movement.kind, back.movement.quantity) == (
        IssueKind.RETURN,
        D(12),
        MovementKind.RETURN,
        D(12),
    )
    assert on_hand(steel, w2) == D(12)
    assert IssuedTotal.objects.get(order=o.order, material=steel).quantity == D(88)
    assert AuditEntry.objects.filter(action="material_return", scope=f"order:{o.order.pk}").count() == 1
    # The order may take 12 more again, and give back no more than it has.
    with pytest.raises(ValidationError, match="has only 88"):
        material_return(actor=keeper, order=o.order, material=steel, warehouse=w2, quantity="89")
    assert on_hand(steel, w2) == D(12)


def test_a_material_never_issued_cannot_be_returned(store, keeper):
    o = store.order()
    _steel, seal = o.materials
    (w1,) = store.warehouses(1)
    with pytest.raises(ValidationError, match="has only 0"):
        material_return(actor=keeper, order=o.order, material=seal, warehouse=w1, quantity="1")


def test_an_order_the_keeper_may_not_see_is_no_such_order(store, keeper):
    o = store.order(status=OrderStatus.RELEASED)
    steel, _seal = o.materials
    (w1,) = store.warehouses(1)
    Order.objects.filter(pk=o.order.pk).update(released_at=None)  # not released to the warehouse
    with pytest.raises(ValidationError, match="No such order"):
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "1")])


def test_rows_of_one_material_from_two_warehouses_count_together_against_the_need(store, keeper):
    o = store.order()
    steel, _seal = o.materials
    w1, w2 = store.warehouses(2)
    store.stock(steel, w1, "80")
    store.stock(steel, w2, "80")
    with pytest.raises(ValidationError) as exc:
        material_issue(actor=keeper, order=o.order, lines=[(steel, w1, "60"), (steel, w2, "50")])
    assert "Row 1" in str(exc.value) and "at most 100 more" in str(exc.value)
    issued = material_issue(actor=keeper, order=o.order, lines=[(steel, w2, "40"), (steel, w1, "60")])
    assert [(i.warehouse, i.quantity) for i in issued] == [(w2, D(40)), (w1, D(60))]  # in the rows' order
    assert (on_hand(steel, w1), on_hand(steel, w2)) == (D(20), D(40))
