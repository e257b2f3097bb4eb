from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "gendan.delivery"
    label = "delivery"
    verbose_name = _("Shipping and delivery")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.notifications.registry import register_event
        from gendan.stores.gates import register_stock_in_listener

        from .attention import attention
        from .demo import build_delivery
        from .links import order_links
        from .services import order_stock_changed

        register_menu(
            "delivery",
            _("Shipping and delivery"),
            35,
            [(_("Shipments"), "delivery:list", "delivery.view_shipment")],
        )
        register_record_link("orders.order", order_links)
        register_action_labels(
            {
                "shipment_arranged": _("Shipment arranged"),
                "shipment_confirmed": _("Customer confirmed the shipment"),
                "shipment_shipped": _("Shipment shipped"),
                "shipment_delivered": _("Proof of delivery recorded"),
                "shipment_cancelled": _("Shipment cancelled"),
            }
        )
        register_event("delivery.ready", _("An order is ready to ship"))
        register_event("delivery.shipped", _("A shipment left the factory"))
        register_stock_in_listener(order_stock_changed)
        register_attention(attention)
        register_demo(76, build_delivery)
