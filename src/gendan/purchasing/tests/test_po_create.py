"""Purchase orders are made from approved purchase plan lines only (R-3.3): one draft per supplier,
one PO line per plan line; a line that cannot be ordered is named, and nothing is made; of two
purchasers ordering the same line at once, one wins."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.purchasing.choices import PlanLineStatus, POStatus
from gendan.purchasing.models import PurchaseOrder, PurchasePlanLine
from gendan.purchasing.services.po import po_create_from_plan_lines, po_edit
from gendan.testing import race

pytestmark = pytest.mark.django_db


def test_approved_lines_become_one_draft_per_supplier_with_the_plan_lines_values(buying, make):
    steel_mill, wire_maker = make.supplier(), make.supplier()
    a = buying.plan_line(supplier=steel_mill, quantity="120", price="3.2", days=15)
    b = buying.plan_line(supplier=steel_mill, quantity="40", price="7", days=25)
    c = buying.plan_line(supplier=wire_maker, quantity="9", price=None)
    made = po_create_from_plan_lines(actor=buying.purchaser, line_ids=[a.pk, b.pk, c.pk])
    assert len(made) == 2
    by_supplier = {po.supplier_id: po for po in made}
    first = by_supplier[steel_mill.pk]
    year = timezone.localdate().year
    assert {po.number for po in made} == {f"PO-{year}-0001", f"PO-{year}-0002"}
    assert first.status == POStatus.DRAFT and first.warehouse == buying.warehouse
    assert first.quality_requirements and first.packaging_requirements
    rows = list(
        first.lines.order_by("position").values_list(
            "plan_line", "quantity", "unit_price", "delivery_date", "spec"
        )
    )
    assert rows == [
        (a.pk, Decimal("120"), Decimal("3.2"), a.need_date, "Q235 2mm"),
        (b.pk, Decimal("40"), Decimal("7"), b.need_date, "Q235 2mm"),
    ]
    assert by_supplier[wire_maker.pk].lines.get().unit_price is None
    assert set(PurchasePlanLine.objects.values_list("status", flat=True)) == {PlanLineStatus.ORDERED}
    # The served order's timeline shows the purchase order.
    assert AuditEntry.objects.filter(scope=f"order:{buying.order.pk}", note__startswith="PO-").count() == 2


@pytest.mark.parametrize(
    "problem, words",
    [
        ({"status": PlanLineStatus.PROPOSED}, "is not approved"),
        ({"status": PlanLineStatus.ORDERED}, "already ordered"),
        ({"supplier": "none"}, "has no supplier"),
        ({"supplier": "archived"}, "is archived"),
        ({"supplier": "unapproved"}, "not an approved supplier"),
        ({"material": "archived"}, "material"),
        ({"price": "-1"}, "negative unit price"),
    ],
)
def test_a_line_that_cannot_be_ordered_is_named_and_nothing_is_made(buying, make, problem, words):
    good = buying.plan_line()
    kw = {}
    if "status" in problem:
        kw["status"] = problem["status"]
    if problem.get("supplier") == "archived":
        kw["supplier"] = make.supplier(is_archived=True)
    if problem.get("supplier") == "unapproved":
        kw["supplier"] = make.supplier(is_approved=False)
    if problem.get("material") == "archived":
        kw["material"] = make.material(is_archived=True)
    if "price" in problem:
        kw["price"] = problem["price"]
    bad = buying.plan_line(**kw)
    if problem.get("supplier") == "none":
        PurchasePlanLine.objects.filter(pk=bad.pk).update(supplier=None)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        po_create_from_plan_lines(actor=buying.purchaser, line_ids=[good.pk, bad.pk])
    text = " ".join(refused.value.message_dict["line_ids"])
    assert words in text and f"/ {bad.position} " in text
    assert not PurchaseOrder.objects.exists()
    good.refresh_from_db()
    assert good.status == PlanLineStatus.APPROVED


def test_only_purchasing_makes_purchase_orders(buying, users):
    line = buying.plan_line()
    for role in ("merchandiser", "warehouse", "quality"):
        with pytest.raises(PermissionDenied):
            po_create_from_plan_lines(actor=users[role], line_ids=[line.pk])
    with pytest.raises(ValidationError):
        po_create_from_plan_lines(actor=buying.purchaser, line_ids=[])
    with pytest.raises(ValidationError):
        po_create_from_plan_lines(actor=buying.purchaser, line_ids=["x"])
    with translation.override("en"), pytest.raises(ValidationError, match="does not exist"):
        po_create_from_plan_lines(actor=buying.purchaser, line_ids=[line.pk + 999])


def test_the_draft_header_is_editable_until_sent(buying, make):
    po = buying.po()
    other = make.warehouse(code="W2", name="二号仓")
    po_edit(actor=buying.purchaser, po=po, warehouse=other, note="请提前一天通知", language="en")
    po.refresh_from_db()
    assert (po.warehouse, po.note, po.language) == (other, "请提前一天通知", "en")
    with pytest.raises(ValidationError):
        po_edit(actor=buying.purchaser, po=po, status=POStatus.CLOSED)
    with pytest.raises(ValidationError):
        po_edit(actor=buying.purchaser, po=po, language="fr")
    PurchaseOrder.objects.filter(pk=po.pk).update(status=POStatus.SENT)
    with pytest.raises(WorkflowConflict):
        po_edit(actor=buying.purchaser, po=po, note="x")


@pytest.mark.django_db(transaction=True)
def test_two_purchasers_ordering_the_same_line_at_once_only_one_wins(make, users, released):
    from .po_fixtures import Buying

    b = Buying(make, users, released)
    line = b.plan_line()
    second = make.user(role="purchasing", username="buyer2")
    actors = [users["purchasing"], second]
    results = race(2, lambda i: po_create_from_plan_lines(actor=actors[i], line_ids=[line.pk]))
    wins = [r for r in results if isinstance(r, list)]
    conflicts = [r for r in results if isinstance(r, WorkflowConflict | ValidationError)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    assert PurchaseOrder.objects.count() == 1 and PurchaseOrder.objects.get().lines.count() == 1
