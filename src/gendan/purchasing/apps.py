from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "gendan.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_record_link
        from gendan.notifications.registry import register_event

        from .demo import build_purchasing
        from .links import order_links
        from .tasks import requirements_refresh_task

        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [(_("Material requirements"), "purchasing:requirements", "purchasing.view_materialrequirement")],
        )
        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [
                (_("Receive goods"), "receiving:receive", "purchasing.add_receipt"),
                (_("Goods receipts"), "receiving:receipt_list", "purchasing.view_receipt"),
            ],
            position=70,
        )
        register_event("receipt.to_inspect", _("Goods received, waiting for incoming inspection"))
        register_event("receipt.rejected", _("Goods rejected at incoming inspection"))
        register_record_link("orders.order", order_links)
        register_demo(60, build_purchasing)
        # Plans, stock and material settings change all day: a minute after, the requirements follow.
        register_periodic(requirements_refresh_task, every_seconds=60)
