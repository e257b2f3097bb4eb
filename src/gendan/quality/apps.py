from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "gendan.quality"
    label = "quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.issues.hooks import register_linked_records, register_source
        from gendan.notifications.registry import register_event
        from gendan.shopfloor.services import register_report_listener
        from gendan.stores.gates import register_stock_in_gate

        from .apps_records import ready_records
        from .attention import quality_attention
        from .demo import build_quality
        from .demo_process import build_process_inspections
        from .links import issue_records, order_links, receipt_links
        from .selectors import inspection_attention
        from .selectors_process import process_attention
        from .services_process import final_stock_in_refusal, report_made

        register_menu(
            "quality",
            _("Quality"),
            18,
            [
                (_("Incoming inspection"), "quality:queue", "quality.add_inspection"),
                (_("Inspections"), "quality:inspection_list", "quality.view_inspection"),
                (
                    _("In-process and final inspection"),
                    "quality:process_queue",
                    "quality.view_processinspection",
                ),
                (
                    _("In-process and final inspections"),
                    "quality:process_list",
                    "quality.view_processinspection",
                ),
                (_("Nonconformances"), "quality:nc_list", "quality.view_nonconformance"),
                (_("Inspection plans"), "quality:inspectionplan_list", "quality.view_inspectionplan"),
                (_("Sampling settings"), "quality:samplingsetting_list", "quality.view_samplingsetting"),
                (_("Defect codes"), "quality:defectcode_list", "quality.view_defectcode"),
            ],
        )
        register_event("inspection.done", _("Incoming inspection done"))
        register_record_link("purchasing.receipt", receipt_links)
        register_record_link("orders.order", order_links)
        # A nonconformance opens its issue (fingerprint nc:<pk>): the issue points back to it.
        register_source("nc", kind="nonconformance", api_route="nonconformance-detail")
        register_linked_records(issue_records)
        register_event("quality.process_failed", _("In-process or final inspection failed"))
        register_event("quality.action_assigned", _("Corrective action assigned to you"))
        register_attention(inspection_attention)
        register_attention(process_attention)
        register_attention(quality_attention)
        register_demo(64, build_quality)
        ready_records()
        register_demo(68, build_process_inspections)
        # Good units reported wait for inspection; finished goods of a product with a final
        # inspection plan are stocked in only as far as final inspection passed them.
        register_report_listener(report_made)
        register_stock_in_gate(final_stock_in_refusal)
        register_action_labels(
            {
                "complete": _("Inspection completed"),
                "inspected": _("Inspected"),
                "resume": _("Inspection resumed"),
                "inspection_start": _("Inspection started"),
                "nc_decide": _("Disposition decided"),
                "nc_approve": _("Use as is approved"),
                "nc_refuse": _("Use as is refused"),
                "action_done": _("Corrective action done"),
                "action_verify": _("Corrective action verified"),
                "action_effectiveness": _("Effectiveness checked"),
            }
        )
