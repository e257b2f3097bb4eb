from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "gendan.kpi"
    label = "kpi"
    verbose_name = _("Merchandiser KPIs")

    def ready(self) -> None:
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic

        from .demo import build_kpi
        from .lines import describe, lines
        from .snapshots import REFRESH_SECONDS
        from .sources import register_source
        from .tasks import kpi_refresh_task

        register_menu(
            "kpi",
            _("Performance"),
            80,
            [
                (_("Merchandiser KPIs"), "kpi:overview", "kpi.view_kpi"),
                (_("KPI settings"), "kpi:settings", "kpi.view_kpisettings"),
            ],
        )
        register_source("lines", lines, describe=describe)
        register_periodic(kpi_refresh_task, every_seconds=REFRESH_SECONDS)
        # Late: the orders, plans and issues of the earlier parts exist; nothing later counts them.
        register_demo(90, build_kpi)
