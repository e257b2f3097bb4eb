from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopfloorConfig(AppConfig):
    name = "gendan.shopfloor"
    label = "shopfloor"
    verbose_name = _("Shop floor")

    def ready(self) -> None:
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
