from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "gendan.inventory"
    label = "inventory"
    verbose_name = _("Warehouse and stock")

    def ready(self) -> None:
        from gendan.core.registry import register_import

        from . import imports

        register_import(imports.WAREHOUSES, imports.MOVEMENTS)
        self.register_menu()
        self.register_demo()

    def register_demo(self) -> None:
        from gendan.core.demo import register_demo

        from .demo import build_inventory

        register_demo(25, build_inventory)

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [
            (_("Stock on hand"), "inventory:stocklevel_list", "inventory.view_stocklevel"),
            (_("Stock movements"), "inventory:movement_list", "inventory.view_stockmovement"),
            (_("Warehouses"), "inventory:warehouse_list", "inventory.view_warehouse"),
        ]
        register_menu("inventory", _("Warehouse"), 30, items)
