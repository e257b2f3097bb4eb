"""A complaint's life (R-5.3): recorded by the order's merchandiser, taken by quality (a quality
issue opens), investigated (the issue is solved with the findings), answered, closed or rated,
reopened with its history kept; each step only by the role it belongs to, on the right status."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gendan.aftersales import services
from gendan.aftersales.models import Complaint
from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.issues.choices import IssueKind, IssueSource, IssueStatus
from gendan.testing.helpers import audit_actions, last_entry

pytestmark = pytest.mark.django_db


def test_the_merchandiser_records_a_complaint_numbered_ks(f, users):
    complaint = f.complaint()
    year = timezone.localdate().year
    assert complaint.number == f"KS-{year}-0001"
    assert complaint.status == "received"
    assert f.complaint(order=complaint.order).number == f"KS-{year}-0002"
    assert last_entry(complaint).actor == users["merchandiser"]
    # The order's timeline names it too.
    assert AuditEntry.objects.filter(scope=complaint.order.scope, note__contains=complaint.number).exists()


def test_a_complaint_on_another_merchandisers_order_is_refused(f, other_merchandiser):
    order = f.order(merchandiser=other_merchandiser)
    with pytest.raises(ValidationError) as exc:
        f.complaint(order=order)
    assert "order" in exc.value.message_dict
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": Decimal(0)}, "quantity"),
        ({"quantity": Decimal(101)}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"channel": "pigeon"}, "channel"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"received_on": timezone.localdate() + dt.timedelta(days=1)}, "received_on"),
        ({"contact_name": "x" * 101}, "contact_name"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(f, change, field):
    with pytest.raises(ValidationError) as exc:
        f.complaint(**change)
    assert field in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_a_line_of_another_order_is_refused(f):
    other = f.order()
    with pytest.raises(ValidationError) as exc:
        f.complaint(order_line=other.lines.first())
    assert "order_line" in exc.value.message_dict


def test_quality_takes_it_and_a_quality_issue_opens_for_the_quality_department(f, departments):
    complaint = f.investigating()
    assert complaint.status == "investigating"
    issue = complaint.issue
    assert issue.kind == IssueKind.QUALITY
    assert issue.source == IssueSource.COMPLAINT
    assert issue.fingerprint == f"complaint:{complaint.pk}"
    assert issue.order_id == complaint.order_id
    assert issue.responsible_department == departments["quality"]


def test_only_quality_takes_a_complaint(f, users):
    complaint = f.complaint()
    for role in ("merchandiser", "production", "management"):
        with pytest.raises(PermissionDenied):
            services.complaint_take(actor=users[role], complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.issue is None


def test_two_engineers_taking_at_once_one_wins(f, users, make):
    complaint = f.complaint()
    services.complaint_take(actor=users["quality"], complaint_id=complaint.pk)
    with pytest.raises(WorkflowConflict):
        services.complaint_take(actor=make.user(role="quality"), complaint_id=complaint.pk)


def test_the_findings_solve_the_quality_issue(f):
    complaint = f.investigated()
    assert complaint.investigated
    issue = complaint.issue
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert "珍珠棉" in issue.solution
    assert issue.cause == "包装无隔层，运输中摩擦"


def test_findings_need_root_cause_and_action(f, users):
    complaint = f.investigating()
    with pytest.raises(ValidationError) as exc:
        services.complaint_investigate(
            actor=users["quality"], complaint_id=complaint.pk, root_cause="", corrective_action="x"
        )
    assert "root_cause" in exc.value.message_dict
    complaint.refresh_from_db()
    assert complaint.investigated_at is None


def test_the_merchandiser_may_not_record_findings(f, users):
    complaint = f.investigating()
    with pytest.raises(PermissionDenied):
        services.complaint_investigate(
            actor=users["merchandiser"], complaint_id=complaint.pk, root_cause="x", corrective_action="y"
        )


def test_no_answer_before_the_findings(f, users):
    complaint = f.investigating()
    with pytest.raises(ValidationError):
        services.complaint_answer(actor=users["merchandiser"], complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == "investigating"


def test_only_the_orders_merchandiser_answers(f, users, other_merchandiser):
    complaint = f.investigated()
    for user in (users["quality"], other_merchandiser):
        with pytest.raises((PermissionDenied, Complaint.DoesNotExist)):
            services.complaint_answer(actor=user, complaint_id=complaint.pk)
    done = services.complaint_answer(actor=users["merchandiser"], complaint_id=complaint.pk, reply="已补发")
    assert done.status == "answered" and done.answered_by == users["merchandiser"]


def test_closing_without_rating_and_reopening_keeps_the_history(f, users):
    complaint = f.answered()
    closed = services.complaint_close(
        actor=users["merchandiser"], complaint_id=complaint.pk, note="客户无回复"
    )
    assert closed.status == "closed" and closed.closed_at is not None
    with pytest.raises(ValidationError):
        services.complaint_reopen(actor=users["merchandiser"], complaint_id=complaint.pk, reason=" ")
    back = services.complaint_reopen(
        actor=users["merchandiser"], complaint_id=complaint.pk, reason="客户再次投诉"
    )
    assert back.status == "investigating" and back.reopened == 1
    assert back.root_cause and back.reply  # findings and reply stay
    # Back with quality: the merchandiser answers again only after quality confirms its findings.
    with pytest.raises(ValidationError):
        services.complaint_answer(actor=users["merchandiser"], complaint_id=complaint.pk)
    services.complaint_investigate(
        actor=users["quality"],
        complaint_id=complaint.pk,
        root_cause=back.root_cause,
        corrective_action="再培训",
    )
    again = services.complaint_answer(
        actor=users["merchandiser"], complaint_id=complaint.pk, reply="再次答复"
    )
    assert again.status == "answered" and again.corrective_action == "再培训"
    actions = audit_actions(back)
    for step in ("complaint:take", "complaint:answer", "complaint:close", "complaint:reopen"):
        assert step in actions


def test_a_closed_complaint_cannot_be_answered_again(f, users):
    complaint = f.answered()
    services.complaint_close(actor=users["merchandiser"], complaint_id=complaint.pk)
    with pytest.raises(WorkflowConflict):
        services.complaint_answer(actor=users["merchandiser"], complaint_id=complaint.pk)


def test_quality_is_told_of_a_new_complaint_and_the_merchandiser_of_the_findings(f, users):
    from gendan.notifications.models import Notification

    complaint = f.complaint()
    told = Notification.objects.filter(event="complaint.received")
    assert list(told.values_list("recipient", flat=True)) == [users["quality"].pk]
    assert complaint.number in told.get().title
    f.investigated()
    assert Notification.objects.filter(
        event="complaint.investigated", recipient=users["merchandiser"]
    ).exists()


def test_the_issue_page_names_the_complaint(f, client_quality):
    from django.urls import reverse

    complaint = f.investigating()
    page = client_quality.get(reverse("issues:issues_detail", args=[complaint.issue_id])).content.decode()
    assert complaint.number in page
    assert reverse("aftersales:complaint_detail", args=[complaint.pk]) in page
