from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.api.fieldaccess import FieldAccessMixin
from gendan.masterdata.models import Product

from ..models import Acknowledgement, ChangeRequest, Clarification, Finding, Order, OrderLine
from ..services.changes import impact_text


class RejectUnknownFields:
    """A misspelt field is an error, not silently dropped (R-8.4): the client learns which one."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class OrderLineSerializer(FieldAccessMixin, RejectUnknownFields, serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.filter(is_archived=False), required=False, allow_null=True
    )

    class Meta:
        model = OrderLine
        fields = ["id", "line_no", *OrderLine.ENTRY_FIELDS, "is_cancelled"]
        read_only_fields = ["id", "is_cancelled"]
        extra_kwargs = {"line_no": {"required": False}}


class OrderSerializer(RejectUnknownFields, serializers.ModelSerializer):
    """Status, version, review and release stamps are read-only: they change only through the
    workflow actions (submit, mark-reviewed, release, ...), exactly as on the pages."""

    lines = OrderLineSerializer(many=True)
    merchandiser = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, role=Role.MERCHANDISER), required=False, allow_null=True
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            *Order.ENTRY_FIELDS,
            "status",
            "version",
            "status_reason",
            "reviewed_at",
            "released_at",
            "created_at",
            "updated_at",
            "lines",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "version",
            "status_reason",
            "reviewed_at",
            "released_at",
            "created_at",
            "updated_at",
        ]

    def validate_merchandiser(self, merchandiser):
        # The page asks a merchandiser entering an order for someone else to tick "hand over"; the
        # API has no such question, so a merchandiser keeps the orders he enters (and may not give
        # his own away by editing): only those who go on seeing it (a manager, an administrator)
        # name another merchandiser.
        user = self.context["request"].user
        current = self.instance.merchandiser if self.instance is not None else None
        if merchandiser is None or merchandiser == current or Order.objects.would_see(user, merchandiser):
            return merchandiser
        raise serializers.ValidationError(
            _(
                "You would no longer see this order: only a manager or an administrator may enter or "
                "hand over an order for another merchandiser. Leave the merchandiser empty to keep it."
            )
        )


class FindingSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField()
    # A finding about the whole order (credit hold, missing address) has no line.
    line_no = serializers.IntegerField(source="line.line_no", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "order",
            "line_no",
            "code",
            "message",
            "status",
            "is_current",
            "resolution",
            "resolved_by",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_message(self, finding) -> str:
        request = self.context.get("request")
        return finding.message_for(request.user) if request is not None else finding.public_message


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class ClarificationSerializer(FieldAccessMixin, serializers.ModelSerializer):
    class Meta:
        model = Clarification
        fields = [
            "id",
            "order",
            "findings",
            "question",
            "channel",
            "contact",
            "asked_by",
            "asked_at",
            "answer",
            "answered_at",
            "answer_recorded_by",
        ]
        read_only_fields = ["id", "asked_by", "asked_at", "answer", "answered_at", "answer_recorded_by"]


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class AcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "order",
            "department",
            "order_version",
            "requested_at",
            "acknowledged_at",
            "acknowledged_by",
            "chase_count",
            "escalated_at",
        ]
        read_only_fields = fields


class ChangeRequestSerializer(serializers.ModelSerializer):
    impact_text = serializers.SerializerMethodField()
    line = serializers.PrimaryKeyRelatedField(
        queryset=OrderLine.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "order",
            "number",
            "kind",
            "line",
            "old_value",
            "new_value",
            "reason",
            "customer_reference",
            "impact",
            "impact_text",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "resulting_version",
        ]
        read_only_fields = [
            "id",
            "number",
            "old_value",
            "impact",
            "impact_text",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "resulting_version",
        ]

    def get_impact_text(self, obj) -> list[str]:
        return [impact_text(i) for i in obj.impact]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AdvanceSerializer(serializers.Serializer):
    expected = serializers.CharField(
        help_text="The status the caller sees now; the step fails if it changed."
    )
