from django.contrib import admin

from .models import Delivery, DepartmentWebhook, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at"]
    list_filter = ["event"]
    raw_id_fields = ["recipient"]


@admin.register(DepartmentWebhook)
class DepartmentWebhookAdmin(admin.ModelAdmin):
    list_display = ["department", "name", "kind", "address", "is_active"]
    exclude = ["secret"]
    readonly_fields = ["address"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "event", "target", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
