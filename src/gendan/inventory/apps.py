from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "gendan.inventory"
    label = "inventory"
    verbose_name = _("Warehouse and stock")

    def ready(self) -> None:
        self.register_menu()

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [
            (_("Stock on hand"), "inventory:stocklevel_list", "inventory.view_stocklevel"),
            (_("Stock movements"), "inventory:movement_list", "inventory.view_stockmovement"),
            (_("Warehouses"), "inventory:warehouse_list", "inventory.view_warehouse"),
        ]
        register_menu("inventory", _("Warehouse"), 30, items)
