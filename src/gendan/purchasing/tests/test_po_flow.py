"""A purchase order's life (R-3.3): sent by e-mail with its PDF (or by hand, saying how), the
supplier's confirmations recorded per line (partial allowed, never more than ordered), changes and
cancellations recorded with their reason and never below what was received, closing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.notifications.models import Notification
from gendan.purchasing.choices import LineChangeKind, POLineStatus, POStatus
from gendan.purchasing.models import POLineChange, PurchaseOrder, PurchaseOrderLine
from gendan.purchasing.services import po as services
from gendan.purchasing.services import tracking
from gendan.purchasing.supply import on_order

pytestmark = pytest.mark.django_db

D = Decimal


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def moved(monkeypatch):
    """The PO lines delivery tracking was told about."""
    calls = []
    monkeypatch.setattr(tracking, "lines_moved", lambda *, line_ids, actor=None: calls.append(list(line_ids)))
    return calls


def test_sending_mails_the_pdf_to_the_supplier_after_commit(buying, django_capture_on_commit_callbacks):
    po = buying.po()
    with django_capture_on_commit_callbacks(execute=True):
        services.po_send(actor=buying.purchaser, po=po)
    po.refresh_from_db()
    assert po.status == POStatus.SENT and po.sent_to == "sales@example.cn" and po.sent_at
    (message,) = mail.outbox
    assert message.to == ["sales@example.cn"] and po.number in message.subject
    (name, data, kind) = message.attachments[0]
    assert name == f"{po.number}.pdf" and kind == "application/pdf" and data.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="po_emailed", object_id=str(po.pk)).exists()
    assert AuditEntry.objects.filter(action="po_sent", scope=f"order:{buying.order.pk}").exists()


def test_a_failing_mail_is_retried_then_the_sender_is_told(
    buying, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def refuse(self, fail_silently=False):
        attempts.append(1)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    po = buying.po()
    with django_capture_on_commit_callbacks(execute=True):
        services.po_send(actor=buying.purchaser, po=po)
    assert len(attempts) == 5  # the immediate test queue runs the retries at once
    assert AuditEntry.objects.filter(action="po_email_failed", object_id=str(po.pk)).exists()
    assert Notification.objects.filter(recipient=buying.purchaser).exists()


def test_a_supplier_without_e_mail_is_sent_by_hand_saying_how(buying, make):
    po = buying.po(buying.plan_line(supplier=make.supplier(email="")))
    with translation.override("en"), pytest.raises(ValidationError, match="no e-mail address") as refused:
        services.po_send(actor=buying.purchaser, po=po)
    assert "note" in refused.value.message_dict
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.DRAFT
    services.po_send(actor=buying.purchaser, po=po, note="传真 0757-1234")
    po.refresh_from_db()
    assert po.status == POStatus.SENT and "传真 0757-1234" in po.sent_to and not mail.outbox
    with pytest.raises(WorkflowConflict):
        services.po_send(actor=buying.purchaser, po=po, note="again")


def test_only_purchasing_sends(buying, users):
    po = buying.po()
    with pytest.raises(PermissionDenied):
        services.po_send(actor=users["merchandiser"], po=po, note="x")


def test_partial_confirmations_set_the_expected_date_and_confirm_the_line_when_complete(buying, moved):
    po = buying.po(buying.plan_line(quantity="100"), buying.plan_line(quantity="5"), sent=True)
    first, second = po.lines.order_by("position")
    services.po_line_confirm(
        actor=buying.purchaser, line=first, quantity=D(60), promised_date=day(10), confirmed_by="何经理"
    )
    first.refresh_from_db()
    assert (first.status, first.expected_date) == (POLineStatus.OPEN, day(10))
    services.po_line_confirm(actor=buying.purchaser, line=first, quantity=D(40), promised_date=day(14))
    first.refresh_from_db()
    assert (first.status, first.expected_date) == (
        POLineStatus.CONFIRMED,
        day(14),
    )  # the latest promised date
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.SENT  # line 2 still open
    services.po_line_confirm(actor=buying.purchaser, line=second, quantity=D(5), promised_date=day(3))
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.CONFIRMED
    assert moved == [[first.pk], [first.pk], [second.pk]]
    assert (
        AuditEntry.objects.filter(action="po_line_confirmed", scope=f"order:{buying.order.pk}").count() == 3
    )


def test_confirming_more_than_ordered_is_refused_with_what_is_left(buying, moved):
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    line = po.lines.get()
    services.po_line_confirm(actor=buying.purchaser, line=line, quantity=D(70), promised_date=day(5))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.po_line_confirm(actor=buying.purchaser, line=line, quantity=D(31), promised_date=day(6))
    assert "30 left to confirm" in refused.value.message_dict["quantity"][0]
    assert line.confirmations.count() == 1
    with pytest.raises(ValidationError):
        services.po_line_confirm(actor=buying.purchaser, line=line, quantity=D(0), promised_date=day(6))


def test_a_draft_is_not_confirmed_and_only_purchasing_records_confirmations(buying, users):
    po = buying.po()
    with pytest.raises(WorkflowConflict):
        services.po_line_confirm(
            actor=buying.purchaser, line=po.lines.get(), quantity=D(1), promised_date=day(1)
        )
    services.po_send(actor=buying.purchaser, po=po, by_hand=True, note="当面交")
    with pytest.raises(PermissionDenied):
        services.po_line_confirm(
            actor=users["warehouse"], line=po.lines.get(), quantity=D(1), promised_date=day(1)
        )


def test_a_change_is_recorded_with_old_and_new_values_never_in_place(buying, moved):
    po = buying.po(buying.plan_line(quantity="100", price="2.5"), sent=True)
    line = po.lines.get()
    services.po_line_confirm(
        actor=buying.purchaser, line=line, quantity=D(100), promised_date=line.delivery_date
    )
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.CONFIRMED
    changes = services.po_line_change(
        actor=buying.purchaser,
        line=line,
        quantity=D(150),
        delivery_date=day(40),
        unit_price=D("2.4"),
        reason="客户加单",
    )
    assert [(c.kind, c.old_value, c.new_value, c.reason) for c in changes] == [
        (LineChangeKind.QUANTITY, "100", "150", "客户加单"),
        (LineChangeKind.DATE, line.delivery_date.isoformat(), day(40).isoformat(), "客户加单"),
        (LineChangeKind.PRICE, "2.5", "2.4", "客户加单"),
    ]
    line.refresh_from_db()
    assert (line.quantity, line.delivery_date, line.unit_price, line.status) == (
        D(150),
        day(40),
        D("2.4"),
        POLineStatus.OPEN,
    )
    # 50 more are not confirmed yet: the PO waits for the supplier again.
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.SENT
    assert moved[-1] == [line.pk]
    assert AuditEntry.objects.filter(action="po_line_changed", scope=f"order:{buying.order.pk}").count() == 3


def test_a_change_needs_a_reason_and_never_goes_below_what_was_received(buying):
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    line = po.lines.get()
    PurchaseOrderLine.objects.filter(pk=line.pk).update(received_qty=60, status=POLineStatus.PARTLY_RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.po_line_change(actor=buying.purchaser, line=line, quantity=D(80), reason="  ")
    assert "reason" in refused.value.message_dict
    with translation.override("en"), pytest.raises(ValidationError, match="60 have already been received"):
        services.po_line_change(actor=buying.purchaser, line=line, quantity=D(50), reason="减量")
    with pytest.raises(ValidationError):
        services.po_line_change(actor=buying.purchaser, line=line, unit_price=D("-1"), reason="降价")
    assert not POLineChange.objects.exists()
    assert PurchaseOrderLine.objects.get(pk=line.pk).quantity == D(100)


def test_cancelling_a_line_cancels_only_what_is_still_open(buying, moved):
    po = buying.po(buying.plan_line(quantity="100"), buying.plan_line(quantity="10"), sent=True)
    partly, untouched = po.lines.order_by("position")
    PurchaseOrderLine.objects.filter(pk=partly.pk).update(
        received_qty=30, status=POLineStatus.PARTLY_RECEIVED
    )
    change = services.po_line_cancel(actor=buying.purchaser, line=partly, reason="供应商停产")
    assert (change.kind, change.old_value, change.new_value) == (LineChangeKind.CANCEL, "70", "30")
    partly.refresh_from_db()
    assert (partly.quantity, partly.status) == (D(30), POLineStatus.RECEIVED)
    services.po_line_cancel(actor=buying.purchaser, line=untouched, reason="不再需要")
    assert PurchaseOrderLine.objects.get(pk=untouched.pk).status == POLineStatus.CANCELLED
    with pytest.raises(WorkflowConflict):
        services.po_line_cancel(actor=buying.purchaser, line=untouched, reason="again")


def test_a_po_with_goods_received_is_closed_not_cancelled(buying):
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    line = po.lines.get()
    PurchaseOrderLine.objects.filter(pk=line.pk).update(received_qty=100, status=POLineStatus.RECEIVED)
    with translation.override("en"), pytest.raises(ValidationError, match="close it instead"):
        services.po_cancel(actor=buying.purchaser, po=po, reason="取消")
    closed = services.po_close(actor=buying.purchaser, po=po)
    assert closed.status == POStatus.CLOSED and closed.closed_at
    assert AuditEntry.objects.filter(action="po_closed", scope=f"order:{buying.order.pk}").exists()


def test_closing_with_open_lines_needs_a_reason_and_cancels_them(buying):
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    with pytest.raises(ValidationError):
        services.po_close(actor=buying.purchaser, po=po)
    services.po_close(actor=buying.purchaser, po=po, reason="余量不要了")
    assert po.lines.get().status == POLineStatus.CANCELLED
    assert POLineChange.objects.get().kind == LineChangeKind.CANCEL


def test_cancelling_a_po_cancels_its_lines_and_ends_it(buying):
    po = buying.po(buying.plan_line(), buying.plan_line())
    services.po_cancel(actor=buying.purchaser, po=po, reason="订单取消")
    assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.CANCELLED
    assert set(po.lines.values_list("status", flat=True)) == {POLineStatus.CANCELLED}
    with pytest.raises(WorkflowConflict):
        services.po_line_change(actor=buying.purchaser, line=po.lines.first(), quantity=D(1), reason="x")
    with pytest.raises(WorkflowConflict):
        services.po_close(actor=buying.purchaser, po=po, reason="x")


def test_what_is_on_order_is_the_open_quantity_by_its_expected_date(buying):
    po = buying.po(buying.plan_line(quantity="100", days=20), sent=True)
    line = po.lines.get()
    PurchaseOrderLine.objects.filter(pk=line.pk).update(received_qty=30, status=POLineStatus.PARTLY_RECEIVED)
    assert [(a.material_id, a.quantity, a.date) for a in on_order()] == [
        (line.material_id, D(70), line.delivery_date)
    ]
    services.po_line_confirm(actor=buying.purchaser, line=line, quantity=D(100), promised_date=day(25))
    assert [(a.material_id, a.quantity, a.date) for a in on_order()] == [(line.material_id, D(70), day(25))]
