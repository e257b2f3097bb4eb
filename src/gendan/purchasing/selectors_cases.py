"""Reads of supplier cases, restricted to what the reader may see: the list, one case with its
history and the steps the reader may take, and "needs your attention"."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry

from .choices import CASE_STEP_ACTION, CASE_TRANSITIONS, CaseStatus, CaseStep
from .models import SupplierCase

S = CaseStatus


def case_list(*, user, filters=None) -> QuerySet[SupplierCase]:
    from .filters_cases import SupplierCaseFilter

    qs = SupplierCase.objects.restrict(user, "view").select_related(
        "supplier", "material", "receipt", "decided_by", "approved_by"
    )
    if filters is not None:
        qs = SupplierCaseFilter(filters, queryset=qs).qs
    return qs


def case_get(*, user, pk) -> SupplierCase:
    """One case the user may see (DoesNotExist otherwise: a 404)."""
    return (
        SupplierCase.objects.restrict(user, "view")
        .select_related(
            "supplier",
            "material",
            "receipt__line__order",
            "receipt__warehouse",
            "follows",
            "decided_by",
            "approved_by",
            "opened_by",
        )
        .get(pk=pk)
    )


def case_history(case: SupplierCase) -> QuerySet[AuditEntry]:
    """The case's own entries (not the copies on the orders' timelines), oldest first."""
    ct = ContentType.objects.get_for_model(SupplierCase)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=str(case.pk), scope="")
        .select_related("actor", "content_type")
        .order_by("pk")
    )


def case_steps(user, case: SupplierCase) -> set[str]:
    """The steps the user may take on the case now: the table allows them from its status, and
    his role and the case's rules allow their action (one query at most)."""
    possible = {step for step in CASE_TRANSITIONS.get(case.status, {}).values() if step != CaseStep.REPLACED}
    actions = SupplierCase.objects.all().allowed_actions(user, case, {CASE_STEP_ACTION[s] for s in possible})
    return {step for step in possible if CASE_STEP_ACTION[step] in actions}


def cases_attention(user) -> list[AttentionItem]:
    """Home page: purchasing sees the cases to decide (and overdue ones); an approver the
    concessions waiting for him."""
    items: list[AttentionItem] = []
    base = reverse("purchasing:case_list")
    if SupplierCase.objects.all().role_allows(user, "change") and not user.is_admin:
        undecided = (
            SupplierCase.objects.restrict(user, "change").filter(status=S.OPEN).select_related("material")
        )
        count = undecided.count()
        if count:
            examples = [
                (f"{c.number} · {c.material}", reverse("purchasing:case_detail", args=[c.pk]))
                for c in undecided[:5]
            ]
            items.append(
                AttentionItem(
                    _("Supplier cases to decide"), count, f"{base}?status={S.OPEN}", examples, "warn"
                )
            )
        overdue = case_list(user=user, filters={"overdue": "true"})
        count = overdue.count()
        if count:
            examples = [(c.number, reverse("purchasing:case_detail", args=[c.pk])) for c in overdue[:5]]
            items.append(
                AttentionItem(_("Supplier cases overdue"), count, f"{base}?overdue=true", examples, "danger")
            )
    if SupplierCase.objects.all().role_allows(user, "approve_concession") and not user.is_admin:
        waiting = SupplierCase.objects.restrict(user, "approve_concession").filter(status=S.AWAITING_APPROVAL)
        count = waiting.count()
        if count:
            examples = [(c.number, reverse("purchasing:case_detail", args=[c.pk])) for c in waiting[:5]]
            items.append(
                AttentionItem(
                    _("Concessions waiting for your approval"),
                    count,
                    f"{base}?status={S.AWAITING_APPROVAL}",
                    examples,
                    "warn",
                )
            )
    return items
