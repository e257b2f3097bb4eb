"""Satisfaction (满意度, R-5.3): a score 1–5 and a comment per order and per complaint, entered by
the merchandiser or given by the customer through a link. The link is signed (django.core.signing,
its own salt), expires, and is used once: only the hash of its token is stored, and using it is a
conditional UPDATE on `used_at IS NULL`, so two submissions at once cannot both rate."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.notifications.services import notify
from gendan.orders.models import Order

from .choices import ComplaintStatus, RatingSource, Step
from .models import Complaint, Rating, RatingLink
from .services import _text, complaint_url

SALT = "gendan.aftersales.rating-link"
LINK_DAYS = 14
LINK_DAYS_MAX = 90
COMMENT_MAX = 2000


class LinkRefused(Exception):
    """The link cannot rate: `reason` is "invalid" (forged, tampered, unknown), "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _score(value: Any) -> int:
    """A whole number from 1 to 5 (a form's "4" too); anything else names the field."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if text not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    return int(text)


def _target(actor, order: Order, complaint: Complaint | None) -> tuple[Order, Complaint | None]:
    """The order (and complaint) being rated, if the actor is its merchandiser."""
    if order is None or (
        actor is not None and not Order.objects.filter(pk=order.pk, merchandiser=actor).exists()
    ):
        raise ValidationError({"order": _("Choose one of your orders.")})
    if complaint is not None:
        if complaint.order_id != order.pk:
            raise ValidationError({"complaint": _("Choose a complaint on this order.")})
        if complaint.status not in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED):
            raise ValidationError({"complaint": _("A complaint is rated once it is answered.")})
    exists = Rating.objects.filter(order=order, complaint=complaint)
    if exists.exists():
        raise ValidationError({"complaint" if complaint else "order": _("This is rated already.")})
    return order, complaint


def _save_rating(rating: Rating, actor, complaint: Complaint | None) -> Rating:
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"score": _("This is rated already.")}) from None
    audit_record(actor=actor, obj=rating, action="create", note=lambda: f"{rating.score}/5")
    order = rating.order
    what = complaint.number if complaint else order.number
    audit_record(
        actor=actor,
        obj=order,
        action="rating",
        note=lambda: _("Satisfaction %(what)s: %(score)s/5") % {"what": what, "score": rating.score},
        changes={},
        scope=order.scope,
    )
    if complaint is not None and complaint.status == ComplaintStatus.ANSWERED:
        from .services import _move

        _move(
            actor=actor,
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            step=Step.CLOSE,
            extra={"closed_by": actor, "closed_at": timezone.now()},
            note=lambda: _("Rated %(score)s/5") % {"score": rating.score},
        )
    return rating


def rating_record(
    *, actor, order: Order, score: Any, comment: str = "", complaint: Complaint | None = None, rated_on=None
) -> Rating:
    """The merchandiser enters the customer's satisfaction (by phone, at a visit …); an answered
    complaint rated this way is closed."""
    if actor is not None and not Rating.objects.all().role_allows(actor, "add"):
        raise PermissionDenied(_("You may not record satisfaction ratings."))
    score = _score(score)
    comment = _text(comment, "comment", COMMENT_MAX)
    rated_on = rated_on or timezone.localdate()
    if not isinstance(rated_on, dt.date) or rated_on > timezone.localdate():
        raise ValidationError({"rated_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        order, complaint = _target(actor, order, complaint)
        rating = Rating(
            order=order,
            complaint=complaint,
            score=score,
            comment=comment,
            rated_on=rated_on,
            source=RatingSource.MERCHANDISER,
            recorded_by=actor,
        )
        return _save_rating(rating, actor, complaint)


def rating_link_create(
    *, actor, order: Order, complaint: Complaint | None = None, days: int = LINK_DAYS
) -> tuple[RatingLink, str]:
    """A link for the customer to rate the order (or one complaint on it) without an account:
    returns the link row and its token (shown once; only its hash is kept)."""
    if actor is not None and not RatingLink.objects.all().role_allows(actor, "add"):
        raise PermissionDenied(_("You may not make rating links."))
    if not isinstance(days, int) or not 1 <= days <= LINK_DAYS_MAX:
        raise ValidationError({"days": _("Between 1 and %(n)s days.") % {"n": LINK_DAYS_MAX}})
    with transaction.atomic():
        order, complaint = _target(actor, order, complaint)
        link = RatingLink(
            order=order,
            complaint=complaint,
            token_hash=secrets.token_hex(32),  # replaced below, once the row has its id
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=actor,
        )
        link.save()
        token = signing.dumps({"l": link.pk, "n": secrets.token_urlsafe(12)}, salt=SALT, compress=True)
        RatingLink.objects.filter(pk=link.pk).update(token_hash=token_hash(token))
        link.token_hash = token_hash(token)
        audit_record(actor=actor, obj=link, action="create", note=link.expires_at.strftime("%Y-%m-%d"))
    return link, token


def rating_link_check(token: str) -> RatingLink:
    """The link behind `token`, if it may still rate; LinkRefused otherwise."""
    if not isinstance(token, str) or len(token) > 500:
        raise LinkRefused("invalid")
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("l"), int):
        raise LinkRefused("invalid")
    link = (
        RatingLink.objects.select_related("order", "complaint")
        .filter(pk=data["l"], token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise LinkRefused("invalid")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= timezone.now():
        raise LinkRefused("expired")
    return link


def rating_by_link(*, token: str, score: Any, comment: str = "") -> Rating:
    """The customer rates through the link: once, before it expires. Of two submissions at once,
    the conditional UPDATE lets one through; the other is told the link was used."""
    link = rating_link_check(token)
    score = _score(score)
    comment = _text(comment, "comment", COMMENT_MAX)
    with transaction.atomic():
        now = timezone.now()
        won = RatingLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if not won:
            raise LinkRefused("used")
        if Rating.objects.filter(order=link.order, complaint=link.complaint).exists():
            raise LinkRefused("used")
        complaint = Complaint.objects.filter(pk=link.complaint_id).first() if link.complaint_id else None
        rating = Rating(
            order=link.order,
            complaint=complaint,
            score=score,
            comment=comment,
            rated_on=timezone.localdate(),
            source=RatingSource.LINK,
            link=link,
        )
        rating = _save_rating(rating, None, complaint)
        _tell_merchandiser(rating)
        return rating


def _tell_merchandiser(rating: Rating) -> None:
    """A rating through the link happens without him (and closes an answered complaint): he is told,
    with the customer's comment."""
    order = rating.order
    number, score = (rating.complaint.number if rating.complaint else order.number), rating.score
    notify(
        event="rating.received",
        recipients=[order.merchandiser] if order.merchandiser else [],
        title=lambda lang: (
            _("The customer rated %(number)s: %(score)s/5") % {"number": number, "score": score}
        ),
        body=rating.comment[:300],
        url=complaint_url(rating.complaint)
        if rating.complaint
        else reverse("orders:order_detail", args=[order.pk]),
        obj=rating.complaint or order,
    )
