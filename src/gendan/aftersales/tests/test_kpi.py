"""The figures the merchandisers' KPIs take (R-7): per merchandiser, the complaints received on his
orders and the satisfaction ratings given, within the period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.aftersales import services_rating
from gendan.aftersales.models import Rating
from gendan.aftersales.selectors import complaints_for_kpi, ratings_for_kpi

pytestmark = pytest.mark.django_db


def test_complaints_and_ratings_per_merchandiser_in_the_period(f, users, other_merchandiser):
    today = timezone.localdate()
    mine = f.answered(received_on=today - dt.timedelta(days=2))
    old = f.complaint(received_on=today - dt.timedelta(days=40))
    theirs = f.complaint(order=f.order(merchandiser=other_merchandiser), actor=other_merchandiser)
    services_rating.rating_record(actor=users["merchandiser"], order=mine.order, complaint=mine, score=4)
    services_rating.rating_record(actor=users["merchandiser"], order=old.order, score=2)
    Rating.objects.filter(order=old.order).update(rated_on=today - dt.timedelta(days=40))
    ids = [users["merchandiser"].pk, other_merchandiser.pk, users["quality"].pk]
    start, end = today - dt.timedelta(days=30), today

    complaints = complaints_for_kpi(ids, start, end)
    assert complaints == {
        users["merchandiser"].pk: [(mine.pk, mine.received_on)],
        other_merchandiser.pk: [(theirs.pk, theirs.received_on)],
    }
    ratings = ratings_for_kpi(ids, start, end)
    assert ratings == {users["merchandiser"].pk: [(mine.number, today, Decimal(4))]}
    assert ratings_for_kpi(ids, today - dt.timedelta(days=50), today)[users["merchandiser"].pk][0] == (
        old.order.number,
        today - dt.timedelta(days=40),
        Decimal(2),
    )


def test_the_kpis_read_them_through_their_sources(f, users):
    from gendan.engine import kpi as engine
    from gendan.kpi import sources

    today = timezone.localdate()
    complaint = f.answered(received_on=today)
    services_rating.rating_record(
        actor=users["merchandiser"], order=complaint.order, complaint=complaint, score=5
    )
    me = users["merchandiser"].pk
    found = sources.source("complaints")
    assert found.fetch([me], today, today) == {me: [engine.Complaint(complaint.pk, today)]}
    assert found.describe("complaint", [complaint.pk]) == {
        complaint.pk: (complaint.number, f"/aftersales/complaint/{complaint.pk}/")
    }
    rated = sources.source("ratings")
    assert rated.fetch([me], today, today) == {me: [engine.Rating(complaint.number, today, Decimal(5))]}
    assert rated.describe("rating", [complaint.number])[complaint.number][0] == complaint.number
