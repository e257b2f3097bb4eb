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
        from gendan.core.templatetags.gendan import register_action_labels

        from .demo import build_shopfloor
        from .selectors import today_attention

        register_attention(today_attention)
        register_action_labels(
            {
                "report": _("Daily report recorded"),
                "report_reversed": _("Daily report reversed"),
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
