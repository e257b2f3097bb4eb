"""The demo (step 74): on an order with production and inspections, a complaint investigated by
quality (its issue solved), answered and rated by the customer through the link, and one still
being investigated; building again adds nothing."""

from gendan.aftersales.demo import build_aftersales
from gendan.aftersales.models import Complaint, Rating, RatingLink
from gendan.issues.choices import IssueStatus


def check_the_demo_has_a_complaint_answered_and_rated_and_one_being_investigated(demo):
    done = Complaint.objects.get(status="closed")
    assert done.investigated and done.answered_at is not None
    assert done.issue is not None and done.issue.status == IssueStatus.RESOLVED
    rating = Rating.objects.get(complaint=done)
    assert rating.source == "link" and 1 <= rating.score <= 5
    link = RatingLink.objects.get(complaint=done)
    assert link.used_at is not None and link.rating == rating
    open_ = Complaint.objects.get(status="investigating")
    assert open_.issue is not None and open_.issue.status == IssueStatus.OPEN
    assert open_.order_id == done.order_id


def check_building_the_after_sales_demo_again_adds_nothing(demo):
    from gendan.accounts.models import User

    before = (Complaint.objects.count(), Rating.objects.count())
    build_aftersales(users={u.username: u for u in User.objects.all()})
    assert (Complaint.objects.count(), Rating.objects.count()) == before
