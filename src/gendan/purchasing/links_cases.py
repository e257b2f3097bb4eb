"""The links supplier cases put on other records' pages (core.registry.register_record_link): the
order's dossier (the cases of lots bought for it) and a goods receipt (its cases); and the row an
issue opened for a case shows (issues.hooks.register_linked_records). Neither the orders app, nor
receiving, nor the issue register imports this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gendan.issues.hooks import LinkedRecord

from .choices import CaseStatus
from .selectors_cases import case_list


def order_case_links(user, order) -> list[tuple[str, str]]:
    cases = case_list(user=user, filters={"order": order.number})
    total = cases.count()
    if not total:
        return []
    still_open = cases.exclude(status=CaseStatus.CLOSED).count()
    text = _("Supplier cases (%(n)s, %(open)s open)") % {"n": total, "open": still_open}
    return [(text, f"{reverse('purchasing:case_list')}?{urlencode({'order': order.number})}")]


def receipt_case_links(user, receipt) -> list[tuple[str, str]]:
    return [
        (
            _("Supplier case %(number)s") % {"number": case.number},
            reverse("purchasing:case_detail", args=[case.pk]),
        )
        for case in case_list(user=user).filter(receipt=receipt).order_by("pk")
    ]


def issue_case_records(user, issue) -> list[LinkedRecord]:
    """The supplier case an incoming rejection's issue was opened for (fingerprint case:<pk>)."""
    prefix, _sep, pk = (issue.fingerprint or "").partition(":")
    if prefix != "case" or not (pk.isascii() and pk.isdigit()):
        return []
    case = case_list(user=user).filter(pk=int(pk)).first()
    if case is None:
        return []
    detail = [str(case.get_status_display())]
    if case.kind:
        detail.append(str(case.get_kind_display()))
    return [
        LinkedRecord(
            kind=_("Supplier case"),
            text=case.number,
            url=reverse("purchasing:case_detail", args=[case.pk]),
            detail=" · ".join(detail),
            source=True,
        )
    ]
