"""Reads of escalation, through restrict(user, action): the inbox, one escalation, the buttons, home."""

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry
from gendan.issues.choices import OPEN_STATES
from gendan.issues.models import Issue

from .choices import LIVE_STATES, ROLE_RANK, EscalationStatus
from .filters import EscalationFilter
from .models import Escalation, LadderLevel
from .querysets import involved, sees_all


def escalation_list(*, user, filters=None, request=None) -> QuerySet[Escalation]:
    """The escalations `user` may see, with what the inbox shows, in a fixed number of queries."""
    qs = (
        Escalation.objects.restrict(user, "view")
        .select_related(
            "issue",
            "issue__order",
            "issue__responsible_department",
            "level",
            "ladder",
            "acknowledged_by",
            "rule",
        )
        .prefetch_related(Prefetch("notified", queryset=User.objects.order_by("pk")))
    )
    if filters is not None:
        qs = EscalationFilter(filters, queryset=qs, request=request).qs
    return qs.order_by("-created_at", "-pk")


def escalation_get(*, user, pk) -> Escalation:
    return escalation_list(user=user).get(pk=pk)


def escalation_history(escalation: Escalation) -> QuerySet[AuditEntry]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Escalation)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=str(escalation.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def issue_escalations(*, user, issue: Issue) -> QuerySet[Escalation]:
    return escalation_list(user=user).filter(issue=issue)


def may_acknowledge(user, escalation: Escalation) -> bool:
    return escalation.status == EscalationStatus.OPEN and Escalation.objects.allows(
        user, escalation, "acknowledge"
    )


def may_escalate(user, issue: Issue) -> bool:
    """Whoever is involved in an open issue (management always) escalates it by hand."""
    if issue.status not in OPEN_STATES or not Escalation.objects.all().role_allows(user, "add"):
        return False
    if sees_all(user):
        return True
    return Issue.objects.filter(pk=issue.pk).filter(involved(user)).exists()


def levels_above(issue: Issue, ladder) -> list[LadderLevel]:
    """The levels an escalation by hand may go to: above the issue's live escalation."""
    live = (
        Escalation.objects.filter(issue=issue, status__in=LIVE_STATES).values_list("role", flat=True).first()
    )
    floor = ROLE_RANK.get(live, 0)
    return [
        lv
        for lv in ladder.levels.filter(is_archived=False).order_by("position", "pk")
        if ROLE_RANK[lv.role] > floor
    ]


def _example(e: Escalation) -> tuple[str, str]:
    text = f"{e.issue.number} {e.issue.title[:40]} · {e.get_role_display()}"
    return text, reverse("escalations:detail", args=[e.pk])


def escalations_attention(user) -> list[AttentionItem]:
    """Home page, first: the open escalations told to the reader, waiting for his acknowledgement;
    management also sees every escalation still open (danger)."""
    if not Escalation.objects.all().role_allows(user, "view"):
        return []
    live = Escalation.objects.restrict(user, "view").filter(
        status=EscalationStatus.OPEN, issue__status__in=OPEN_STATES
    )
    items = []
    mine = live.filter(notified=user)
    count = mine.count()
    if count:
        examples = [_example(e) for e in mine.select_related("issue").order_by("created_at", "pk")[:5]]
        items.append(
            AttentionItem(
                _("Escalations waiting for your acknowledgement"),
                count,
                f"{reverse('escalations:inbox')}?mine=mine",
                examples,
                "danger",
                first=True,
            )
        )
    if sees_all(user):
        others = live.exclude(notified=user)
        count = others.count()
        if count:
            examples = [_example(e) for e in others.select_related("issue").order_by("created_at", "pk")[:5]]
            items.append(
                AttentionItem(
                    _("Open escalations not yet acknowledged"),
                    count,
                    f"{reverse('escalations:inbox')}?mine=all",
                    examples,
                    "danger",
                    first=True,  # management's home shows open escalations first
                )
            )
    return items
