"""Who may do what to shipments (core.permissions), after the role table (accounts/roles.py).

Everyone who may read shipments sees those of the orders he sees (a merchandiser his own orders',
logistics, the warehouse and management every released one); a merchandiser arranges, confirms and
cancels his own orders' shipments only; logistics ships and records the proof of delivery of any."""

from django.apps import apps

from gendan.core.permissions import RestrictedQuerySet


def visible_orders(user):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")


class ShipmentQuerySet(RestrictedQuerySet):
    order_path = "order"
    action_permissions = {
        "confirm": "delivery.change_shipment",
        "cancel": "delivery.change_shipment",
        "ship": "delivery.ship_shipment",
        "deliver": "delivery.add_proofofdelivery",
    }

    def rows(self, user, action):
        if user.is_admin:
            return self
        seen = self.filter(**{f"{self.order_path}__in": visible_orders(user).values("pk")})
        if action in ("change", "confirm", "cancel"):
            return seen.filter(**{f"{self.order_path}__merchandiser": user})
        return seen


class ShipmentPartQuerySet(ShipmentQuerySet):
    order_path = "shipment__order"
