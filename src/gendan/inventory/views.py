from django.utils.translation import gettext_lazy as _

from gendan.core.crud import Col, EntityViews, Related

from . import filters, forms, imports, services
from .models import StockLevel, StockMovement, Warehouse
from .selectors import movement_list, stock_level_list, stock_level_movements, warehouse_list


def _qty(value):
    return value.normalize() if value is not None else ""


class WarehouseViews(EntityViews):
    model, namespace, slug = Warehouse, "inventory", "warehouse"
    form_class, filterset_class = forms.WarehouseForm, filters.WarehouseFilter
    import_spec = imports.WAREHOUSES
    columns = [
        Col("code", _("Code"), "code", link=True),
        Col("local_name", _("Name"), "name"),
        Col("address", _("Address")),
        Col("keeper", _("Keeper")),
    ]

    def queryset(self, user, action="view"):
        return warehouse_list(user=user, action=action)

    # Archiving checks the stock; creating and editing are the generic services.
    def set_archived(self, *, actor, pk, archived):
        return services.warehouse_set_archived(actor=actor, pk=pk, archived=archived)


class StockLevelViews(EntityViews):
    """Balances are read-only: they change through movements."""

    model, namespace, slug = StockLevel, "inventory", "stocklevel"
    filterset_class = filters.StockLevelFilter
    form_class = None
    actions = frozenset()
    default_sort = "warehouse__code"
    columns = [
        Col("warehouse", _("Warehouse"), "warehouse__code", link=True),
        Col("item", _("Item")),
        Col("material.spec", _("Specification")),
        Col("quantity", _("On hand"), "quantity", fmt=_qty, numeric=True),
        Col("material.safety_stock", _("Safety stock"), fmt=lambda v: _qty(v) if v != "" else ""),
        Col("material.unit", _("Unit")),
        Col("updated_at", _("Last movement"), "updated_at"),
    ]
    related = [
        Related(
            _("Movements"),
            None,
            [
                Col("created_at", _("Time")),
                Col("kind", _("Kind")),
                Col("quantity", _("Quantity"), fmt=_qty),
                Col("balance_after", _("Balance after"), fmt=_qty),
                Col("reference", _("Reference")),
                Col("created_by", _("By")),
            ],
            "inventory:movement",
            selector=stock_level_movements,
            # "Add" opens a movement of this balance's warehouse and item.
            initial=lambda level: {
                "warehouse": level.warehouse_id,
                "material": level.material_id,
                "product": level.product_id,
            },
        )
    ]

    def queryset(self, user, action="view"):
        return stock_level_list(user=user, action=action)


class StockMovementViews(EntityViews):
    model, namespace, slug = StockMovement, "inventory", "movement"
    form_class, filterset_class = forms.StockMovementForm, filters.StockMovementFilter
    import_spec = imports.MOVEMENTS
    import_perms = ("add",)
    actions = frozenset({"create"})
    default_sort = "-created_at"
    columns = [
        Col("created_at", _("Time"), "created_at", link=True),
        Col("warehouse", _("Warehouse"), "warehouse__code"),
        Col("kind", _("Kind"), "kind"),
        Col("item", _("Item")),
        Col("quantity", _("Quantity"), "quantity", fmt=_qty, numeric=True),
        Col("balance_after", _("Balance after"), fmt=_qty),
        Col("reference", _("Reference")),
        Col("created_by", _("By")),
    ]

    def queryset(self, user, action="view"):
        return movement_list(user=user, action=action)

    def create(self, *, actor, data):
        return services.movement_create(actor=actor, data=data)


warehouses = WarehouseViews()
stock_levels = StockLevelViews()
movements = StockMovementViews()
ALL = [warehouses, stock_levels, movements]
