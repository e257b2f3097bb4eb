"""People and departments (R-0.8). Only administrators reach these (see roles.py)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.core.services import record_create, record_update

from .models import User


def user_create(*, actor, data: dict[str, Any]) -> User:
    data = dict(data)
    password = data.pop("password", None)
    with transaction.atomic():
        user = record_create(actor=actor, model=User, data=data | {"password": "!"})
        user.set_password(password) if password else user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def user_update(*, actor, pk, data: dict[str, Any]) -> User:
    data = dict(data)
    password = data.pop("password", None)
    with transaction.atomic():
        user = record_update(actor=actor, model=User, pk=pk, data=data)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
            audit_record(actor=actor, obj=user, action="password_reset", changes={})
    return user


def user_set_active(*, actor, pk, active: bool) -> User:
    """Deactivating replaces deleting: a person's name stays on everything they did."""
    if not active and getattr(actor, "pk", None) == int(pk):
        # Otherwise the only administrator can lock everyone out of user management.
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=pk)
        if user.is_active == active:
            raise WorkflowConflict(
                _("This record is not archived.") if active else _("This record was already archived.")
            )
        before = snapshot(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, obj=user, action="restore" if active else "archive", before=before)
    return user


def user_set_language(*, user: User, language: str) -> None:
    """The interface language is the user's own preference, not business data: no audit entry."""
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
