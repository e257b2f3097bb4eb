"""Findings are stored as a key and parameters and worded when shown, so each reader sees them in
his own language (names stored in both languages come in his)."""

from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import localized

FINDING_MESSAGES = {
    "missing_customer_po": _("The customer's PO number is missing."),
    "missing_merchandiser": _("No merchandiser is assigned."),
    "missing_lines": _("The order has no lines."),
    "missing_product": _("Line %(line)s: no product given."),
    "missing_quantity": _("Line %(line)s: no quantity given."),
    "missing_date": _("Line %(line)s: no delivery date given."),
    "missing_address": _("No delivery address is given."),
    "missing_quality": _(
        "Line %(line)s: no quality requirements given, and the product has no quality standard."
    ),
    "missing_packaging": _(
        "Line %(line)s: no packaging requirements given, and the product has no packaging standard."
    ),
    "standard_quality": _(
        "Line %(line)s: no quality requirements given; the quality standard of %(code)s applies."
    ),
    "standard_packaging": _(
        "Line %(line)s: no packaging requirements given; the packaging standard of %(code)s applies."
    ),
    "unknown_product": _("Line %(line)s: product “%(code)s” is not in the product list."),
    "archived_product": _("Line %(line)s: product “%(code)s” is archived."),
    "unknown_spec": _("Line %(line)s: specification “%(spec)s” differs from the product's “%(known)s”."),
    "bad_quantity": _("Line %(line)s: quantity %(qty)s must be more than zero."),
    "past_date": _("Line %(line)s: delivery date %(date)s is in the past."),
    "short_lead_time": _(
        "Line %(line)s: delivery date %(date)s is %(days)s days away; the product's standard lead time is %(lead)s days (earliest %(earliest)s)."
    ),
    "capacity": _(
        "Line %(line)s: the factory can finish %(qty)s by %(earliest)s at the earliest, after the requested %(date)s (limited by %(limit)s)."
    ),
    "duplicate_po": _("Customer PO “%(po)s” is already used by order %(other)s."),
    "credit_hold": _("Customer %(customer)s is on credit hold."),
    "credit_limit": _(
        "Open orders of %(customer)s would total %(total)s, over the credit limit of %(limit)s."
    ),
}

# The same findings worded for those who may not see the amounts in them (accounts/roles.py,
# FIELD_GROUPS "credit"): a department learns the order is blocked, not the customer's credit.
CONFIDENTIAL_MESSAGES = {
    "credit_limit": _("Open orders of %(customer)s would go over the credit limit."),
}


# What limits a line the capacity check finds late (params "limit_kind" and "limit_item").
LIMITS = {
    "material": _("materials (%(item)s)"),
    "materials": _("materials"),
    "work_centre": _("work centre %(wc)s"),
    "chain": _("its own chain of operations"),
    "capacity": _("capacity"),
}


def limit_text(params: dict) -> str:
    """What limits a late line ("work centre WC09 总装线"), from localized params."""
    item = params.get("limit_item") or ""
    limit = LIMITS.get(params.get("limit_kind", ""), LIMITS["capacity"])
    return str(limit) % {"item": item, "wc": item}


def finding_text(key: str, params: dict, *, confidential: bool = False) -> str:
    """A finding worded for the reader: names stored in both languages come in theirs;
    `confidential`: without the amounts of CONFIDENTIAL_MESSAGES."""
    template = (confidential and CONFIDENTIAL_MESSAGES.get(key)) or FINDING_MESSAGES.get(key)
    if template is None:
        return key
    params = localized(params)
    if "limit_kind" in params:
        params["limit"] = limit_text(params)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
