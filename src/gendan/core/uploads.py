"""Uploaded and generated files: size and type checks, no orphan files after a rollback, and how an
uploaded file is served back (always as a download)."""

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def check_upload(upload, *, allowed_suffixes: tuple[str, ...] | None = None) -> None:
    """Reject a file that is too large or of a type we do not accept, before anything is stored."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        )
    name = (upload.name or "").lower()
    if allowed_suffixes and not name.endswith(allowed_suffixes):
        raise ValidationError(
            _("Only these file types are accepted: %(types)s.") % {"types": ", ".join(allowed_suffixes)}
        )


# Files written by the block of `files_removed_on_rollback` that is running, if any.
_written: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "gendan_files_written", default=None
)


@contextmanager
def files_removed_on_rollback() -> Iterator[None]:
    """Files saved with `save_file` inside the block are deleted again if the block ends with an
    exception: the transaction that was to refer to them rolled back, and they would be orphans.
    Put it around the service's `transaction.atomic()`; nested blocks hand their files outwards."""
    outer = _written.get()
    written: list[tuple[Storage, str]] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("could not remove %s after a rollback", name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def save_file(field_file: FieldFile, name: str, content: File) -> None:
    """Store an upload or a generated document on a model's file field (not yet saving the row)."""
    field_file.save(name, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def attachment_response(field_file: FieldFile, filename: str) -> FileResponse:
    """An uploaded file, always downloaded and never shown inline: an uploaded HTML or SVG file
    cannot run in the site's origin."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
