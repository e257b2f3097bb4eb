"""The link a coordination meeting puts on an order's dossier (core.registry.register_record_link):
the meetings that discussed the order's issues. The orders app does not import this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Meeting


def order_links(user, order) -> list[tuple[str, str]]:
    if not Meeting.objects.all().role_allows(user, "view"):
        return []
    count = Meeting.objects.restrict(user, "view").filter(agenda__issue__order=order).distinct().count()
    if not count:
        return []
    query = urlencode({"order": order.pk})
    return [
        (_("Coordination meetings (%(n)s)") % {"n": count}, f"{reverse('meetings:meeting_list')}?{query}")
    ]
