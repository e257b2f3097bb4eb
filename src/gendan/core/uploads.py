from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


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
