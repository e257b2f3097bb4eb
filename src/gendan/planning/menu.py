"""The "Production" menu group's planning items: one list of (title, url name, permission),
registered by PlanningConfig.ready (the shop floor adds its own items to the same group)."""

from django.utils.translation import gettext_lazy as _


def planning_menu_items() -> list[tuple]:
    return [
        (_("Plans"), "planning:plan_list", "planning.view_plan"),
        (_("Plan orders"), "planning:plan_orders", "planning.change_plan"),
    ]
