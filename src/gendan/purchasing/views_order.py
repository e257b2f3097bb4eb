"""The order's materials (R-3.5, issue item 8): what the order needs of each material, what stock
gives it, what is on order for it (PO numbers and dates), late, in inspection, rejected and short.
Reached from the dossier and the merchandiser's home. Thin: a selector, a template."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gendan.orders.models import Order

from .selectors import order_for_materials, order_material_status


@login_required
@permission_required("purchasing.view_materialrequirement", raise_exception=True)
@require_GET
def order_materials_page(request, pk: int):
    try:
        order = order_for_materials(user=request.user, pk=pk)
    except (Order.DoesNotExist, OverflowError):  # an id past what the database holds: not found either
        raise Http404 from None
    materials = order_material_status(user=request.user, order=order)
    context = {
        "title": _("Materials of order %(order)s") % {"order": order.number},
        "order": order,
        "materials": materials,
        "checked": any(m.checked for m in materials),
        "short": sum(1 for m in materials if m.short),
    }
    return render(request, "purchasing/order_materials.html", context)


order_materials_page.probe_model = "orders.Order"  # type: ignore[attr-defined]
