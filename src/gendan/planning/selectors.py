"""Reads of production plans, each restricted to what the user may see (core.permissions): the
plan list with each order's plan state, a version's buttons and history, the versions of an
order and the differences between two of them, and the home page's panels."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry
from gendan.orders.choices import OPEN_STATES, OrderStatus
from gendan.orders.models import Order

from .choices import STEP_ACTION, TRANSITIONS, PlanState, Step, VersionStatus
from .models import Plan, PlanMaterial, PlannedOperation, PlanVersion

V = VersionStatus
# Orders a planner plans: released and not yet finished in the factory; and any open order that
# has a plan (on hold, ready to ship …). Cancelled, closed and delivered orders leave the list.
PLANNABLE_STATES = (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION)


def _versions(status: str):
    return PlanVersion.objects.filter(plan__order=OuterRef("pk"), status=status)


def _latest_version():
    return PlanVersion.objects.filter(plan__order=OuterRef("pk")).order_by("-number")


def plan_list(*, user, filters: dict | None = None) -> QuerySet[Order]:
    """The orders a planner plans, and every order with a plan, as the user may see them, each with
    its plan state (choices.PlanState), planned finish and lateness."""
    from .filters import PlanFilter  # the same FilterSet the API uses

    latest = _latest_version()
    orders = Order.objects.restrict(user, "view")
    if not Plan.objects.all().role_allows(user, "view"):
        orders = orders.none()  # he sees orders, but not plans (warehouse, logistics)
    qs = (
        orders.filter(Q(status__in=PLANNABLE_STATES) | Q(plan__isnull=False, status__in=OPEN_STATES))
        .annotate(
            has_draft=Exists(_versions(V.DRAFT)),
            has_submitted=Exists(_versions(V.SUBMITTED)),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_reason=Subquery(latest.values("reason")[:1]),
            first_delivery=Min("lines__delivery_date", filter=Q(lines__is_cancelled=False)),
            planned_finish=Coalesce(
                F("plan__in_force__planned_finish"),
                Subquery(latest.values("planned_finish")[:1]),
                output_field=DateTimeField(),
            ),
            late_minutes=Coalesce(
                F("plan__in_force__tardiness_minutes"),
                Subquery(latest.values("tardiness_minutes")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            plan_state=Case(
                When(has_submitted=True, then=Value(PlanState.SUBMITTED)),
                When(has_draft=True, then=Value(PlanState.DRAFT)),
                When(plan__reopened_at__isnull=False, then=Value(PlanState.REOPENED)),
                When(latest_status=V.REJECTED, then=Value(PlanState.REJECTED)),
                When(plan__in_force__isnull=False, then=Value(PlanState.IN_FORCE)),
                default=Value(PlanState.TO_PLAN),
                output_field=CharField(),
            )
        )
        .select_related("customer", "merchandiser", "plan")
    )
    qs = PlanFilter.for_user(filters or {}, queryset=qs, user=user).qs
    return qs.order_by("first_delivery", "pk")


def state_label(value: str) -> str:
    return str(PlanState(value).label) if value in PlanState.values else value


def late_by(minutes: int | None) -> str:
    """Lateness in days and hours, as a planner says it ("2 d 4 h"); empty when on time."""
    if not minutes:
        return ""
    days, rest = divmod(int(minutes), 24 * 60)
    hours = rest // 60
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    return _("%(h)s h") % {"h": max(hours, 1)}


def version_list(*, user, order_id: int) -> QuerySet[PlanVersion]:
    """Every version of an order's plan, newest first (old ones stay readable)."""
    return (
        PlanVersion.objects.restrict(user, "view")
        .filter(plan__order_id=order_id)
        .select_related("plan__order", "created_by", "submitted_by", "decided_by")
        .order_by("-number")
    )


def version_history(version: PlanVersion) -> QuerySet[AuditEntry]:
    """Who submitted, approved, rejected or withdrew this version, and when (oldest first)."""
    ct = ContentType.objects.get_for_model(PlanVersion)
    return (
        AuditEntry.objects.filter(content_type=ct, object_id=str(version.pk), action__startswith="plan_")
        .select_related("actor")
        .order_by("at", "id")
    )


class PlanActions:
    """What a user may do to one version now: the steps its status allows (choices.TRANSITIONS)
    that his rights allow. The page shows the buttons from this; the services check again."""

    BUTTON_STEPS = (Step.SUBMIT, Step.APPROVE, Step.REJECT, Step.WITHDRAW)

    def __init__(self, *, user, version: PlanVersion):
        may = PlanVersion.objects.allowed_actions(user, version, {STEP_ACTION[s] for s in self.BUTTON_STEPS})
        next_steps = set(TRANSITIONS.get(version.status, {}).values())
        self.steps = {str(s) for s in self.BUTTON_STEPS if s in next_steps and STEP_ACTION[s] in may}
        self.open_warnings = [
            w for w in (version.warnings or []) if isinstance(w, dict) and not w.get("acknowledged_by")
        ]
        # Submit is shown but disabled while a warning waits for its acknowledgement.
        self.submit_blocked = bool(self.open_warnings)

    def __contains__(self, step: str) -> bool:
        return step in self.steps


# ---------------------------------------------------------------- the diff between two versions


@dataclass
class OperationChange:
    label: str  # "L12 / 10 Cutting #1"
    kind: str  # added | removed | changed | same
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)


@dataclass
class VersionDiff:
    old: PlanVersion
    new: PlanVersion
    operations: list[OperationChange]
    materials: list[OperationChange]
    head: list[tuple[str, Any, Any]]

    @property
    def changed_operations(self) -> list[OperationChange]:
        return [row for row in self.operations if row.kind != "same"]

    @property
    def changed_materials(self) -> list[OperationChange]:
        return [row for row in self.materials if row.kind != "same"]


OP_FIELDS = ("work_centre", "start", "end", "quantity")
MATERIAL_FIELDS = ("quantity", "need_date")


def _operation_rows(version: PlanVersion) -> dict[tuple, dict[str, Any]]:
    rows = {}
    parts = (
        PlannedOperation.objects.filter(version=version)
        .select_related("operation", "work_centre")
        .order_by("operation__order_line_id", "operation__job_key", "operation__sequence", "part")
    )
    for p in parts:
        op = p.operation
        key = (op.pk, p.part)
        rows[key] = {
            "label": f"{op.job_key} / {op.sequence} {op.name}" + (f" #{p.part}" if p.part > 1 else ""),
            "order": (op.order_line_id, op.job_key, op.sequence, p.part),
            "work_centre": p.work_centre,
            "start": p.start,
            "end": p.end,
            "quantity": p.quantity.normalize() if isinstance(p.quantity, Decimal) else p.quantity,
        }
    return rows


def _material_rows(version: PlanVersion) -> dict[tuple, dict[str, Any]]:
    rows: dict[tuple, dict[str, Any]] = {}
    for m in PlanMaterial.objects.filter(version=version).select_related("material"):
        key = (m.order_line_id, m.material_id)
        row = rows.setdefault(
            key,
            {
                "label": str(m.material),
                "order": (m.order_line_id, m.material_id),
                "quantity": Decimal(0),
                "need_date": m.need_date,
            },
        )
        row["quantity"] += m.quantity
        row["need_date"] = min(row["need_date"], m.need_date)
    for row in rows.values():
        row["quantity"] = row["quantity"].normalize()
    return rows


def _compare(old: dict, new: dict, fields: tuple[str, ...]) -> list[OperationChange]:
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: (new.get(k) or old.get(k))["order"]):
        before, after = old.get(key), new.get(key)
        if before is None:
            assert after is not None
            out.append(OperationChange(after["label"], "added", {}, after, set(fields)))
        elif after is None:
            out.append(OperationChange(before["label"], "removed", before, {}, set(fields)))
        else:
            changed = {f for f in fields if before[f] != after[f]}
            out.append(
                OperationChange(after["label"], "changed" if changed else "same", before, after, changed)
            )
    return out


def version_diff(*, old: PlanVersion, new: PlanVersion) -> VersionDiff:
    """What moved between two versions of a plan: per operation (and split part) the work centre,
    planned start and finish and quantity before → after, operations added or removed, and the
    materials' quantities and need dates; and the order's planned start, finish and lateness."""
    head = [
        (str(_("Planned start")), old.planned_start, new.planned_start),
        (str(_("Planned finish")), old.planned_finish, new.planned_finish),
        (str(_("Late by")), late_by(old.tardiness_minutes) or "—", late_by(new.tardiness_minutes) or "—"),
    ]
    return VersionDiff(
        old=old,
        new=new,
        operations=_compare(_operation_rows(old), _operation_rows(new), OP_FIELDS),
        materials=_compare(_material_rows(old), _material_rows(new), MATERIAL_FIELDS),
        head=head,
    )


# ---------------------------------------------------------------- home page


def _example(order: Order) -> tuple[str, str]:
    return f"{order.number} · {order.customer.local_name}", reverse("planning:plan_versions", args=[order.pk])


def plans_attention(user) -> list[AttentionItem]:
    """Home page: a planner sees the orders to plan, the plans rejected and the plans re-opened; a
    merchandiser the plans waiting for his approval."""
    items: list[AttentionItem] = []
    base = reverse("planning:plan_list")
    if PlanVersion.objects.all().role_allows(user, "change"):
        panels = [
            (PlanState.TO_PLAN, _("Orders to plan"), "warn"),
            (PlanState.REJECTED, _("Plans rejected: revise and submit again"), "danger"),
            (PlanState.REOPENED, _("Plans re-opened by a change: re-plan"), "warn"),
        ]
        plans = plan_list(user=user)
        for state, title, level in panels:
            matching = plans.filter(plan_state=state)
            count = matching.count()
            if count:
                examples = [_example(o) for o in matching[:5]]
                items.append(AttentionItem(title, count, f"{base}?state={state}", examples, level))
    waiting = (
        PlanVersion.objects.restrict(user, "approve")
        .filter(status=V.SUBMITTED)
        .select_related("plan__order__customer")
        .order_by("submitted_at", "pk")
    )
    if PlanVersion.objects.all().role_allows(user, "approve") and not user.is_admin:
        count = waiting.count()
        if count:
            examples = [
                (
                    f"{v} · {v.plan.order.customer.local_name}",
                    reverse("planning:plan_versions", args=[v.plan.order_id]),
                )
                for v in waiting[:5]
            ]
            items.append(
                AttentionItem(
                    _("Plans waiting for your approval"),
                    count,
                    f"{base}?state=submitted&mine=1",
                    examples,
                    "warn",
                )
            )
    return items
