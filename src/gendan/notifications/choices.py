from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification reaches a person. Webhooks reach a department's chat group instead."""

    INBOX = "inbox", _("In the app")
    EMAIL = "email", _("E-mail")


# The channels each user chooses per event on the preferences page, in column order.
USER_CHANNELS = (Channel.INBOX, Channel.EMAIL)


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk custom robot")
    FEISHU = "feishu", _("Feishu / Lark custom bot")


# Only these two robots sign their requests; a WeCom robot's key is part of its URL.
SIGNED_KINDS = {WebhookKind.DINGTALK, WebhookKind.FEISHU}


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Chat robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    ABANDONED = "abandoned", _("Failed, given up")
