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

        from . import registry_cases
        from .demo import build_purchasing
        from .demo_cases import build_cases
        from .links import order_links
        from .tasks import requirements_refresh_task

        register_menu(
            "purchasing",
            _("Purchasing"),
            17,
            [(_("Material requirements"), "purchasing:requirements", "purchasing.view_materialrequirement")],
        )
        register_record_link("orders.order", order_links)
        register_demo(60, build_purchasing)
        register_demo(65, build_cases)
        registry_cases.register()
        # Plans, stock and material settings change all day: a minute after, the requirements follow.
        register_periodic(requirements_refresh_task, every_seconds=60)
