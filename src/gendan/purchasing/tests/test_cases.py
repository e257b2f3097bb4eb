"""Supplier cases (R-3.6): a rejected lot opens a case; purchasing decides return, replacement or
concession; each is tracked to closure with its guards, and two people acting at once cannot both
win."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.inventory.models import StockLevel, StockMovement
from gendan.notifications.models import Notification
from gendan.purchasing.choices import CaseKind, CaseStatus, POLineStatus, ReceiptStatus
from gendan.purchasing.models import PurchaseOrderLine, SupplierCase
from gendan.purchasing.selectors_cases import case_list, cases_attention
from gendan.purchasing.services import cases as svc
from gendan.testing import race

from .test_cases_fixtures import buying_fixture  # noqa: F401 - the `buying` fixture

pytestmark = pytest.mark.django_db
D = Decimal
S = CaseStatus


def _stock(buying) -> Decimal:
    level = StockLevel.objects.filter(warehouse=buying.warehouse, material=buying.material).first()
    return level.quantity if level else D(0)


# --- opening -------------------------------------------------------------------------------------


def test_a_rejected_lot_opens_a_numbered_case_and_tells_purchasing_and_the_merchandiser(buying, users):
    case = buying.case()
    year = timezone.localdate().year
    assert case.number == f"SC-{year}-0001"
    assert (case.supplier, case.material, case.quantity, case.status) == (
        buying.supplier,
        buying.material,
        D(40),
        S.OPEN,
    )
    assert case.due_date > timezone.localdate()
    told = set(Notification.objects.filter(event="case.opened").values_list("recipient__username", flat=True))
    assert told == {"purchasing", "merchandiser"}
    # The order's timeline shows it.
    entry = AuditEntry.objects.get(scope=f"order:{buying.order.pk}", action="case_opened")
    assert (entry.note_en or entry.note) == f"{case.number}: 40 rejected of {case.receipt.number}"
    assert buying.case().number == f"SC-{year}-0002"


def test_a_case_needs_a_rejected_quantity(buying, users):
    line = buying.line()
    receipt = buying.receipt(line, D(100), D(0))
    with pytest.raises(ValidationError) as err:
        svc.case_open(actor=users["quality"], receipt=receipt, quantity=D(0))
    assert "quantity" in err.value.message_dict
    assert not SupplierCase.objects.exists()


# --- deciding ------------------------------------------------------------------------------------


def test_only_purchasing_decides(buying, users):
    case = buying.case()
    for role in ("quality", "merchandiser", "warehouse", "management"):
        with pytest.raises(PermissionDenied):
            svc.case_decide(actor=users[role], case=case, kind=CaseKind.RETURN)
    case.refresh_from_db()
    assert case.status == S.OPEN


def test_an_unknown_disposition_or_a_past_date_is_refused_and_nothing_changes(buying, users):
    case = buying.case()
    with pytest.raises(ValidationError) as err:
        svc.case_decide(actor=users["purchasing"], case=case, kind="burn")
    assert "kind" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.case_decide(
            actor=users["purchasing"],
            case=case,
            kind=CaseKind.RETURN,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "due_date" in err.value.message_dict
    case.refresh_from_db()
    assert (case.status, case.kind) == (S.OPEN, "")
    assert PurchaseOrderLine.objects.get(pk=case.receipt.line_id).received_qty == D(100)


def test_a_case_decided_by_someone_else_meanwhile_is_a_conflict(buying, users, make):
    case = buying.case()
    seen = SupplierCase.objects.get(pk=case.pk)  # the page another purchaser has open
    svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.RETURN)
    other = make.user(role="purchasing")
    with pytest.raises(WorkflowConflict):
        svc.case_decide(actor=other, case=seen, kind=CaseKind.CONCESSION)
    case.refresh_from_db()
    assert case.kind == CaseKind.RETURN


# --- return --------------------------------------------------------------------------------------


def test_a_return_gives_the_quantity_back_to_the_po_line_and_closes_when_recorded(buying, users):
    case = buying.case()
    case = svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.RETURN, note="all back")
    assert case.status == S.AWAITING_RETURN
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    # The supplier still owes the 40: the line is open for them again.
    assert (line.received_qty, line.open_qty, line.status) == (D(60), D(40), POLineStatus.PARTLY_RECEIVED)
    today = timezone.localdate()
    case = svc.case_return_record(actor=users["purchasing"], case=case, returned_on=today, carrier="SF 1234")
    assert (case.status, case.returned_on, case.return_carrier) == (S.CLOSED, today, "SF 1234")
    assert case.closed_at is not None
    assert AuditEntry.objects.filter(scope=f"order:{buying.order.pk}", action="case_record_return").exists()


def test_a_return_the_supplier_will_not_deliver_again_leaves_the_line_as_it_is(buying, users):
    case = buying.case()
    svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.RETURN, redeliver=False)
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    assert (line.received_qty, line.open_qty) == (D(100), D(0))


def test_recording_a_return_needs_its_date_not_in_the_future(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    for day in (None, timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as err:
            svc.case_return_record(actor=users["purchasing"], case=case, returned_on=day)
        assert "returned_on" in err.value.message_dict
    case.refresh_from_db()
    assert case.status == S.AWAITING_RETURN


def test_a_return_cannot_be_recorded_for_a_case_not_returned(buying, users):
    case = buying.case()
    with pytest.raises(WorkflowConflict):
        svc.case_return_record(actor=users["purchasing"], case=case, returned_on=timezone.localdate())


def test_a_return_decided_in_error_is_decided_again_and_the_line_is_as_before(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    with pytest.raises(ValidationError):
        svc.case_reconsider(actor=users["purchasing"], case=case, reason="")
    case = svc.case_reconsider(actor=users["purchasing"], case=case, reason="supplier will sort on site")
    assert (case.status, case.kind) == (S.OPEN, "")
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    assert (line.received_qty, line.status) == (D(100), POLineStatus.RECEIVED)


# --- replacement ---------------------------------------------------------------------------------


def test_an_accepted_replacement_closes_the_case(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.REPLACEMENT)
    assert case.status == S.AWAITING_REPLACEMENT
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    assert line.open_qty == D(40)
    replacement = buying.receipt(line, D(40), D(0), case=case)
    case = svc.case_replacement_inspected(actor=users["quality"], receipt=replacement)
    assert (case.status, case.replaced_qty, case.remaining_qty) == (S.CLOSED, D(40), D(0))
    assert Notification.objects.filter(event="case.closed", recipient=users["purchasing"]).exists()


def test_a_partial_replacement_keeps_the_case_open_with_the_remaining_quantity(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.REPLACEMENT)
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    case = svc.case_replacement_inspected(
        actor=users["quality"], receipt=buying.receipt(line, D(25), D(0), case=case)
    )
    assert (case.status, case.remaining_qty) == (S.AWAITING_REPLACEMENT, D(15))
    case = svc.case_replacement_inspected(
        actor=users["quality"], receipt=buying.receipt(line, D(15), D(0), case=case)
    )
    assert case.status == S.CLOSED


def test_a_rejected_replacement_opens_its_own_case_continuing_this_one(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.REPLACEMENT)
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    replacement = buying.receipt(line, D(40), D(10), case=case)
    # Inspection opens the case for the rejected part and reports the replacement inspected.
    follow_up = svc.case_open(actor=users["quality"], receipt=replacement, quantity=D(10))
    case = svc.case_replacement_inspected(actor=users["quality"], receipt=replacement)
    assert follow_up.follows == case
    # Nothing is owed twice: the 10 are the new case's, this one is settled.
    assert case.status == S.CLOSED
    assert follow_up.status == S.OPEN


def test_receiving_asks_how_much_is_still_to_be_replaced(buying, users):
    case = buying.case()
    with pytest.raises(ValidationError) as err:
        svc.replacement_due(case)
    assert "case" in err.value.message_dict
    case = svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.REPLACEMENT)
    assert svc.replacement_due(case) == D(40)
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    svc.case_replacement_inspected(
        actor=users["quality"], receipt=buying.receipt(line, D(30), D(0), case=case)
    )
    assert svc.replacement_due(case) == D(10)


def test_a_replacement_decision_cannot_be_taken_back_once_goods_came(buying, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.REPLACEMENT)
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    buying.receipt(line, D(10), D(0), case=case)
    with pytest.raises(ValidationError):
        svc.case_reconsider(actor=users["purchasing"], case=case, reason="changed our mind")


def test_a_replacement_for_a_case_not_waiting_for_one_is_a_conflict(buying, users):
    case = buying.case()
    line = PurchaseOrderLine.objects.get(pk=case.receipt.line_id)
    with pytest.raises(WorkflowConflict):
        svc.case_replacement_inspected(
            actor=users["quality"], receipt=buying.receipt(line, D(5), D(0), case=case)
        )


# --- concession ----------------------------------------------------------------------------------


def _concession(buying, users, **kw):
    return svc.case_decide(actor=users["purchasing"], case=buying.case(**kw), kind=CaseKind.CONCESSION)


def test_a_concession_asks_quality_s_manager_and_on_approval_stocks_the_rejected_quantity_in(buying, users):
    case = _concession(buying, users)
    assert case.status == S.AWAITING_APPROVAL
    assert Notification.objects.filter(event="case.concession", recipient=users["quality"]).exists()
    before = _stock(buying)
    case = svc.case_concession_approve(actor=users["quality"], case=case, note="cosmetic only")
    assert (case.status, case.conceded_qty, case.approved_by) == (S.CLOSED, D(40), users["quality"])
    assert _stock(buying) == before + D(40)
    movement = StockMovement.objects.get(reference=case.number)
    assert movement.quantity == D(40)
    receipt = case.receipt
    receipt.refresh_from_db()
    assert (receipt.accepted_qty, receipt.rejected_qty, receipt.status) == (
        D(100),
        D(0),
        ReceiptStatus.ACCEPTED,
    )
    line = PurchaseOrderLine.objects.get(pk=receipt.line_id)
    assert (line.accepted_qty, line.rejected_qty) == (D(100), D(0))
    # The PO line's open quantity is untouched: the goods stay.
    assert line.received_qty == D(100)


def test_only_quality_s_manager_approves_and_never_who_asked(buying, users, make, departments):
    case = _concession(buying, users)
    inspector = make.user(role="quality", department=departments["quality"])
    for actor in (inspector, users["purchasing"], users["merchandiser"]):
        with pytest.raises(PermissionDenied):
            svc.case_concession_approve(actor=actor, case=case)
    # An administrator may approve, but not the concession he asked for himself.
    second = svc.case_decide(actor=users["admin"], case=buying.case(), kind=CaseKind.CONCESSION)
    with pytest.raises(PermissionDenied):
        svc.case_concession_approve(actor=users["admin"], case=second)
    assert svc.case_concession_approve(actor=users["quality"], case=second).status == S.CLOSED
    assert svc.case_concession_approve(actor=users["admin"], case=case).status == S.CLOSED


def test_a_concession_never_stocks_in_more_than_is_rejected(buying, users):
    case = _concession(buying, users)
    # Meanwhile the receipt shows less rejected than the case (say, a correction of inspection).
    type(case.receipt).objects.filter(pk=case.receipt_id).update(rejected_qty=D(10), accepted_qty=D(90))
    before = _stock(buying)
    with pytest.raises(ValidationError) as err:
        svc.case_concession_approve(actor=users["quality"], case=case)
    assert "quantity" in err.value.message_dict
    case.refresh_from_db()
    assert case.status == S.AWAITING_APPROVAL
    assert _stock(buying) == before
    assert not StockMovement.objects.filter(reference=case.number).exists()


def test_a_refused_concession_goes_back_to_purchasing_to_decide(buying, users):
    case = _concession(buying, users)
    with pytest.raises(ValidationError) as err:
        svc.case_concession_reject(actor=users["quality"], case=case, reason=" ")
    assert "reason" in err.value.message_dict
    case = svc.case_concession_reject(actor=users["quality"], case=case, reason="customer must agree first")
    assert (case.status, case.kind, case.decided_by) == (S.OPEN, "", None)
    assert Notification.objects.filter(event="case.decided", recipient=users["purchasing"]).exists()
    # Decided again, now a return.
    assert (
        svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.RETURN).status
        == S.AWAITING_RETURN
    )


# --- who sees what ------------------------------------------------------------------------------


def test_a_merchandiser_reads_the_cases_of_his_orders_only(buying, users, make):
    mine = buying.case()
    other = make.user(role="merchandiser")
    theirs = buying.case(order=buying.released_order(other))
    assert list(case_list(user=users["merchandiser"])) == [mine]
    assert list(case_list(user=other)) == [theirs]
    assert set(case_list(user=users["purchasing"])) == {mine, theirs}
    assert list(case_list(user=users["production"])) == []


def test_needs_your_attention_lists_cases_to_decide_and_concessions_to_approve(buying, users):
    buying.case()
    _concession(buying, users)
    with translation.override("en"):
        purchasing = {str(i.title): i.count for i in cases_attention(users["purchasing"])}
        quality = {str(i.title): i.count for i in cases_attention(users["quality"])}
    assert purchasing == {"Supplier cases to decide": 1}
    assert quality == {"Concessions waiting for your approval": 1}


def test_filters_find_open_closed_and_overdue_cases(buying, users):
    open_case = buying.case()
    late = buying.case()
    SupplierCase.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    closed = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    svc.case_return_record(actor=users["purchasing"], case=closed, returned_on=timezone.localdate())
    user = users["purchasing"]
    assert set(case_list(user=user, filters={"state": "open"})) == {open_case, late}
    assert list(case_list(user=user, filters={"state": "closed"})) == [closed]
    assert list(case_list(user=user, filters={"overdue": "true"})) == [late]
    assert list(case_list(user=user, filters={"kind": "return"})) == [closed]


# --- races ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_purchasers_deciding_at_once_only_one_wins(buying, users, make):
    case = buying.case()
    actors = [users["purchasing"], make.user(role="purchasing")]
    kinds = [CaseKind.RETURN, CaseKind.REPLACEMENT]

    def decide(i):
        return svc.case_decide(actor=actors[i], case=SupplierCase.objects.get(pk=case.pk), kind=kinds[i])

    results = race(2, decide)
    assert sum(isinstance(r, SupplierCase) for r in results) == 1
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    # The line's quantity was given back once.
    assert PurchaseOrderLine.objects.get(pk=case.receipt.line_id).received_qty == D(60)


@pytest.mark.django_db(transaction=True)
def test_two_approvers_approving_at_once_stock_in_once(buying, users):
    case = _concession(buying, users)
    before = _stock(buying)
    actors = [users["quality"], users["admin"]]

    def approve(i):
        return svc.case_concession_approve(actor=actors[i], case=SupplierCase.objects.get(pk=case.pk))

    results = race(2, approve)
    assert sum(isinstance(r, SupplierCase) for r in results) == 1
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    assert _stock(buying) == before + D(40)
    assert StockMovement.objects.filter(reference=case.number).count() == 1
