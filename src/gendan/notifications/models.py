from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.permissions import RestrictedQuerySet

from .choices import Channel, DeliveryChannel, DeliveryStatus, WebhookKind


class Notification(models.Model):
    """One message in a user's in-app inbox, already in the user's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            # The badge counts a user's unread rows on every page: a small partial index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's explicit choice for one event on one channel; without a row the event's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="notif_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.event} {self.channel} {self.enabled}"


def masked_url(url: str) -> str:
    """The robot's address with its key cut to the last four characters:
    https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa → …/send?…5aaa,
    https://open.feishu.cn/open-apis/bot/v2/hook/5d6a…90ab → …/hook/…90ab."""
    if not url:
        return ""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.query:
        masked = f"{origin}{parts.path}?…{url[-4:]}"
    elif parts.path.strip("/").count("/") >= 1:
        masked = f"{origin}{parts.path.rstrip('/').rsplit('/', 1)[0]}/…{parts.path.rstrip('/')[-4:]}"
    else:
        masked = url
    return masked[:200]


class DepartmentWebhook(models.Model):
    """A department's chat-group robot (WeCom, DingTalk or Feishu) that receives its events."""

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="webhooks",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example the name of the chat group."))
    kind = models.CharField(_("robot"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(
        _("webhook address"),
        max_length=500,
        help_text=_("The address the chat app shows when the robot is added to the group."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk and Feishu only, when the robot's security setting is “signature”."),
    )
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Leave empty to send every event of the department."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The address with its key cut out, for the audit trail and lists (set on save).
    address = models.CharField(_("address"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    # A robot's URL carries its key (WeCom `key`, DingTalk `access_token`, Feishu's hook id): anyone
    # who has it can post to the group. The audit trail, readable by management, records only the
    # masked `address`, and never the secret.
    audit_exclude = ("url", "secret", "created_at", "updated_at")

    class Meta:
        verbose_name = _("department webhook")
        verbose_name_plural = _("department webhooks")
        ordering = ["department__code", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"

    def save(self, *args, **kwargs):
        self.address = masked_url(self.url)
        if kwargs.get("update_fields") is not None and "url" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "address"}
        super().save(*args, **kwargs)

    def clean(self):
        from .addresses import url_problem
        from .registry import all_events

        known = {e.key for e in all_events()}
        if not isinstance(self.events, list) or not all(isinstance(e, str) for e in self.events):
            raise ValidationError({"events": _("Give a list of event keys.")})
        unknown = sorted(set(self.events) - known)
        if unknown:
            raise ValidationError({"events": _("Unknown events: %(keys)s") % {"keys": ", ".join(unknown)}})
        if self.secret and self.kind == WebhookKind.WECOM:
            raise ValidationError({"secret": _("A WeCom robot has no signing secret; leave this empty.")})
        problem = url_problem(self.url) if self.url else None
        if problem:
            raise ValidationError({"url": problem})

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class Delivery(models.Model):
    """The outbox: one e-mail or one robot message, sent by the worker after the commit, retried
    with a growing delay. Written in the caller's transaction, so a rollback leaves none behind."""

    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    event = models.CharField(_("event"), max_length=60)
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(
        DepartmentWebhook, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    target = models.CharField(_("to"), max_length=254)
    # E-mail: subject and body. Webhook: the robot's JSON message, unsigned (signed when sent,
    # because DingTalk and Feishu reject a signature older than an hour).
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # When the row is next due: a retry time, or the lease of an attempt in progress.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} → {self.target}"
