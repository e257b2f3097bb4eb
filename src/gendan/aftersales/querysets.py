"""Who may do what to complaints and ratings (core.permissions), after the role table.

- view: management and quality every complaint; a merchandiser those of the orders he sees.
- change (record, photos, answer, close, reopen, ratings, rating links): the order's merchandiser.
- investigate (take, record the findings): quality, every complaint (the role table decides).
Photos, ratings and rating links follow their order like the complaint.
"""

from django.apps import apps

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def _orders():
    return apps.get_model("orders", "Order")._default_manager.all()


class ComplaintQuerySet(RestrictedQuerySet):
    order_path = "order"
    action_permissions = {"investigate": "aftersales.investigate_complaint"}

    def rows(self, user, action):
        if user.is_admin:
            return self
        if action == "investigate":
            return self
        if action == "view":
            if user.role in (Role.MANAGEMENT, Role.QUALITY):
                return self
            orders = _orders().restrict(user, "view")
        else:
            orders = _orders().filter(merchandiser=user)
        return self.filter(**{f"{self.order_path}__in": orders.values("pk")})


class ComplaintPartQuerySet(ComplaintQuerySet):
    """A complaint's photos: whoever sees the complaint sees them; who may change it adds them."""

    order_path = "complaint__order"
    action_permissions = {
        "view": "aftersales.view_complaint",
        "add": "aftersales.change_complaint",
        "change": "aftersales.change_complaint",
    }


class RatingQuerySet(ComplaintQuerySet):
    """Ratings and rating links: their order answers."""
