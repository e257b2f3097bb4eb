from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "gendan.planning"
    label = "planning"
    verbose_name = _("Production planning")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.notifications.registry import register_event
        from gendan.orders.engine_adapter import register_load_source
        from gendan.orders.hooks import register_after_change_approved

        from . import registry_ctp
        from .demo import build_planning
        from .hooks import reopen_after_change
        from .links import order_links
        from .menu import planning_menu_items
        from .selectors import plans_attention
        from .services.in_force import in_force_jobs

        # The order review and every new plan see the approved plans where they were placed.
        register_load_source(in_force_jobs)
        registry_ctp.register()  # "can we deliver?", the Gantt, reschedule all
        register_attention(plans_attention)
        register_record_link("orders.order", order_links)
        register_demo(40, build_planning)
        register_after_change_approved(reopen_after_change)
        register_menu("production", _("Production"), 15, planning_menu_items())
        register_event("plan.submitted", _("Production plan submitted for approval"))
        register_event("plan.decided", _("Production plan approved or rejected"))
        register_event("plan.approved", _("Production plan in force"))
        register_event("plan.reopened", _("Production plan re-opened by a change"))
        register_action_labels(
            {
                "plan_build": _("Plan built"),
                "plan_rerun": _("Plan re-run"),
                "plan_pin": _("Operation pinned"),
                "plan_unpin": _("Operation unpinned"),
                "plan_split": _("Operation split"),
                "acknowledge_warning": _("Plan warning acknowledged"),
                "withdraw": _("Plan version withdrawn"),
                "plan_submitted": _("Plan submitted"),
                "plan_approved": _("Plan approved"),
                "plan_rejected": _("Plan rejected"),
                "plan_withdrawn": _("Plan withdrawn"),
                "plan_superseded": _("Plan superseded"),
                "plan_reopened": _("Plan re-opened"),
            }
        )
