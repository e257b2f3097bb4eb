"""The link the shop floor puts on the order's dossier (core.registry.register_record_link): its
operations planned against actual, its daily reports and its job travellers, once it has been
planned. The orders app does not import this one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.planning.models import OrderOperation


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("shopfloor.view_productionreport"):
        return []
    if not OrderOperation.objects.filter(order=order).exists():
        return []
    return [(_("Shop floor: progress, reports, travellers"), reverse("shopfloor:order", args=[order.pk]))]
