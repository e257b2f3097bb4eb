"""What the Gantt shows (R-2.3): the schedule in force (the planned operations of each plan's
version in force) in a window, read for one user, as lanes and bars for `gantt.gantt_svg`.

Query count stays the same whatever the number of rows: one count, one page of lane keys, one
query for the window's operations on those lanes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.i18n import local_text
from gendan.masterdata.models import WorkCentre

from .gantt import Bar, Lane
from .models import PlannedOperation

LANES_PER_PAGE = 25
VIEWS = ("centre", "order")


@dataclass
class Window:
    view: str
    start: dt.datetime
    end: dt.datetime
    page: int
    pages: int
    lanes: list[Lane]
    bars: list[Bar]


def in_force(user) -> QuerySet[PlannedOperation]:
    """Planned operations of the versions in force the user may see."""
    return PlannedOperation.objects.restrict(user, "view").filter(version__plan__in_force=F("version"))


def bar_title(*, number: str, operation: str, centre: str, start: dt.datetime, end: dt.datetime, qty) -> str:
    fmt = "%m-%d %H:%M"
    return _("%(order)s · %(operation)s · %(centre)s · %(start)s → %(end)s · %(qty)s") % {
        "order": number,
        "operation": operation,
        "centre": centre,
        "start": timezone.localtime(start).strftime(fmt),
        "end": timezone.localtime(end).strftime(fmt),
        "qty": format(qty.normalize(), "f"),
    }


def is_late(end: dt.datetime, delivery: dt.date | None) -> bool:
    return delivery is not None and timezone.localtime(end).date() > delivery


def window_in_force(*, user, view: str, start: dt.date, days: int, page: int) -> Window:
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    end = begin + dt.timedelta(days=days)
    ops = in_force(user).filter(start__lt=end, end__gt=begin)
    lane_field = "work_centre_id" if view == "centre" else "version__plan__order_id"
    keys = ops.values_list(lane_field, flat=True).distinct().order_by(lane_field)
    total = keys.count()
    pages = max(1, -(-total // LANES_PER_PAGE))
    page = min(page, pages)
    page_keys = list(keys[(page - 1) * LANES_PER_PAGE : page * LANES_PER_PAGE])
    rows = (
        ops.filter(**{f"{lane_field}__in": page_keys})
        .select_related("work_centre", "operation__order__customer", "operation__order_line")
        .order_by("start", "pk")[:5000]
    )
    bars, labels, late_lanes = [], {}, set()
    for po in rows:
        order = po.operation.order
        key = str(po.work_centre_id if view == "centre" else order.pk)
        labels[key] = (
            str(po.work_centre) if view == "centre" else f"{order.number} {order.customer.local_name}"
        )
        late = is_late(po.end, po.operation.order_line.delivery_date)
        if late and view == "order":
            late_lanes.add(key)
        bars.append(
            Bar(
                lane=key,
                start=po.start,
                end=po.end,
                title=bar_title(
                    number=order.number,
                    operation=f"{po.operation.sequence} {po.operation.name}",
                    centre=po.work_centre.code,
                    start=po.start,
                    end=po.end,
                    qty=po.quantity,
                ),
                label=order.number if view == "centre" else po.work_centre.code,
                late=late,
            )
        )
    lanes = [Lane(str(k), labels.get(str(k), str(k)), str(k) in late_lanes) for k in page_keys]
    return Window(view=view, start=begin, end=end, page=page, pages=pages, lanes=lanes, bars=bars)


def centre_names(codes) -> dict[str, str]:
    return {wc.code: str(wc) for wc in WorkCentre.objects.filter(code__in=list(codes))}


def window_compare(*, user, proposal, view: str, start: dt.date, days: int, page: int) -> Window:
    """The proposal (in colour) over the schedule in force (grey) of the orders it moves, lane by
    lane: one query for the in-force operations of the page's lanes."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    end = begin + dt.timedelta(days=days)
    rows = (proposal.result or {}).get("orders", [])
    bars: list[Bar] = []
    labels: dict[str, str] = {}
    for row in rows:
        customer = local_text(row["customer"])
        for op in row["ops"]:
            s, e = dt.datetime.fromisoformat(op["start"]), dt.datetime.fromisoformat(op["end"])
            if e <= begin or s >= end:
                continue
            key = op["wc"] if view == "centre" else str(row["order"])
            labels.setdefault(key, op["wc"] if view == "centre" else f"{row['number']} {customer}")
            delivery = dt.date.fromisoformat(row["delivery"]) if row["delivery"] else None
            bars.append(
                Bar(
                    lane=key,
                    start=s,
                    end=e,
                    title=bar_title(
                        number=row["number"],
                        operation=f"{op['seq']} {op['name']}",
                        centre=op["wc"],
                        start=s,
                        end=e,
                        qty=Decimal(op["qty"]),
                    ),
                    late=is_late(e, delivery),
                    layer="proposal",
                )
            )
    keys = sorted(labels)
    pages = max(1, -(-len(keys) // LANES_PER_PAGE))
    page = min(page, pages)
    page_keys = keys[(page - 1) * LANES_PER_PAGE : page * LANES_PER_PAGE]
    order_ids = [row["order"] for row in rows]
    ops = in_force(user).filter(start__lt=end, end__gt=begin, version__plan__order_id__in=order_ids)
    if view == "centre":
        ops = ops.filter(work_centre__code__in=page_keys)
    else:
        ops = ops.filter(version__plan__order_id__in=[int(k) for k in page_keys])
    for po in ops.select_related("work_centre", "operation__order").order_by("start", "pk")[:5000]:
        key = po.work_centre.code if view == "centre" else str(po.operation.order_id)
        bars.append(
            Bar(
                lane=key,
                start=po.start,
                end=po.end,
                title=_("In force: %(what)s")
                % {
                    "what": bar_title(
                        number=po.operation.order.number,
                        operation=f"{po.operation.sequence} {po.operation.name}",
                        centre=po.work_centre.code,
                        start=po.start,
                        end=po.end,
                        qty=po.quantity,
                    )
                },
                layer="in_force",
            )
        )
    names = centre_names(page_keys) if view == "centre" else {}
    lanes = [Lane(k, names.get(k, labels[k])) for k in page_keys]
    return Window(view=view, start=begin, end=end, page=page, pages=pages, lanes=lanes, bars=bars)
