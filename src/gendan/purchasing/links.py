"""The link purchasing puts on the order's dossier (core.registry.register_record_link): the
order's materials, with how many are still to buy. The orders app does not import this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import order_materials


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("purchasing.view_materialrequirement"):
        return []
    materials = order_materials(user=user, order=order)
    if not materials:
        return []
    short = sum(1 for m in materials if m.to_buy)
    text = _("Materials (%(n)s, %(short)s to buy)") % {"n": len(materials), "short": short}
    return [(text, f"{reverse('purchasing:requirements')}?{urlencode({'order': order.number})}")]


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
