from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def history_for(*, user, obj: models.Model):
    """Audit entries of one object. Callers have already checked the user may see the object."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    # content_type: the history rows look up each field's label through it (one query per row otherwise).
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "actor", "content_type"
    )
