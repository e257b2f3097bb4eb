from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "gendan.planning"
    label = "planning"
    verbose_name = _("Production planning")

    def ready(self) -> None:
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.orders.engine_adapter import register_load_source

        from .services.in_force import in_force_jobs

        # The order review and every new plan see the approved plans where they were placed.
        register_load_source(in_force_jobs)
        register_action_labels(
            {
                "plan_build": _("Plan built"),
                "plan_rerun": _("Plan re-run"),
                "plan_pin": _("Operation pinned"),
                "plan_unpin": _("Operation unpinned"),
                "plan_split": _("Operation split"),
                "acknowledge_warning": _("Plan warning acknowledged"),
                "withdraw": _("Plan version withdrawn"),
            }
        )
        self.register_menu()

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [(_("Plan orders"), "planning:plan_orders", "planning.change_plan")]
        register_menu("planning", _("Production planning"), 15, items)
