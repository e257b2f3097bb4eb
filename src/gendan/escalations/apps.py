from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "gendan.escalations"
    label = "escalations"
    verbose_name = _("Escalations")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.issues.hooks import register_close_listener, register_linked_records
        from gendan.notifications.registry import register_event

        from .choices import Step
        from .demo import build_escalations
        from .links import issue_links, issue_records, order_links
        from .selectors import escalations_attention
        from .services.flow import issues_closed_listener
        from .tasks import escalations_tick_task

        register_event("escalation.raised", _("Issue escalated to you"))
        register_event("escalation.climbed", _("Escalation passed up (nobody acknowledged)"))
        register_attention(escalations_attention)
        register_demo(72, build_escalations)
        register_periodic(escalations_tick_task, every_seconds=300)
        # An issue closed closes its live escalations at once; the tick only catches stragglers.
        register_close_listener(issues_closed_listener)
        register_linked_records(issue_records)
        register_record_link("issues.issue", issue_links)
        register_record_link("orders.order", order_links)
        register_action_labels({f"escalation:{value}": label for value, label in Step.choices})
        register_menu(
            "issues",
            _("Issues"),
            16,
            [
                (_("Escalations"), "escalations:inbox", "escalations.view_escalation"),
                (_("Escalation rules"), "escalations:rule_list", "escalations.view_rule"),
                (_("Escalation ladders"), "escalations:ladder_list", "escalations.view_ladder"),
            ],
            position=70,
        )
