"""Who may do what on the shop floor (core.permissions), after the role table.

Daily reports are seen by whoever may see their order; production enters them and reverses wrong
ones (the role table), on released orders only (the service's guard). Board links are the
administrator's."""

from django.apps import apps

from gendan.core.permissions import RestrictedQuerySet


class ReportQuerySet(RestrictedQuerySet):
    action_permissions = {"reverse": "add"}

    def rows(self, user, action):
        if user.is_admin:
            return self
        orders = apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")
        return self.filter(operation__order__in=orders.values("pk"))


class BoardLinkQuerySet(RestrictedQuerySet):
    pass
