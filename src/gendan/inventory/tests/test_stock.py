"""Stock changes only through recorded movements and never goes below zero, even under races."""

from decimal import Decimal

import pytest

from gendan.core.exceptions import InsufficientStock, ValidationError, WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.inventory.models import StockLevel, StockMovement, Warehouse
from gendan.inventory.services import stock_move, warehouse_set_archived
from gendan.testing import race


def level_of(warehouse, material):
    return StockLevel.objects.get(warehouse=warehouse, material=material).quantity


@pytest.mark.django_db
def test_receipt_and_issue_keep_a_running_balance(users, make):
    wh, steel = make.warehouse(), make.material()
    actor = users["warehouse"]
    stock_move(actor=actor, warehouse=wh, material=steel, kind="receipt", quantity=Decimal(10))
    issue = stock_move(actor=actor, warehouse=wh, material=steel, kind="issue", quantity=Decimal(4))
    assert issue.quantity == Decimal(-4)  # an issue of 4 is stored as -4
    assert issue.balance_after == Decimal(6)
    assert issue.created_by == actor
    assert level_of(wh, steel) == Decimal(6)


@pytest.mark.django_db
def test_issue_more_than_on_hand_is_refused_and_changes_nothing(users, make):
    wh, steel = make.warehouse(code="W1", name="原料仓"), make.material()
    actor = users["warehouse"]
    stock_move(actor=actor, warehouse=wh, material=steel, kind="receipt", quantity=Decimal("3.5"))
    movements, entries = StockMovement.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InsufficientStock) as exc:
        stock_move(actor=actor, warehouse=wh, material=steel, kind="issue", quantity=Decimal(5))
    message = " ".join(exc.value.message_dict["quantity"])
    assert "3.5" in message and "5" in message
    assert level_of(wh, steel) == Decimal("3.5")
    assert (StockMovement.objects.count(), AuditEntry.objects.count()) == (movements, entries)


@pytest.mark.django_db
def test_issue_from_empty_stock_leaves_no_balance_row(users, make):
    wh, steel = make.warehouse(), make.material()
    with pytest.raises(InsufficientStock):
        stock_move(actor=users["warehouse"], warehouse=wh, material=steel, kind="issue", quantity=Decimal(1))
    assert not StockLevel.objects.exists() and not StockMovement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"kind": "receipt", "quantity": Decimal(0)}, "quantity"),
        ({"kind": "receipt", "quantity": Decimal(-1)}, "quantity"),
        ({"kind": "teleport", "quantity": Decimal(1)}, "kind"),
    ],
)
def test_bad_movements_are_refused(users, make, kwargs, field):
    wh, steel = make.warehouse(), make.material()
    with pytest.raises(ValidationError) as exc:
        stock_move(actor=users["warehouse"], warehouse=wh, material=steel, **kwargs)
    assert field in exc.value.message_dict
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_adjustment_may_go_down_but_not_below_zero(users, make):
    wh, steel = make.warehouse(), make.material()
    make.stock(wh, 5, material=steel)
    stock_move(actor=None, warehouse=wh, material=steel, kind="adjustment", quantity=Decimal(-2))
    with pytest.raises(InsufficientStock):
        stock_move(actor=None, warehouse=wh, material=steel, kind="adjustment", quantity=Decimal(-4))
    assert level_of(wh, steel) == Decimal(3)


@pytest.mark.django_db
def test_movement_needs_exactly_one_item(users, make):
    wh = make.warehouse()
    with pytest.raises(ValidationError):
        stock_move(actor=None, warehouse=wh, kind="receipt", quantity=Decimal(1))
    with pytest.raises(ValidationError):
        stock_move(
            actor=None,
            warehouse=wh,
            kind="receipt",
            quantity=Decimal(1),
            material=make.material(),
            product=make.product(),
        )


@pytest.mark.django_db
def test_archived_warehouse_takes_no_movements(users, make):
    wh = make.warehouse()
    warehouse_set_archived(actor=users["warehouse"], pk=wh.pk, archived=True)
    wh.refresh_from_db()
    with pytest.raises(ValidationError):
        make.stock(wh, 1)


@pytest.mark.django_db
def test_warehouse_with_stock_cannot_be_archived(users, client_warehouse, make):
    wh, steel = make.warehouse(), make.material()
    make.stock(wh, 2, material=steel)
    with pytest.raises(ValidationError):
        warehouse_set_archived(actor=users["warehouse"], pk=wh.pk, archived=True)
    response = client_warehouse.post(f"/inventory/warehouse/{wh.pk}/archive/", follow=True)
    assert "msg-error" in response.content.decode()
    wh.refresh_from_db()
    assert not wh.is_archived
    # Once empty it can be archived, but only once.
    make.stock(wh, 2, material=steel, kind="issue")
    warehouse_set_archived(actor=users["warehouse"], pk=wh.pk, archived=True)
    with pytest.raises(WorkflowConflict):
        warehouse_set_archived(actor=users["warehouse"], pk=wh.pk, archived=True)


@pytest.mark.django_db
def test_movement_page_posts_through_the_service(client_warehouse, make):
    wh, steel = make.warehouse(), make.material()
    data = {"warehouse": wh.pk, "material": steel.pk, "kind": "receipt", "quantity": "7", "reference": "PO-1"}
    response = client_warehouse.post("/inventory/movement/new/", data)
    assert response.status_code == 302
    movement = StockMovement.objects.get()
    assert (movement.balance_after, movement.reference) == (Decimal(7), "PO-1")
    response = client_warehouse.post("/inventory/movement/new/", data | {"kind": "issue", "quantity": "8"})
    assert response.status_code == 200
    assert "7" in " ".join(response.context["form"].errors.get("quantity", []))
    assert StockMovement.objects.count() == 1
    entry = AuditEntry.objects.get(action="stock_move")
    assert entry.source == "web"


def _check_ledger(wh, material):
    running = Decimal(0)
    for m in StockMovement.objects.filter(warehouse=wh, material=material).order_by("id"):
        running += m.quantity
        assert m.balance_after == running
        assert m.balance_after >= 0
    assert level_of(wh, material) == running


@pytest.mark.django_db(transaction=True)
def test_two_issues_racing_for_the_last_piece_only_one_wins(users, make):
    wh, part = make.warehouse(), make.material()
    make.stock(wh, 1, material=part)
    actor = users["warehouse"]

    def issue(_i):
        return stock_move(actor=actor, warehouse=wh, material=part, kind="issue", quantity=Decimal(1))

    results = race(2, issue)
    wins = [r for r in results if isinstance(r, StockMovement)]
    losses = [r for r in results if isinstance(r, InsufficientStock)]
    assert (len(wins), len(losses)) == (1, 1), results
    assert level_of(wh, part) == 0
    _check_ledger(wh, part)


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_movements_keep_the_ledger_consistent(users, make):
    wh, part = make.warehouse(), make.material()
    make.stock(wh, 3, material=part)
    actor = users["warehouse"]

    def move(i):
        kind, qty = ("receipt", 1) if i % 4 == 0 else ("issue", 1)
        return stock_move(actor=actor, warehouse=wh, material=part, kind=kind, quantity=Decimal(qty))

    results = race(8, move)
    unexpected = [r for r in results if not isinstance(r, StockMovement | InsufficientStock)]
    assert unexpected == []
    receipts = sum(1 for r in results if isinstance(r, StockMovement) and r.kind == "receipt")
    issues = sum(1 for r in results if isinstance(r, StockMovement) and r.kind == "issue")
    assert receipts == 2
    assert level_of(wh, part) == 3 + receipts - issues >= 0
    _check_ledger(wh, part)


@pytest.mark.django_db(transaction=True)
def test_first_movements_of_a_new_item_racing_create_one_balance(users, make):
    wh, part = make.warehouse(), make.material()

    def receive(_i):
        return stock_move(actor=None, warehouse=wh, material=part, kind="receipt", quantity=Decimal(2))

    results = race(4, receive)
    assert all(isinstance(r, StockMovement) for r in results), results
    assert StockLevel.objects.filter(warehouse=wh, material=part).count() == 1
    assert level_of(wh, part) == 8
    _check_ledger(wh, part)
    assert Warehouse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_archiving_a_warehouse_while_goods_arrive_never_leaves_stock_in_an_archived_warehouse(users, make):
    for _attempt in range(5):
        wh, part = make.warehouse(), make.material()

        def act(i, wh=wh, part=part):
            if i == 0:
                return warehouse_set_archived(actor=None, pk=wh.pk, archived=True)
            return stock_move(
                actor=None,
                warehouse=Warehouse.objects.get(pk=wh.pk),
                material=part,
                kind="receipt",
                quantity=Decimal(1),
            )

        race(2, act)
        wh.refresh_from_db()
        on_hand = sum(level.quantity for level in StockLevel.objects.filter(warehouse=wh))
        assert not (wh.is_archived and on_hand > 0)
