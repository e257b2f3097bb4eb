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
