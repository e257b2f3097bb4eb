"""After-sales' records for the merchandisers' KPIs (R-7): complaints received and satisfaction
ratings given, registered with `kpi.sources.register_source` from AppConfig.ready() and read
through `selectors.complaints_for_kpi` / `ratings_for_kpi` (kpi imports no after-sales)."""

from __future__ import annotations

from django.urls import reverse

from gendan.engine import kpi as engine
from gendan.orders.models import Order

from .models import Complaint
from .selectors import complaints_for_kpi, ratings_for_kpi


def complaints(merchandiser_ids, start, end) -> dict[int, list[engine.Complaint]]:
    found = complaints_for_kpi(merchandiser_ids, start, end)
    return {
        user_id: [engine.Complaint(pk, received_on) for pk, received_on in rows]
        for user_id, rows in found.items()
    }


def ratings(merchandiser_ids, start, end) -> dict[int, list[engine.Rating]]:
    found = ratings_for_kpi(merchandiser_ids, start, end)
    return {
        user_id: [engine.Rating(ref, rated_on, score) for ref, rated_on, score in rows]
        for user_id, rows in found.items()
    }


def describe(kind: str, ids) -> dict:
    """The drill-down's label and page: a complaint by its number; a rating by what was rated (the
    complaint's number, or the order's, which opens the order's satisfaction page)."""
    if kind == "complaint":
        rows = Complaint.objects.filter(pk__in=list(ids)).values_list("pk", "number")
        return {pk: (number, reverse("aftersales:complaint_detail", args=[pk])) for pk, number in rows}
    if kind == "rating":
        refs = [str(i) for i in ids]
        by_complaint = dict(Complaint.objects.filter(number__in=refs).values_list("number", "pk"))

        by_order = dict(Order.objects.filter(number__in=refs).values_list("number", "pk"))
        out = {}
        for ref in refs:
            if ref in by_complaint:
                out[ref] = (ref, reverse("aftersales:complaint_detail", args=[by_complaint[ref]]))
            elif ref in by_order:
                out[ref] = (ref, reverse("aftersales:order", args=[by_order[ref]]))
        return out
    return {}
