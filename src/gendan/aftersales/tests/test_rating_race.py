"""A customer's link submitted twice at once (file database, real threads): one rating is kept."""

import pytest

from gendan.aftersales import services_rating as svc
from gendan.aftersales.models import Rating
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_link_used_twice_at_once_rates_once(f, users):
    order = f.order()
    _link, token = svc.rating_link_create(actor=users["merchandiser"], order=order)

    results = race(4, lambda i: svc.rating_by_link(token=token, score=i + 1))

    ratings = [r for r in results if isinstance(r, Rating)]
    assert len(ratings) == 1, results
    assert all(isinstance(r, (Rating, svc.LinkRefused)) for r in results), results
    assert Rating.objects.filter(order=order).count() == 1
