from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of the regulation (R-0.1 – R-0.8)."""

    ADMIN = "admin", _("Administrator")
    MERCHANDISER = "merchandiser", _("Merchandiser")
    PRODUCTION = "production", _("Production planner")
    PURCHASING = "purchasing", _("Purchaser")
    QUALITY = "quality", _("Quality inspector")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    LOGISTICS = "logistics", _("Logistics")
    MANAGEMENT = "management", _("Management")


class DepartmentKind(models.TextChoices):
    MERCHANDISING = "merchandising", _("Merchandising")
    PRODUCTION = "production", _("Production")
    PURCHASING = "purchasing", _("Purchasing")
    QUALITY = "quality", _("Quality")
    WAREHOUSE = "warehouse", _("Warehouse")
    LOGISTICS = "logistics", _("Logistics")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class ChangeApproval(models.TextChoices):
    """Who approves the customer changes recorded by a department's merchandisers (never the one
    who recorded it)."""

    MANAGER = "manager", _("The department's manager")
    MANAGEMENT = "management", _("Management")
