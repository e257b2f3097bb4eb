"""Satisfaction (R-5.3): the merchandiser enters a rating, or the customer gives it through a
signed, expiring, single-use link that needs no account and can do nothing else. A forged,
tampered, expired or used link gets a clear page in Chinese and English, and nothing changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.aftersales import services_rating as svc
from gendan.aftersales.models import Rating, RatingLink
from gendan.testing.helpers import logged_in_client

pytestmark = pytest.mark.django_db


def _url(token):
    return reverse("aftersales:rate", args=[token])


@pytest.fixture
def answered(f):
    return f.answered()


@pytest.fixture
def link(answered, users):
    made, token = svc.rating_link_create(
        actor=users["merchandiser"], order=answered.order, complaint=answered
    )
    return made, token


def test_only_the_hash_of_the_token_is_stored(link):
    made, token = link
    made.refresh_from_db()
    assert made.token_hash == svc.token_hash(token) and token not in made.token_hash


def test_the_customer_rates_through_the_link_without_an_account(link, answered):
    _made, token = link
    page = Client().get(_url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert answered.order.number in text and answered.number in text
    assert "满意度" in text and "Your satisfaction" in text
    # Nothing else: no menu, no customer, no description of the complaint.
    assert "mainnav" not in text and answered.description.splitlines()[0] not in text
    done = Client().post(_url(token), {"score": "4", "comment": "处理及时"})
    assert done.status_code == 200 and "谢谢" in done.content.decode()
    rating = Rating.objects.get(complaint=answered)
    assert (rating.score, rating.source, rating.comment) == (4, "link", "处理及时")
    answered.refresh_from_db()
    assert answered.status == "closed"  # rated: closed
    # ... and the merchandiser is told, with the comment (it happened without him).
    from gendan.notifications.models import Notification

    told = Notification.objects.get(recipient=answered.order.merchandiser, event="rating.received")
    assert answered.number in told.title and "4/5" in told.title and told.body == "处理及时"


def test_a_link_used_twice_is_refused_and_changes_nothing(link, answered):
    _made, token = link
    Client().post(_url(token), {"score": "5"})
    again = Client().post(_url(token), {"score": "1"})
    assert again.status_code == 410
    text = again.content.decode()
    assert "已被使用" in text and "used already" in text
    assert Rating.objects.get(complaint=answered).score == 5
    assert Client().get(_url(token)).status_code == 410


def test_an_expired_link_is_refused(link, answered):
    made, token = link
    RatingLink.objects.filter(pk=made.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().post(_url(token), {"score": "5"})
    assert response.status_code == 410
    assert "已过期" in response.content.decode() and "expired" in response.content.decode()
    assert not Rating.objects.exists()
    made.refresh_from_db()
    assert made.used_at is None


@pytest.mark.parametrize("tamper", ["forged", "flipped", "other_salt", "garbage"])
def test_a_forged_or_tampered_link_is_refused(link, tamper):
    from django.core import signing

    made, token = link
    bad = {
        "forged": signing.dumps({"l": made.pk, "n": "x"}, salt=svc.SALT, compress=True),  # not the stored one
        "flipped": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "other_salt": signing.dumps({"l": made.pk, "n": "x"}, salt="gendan.other"),
        "garbage": "not-a-token",
    }[tamper]
    response = Client().post(_url(bad), {"score": "5"})
    assert response.status_code == 404
    assert "无效" in response.content.decode() and "not valid" in response.content.decode()
    assert not Rating.objects.exists()
    made.refresh_from_db()
    assert made.used_at is None


def test_a_score_out_of_range_is_a_clear_error_and_leaves_the_link_usable(link):
    made, token = link
    response = Client().post(_url(token), {"score": "9"})
    assert response.status_code == 400
    assert (
        "1 到 5" in response.content.decode()
        or "1–5" in response.content.decode()
        or "1 to 5" in response.content.decode()
    )
    made.refresh_from_db()
    assert made.used_at is None and not Rating.objects.exists()


def test_the_merchandiser_enters_a_rating_for_the_order_once(f, users):
    order = f.order()
    rating = svc.rating_record(actor=users["merchandiser"], order=order, score=3, comment="一般")
    assert rating.source == "merchandiser" and rating.complaint is None
    with pytest.raises(ValidationError):
        svc.rating_record(actor=users["merchandiser"], order=order, score=5)
    assert Rating.objects.filter(order=order).count() == 1


@pytest.mark.parametrize("score", [0, 6, "x", None, 2.5, True])
def test_a_bad_score_names_the_field(f, users, score):
    with pytest.raises(ValidationError) as exc:
        svc.rating_record(actor=users["merchandiser"], order=f.order(), score=score)
    assert "score" in exc.value.message_dict
    assert not Rating.objects.exists()


def test_another_merchandisers_order_cannot_be_rated_or_linked(f, other_merchandiser, users):
    order = f.order()
    with pytest.raises(ValidationError):
        svc.rating_record(actor=other_merchandiser, order=order, score=4)
    with pytest.raises(ValidationError):
        svc.rating_link_create(actor=other_merchandiser, order=order)
    assert not Rating.objects.exists() and not RatingLink.objects.exists()


def test_a_complaint_is_rated_only_once_it_is_answered(f, users):
    complaint = f.investigating()
    with pytest.raises(ValidationError) as exc:
        svc.rating_link_create(actor=users["merchandiser"], order=complaint.order, complaint=complaint)
    assert "complaint" in exc.value.message_dict


def test_the_merchandiser_makes_a_link_on_the_page_and_copies_it(answered, users):
    client = logged_in_client(users["merchandiser"])
    response = client.post(
        reverse("aftersales:complaint_link", args=[answered.pk]), {"days": "7"}, follow=True
    )
    text = response.content.decode()
    assert "/aftersales/rate/" in text
    link = RatingLink.objects.get(complaint=answered)
    assert dt.timedelta(days=6) < link.expires_at - timezone.now() <= dt.timedelta(days=7)
    # The page shows the token once; reloading does not show it again.
    again = client.get(reverse("aftersales:complaint_detail", args=[answered.pk])).content.decode()
    assert "/aftersales/rate/" not in again


def test_a_complaint_closed_by_the_customers_english_browser_reads_in_chinese_in_its_history(
    link, answered, zh_terms
):
    """The customer's browser speaks English; the staff read the history in Chinese all the same."""
    from gendan.core.models import AuditEntry

    zh = zh_terms({"Rated %(score)s/5": "评分 %(score)s/5"})
    _made, token = link
    done = Client().post(_url(token), {"score": "4"}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200
    closed = AuditEntry.objects.get(
        content_type__model="complaint", object_id=str(answered.pk), action="complaint:close"
    )
    assert (closed.note, closed.note_en) == (zh["Rated %(score)s/5"] % {"score": 4}, "Rated 4/5")
