"""The KPIs' part of the demo: both merchandisers have a quarter of figures, with reviews and
releases on time and late, each drilling down to the order behind it."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.models import User
from gendan.engine.scorecard import Period
from gendan.kpi.selectors import kpi_detail
from gendan.orders.models import Order


def _last_90_days() -> Period:
    today = timezone.localdate()
    return Period("range", today - dt.timedelta(days=90), today, "")


def check_both_merchandisers_have_a_quarter_of_figures(demo):
    for name in ("merchandiser", "merchandiser2"):
        person = User.objects.get(username=name)
        detail = kpi_detail(merchandiser=person, period=_last_90_days())
        assert detail.report.score is not None, name
        review = detail.report.figures["review_on_time"]
        assert review.value is not None and len(review.counted) >= 3, (name, review)
        assert detail.report.figures["release_on_time"].value is not None, name
    merchandiser = User.objects.get(username="merchandiser")
    detail = kpi_detail(merchandiser=merchandiser, period=_last_90_days())
    review = next(d for d in detail.drills if d.figure.code == "review_on_time")
    assert any(line.missed for line in review.lines) and not all(line.missed for line in review.lines)
    for line in review.lines:
        order = Order.objects.get(pk=line.id)
        assert line.ref.url == reverse("orders:order_detail", args=[order.pk])
        # The moments as the work would have them: reviewed after entry, released after review.
        if order.reviewed_at is not None:
            assert order.created_at < order.reviewed_at <= timezone.now()
        if order.released_at is not None:
            assert order.reviewed_at < order.released_at <= timezone.now()


def check_management_reads_the_kpi_pages(demo):
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    assert client.get(reverse("kpi:overview")).status_code == 200
    person = User.objects.get(username="merchandiser2")
    assert client.get(reverse("kpi:detail", args=[person.pk])).status_code == 200
