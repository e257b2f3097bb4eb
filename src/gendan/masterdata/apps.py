from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterdataConfig(AppConfig):
    name = "gendan.masterdata"
    label = "masterdata"
    verbose_name = _("Master data")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.registry import register_import

        from . import imports
        from .selectors import masterdata_attention

        register_attention(masterdata_attention)
        register_import(
            imports.CUSTOMERS,
            imports.CUSTOMER_CONTACTS,
            imports.DELIVERY_ADDRESSES,
            imports.PRODUCTS,
            imports.MATERIALS,
            imports.BOM_LINES,
            imports.ROUTING,
            imports.WORK_CENTRES,
            imports.SHIFTS,
            imports.CALENDAR_DAYS,
            imports.SUPPLIERS,
            imports.SUPPLIER_CONTACTS,
            imports.SUPPLIER_MATERIALS,
        )
        self.register_menu()
        self.register_demo()

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [
            (_("Customers"), "masterdata:customer_list", "masterdata.view_customer"),
            (_("Products"), "masterdata:product_list", "masterdata.view_product"),
            (_("Materials"), "masterdata:material_list", "masterdata.view_material"),
            (_("Bills of materials"), "masterdata:bomline_list", "masterdata.view_bomline"),
            (_("Routings"), "masterdata:operation_list", "masterdata.view_routingoperation"),
            (_("Work centres"), "masterdata:workcentre_list", "masterdata.view_workcentre"),
            (_("Suppliers"), "masterdata:supplier_list", "masterdata.view_supplier"),
        ]
        register_menu("masterdata", _("Master data"), 20, items)

    def register_demo(self) -> None:
        from gendan.core.demo import register_demo

        from .demo import build_masterdata

        register_demo(20, build_masterdata)
