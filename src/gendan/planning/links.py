"""The link planning puts on the order's dossier (core.registry.register_record_link): its plan,
with the version in force, for those who read plans. The orders app does not import this one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Plan, PlanVersion


def order_links(user, order) -> list[tuple[str, str]]:
    if not PlanVersion.objects.all().role_allows(user, "view"):
        return []
    plan = Plan.objects.filter(order=order).select_related("in_force").first()
    if plan is None:
        return []
    if plan.in_force is not None:
        text = _("Production plan (version %(n)s in force)") % {"n": plan.in_force.number}
    else:
        text = _("Production plan (none in force yet)")
    return [(text, reverse("planning:plan_versions", args=[order.pk]))]
