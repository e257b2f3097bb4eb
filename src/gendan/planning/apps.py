from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "gendan.planning"
    label = "planning"
    verbose_name = _("Production planning")

    def ready(self) -> None:
        from . import registry_ctp

        registry_ctp.register()
