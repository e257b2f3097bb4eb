from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.attention import AttentionItem

from .models import BomLine, Material, Product, RoutingOperation, Shift, SupplierMaterial, WorkCentre


def products_without_routing(user):
    ops = RoutingOperation.objects.filter(product=OuterRef("pk"), is_archived=False)
    return Product.objects.restrict(user, "view").active().filter(~Exists(ops))


def products_without_bom(user):
    lines = BomLine.objects.filter(parent=OuterRef("pk"), is_archived=False)
    return Product.objects.restrict(user, "view").active().filter(~Exists(lines))


def materials_without_supplier(user):
    offers = SupplierMaterial.objects.filter(material=OuterRef("pk"), is_archived=False)
    return Material.objects.restrict(user, "view").active().filter(~Exists(offers))


def work_centres_without_calendar(user):
    shifts = Shift.objects.filter(work_centre=OuterRef("pk"), is_archived=False)
    return WorkCentre.objects.restrict(user, "view").active().filter(~Exists(shifts))


# Which master-data gaps each role is asked to close on its home page.
_CHECKS = [
    (
        "masterdata.change_routingoperation",
        products_without_routing,
        _("Products without a routing"),
        "masterdata:product_list",
        "problem=no_routing",
        "masterdata:product_detail",
    ),
    (
        "masterdata.change_bomline",
        products_without_bom,
        _("Products without a bill of materials"),
        "masterdata:product_list",
        "problem=no_bom",
        "masterdata:product_detail",
    ),
    (
        "masterdata.change_suppliermaterial",
        materials_without_supplier,
        _("Materials without a supplier"),
        "masterdata:material_list",
        "problem=no_supplier",
        "masterdata:material_detail",
    ),
    (
        "masterdata.change_shift",
        work_centres_without_calendar,
        _("Work centres without shifts (no working calendar)"),
        "masterdata:workcentre_list",
        "problem=no_calendar",
        "masterdata:workcentre_detail",
    ),
]


def masterdata_attention(user) -> list[AttentionItem]:
    items = []
    for perm, selector, title, list_url, query, detail_url in _CHECKS:
        if not user.has_perm(perm):
            continue
        qs = selector(user).order_by("code")
        count = qs.count()
        if count:
            examples = [(str(o), reverse(detail_url, args=[o.pk])) for o in qs[:5]]
            items.append(AttentionItem(title, count, f"{reverse(list_url)}?{query}", examples))
    return items
