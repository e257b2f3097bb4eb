"""Reads of the issue register, through restrict(user, action): lists, buttons, home panels."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry

from .choices import OPEN_STATES, SEVERITY_RANK, STEP_ACTION, IssueStatus, Step
from .models import Issue, IssueNote, MaintenanceRecord


def severity_rank():
    return Case(
        *[When(severity=value, then=Value(rank)) for value, rank in SEVERITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def issue_list(*, user, action: str = "view") -> QuerySet[Issue]:
    return (
        Issue.objects.restrict(user, action)
        .select_related("order", "responsible_department", "owner", "work_centre", "operation")
        .annotate(severity_rank=severity_rank())
    )


def issue_notes(*, issue: Issue) -> QuerySet[IssueNote]:
    return issue.notes.select_related("author").order_by("created_at", "pk")


def issue_history(*, issue: Issue) -> QuerySet[AuditEntry]:
    """The issue's own audit entries (and its calendar days' ones name it in their note)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Issue)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=str(issue.pk))
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def maintenance_list(*, user, action: str = "view") -> QuerySet[MaintenanceRecord]:
    return MaintenanceRecord.objects.restrict(user, action).select_related(
        "work_centre", "issue", "recorded_by"
    )


class IssueActions:
    """What a user may do to one issue now: the steps its status allows (choices.TRANSITIONS) that
    his rights allow (querysets.IssueQuerySet); the services check the same again."""

    def __init__(self, *, user, issue: Issue):
        may = Issue.objects.allowed_actions(user, issue, {"change", "close"})
        from .choices import TRANSITIONS

        self.steps = {
            str(step) for step in TRANSITIONS.get(issue.status, {}).values() if STEP_ACTION[step] in may
        }
        self.edit = "change" in may and issue.status != IssueStatus.CLOSED
        self.note = "change" in may
        self.needs_solution = not issue.solution.strip()
        self.record_repair = (
            issue.kind == "equipment"
            and issue.work_centre_id is not None
            and MaintenanceRecord.objects.all().role_allows(user, "add")
        )

    def __contains__(self, step: str) -> bool:
        return step in self.steps

    @property
    def accept(self) -> bool:
        return Step.ACCEPT in self.steps

    @property
    def resolve(self) -> bool:
        return Step.RESOLVE in self.steps

    @property
    def close(self) -> bool:
        return Step.CLOSE in self.steps

    @property
    def reopen(self) -> bool:
        return Step.REOPEN in self.steps


def _example(issue: Issue) -> tuple[str, str]:
    due = f" · {issue.due_date:%m-%d}" if issue.due_date else ""
    return f"{issue.number} {issue.title[:40]}{due}", reverse("issues:issues_detail", args=[issue.pk])


def _item(title, qs, query: str, level: str) -> AttentionItem:
    today = timezone.localdate()
    ordered = qs.annotate(
        late=Case(When(due_date__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()),
        severity_rank=severity_rank(),
    ).order_by("late", "-severity_rank", "due_date", "pk")
    count = qs.count()
    url = f"{reverse('issues:issues_list')}?{query}"
    return AttentionItem(title, count, url, [_example(i) for i in ordered[:5]], level)


def issues_attention(user) -> list[AttentionItem]:
    """Home page: the merchandiser's open issues on his orders (overdue first), production's and
    quality's their department's, management's the critical and high ones."""
    if not Issue.objects.all().role_allows(user, "view"):
        return []
    open_issues = Issue.objects.restrict(user, "view").filter(status__in=OPEN_STATES)
    items = []
    if user.role == Role.MERCHANDISER:
        mine = open_issues.filter(order__merchandiser=user)
        items.append(_item(_("Open issues on your orders"), mine, "mine=orders&sort=due_date", "warn"))
        solved = mine.filter(status=IssueStatus.RESOLVED)
        items.append(
            _item(
                _("Solved issues waiting for your confirmation"),
                solved,
                "mine=orders&status=resolved",
                "info",
            )
        )
    # Production and quality (and any other department but the merchandisers' and management's).
    if user.department_id and user.role not in (Role.MERCHANDISER, Role.MANAGEMENT):
        dept = open_issues.filter(responsible_department_id=user.department_id)
        items.append(
            _item(_("Open issues of your department"), dept, "mine=department&sort=due_date", "warn")
        )
    if user.role == Role.MANAGEMENT or user.is_admin:
        grave = open_issues.filter(Q(severity="critical") | Q(severity="high"))
        items.append(_item(_("Critical and high open issues"), grave, "sort=-severity_rank", "danger"))
    overdue = open_issues.filter(due_date__lt=timezone.localdate()).filter(
        Q(owner=user) | Q(order__merchandiser=user)
    )
    items.append(_item(_("Your overdue issues"), overdue, "overdue=true&sort=due_date", "danger"))
    return [i for i in items if i.count]


STATUS_RANK = {
    IssueStatus.OPEN: 1,
    IssueStatus.IN_PROGRESS: 2,
    IssueStatus.RESOLVED: 3,
    IssueStatus.CLOSED: 4,
}


def issues_for_follow_up(qs: QuerySet[Issue]) -> QuerySet[Issue]:
    """`qs` in the order a follow-up reads it: by status (open first), overdue ones first within a
    status, then by due date (none last), the gravest first."""
    from django.db.models import F

    today = timezone.localdate()
    return qs.annotate(
        status_rank=Case(
            *[When(status=value, then=Value(rank)) for value, rank in STATUS_RANK.items()],
            default=Value(9),
            output_field=IntegerField(),
        ),
        late=Case(
            When(status__in=OPEN_STATES, due_date__lt=today, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("status_rank", "late", F("due_date").asc(nulls_last=True), "-severity_rank", "pk")
