"""The link incoming inspection puts on a goods receipt's page (core.registry.register_record_link):
its inspection, or the queue while it waits; the order dossier's inspections; and the row an issue
opened by a nonconformance shows on its page (issues.hooks.register_linked_records). Neither
purchasing nor the issue register imports this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gendan.issues.hooks import LinkedRecord

from .models import Inspection


def receipt_links(user, receipt) -> list[tuple[str, str]]:
    if not Inspection.objects.all().role_allows(user, "view"):
        return []
    inspection = Inspection.objects.filter(receipt_id=receipt.pk).only("pk").first()
    if inspection is not None:
        return [(_("Incoming inspection"), reverse("quality:inspection_detail", args=[inspection.pk]))]
    if receipt.status == "in_inspection":
        return [(_("Waiting for inspection"), reverse("quality:queue"))]
    return []


def order_links(user, order) -> list[tuple[str, str]]:
    """On the order dossier: its in-process and final inspections, when there are any."""
    from .models_process import ProcessInspection

    if not ProcessInspection.objects.all().role_allows(user, "view"):
        return []
    if not ProcessInspection.objects.filter(order_id=order.pk).exists():
        return []
    url = reverse("quality:process_list") + "?" + urlencode({"q": order.number})
    return [(_("In-process and final inspections"), url)]


def issue_records(user, issue) -> list[LinkedRecord]:
    """The nonconformance the issue was opened for (fingerprint nc:<pk>): its status, disposition
    and how far its corrective actions are."""
    from .models_nc import Nonconformance

    prefix, _sep, pk = (issue.fingerprint or "").partition(":")
    if prefix != "nc" or not (pk.isascii() and pk.isdigit()):
        return []
    if not Nonconformance.objects.all().role_allows(user, "view"):
        return []
    nc = Nonconformance.objects.restrict(user, "view").filter(pk=int(pk)).first()
    if nc is None:
        return []
    detail = [str(nc.get_status_display())]
    if nc.disposition:
        detail.append(str(nc.get_disposition_display()))
    actions = list(nc.actions.values_list("status", flat=True))
    if actions:
        verified = sum(1 for status in actions if status == "closed")
        detail.append(
            _("corrective actions: %(verified)s of %(n)s verified")
            % {"verified": verified, "n": len(actions)}
        )
    else:
        detail.append(_("no corrective action yet"))
    return [
        LinkedRecord(
            kind=_("Nonconformance"),
            text=f"NC-{nc.pk:05d}",
            url=reverse("quality:nc_detail", args=[nc.pk]),
            detail=" · ".join(detail),
            source=True,
        )
    ]


def nc_issue_link(user, nc) -> tuple[str, str] | None:
    """For the nonconformance's page: (text, url) of the issue it opened, if the user may see it."""
    from gendan.issues.models import Issue

    from .services_nc import nc_fingerprint

    issue = (
        Issue.objects.restrict(user, "view").filter(fingerprint=nc_fingerprint(nc.pk)).order_by("pk").first()
    )
    if issue is None:
        return None
    text = _("Issue %(number)s (%(status)s)") % {"number": issue.number, "status": issue.get_status_display()}
    return text, reverse("issues:issues_detail", args=[issue.pk])
