"""Reads of plan building, restricted to what the user may see: the orders to plan, and everything
the version page shows (operations, materials with the kit check, the load chart, people)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model

from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order

from .messages import late_reason_text, warning_details, warning_text
from .models import Plan, PlanVersion
from .services.checks import version_loads

CHART_DAYS = 31  # the chart shows the first month the version works in; the table lists every day
BAR_W, BAR_GAP, CHART_H, TOP = 18, 6, 120, 10


def orders_to_plan(*, user) -> list[dict]:
    """Released orders (and orders in production) the user may see, with where their plan stands."""
    orders = (
        Order.objects.restrict(user, "view")
        .filter(status__in=LOADING_STATES)
        .select_related("customer")
        .order_by("pk")[:200]
    )
    plans = {p.order_id: p for p in Plan.objects.filter(order__in=[o.pk for o in orders])}
    latest = {}
    for v in PlanVersion.objects.filter(plan__in=plans.values()).order_by("plan_id", "number"):
        latest[v.plan_id] = v
    rows = []
    for order in orders:
        plan = plans.get(order.pk)
        rows.append({"order": order, "plan": plan, "latest": latest.get(plan.pk) if plan else None})
    return rows


def _chart(loads) -> list[dict]:
    """Per work centre, one bar per day: the version's hours on top of the schedule in force's,
    against the capacity line; overloaded days marked."""
    charts = []
    by_centre = defaultdict(list)
    for d in loads.days:
        by_centre[d.work_centre].append(d)
    for code, days in sorted(by_centre.items()):
        days = days[:CHART_DAYS]
        peak = max([d.total for d in days] + [d.capacity for d in days] + [1])
        scale = CHART_H / peak
        bars = []
        for i, d in enumerate(days):
            x = 40 + i * (BAR_W + BAR_GAP)
            other_h = round(d.other * scale)
            own_h = round(d.own * scale)
            cap_y = TOP + CHART_H - round(d.capacity * scale)
            bars.append(
                {
                    "x": x,
                    "other_y": TOP + CHART_H - other_h,
                    "other_h": other_h,
                    "own_y": TOP + CHART_H - other_h - own_h,
                    "own_h": own_h,
                    "cap_y": cap_y,
                    "w": BAR_W,
                    "label_x": x + BAR_W // 2,
                    "date": loads.date_of(d.day),
                    "load": d,
                }
            )
        centre = loads.factory.centres[code]
        charts.append(
            {
                "centre": centre,
                "bars": bars,
                "width": 40 + len(days) * (BAR_W + BAR_GAP) + 10,
                "height": TOP + CHART_H + 30,
                "base_y": TOP + CHART_H,
                "label_y": TOP + CHART_H + 16,
                "peak_hours": round(peak / 60, 1),
                "overloaded": any(d.overloaded for d in days),
            }
        )
    return charts


def version_page(*, version: PlanVersion, user) -> dict:
    version = PlanVersion.objects.select_related("plan__order__customer", "plan__in_force", "created_by").get(
        pk=version.pk
    )
    plan, order = version.plan, version.plan.order
    operations = list(
        version.operations.select_related(
            "operation__order_line", "operation__routing_operation", "work_centre"
        )
    )
    materials = list(version.materials.select_related("material", "order_line"))
    loads = version_loads(version)
    people_ids = {w.get("acknowledged_by") for w in version.warnings or [] if w.get("acknowledged_by")}
    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=people_ids)}
    warnings = [
        {
            "index": i,
            "kind": w.get("kind"),
            "text": warning_text(w),
            "details": warning_details(w),
            "by": names.get(w.get("acknowledged_by")),
            "at": w.get("acknowledged_at"),
        }
        for i, w in enumerate(version.warnings or [])
    ]
    may_change = version.status == "draft" and PlanVersion.objects.allows(user, version, "change")
    delivery = max((ln.delivery_date for ln in order.lines.all() if ln.delivery_date), default=None)
    return {
        "version": version,
        "plan": plan,
        "order": order,
        "actions": set(),
        "operations": operations,
        "materials": materials,
        "charts": _chart(loads),
        "days": [(loads.date_of(d.day), d) for d in loads.days],
        "shifts": [(s, loads.at(s.start), loads.at(s.end)) for s in loads.shifts],
        "warnings": warnings,
        "late_reason": late_reason_text(version.late_reason),
        "delivery": delivery,
        "may_change": may_change,
        "versions": plan.versions.order_by("-number"),
    }
