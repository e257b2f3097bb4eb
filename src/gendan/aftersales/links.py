"""What after-sales puts on an order's dossier (core.registry.register_record_link): its complaints
and satisfaction page; and on an issue page (issues.hooks.register_linked_records): the complaint
a quality issue was opened for. Neither app imports this one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.issues.hooks import LinkedRecord

from .models import Complaint, Rating


def order_links(user, order) -> list[tuple[str, str]]:
    if not Rating.objects.all().role_allows(user, "view"):
        return []
    count = Complaint.objects.restrict(user, "view").filter(order=order).count()
    label = _("Complaints (%(n)s) and satisfaction") % {"n": count} if count else _("Satisfaction")
    return [(label, reverse("aftersales:order", args=[order.pk]))]


def issue_records(user, issue) -> list[LinkedRecord]:
    prefix, _sep, pk = (issue.fingerprint or "").partition(":")
    if prefix != "complaint" or not (pk.isascii() and pk.isdigit()):
        return []
    complaint = Complaint.objects.restrict(user, "view").filter(pk=int(pk)).first()
    if complaint is None:
        return []
    return [
        LinkedRecord(
            kind=_("Customer complaint"),
            text=complaint.number,
            url=reverse("aftersales:complaint_detail", args=[complaint.pk]),
            detail=f"{complaint.get_status_display()} · {complaint.description[:200]}",
            source=True,
        )
    ]
