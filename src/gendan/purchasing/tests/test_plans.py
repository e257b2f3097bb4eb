# ruff: noqa: F811 - the fixtures come from plans_setup
"""Purchase plans (R-3.2): drafted from the requirements, adjusted and submitted by purchasing,
decided line by line by the merchandisers of the orders each line serves, revised in versions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.models import Notification
from gendan.purchasing.choices import Decision, PlanLineStatus, PlanStatus
from gendan.purchasing.models import PlanLineDecision, PurchasePlan, PurchasePlanLine
from gendan.purchasing.services.plans import plan_draft, plan_line_add, plan_line_remove, plan_line_update
from gendan.purchasing.services.plans_flow import (
    plan_approve_mine,
    plan_line_decide,
    plan_revise,
    plan_submit,
    plan_withdraw,
)

from .plans_setup import buying, drafted, line_of  # noqa: F401 - fixtures

D = Decimal
L, P = PlanLineStatus, PlanStatus
pytestmark = pytest.mark.django_db


def submitted(plan, users):
    return plan_submit(actor=users["purchasing"], plan_id=plan.pk)


# --- the draft ----------------------------------------------------------------------------------


def test_a_draft_proposes_every_requirement_to_buy_with_its_orders(buying, drafted):
    plan = drafted
    assert plan.number.startswith("CG-") and plan.version == 1 and plan.status == P.DRAFT
    assert plan.lines.count() == 3
    steel = line_of(plan, buying.steel)
    assert steel.quantity == D(150) and steel.spec == "Φ40"
    assert steel.need_date == buying.r_steel.need_date and steel.order_by == buying.r_steel.order_by
    assert {p.order_id: p.quantity for p in steel.pegs.all()} == {buying.order1.pk: 100, buying.order2.pk: 50}
    assert not line_of(plan, buying.bolt).pegs.exists()


def test_the_supplier_who_delivers_in_time_is_suggested_over_the_cheaper_late_one(buying, drafted):
    steel = line_of(drafted, buying.steel)
    assert steel.supplier == buying.fast == steel.suggested_supplier
    assert steel.unit_price == D(10)
    assert "in_time" in steel.suggestion_reason


def test_a_second_draft_skips_what_an_open_plan_covers(buying, drafted, users):
    with translation.override("en"), pytest.raises(ValidationError, match="already in a plan"):
        plan_draft(actor=users["purchasing"])
    later = buying.requirement(
        buying.seal, buying.today + dt.timedelta(days=40), D(10), {buying.order1: D(10)}
    )
    second = plan_draft(actor=users["purchasing"])
    assert [(line.material_id, line.need_date) for line in second.lines.all()] == [
        (buying.seal.pk, later.need_date)
    ]


def test_a_withdrawn_plan_covers_nothing(buying, drafted, users):
    plan_withdraw(actor=users["purchasing"], plan_id=drafted.pk)
    assert plan_draft(actor=users["purchasing"]).lines.count() == 3


def test_last_price_is_the_latest_purchase_order_price(buying, users, make):
    from gendan.purchasing.models import PurchaseOrder, PurchaseOrderLine

    po = PurchaseOrder.objects.create(number="PO-1", supplier=buying.cheap, created_by=users["purchasing"])
    PurchaseOrderLine.objects.create(
        order=po, material=buying.steel, quantity=1, unit_price=D("9.5"), delivery_date=buying.today
    )
    plan = plan_draft(actor=users["purchasing"])
    steel = line_of(plan, buying.steel)
    assert steel.last_price == D("9.5")
    assert steel.price_change_pct == D("5.3")


def test_only_purchasing_drafts(buying, users):
    for role in ("merchandiser", "management", "production"):
        with pytest.raises(PermissionDenied):
            plan_draft(actor=users[role])


# --- adjusting ----------------------------------------------------------------------------------


def test_purchasing_adjusts_a_draft_line(buying, drafted, users):
    line = line_of(drafted, buying.steel)
    plan_line_update(
        actor=users["purchasing"], line_id=line.pk, data={"quantity": "160", "supplier": buying.cheap.pk}
    )
    line.refresh_from_db()
    assert line.quantity == 160 and line.supplier == buying.cheap and line.unit_price == D(8)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-5"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"unit_price": "0"}, "unit_price"),
        ({"unit_price": "-1"}, "unit_price"),
        ({"supplier": 999999}, "supplier"),
        ({"order_by": dt.date(2100, 1, 1)}, "order_by"),
        ({"status": "approved"}, "status"),
    ],
)
def test_bad_adjustments_name_the_field_and_change_nothing(buying, drafted, users, data, field):
    line = line_of(drafted, buying.steel)
    with pytest.raises(ValidationError) as caught:
        plan_line_update(actor=users["purchasing"], line_id=line.pk, data=data)
    assert field in caught.value.message_dict
    fresh = PurchasePlanLine.objects.get(pk=line.pk)
    assert (fresh.quantity, fresh.supplier_id, fresh.unit_price, fresh.status) == (
        line.quantity,
        line.supplier_id,
        line.unit_price,
        line.status,
    )


def test_an_archived_supplier_or_material_is_refused(buying, drafted, users):
    buying.cheap.is_archived = True
    buying.cheap.save()
    line = line_of(drafted, buying.steel)
    with pytest.raises(ValidationError) as caught:
        plan_line_update(actor=users["purchasing"], line_id=line.pk, data={"supplier": buying.cheap.pk})
    assert "supplier" in caught.value.message_dict
    old = buying.make.material(is_archived=True)
    with pytest.raises(ValidationError) as caught:
        plan_line_add(
            actor=users["purchasing"], plan_id=drafted.pk, material=old.pk, quantity=1, need_date=buying.today
        )
    assert "material" in caught.value.message_dict
    assert drafted.lines.count() == 3


def test_lines_are_added_and_removed_only_in_a_draft(buying, drafted, users):
    line = plan_line_add(
        actor=users["purchasing"],
        plan_id=drafted.pk,
        material=buying.seal,
        quantity="5",
        need_date=buying.today,
    )
    assert line.position == 40 and line.supplier is None
    plan_line_remove(actor=users["purchasing"], line_id=line.pk)
    assert drafted.lines.count() == 3
    submitted(drafted, users)
    with pytest.raises(WorkflowConflict):
        plan_line_update(
            actor=users["purchasing"], line_id=line_of(drafted, buying.seal).pk, data={"quantity": 1}
        )


def test_a_merchandiser_cannot_adjust(buying, drafted, users):
    with pytest.raises(PermissionDenied):
        plan_line_update(
            actor=users["merchandiser"], line_id=line_of(drafted, buying.seal).pk, data={"quantity": 1}
        )


# --- submit and decide --------------------------------------------------------------------------


def test_submit_asks_each_merchandiser_of_the_served_orders_and_management_for_stock(buying, drafted, users):
    submitted(drafted, users)
    holders = {
        line.material.code: sorted(d.merchandiser.username for d in line.decisions.all())
        for line in drafted.lines.select_related("material")
    }
    assert holders == {"STEEL": ["merch2", "merchandiser"], "SEAL": ["merchandiser"], "BOLT": ["management"]}
    assert Notification.objects.filter(recipient=users["merchandiser"]).exists()
    assert Notification.objects.filter(recipient=buying.m2).exists()


def test_submit_needs_a_supplier_on_every_line(buying, drafted, users):
    line = line_of(drafted, buying.seal)
    PurchasePlanLine.objects.filter(pk=line.pk).update(supplier=None)
    with pytest.raises(ValidationError, match=str(line.position)):
        submitted(drafted, users)
    assert PurchasePlan.objects.get(pk=drafted.pk).status == P.DRAFT
    assert not PlanLineDecision.objects.exists()


def test_a_line_is_approved_when_all_approve_and_the_plan_decided_when_nothing_waits(buying, drafted, users):
    submitted(drafted, users)
    steel, seal, bolt = (line_of(drafted, m) for m in (buying.steel, buying.seal, buying.bolt))
    plan_line_decide(actor=users["merchandiser"], line=steel, approve=True)
    assert PurchasePlanLine.objects.get(pk=steel.pk).status == L.PROPOSED  # merch2 still to decide
    plan_line_decide(actor=buying.m2, line=steel, approve=True)
    assert PurchasePlanLine.objects.get(pk=steel.pk).status == L.APPROVED
    plan_line_decide(actor=users["merchandiser"], line=seal, approve=True)
    assert PurchasePlan.objects.get(pk=drafted.pk).status == P.SUBMITTED
    plan_line_decide(actor=users["management"], line=bolt, approve=True)
    assert PurchasePlan.objects.get(pk=drafted.pk).status == P.DECIDED


def test_one_rejection_rejects_the_line_and_tells_purchasing(buying, drafted, users):
    submitted(drafted, users)
    steel = line_of(drafted, buying.steel)
    with pytest.raises(ValidationError) as caught:
        plan_line_decide(actor=buying.m2, line=steel, approve=False, reason="  ")
    assert "reason" in caught.value.message_dict
    plan_line_decide(actor=buying.m2, line=steel, approve=False, reason="客户减量")
    assert PurchasePlanLine.objects.get(pk=steel.pk).status == L.REJECTED
    told = Notification.objects.get(recipient=users["purchasing"], event="purchase_plan.rejected")
    assert "客户减量" in told.body
    with pytest.raises(WorkflowConflict):
        plan_line_decide(actor=users["merchandiser"], line=steel, approve=True)


def test_a_merchandiser_decides_only_his_own_rows(buying, drafted, users):
    submitted(drafted, users)
    seal = line_of(drafted, buying.seal)
    bolt = line_of(drafted, buying.bolt)
    with pytest.raises(PurchasePlanLine.DoesNotExist):  # not his order: he does not even see it
        plan_line_decide(actor=buying.m2, line=seal, approve=True)
    with pytest.raises((PermissionDenied, PurchasePlanLine.DoesNotExist)):
        plan_line_decide(actor=users["merchandiser"], line=bolt, approve=True)
    with pytest.raises(PermissionDenied):
        plan_line_decide(actor=users["purchasing"], line=seal, approve=True)
    assert not PlanLineDecision.objects.exclude(decision=Decision.PENDING).exists()


def test_a_merchandiser_sees_only_the_lines_and_orders_of_his_orders(buying, drafted, users):
    submitted(drafted, users)
    m2_lines = PurchasePlanLine.objects.restrict(buying.m2, "view")
    assert {line.material_id for line in m2_lines} == {buying.steel.pk}
    from gendan.purchasing.models import PlanLinePeg

    assert {p.order_id for p in PlanLinePeg.objects.restrict(buying.m2, "view")} == {buying.order2.pk}
    assert not PurchasePlan.objects.restrict(users["production"], "view").exists()


def test_any_management_user_decides_a_safety_stock_line(buying, drafted, users):
    from gendan.accounts.models import User

    boss2 = User.objects.create(
        username="zz-boss", role="management", department=users["management"].department
    )
    submitted(drafted, users)
    plan_line_decide(actor=boss2, line=line_of(drafted, buying.bolt), approve=False, reason="库存够")
    assert line_of(drafted, buying.bolt).status == L.REJECTED


def test_approve_all_mine_at_once(buying, drafted, users):
    submitted(drafted, users)
    assert plan_approve_mine(actor=users["merchandiser"], plan_id=drafted.pk) == 2
    assert line_of(drafted, buying.seal).status == L.APPROVED
    assert line_of(drafted, buying.steel).status == L.PROPOSED  # merch2's part still waits


def test_decisions_only_while_submitted(buying, drafted, users):
    with pytest.raises(PermissionDenied):  # a draft has no decision rows yet
        plan_line_decide(actor=users["merchandiser"], line=line_of(drafted, buying.seal), approve=True)
    submitted(drafted, users)
    plan_withdraw(actor=users["purchasing"], plan_id=drafted.pk, reason="重新询价")
    with pytest.raises(WorkflowConflict):
        plan_line_decide(actor=users["merchandiser"], line=line_of(drafted, buying.seal), approve=True)


def test_submit_twice_conflicts(buying, drafted, users):
    submitted(drafted, users)
    with pytest.raises(WorkflowConflict):
        submitted(drafted, users)


# --- revise -------------------------------------------------------------------------------------


def test_a_revision_carries_approved_lines_and_reopens_rejected_ones(buying, drafted, users):
    submitted(drafted, users)
    steel, seal, bolt = (line_of(drafted, m) for m in (buying.steel, buying.seal, buying.bolt))
    plan_line_decide(actor=users["merchandiser"], line=seal, approve=True)
    plan_line_decide(actor=users["merchandiser"], line=steel, approve=False, reason="数量太多")
    plan_line_decide(actor=users["management"], line=bolt, approve=True)
    assert PurchasePlan.objects.get(pk=drafted.pk).status == P.DECIDED
    new = plan_revise(actor=users["purchasing"], plan_id=drafted.pk)
    assert (new.number, new.version, new.previous_id, new.status) == (drafted.number, 2, drafted.pk, P.DRAFT)
    assert PurchasePlan.objects.get(pk=drafted.pk).status == P.SUPERSEDED
    statuses = {line.material_id: line.status for line in new.lines.all()}
    assert statuses == {buying.steel.pk: L.PROPOSED, buying.seal.pk: L.APPROVED, buying.bolt.pk: L.APPROVED}
    assert line_of(new, buying.steel).pegs.count() == 2
    with pytest.raises(WorkflowConflict):
        plan_line_update(
            actor=users["purchasing"], line_id=line_of(new, buying.seal).pk, data={"quantity": 1}
        )
    plan_line_update(actor=users["purchasing"], line_id=line_of(new, buying.steel).pk, data={"quantity": 100})
    plan_submit(actor=users["purchasing"], plan_id=new.pk)
    assert PlanLineDecision.objects.filter(line__plan=new).count() == 2  # only the reopened line
    with pytest.raises(WorkflowConflict):
        plan_revise(actor=users["purchasing"], plan_id=drafted.pk)


def test_a_submitted_plan_is_withdrawn_then_revised(buying, drafted, users):
    submitted(drafted, users)
    plan_line_decide(actor=users["merchandiser"], line=line_of(drafted, buying.seal), approve=True)
    plan_withdraw(actor=users["purchasing"], plan_id=drafted.pk)
    with pytest.raises(WorkflowConflict):
        plan_withdraw(actor=users["purchasing"], plan_id=drafted.pk)
    new = plan_revise(actor=users["purchasing"], plan_id=drafted.pk)
    assert line_of(new, buying.seal).status == L.APPROVED
    assert line_of(new, buying.steel).status == L.PROPOSED


def test_a_plan_with_only_approved_lines_is_decided_on_submit(buying, drafted, users):
    submitted(drafted, users)
    plan_approve_mine(actor=users["merchandiser"], plan_id=drafted.pk)
    plan_approve_mine(actor=buying.m2, plan_id=drafted.pk)
    plan_withdraw(actor=users["purchasing"], plan_id=drafted.pk)
    new = plan_revise(actor=users["purchasing"], plan_id=drafted.pk)
    plan_line_remove(actor=users["purchasing"], line_id=line_of(new, buying.bolt).pk)
    assert plan_submit(actor=users["purchasing"], plan_id=new.pk).status == P.DECIDED


def test_a_requirement_on_a_purchase_order_is_not_proposed_again(buying, users):
    from gendan.purchasing.models import PurchaseOrder, PurchaseOrderLine

    po = PurchaseOrder.objects.create(number="PO-9", supplier=buying.fast, created_by=users["purchasing"])
    PurchaseOrderLine.objects.create(
        order=po, material=buying.steel, quantity=150, delivery_date=buying.r_steel.need_date
    )
    plan = plan_draft(actor=users["purchasing"])
    assert not plan.lines.filter(material=buying.steel).exists()
    assert plan.lines.count() == 2


def test_a_purchase_order_made_before_the_computation_is_already_netted_in_it(buying, users):
    """The requirements net what was on order when they were computed: an older PO does not hide
    what they still say to buy at the same date (more was needed since)."""
    from gendan.purchasing.models import PurchaseOrder, PurchaseOrderLine, RequirementRun

    po = PurchaseOrder.objects.create(number="PO-9", supplier=buying.fast, created_by=users["purchasing"])
    PurchaseOrderLine.objects.create(
        order=po, material=buying.steel, quantity=150, delivery_date=buying.r_steel.need_date
    )
    RequirementRun.objects.filter(pk=buying.run.pk).update(created_at=po.created_at + dt.timedelta(seconds=1))
    plan = plan_draft(actor=users["purchasing"])
    assert line_of(plan, buying.steel).quantity == 150


def test_a_cancelled_purchase_order_line_is_proposed_again_once_recomputed(buying, drafted, users):
    from gendan.purchasing.choices import RunStatus
    from gendan.purchasing.models import RequirementRun
    from gendan.purchasing.services.po import po_create_from_plan_lines, po_line_cancel

    submitted(drafted, users)
    plan_approve_mine(actor=users["merchandiser"], plan_id=drafted.pk)
    plan_approve_mine(actor=buying.m2, plan_id=drafted.pk)
    steel = line_of(drafted, buying.steel)
    assert steel.status == L.APPROVED
    (po,) = po_create_from_plan_lines(actor=users["purchasing"], line_ids=[steel.pk])
    # Ordered: the steel is not proposed again.
    with translation.override("en"), pytest.raises(ValidationError, match="already in a plan or on order"):
        plan_draft(actor=users["purchasing"])

    po_line_cancel(actor=users["purchasing"], line=po.lines.get(), reason="供应商停产")
    # The requirements counted on that line: they must be computed again before a plan is drafted.
    with translation.override("en"), pytest.raises(ValidationError, match="computed again"):
        plan_draft(actor=users["purchasing"])
    assert RequirementRun.objects.exclude(pk=buying.run.pk).exists()  # asked for

    # The new computation (here: the same figures, made after the cancellation) proposes the steel.
    fresh = RequirementRun.objects.create(status=RunStatus.DONE)
    buying.run = fresh
    buying.requirement(buying.steel, buying.r_steel.need_date, D(150), {buying.order1: D(100)})
    again = plan_draft(actor=users["purchasing"])
    assert list(again.lines.values_list("material__code", flat=True)) == ["STEEL"]


def test_the_orders_timelines_get_the_purchasing_events(buying, drafted, users):
    from gendan.core.models import AuditEntry

    submitted(drafted, users)
    plan_line_decide(actor=users["merchandiser"], line=line_of(drafted, buying.seal), approve=True)
    first = set(AuditEntry.objects.filter(scope=f"order:{buying.order1.pk}").values_list("action", flat=True))
    second = set(
        AuditEntry.objects.filter(scope=f"order:{buying.order2.pk}").values_list("action", flat=True)
    )
    assert {"purchase_plan_submitted", "purchase_line_approved"} <= first
    assert second == {"purchase_plan_submitted"}


def test_a_line_of_an_order_whose_merchandiser_left_is_decided_by_management(buying, drafted, users):
    buying.m2.is_active = False
    buying.m2.save()
    submitted(drafted, users)
    steel = line_of(drafted, buying.steel)
    assert sorted(d.merchandiser.username for d in steel.decisions.all()) == ["management", "merchandiser"]
