from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role


class Level(models.TextChoices):
    """How confidential a document is (R-6.3). Public and internal documents open for everyone who
    may see the order; confidential and secret ones only for the allowed roles and departments, the
    uploader, or someone with a live grant."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


RESTRICTED_LEVELS = frozenset({Level.CONFIDENTIAL, Level.SECRET})

# The roles a confidential or secret document opens for when the uploader names none.
DEFAULT_ROLES: dict[str, list[str]] = {
    Level.PUBLIC: [],
    Level.INTERNAL: [],
    Level.CONFIDENTIAL: [Role.MANAGEMENT, Role.MERCHANDISER],
    Level.SECRET: [Role.MANAGEMENT],
}


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


TRANSITIONS = {
    RequestStatus.PENDING: {RequestStatus.APPROVED, RequestStatus.REJECTED},
    RequestStatus.APPROVED: set(),
    RequestStatus.REJECTED: set(),
}


class LogAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    DOSSIER = "dossier", _("Exported in a dossier")


# Bounds of an access request (days) and of a dossier ZIP.
MAX_GRANT_DAYS = 30
