from rest_framework import serializers

from gendan.accounts.choices import Role

from ..choices import MAX_GRANT_DAYS, Level
from ..models import AccessRequest, Document, Grant
from ..services import NOTE_MAX, REASON_MAX, TITLE_MAX
from ..sources import upload_kinds


class DocumentSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    customer_name = serializers.CharField(source="customer.__str__", read_only=True)
    kind_label = serializers.CharField(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    is_system = serializers.BooleanField(read_only=True)
    may_open = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "order",
            "order_number",
            "customer",
            "customer_name",
            "product",
            "kind",
            "kind_label",
            "title",
            "version",
            "filed_on",
            "original_name",
            "size",
            "level",
            "level_label",
            "allowed_roles",
            "is_system",
            "uploaded_by",
            "uploaded_at",
            "may_open",
        ]
        read_only_fields = fields

    def get_may_open(self, obj) -> bool:
        return obj.pk in self.context.get("openable", set())


class DocumentUploadSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=[])
    title = serializers.CharField(max_length=TITLE_MAX)
    file = serializers.FileField()
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True, default="")
    allowed_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=[r for r, _l in Role.choices if r != Role.ADMIN]),
        required=False,
        max_length=10,
    )
    allowed_departments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=50
    )
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    filed_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [k.kind for k in upload_kinds()]


class AccessRequestSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="document_id", min_value=1, max_value=2**63 - 1)
    document_title = serializers.CharField(source="document.title", read_only=True)
    reason = serializers.CharField(max_length=REASON_MAX)
    days = serializers.IntegerField(min_value=1, max_value=MAX_GRANT_DAYS)
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "document",
            "document_title",
            "requester",
            "reason",
            "days",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "expires_at",
        ]
        read_only_fields = [
            "requester",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]

    def get_expires_at(self, obj) -> str | None:
        grant = getattr(obj, "grant", None) if obj.status == "approved" else None
        return grant.expires_at.isoformat() if grant else None


class AccessDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class GrantSerializer(serializers.ModelSerializer):
    document_title = serializers.CharField(source="document.title", read_only=True)
    is_live = serializers.BooleanField(read_only=True)

    class Meta:
        model = Grant
        fields = ["id", "request", "document", "document_title", "user", "starts_at", "expires_at", "is_live"]
        read_only_fields = fields
