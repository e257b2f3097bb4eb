"""Home page "needs your attention" for nonconformances and corrective actions (R-4.2): each person
sees the step that waits for him, worded for what he does next.

- quality (who decides dispositions): the open nonconformances;
- whoever approves a use as is: those waiting for approval that he did not decide himself;
- an action's owner: his open corrective actions due soon (the issue register's reminder days) or
  overdue;
- quality (who verifies): actions done, waiting for verification by someone other than who did them;
- the merchandiser: the nonconformances on his orders not closed yet.

Administrators see every record but are told only what is theirs (their own actions and orders),
as the inspection queue's item does; each item costs a count and, when there is any, one query for
its first five, whatever the number of records."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.attention import AttentionItem
from gendan.core.permissions import is_active_user

from .choices import ActionStatus, NCStatus
from .models_nc import CorrectiveAction, Nonconformance

EXAMPLES = 5


def _nc_item(title: str, rows: QuerySet[Nonconformance], status: str, level: str) -> AttentionItem | None:
    count = rows.count()
    if not count:
        return None
    examples = [
        (
            f"NC-{nc.pk:05d} · {nc.order.number}/{nc.order_line.line_no} · {nc.quantity}"
            + (f" · {nc.get_disposition_display()}" if nc.disposition else ""),
            reverse("quality:nc_detail", args=[nc.pk]),
        )
        for nc in rows.select_related("order", "order_line").order_by("created_at", "pk")[:EXAMPLES]
    ]
    url = reverse("quality:nc_list") + (f"?status={status}" if status else "")
    return AttentionItem(title, count, url, examples, level)


def _action_item(title: str, rows: QuerySet[CorrectiveAction], *, today: dt.date) -> AttentionItem | None:
    """Earliest due first: an overdue open action makes the item red."""
    count = rows.count()
    if not count:
        return None
    examples, level, overdue = [], "warn", _("overdue")
    for a in rows.select_related("nonconformance__order").order_by("due_date", "pk")[:EXAMPLES]:
        late = a.due_date < today and a.status == ActionStatus.OPEN
        level = "danger" if late else level
        examples.append(
            (
                f"CA-{a.pk:05d} · {a.nonconformance.order.number} · {a.action[:40]} · {a.due_date:%m-%d}"
                + (f" ({overdue})" if late else ""),
                reverse("quality:nc_detail", args=[a.nonconformance_id]),
            )
        )
    return AttentionItem(title, count, reverse("quality:nc_list"), examples, level)


def quality_attention(user) -> list[AttentionItem]:
    if not is_active_user(user):
        return []
    staff = not getattr(user, "is_admin", False)
    today = timezone.localdate()
    ncs = Nonconformance.objects.all()
    actions = CorrectiveAction.objects.all()
    items: list[AttentionItem | None] = []
    if staff and ncs.role_allows(user, "change"):
        items.append(
            _nc_item(
                _("Nonconformances waiting for a disposition"),
                ncs.restrict(user, "change").filter(status=NCStatus.OPEN),
                NCStatus.OPEN,
                "warn",
            )
        )
    if staff and ncs.role_allows(user, "approve"):
        items.append(
            _nc_item(
                _("Use as is waiting for your approval"),
                ncs.restrict(user, "approve")
                .filter(status=NCStatus.AWAITING_APPROVAL)
                .exclude(decided_by=user),
                NCStatus.AWAITING_APPROVAL,
                "warn",
            )
        )
    horizon = today + dt.timedelta(days=getattr(settings, "GENDAN_ISSUE_REMIND_BEFORE_DAYS", 1))
    mine = actions.restrict(user, "view").filter(owner=user, status=ActionStatus.OPEN, due_date__lte=horizon)
    items.append(_action_item(_("Your corrective actions due or overdue"), mine, today=today))
    if staff and actions.role_allows(user, "verify"):
        done = (
            actions.restrict(user, "verify")
            .filter(status=ActionStatus.DONE)
            .exclude(owner=user)
            .exclude(done_by=user)
        )
        items.append(_action_item(_("Corrective actions done, waiting for verification"), done, today=today))
    items.append(
        _nc_item(
            _("Open nonconformances on your orders"),
            ncs.restrict(user, "view").filter(order__merchandiser=user).exclude(status=NCStatus.CLOSED),
            "",
            "warn",
        )
    )
    return [item for item in items if item is not None]
