"""The demo's supplier history (step 66): a year of records behind the scorecards, S05 below the
threshold, and a second run adds nothing."""

from decimal import Decimal

import pytest

from gendan.purchasing.demo_scores import HISTORY_NOTE, build_score_history
from gendan.purchasing.models import PurchaseOrder, Receipt, ServiceRating
from gendan.purchasing.scorecard import current_scores

pytestmark = pytest.mark.django_db


def test_a_year_of_history_sets_the_poor_supplier_apart(make, users):
    make.warehouse()
    good, poor = make.supplier(code="S01"), make.supplier(code="S05")
    for supplier in (good, poor):
        for _ in range(3):
            make.supplier_material(supplier=supplier, material=make.material(), lead_time_days=7)
    demo_users = {"purchaser": users["purchasing"], "warehouse": users["warehouse"]}

    part = build_score_history(users=demo_users)
    scores = current_scores([good.pk, poor.pk])
    assert scores[good.pk] >= 80 > 70 > scores[poor.pk]
    assert part.counts["purchase orders (history)"] >= 2 * 12
    # Taken over from paper: closed orders with their past dates, every receipt inspected.
    orders = PurchaseOrder.objects.filter(note=HISTORY_NOTE)
    assert not orders.exclude(status="closed").exists()
    assert not Receipt.objects.filter(status="in_inspection").exists()
    assert ServiceRating.objects.filter(supplier=poor).count() == 4

    counts = (orders.count(), Receipt.objects.count(), ServiceRating.objects.count())
    build_score_history(users=demo_users)
    assert (orders.count(), Receipt.objects.count(), ServiceRating.objects.count()) == counts
    assert current_scores([poor.pk])[poor.pk] == scores[poor.pk] < Decimal(70)
