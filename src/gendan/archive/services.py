"""Writes of the order archive (R-6.1, R-6.3): filing the system's documents, uploads (a new
version per upload of the same title), access requests and their decision, and opening a document
(checked, logged, watermarked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.choices import Role
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.core.uploads import check_upload, files_removed_on_rollback, save_file
from gendan.masterdata.models import Product
from gendan.notifications.services import notify
from gendan.orders.models import Order

from .access import access_for
from .choices import DEFAULT_ROLES, MAX_GRANT_DAYS, Level, LogAction, RequestStatus
from .models import AccessLog, AccessRequest, Document, Grant
from .sources import Opened, source_for, sources, upload_kinds
from .watermark import watermark, watermark_text

TITLE_MAX = 200
REASON_MAX = 1000
NOTE_MAX = 500


class GrantExpired(PermissionDenied):
    """The reader's grant ran out: he is told so, not shown a 404."""


# --- filing ---------------------------------------------------------------------------------


def _bilingual(zh: str, en: str) -> str:
    return (zh if zh == en or not en else f"{zh} / {en}")[:TITLE_MAX]


def archive_file_order(*, order: Order) -> int:
    """File the order's system-made documents the sources list and the archive lacks; returns how
    many were filed. Run when the order's archive is opened and by `gendan archive_file` (nightly):
    filing twice files nothing new (unique kind + source reference). A filed title is stored once
    for every reader, so it is written in both languages ("装箱单 … / Packing list …"), as the
    issues the system opens are, not in the language of whoever opened the archive first."""
    new: list[Document] = []
    existing = {
        (kind, ref)
        for kind, ref in Document.objects.filter(order=order)
        .exclude(source_ref="")
        .values_list("kind", "source_ref")
    }
    for source in sources():
        with translation.override("zh-hans"):
            records = [r for r in source.list_for_order(order) if (source.kind, r.ref) not in existing]
        if not records:
            continue
        with translation.override("en"):
            english = {r.ref: r.title for r in source.list_for_order(order)}
        for record in records:
            new.append(
                Document(
                    order=order,
                    customer_id=order.customer_id,
                    kind=source.kind,
                    title=_bilingual(str(record.title), str(english.get(record.ref, ""))),
                    version=record.version,
                    filed_on=record.filed_on,
                    source_ref=record.ref,
                    level=record.level,
                    allowed_roles=list(DEFAULT_ROLES[record.level]),
                )
            )
    if new:
        Document.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- uploads --------------------------------------------------------------------------------


def _clean_roles(level: str, roles: list[str] | None) -> list[str]:
    valid = {r for r, _label in Role.choices if r != Role.ADMIN}
    roles = list(dict.fromkeys(roles or []))
    if any(r not in valid for r in roles):
        raise ValidationError({"allowed_roles": _("Choose roles from the list.")})
    if level in (Level.CONFIDENTIAL, Level.SECRET) and not roles:
        roles = list(DEFAULT_ROLES[level])
    return roles


def document_upload(
    *,
    actor: User,
    order_id: int,
    kind: str,
    title: str,
    file: Any,
    level: str = "",
    allowed_roles: list[str] | None = None,
    allowed_departments: list[Department] | None = None,
    product: Product | None = None,
    filed_on: dt.date | None = None,
) -> Document:
    """Upload a document to an order's archive. The same kind and title again is the next version."""
    require(actor, Document, "add")
    order = Order.objects.restrict(actor, "view").filter(pk=order_id).first()
    if order is None:
        raise ValidationError({"order": _("Choose one of your orders.")})
    kinds = {k.kind: k for k in upload_kinds()}
    if kind not in kinds:
        raise ValidationError({"kind": _("Choose a kind of document from the list.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("The title is too long (at most %(n)s characters).") % {"n": TITLE_MAX}}
        )
    if file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    level = level or kinds[kind].level
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a confidentiality level from the list.")})
    roles = _clean_roles(level, allowed_roles)
    today = timezone.localdate()
    if filed_on and filed_on > today:
        raise ValidationError({"filed_on": _("A document cannot be filed in the future.")})
    for _attempt in range(3):
        try:
            with files_removed_on_rollback(), transaction.atomic():
                top = Document.objects.filter(order=order, kind=kind, title=title, source_ref="").aggregate(
                    v=Max("version")
                )["v"]
                doc = Document(
                    order=order,
                    customer_id=order.customer_id,
                    product=product,
                    kind=kind,
                    title=title,
                    version=(top or 0) + 1,
                    filed_on=filed_on or today,
                    original_name=(file.name or "file")[-255:],
                    size=file.size,
                    level=level,
                    allowed_roles=roles,
                    uploaded_by=actor,
                )
                save_file(doc.file, file.name or "file", file)
                doc.save()
                if allowed_departments:
                    doc.allowed_departments.set(allowed_departments)
                audit_record(
                    actor=actor,
                    obj=doc,
                    action="archive_upload",
                    after={"title": title, "version": doc.version, "level": level},
                    scope=order.scope,
                )
                return doc
        except IntegrityError:
            continue  # someone uploaded the same title at once: take the next version
    raise WorkflowConflict(_("Someone else uploaded this document at the same time; try again."))


# --- access requests ------------------------------------------------------------------------


def _management() -> list[User]:
    return list(User.objects.filter(role=Role.MANAGEMENT, is_active=True))


def access_request_create(*, actor: User, document_id: int, reason: str, days: Any) -> AccessRequest:
    """Ask to open a confidential document for `days` days (1 – MAX_GRANT_DAYS)."""
    require(actor, AccessRequest, "add")
    document = Document.objects.restrict(actor, "view").filter(pk=document_id).first()
    if document is None:
        raise ValidationError({"document": _("No such document.")})
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why you need the document.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is too long (at most %(n)s characters).") % {"n": REASON_MAX}
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_GRANT_DAYS:
        errors["days"] = _("The period is 1 to %(n)s days.") % {"n": MAX_GRANT_DAYS}
    if errors:
        raise ValidationError(errors)
    if access_for(actor, document).may_open:
        raise ValidationError({"document": _("You may already open this document.")})
    with transaction.atomic():
        if AccessRequest.objects.filter(
            document=document, requester=actor, status=RequestStatus.PENDING
        ).exists():
            raise ValidationError(
                {"document": _("You have already asked for this document; wait for the decision.")}
            )
        request = AccessRequest.objects.create(document=document, requester=actor, reason=reason, days=days)
        audit_record(
            actor=actor,
            obj=request,
            action="archive_access_requested",
            after={"document": str(document), "days": days, "reason": reason},
            scope=document.order.scope,
        )
        _tell(request, _management(), "archive.access_requested")
    return request


def _decide(*, actor: User, request_id: int, approve: bool, note: str) -> AccessRequest:
    request = AccessRequest.objects.get_for(actor, "approve", pk=request_id)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("The note is too long (at most %(n)s characters).") % {"n": NOTE_MAX}}
        )
    if not approve and not note:
        raise ValidationError({"note": _("Say why the request is rejected.")})
    now = timezone.now()
    status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    with transaction.atomic():
        won = AccessRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
            status=status, decided_by=actor, decided_at=now, decision_note=note
        )
        if not won:
            raise WorkflowConflict(_("Someone else decided this request first; reload the page."))
        request.refresh_from_db()
        if approve:
            Grant.objects.create(
                request=request,
                document_id=request.document_id,
                user_id=request.requester_id,
                starts_at=now,
                expires_at=now + dt.timedelta(days=request.days),
            )
        audit_record(
            actor=actor,
            obj=request,
            action="archive_access_approved" if approve else "archive_access_rejected",
            after={"status": status, "note": note},
            scope=request.document.order.scope,
        )
        _tell(request, [request.requester], "archive.access_decided")
    return request


def access_request_approve(*, actor: User, request_id: int, note: str = "") -> AccessRequest:
    """Management approves: the requester may open the document for the days asked, from now."""
    return _decide(actor=actor, request_id=request_id, approve=True, note=note)


def access_request_reject(*, actor: User, request_id: int, note: str) -> AccessRequest:
    """Management rejects, saying why."""
    return _decide(actor=actor, request_id=request_id, approve=False, note=note)


def access_requests_seen(*, actor: User) -> int:
    """The requester has read his decided requests (they leave his home page)."""
    return AccessRequest.objects.filter(
        requester=actor, seen_at__isnull=True, decided_at__isnull=False
    ).update(seen_at=timezone.now())


def _tell(request: AccessRequest, people: list, event: str) -> None:

    title_text, status = request.document.title, request.status
    requester = str(request.requester)

    def title(lang):
        if status == RequestStatus.PENDING:
            return _("%(user)s asks to open “%(title)s”") % {"user": requester, "title": title_text}
        if status == RequestStatus.APPROVED:
            return _("Your request to open “%(title)s” was approved") % {"title": title_text}
        return _("Your request to open “%(title)s” was rejected") % {"title": title_text}

    url = reverse("archive:requests") if status == RequestStatus.PENDING else reverse("archive:my_requests")
    notify(event=event, recipients=people, title=title, url=url, obj=request)


# --- opening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedDocument:
    filename: str
    data: bytes
    watermarked: bool


def document_open(
    *, actor: User, document_id: int, action: str = LogAction.DOWNLOAD, lang: str = "zh-hans"
) -> OpenedDocument:
    """The document's content for `actor`, logged; a confidential one watermarked with his name and
    the time. A document he may not see, or a confidential one he may not open, is
    `Document.DoesNotExist` (a 404: a guessed address confirms nothing); a grant that ran out is
    `GrantExpired`."""
    document = Document.objects.restrict(actor, "view").get(pk=document_id)
    access = access_for(actor, document)
    if not access.may_open:
        if access.expired is not None:
            until = timezone.localtime(access.expired.expires_at)
            raise GrantExpired(
                _("Your access to this document ended on %(when)s. Ask for access again.")
                % {"when": f"{until:%Y-%m-%d %H:%M}"}
            )
        raise Document.DoesNotExist
    opened = open_content(document, user=actor, lang=lang)
    if opened is None:
        raise Document.DoesNotExist
    data = opened.read()
    marked = False
    if document.is_restricted:
        when = timezone.localtime()
        data = watermark(
            data, opened.filename, watermark_text(name=str(actor), when=f"{when:%Y-%m-%d %H:%M}")
        )
        marked = True
    AccessLog.objects.create(
        document=document, version=document.version, user=actor, action=action, grant=access.grant
    )
    return OpenedDocument(filename=opened.filename, data=data, watermarked=marked)


def open_content(document: Document, *, user: User, lang: str) -> Opened | None:
    """The file of an upload, or what its source opens (rendered on demand)."""
    if not document.source_ref:
        if not document.file:
            return None
        return Opened(filename=document.original_name or document.file.name or "file", file=document.file)
    source = source_for(document.kind)
    if source is None:
        return None
    return source.open(document.source_ref, user=user, lang=lang)
