"""What each role may do, in one table. Permission names are Django's `app.action_model`.

The authentication backend reads this table, so `user.has_perm(...)`, `@permission_required`
and the API's permission class all agree without any per-user permission rows. It is the first
half of `Model.objects.restrict(user, action)` (core.permissions); the records' own rules (his
department, his order) are the second. People and permissions are the administrator's alone:
no role here has the accounts permissions.
"""

from .choices import Role

# Master data everyone on the staff reads (a planner needs customers' names, logistics addresses).
_SHARED_VIEW = {
    "masterdata.view_customer",
    "masterdata.view_customercontact",
    "masterdata.view_deliveryaddress",
    "masterdata.view_product",
    "masterdata.view_material",
    "masterdata.view_bomline",
    "masterdata.view_routingoperation",
    "masterdata.view_workcentre",
    "masterdata.view_shift",
    "masterdata.view_calendarday",
    "inventory.view_warehouse",
    "inventory.view_stocklevel",
    "inventory.view_stockmovement",
}
# Suppliers and their prices are commercial: only the roles that buy or judge suppliers see them.
_SUPPLIER_VIEW = {
    "masterdata.view_supplier",
    "masterdata.view_suppliercontact",
    "masterdata.view_suppliermaterial",
}


def _manage(*names: str) -> set[str]:
    perms = set()
    for name in names:
        app, model = name.split(".")
        perms |= {f"{app}.{action}_{model}" for action in ("view", "add", "change")}
    return perms


# Orders: merchandisers own them; the receiving departments read released ones and acknowledge.
# Which orders each may see or act on (his own, released ones, his department's acknowledgement)
# is the object rule of orders/models.py (OrderQuerySet and the querysets of its parts).
_ORDER_OWNER = {
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",  # edit, hold, resume, cancel, record progress, record a change request
    "orders.review_order",  # send to review, check again, resolve findings, ask the customer
    "orders.release_order",
    "orders.approve_changerequest",
}
_ORDER_RECEIVER = {"orders.view_order", "orders.acknowledge_order"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.MERCHANDISER: _SHARED_VIEW
    | _SUPPLIER_VIEW
    | _ORDER_OWNER
    | _manage("masterdata.customer", "masterdata.customercontact", "masterdata.deliveryaddress"),
    Role.PRODUCTION: _SHARED_VIEW
    | _ORDER_RECEIVER
    | _manage(
        "masterdata.product",
        "masterdata.material",
        "masterdata.bomline",
        "masterdata.routingoperation",
        "masterdata.workcentre",
        "masterdata.shift",
        "masterdata.calendarday",
    ),
    Role.PURCHASING: _SHARED_VIEW
    | _ORDER_RECEIVER
    | _manage(
        "masterdata.material",
        "masterdata.supplier",
        "masterdata.suppliercontact",
        "masterdata.suppliermaterial",
    ),
    Role.QUALITY: _SHARED_VIEW | _SUPPLIER_VIEW | _ORDER_RECEIVER,
    Role.WAREHOUSE: _SHARED_VIEW
    | _manage("inventory.warehouse")
    | {"inventory.add_stockmovement", "orders.view_order"},
    Role.LOGISTICS: _SHARED_VIEW | {"orders.view_order"},
    # Management approves customer changes where a department says so, and those of its managers.
    Role.MANAGEMENT: _SHARED_VIEW
    | _SUPPLIER_VIEW
    | {"core.view_auditentry", "orders.view_order", "orders.approve_changerequest"},
    Role.ADMIN: set(),  # administrators have every permission (see the backend)
}


def permissions_for(role: str) -> set[str]:
    return ROLE_PERMISSIONS.get(role, set())
