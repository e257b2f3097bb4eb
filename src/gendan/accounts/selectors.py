"""Reads of people and departments, restricted to what the user may see (only administrators)."""

from django.db.models import QuerySet

from .models import Department, User


def user_list(*, user, action: str = "view") -> QuerySet[User]:
    """The accounts `user` may take `action` on, with what the list shows."""
    return User.objects.restrict(user, action).select_related("department")


def department_list(*, user, action: str = "view") -> QuerySet[Department]:
    return Department.objects.restrict(user, action).select_related("manager")


def login_locked(user) -> bool:
    """Whether the lockout refuses this user name now (too many recent wrong passwords)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum
    from django.utils import timezone

    recent = AccessAttempt.objects.filter(
        username=user.get_username(), attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return (recent.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= settings.GENDAN_LOGIN_FAILURES
