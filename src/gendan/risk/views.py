"""The delivery risk on other apps' pages: the merchandiser's and the management's home panels and
the order page's panel (core.registry), the order list's column and filter (orders' hooks)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.choices import Role
from gendan.core.columns import Col

from .choices import LEVEL_CSS, RISK_STATES, Level
from .selectors import open_orders, order_risk, risk_page

HOME_ROWS = 15  # the merchandiser's home shows his gravest orders; the order list has the rest


def home_panel(request) -> str:
    """A merchandiser's open orders, gravest risk first; management's count of orders per level."""
    user = request.user
    if user.role == Role.MERCHANDISER:
        page = risk_page(open_orders(user=user, mine=True), stop=HOME_ROWS)
        if not page.total:
            return ""
        context = {
            "rows": page.rows,
            "total": page.total,
            "counts": _counts(page.counts),
            "list_url": reverse("orders:order_list") + "?sort=-risk__score",
        }
        return render_to_string("risk/_home_mine.html", context, request=request)
    if user.role in (Role.MANAGEMENT, Role.ADMIN) and user.has_perm("orders.view_order"):
        page = risk_page(open_orders(user=user), stop=0)
        return render_to_string("risk/_home_counts.html", {"counts": _counts(page.counts)}, request=request)
    return ""


def _counts(counts: dict[str, int]) -> list[tuple[str, str, str, int, str]]:
    """(level, label, css, count, the order list filtered by it), gravest first."""
    url = reverse("orders:order_list")
    return [
        (level, str(Level(level).label), LEVEL_CSS[Level(level)], n, f"{url}?risk={level}&sort=-risk__score")
        for level, n in counts.items()
    ]


def order_panel(request, order) -> str:
    row = order_risk(user=request.user, order=order)
    if row is None:
        return ""
    return render_to_string("risk/_order_panel.html", {"risk": row}, request=request)


class RiskCol(Col):
    """The order list's delivery risk: the stored level as a badge (empty for an order not open)."""

    def _risk(self, obj):
        return getattr(obj, "risk", None) if obj.status in RISK_STATES else None

    def css(self, obj) -> str:
        risk = self._risk(obj)
        return f"badge {LEVEL_CSS[Level(risk.level)]}" if risk else ""

    def value(self, obj):
        risk = self._risk(obj)
        if risk is None:
            return ""
        if risk.slack_days is None:
            return risk.get_level_display()
        return _("%(level)s · %(days)s d") % {"level": risk.get_level_display(), "days": risk.slack_days}


def with_risk(qs):
    return qs.select_related("risk")
