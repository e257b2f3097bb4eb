from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "gendan.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_import
        from gendan.core.templatetags.gendan import register_action_labels

        from .choices import OrderStatus
        from .imports import ORDER_IMPORT
        from .selectors import orders_attention
        from .tasks import chase_acknowledgements

        register_attention(orders_attention)
        register_import(ORDER_IMPORT)
        register_periodic(chase_acknowledgements, every_seconds=300)
        register_action_labels({f"status:{value}": label for value, label in OrderStatus.choices})
        register_action_labels(
            {
                "finding": _("Review finding"),
                "finding_resolved": _("Finding resolved"),
                "review_run": _("Review checks run"),
                "clarification_asked": _("Asked the customer"),
                "clarification_answered": _("Customer answered"),
                "acknowledged": _("Acknowledged"),
                "ack_chased": _("Acknowledgement reminder sent"),
                "ack_escalated": _("Missing acknowledgement escalated"),
                "change_requested": _("Change requested"),
                "change_approved": _("Change approved"),
                "change_rejected": _("Change rejected"),
                "attach": _("File attached"),
            }
        )
        self.register_menu()
        self.register_demo()

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [
            (_("Orders"), "orders:order_list", "orders.view_order"),
            (_("New order"), "orders:order_create", "orders.add_order"),
            (_("Import orders"), "orders:order_import", "orders.add_order"),
        ]
        register_menu("orders", _("Orders"), 10, items)

    def register_demo(self) -> None:
        from gendan.core.demo import register_demo

        from .demo import build_orders

        register_demo(30, build_orders)
