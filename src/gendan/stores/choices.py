from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueKind(models.TextChoices):
    ISSUE = "issue", _("Issue to production")
    RETURN = "return", _("Return to stock")


# An order takes material between release and the end of production; drafts, orders on hold and
# cancelled ones do not. Finished goods come in while it is made and until it is shipped.
ISSUABLE_ORDER_STATES = frozenset({"released", "in_production"})
STOCK_IN_ORDER_STATES = frozenset({"released", "in_production", "ready_to_ship"})
