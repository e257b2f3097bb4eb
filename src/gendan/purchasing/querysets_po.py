"""Who may see which purchase orders, lines and receipts (core.permissions), after the role table.

Purchasing, quality, the warehouse and management see them all (they buy, inspect and receive for
every order). A merchandiser sees only what is bought for orders he may see: the PO lines whose
plan line is pegged to such an order, the POs that have one, and those lines' receipts. Other
customers' purchases, and the suppliers' prices on them, are not his business."""

from django.apps import apps
from django.db.models import Exists, OuterRef

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def _merchandiser(user) -> bool:
    return not user.is_admin and user.role == Role.MERCHANDISER


def _his_pegs(user, line_ref: str):
    orders = apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")
    return apps.get_model("purchasing", "PlanLinePeg").objects.filter(
        line__po_line=OuterRef(line_ref), order__in=orders.values("pk")
    )


class PurchaseOrderQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if not _merchandiser(user):
            return self
        lines = apps.get_model("purchasing", "PurchaseOrderLine").objects.filter(order=OuterRef("pk"))
        return self.filter(Exists(lines.filter(Exists(_his_pegs(user, "pk")))))


class PurchaseOrderLineQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if not _merchandiser(user):
            return self
        return self.filter(Exists(_his_pegs(user, "pk")))


class ReceiptQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if not _merchandiser(user):
            return self
        return self.filter(Exists(_his_pegs(user, "line")))
