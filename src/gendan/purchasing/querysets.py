"""Who may see what of the material requirements (core.permissions), after the role table.

Purchasing, production, warehouse, quality and management read every requirement (they buy, plan,
issue and receive for all orders); a merchandiser the requirements that serve orders he may see,
since an order's materials are his to chase, and other customers' orders are not his business."""

from django.apps import apps
from django.db.models import Exists, OuterRef

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


class RequirementQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if user.is_admin or user.role != Role.MERCHANDISER:
            return self
        orders = apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")
        pegs = apps.get_model("purchasing", "RequirementPeg").objects.filter(
            requirement=OuterRef("pk"), order__in=orders.values("pk")
        )
        return self.filter(Exists(pegs))


class PegQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if user.is_admin or user.role != Role.MERCHANDISER:
            return self
        orders = apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")
        return self.filter(order__in=orders.values("pk"))


class RunQuerySet(RestrictedQuerySet):
    pass
