"""People and departments (R-0.8), which only administrators manage; logins, their lockout and API
tokens, which concern everyone (issue 14)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from gendan.core.audit import audit_record, current_source, snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import in_both
from gendan.core.models import AuditEntry
from gendan.core.services import record_create, record_update

from .address import current_address
from .models import User


def _from_address(address: str):
    """An audit note naming the address, worded in each language (nothing outside a request)."""
    return (lambda: _("From %(address)s") % {"address": address}) if address else ""


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


def login_audit(
    *, username: str, user: User | None, address: str, success: bool, locked: bool = False
) -> None:
    """One audit entry per login attempt, page or API, kept with the address it came from. A failed
    attempt is filed under the user name that was typed (it may name nobody), with no actor."""

    def note() -> str:
        if locked:
            return _("From %(address)s; refused: too many failed logins.") % {"address": address}
        return _("From %(address)s") % {"address": address}

    note_zh, note_en = in_both(note)
    AuditEntry.objects.create(
        actor=user if success else None,
        actor_name=(user.get_username() if user else username)[:150],
        source=current_source(),
        action="login" if success else "login_failed",
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk) if user else "",
        object_repr=str(user or username)[:200],
        note=note_zh,
        note_en=note_en,
    )


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + dt.timedelta(days=settings.GENDAN_API_TOKEN_DAYS)


def token_issue(*, user: User) -> Token:
    """The user's API token; an expired one is replaced by a new one."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and token_expires_at(token) <= timezone.now():
            token.delete()
        # get_or_create: of two first logins at once, the second gets the first one's token.
        return Token.objects.get_or_create(user=user)[0]


def token_revoke(*, actor: User, user_id: int) -> bool:
    """Delete a user's API token: his own, or anyone's for an administrator. False when he had none."""
    with transaction.atomic():
        users = User.objects.all()
        user = users.get(pk=user_id) if actor.pk == user_id else users.get_for(actor, "change", pk=user_id)
        deleted, _details = Token.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                actor=actor,
                obj=user,
                action="token_revoked",
                changes={},
                note=_from_address(current_address()),
            )
    return bool(deleted)


def login_unlock(*, actor: User, user_id: int) -> int:
    """An administrator lifts the lockout of a user name at once (the address stays locked:
    `gendan axes_reset_ip <address>`). Returns how many attempt records were cleared."""
    from axes.utils import reset

    with transaction.atomic():
        user = User.objects.get_for(actor, "change", pk=user_id)
        cleared = reset(username=user.get_username())
        audit_record(
            actor=actor, obj=user, action="login_unlocked", changes={}, note=_from_address(current_address())
        )
    return cleared
