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
