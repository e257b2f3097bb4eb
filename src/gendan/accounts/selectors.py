"""Reads of people and departments, restricted to what the user may see (only administrators)."""

from django.db.models import QuerySet

from .models import Department, User


def user_list(*, user, action: str = "view") -> QuerySet[User]:
    """The accounts `user` may take `action` on, with what the list shows."""
    return User.objects.restrict(user, action).select_related("department")


def department_list(*, user, action: str = "view") -> QuerySet[Department]:
    return Department.objects.restrict(user, action).select_related("manager")
