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
        from gendan.notifications.registry import register_event

        from .demo import build_quality
        from .links import receipt_links
        from .selectors import inspection_attention

        register_menu(
            "quality",
            _("Quality"),
            18,
            [
                (_("Incoming inspection"), "quality:queue", "quality.add_inspection"),
                (_("Inspections"), "quality:inspection_list", "quality.view_inspection"),
                (_("Inspection plans"), "quality:inspectionplan_list", "quality.view_inspectionplan"),
                (_("Sampling settings"), "quality:samplingsetting_list", "quality.view_samplingsetting"),
                (_("Defect codes"), "quality:defectcode_list", "quality.view_defectcode"),
            ],
        )
        register_event("inspection.done", _("Incoming inspection done"))
        register_record_link("purchasing.receipt", receipt_links)
        register_attention(inspection_attention)
        register_demo(64, build_quality)
        register_action_labels(
            {
                "complete": _("Inspection completed"),
                "inspected": _("Inspected"),
                "resume": _("Inspection resumed"),
            }
        )
