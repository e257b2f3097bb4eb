"""Who may do what to orders and their parts (core.permissions): each queryset's `rows()` is the
records' own rule, after the role table (accounts/roles.py) has allowed the action."""

from django.apps import apps
from django.db.models import Q

from gendan.accounts.choices import ChangeApproval, Role
from gendan.core.permissions import RestrictedQuerySet


def _orders() -> RestrictedQuerySet:
    # The parts' rules ask their order's; Order is defined after these querysets.
    return apps.get_model("orders", "Order")._default_manager.all()


class OrderQuerySet(RestrictedQuerySet):
    """Who may do what to orders (core.permissions). The actions are `view`, `add`, `change` (edit,
    hold, cancel, resume, record progress, ask for changes), `review` and `release`; each needs its
    permission in the role table (accounts/roles.py) and then these rules."""

    def rows(self, user, action):
        if user.is_admin:
            return self
        if action == "view":
            if user.role == Role.MANAGEMENT:
                return self
            if user.role == Role.MERCHANDISER:
                # His own orders, and those of the merchandisers whose department he manages
                # (he approves their customers' changes).
                return self.filter(Q(merchandiser=user) | Q(merchandiser__department__manager=user))
            # The receiving departments (production, purchasing, quality, warehouse, logistics)
            # see an order once it has been released to them.
            return self.exclude(released_at__isnull=True)
        # Only the order's merchandiser acts on it.
        return self.filter(merchandiser=user)

    @staticmethod
    def would_see(user, merchandiser) -> bool:
        """rows(user, "view") for a draft of `merchandiser` that is not saved yet: the entry form
        warns a user who would lose sight of the order he is entering for someone else."""
        if user.is_admin or user.role == Role.MANAGEMENT:
            return True
        if user.role != Role.MERCHANDISER or merchandiser is None:
            return False
        department = merchandiser.department
        return merchandiser.pk == user.pk or (department is not None and department.manager_id == user.pk)


class OrderPartQuerySet(RestrictedQuerySet):
    """A part of an order (line, finding, clarification, acknowledgement, change request): what a
    user may do to it is what he may do to its order, through `order_actions`."""

    order_actions: dict[str, str] = {"view": "view"}  # action on the part → action on its order

    def permission(self, action):
        return _orders().permission(self.order_actions.get(action, action))

    def rows(self, user, action):
        if user.is_admin:
            return self
        orders = _orders().restrict(user, self.order_actions.get(action, action))
        return self.filter(order__in=orders.values("pk"))


class FindingQuerySet(OrderPartQuerySet):
    order_actions = {"view": "view", "resolve": "review"}


class ClarificationQuerySet(OrderPartQuerySet):
    order_actions = {"view": "view", "answer": "review"}


class AcknowledgementQuerySet(OrderPartQuerySet):
    """A released order is acknowledged by a member of each receiving department, for his own
    department only."""

    def permission(self, action):
        if action == "acknowledge":
            return "orders.acknowledge_order"
        return super().permission(action)

    def rows(self, user, action):
        if action != "acknowledge":
            return super().rows(user, action)
        if user.is_admin:
            return self
        visible = _orders().restrict(user, "view").values("pk")
        return self.filter(department_id=user.department_id, order__in=visible)


class ChangeRequestQuerySet(OrderPartQuerySet):
    """A customer's change is decided (approved or rejected) by a second person, never by who
    recorded it: the manager of the department of the order's merchandiser, or management where
    the department says so (`Department.change_approval`); management also decides the changes a
    manager records himself."""

    def permission(self, action):
        if action in ("approve", "reject"):
            return "orders.approve_changerequest"
        return super().permission(action)

    def rows(self, user, action):
        if action not in ("approve", "reject"):
            return super().rows(user, action)
        others = self.exclude(requested_by=user)
        if user.is_admin or user.role == Role.MANAGEMENT:
            return others
        return others.filter(
            order__merchandiser__department__manager=user,
            order__merchandiser__department__change_approval=ChangeApproval.MANAGER,
        )
