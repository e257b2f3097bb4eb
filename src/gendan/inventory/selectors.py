"""Reads of warehouses, balances and the stock ledger, restricted to what the user may see."""

from django.db.models import QuerySet

from .models import StockLevel, StockMovement, Warehouse


def warehouse_list(*, user, action: str = "view") -> QuerySet[Warehouse]:
    return Warehouse.objects.restrict(user, action).select_related("keeper")


def stock_level_list(*, user, action: str = "view") -> QuerySet[StockLevel]:
    return StockLevel.objects.restrict(user, action).select_related("warehouse", "material", "product")


def movement_list(*, user, action: str = "view") -> QuerySet[StockMovement]:
    return StockMovement.objects.restrict(user, action).select_related(
        "warehouse", "material", "product", "created_by"
    )


def stock_level_movements(*, user, parent: StockLevel) -> QuerySet[StockMovement]:
    """The ledger lines behind one balance (same warehouse and item), newest first."""
    return movement_list(user=user).filter(
        warehouse=parent.warehouse_id, material=parent.material_id, product=parent.product_id
    )
