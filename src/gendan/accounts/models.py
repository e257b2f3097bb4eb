from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import LocalName
from gendan.core.permissions import RestrictedQuerySet

from .choices import ChangeApproval, DepartmentKind, Role


class Department(LocalName, models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    manager = models.ForeignKey(
        "accounts.User",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_departments",
    )
    ack_timeout_hours = models.PositiveIntegerField(
        _("acknowledgement reminder after (working hours)"),
        default=4,
        help_text=_(
            "A released order not acknowledged within this time is chased, and escalated after twice it."
        ),
    )
    change_approval = models.CharField(
        _("customer changes approved by"),
        max_length=20,
        choices=ChangeApproval.choices,
        default=ChangeApproval.MANAGER,
        help_text=_(
            "Who approves the change requests this department's merchandisers record; management "
            "also approves those of a manager."
        ),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.local_name


class GendanUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff: one department, one role, and the interface language they keep."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MERCHANDISER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )

    objects = GendanUserManager()
    audit_exclude = ("password", "last_login", "date_joined")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN
