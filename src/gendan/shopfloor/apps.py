from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopfloorConfig(AppConfig):
    name = "gendan.shopfloor"
    label = "shopfloor"
    verbose_name = _("Shop floor")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels

        from .demo import build_shopfloor
        from .links import order_links
        from .selectors import today_attention

        register_attention(today_attention)
        register_record_link("orders.order", order_links)
        register_action_labels(
            {
                "report": _("Daily report recorded"),
                "report_reversed": _("Daily report reversed"),
                "set_back": _("Units set back by quality"),
                "traveller_printed": _("Job traveller printed"),
            }
        )
        register_menu(
            "production",
            _("Production"),
            15,
            [
                (_("Daily reports"), "shopfloor:daily", "shopfloor.add_productionreport"),
                (_("Report list"), "shopfloor:reports", "shopfloor.view_productionreport"),
                (_("Scrap reasons"), "shopfloor:scrapreason_list", "shopfloor.view_scrapreason"),
            ],
            position=60,
        )
        register_demo(45, build_shopfloor)
        self.register_board()

    def register_board(self) -> None:
        """The progress board in the Orders menu; the wall screens' links under Administration."""
        from gendan.core.menu import register_menu
        from gendan.core.templatetags.gendan import register_action_labels

        register_menu(
            "orders",
            _("Orders"),
            10,
            [(_("Progress board"), "shopfloor:board", "orders.view_order")],
            position=60,
        )
        register_menu(
            "admin",
            _("Administration"),
            90,
            [(_("Wall screens"), "shopfloor:board_links", "shopfloor.view_boardlink")],
            position=60,
        )
        register_action_labels({"revoke": _("Revoked")})
