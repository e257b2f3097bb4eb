"""How the engine's codes are worded on the pages, in the export and in the API's descriptions:
figures, units, step kinds and the reasons a figure has no value or is left out of the score."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gendan.engine import kpi as engine

FIGURE_LABELS = {
    "review_on_time": _("Orders reviewed on time"),
    "review_median": _("Median time to review"),
    "release_on_time": _("Orders released on time"),
    "release_median": _("Median time to release"),
    "ack_on_time": _("Acknowledgements on time"),
    "plan_on_time": _("Plans decided on time"),
    "issue_close_median": _("Median time to close an issue"),
    "issues_closed_overdue": _("Issues closed after their due date"),
    "issues_open_overdue": _("Open issues past their due date"),
    "delivery_on_time": _("Order lines delivered on time"),
    "complaints": _("Complaints received"),
    "complaints_per_100": _("Complaints per 100 shipments"),
    "satisfaction": _("Customer satisfaction"),
}
# What each figure's drill-down lists.
FIGURE_HELP = {
    "review_on_time": _("Orders received in the period: receipt to review within the hours set."),
    "review_median": _("Orders received in the period and reviewed: hours from receipt to review."),
    "release_on_time": _("Orders reviewed in the period: review to release within the hours set."),
    "release_median": _("Orders reviewed in the period and released: hours from review to release."),
    "ack_on_time": _("Releases sent to a department in the period: acknowledged within the hours set."),
    "plan_on_time": _("Plans submitted in the period: approved or rejected within the hours set."),
    "issue_close_median": _("Issues of his orders closed in the period: days from opened to closed."),
    "issues_closed_overdue": _("Issues of his orders closed in the period: closed after the due date."),
    "issues_open_overdue": _("Issues of his orders open at the end of the period: past their due date."),
    "delivery_on_time": _("Order lines promised in the period: delivered in full by the promised date."),
    "complaints": _("Complaints received in the period."),
    "complaints_per_100": _("Complaints received per 100 shipments delivered in the period."),
    "satisfaction": _("Mean of the customers' ratings given in the period."),
}
UNIT_LABELS = {
    "%": "%",
    "h": _("h"),
    "d": _("days"),
    "count": "",
    "per 100 shipments": _("per 100 shipments"),
    "rating": _("points"),
}
STEP_LABELS = {
    "review": _("Receipt to review"),
    "release": _("Review to release"),
    "ack": _("Release to acknowledgement"),
    "plan": _("Plan submitted to decided"),
}
REASONS = {
    engine.NO_RECORDS: _("no data"),
    engine.NO_SHIPMENTS: _("no shipment delivered"),
    engine.NOT_STARTED: _("the period has not begun"),
    engine.NO_VALUE: _("no data"),
    engine.NO_TARGET: _("no target"),
    engine.NO_WEIGHT: _("no weight"),
}
# The kind of record behind each figure's drill-down (collect.py's reference kinds).
FIGURE_KIND = {
    "review_on_time": "review",
    "review_median": "review",
    "release_on_time": "release",
    "release_median": "release",
    "ack_on_time": "ack",
    "plan_on_time": "plan",
    "issue_close_median": "issue",
    "issues_closed_overdue": "issue",
    "issues_open_overdue": "issue",
    "delivery_on_time": "line",
    "complaints": "complaint",
    "complaints_per_100": "shipment",
    "satisfaction": "rating",
}


def with_unit(value: Decimal | None, unit: str) -> str:
    """A figure's value worded with its unit: 92.5%, 18.0 h, 2.5 天; — without a value."""
    if value is None:
        return "—"
    word = str(UNIT_LABELS.get(unit, unit))
    if unit == "%":
        return f"{value}%"
    return f"{value} {word}".strip()
