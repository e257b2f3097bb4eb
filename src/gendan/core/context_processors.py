from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The menu: (group title, [(title, url name, permission needed)]). Later areas add their groups.
MENU = [
    (
        _("Orders"),
        [
            (_("Orders"), "orders:order_list", "orders.view_order"),
            (_("New order"), "orders:order_create", "orders.add_order"),
            (_("Import orders"), "orders:order_import", "orders.add_order"),
        ],
    ),
    (
        _("Master data"),
        [
            (_("Customers"), "masterdata:customer_list", "masterdata.view_customer"),
            (_("Products"), "masterdata:product_list", "masterdata.view_product"),
            (_("Materials"), "masterdata:material_list", "masterdata.view_material"),
            (_("Bills of materials"), "masterdata:bomline_list", "masterdata.view_bomline"),
            (_("Routings"), "masterdata:operation_list", "masterdata.view_routingoperation"),
            (_("Work centres"), "masterdata:workcentre_list", "masterdata.view_workcentre"),
            (_("Suppliers"), "masterdata:supplier_list", "masterdata.view_supplier"),
        ],
    ),
    (
        _("Warehouse"),
        [
            (_("Stock on hand"), "inventory:stocklevel_list", "inventory.view_stocklevel"),
            (_("Stock movements"), "inventory:movement_list", "inventory.view_stockmovement"),
            (_("Warehouses"), "inventory:warehouse_list", "inventory.view_warehouse"),
        ],
    ),
    (
        _("Administration"),
        [
            (_("Users"), "accounts:user_list", "accounts.view_user"),
            (_("Departments"), "accounts:department_list", "accounts.view_department"),
            (_("Audit trail"), "core:audit_list", "core.view_auditentry"),
        ],
    ),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    groups = []
    for title, items in MENU:
        visible = []
        for item_title, url_name, perm in items:
            if user.has_perm(perm):
                url = reverse(url_name)
                visible.append({"title": item_title, "url": url, "active": path.startswith(url)})
        if visible:
            groups.append({"title": title, "items": visible})
    return {"nav": groups}
