"""The link the warehouse's work puts on the order's dossier (core.registry.register_record_link):
its picking list, issued materials and finished goods in. The orders app does not import this one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.planning.models import Plan

from .models import FinishedGoodsIn, MaterialIssue


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("stores.view_materialissue"):
        return []
    planned = Plan.objects.filter(order=order, in_force__isnull=False).exists()
    if not planned and not (
        MaterialIssue.objects.filter(order=order).exists()
        or FinishedGoodsIn.objects.filter(order=order).exists()
    ):
        return []
    return [(_("Issued materials / finished goods in"), reverse("stores:order", args=[order.pk]))]
