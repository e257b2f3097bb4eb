"""Who may do what to which record: one question, asked by action, everywhere.

    Order.objects.restrict(user, "view")             # the orders he may see (lists, 404 for the rest)
    Order.objects.restrict(user, "release")          # the orders he may release
    Order.objects.get_for(actor, "release", pk=7)    # in a service: the order, or PermissionDenied
    Order.objects.allowed_actions(user, order, [...])  # for a page: which buttons to show, one query

Two things answer, in this order:

1. The role table (`accounts/roles.py`, read by `user.has_perm`): may his role take this action on
   this kind of record at all? The action names a permission: "view" → `orders.view_order`,
   "release" → `orders.release_order`; a queryset maps other names in `action_permissions`.
2. The record's own rules (`rows()`, overridden per model): his department, his order, not his own
   request. Without rules, every record of the kind is allowed.

A record the user may not see is a 404; one he sees but may not act on is a 403. Services ask
`get_for` themselves, so pages, API, commands and tasks obey the same rule; the system itself
(a task or command acting with ``actor=None``) is not restricted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

# Actions that need the same permission as another: archiving is a change, like editing.
DEFAULT_ACTION_PERMISSIONS = {"archive": "change", "restore": "change", "edit": "change", "create": "add"}


def is_active_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


class RestrictedQuerySet(models.QuerySet):
    # action → permission: a verb ("change" → "<app>.change_<model>") or a full name ("orders.view_order").
    action_permissions: dict[str, str] = {}

    def permission(self, action: str) -> str:
        """The permission (role table) an action needs on this kind of record."""
        name = self.action_permissions.get(action) or DEFAULT_ACTION_PERMISSIONS.get(action, action)
        if "." in name:
            return name
        opts = self.model._meta
        return f"{opts.app_label}.{name}_{opts.model_name}"

    def role_allows(self, user: Any, action: str) -> bool:
        return is_active_user(user) and user.has_perm(self.permission(action))

    def rows(self, user: Any, action: str) -> Self:
        """The records' own rules for an action, for a user whose role allows it. Return `self` when
        there is no rule (every record of the kind): `allowed_actions` then needs no query."""
        return self

    def restrict(self, user: Any, action: str = "view") -> Self:
        """The records `user` may take `action` on."""
        if not self.role_allows(user, action):
            return self.none()
        return self.rows(user, action)

    def get_for(self, user: Any, action: str, **lookup: Any) -> Any:
        """The one record matching `lookup`, if `user` may take `action` on it: DoesNotExist when
        there is no such record, PermissionDenied when he may not. `user=None` is the system."""
        if user is None:
            return self.get(**lookup)
        found = self.restrict(user, action).filter(**lookup).first()
        if found is None:
            if self.filter(**lookup).exists():
                raise PermissionDenied(_("You may not do this to this record."))
            raise getattr(self.model, "DoesNotExist", ObjectDoesNotExist)()
        return found

    def allows(self, user: Any, obj: models.Model, action: str) -> bool:
        return action in self.allowed_actions(user, obj, [action])

    def allowed_actions(self, user: Any, obj: models.Model, actions: Iterable[str]) -> set[str]:
        """Which of `actions` the user may take on `obj`, in at most one query (pages show or hide
        their buttons with it)."""
        allowed: set[str] = set()
        checks: dict[str, Exists] = {}
        for action in actions:
            if not self.role_allows(user, action):
                continue
            base = self.all()
            rows = base.rows(user, action)
            if rows is base:
                allowed.add(action)
            else:
                checks[action] = Exists(rows.filter(pk=OuterRef("pk")))
        if checks:
            names = {f"may_{i}": action for i, action in enumerate(checks)}
            values = (
                self.model._default_manager.filter(pk=obj.pk)
                .annotate(**{name: checks[action] for name, action in names.items()})
                .values(*names)
                .first()
            ) or {}
            allowed |= {action for name, action in names.items() if values.get(name)}
        return allowed

    def active(self) -> Self:
        return self.filter(is_archived=False)


def require(user: Any, model: type[models.Model], action: str) -> None:
    """For actions on no particular record (creating one): PermissionDenied unless the role allows."""
    if user is None:
        return
    if not restricted(model).role_allows(user, action):
        raise PermissionDenied(_("You may not do this."))


def restricted(model: type[models.Model]) -> RestrictedQuerySet:
    """All records of a model, as a queryset that answers `restrict` (every model of Gendan has one)."""
    records = model._default_manager.all()
    if not isinstance(records, RestrictedQuerySet):
        raise TypeError(f"{model.__name__} needs a manager from RestrictedQuerySet to answer who may do what")
    return records
