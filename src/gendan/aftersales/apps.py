from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "gendan.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.issues.hooks import register_linked_records, register_source
        from gendan.kpi.sources import register_source as register_kpi_source
        from gendan.notifications.registry import register_event

        from . import kpi_source
        from .attention import complaint_attention
        from .choices import Step
        from .demo import build_aftersales
        from .links import issue_records, order_links

        register_event("complaint.received", _("Customer complaint received"))
        register_event("complaint.investigated", _("Findings on a customer complaint"))
        register_event("rating.received", _("A customer's rating through the link"))
        register_record_link("orders.order", order_links)
        register_source("complaint", kind="complaint", api_route="complaint-detail")
        register_linked_records(issue_records)
        register_attention(complaint_attention)
        register_kpi_source("complaints", kpi_source.complaints, describe=kpi_source.describe)
        register_kpi_source("ratings", kpi_source.ratings, describe=kpi_source.describe)
        register_demo(74, build_aftersales)
        register_action_labels({f"complaint:{value}": label for value, label in Step.choices})
        register_action_labels(
            {
                "complaint_findings": _("Findings on a complaint recorded"),
                "rating": _("Satisfaction rated"),
            }
        )
        register_menu(
            "orders",
            _("Orders"),
            10,
            [(_("Customer complaints"), "aftersales:complaint_list", "aftersales.view_complaint")],
            position=65,  # after the progress board
        )
