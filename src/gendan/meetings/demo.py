"""The coordination meeting's part of the demo factory (after the issues, purchasing's cases and the
stores, step 73): a weekly meeting that took the merchandiser's open issues as its agenda, decided
on each, agreed two actions (followed up as issues) and sent its minutes."""

import datetime as dt

from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.issues.choices import OPEN_STATES
from gendan.issues.models import Issue

from .models import ActionItem, Meeting
from .services import action_add, agenda_add, decision_record, meeting_create, meeting_hold, minutes_send

DECISIONS = [
    "采购部今日联系供应商确认到货日期，跟单员同步客户 / Purchasing confirms the delivery date today; the merchandiser tells the customer",
    "生产部调整排产，优先该订单 / Production reschedules to give this order priority",
    "质检部加严检验一周 / Quality tightens inspection for a week",
]


def _first(users, *names):
    return next((users[n] for n in names if n in users), None)


def build_meetings(*, users, **_earlier) -> DemoPart:
    if not Meeting.objects.exists():
        _meeting(users)
    return DemoPart(
        counts={
            "coordination meetings": Meeting.objects.count(),
            "meeting actions": ActionItem.objects.count(),
        }
    )


def _meeting(users) -> None:
    chair = _first(users, "merchandiser")
    if chair is None:
        return
    people = [
        u
        for u in (
            _first(users, n, m)
            for n, m in (("planner", "production"), ("purchaser", "purchasing"), ("inspector", "quality"))
        )
        if u
    ]
    issues = list(
        Issue.objects.restrict(chair, "view")
        .filter(status__in=OPEN_STATES, order__merchandiser=chair)
        .order_by("opened_at", "pk")[:3]
    )
    when = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(9, 0))
    )
    meeting = meeting_create(
        actor=chair,
        title="生产协调会 / Weekly production coordination",
        held_on=when,
        place="二楼会议室 / Meeting room 2F",
        attendees=people,
    )
    if issues:
        agenda_add(actor=chair, meeting_id=meeting.pk, issue_ids=[i.pk for i in issues])
    meeting_hold(actor=chair, meeting_id=meeting.pk)
    items = list(meeting.agenda.select_related("issue").order_by("position"))
    for item, decision in zip(items, DECISIONS, strict=False):
        decision_record(actor=chair, item_id=item.pk, decision=decision)
    owners = [p for p in people if p.department_id][:2]
    today = timezone.localdate()
    texts = [
        "确认供应商补货计划并回复 / Confirm the supplier's replacement plan and report back",
        "提交加班排产方案 / Submit the overtime schedule",
    ]
    for n, owner in enumerate(owners):
        action_add(
            actor=chair,
            meeting_id=meeting.pk,
            text=texts[n],
            owner=owner,
            due_date=today + dt.timedelta(days=2 + n),
            agenda_item=items[n] if n < len(items) else None,
        )
    minutes_send(actor=chair, meeting_id=meeting.pk)
