"""What purchase plans register at start-up (called from apps.py): menu entries, the events they
notify, "needs your attention", the demo step and the audit labels."""

from django.utils.translation import gettext_lazy as _


def ready_plans() -> None:
    from gendan.core.attention import register_attention
    from gendan.core.demo import register_demo
    from gendan.core.menu import register_menu
    from gendan.core.templatetags.gendan import register_action_labels
    from gendan.notifications.registry import register_event

    from .demo_plans import build_purchase_plans
    from .selectors_plans import plans_attention

    register_menu(
        "purchasing",
        _("Purchasing"),
        17,
        [
            (_("Purchase plans"), "purchasing:plan_list", "purchasing.view_purchaseplan"),
            (
                _("Purchase lines awaiting my decision"),
                "purchasing:plan_pending",
                "purchasing.change_planlinedecision",
            ),
        ],
    )
    register_attention(plans_attention)
    register_demo(61, build_purchase_plans)
    register_event("purchase_plan.submitted", _("Purchase plan lines wait for your decision"))
    register_event("purchase_plan.rejected", _("Purchase plan line rejected"))
    register_action_labels(
        {
            "purchase_plan_submitted": _("Purchase plan submitted"),
            "purchase_plan_decided": _("Purchase plan decided"),
            "purchase_plan_withdrawn": _("Purchase plan withdrawn"),
            "purchase_plan_superseded": _("Purchase plan revised"),
            "purchase_line_approved": _("Purchase line approved"),
            "purchase_line_rejected": _("Purchase line rejected"),
        }
    )
