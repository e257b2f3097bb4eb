"""Who may do what in the archive (core.permissions), after the role table.

- documents: listed to whoever may see their order (the order's own rules); opening a confidential
  one is a further question (`access.may_open`), not a queryset rule, because a grant is per person.
- access requests: the requester sees his own; management sees and decides every one, never his own.
- grants and the access log follow the same: one's own, management all.
"""

from django.db.models import Q

from gendan.accounts.choices import Role
from gendan.core.permissions import RestrictedQuerySet


def order_visible(user) -> Q | None:
    """orders' `rows(user, "view")` on the documents (None: every order). A merchandiser sees few
    orders: `order_id IN (…)`, a set read once while the search walks its filed-on index. The
    receiving departments see every released order, nearly all of them: a join on the order's
    release is cheaper than that set (bench/archive.py measures both at 200,000 documents)."""
    from gendan.orders.models import Order

    if user.is_admin or user.role == Role.MANAGEMENT:
        return None
    if user.role == Role.MERCHANDISER:
        return Q(order_id__in=Order.objects.all().rows(user, "view").values("pk"))
    return Q(order__released_at__isnull=False)


class DocumentQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if action == "change" and not (user.is_admin or user.role == Role.MANAGEMENT):
            return self.filter(uploaded_by=user)
        cond = order_visible(user)
        return self if cond is None else self.filter(cond)


class AccessRequestQuerySet(RestrictedQuerySet):
    def permission(self, action):
        if action == "approve":
            return "archive.approve_accessrequest"
        return super().permission(action)

    def rows(self, user, action):
        if action == "approve":
            return self.exclude(requester=user)
        if user.is_admin or user.role == Role.MANAGEMENT:
            return self
        return self.filter(requester=user)


class GrantQuerySet(RestrictedQuerySet):
    def rows(self, user, action):
        if user.is_admin or user.role == Role.MANAGEMENT:
            return self
        return self.filter(user=user)


class AccessLogQuerySet(RestrictedQuerySet):
    pass
