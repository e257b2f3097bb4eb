"""Who may see and act on supplier cases (core.permissions), after the role table.

Purchasing, quality, the warehouse and management see every case; a merchandiser the cases of lots
bought for orders he may see (through the purchase plan line's pegs). Purchasing decides and
records (role table). A concession is approved by the manager of a quality department, never by
the person who asked for it: one rule, whatever else his role may do."""

from django.apps import apps
from django.db.models import Exists, OuterRef

from gendan.accounts.choices import DepartmentKind, Role
from gendan.core.permissions import RestrictedQuerySet


class SupplierCaseQuerySet(RestrictedQuerySet):
    action_permissions = {
        "approve_concession": "purchasing.approve_concession",
        "decide": "change",
        "record_return": "change",
    }

    def rows(self, user, action):
        if action == "approve_concession":
            qs = self.exclude(decided_by=user)
            if user.is_admin:
                return qs
            manages_quality = apps.get_model("accounts", "Department").objects.filter(
                manager=user, kind=DepartmentKind.QUALITY, is_archived=False
            )
            return qs if manages_quality.exists() else self.none()
        if user.is_admin or user.role != Role.MERCHANDISER:
            return self
        orders = apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view")
        pegs = apps.get_model("purchasing", "PlanLinePeg").objects.filter(
            line__po_line__receipts=OuterRef("receipt"), order__in=orders.values("pk")
        )
        return self.filter(Exists(pegs))
