"""Home page "needs your attention" for complaints (R-5.3): quality, the complaints to investigate;
the merchandiser, those with quality's findings to answer and those overdue (not answered a week
after they came in). Each item is a count and, when there is any, one query for its first five."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.core.attention import AttentionItem
from gendan.core.permissions import is_active_user

from .models import Complaint
from .selectors import overdue, to_answer, to_investigate

EXAMPLES = 5


def _item(title: str, rows: QuerySet[Complaint], level: str) -> AttentionItem | None:
    count = rows.count()
    if not count:
        return None
    examples = [
        (
            f"{c.number} · {c.order.number} · {c.received_on:%m-%d}",
            reverse("aftersales:complaint_detail", args=[c.pk]),
        )
        for c in rows.select_related("order").order_by("received_on", "pk")[:EXAMPLES]
    ]
    return AttentionItem(title, count, reverse("aftersales:complaint_list"), examples, level)


def complaint_attention(user) -> list[AttentionItem]:
    if not is_active_user(user) or user.is_admin:
        return []
    items = []
    if user.has_perm("aftersales.investigate_complaint"):
        items.append(_item(_("Customer complaints to investigate"), to_investigate(user), "warn"))
    if user.has_perm("aftersales.change_complaint"):
        items.append(_item(_("Customer complaints to answer"), to_answer(user), "warn"))
        items.append(_item(_("Customer complaints overdue"), overdue(user), "danger"))
    return [i for i in items if i is not None]
