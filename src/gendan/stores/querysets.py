"""Who may do what in the warehouse's work on orders (core.permissions), after the role table.

Issues, returns and finished goods in are seen by whoever may see their order (a merchandiser his
own orders', the warehouse and production every released one); the warehouse records them (the
role table). The running totals answer like the records they sum."""

from django.apps import apps

from gendan.core.permissions import RestrictedQuerySet


def visible_orders(user):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")


class OrderScopedQuerySet(RestrictedQuerySet):
    order_path = "order"

    def rows(self, user, action):
        if user.is_admin:
            return self
        return self.filter(**{f"{self.order_path}__in": visible_orders(user).values("pk")})


class IssueQuerySet(OrderScopedQuerySet):
    # A return is recorded with the same right as an issue.
    action_permissions = {
        "return": "add",
        "allow_over": "stores.allow_over_issue",
        "request": "stores.request_issue",
    }
