"""A nonconformance is an issue on the register (R-4.3): a failed inspection opens both; the issue
is marked solved from the verified corrective action once the lot is dealt with, and the
merchandiser confirms it; each page links to the other, the API names them; and the order's
timeline shows the inspection, the nonconformance, its corrective action, the issue, the meeting
that discussed it and its escalation (issue item 8)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.escalations.choices import LevelRole
from gendan.escalations.models import Ladder, LadderLevel
from gendan.escalations.services import escalation_acknowledge, escalation_raise
from gendan.issues.models import Issue
from gendan.issues.services import issue_accept, issue_close, issue_update
from gendan.meetings import services as meetings
from gendan.notifications.models import Notification
from gendan.orders.selectors import order_timeline
from gendan.quality import services_nc as nc_svc
from gendan.quality import services_process as svc
from gendan.quality.models import DefectCode, Nonconformance

pytestmark = pytest.mark.django_db


def _failed(w, inspector, *, requirements: bool = True, lot: int = 80) -> Nonconformance:
    """An in-process inspection of the first operation failed on one unit out of limits and one
    burr (two defective units in a sample of 13)."""
    if not requirements:
        w.line.quality_requirements = ""
        w.line.save(update_fields=["quality_requirements"])
    made = svc.process_inspection_create(
        actor=inspector,
        kind="in_process",
        order_line_id=w.line.pk,
        operation_id=w.ops[0].pk,
        lot_quantity=lot,
    )
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.diameter.pk, unit_no=1, value="20.4"
    )
    code = DefectCode.objects.get_or_create(code="D04", defaults={"name": "毛刺", "name_en": "Burr"})[0]
    svc.process_defect_add(actor=inspector, inspection_id=made.pk, code_id=code.pk, count=1)
    svc.process_inspection_complete(actor=inspector, inspection_id=made.pk)
    return Nonconformance.objects.get(inspection=made)


def _issue(nc) -> Issue:
    return Issue.objects.get(fingerprint=f"nc:{nc.pk}")


def _png():
    return SimpleUploadedFile("evidence.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20).getvalue())


def _verified_action(nc, inspector, owner):
    ca = nc_svc.action_create(
        actor=inspector,
        nc_id=nc.pk,
        containment="隔离在制品 80 件",
        root_cause="刀具磨损",
        action="换刀并加首件检",
        owner_id=owner.pk,
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )
    nc_svc.action_done(actor=owner, action_id=ca.pk, note="已换刀")
    nc_svc.evidence_add(actor=owner, action_id=ca.pk, upload=_png())
    return nc_svc.action_verify(actor=inspector, action_id=ca.pk, note="连续三批复检合格")


def test_a_failed_inspection_opens_the_issue_of_its_nonconformance_once(
    line_with_plans, inspector, users, departments
):
    w = line_with_plans
    nc = _failed(w, inspector)
    issue = _issue(nc)
    assert (issue.kind, issue.source, issue.status) == ("quality", "inspection", "open")
    assert (issue.order_id, issue.operation_id) == (w.line.order_id, w.ops[0].pk)
    # A work centre records no department: quality, who disposes and verifies, answers for it.
    assert issue.responsible_department == departments["quality"]
    assert issue.opened_by == inspector
    assert f"NC-{nc.pk:05d}" in issue.title and "D04" in issue.title
    assert "外径" in issue.description  # what was out of limits
    # The customer must approve a use as is: high.
    assert issue.severity == "high"
    assert issue.due_date == timezone.localdate() + dt.timedelta(days=nc_svc.ISSUE_DAYS)
    assert Notification.objects.filter(event="issue.opened", recipient=users["merchandiser"]).exists()
    # Asked again (the completion is repeated by a retry), the same issue comes back.
    nc_svc.nc_open(nc.inspection)
    assert Issue.objects.filter(fingerprint=f"nc:{nc.pk}").count() == 1


def test_a_failure_the_line_can_rework_without_the_customer_is_medium(line_with_plans, inspector):
    issue = _issue(_failed(line_with_plans, inspector, requirements=False))
    assert issue.severity == "medium"


def test_without_a_quality_department_production_answers_and_without_either_no_issue(
    line_with_plans, inspector, departments
):
    from gendan.accounts.models import Department

    Department.objects.filter(kind="quality").update(is_archived=True)
    nc = _failed(line_with_plans, inspector)
    assert _issue(nc).responsible_department == departments["production"]
    Department.objects.filter(kind="production").update(is_archived=True)
    second = _failed(line_with_plans, inspector)
    assert second.status == "open"  # the nonconformance is there, followed up on its own
    assert not Issue.objects.filter(fingerprint=f"nc:{second.pk}").exists()


def test_the_issue_is_solved_when_the_lot_is_dealt_with_and_the_action_verified(
    line_with_plans, inspector, users
):
    nc = _failed(line_with_plans, inspector)
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="rework")
    issue = _issue(nc)
    assert issue.status == "open"  # the lot is reworked, but no corrective action yet
    _verified_action(nc, inspector, users["production"])
    issue.refresh_from_db()
    # Solved, not closed: the merchandiser confirms it on the register.
    assert issue.status == "resolved" and issue.resolved_at is not None
    assert "换刀并加首件检" in issue.solution and "连续三批复检合格" in issue.solution
    assert issue.cause == "刀具磨损"
    assert Notification.objects.filter(event="issue.solved", recipient=users["merchandiser"]).exists()
    issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == "closed"


def test_an_action_verified_before_the_disposition_solves_the_issue_at_the_approval(
    line_with_plans, inspector, users
):
    nc = _failed(line_with_plans, inspector)
    _verified_action(nc, inspector, users["production"])
    assert _issue(nc).status == "open"  # the lot still waits for its disposition
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="use_as_is", note="不影响装配")
    assert _issue(nc).status == "open"  # a use as is waits for approval
    nc_svc.nc_approve(actor=users["management"], nc_id=nc.pk, customer_approval="客户王工邮件")
    issue = _issue(nc)
    assert issue.status == "resolved"
    assert "换刀并加首件检" in issue.solution


def test_a_solution_already_written_on_the_issue_is_kept(line_with_plans, inspector, users):
    nc = _failed(line_with_plans, inspector)
    issue = _issue(nc)
    issue_accept(actor=users["quality"], issue_id=issue.pk)
    issue_update(actor=users["quality"], issue_id=issue.pk, data={"solution": "先隔离", "cause": "夹具"})
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="scrap")
    _verified_action(nc, inspector, users["production"])
    issue.refresh_from_db()
    assert issue.status == "resolved"
    assert issue.solution.startswith("先隔离") and "换刀并加首件检" in issue.solution
    assert issue.cause == "夹具"  # what the department wrote stays


def test_an_ineffective_action_says_so_on_the_issue(line_with_plans, inspector, users):
    nc = _failed(line_with_plans, inspector)
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="rework")
    ca = _verified_action(nc, inspector, users["production"])
    nc_svc.action_effectiveness(actor=inspector, action_id=ca.pk, effective=False, note="第五批再次超差")
    issue = _issue(nc)
    assert issue.status == "resolved"  # reopening is the merchandiser's step
    assert issue.notes.filter(text__contains="第五批再次超差").exists()


def test_each_page_links_to_the_other(line_with_plans, inspector, client_for):
    nc = _failed(line_with_plans, inspector)
    issue = _issue(nc)
    nc_page = client_for("merchandiser").get(reverse("quality:nc_detail", args=[nc.pk])).content.decode()
    assert reverse("issues:issues_detail", args=[issue.pk]) in nc_page and issue.number in nc_page
    issue_page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk]))
    text = issue_page.content.decode()
    assert reverse("quality:nc_detail", args=[nc.pk]) in text and f"NC-{nc.pk:05d}" in text


def test_the_api_names_the_issue_of_a_nonconformance_and_the_source_of_the_issue(
    line_with_plans, inspector, api_for
):
    nc = _failed(line_with_plans, inspector)
    issue = _issue(nc)
    api = api_for("quality")
    assert api.get(f"/api/nonconformances/{nc.pk}/").json()["issue"] == issue.pk
    assert [row["issue"] for row in api.get("/api/nonconformances/").json()["results"]] == [issue.pk]
    assert api.get(f"/api/issues/{issue.pk}/").json()["source_record"] == {
        "kind": "nonconformance",
        "id": nc.pk,
        "api": f"/api/nonconformances/{nc.pk}/",
    }
    # Read-only: sent back, it changes nothing and is not refused as unknown.
    decided = api.post(f"/api/nonconformances/{nc.pk}/decide/", {"disposition": "rework"}, format="json")
    assert decided.status_code == 200 and decided.json()["issue"] == issue.pk


def test_the_orders_timeline_shows_the_whole_quality_story(
    line_with_plans, inspector, users, departments, client_for
):
    w = line_with_plans
    order = w.line.order
    nc = _failed(w, inspector)
    issue = _issue(nc)
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="rework")
    meeting = meetings.meeting_create(
        actor=users["merchandiser"],
        attendees=[users["quality"]],
        title="质量协调会",
        held_on=timezone.now(),
        place="会议室",
    )
    (item,) = meetings.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    meetings.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="换刀，加首件检")
    departments["quality"].manager = users["quality"]
    departments["quality"].save()
    Ladder.objects.update(is_default=False)
    ladder = Ladder.objects.create(code="T-Q", name="质量", is_default=True)
    LadderLevel.objects.create(ladder=ladder, position=1, role=LevelRole.DEPARTMENT_MANAGER, climb_hours=4)
    escalation = escalation_raise(actor=users["merchandiser"], issue_id=issue.pk, reason="客户催货")
    escalation_acknowledge(actor=users["quality"], escalation_id=escalation.pk, note="今天处理")
    _verified_action(nc, inspector, users["production"])
    issue_close(actor=users["merchandiser"], issue_id=issue.pk)

    entries = list(order_timeline(order=order))
    kinds = {e.content_type.model for e in entries}
    assert {"processinspection", "nonconformance", "correctiveaction", "issue", "escalation"} <= kinds
    actions = {e.action for e in entries}
    assert {"meeting_agenda", "meeting_decision", "action_verify", "issue:resolve", "issue:close"} <= actions
    assert {"escalation:raise", "escalation:acknowledge", "escalation:close"} <= actions
    page = client_for("merchandiser").get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert meeting.number in page and issue.number in page
