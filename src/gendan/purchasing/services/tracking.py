"""Delivery tracking (R-3.5): open PO lines chased and escalated, and the orders a moved date makes
short.

- `lines_moved(line_ids=…)` is called inside the transaction that changed what PO lines bring or
  when (a confirmation, a change, a cancellation, a receipt). After commit the worker checks the kit
  of every open order those lines may serve again (the orders pegged to their purchase plan lines,
  and every order whose plan in force needs their materials, since what is on order is shared) and
  tells each merchandiser which of his orders are now short, of what and by how much, and which are
  covered again (`orders_recheck`). The numbers are stored on the plan's materials, so a second
  run finds nothing new and tells nobody again.
- `po_lines_chase()` (every hour): every open PO line late (its expected or delivery date passed,
  something still to come) or at risk (not fully confirmed `GENDAN_PO_AT_RISK_DAYS` before its
  delivery date, or confirmed for after it) is a reminder to purchasing at most once a day, and a
  line late more than `GENDAN_PO_ESCALATE_DAYS` is escalated once to the purchasing department's
  manager and management. Each is claimed by a conditional UPDATE first (`chased_at`,
  `escalated_at`): of several workers only one tells."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind, Role
from gendan.accounts.models import User
from gendan.core.i18n import unit_label
from gendan.notifications.services import notify
from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order
from gendan.planning.models import PlanMaterial, PlanVersion
from gendan.planning.services.checks import KitChange, kit_recheck

from ..choices import POStatus
from ..models import PlanLinePeg, PurchaseOrderLine
from ..supply import open_lines
from ..tasks import orders_recheck_task

ZERO = Decimal(0)
MAX_LINES = 30  # of a merchandiser's shortage message


def lines_moved(*, line_ids: Iterable[int], actor=None) -> None:
    """Call inside the transaction that changed the expected date or quantity of PO lines (a
    confirmation, a change, a cancellation, a receipt): after commit the kit check of every order
    those lines serve is recomputed and the merchandisers are told which orders are now short."""
    ids = sorted({int(i) for i in line_ids})
    if ids:
        transaction.on_commit(lambda: orders_recheck_task.enqueue(ids))


def orders_served(line_ids: Iterable[int]) -> list[int]:
    """The open orders the lines may serve: pegged to their plan lines, or whose plan in force needs
    their materials."""
    ids = list(line_ids)
    pegged = PlanLinePeg.objects.filter(line__po_line__in=ids).values_list("order_id", flat=True)
    materials = PurchaseOrderLine.objects.filter(pk__in=ids).values("material_id")
    needing = PlanMaterial.objects.filter(
        version__plan__in_force=F("version"), material_id__in=materials
    ).values_list("version__plan__order_id", flat=True)
    return sorted(
        Order.objects.filter(Q(pk__in=pegged) | Q(pk__in=needing), status__in=LOADING_STATES).values_list(
            "pk", flat=True
        )
    )


@dataclass
class OrderShortage:
    order: Order
    changes: list[KitChange] = field(default_factory=list)
    still_short: bool = True  # a material of its plan in force is short (changed or not)

    @property
    def worse(self) -> bool:
        """A material is short now, or shorter than before."""
        return any(c.after > c.before for c in self.changes)


def orders_recheck(*, line_ids: Iterable[int], today: dt.date | None = None) -> list[OrderShortage]:
    """The worker's part of `lines_moved`: check the kit of each order served again, and tell each
    merchandiser about his orders whose shortages changed. Returns the orders that changed."""
    today = today or timezone.localdate()
    order_ids = orders_served(line_ids)
    versions = (
        PlanVersion.objects.filter(plan__order_id__in=order_ids, plan__in_force=F("pk"))
        .select_related("plan__order__merchandiser")
        .order_by("plan__order__number")
    )
    changed: list[OrderShortage] = []
    for version in versions:
        with transaction.atomic():
            # Two workers re-checking the same order: the second waits, then finds the numbers the
            # first stored, and tells nobody again.
            list(PlanVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk"))
            changes = kit_recheck(version, today)
        if changes:
            still_short = version.materials.filter(shortage__gt=0).exists()
            changed.append(OrderShortage(version.plan.order, changes, still_short))
    by_merchandiser: dict[int, list[OrderShortage]] = defaultdict(list)
    for item in changed:
        if item.order.merchandiser_id:
            by_merchandiser[item.order.merchandiser_id].append(item)
    for items in by_merchandiser.values():
        _tell_merchandiser(items)
    return changed


def _qty(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _shortage_lines(items: list[OrderShortage]) -> list[str]:
    lines = []
    for item in items:
        number = item.order.number
        if not item.still_short:
            lines.append(_("Order %(order)s: all its materials are covered again.") % {"order": number})
        for c in item.changes:
            params = {
                "order": number,
                "material": str(c.material),
                "qty": _qty(c.after),
                "unit": unit_label(getattr(c.material, "unit", "")),  # 个, not pcs, in Chinese
                "need": c.need_date,
                "covered": c.covered_on or "-",
                "was": _qty(c.before),
            }
            if c.after == 0:
                lines.append(_("Order %(order)s: %(material)s is covered now (was short %(was)s).") % params)
            else:
                lines.append(
                    _(
                        "Order %(order)s: short of %(material)s by %(qty)s %(unit)s, needed %(need)s, "
                        "covered %(covered)s (was short %(was)s)."
                    )
                    % params
                )
    if len(lines) > MAX_LINES:  # a whole factory re-checked: the pages have the rest
        more = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], _("… and %(n)s more: see each order's materials.") % {"n": more}]
    return lines


def _tell_merchandiser(items: list[OrderShortage]) -> None:
    worse = [i for i in items if i.worse]
    merchandiser = items[0].order.merchandiser

    def title(language) -> str:
        if worse:
            return _("Orders short of material after a delivery moved: %(orders)s") % {
                "orders": ", ".join(i.order.number for i in worse)
            }
        return _("Material of your orders covered: %(orders)s") % {
            "orders": ", ".join(i.order.number for i in items)
        }

    with transaction.atomic():
        notify(
            event="purchasing.shortage",
            recipients=[merchandiser],
            title=title,
            body=lambda language: "\n".join(_shortage_lines(items)),
            url=reverse("purchasing:order_materials", args=[items[0].order.pk]),
            obj=items[0].order,
        )


# Chasing ---------------------------------------------------------------------------------------


def _risk_days() -> int:
    return int(getattr(settings, "GENDAN_PO_AT_RISK_DAYS", 7))


def _escalate_days() -> int:
    return int(getattr(settings, "GENDAN_PO_ESCALATE_DAYS", 3))


def chase_candidates(today: dt.date):
    """Open lines of sent or confirmed POs that are late or at risk, with what is known of them."""
    horizon = today + dt.timedelta(days=_risk_days())
    lines = (
        open_lines()
        .filter(order__status__in=[POStatus.SENT, POStatus.CONFIRMED])
        .annotate(
            arrives=Coalesce("expected_date", "delivery_date"),
            confirmed=Coalesce(Sum("confirmations__quantity"), ZERO),
        )
    )
    late = Q(arrives__lt=today)
    unconfirmed_soon = Q(delivery_date__lte=horizon, confirmed__lt=F("quantity"))
    confirmed_after = Q(expected_date__gt=F("delivery_date"))
    return (
        lines.filter(late | unconfirmed_soon | confirmed_after)
        .select_related("order__supplier", "order__created_by", "material")
        .prefetch_related(
            Prefetch(
                "plan_line__pegs",
                queryset=PlanLinePeg.objects.select_related("order").order_by("order__number"),
            )
        )
        .order_by("arrives", "pk")
    )


def _waiting_orders(line: PurchaseOrderLine) -> str:
    plan_line = getattr(line, "plan_line", None)
    numbers = sorted({p.order.number for p in plan_line.pegs.all()}) if plan_line else []
    return ", ".join(numbers) or "-"


def _line_url(line: PurchaseOrderLine) -> str:
    # The requirements of its material (the open PO lines page belongs to the PO work: the lead
    # points this at it at merge).
    return f"{reverse('purchasing:requirements')}?{urlencode({'q': line.material.code})}"


def _purchasers() -> list[User]:
    return list(
        User.objects.filter(
            Q(department__kind=DepartmentKind.PURCHASING) | Q(role=Role.PURCHASING), is_active=True
        )
    )


def _escalation_recipients() -> list[User]:
    return list(
        User.objects.filter(
            Q(managed_departments__kind=DepartmentKind.PURCHASING)
            | Q(role=Role.MANAGEMENT)
            | Q(department__kind=DepartmentKind.MANAGEMENT),
            is_active=True,
        ).distinct()
    )


def _line_params(line: PurchaseOrderLine, today: dt.date) -> dict:
    return {
        "po": line.order.number,
        "line": line.position,
        "material": str(line.material),
        "supplier": str(line.order.supplier),
        "open": _qty(line.open_qty),
        "unit": line.material.get_unit_display(),
        "date": line.arrives,  # type: ignore[attr-defined]
        "days": max((today - line.arrives).days, 0),  # type: ignore[attr-defined]
        "orders": _waiting_orders(line),
    }


def _reason(line: PurchaseOrderLine, today: dt.date) -> str:
    params = _line_params(line, today)
    if line.arrives < today:  # type: ignore[attr-defined]
        return (
            _(
                "%(po)s line %(line)s, %(material)s from %(supplier)s: %(days)s days late "
                "(expected %(date)s), %(open)s %(unit)s still to come; orders waiting: %(orders)s."
            )
            % params
        )
    if line.expected_date and line.expected_date > line.delivery_date:
        return (
            _(
                "%(po)s line %(line)s, %(material)s from %(supplier)s: confirmed for %(date)s, after "
                "its delivery date; orders waiting: %(orders)s."
            )
            % params
        )
    return (
        _(
            "%(po)s line %(line)s, %(material)s from %(supplier)s: not fully confirmed, due "
            "%(date)s; orders waiting: %(orders)s."
        )
        % params
    )


def po_lines_chase(now: dt.datetime | None = None) -> tuple[int, int]:
    """Remind purchasing of late and at-risk lines (once a day each) and escalate the lines late
    more than the threshold (once each). Returns (reminded, escalated)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    escalate_before = today - dt.timedelta(days=_escalate_days())
    reminded = escalated = 0
    purchasers: list[User] | None = None
    bosses: list[User] | None = None
    for line in chase_candidates(today)[:2000]:
        url = _line_url(line)
        if line.chased_at is None or line.chased_at < start_of_day:
            with transaction.atomic():
                claimed = (
                    PurchaseOrderLine.objects.filter(pk=line.pk)
                    .filter(Q(chased_at__isnull=True) | Q(chased_at__lt=start_of_day))
                    .update(chased_at=now)
                )
                if claimed:
                    purchasers = _purchasers() if purchasers is None else purchasers
                    notify(
                        event="purchasing.po_chase",
                        recipients=[*purchasers, line.order.created_by],
                        title=lambda language, line=line: _reason(line, today),
                        url=url,
                        obj=line.order,
                    )
                    reminded += 1
        if line.arrives < escalate_before and line.escalated_at is None:  # type: ignore[attr-defined]
            with transaction.atomic():
                claimed = PurchaseOrderLine.objects.filter(pk=line.pk, escalated_at__isnull=True).update(
                    escalated_at=now
                )
                if claimed:
                    bosses = _escalation_recipients() if bosses is None else bosses
                    notify(
                        event="purchasing.po_escalated",
                        recipients=bosses,
                        title=lambda language, line=line: (
                            _("Escalated: %(reason)s") % {"reason": _reason(line, today)}
                        ),
                        url=url,
                        obj=line.order,
                    )
                    escalated += 1
    return reminded, escalated
