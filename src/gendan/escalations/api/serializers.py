"""Escalation's serializers: the set-up (ladders, levels, rules) and escalations (read-only; they
change only through acknowledge and escalate)."""

from rest_framework import serializers

from gendan.issues.api.serializers import RejectUnknownFields

from ..models import Escalation, Ladder, LadderLevel, Rule
from ..services.flow import REASON_MAX


class LadderSerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Ladder
        fields = ["id", "code", "name", "name_en", "is_default", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class LadderLevelSerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = LadderLevel
        fields = ["id", "ladder", "position", "role", "climb_hours", "is_archived"]
        read_only_fields = ["id", "is_archived"]


class RuleSerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "min_severity",
            "threshold",
            "ladder",
            "level",
            "is_archived",
        ]
        read_only_fields = ["id", "is_archived"]


class EscalationSerializer(serializers.ModelSerializer):
    issue_number = serializers.CharField(source="issue.number", read_only=True)
    level_position = serializers.IntegerField(source="level.position", read_only=True)
    notified = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    acknowledged_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    raised_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "issue",
            "issue_number",
            "ladder",
            "level",
            "level_position",
            "role",
            "status",
            "notified",
            "reason_kind",
            "rule",
            "reason",
            "climbed_from",
            "raised_by",
            "created_at",
            "climbs_at",
            "acknowledged_by",
            "acknowledged_at",
            "acknowledgement",
            "closed_at",
        ]
        read_only_fields = fields


class EscalateSerializer(RejectUnknownFields, serializers.Serializer):
    issue = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(max_length=REASON_MAX)
    level = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None
    )


class EscalationAcknowledgeSerializer(RejectUnknownFields, serializers.Serializer):
    note = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
