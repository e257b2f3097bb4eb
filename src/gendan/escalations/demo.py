"""Escalation's part of the demo factory (after the issues, step 50, and the later areas): the
standard ladder and rules, the open issues they escalate, and one escalation passed up to the next
level because nobody acknowledged it in time."""

import datetime as dt

from django.utils import timezone

from gendan.core.demo import DemoPart, DemoSeeder
from gendan.issues.choices import OPEN_STATES

from .choices import EscalationStatus, RuleKind
from .models import Escalation, Ladder, LadderLevel, Rule
from .services.config import DEFAULT_LADDER, DEFAULT_LEVELS
from .services.flow import escalation_acknowledge, escalation_raise, escalations_climb, involved_issues
from .services.rules import escalations_by_rule

RULES = [
    ("ESC-SEV", "高/紧急异常", "High or critical issue", RuleKind.SEVERITY, "high", None, 1),
    ("ESC-LATE", "逾期三天", "Three days past due", RuleKind.OVERDUE, "", 3, 1),
    ("ESC-DEPT", "涉及三个部门", "Three departments involved", RuleKind.DEPARTMENTS, "", 3, 1),
    ("ESC-RISK", "交期风险", "Delivery at risk", RuleKind.DELIVERY_RISK, "", 1, 2),
]


def ensure_setup(actor) -> Ladder:
    seeder = DemoSeeder(actor)
    code, name, name_en = DEFAULT_LADDER
    ladder = seeder.ensure(
        Ladder, ("code",), [{"code": code, "name": name, "name_en": name_en, "is_default": True}]
    )[(code,)]
    seeder.ensure(
        LadderLevel,
        ("ladder", "position"),
        [
            {"ladder": ladder, "position": pos, "role": role, "climb_hours": hours}
            for pos, role, hours in DEFAULT_LEVELS
        ],
    )
    seeder.ensure(
        Rule,
        ("code",),
        [
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "min_severity": severity,
                "threshold": threshold,
                "ladder": ladder,
                "level": level,
            }
            for code, name, name_en, kind, severity, threshold, level in RULES
        ],
    )
    return ladder


def build_escalations(*, users, **_earlier) -> DemoPart:
    ensure_setup(users["admin"])
    if not Escalation.objects.exists():
        now = timezone.now()
        # The rules ran six hours ago; nobody acknowledged since, so the first level passed up.
        escalations_by_rule(now=now - dt.timedelta(hours=6))
        escalations_climb(now=now)
        _acknowledge_one(users)
    return DemoPart(
        counts={
            "escalations": Escalation.objects.count(),
            "escalations passed up": Escalation.objects.filter(status=EscalationStatus.CLIMBED).count(),
        }
    )


def _acknowledge_one(users) -> None:
    """The merchandiser escalates by hand one of his orders' open issues that no rule escalated, and a
    manager it was told to acknowledges it: the demo shows each state (waiting, acknowledged, passed
    up). Which issues the rules raise depends on the day the demo is built (an order's schedule may or
    may not say it is at risk); this one does not."""
    merchandiser = users["merchandiser"]
    issue = (
        involved_issues(merchandiser)
        .filter(status__in=OPEN_STATES, escalations__isnull=True, order__isnull=False)
        .order_by("pk")
        .first()
    )
    if issue is None:
        return
    raised = escalation_raise(actor=merchandiser, issue_id=issue.pk, reason="客户催问进度，请经理协调资源")
    manager = raised.notified.order_by("pk").first()
    if manager is not None:
        escalation_acknowledge(
            actor=manager, escalation_id=raised.pk, note="已安排专人跟进，明天回复处理结果"
        )
