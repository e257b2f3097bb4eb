"""Files kept with an order: the customer's PO, clarification exchanges, anything uploaded."""

from django.db import transaction

from gendan.core.uploads import check_upload, files_removed_on_rollback, save_file

from ..choices import AttachmentKind
from ..models import Order, OrderAttachment
from .common import audit, order_for


def attachment_add(*, actor, order_id: int, upload, kind: str = AttachmentKind.OTHER) -> OrderAttachment:
    """Keep a file with the order (stored under a generated name; the user's name is only data)."""
    check_upload(upload)
    with files_removed_on_rollback(), transaction.atomic():
        order = order_for(actor, order_id, "change")
        return store_attachment(actor=actor, order=order, upload=upload, kind=kind)


def store_attachment(
    *, actor, order: Order, upload, kind: str = AttachmentKind.OTHER, clarification=None
) -> OrderAttachment:
    """The attachment row and its file, for a service that has checked the actor may do this and
    runs inside `files_removed_on_rollback` and a transaction."""
    check_upload(upload)
    attachment = OrderAttachment(
        order=order,
        kind=kind,
        clarification=clarification,
        original_name=(upload.name or "file")[:255],
        size=upload.size or 0,
        version=order.version,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    save_file(attachment.file, upload.name or "file", upload)
    attachment.save()
    audit(actor, attachment, "attach", order, changes={"file": [None, attachment.original_name]})
    return attachment
