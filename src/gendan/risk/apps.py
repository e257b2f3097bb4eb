from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "gendan.risk"
    label = "risk"
    verbose_name = _("Delivery risk")

    def ready(self) -> None:
        import django_filters

        from gendan.core.demo import register_demo
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_home_panel, register_record_panel
        from gendan.escalations.services.rules import register_lateness
        from gendan.orders.filters import register_list_filter
        from gendan.orders.views import register_list_column

        from .choices import Level
        from .demo import build_risk
        from .services import order_lateness
        from .tasks import risk_refresh_task
        from .views import RiskCol, home_panel, order_panel, with_risk

        register_home_panel(home_panel)
        register_record_panel("orders.order", order_panel)
        register_list_column(
            RiskCol("risk", _("Delivery risk"), "risk__score", phone=True), after="status", prepare=with_risk
        )
        register_list_filter(
            "risk",
            django_filters.ChoiceFilter(
                label=_("Delivery risk"), field_name="risk__level", choices=Level.choices
            ),
        )
        register_periodic(risk_refresh_task, every_seconds=60)
        register_lateness(order_lateness)
        register_demo(98, build_risk)
