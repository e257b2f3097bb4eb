"""Who may see and decide what of the purchase plans (core.permissions), after the role table.

Purchasing drafts, adjusts and submits plans and reads all of them; management reads all and
decides the lines that serve no order (safety stock). A merchandiser reads the plans and lines that
serve orders he may see, or that wait for his decision, and only the pegs of those orders (other
customers' orders are not his business); he decides only his own decision rows."""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def _model(name: str):
    return apps.get_model("purchasing", name)


def _his_orders(user):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view").values("pk")


def _line_visible(user, line_ref: str = "pk"):
    """A condition on plan lines (through `line_ref`): serves an order he sees, or waits for him."""
    pegs = _model("PlanLinePeg").objects.filter(line=OuterRef(line_ref), order__in=_his_orders(user))
    decisions = _model("PlanLineDecision").objects.filter(line=OuterRef(line_ref), merchandiser=user)
    return Exists(pegs) | Exists(decisions)


def _merchandiser(user) -> bool:
    return not user.is_admin and user.role == Role.MERCHANDISER


class PurchasePlanQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if action != "view" or not _merchandiser(user):
            return self
        lines = _model("PurchasePlanLine").objects.filter(plan=OuterRef("pk")).filter(_line_visible(user))
        return self.filter(Exists(lines))


class PlanLineQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if action != "view" or not _merchandiser(user):
            return self
        return self.filter(_line_visible(user))


class PlanLinePegQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if not _merchandiser(user):
            return self
        return self.filter(order__in=_his_orders(user))


class PlanLineDecisionQuerySet(RestrictedQuerySet):
    """`decide` (the change permission): his own rows; a line serving no order (safety stock) is
    management's, and any management user (or an administrator) may decide its row."""

    action_permissions = {"decide": "change"}

    def rows(self, user, action):
        if action == "view":
            if not _merchandiser(user):
                return self
            return self.filter(_line_visible(user, "line_id"))
        mine = Q(merchandiser=user)
        if user.is_admin or user.role == Role.MANAGEMENT:
            stock = ~Exists(_model("PlanLinePeg").objects.filter(line=OuterRef("line_id")))
            return self.filter(mine | stock)
        return self.filter(mine)
