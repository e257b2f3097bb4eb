"""Purchasing's link on the order's dossier (core.registry.register_record_link): the order's
materials (required, available, on order with dates, late, in inspection, rejected, short), with
how many are still to buy, and a second link when its plan in force is short of a material. The
orders app does not import this one."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import order_materials, orders_short


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("purchasing.view_materialrequirement"):
        return []
    page = reverse("purchasing:order_materials", args=[order.pk])
    links = []
    materials = order_materials(user=user, order=order)
    if materials:
        short = sum(1 for m in materials if m.to_buy)
        links.append((_("Materials (%(n)s, %(short)s to buy)") % {"n": len(materials), "short": short}, page))
    if orders_short(user=user).filter(pk=order.pk).exists():
        links.append((_("Short of material: see its materials"), page))
    return links


def order_po_links(user, order) -> list[tuple[str, str]]:
    """The purchase orders serving the order (R-3.3), on its dossier."""
    if not user.has_perm("purchasing.view_purchaseorder"):
        return []
    from .selectors_po import po_list

    count = po_list(user=user, filters={"order": order.number}).count()
    if not count:
        return []
    text = _("Purchase orders (%(n)s)") % {"n": count}
    return [(text, f"{reverse('purchasing:po_list')}?{urlencode({'order': order.number})}")]
