from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "gendan.issues"
    label = "issues"
    verbose_name = _("Issues")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.notifications.registry import register_event

        from .choices import Step
        from .demo import build_issues
        from .links import operation_links, order_links, work_centre_links
        from .selectors import issues_attention
        from .tasks import remind_issues, scan_deviations

        register_event("issue.opened", _("Issue opened"))
        register_event("issue.solved", _("Issue solved, to confirm"))
        register_event("issue.reminder", _("Issue due or overdue"))
        register_attention(issues_attention)
        register_demo(50, build_issues)
        register_periodic(scan_deviations, every_seconds=300)
        register_periodic(remind_issues, every_seconds=3600)
        register_record_link("orders.order", order_links)
        register_record_link("masterdata.workcentre", work_centre_links)
        register_record_link("planning.orderoperation", operation_links)
        register_action_labels({f"issue:{value}": label for value, label in Step.choices})
        register_action_labels(
            {
                "issue_note": _("Note added"),
                "issue_calendar": _("Work centre calendar changed for a breakdown"),
            }
        )
        register_menu(
            "issues",
            _("Issues"),
            16,
            [
                (_("Issues"), "issues:issues_list", "issues.view_issue"),
                (_("Report an issue"), "issues:issues_create", "issues.add_issue"),
                (_("Issues by department"), "issues:by_department", "issues.view_issue"),
                (_("Issues on my orders"), "issues:my_orders", "orders.add_order"),
                (_("Maintenance"), "issues:maintenance_list", "issues.view_maintenancerecord"),
            ],
        )
