from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "gendan.stores"
    label = "stores"
    verbose_name = _("Stores")

    def ready(self) -> None:
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.notifications.registry import register_event
        from gendan.shopfloor.services import register_reversal_guard

        from .demo import build_stores
        from .links import order_links
        from .services import reversal_refusal

        register_menu(
            "inventory",
            _("Warehouse"),
            30,
            [
                (_("Material issue"), "stores:orders", "stores.view_materialissue"),
                (_("Finished goods in"), "stores:finished", "stores.view_finishedgoodsin"),
            ],
            position=20,
        )
        register_record_link("orders.order", order_links)
        register_action_labels(
            {
                "material_issue": _("Material issued"),
                "material_return": _("Material returned to stock"),
                "finished_goods_in": _("Finished goods stocked in"),
                "finished_goods_reversed": _("Finished goods stock-in reversed"),
                "issue_requested": _("Material asked for"),
            }
        )
        register_event("stores.issue_requested", _("Production asks for an order's material"))
        register_demo(67, build_stores)
        register_reversal_guard(reversal_refusal)
