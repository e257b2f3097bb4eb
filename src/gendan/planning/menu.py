"""The "Production" menu group: one list of (title, url name, permission), registered by
PlanningConfig.ready. Other pages of production planning add their items to this list."""

from django.utils.translation import gettext_lazy as _


def planning_menu_items() -> list[tuple]:
    return [
        (_("Plans"), "planning:plan_list", "planning.view_plan"),
    ]
