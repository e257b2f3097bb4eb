from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.crud import Col, EntityViews, ExtraAction, Related

from . import services
from .choices import USER_CHANNELS, DeliveryStatus
from .filters import DepartmentWebhookFilter
from .forms import DepartmentWebhookForm, PreferencesForm
from .models import DepartmentWebhook
from .registry import all_events
from .selectors import notification_list, preference_matrix, unread_count, webhook_deliveries, webhook_list


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list(user=request.user, unread_only=unread_only), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": unread_count(user=request.user),
        "can_manage_webhooks": request.user.has_perm("notifications.view_departmentwebhook"),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def badge(request):
    """The bell in the top bar; the page polls it every minute."""
    return render(request, "notifications/_badge.html", {"unread": unread_count(user=request.user)})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification = services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.htmx:
        response = render(request, "notifications/_row.html", {"n": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    matrix = preference_matrix(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, matrix=matrix)
        if form.is_valid():
            services.preferences_save(user=request.user, choices=form.choices())
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(matrix=matrix)
    channels = [c.label for c in USER_CHANNELS]
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "channels": channels, "has_email": bool(request.user.email)},
    )


# ---------------------------------------------------------------- department robots (administrators)


def _events(events: list) -> str:
    labels = {e.key: str(e.label) for e in all_events()}
    return ", ".join(labels.get(key, key) for key in events) if events else _("All events")


def _set_active(active: bool):
    def run(*, actor, obj):
        saved = services.webhook_set_active(actor=actor, pk=obj.pk, active=active)
        return (_("%(name)s is enabled.") if active else _("%(name)s is disabled.")) % {"name": saved}

    return run


def _send_test(*, actor, obj):
    delivery = services.webhook_send_test(actor=actor, pk=obj.pk)
    if delivery.status != DeliveryStatus.SENT:
        raise ValidationError(_("The test message failed: %(error)s") % {"error": delivery.last_error})
    return _("The test message was accepted by the robot.")


class DepartmentWebhookViews(EntityViews):
    """Departments' chat robots. A robot is disabled instead of archived; its address (which holds
    the robot's key) and signing secret are never shown: lists, detail and export show the masked
    address, and the audit trail records neither."""

    model, namespace, slug = DepartmentWebhook, "notifications", "webhook"
    form_class, filterset_class = DepartmentWebhookForm, DepartmentWebhookFilter
    actions = frozenset({"create", "edit"})
    default_sort = "department__code"
    detail_exclude = ("id", "url", "secret", "events", "created_at", "updated_at")
    columns = [
        Col("department", _("Department"), "department__code"),
        Col("name", _("Name"), "name", link=True),
        Col("kind", _("Robot"), "kind"),
        Col("address", _("Address")),
        Col("events", _("Events"), fmt=lambda events: len(events) if events else _("All")),
        Col("is_active", _("Active"), "is_active"),
    ]
    related = [
        Related(
            _("Recent messages"),
            None,
            [
                Col("created_at", _("Time")),
                Col("event", _("Event")),
                Col("status", _("Status")),
                Col("attempts", _("Attempts")),
                Col("last_error", _("Last error")),
            ],
            selector=webhook_deliveries,
        )
    ]
    extra_actions = [
        ExtraAction("test", _("Send test message"), _send_test, shown=lambda robot: robot.is_active),
        ExtraAction("disable", _("Disable"), _set_active(False), shown=lambda robot: robot.is_active),
        ExtraAction("enable", _("Enable"), _set_active(True), shown=lambda robot: not robot.is_active),
    ]

    def queryset(self, user, action="view"):
        return webhook_list(user=user, action=action)

    def form_data(self, form):
        return form.service_data()  # a blank secret keeps the stored one

    def detail_fields(self, obj, hidden=frozenset()):
        return [*super().detail_fields(obj, hidden), (_("events"), _events(obj.events))]


webhooks = DepartmentWebhookViews()
