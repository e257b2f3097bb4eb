from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "gendan.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_import, register_record_link
        from gendan.notifications.registry import register_event
        from gendan.planning.hooks import register_supply_source

        from . import registry_cases
        from .apps_plans import ready_plans
        from .demo import build_purchasing
        from .demo_cases import build_cases
        from .demo_po import build_purchase_orders
        from .demo_scores import build_score_history
        from .demo_tracking import build_tracking
        from .imports_po import CONFIRMATIONS
        from .links import order_links, order_po_links
        from .selectors import materials_attention
        from .supply import on_order_by_material
        from .tasks import po_chase_task, requirements_refresh_task

        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [(_("Material requirements"), "purchasing:requirements", "purchasing.view_materialrequirement")],
        )
        ready_plans()
        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [
                (_("Purchase orders"), "purchasing:po_list", "purchasing.view_purchaseorder"),
                (_("Open PO lines"), "purchasing:po_lines", "purchasing.view_purchaseorderline"),
                (_("Receive goods"), "receiving:receive", "purchasing.add_receipt"),
                (_("Goods receipts"), "receiving:receipt_list", "purchasing.view_receipt"),
            ],
            position=60,
        )
        # Supplier scorecards come last in the group: read after buying, before choosing again.
        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [(_("Supplier scorecards"), "purchasing:scorecards", "purchasing.view_servicerating")],
            position=90,
        )
        register_import(CONFIRMATIONS)
        register_event("po.email_failed", _("A purchase order's e-mail to the supplier failed"))
        register_event("receipt.to_inspect", _("Goods received, waiting for incoming inspection"))
        register_event("receipt.rejected", _("Goods rejected at incoming inspection"))
        register_record_link("orders.order", order_links)
        register_record_link("orders.order", order_po_links)
        register_demo(60, build_purchasing)
        register_demo(66, build_score_history)
        register_demo(62, build_purchase_orders)
        register_demo(65, build_cases)
        registry_cases.register()
        # Plans, stock and material settings change all day: a minute after, the requirements follow.
        register_periodic(requirements_refresh_task, every_seconds=60)
        # The kit check counts what is on order as the requirements do (purchasing/supply.py).
        register_supply_source(on_order_by_material)
        register_attention(materials_attention)
        register_demo(63, build_tracking)
        register_periodic(po_chase_task, every_seconds=3600)
        register_event("purchasing.shortage", _("Orders short of material after a delivery moved"))
        register_event("purchasing.po_chase", _("Purchase order line late or at risk"))
        register_event("purchasing.po_escalated", _("Purchase order line late: escalated"))
