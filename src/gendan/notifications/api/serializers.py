from rest_framework import serializers

from ..models import DepartmentWebhook, Notification
from ..registry import all_events


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class DepartmentWebhookSerializer(serializers.ModelSerializer):
    """The signing secret is write-only: the API says whether one is stored, never what it is."""

    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    has_secret = serializers.SerializerMethodField()
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[]), required=False, allow_empty=True
    )

    class Meta:
        model = DepartmentWebhook
        fields = [
            "id",
            "department",
            "name",
            "kind",
            "url",
            "address",
            "secret",
            "has_secret",
            "events",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "address", "has_secret", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].child.choices = [e.key for e in all_events()]

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)
