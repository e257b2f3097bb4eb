"""Board links (TV mode, R-4.1): an administrator creates a read-only link to the progress board for
a wall screen, and revokes it. The token is shown once; only its SHA-256 is stored, so a copy of
the database does not open any screen."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import ValidationError, WorkflowConflict
from gendan.core.permissions import require, restricted
from gendan.masterdata.models import WorkCentre

from .choices import BoardScope
from .models import BoardLink

NAME_MAX = 100
# The screen's last-shown time is written at most this often (every refresh would be a write).
SEEN_EVERY = dt.timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def board_link_create(
    *, actor, name: str, scope: str = BoardScope.FACTORY, work_centre: WorkCentre | None = None
) -> tuple[BoardLink, str]:
    """A new link; returns it and its token (shown once, never stored)."""
    require(actor, BoardLink, "add")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the screen, e.g. the hall it hangs in.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(n)d characters.") % {"n": NAME_MAX}
    if scope not in BoardScope.values:
        errors["scope"] = _("Choose what the screen shows.")
    elif scope == BoardScope.WORK_CENTRE and work_centre is None:
        errors["work_centre"] = _("Choose the work centre the screen shows.")
    elif work_centre is not None and work_centre.is_archived:
        errors["work_centre"] = _("This work centre is archived.")
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = BoardLink.objects.create(
            name=name,
            token_hash=token_hash(token),
            scope=scope,
            work_centre=work_centre if scope == BoardScope.WORK_CENTRE else None,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            obj=link,
            action="create",
            changes={"name": [None, name], "scope": [None, scope]},
        )
    return link, token


def board_link_revoke(*, actor, link_id: int) -> BoardLink:
    """Revoke a link: the screen showing it says so at its next refresh."""
    restricted(BoardLink).get_for(actor, "change", pk=link_id)
    with transaction.atomic():
        won = BoardLink.objects.filter(pk=link_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if not won:
            raise WorkflowConflict(_("This link was already revoked."))
        link = BoardLink.objects.get(pk=link_id)
        audit_record(
            actor=actor, obj=link, action="revoke", changes={"revoked_at": [None, str(link.revoked_at)]}
        )
    return link


def board_link_for_token(token: str) -> BoardLink | None:
    """The live link a token opens, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 100:
        return None
    link = (
        BoardLink.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("work_centre")
        .first()
    )
    if link is not None:
        now = timezone.now()
        if link.last_seen_at is None or now - link.last_seen_at > SEEN_EVERY:
            BoardLink.objects.filter(pk=link.pk).update(last_seen_at=now)
    return link


def board_link_revoked(token: str) -> bool:
    return (
        bool(token)
        and len(token) <= 100
        and BoardLink.objects.filter(token_hash=token_hash(token), revoked_at__isnull=False).exists()
    )
