"""Escalation by rule (R-4.4): every few minutes each open issue is measured once (severity, days
past its due date, departments involved, its order's delivery at risk) in a fixed number of
queries, and escalated to the highest level a matching rule names, once per issue and level.

Departments involved: the distinct departments among the issue's responsible department, the
department of who opened it, of its owner, and of everyone who wrote a note on it.
Delivery at risk: how many days late the order's delivery is expected. The delivery risk app
(above this one) registers its assessment with `register_lateness` (the engine's slack of a late
order: its schedule, late material, an overdue line); without it, the plan in force's finish (local
date) against the earliest delivery date of the order's lines that are not cancelled.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict
from gendan.issues.choices import OPEN_STATES, SEVERITY_RANK, Severity
from gendan.issues.models import Issue, IssueNote
from gendan.orders.models import Order, OrderLine

from ..choices import LIVE_STATES, ROLE_RANK, ReasonKind, RuleKind
from ..models import Escalation, LadderLevel, Rule
from .flow import _pass_up, create_escalation

SEVERITY: dict[str, int] = {str(key): rank for key, rank in SEVERITY_RANK.items()}


@dataclass
class Facts:
    """What the rules look at, for one open issue."""

    severity: str
    days_overdue: int | None  # days past the due date (None: no due date, or not yet due)
    departments: set = field(default_factory=set)
    days_late: int | None = None  # days the order's delivery is expected late (see the docstring)


def matches(rule: Rule, facts: Facts) -> bool:
    if rule.kind == RuleKind.SEVERITY:
        return SEVERITY.get(facts.severity, 0) >= SEVERITY.get(rule.min_severity, 99)
    threshold = rule.threshold or 0
    if rule.kind == RuleKind.OVERDUE:
        return facts.days_overdue is not None and facts.days_overdue >= threshold
    if rule.kind == RuleKind.DEPARTMENTS:
        return len(facts.departments) >= threshold
    if rule.kind == RuleKind.DELIVERY_RISK:
        return facts.days_late is not None and facts.days_late >= max(threshold, 1)
    return False


def explain(rule: Rule, facts: Facts) -> str:
    """The reason an escalation by rule gives (in the language of the moment: stored once)."""
    if rule.kind == RuleKind.SEVERITY:
        return _("Rule %(rule)s: severity %(severity)s.") % {
            "rule": rule.code,
            "severity": Severity(facts.severity).label
            if facts.severity in Severity.values
            else facts.severity,
        }
    if rule.kind == RuleKind.OVERDUE:
        return _("Rule %(rule)s: %(n)s days past its due date.") % {
            "rule": rule.code,
            "n": facts.days_overdue,
        }
    if rule.kind == RuleKind.DEPARTMENTS:
        return _("Rule %(rule)s: %(n)s departments involved.") % {
            "rule": rule.code,
            "n": len(facts.departments),
        }
    return _("Rule %(rule)s: delivery expected %(n)s days late.") % {
        "rule": rule.code,
        "n": facts.days_late,
    }


def issue_facts(issues: list[Any], *, today: dt.date) -> dict[int, Facts]:
    """Facts of the issues (rows of values()), in three queries whatever their number."""
    facts: dict[int, Facts] = {}
    for row in issues:
        due = row["due_date"]
        overdue = (today - due).days if due and due < today else None
        depts = {
            d
            for d in (
                row["responsible_department_id"],
                row["opened_by__department_id"],
                row["owner__department_id"],
            )
            if d
        }
        facts[row["pk"]] = Facts(severity=row["severity"], days_overdue=overdue, departments=depts)
    notes = (
        IssueNote.objects.filter(issue_id__in=list(facts), author__department_id__isnull=False)
        .values_list("issue_id", "author__department_id")
        .distinct()
    )
    for issue_id, dept in notes:
        facts[issue_id].departments.add(dept)
    order_ids = {row["order_id"] for row in issues if row["order_id"]}
    if order_ids:
        lateness = _LATENESS[-1] if _LATENESS else plan_lateness
        late = lateness(order_ids, today)
        for row in issues:
            if row["order_id"] in late:
                facts[row["pk"]].days_late = late[row["order_id"]]
    return facts


Lateness = Callable[[Iterable[int], dt.date], dict[int, int]]
_LATENESS: list[Lateness] = []


def register_lateness(fn: Lateness) -> None:
    """`fn(order_ids, today) -> {order id: days late > 0}` answers "delivery at risk" in place of
    `plan_lateness` (the delivery risk app registers its assessment)."""
    if fn not in _LATENESS:
        _LATENESS.append(fn)


def plan_lateness(order_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """Days the plan in force finishes after the earliest delivery date (one query)."""
    lines = OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False)
    orders = Order.objects.filter(pk__in=list(order_ids)).annotate(
        due=Subquery(lines.values("order").annotate(d=Min("delivery_date")).values("d")[:1]),
        finish=F("plan__in_force__planned_finish"),
    )
    late: dict[int, int] = {}
    for pk, due, finish in orders.values_list("pk", "due", "finish"):
        if due and finish:
            days = (timezone.localtime(finish).date() - due).days
            if days > 0:
                late[pk] = days
    return late


def escalations_by_rule(*, now: dt.datetime | None = None) -> int:
    """Escalate every open issue a rule matches to the highest level matched, unless it is already
    escalated that high; once per issue and level (the fingerprint), whatever the rules say later."""
    now = now or timezone.now()
    rules = list(
        Rule.objects.filter(is_archived=False, ladder__is_archived=False)
        .select_related("ladder")
        .order_by("code")
    )
    if not rules:
        return 0
    levels = {
        (lv.ladder_id, lv.position): lv
        for lv in LadderLevel.objects.filter(is_archived=False, ladder__in={r.ladder_id for r in rules})
    }
    rows = list(
        Issue.objects.filter(status__in=OPEN_STATES).values(
            "pk",
            "severity",
            "due_date",
            "order_id",
            "responsible_department_id",
            "opened_by__department_id",
            "owner__department_id",
        )
    )
    facts = issue_facts(rows, today=timezone.localdate(now))
    live = dict(
        Escalation.objects.filter(status__in=LIVE_STATES, issue_id__in=list(facts)).values_list(
            "issue_id", "role"
        )
    )
    done = set(
        Escalation.objects.filter(issue_id__in=list(facts))
        .exclude(fingerprint="")
        .values_list("fingerprint", flat=True)
    )
    count = 0
    for issue_id, fact in facts.items():
        best: tuple[int, LadderLevel, Rule] | None = None
        for rule in rules:
            level = levels.get((rule.ladder_id, rule.level))
            if level is None or not matches(rule, fact):
                continue
            rank = ROLE_RANK[level.role]
            if best is None or rank > best[0]:
                best = (rank, level, rule)
        if best is None:
            continue
        rank, level, rule = best
        fingerprint = f"{issue_id}:{level.pk}"
        if fingerprint in done or rank <= ROLE_RANK.get(live.get(issue_id) or "", 0):
            continue
        if _raise_by_rule(issue_id, level, rule, fact, fingerprint, now):
            count += 1
    return count


def _raise_by_rule(issue_id: int, level: LadderLevel, rule: Rule, fact: Facts, fingerprint: str, now) -> bool:
    try:
        with transaction.atomic():
            issue = Issue.objects.select_related("order", "responsible_department").get(pk=issue_id)
            current = (
                Escalation.objects.select_related("issue")
                .filter(issue_id=issue_id, status__in=LIVE_STATES)
                .first()
            )
            if current is not None:
                if ROLE_RANK[current.role] >= ROLE_RANK[level.role]:
                    return False
                _pass_up(
                    None,
                    current,
                    lambda code=rule.code: _("Escalated higher by rule %(rule)s.") % {"rule": code},
                )
            create_escalation(
                actor=None,
                issue=issue,
                level=level,
                reason_kind=ReasonKind.RULE,
                reason=explain(rule, fact),
                rule=rule,
                climbed_from=current,
                fingerprint=fingerprint,
                now=now,
            )
            return True
    except (IntegrityError, WorkflowConflict):
        return False  # another worker (or person) escalated it at the same moment


def escalations_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: close the escalations of closed issues, escalate by rule, pass up what
    nobody acknowledged in time. Each step is idempotent, so two workers do no harm."""
    from .flow import escalations_climb, escalations_close

    now = now or timezone.now()
    return {
        "closed": escalations_close(now=now),
        "raised": escalations_by_rule(now=now),
        "climbed": escalations_climb(now=now),
    }
