"""Reads of the purchase plans, restricted to what the reader may see (querysets_plans.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import can_see
from gendan.core.attention import AttentionItem

from .choices import ORDERABLE_PLAN_STATES, Decision, PlanLineStatus, PlanStatus
from .models import PlanLineDecision, PlanLinePeg, PurchasePlan, PurchasePlanLine
from .suggest import reason_text

P, L = PlanStatus, PlanLineStatus
PRICE_UP_PCT = 5  # a price this much above the last purchase is shown in red


def pending_for(user) -> QuerySet[PlanLineDecision]:
    """The decisions waiting for `user`: his rows (and, for management, the safety-stock rows) of
    undecided lines of submitted plans."""
    return PlanLineDecision.objects.restrict(user, "decide").filter(
        decision=Decision.PENDING, line__status=L.PROPOSED, line__plan__status=P.SUBMITTED
    )


def plan_list(*, user, filters=None, request=None) -> QuerySet[PurchasePlan]:
    from .filters_plans import PurchasePlanFilter

    qs = (
        PurchasePlan.objects.restrict(user, "view")
        .select_related("created_by", "submitted_by")
        .annotate(
            line_count=Count("lines", distinct=True),
            approved_count=Count("lines", filter=Q(lines__status__in=[L.APPROVED, L.ORDERED]), distinct=True),
            rejected_count=Count("lines", filter=Q(lines__status=L.REJECTED), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    if filters is not None:
        qs = PurchasePlanFilter(filters, queryset=qs, request=request).qs
    return qs


def plan_lines(*, user, plan: PurchasePlan) -> QuerySet[PurchasePlanLine]:
    """The plan's lines he may see, with materials, suppliers, the orders he may see and the
    decisions, in a fixed number of queries whatever the number of lines."""
    return (
        PurchasePlanLine.objects.restrict(user, "view")
        .filter(plan=plan)
        .select_related("material", "supplier", "suggested_supplier")
        .prefetch_related(
            Prefetch(
                "pegs",
                queryset=PlanLinePeg.objects.restrict(user, "view")
                .select_related("order")
                .order_by("order__number"),
            ),
            Prefetch(
                "decisions",
                queryset=PlanLineDecision.objects.select_related("merchandiser").order_by("pk"),
            ),
        )
        .order_by("position", "pk")
    )


def plan_versions(*, user, plan: PurchasePlan) -> list[PurchasePlan]:
    return list(PurchasePlan.objects.restrict(user, "view").filter(number=plan.number).order_by("version"))


@dataclass
class PlanActions:
    """Which buttons a reader gets on a plan."""

    edit: bool
    submit: bool
    withdraw: bool
    revise: bool
    decide: int  # lines waiting for his decision
    prices: bool

    @classmethod
    def of(cls, user, plan: PurchasePlan) -> PlanActions:
        may = PurchasePlan.objects.all()
        changer = may.role_allows(user, "change")
        return cls(
            edit=changer and plan.status == P.DRAFT,
            submit=may.role_allows(user, "submit") and plan.status == P.DRAFT,
            withdraw=changer and plan.status in (P.DRAFT, P.SUBMITTED),
            revise=changer and plan.status in (P.DECIDED, P.WITHDRAWN),
            decide=pending_for(user).filter(line__plan=plan).count() if plan.status == P.SUBMITTED else 0,
            prices=can_see(user, "supplier_prices"),
        )


def mark_lines(lines, *, pending_ids: set[int]) -> list[PurchasePlanLine]:
    """Flags the page shows per line: a price up by PRICE_UP_PCT or more, waiting for the reader."""
    rows = list(lines)
    for line in rows:
        change = line.price_change_pct
        line.price_up = change is not None and change >= PRICE_UP_PCT
        line.price_down = change is not None and change < 0
        line.mine = line.pk in pending_ids
        line.reason_words = reason_text(line.suggestion_reason)
    return rows


def lines_to_order() -> QuerySet[PurchasePlanLine]:
    """Approved lines waiting to become purchase order lines (purchase orders read these)."""
    return PurchasePlanLine.objects.filter(
        status=L.APPROVED, plan__status__in=ORDERABLE_PLAN_STATES
    ).select_related("material", "supplier", "plan")


def plans_attention(user) -> list[AttentionItem]:
    """A merchandiser's (or management's) purchase lines waiting for his decision."""
    if not PlanLineDecision.objects.all().role_allows(user, "decide"):
        return []
    rows = pending_for(user)
    count = rows.count()
    if not count:
        return []
    plans = PurchasePlan.objects.filter(pk__in=rows.values("line__plan_id")).order_by("submitted_at", "pk")[
        :3
    ]
    return [
        AttentionItem(
            title=_("Purchase lines awaiting my decision"),
            count=count,
            url=reverse("purchasing:plan_pending"),
            examples=[(str(p), reverse("purchasing:plan_detail", args=[p.pk])) for p in plans],
        )
    ]
