"""The link incoming inspection puts on a goods receipt's page (core.registry.register_record_link):
its inspection, or the queue while it waits. Purchasing does not import this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

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
