"""Who may do what to plans (core.permissions): each queryset's `rows()` is the records' own rule,
after the role table (accounts/roles.py) has allowed the action.

- view: whoever may see the order sees its plan (production, purchasing and quality see released
  orders; a merchandiser his own and those of the merchandisers he manages; management all).
- change (plan, re-run, pin, split, submit, withdraw): production planners, any released order.
- approve (approve or reject a submitted version): the order's own merchandiser only (R-2.4).
"""

from django.apps import apps

from gendan.core.permissions import RestrictedQuerySet


def _orders(user, action):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, action)


class PlanQuerySet(RestrictedQuerySet):
    order_path = "order"

    def permission(self, action):
        if action == "approve":
            return "planning.approve_plan"
        if action in ("view", "add", "change"):
            return f"planning.{action}_plan"
        return super().permission(action)

    def rows(self, user, action):
        if user.is_admin:
            return self
        if action == "approve":
            return self.filter(**{f"{self.order_path}__merchandiser": user})
        if action == "view":
            return self.filter(**{f"{self.order_path}__in": _orders(user, "view").values("pk")})
        return self  # planners plan every released order


class PlanVersionQuerySet(PlanQuerySet):
    order_path = "plan__order"


class PlanPartQuerySet(PlanQuerySet):
    """Planned operations and materials answer through their version's plan."""

    order_path = "version__plan__order"


class OrderOperationQuerySet(RestrictedQuerySet):
    """An order's operations are seen by whoever sees the order; the shop floor reports on them
    (shopfloor's permission `add_productionreport`)."""

    def permission(self, action):
        if action == "report":
            return "shopfloor.add_productionreport"
        if action == "view":
            return "planning.view_plan"
        return super().permission(action)

    def rows(self, user, action):
        if user.is_admin:
            return self
        if action == "view":
            return self.filter(order__in=_orders(user, "view").values("pk"))
        return self


class ProposalQuerySet(RestrictedQuerySet):
    """Reschedule proposals: production planners run and accept them; everyone who reads plans
    reads them."""

    def permission(self, action):
        if action == "view":
            return "planning.view_plan"
        if action in ("add", "change", "accept"):
            return "planning.change_plan"
        return super().permission(action)
