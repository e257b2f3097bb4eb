"""What supplier cases register at start-up (purchasing/apps.py calls `register()`): their
notification events, the timeline's words for their steps, "needs your attention", the menu entry,
the links on an order's dossier and a goods receipt, and the link back from an issue's page."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from gendan.core.attention import register_attention
    from gendan.core.menu import register_menu
    from gendan.core.registry import register_record_link
    from gendan.core.templatetags.gendan import register_action_labels
    from gendan.issues.hooks import register_linked_records, register_source
    from gendan.notifications.registry import register_event

    from .links_cases import issue_case_records, order_case_links, receipt_case_links
    from .selectors_cases import cases_attention

    register_event("case.opened", _("Supplier case opened for a rejected lot"))
    register_event("case.decided", _("Supplier case decided or waiting on you"))
    register_event("case.concession", _("Concession waiting for your approval"))
    register_event("case.closed", _("Supplier case closed"))
    register_attention(cases_attention)
    register_record_link("orders.order", order_case_links)
    register_record_link("purchasing.receipt", receipt_case_links)
    # The issue a rejected lot opens names its case (fingerprint case:<pk>): the API and the issue
    # page point back to it.
    register_source("case", kind="supplier_case", api_route="suppliercase-detail")
    register_linked_records(issue_case_records)
    register_menu(
        "purchasing",
        _("Purchasing"),
        17,
        [(_("Supplier cases"), "purchasing:case_list", "purchasing.view_suppliercase")],
        position=70,
    )
    register_action_labels(
        {
            "case_opened": _("Supplier case opened"),
            "case_decide": _("Supplier case decided"),
            "case_record_return": _("Return recorded"),
            "case_replacement": _("Replacement inspected"),
            "case_replaced": _("Replacement accepted, case closed"),
            "case_approve": _("Concession approved"),
            "case_reject": _("Concession refused"),
            "case_reconsider": _("Supplier case to decide again"),
        }
    )
