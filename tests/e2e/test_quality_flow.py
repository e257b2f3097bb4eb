"""Quality and coordination in a browser, in Chinese, as a new user walks them (issue 17, done when):
an in-process inspection fails a lot; quality dispositions the nonconformance and asks production
for a corrective action, which is done with evidence and verified; the issue the nonconformance
raised is discussed in a coordination meeting and closed by the merchandiser; an overdue issue is
escalated by rule and, nobody acknowledging it, passed up the ladder; the quality records show the
defect."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/e2e-quality-{}.png"
PHONE = {
    "viewport": {"width": 370, "height": 800},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


@pytest.fixture
def shop(people, make):
    """A released order on the shop floor whose first operation has an in-process inspection plan
    (outer diameter 20 ± 0.1 mm, GB/T 2828.1 II / AQL 1.0), the burr defect code, the standard
    escalation ladder and rules, and 80 good units reported at the first operation."""
    from gendan.escalations.demo import ensure_setup
    from gendan.quality.models import DefectCode
    from gendan.quality.tests.process_rows import planned_with_plans
    from gendan.shopfloor.services import report_create

    w = planned_with_plans(make, people)
    DefectCode.objects.create(code="D04", name="毛刺", name_en="Burr")
    ensure_setup(people["manager"])
    report_create(actor=people["planner"], operation_id=w.ops[0].pk, good_qty="80")
    return w


def _post(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _choose(page, select: str, text: str) -> None:
    """Choose the option whose label contains `text`."""
    option = page.locator(f"{select} option", has_text=text).first
    page.select_option(select, option.get_attribute("value"))


def _shot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name), full_page=True)


def test_a_failed_lot_is_dealt_with_its_issue_closed_in_a_meeting_and_an_overdue_issue_climbs(
    shop, people, new_page, login, e2e_server, tmp_path
):
    from gendan.escalations.choices import EscalationStatus
    from gendan.escalations.models import Escalation
    from gendan.escalations.services import escalations_tick
    from gendan.issues.models import Issue
    from gendan.meetings.models import Meeting
    from gendan.quality.models import CorrectiveAction, Nonconformance, ProcessInspection

    server, order = e2e_server, shop.line.order
    evidence = tmp_path / "换刀记录.png"
    evidence.write_bytes(PNG)

    # 1. The inspector finds the lot in the queue, measures one unit out of limits, finds a burr on
    #    another, and completes the inspection: the sample has two defectives, the lot fails.
    inspector = new_page()
    inspector.on("dialog", lambda dialog: dialog.accept())
    login(inspector, "inspector")
    inspector.goto(f"{server}/quality/process/")
    row = inspector.locator("table.grid tbody tr", has_text=order.number)
    assert "巡检" in row.inner_text() and "80" in row.inner_text()
    _shot(inspector, "queue")
    with inspector.expect_navigation():
        row.locator("a").first.click()
    task = ProcessInspection.objects.get(order=order)
    if inspector.locator("form[action$='/start/'] button").count():
        _post(inspector, "form[action$='/start/'] button")
    page_text = inspector.locator("main").inner_text()
    assert "外径" in page_text and "客户要求" in page_text  # the plan and the customer's requirements
    inspector.fill("form[action$='/measure/'] input[name=value]", "20.4")
    _post(inspector, "form[action$='/measure/'] button")
    assert (
        "超差" in inspector.locator("main").inner_text() or "不合格" in inspector.locator("main").inner_text()
    )
    _choose(inspector, "form[action$='/defects/'] select[name=code]", "毛刺")
    inspector.fill("form[action$='/defects/'] input[name=count]", "1")
    _post(inspector, "form[action$='/defects/'] button")
    _shot(inspector, "measured")
    _post(inspector, "form[action$='/complete/'] button")
    task.refresh_from_db()
    assert task.status == "failed"
    assert "不合格" in inspector.locator(".pagehead").inner_text()
    nc = Nonconformance.objects.get(inspection=task)
    issue = Issue.objects.get(fingerprint=f"nc:{nc.pk}")

    # 2. The nonconformance: quality decides to rework the lot and asks production for a corrective
    #    action; the issue the nonconformance opened is linked from its page.
    with inspector.expect_navigation():
        inspector.click(f"a[href$='/nonconformances/{nc.pk}/']")
    assert issue.number in inspector.locator("main").inner_text()
    inspector.select_option("form[action$='/decide/'] select[name=disposition]", "rework")
    _post(inspector, "form[action$='/decide/'] button")
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    add = "form[action$='/actions/']"
    inspector.fill(f"{add} textarea[name=containment]", "隔离本批 80 件，全检外径")
    inspector.fill(f"{add} textarea[name=root_cause]", "车刀磨损，未按时换刀")
    inspector.fill(f"{add} textarea[name=action]", "每 200 件换刀并做首件检")
    _choose(inspector, f"{add} select[name=owner]", str(people["planner"]))
    inspector.fill(f"{add} input[name=due_date]", due)
    _post(inspector, f"{add} button")
    action = CorrectiveAction.objects.get(nonconformance=nc)
    assert action.owner == people["planner"]
    _shot(inspector, "nc-decided")

    # 3. Production does the action and uploads the evidence; quality verifies it.
    planner = new_page()
    login(planner, "planner")
    planner.goto(f"{server}/quality/nonconformances/{nc.pk}/")
    planner.fill("form[action$='/done/'] input[name=note]", "已换刀，首件检合格")
    _post(planner, "form[action$='/done/'] button")
    planner.set_input_files("form[action$='/evidence/'] input[type=file]", str(evidence))
    _post(planner, "form[action$='/evidence/'] button")
    _shot(planner, "action-done")
    inspector.goto(f"{server}/quality/nonconformances/{nc.pk}/")
    inspector.fill("form[action$='/verify/'] input[name=note]", "连续三批外径合格")
    _post(inspector, "form[action$='/verify/'] button")
    action.refresh_from_db()
    assert action.status == "closed" and action.verified_by == people["inspector"]
    issue.refresh_from_db()
    assert issue.status == "resolved" and "换刀" in issue.solution
    _shot(inspector, "verified")

    # 4. The merchandiser calls a coordination meeting, puts his order's open issues on the agenda,
    #    records the decision, holds it, and closes the issue on its page.
    merch = new_page()
    merch.on("dialog", lambda dialog: dialog.accept())
    login(merch, "merchandiser")
    merch.goto(f"{server}/issues/my-orders/")
    assert issue.number in merch.locator("main").inner_text()
    merch.goto(f"{server}/meetings/meeting/new/")
    merch.fill("input[name=title]", "生产协调会")
    merch.fill(
        "input[name=held_on]", (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    merch.fill("input[name=place]", "二楼会议室")
    attendees = [str(people[who].pk) for who in ("inspector", "planner")]
    merch.select_option("select[name=attendees]", attendees)
    _post(merch, "form.stack button.primary, form button.primary")
    _shot(merch, "meeting")
    with merch.expect_navigation():
        merch.click("a[href$='/agenda/']")
    merch.fill("input[name=order]", order.number)
    _post(merch, "form.filterbar button")
    assert issue.number in merch.locator("table.grid").inner_text()
    _post(merch, "form[action$='/agenda/add/'] button.primary")
    merch.goto(merch.url.split("/agenda")[0] + "/")
    item = merch.locator("tr", has=merch.locator(f"a:text-is('{issue.number}')"))
    item.locator("textarea[name=decision]").fill("换刀周期写入作业指导书，本问题关闭")
    with merch.expect_navigation():
        item.locator("form[action*='/decide/'] button").click()
    if merch.locator("form[action$='/hold/'] button").count():
        _post(merch, "form[action$='/hold/'] button")
    _shot(merch, "decided")
    merch.goto(f"{server}/issues/{issue.pk}/")
    linked = merch.locator("main").inner_text()
    meeting = Meeting.objects.get(title="生产协调会")
    assert f"NC-{nc.pk:05d}" in linked and meeting.number in linked and "换刀周期写入作业指导书" in linked
    _post(merch, "form[action$='/close/'] button")
    issue.refresh_from_db()
    assert issue.status == "closed"
    _shot(merch, "issue-closed")

    # 5. An issue five days past its due date is escalated by rule to the responsible department's
    #    manager; nobody acknowledges it, and after the level's hours it is passed up to the
    #    production manager, who acknowledges it in his inbox.
    from gendan.issues.services import issue_open

    late = issue_open(
        actor=people["merchandiser"],
        kind="material",
        title="外协件未到货",
        order=order,
        responsible_department=people["purchaser"].department,
        due_date=timezone.localdate() - dt.timedelta(days=5),
    )
    now = timezone.now()
    escalations_tick(now=now)  # the worker's tick, every five minutes
    first = Escalation.objects.get(issue=late)
    assert first.status == EscalationStatus.OPEN and first.climbs_at is not None
    buyer = new_page()
    login(buyer, "purchaser")
    buyer.goto(f"{server}/escalations/")
    assert late.number in buyer.locator("main").inner_text()
    _shot(buyer, "escalated")
    escalations_tick(now=first.climbs_at + dt.timedelta(minutes=5))
    first.refresh_from_db()
    assert first.status == EscalationStatus.CLIMBED
    second = first.climbed_to
    assert second.level.position == first.level.position + 1
    planner.goto(f"{server}/escalations/")
    assert late.number in planner.locator("main").inner_text()
    with planner.expect_navigation():
        planner.click(f"a[href$='/escalations/{second.pk}/']")
    planner.fill("form[action$='/acknowledge/'] [name=note]", "今天跟供应商确认")
    _post(planner, "form[action$='/acknowledge/'] button")
    second.refresh_from_db()
    assert second.status == EscalationStatus.ACKNOWLEDGED and second.acknowledged_by == people["planner"]
    history = planner.locator("ol.workflow-history").inner_text()
    assert "系统" in history and str(people["planner"]) in history and ": planner" not in history
    _shot(planner, "acknowledged")

    # 6. The quality records show the defect in the Pareto of in-process inspection.
    inspector.goto(f"{server}/quality/records/")
    records = inspector.locator("main").inner_text()
    assert "毛刺" in records
    _shot(inspector, "records")

    # 7. The same pages in English, and the inspection on a phone: nothing runs off the screen.
    _post(inspector, "button[name=language][value=en]")
    inspector.goto(f"{server}/quality/nonconformances/{nc.pk}/")
    english = inspector.locator("main").inner_text()
    assert "Corrective action" in english and "Rework" in english and "纠正措施" not in english
    _shot(inspector, "nc-english")
    phone = new_page(**PHONE)
    login(phone, "inspector")
    for path in (f"/quality/process/{task.pk}/", f"/quality/nonconformances/{nc.pk}/", "/quality/records/"):
        phone.goto(f"{server}{path}")
        width, inner = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"{path}: {width} px wide on a {inner} px screen"
    _shot(phone, "phone-records")
