"""What "can we deliver?", the Gantt and the reschedule register with core and notifications
(called from PlanningConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from gendan.core.menu import register_menu
    from gendan.core.templatetags.gendan import register_action_labels
    from gendan.notifications.registry import register_event

    register_event("plan.rescheduled", _("A reschedule moves your order's plan later"))
    register_action_labels(
        {
            "plan_rescheduled": _("Plan version in force from the reschedule"),
            "accept": _("Accepted"),
            "discard": _("Discarded"),
        }
    )
    register_menu(
        "orders", _("Orders"), 10, [(_("Can we deliver?"), "ctp:ctp", "orders.add_order")], position=60
    )
    register_menu(
        "production",
        _("Production"),
        15,
        [
            (_("Can we deliver?"), "ctp:ctp", "planning.change_plan"),
            (_("Schedule in force"), "ctp:gantt", "planning.view_plan"),
            (_("Reschedule all open orders"), "ctp:reschedule_list", "planning.change_plan"),
        ],
        position=60,
    )
