from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.crud import apply_errors

from . import services
from .choices import USER_CHANNELS, DeliveryStatus
from .forms import DepartmentWebhookForm, PreferencesForm
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


@login_required
@permission_required("notifications.view_departmentwebhook", raise_exception=True)
def webhook_list_view(request):
    webhooks = webhook_list(user=request.user)
    return render(
        request,
        "notifications/webhook_list.html",
        {
            "webhooks": webhooks,
            "can_change": request.user.has_perm("notifications.change_departmentwebhook"),
            "can_add": request.user.has_perm("notifications.add_departmentwebhook"),
        },
    )


def _webhook_form(request, webhook=None):
    form = DepartmentWebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        try:
            if webhook is None:
                saved = services.webhook_create(actor=request.user, data=form.service_data())
                messages.success(request, _("%(name)s was created.") % {"name": saved})
            else:
                saved = services.webhook_update(actor=request.user, pk=webhook.pk, data=form.service_data())
                messages.success(request, _("%(name)s was saved.") % {"name": saved})
            return redirect("notifications:webhook_edit", pk=saved.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    deliveries = webhook_deliveries(webhook=webhook) if webhook is not None else []
    if webhook is not None:
        webhook.refresh_from_db()  # the form may have changed the instance while validating
    return render(
        request,
        "notifications/webhook_form.html",
        {"form": form, "obj": webhook, "deliveries": deliveries, "Status": DeliveryStatus},
    )


@login_required
@permission_required("notifications.add_departmentwebhook", raise_exception=True)
def webhook_create(request):
    return _webhook_form(request)


@login_required
@permission_required("notifications.change_departmentwebhook", raise_exception=True)
def webhook_edit(request, pk):
    webhook = get_object_or_404(webhook_list(user=request.user), pk=pk)
    return _webhook_form(request, webhook)


@login_required
@require_POST
@permission_required("notifications.change_departmentwebhook", raise_exception=True)
def webhook_toggle(request, pk):
    webhook = get_object_or_404(webhook_list(user=request.user), pk=pk)
    saved = services.webhook_set_active(actor=request.user, pk=webhook.pk, active=not webhook.is_active)
    if saved.is_active:
        messages.success(request, _("%(name)s is enabled.") % {"name": saved})
    else:
        messages.success(request, _("%(name)s is disabled.") % {"name": saved})
    return redirect("notifications:webhook_list")


@login_required
@require_POST
@permission_required("notifications.change_departmentwebhook", raise_exception=True)
def webhook_test(request, pk):
    webhook = get_object_or_404(webhook_list(user=request.user), pk=pk)
    try:
        delivery = services.webhook_send_test(actor=request.user, pk=webhook.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if delivery.status == DeliveryStatus.SENT:
            messages.success(request, _("The test message was accepted by the robot."))
        else:
            messages.error(request, _("The test message failed: %(error)s") % {"error": delivery.last_error})
    return redirect("notifications:webhook_edit", pk=webhook.pk)
