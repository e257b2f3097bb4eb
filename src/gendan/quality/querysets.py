"""Who sees which in-process and final inspection (core.permissions), after the role table: those
who may see its order (a merchandiser his own orders', quality and production every released
one). Their measurements, defects and photos answer like the inspection."""

from django.apps import apps

from gendan.core.permissions import RestrictedQuerySet


def visible_orders(user):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")


class ProcessInspectionQuerySet(RestrictedQuerySet):
    order_path = "order"

    def rows(self, user, action):
        if getattr(user, "is_admin", False):
            return self
        return self.filter(**{f"{self.order_path}__in": visible_orders(user).values("pk")})


class ProcessPartQuerySet(ProcessInspectionQuerySet):
    order_path = "inspection__order"


class NonconformanceQuerySet(ProcessInspectionQuerySet):
    action_permissions = {"approve": "quality.approve_nonconformance"}


class NCPartQuerySet(ProcessInspectionQuerySet):
    order_path = "nonconformance__order"


class EvidenceQuerySet(ProcessInspectionQuerySet):
    order_path = "action__nonconformance__order"
