"""Who may do what to issues (core.permissions), after the role table (accounts/roles.py).

- view: management, production and quality see every issue (they solve them); a merchandiser the
  issues on orders he may see and those with no order; other departments the issues they are
  responsible for, opened, or own, and those on orders they may see.
- change (take on, record cause and solution, mark solved, add notes): the responsible
  department's members, the owner, the opener, production and quality.
- close / reopen: the merchandiser of the issue's order (he follows it up, R-2.6), or for an
  issue without an order its opener; management always.
"""

from django.apps import apps
from django.db.models import Q

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def _visible_orders(user):
    return apps.get_model("orders", "Order")._default_manager.all().restrict(user, "view").values("pk")


class IssueQuerySet(RestrictedQuerySet):
    issue_path = ""

    def _f(self, **lookups):
        prefix = f"{self.issue_path}__" if self.issue_path else ""
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    def permission(self, action):
        if action == "close":
            # Whoever may work on issues may close some: the rows below say which (his orders',
            # or those without an order he opened). The role table's `close_issue` alone would
            # keep the opener of an issue without an order (a warehouse clerk) from closing it.
            return "issues.change_issue"
        if action in ("view", "add", "change"):
            return f"issues.{action}_issue"
        return super().permission(action)

    def rows(self, user, action):
        if user.is_admin or user.role == Role.MANAGEMENT:
            return self
        mine = (
            (self._f(responsible_department_id=user.department_id) if user.department_id else Q(pk__in=[]))
            | self._f(owner=user)
            | self._f(opened_by=user)
        )
        if action == "view":
            if user.role in (Role.PRODUCTION, Role.QUALITY):
                return self
            on_orders = self._f(order__in=_visible_orders(user))
            if user.role == Role.MERCHANDISER:
                return self.filter(on_orders | self._f(order__isnull=True) | mine)
            return self.filter(on_orders | mine)
        if action == "change":
            if user.role in (Role.PRODUCTION, Role.QUALITY):
                return self
            return self.filter(mine | self._f(order__merchandiser=user))
        if action == "close":
            return self.filter(
                self._f(order__merchandiser=user) | (self._f(order__isnull=True) & self._f(opened_by=user))
            )
        return self


class IssueNoteQuerySet(IssueQuerySet):
    issue_path = "issue"


class MaintenanceQuerySet(RestrictedQuerySet):
    """Maintenance records: production keeps them; everyone who reads work centres reads them."""
